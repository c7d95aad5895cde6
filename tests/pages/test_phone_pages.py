"""Điện thoại mô phỏng: inbox, 1414, the operator's shop, the VNeID app screens, the health book."""

from tests.pages.apptest import click, errors, page, text, type_in
from workbench.sandbox import eid, health_book, otp, phone, portal, scenarios


def test_home_shows_the_unread_badge_and_the_inbox_marks_messages_read(sandbox_db):
    pid = scenarios.create(sandbox_db, "eid_approved", seed=None)["id"]
    app = page("sandbox/phone.py", pid)
    assert app.button(key="phone_open_sms").label == "Tin nhắn  (1)"
    assert "da duoc phe duyet" in text(app)  # the heads-up notification
    app = click(app, "phone_open_sms")
    assert phone.unread_count(sandbox_db, pid) == 0
    assert "https&#58;//vneid.gov.vn" in text(app)  # shown as text, never a live link


def test_texting_tttb_to_1414_and_standardising_at_the_shop(sandbox_db):
    pid = scenarios.create(sandbox_db, "sim_unverified", seed=None)["id"]
    app = page("sandbox/phone.py", pid, state={"phone_screen": "sms_compose"})
    type_in(app, phone_sms_to="0912345678", phone_sms_body="TTTB")
    app = click(app, "phone_compose_form_submit")
    assert errors(app) == ["Điện thoại mô phỏng chỉ gửi được tin nhắn tới tổng đài 1414 của nhà mạng (soạn TTTB)."]
    type_in(app, phone_sms_to="1414", phone_sms_body="tttb")
    app = click(app, "phone_compose_form_submit")
    assert "chua chinh xac" in phone.inbox(sandbox_db, pid)[0]["text"]
    app = click(click(app, "phone_home_sms"), "phone_open_shop")
    assert "Thông tin thuê bao chưa đúng chính chủ." in text(app)
    click(app, "phone_standardise")
    assert phone.is_standardised(sandbox_db, pid)


def test_vneid_activation_screens_say_what_to_fix(sandbox_db):
    person = scenarios.create(sandbox_db, "eid_approved", seed=None)
    pid = person["id"]
    app = page("sandbox/phone.py", pid, state={"phone_screen": "vneid"})
    app = click(app, "vneid_go_activate")
    type_in(app, vneid_act_cccd="12345", vneid_act_phone=person["phone"])
    app = click(app, "vneid_activate_form_submit")
    assert errors(app) == ["Số định danh cá nhân phải gồm đúng 12 chữ số (số in trên thẻ căn cước). Hãy kiểm tra lại."]
    type_in(app, vneid_act_cccd=person["cccd"], vneid_act_phone="0900000000")
    app = click(app, "vneid_activate_form_submit")
    assert errors(app) == ["Số điện thoại không đúng với số bạn đã khai khi đăng ký tại công an. "
                           "Hãy nhập đúng số điện thoại đó."]
    type_in(app, vneid_act_cccd="000000000000", vneid_act_phone=person["phone"])
    app = click(app, "vneid_activate_form_submit")
    assert errors(app) == ["Số định danh cá nhân không đúng với hồ sơ đã đăng ký tại công an. "
                           "Hãy nhập đúng 12 chữ số in trên thẻ căn cước của bạn."]
    type_in(app, vneid_act_cccd=person["cccd"])
    app = click(app, "vneid_activate_form_submit")
    assert "Mã OTP gồm 6 chữ số đã được gửi bằng tin nhắn" in text(app)
    type_in(app, vneid_act_otp=otp.latest_code_for_tests(sandbox_db, pid, "eid_activation"))
    app = click(app, "vneid_act_otp_form_submit")
    type_in(app, vneid_pw="congdan", vneid_pw2="congdan")
    app = click(app, "vneid_password_form_submit")
    assert errors(app) == ["- Mật khẩu phải có từ 8 đến 20 ký tự.\n"  # every broken rule at once (issue 14)
                           "- Mật khẩu phải có ít nhất một chữ số (0–9).\n"
                           "- Mật khẩu phải có ít nhất một chữ in hoa (A–Z).\n"
                           "- Mật khẩu phải có ít nhất một ký tự đặc biệt, ví dụ @ # $ !"]
    type_in(app, vneid_pw="Congdan@2024", vneid_pw2="Congdan@2024")
    app = click(app, "vneid_password_form_submit")
    type_in(app, vneid_pc="135790", vneid_pc2="135791")
    app = click(app, "vneid_passcode_form_submit")
    assert errors(app) == ["Mật mã nhập lại không khớp. Hãy nhập lại đúng 6 chữ số như lần đầu."]
    type_in(app, vneid_pc="135790", vneid_pc2="135790")
    app = click(app, "vneid_passcode_form_submit")
    app.selectbox(key="vneid_q2").set_value("q1")
    type_in(app, vneid_a1="Kim Đồng", vneid_a2="Kim Đồng")
    app = click(app, "vneid_security_form_submit")
    assert errors(app) == ["Hãy chọn hai câu hỏi bảo mật khác nhau."]
    app.selectbox(key="vneid_q2").set_value("q5")
    type_in(app, vneid_a2="Vàng")
    app = click(app, "vneid_security_form_submit")
    assert "Kích hoạt tài khoản thành công" in text(app)
    assert eid.level(sandbox_db, pid) == 2


def test_an_already_active_account_is_told_so(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=None)
    app = page("sandbox/phone.py", person["id"], state={"phone_screen": "vneid", "vneid_view": "activate"})
    type_in(app, vneid_act_cccd=person["cccd"], vneid_act_phone=person["phone"])
    app = click(app, "vneid_activate_form_submit")
    assert errors(app)[0].startswith("Tài khoản của bạn đã thực hiện kích hoạt.")


def test_the_app_unlocks_with_the_passcode_and_confirms_a_portal_request(sandbox_db):
    pid = scenarios.create(sandbox_db, "ready", seed=None)["id"]
    request = portal.request_vneid_login(sandbox_db, pid)
    app = page("sandbox/phone.py", pid, state={"phone_screen": "vneid"})
    type_in(app, vneid_unlock_pc="000000")
    app = click(app, "vneid_unlock_form_submit")
    assert errors(app) == ["Mật mã không đúng. Hãy nhập lại; nếu quên, dùng “Quên mật mã”."]
    type_in(app, vneid_unlock_pc="123456")
    app = click(app, "vneid_unlock_form_submit")
    assert "Mức độ 2" in text(app)
    app.text_input(key=f"vneid_request_pass_{request}").input("123456")
    app = click(app, f"vneid_request_form_{request}_submit")
    assert eid.request_status(sandbox_db, request) == "confirmed"
    assert app.button(key="vneid_back_portal")


def test_level_1_sees_the_upgrade_prompt_after_logging_in(sandbox_db):
    person = scenarios.create(sandbox_db, "eid_level1", seed=None)
    app = page("sandbox/phone.py", person["id"], state={"phone_screen": "vneid"})
    type_in(app, vneid_login_cccd=person["cccd"], vneid_login_pw="Congdan@2024")
    app = click(app, "vneid_login_form_submit")
    shown = text(app)
    assert "Mức độ 1" in shown and "Tài khoản của bạn đang ở mức độ 1." in shown


def test_a_new_device_asks_for_an_otp(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=None)
    pid = person["id"]
    app = page("sandbox/phone.py", pid,
               state={"phone_screen": "vneid", "vneid_view": "password_login", "phone_other_device": True})
    type_in(app, vneid_login_cccd=person["cccd"], vneid_login_pw="Congdan@2024")
    app = click(app, "vneid_login_form_submit")
    assert "Xác nhận thiết bị mới" in text(app)
    type_in(app, vneid_dev_otp=otp.latest_code_for_tests(sandbox_db, pid, "eid_new_device"))
    app = click(app, "vneid_dev_otp_form_submit")
    assert "Mức độ 2" in text(app)
    assert eid.account(sandbox_db, pid)["device_id"] == "another-phone"


def test_forgotten_passcode_from_the_unlock_screen(sandbox_db):
    pid = scenarios.create(sandbox_db, "ready", seed=None)["id"]
    app = click(page("sandbox/phone.py", pid, state={"phone_screen": "vneid"}), "vneid_unlock_forgot")
    type_in(app, vneid_forgot_q1="kim đồng", vneid_forgot_q5="vàng", vneid_forgot_pc="222333",
            vneid_forgot_pc2="222333")
    app = click(app, "vneid_forgot_form_submit")
    assert "Đã đặt lại mật mã" in text(app)
    assert eid.verify_passcode(sandbox_db, pid, "222333")


def test_the_health_book_opens_with_the_passcode(sandbox_db):
    pid = scenarios.create(sandbox_db, "ready", seed=None)["id"]
    app = page("sandbox/phone.py", pid, state={"phone_screen": "health"})
    type_in(app, phone_health_pass="123456")
    app = click(app, "phone_health_login_submit")
    assert health_book.is_activated(sandbox_db, pid)
    assert "Nhóm máu" in text(app)


def test_the_trainer_notes_follow_the_screen_in_english(sandbox_db):
    pid = scenarios.create(sandbox_db, "fresh", seed=None)["id"]
    app = page("sandbox/phone.py", pid, lang="en")
    assert "Notes for the trainer" in text(app)
    assert "The phone's home screen." in text(app)


def test_the_web_route_activates_level_2_without_the_app(sandbox_db):
    person = scenarios.create(sandbox_db, "fresh", seed=None)
    pid = person["id"]
    eid.approve_registration(sandbox_db, pid)
    app = click(page("sandbox/vneid_web.py", pid), "vneid_web_go_activate")
    type_in(app, vneid_act_cccd=person["cccd"], vneid_act_phone=person["phone"])
    app = click(app, "vneid_activate_form_submit")
    assert "Ma OTP cua ban la" in text(app)  # the SMS, shown beside the website
    type_in(app, vneid_act_otp=otp.latest_code_for_tests(sandbox_db, pid, "eid_activation"))
    app = click(app, "vneid_act_otp_form_submit")
    type_in(app, vneid_pw="Congdan@2024", vneid_pw2="Congdan@2024")
    app = click(app, "vneid_password_form_submit")
    type_in(app, vneid_pc="135790", vneid_pc2="135790")
    app = click(app, "vneid_passcode_form_submit")
    type_in(app, vneid_a1="Kim Đồng", vneid_a2="Vàng")
    app = click(click(app, "vneid_security_form_submit"), "vneid_web_after_activation")
    type_in(app, vneid_web_cccd=person["cccd"], vneid_web_pw="Congdan@2024")
    app = click(app, "vneid_web_login_form_submit")
    assert "Mức độ 2" in text(app)
    assert not phone.is_installed(sandbox_db, pid, "vneid")


def test_the_phone_shows_the_personas_12_digit_number_readably(sandbox_db):
    """Issue 14: the learner must type the number in VNeID, and the phone never showed it."""
    person = scenarios.create(sandbox_db, "eid_approved", seed=None)
    cccd = person["cccd"]
    spaced = f"{cccd[:4]} {cccd[4:8]} {cccd[8:]}"
    for screen in ("home", "vneid"):
        app = page("sandbox/phone.py", person["id"], state={"phone_screen": screen})
        assert spaced in text(app)
        assert f"{person['phone'][:4]} {person['phone'][4:7]} {person['phone'][7:]}" in text(app)
    app = page("sandbox/phone.py", person["id"], lang="en")
    assert "personal ID number" in text(app) and spaced in text(app)


def test_a_level_1_account_approved_at_the_police_is_told_to_activate_not_to_go_back(sandbox_db):
    """Issue 14: after the approval the app still said "Đến công an xã đăng ký mức độ 2"."""
    pid = scenarios.create(sandbox_db, "eid_level1", seed=None)["id"]
    state = {"phone_screen": "vneid", "vneid_view": "home", "vneid_session": pid, "phone_persona": pid}
    assert "Đến công an xã đăng ký mức độ 2" in text(page("sandbox/phone.py", pid, state=state))
    eid.approve_registration(sandbox_db, pid)
    app = page("sandbox/phone.py", pid, state=state)
    assert "Đến công an xã đăng ký mức độ 2" not in text(app)
    assert "Công an xã đã duyệt mức độ 2" in text(app) and app.button(key="vneid_home_activate")
