"""The older route, still worth teaching: a citizen whose SIM is in someone else's name tries to
register on the portal by mobile subscription, is refused ("chưa chuẩn hóa thuê bao"), texts TTTB
to 1414, standardises the SIM at the operator's shop, registers — typing one wrong OTP and one weak
password on the way — and logs in with the new password. At 360×740."""

import re

from playwright.sync_api import expect

from tests.browser.journeys import click, follow_link, fill, main, new_persona, open_persona, sms_code
from tests.browser.util import PHONE, screenshot


def test_unstandardised_sim_then_1414_then_registration_and_login(app_url, app_data_dir, new_page):
    page = new_page(PHONE)
    persona_id = new_persona(app_data_dir, "sim_unverified")
    cccd = open_persona(page, app_url, persona_id)
    text = main(page).inner_text()
    name = re.search(r"Bạn đang là: (.+)", text).group(1).strip()
    phone_number = re.search(r"Số điện thoại:\s*(\d{10})", text).group(1)
    born = re.search(r"Ngày sinh:\s*(\d\d/\d\d/\d{4})", text).group(1)

    follow_link(page, "portal")
    click(page, "portal_go_register")
    click(page, "portal_reg_sim")
    for field, value in (("cccd", cccd), ("full_name", name), ("birth_date", born), ("phone", phone_number)):
        fill(page, f"portal_reg_{field}", value)
    click(page, "portal_reg_form_submit")
    expect(main(page)).to_contain_text("Kiểm tra lại thông tin")
    screenshot(page, "identity-11-check-answers-phone")
    click(page, "portal_reg_submit")
    expect(main(page)).to_contain_text("Số điện thoại chưa chuẩn hóa thông tin thuê bao")
    screenshot(page, "identity-12-sim-not-standardised-phone")

    click(page, "portal_open_1414")  # the phone, a new message to 1414
    fill(page, "phone_sms_body", "TTTB")
    click(page, "phone_compose_form_submit")
    expect(main(page)).to_contain_text("khong dung chinh chu")
    screenshot(page, "identity-13-tttb-reply-phone")
    click(page, "phone_home_sms")
    click(page, "phone_open_shop")
    click(page, "phone_standardise")
    expect(main(page)).to_contain_text("Thông tin thuê bao đã được chuẩn hóa")
    click(page, "phone_home_shop")

    follow_link(page, "portal")  # back on the portal, the answers are still there
    expect(main(page)).to_contain_text("Kiểm tra lại thông tin")
    click(page, "portal_reg_submit")
    fill(page, "portal_otp_code", "000000")
    click(page, "portal_otp_form_submit")
    expect(main(page)).to_contain_text("Mã OTP không đúng. Bạn còn 4 lần thử.")
    click(page, "portal_otp_resend")
    follow_link(page, "phone")
    code = sms_code(page)  # the newest message, on the home screen's notification
    follow_link(page, "portal")
    fill(page, "portal_otp_code", code)
    click(page, "portal_otp_form_submit")

    fill(page, "portal_new_password", "Matkhau123")
    fill(page, "portal_new_password2", "Matkhau123")
    click(page, "portal_password_set_submit")
    expect(main(page)).to_contain_text("Mật khẩu phải có ít nhất một ký tự đặc biệt")
    screenshot(page, "identity-14-weak-password-phone")
    fill(page, "portal_new_password", "Matkhau@123")
    fill(page, "portal_new_password2", "Matkhau@123")
    click(page, "portal_password_set_submit")
    expect(main(page)).to_contain_text("Đăng ký tài khoản thành công")

    click(page, "portal_done_login")
    fill(page, "portal_login_cccd", cccd)
    fill(page, "portal_login_password", "Matkhau@123")
    click(page, "portal_password_form_submit")
    expect(main(page)).to_contain_text("Bạn đã đăng nhập Cổng Dịch vụ công quốc gia")
    expect(main(page)).to_contain_text("có (đăng ký bằng thuê bao di động)")
    screenshot(page, "identity-15-portal-logged-in-phone")
