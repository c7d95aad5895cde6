"""Lesson 3 on a 360-px phone, as on 1 December 2026: the portal has no "Đăng ký" and no portal
password (Decree 69/2024/NĐ-CP, VNeID only since 1/7/2024). The learner first types an old
portal username and password, meets the notice and the hint, is led to "Đăng nhập bằng VNeID",
confirms on the simulated phone, and finishes the lesson with its quiz (issue 13)."""

from __future__ import annotations

import re
import unicodedata

from playwright.sync_api import expect

from tests.browser.journeys import click, fill, main
from tests.browser.test_lesson_player import TICK, press, start_lesson, strip
from tests.browser.util import PHONE, app_sandbox, screenshot
from tests.test_portal_vneid_only import ENDED_ROUTE
from workbench import events
from workbench.sandbox import scenarios
from tests.browser.journeys import confirm_vneid_login
from tests.browser.journeys import send_vneid_login


def assert_only_todays_wording(page) -> None:
    shown = unicodedata.normalize("NFC", main(page).inner_text()).lower()
    assert [p for p in ENDED_ROUTE if re.search(p, shown)] == []
    assert page.get_by_role("button", name="Đăng ký", exact=True).count() == 0


def test_lesson_3_is_completed_with_vneid_only_at_360_px(app_url, app_data_dir, new_page):
    page = new_page(PHONE)
    pid = start_lesson(page, app_url, "portal_login")
    expect(main(page)).to_contain_text("Bước 1/3")
    with app_sandbox(app_data_dir) as db:
        person = db["personas"].get(pid)
    creds = scenarios.credentials()
    assert "portal_password" not in creds

    page.get_by_role("link", name="Mở trang để làm bước này").click()  # to the portal
    page.locator(".st-key-portal_go_login").wait_for()
    expect(strip(page)).to_contain_text("Bài 3 · Bước 1/3")
    assert_only_todays_wording(page)
    click(page, "portal_go_login")
    assert_only_todays_wording(page)

    # The old habit: an account the portal issued, typed with its username and password.
    click(page, "portal_choose_old")
    fill(page, "portal_old_username", person["cccd"])
    fill(page, "portal_old_password", "Matkhaucu@2023")
    click(page, "portal_old_form_submit")
    expect(main(page)).to_contain_text("Từ ngày 01/7/2024")
    expect(main(page)).to_contain_text("tài khoản định danh điện tử VNeID")
    expect(strip(page)).to_contain_text("Chưa đăng nhập được", timeout=TICK)  # the lesson's hint
    screenshot(page, "lesson-3-old-account-notice-phone")
    click(page, "portal_old_go_vneid")

    send_vneid_login(page, person["cccd"])
    expect(strip(page)).to_contain_text("Bước 2/3", timeout=TICK)
    confirm_vneid_login(page)
    expect(main(page)).to_contain_text("Bạn đã đăng nhập Cổng Dịch vụ công quốc gia")
    expect(strip(page)).to_contain_text("câu hỏi ôn tập", timeout=TICK)
    assert_only_todays_wording(page)
    screenshot(page, "lesson-3-logged-in-phone")

    page.get_by_role("link", name="Về bài học").click()
    page.get_by_text("Trong ứng dụng VNeID, bằng passcode", exact=True).wait_for()
    for answer in ("Trong ứng dụng VNeID, bằng passcode", "Từ chối, và báo công an xã nếu lặp lại",
                   "Bằng tài khoản định danh điện tử VNeID"):
        page.get_by_text(answer, exact=True).click()
        press(page, "Trả lời", then="Đúng rồi!")
        press(page, "Tiếp tục")
    expect(main(page)).to_contain_text("Tổng kết bài học")
    screenshot(page, "lesson-3-summary-phone")
    with app_sandbox(app_data_dir) as db:
        kinds = [e["kind"] for e in events.for_persona(db, pid)]
        ticked = [e["payload"]["step_id"] for e in events.for_persona(db, pid) if e["kind"] == "lesson.step_done"]
    assert ticked == ["request_login", "confirm_in_app", "logged_in"]
    assert "lesson.completed" in kinds
