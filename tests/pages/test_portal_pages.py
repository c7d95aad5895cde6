"""Cổng Dịch vụ công: log in with VNeID, an old portal account led to VNeID (issue 13), profile.

The VNeID confirmation itself happens on the phone page (st.switch_page); the browser journey
tests/browser/test_vneid_activation.py walks it end to end."""

from tests.pages.apptest import click, errors, page, text, type_in
from workbench.sandbox import eid, portal, scenarios


def test_a_logged_in_browser_sees_the_profile_and_can_log_out(sandbox_db):
    pid = scenarios.create(sandbox_db, "ready", seed=None)["id"]
    app = page("sandbox/portal_account.py", pid, logged_in=True)
    shown = text(app)
    assert "Bạn đã đăng nhập Cổng Dịch vụ công quốc gia" in shown and "mức độ 2" in shown
    app = click(app, "portal_logout")
    assert "portal_login" not in app.session_state


def test_no_registration_on_the_portal_today(sandbox_db):
    person = scenarios.create(sandbox_db, "fresh", seed=None)
    app = page("sandbox/portal_account.py", person["id"])
    assert "Đăng nhập bằng tài khoản định danh điện tử VNeID" in text(app)
    assert not [b for b in app.button if b.key in ("portal_go_register", "portal_reg_sim")]
    assert "Đăng ký" not in [b.label for b in app.button]


def test_an_old_portal_account_meets_the_notice_and_is_led_to_vneid(sandbox_db):
    person = scenarios.create(sandbox_db, "old_portal_account", seed=None)
    app = page("sandbox/portal_account.py", person["id"])
    app = click(click(app, "portal_go_login"), "portal_choose_old")
    type_in(app, portal_old_username=person["cccd"], portal_old_password="Matkhaucu@2023")
    app = click(app, "portal_old_form_submit")
    shown = text(app)
    assert "Từ ngày 01/7/2024" in shown and "tài khoản định danh điện tử VNeID" in shown
    assert "portal_login" not in app.session_state
    app = click(app, "portal_old_go_vneid")
    assert "Nhập số định danh cá nhân và mật khẩu VNeID" in text(app)
    assert portal.account(sandbox_db, person["id"])["method"] == "sim"


def test_the_old_account_notice_follows_the_language(sandbox_db):
    person = scenarios.create(sandbox_db, "old_portal_account", seed=None)
    app = page("sandbox/portal_account.py", person["id"], lang="en")
    app = click(click(app, "portal_go_login"), "portal_choose_old")
    type_in(app, portal_old_username="anything", portal_old_password="x")
    app = click(app, "portal_old_form_submit")
    assert "Since 1 July 2024" in text(app)


def test_vneid_login_with_a_level_1_account_asks_to_upgrade(sandbox_db):
    person = scenarios.create(sandbox_db, "eid_level1", seed=None)
    app = page("sandbox/portal_account.py", person["id"])
    app = click(click(app, "portal_go_login"), "portal_choose_vneid")
    type_in(app, portal_vneid_cccd=person["cccd"], portal_vneid_password="Congdan@2024")
    app = click(app, "portal_vneid_form_submit")
    assert errors(app)[0].startswith("Tài khoản định danh điện tử của bạn chưa ở mức độ 2.")


def test_vneid_login_waits_for_the_phone_and_completes_once_confirmed(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=None)
    app = page("sandbox/portal_account.py", person["id"])
    app = click(click(app, "portal_go_login"), "portal_choose_vneid")
    type_in(app, portal_vneid_cccd=person["cccd"], portal_vneid_password="Congdan@2024")
    app = click(app, "portal_vneid_form_submit")
    assert "Xác nhận trên ứng dụng VNeID" in text(app)
    app = click(app, "portal_vneid_check")
    assert "Chưa nhận được xác nhận từ ứng dụng VNeID" in text(app)
    request = app.session_state["portal_request"]
    eid.answer_request(sandbox_db, person["id"], request, "123456")  # what the phone page does
    app = app.run()
    assert app.session_state["portal_login"] == person["id"]
