"""A fully set-up citizen logs in to the public-service portal with VNeID, confirming on the phone."""

from playwright.sync_api import expect

from tests.browser.journeys import main, new_persona, portal_login
from tests.browser.util import PHONE, screenshot


def test_a_ready_persona_logs_in_to_the_portal_with_vneid(app_url, app_data_dir, new_page):
    page = new_page(PHONE)
    persona_id = new_persona(app_data_dir, "ready")
    portal_login(page, app_url, persona_id)
    expect(main(page)).to_contain_text("Bạn đã đăng nhập Cổng Dịch vụ công quốc gia")
    expect(main(page)).to_contain_text("mức độ 2")
    screenshot(page, "portal-logged-in-phone")
