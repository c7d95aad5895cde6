"""A trainer opens the workbench on the laptop, a citizen opens it on a phone."""

import pytest

from tests.browser.util import LAPTOP, PHONE, screenshot, wait_for_app


@pytest.mark.parametrize("viewport,name", [(PHONE, "phone"), (LAPTOP, "laptop")])
def test_home_page_explains_the_workbench_and_shows_the_join_qr(app_url, new_page, viewport, name):
    page = new_page(viewport)
    page.goto(app_url)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Công dân số Workbench").is_visible()
    assert page.locator("[data-testid='stImage'] img").count() >= 1  # the LAN URL as a QR code
    assert app_url in page.content()
    screenshot(page, f"home-{name}")


def test_sandbox_pages_carry_the_banner_and_tracker_pages_do_not(app_url, new_page):
    page = new_page(PHONE)
    page.goto(app_url + "/phone")
    wait_for_app(page)
    assert page.locator(".cds-sandbox-banner").first.is_visible()
    assert "MÔ PHỎNG — SANDBOX" in page.locator(".cds-sandbox-banner").first.inner_text()
    screenshot(page, "sandbox-banner-phone")
    page.goto(app_url + "/tracker")
    wait_for_app(page)
    assert page.locator(".cds-sandbox-banner").count() == 0


def test_language_switch_changes_the_page_to_english(app_url, new_page):
    page = new_page(LAPTOP)
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_text("English", exact=True).click()
    wait_for_app(page)
    assert page.get_by_role("heading", name="Digital Citizen Workbench").is_visible()
