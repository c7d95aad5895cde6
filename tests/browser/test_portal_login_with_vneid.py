"""A fully set-up citizen logs in to the public-service portal with VNeID, confirming on the phone."""

from playwright.sync_api import expect

from tests.browser.journeys import after_rerun, click, fill, follow_link, main, new_persona, open_persona, portal_login
from tests.browser.util import LAPTOP, PHONE, screenshot
from workbench.sandbox import scenarios


def test_a_ready_persona_logs_in_to_the_portal_with_vneid(app_url, app_data_dir, new_page):
    page = new_page(PHONE)
    persona_id = new_persona(app_data_dir, "ready")
    portal_login(page, app_url, persona_id)
    expect(main(page)).to_contain_text("Bạn đã đăng nhập Cổng Dịch vụ công quốc gia")
    expect(main(page)).to_contain_text("mức độ 2")
    screenshot(page, "portal-logged-in-phone")


def test_the_portal_on_a_laptop_notices_the_confirmation_made_on_a_phone(app_url, app_data_dir, new_page):
    """Two devices, as in the hall: the portal open on the laptop, the VNeID app on the phone."""
    persona_id = new_persona(app_data_dir, "ready")
    laptop, phone = new_page(LAPTOP), new_page(PHONE)
    cccd = open_persona(laptop, app_url, persona_id)
    follow_link(laptop, "portal")
    click(laptop, "portal_go_login")
    click(laptop, "portal_choose_vneid")
    fill(laptop, "portal_vneid_cccd", cccd)
    fill(laptop, "portal_vneid_password", scenarios.credentials()["vneid_password"])
    click(laptop, "portal_vneid_form_submit")
    expect(main(laptop)).to_contain_text("Xác nhận trên ứng dụng VNeID")

    open_persona(phone, app_url, persona_id)
    follow_link(phone, "phone")
    click(phone, "phone_open_vneid")
    fill(phone, "vneid_unlock_pc", "123456")
    click(phone, "vneid_unlock_form_submit")
    phone.locator("[class*='st-key-vneid_request_pass_'] input").first.fill("123456")
    after_rerun(phone, phone.locator("[class*='st-key-vneid_request_form_'][class*='_submit'] button").first.click)
    expect(main(phone)).to_contain_text("Đã xác nhận")

    expect(main(laptop)).to_contain_text("Bạn đã đăng nhập Cổng Dịch vụ công quốc gia")  # by itself
    screenshot(laptop, "portal-logged-in-laptop")
