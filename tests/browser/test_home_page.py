"""A trainer opens the workbench on the laptop, a citizen opens it on a phone."""

import pytest

from tests.browser import axe
from tests.browser.util import LAPTOP, PHONE, screenshot, start_app, wait_for_app


@pytest.mark.parametrize("viewport,name", [(PHONE, "phone"), (LAPTOP, "laptop")])
def test_home_page_explains_the_workbench_and_shows_the_join_qr(app_url, new_page, viewport, name):
    page = new_page(viewport)
    page.goto(app_url)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Công dân số Workbench").is_visible()
    assert page.locator("[data-testid='stImage'] img").count() >= 1  # the LAN URL as a QR code
    assert app_url in page.content()
    screenshot(page, f"home-{name}")
    if viewport == PHONE:
        axe.check(page, "the home page")


def test_sandbox_pages_carry_the_banner_and_tracker_pages_do_not(app_url, new_page):
    page = new_page(PHONE)
    page.goto(app_url + "/phone")
    wait_for_app(page)
    assert page.locator(".cds-sandbox-banner").first.is_visible()
    assert "MÔ PHỎNG — SANDBOX" in page.locator(".cds-sandbox-banner").first.inner_text()
    screenshot(page, "sandbox-banner-phone")
    axe.check(page, "the simulated phone")
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


def test_the_first_phone_to_scan_a_join_qr_after_start_sees_no_page_not_found(browser, tmp_path):
    """`make run` warms the server up (scripts/serve.py), so the first deep link of a fresh
    server opens the page cleanly instead of under Streamlit's "Page not found" dialog."""
    process, base = start_app(tmp_path)
    try:
        context = browser.new_context(viewport=PHONE, locale="vi-VN")
        page = context.new_page()
        page.goto(base + "/join")
        wait_for_app(page)
        page.wait_for_timeout(500)
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator("h1").first.inner_text() == "Tham gia buổi tập huấn"
        context.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
