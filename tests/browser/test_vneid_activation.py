"""A citizen with nothing set up registers at the commune police, activates VNeID level 2 on the
simulated phone — typing one wrong OTP and one weak password on the way — sees "Mức độ 2", then
logs in to the public-service portal with VNeID. At 360×740, like a phone in the village hall."""

from playwright.sync_api import expect

from tests.browser import axe
from tests.browser.journeys import after_rerun, click, close_page_not_found, follow_link, fill, log_in_on_portal_page, main, sms_code
from tests.browser.util import PHONE, app_sandbox, screenshot, wait_for_app
from workbench import events
from workbench.sandbox import personas


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def test_fresh_persona_to_level_2_and_a_portal_login(app_url, app_data_dir, new_page):
    page = new_page(PHONE)
    page.goto(f"{app_url}/personas")
    wait_for_app(page)
    close_page_not_found(page)
    click(page, "persona_create_submit")  # starting state "Mới bắt đầu" is preselected
    expect(main(page)).to_contain_text("Chưa có VNeID")
    text = main_text(page)
    cccd = text.split("Số định danh cá nhân:")[1].split()[0]
    phone_number = text.split("Số điện thoại:")[1].split()[0]
    screenshot(page, "identity-01-persona-created-phone")

    follow_link(page, "police")
    for item in ("chip_card", "photo", "fingerprints"):
        after_rerun(page, page.locator(f".st-key-police_check_{item} label").click)
    click(page, "police_submit")
    click(page, "police_approve")
    expect(main(page)).to_contain_text("Đã phê duyệt")
    follow_link(page, "phone")
    expect(page.locator(".cds-notify")).to_contain_text("da duoc phe duyet")
    assert page.locator("a[href*='vneid.gov.vn']").count() == 0  # the link in the SMS is text, never live
    screenshot(page, "identity-02-approval-sms-phone")

    click(page, "phone_open_store")
    click(page, "phone_install_vneid")
    click(page, "vneid_go_activate")
    fill(page, "vneid_act_cccd", cccd)
    fill(page, "vneid_act_phone", phone_number)
    click(page, "vneid_activate_form_submit")
    code = sms_code(page)
    fill(page, "vneid_act_otp", "000000" if code != "000000" else "111111")
    click(page, "vneid_act_otp_form_submit")
    expect(main(page)).to_contain_text("Mã OTP không đúng. Bạn còn 4 lần thử.")
    screenshot(page, "identity-03-wrong-otp-phone")
    axe.check(page, "VNeID activation: a wrong OTP")
    fill(page, "vneid_act_otp", code)
    click(page, "vneid_act_otp_form_submit")

    fill(page, "vneid_pw", "matkhau123")
    fill(page, "vneid_pw2", "matkhau123")
    click(page, "vneid_password_form_submit")
    expect(main(page)).to_contain_text("Mật khẩu phải có ít nhất một chữ in hoa (A–Z).")
    screenshot(page, "identity-04-weak-password-phone")
    axe.check(page, "VNeID activation: a weak password")
    fill(page, "vneid_pw", "Congdan@2024")
    fill(page, "vneid_pw2", "Congdan@2024")
    click(page, "vneid_password_form_submit")

    fill(page, "vneid_pc", "123456")
    fill(page, "vneid_pc2", "123456")
    click(page, "vneid_passcode_form_submit")
    fill(page, "vneid_a1", "Kim Đồng")
    fill(page, "vneid_a2", "Vàng")
    click(page, "vneid_security_form_submit")
    expect(main(page)).to_contain_text("Kích hoạt tài khoản thành công")
    click(page, "vneid_after_activation")
    fill(page, "vneid_login_cccd", cccd)
    fill(page, "vneid_login_pw", "Congdan@2024")
    click(page, "vneid_login_form_submit")
    expect(main(page)).to_contain_text("Mức độ 2")
    screenshot(page, "identity-05-level-2-phone")
    axe.check(page, "VNeID at level 2")

    click(page, "phone_home_vneid")
    follow_link(page, "portal")
    log_in_on_portal_page(page, cccd)
    expect(main(page)).to_contain_text("Bạn đã đăng nhập Cổng Dịch vụ công quốc gia")
    screenshot(page, "identity-06-portal-logged-in-phone")

    with app_sandbox(app_data_dir) as db:
        persona = next(p for p in personas.list_all(db) if p["cccd"] == cccd)
        kinds = [e["kind"] for e in events.for_persona(db, persona["id"])]
    for kind in ("eid.registration_approved", "otp.wrong", "eid.password_weak", "eid.activated",
                 "portal.registered", "portal.login"):
        assert kind in kinds, kind
