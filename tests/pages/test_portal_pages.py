"""Cổng Dịch vụ công: log in (VNeID or password), self-registration with its refusals, profile.

The VNeID confirmation itself happens on the phone page (st.switch_page); the browser journey
tests/browser/test_vneid_activation.py walks it end to end."""

from tests.pages.apptest import click, errors, page, text, type_in
from workbench.sandbox import eid, otp, portal, scenarios


def vn_date(iso: str) -> str:
    return "/".join(reversed(iso.split("-")))


def test_a_logged_in_browser_sees_the_profile_and_can_log_out(sandbox_db):
    pid = scenarios.create(sandbox_db, "ready", seed=None)["id"]
    app = page("sandbox/portal_account.py", pid, logged_in=True)
    shown = text(app)
    assert "Bạn đã đăng nhập Cổng Dịch vụ công quốc gia" in shown and "mức độ 2" in shown
    app = click(app, "portal_logout")
    assert "portal_login" not in app.session_state


def test_password_login_says_what_is_wrong_then_logs_in(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=None)
    app = page("sandbox/portal_account.py", person["id"])
    app = click(click(app, "portal_go_login"), "portal_choose_password")
    type_in(app, portal_login_cccd=person["cccd"], portal_login_password="Sai@1234")
    app = click(app, "portal_password_form_submit")
    assert errors(app) == ["Tên đăng nhập (số CCCD) hoặc mật khẩu không đúng."]
    type_in(app, portal_login_password=scenarios.credentials()["portal_password"])
    app = click(app, "portal_password_form_submit")
    assert app.session_state["portal_login"] == person["id"]


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


def fill_registration(app, person, **changes):
    values = {"cccd": person["cccd"], "full_name": person["full_name"], "birth_date": vn_date(person["birth_date"]),
              "phone": person["phone"], "email": ""}
    values.update(changes)
    labels = {"cccd": "Số CCCD (12 chữ số)", "full_name": "Họ và tên", "birth_date": "Ngày sinh (ngày/tháng/năm)",
              "phone": "Số điện thoại di động", "email": "Thư điện tử (không bắt buộc)"}
    for field, value in values.items():
        next(w for w in app.text_input if w.label == labels[field]).input(value)
    return click(app, "portal_reg_form_submit")


def test_registration_form_keeps_what_was_typed_and_says_what_to_fix(sandbox_db):
    person = scenarios.create(sandbox_db, "fresh", seed=None)
    app = click(click(page("sandbox/portal_account.py", person["id"]), "portal_go_register"), "portal_reg_sim")
    app = fill_registration(app, person, birth_date="31/02/1990")
    assert errors(app) == ["Hãy nhập ngày sinh dạng ngày/tháng/năm, ví dụ 05/09/1990."]
    assert app.session_state["portal_reg"]["full_name"] == person["full_name"]
    assert any(w.value == person["full_name"] for w in app.text_input)


def test_registration_with_an_unstandardised_sim_teaches_the_1414_remedy(sandbox_db):
    person = scenarios.create(sandbox_db, "sim_unverified", seed=None)
    app = click(click(page("sandbox/portal_account.py", person["id"]), "portal_go_register"), "portal_reg_sim")
    app = fill_registration(app, person)
    assert "Kiểm tra lại thông tin" in text(app)
    app = click(app, "portal_reg_submit")
    assert errors(app)[0].startswith("Số điện thoại chưa chuẩn hóa thông tin thuê bao")
    assert "soạn tin TTTB gửi 1414" in text(app)
    assert not portal.has_account(sandbox_db, person["id"])


def test_registration_otp_then_weak_then_good_password(sandbox_db):
    person = scenarios.create(sandbox_db, "fresh", seed=None)
    pid = person["id"]
    app = click(click(page("sandbox/portal_account.py", pid), "portal_go_register"), "portal_reg_sim")
    app = click(fill_registration(app, person), "portal_reg_submit")
    type_in(app, portal_otp_code="000000")
    app = click(app, "portal_otp_form_submit")
    assert errors(app) == ["Mã OTP không đúng. Bạn còn 4 lần thử."]
    type_in(app, portal_otp_code=otp.latest_code_for_tests(sandbox_db, pid, "portal_register"))
    app = click(app, "portal_otp_form_submit")
    type_in(app, portal_new_password="matkhau@123", portal_new_password2="matkhau@123")
    app = click(app, "portal_password_set_submit")
    assert errors(app) == ["Mật khẩu phải có ít nhất một chữ in hoa (A–Z)."]
    type_in(app, portal_new_password="Matkhau@123", portal_new_password2="Matkhau@123")
    app = click(app, "portal_password_set_submit")
    assert "Đăng ký tài khoản thành công" in text(app)
    assert portal.account(sandbox_db, pid)["method"] == "sim"
