"""A fully set-up citizen logs in to the public-service portal with VNeID, confirming on the phone."""

from tests.browser.journeys import new_persona, portal_login
from tests.browser.util import PHONE, screenshot


def test_a_ready_persona_logs_in_to_the_portal_with_vneid(app_url, app_data_dir, new_page):
    page = new_page(PHONE)
    persona_id = new_persona(app_data_dir, "ready")
    portal_login(page, app_url, persona_id)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Bạn đã đăng nhập Cổng Dịch vụ công quốc gia" in text
    assert "mức độ 2" in text
    screenshot(page, "portal-logged-in-phone")
