"""A citizen on a 360-px phone follows lesson 2 (VNeID activation) and lesson 4 (birth
registration) on the real sandbox screens; each step ticks itself — in the strip on the
sandbox page where it was done, and on the lesson page — with a hint after a wrong attempt."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.browser import axe
from tests.browser.journeys import click, close_page_not_found, fill, main, portal_login, sms_code
from tests.browser.util import LAPTOP, PHONE, app_sandbox, screenshot, wait_for_app
from workbench import events
from workbench.sandbox import documents, scenarios
from workbench.sandbox.dossiers import desk
from tests.browser.journeys import fill_mother_page
from tests.browser.journeys import press

TICK = 20_000  # the strip re-checks every 4 s, the lesson page every 3 s; a loaded 2-core machine needs slack


def strip(page):
    return page.locator(".cds-lesson-strip").first


def start_lesson(page, app_url, lesson_id):
    """Open the lesson, make a persona in its starting state; return the persona id from ``?p=``."""
    page.goto(f"{app_url}/lessons?lesson={lesson_id}")
    wait_for_app(page)
    close_page_not_found(page)
    page.get_by_role("button", name="Tạo nhân vật mới").click()
    page.get_by_text("Bước 1/").first.wait_for()
    wait_for_app(page)
    return parse_qs(urlparse(page.url).query)["p"][0]




def test_lesson_2_vneid_activation_ticks_itself_on_the_phone_screens(app_url, app_data_dir, new_page):
    page = new_page(PHONE)
    pid = start_lesson(page, app_url, "vneid_activation")
    assert page.get_by_role("button", name="Đã làm đủ mục này").count() == 0  # no "I did it" for checkable steps
    screenshot(page, "lesson-2-step-1-phone")
    axe.check(page, "a lesson step with its picture")
    with app_sandbox(app_data_dir) as db:
        person = db["personas"].get(pid)
    creds = scenarios.credentials()

    page.get_by_role("link", name="Mở trang để làm bước này").click()  # to the simulated phone
    wait_for_app(page)
    expect(strip(page)).to_contain_text("Bài 2 · Bước 1/6")
    click(page, "phone_open_vneid")
    click(page, "vneid_go_activate")
    fill(page, "vneid_act_cccd", person["cccd"])
    fill(page, "vneid_act_phone", person["phone"])
    click(page, "vneid_activate_form_submit")
    expect(strip(page)).to_contain_text("Bước 2/6", timeout=TICK)
    code = sms_code(page)
    fill(page, "vneid_act_otp", "000000" if code != "000000" else "111111")
    click(page, "vneid_act_otp_form_submit")
    expect(strip(page)).to_contain_text("Mã chưa đúng", timeout=TICK)  # the hint, where the learner is
    screenshot(page, "lesson-2-hint-in-strip-phone")
    fill(page, "vneid_act_otp", code)
    click(page, "vneid_act_otp_form_submit")
    expect(strip(page)).to_contain_text("Bước 3/6", timeout=TICK)
    fill(page, "vneid_pw", creds["vneid_password"])
    fill(page, "vneid_pw2", creds["vneid_password"])
    click(page, "vneid_password_form_submit")
    expect(strip(page)).to_contain_text("Bước 4/6", timeout=TICK)
    fill(page, "vneid_pc", creds["passcode"])
    fill(page, "vneid_pc2", creds["passcode"])
    click(page, "vneid_passcode_form_submit")
    fill(page, "vneid_a1", "Kim Đồng")
    fill(page, "vneid_a2", "Vàng")
    click(page, "vneid_security_form_submit")
    expect(strip(page)).to_contain_text("Bước 6/6", timeout=TICK)
    click(page, "vneid_after_activation")
    fill(page, "vneid_login_cccd", person["cccd"])
    fill(page, "vneid_login_pw", creds["vneid_password"])
    click(page, "vneid_login_form_submit")
    expect(main(page)).to_contain_text("Mức độ 2")
    expect(strip(page)).to_contain_text("câu hỏi ôn tập", timeout=TICK)
    screenshot(page, "lesson-2-level-2-strip-phone")

    page.get_by_role("link", name="Về bài học").click()
    wait_for_app(page)
    for answer in ("Bấm “Gửi lại mã” và nhập mã mới", "Chỉ mình bạn", "Lua@Nuong2024"):
        page.get_by_text(answer, exact=True).click()
        press(page, "Trả lời", then="Đúng rồi!")
        press(page, "Tiếp tục")
    expect(main(page)).to_contain_text("Tổng kết bài học")
    expect(main(page)).to_contain_text("Lỗi đã gặp: 1; đã tự khắc phục: 1")
    screenshot(page, "lesson-2-summary-phone")
    axe.check(page, "the lesson's summary")
    # The resume link is a link a person can tap, to this persona's lesson (no "&amp;" in it).
    resume = page.locator(".cds-resume-link a")
    expect(resume).to_have_attribute("href", re.compile(rf"/lessons\?p={pid}&lesson=vneid_activation$"))


def test_lesson_4_birth_registration_ticks_itself_on_the_portal_screens(app_url, app_data_dir, new_page):
    page = new_page(PHONE)
    pid = start_lesson(page, app_url, "birth_registration")
    clear = documents.sample_variants(pid, "giay_chung_sinh").index("ok") + 1

    portal_login(page, app_url, pid)  # the persona page, the portal, VNeID on the phone, back
    expect(strip(page)).to_contain_text("Bài 4 · Bước 2/6", timeout=TICK)
    page.locator("[data-testid='stPageLink'] a[href$='services']").first.click()
    wait_for_app(page)
    page.get_by_role("textbox", name="Tìm thủ tục").fill("khai sinh")
    press(page, "Tìm kiếm")
    press(page, "Xem thủ tục", then="Giấy tờ cần chuẩn bị")
    expect(strip(page)).to_contain_text("Bước 3/6", timeout=TICK)
    press(page, "Nộp hồ sơ trực tuyến", then="Thông tin người nộp hồ sơ")
    press(page, "Tiếp tục", then="Thông tin người được khai sinh")
    page.get_by_role("textbox", name="Họ, chữ đệm và tên của trẻ").fill("Lò Thị Mai")
    with app_sandbox(app_data_dir) as db:
        from workbench import clock

        today = clock.now(db).strftime("%d/%m/%Y")
    page.get_by_role("textbox", name="Ngày sinh (ngày/tháng/năm)").fill(today)
    page.get_by_role("textbox", name="Nơi sinh").fill("Trạm y tế xã Ea Yông")
    page.get_by_role("textbox", name="Dân tộc").fill("Thái")
    page.get_by_role("textbox", name="Quốc tịch").fill("Việt Nam")
    page.get_by_role("textbox", name="Quê quán").fill("Xã Ea Yông")
    page.get_by_role("radiogroup", name="Giới tính").get_by_text("nữ", exact=True).click()
    page.get_by_role("radiogroup", name="Quan hệ với người được khai sinh").get_by_text("mẹ", exact=True).click()
    press(page, "Tiếp tục", then="Thông tin người mẹ")
    fill_mother_page(page, "Lò Thị Hoa", "Bản Lướt, Xã Ea Yông")
    press(page, "Tiếp tục", then="Thông tin người cha")  # the father's page may stay empty, as on the real form
    press(page, "Tiếp tục", then="Ảnh trong máy")
    press(page, f"Chọn ảnh {clear}", then="Đã đính kèm ảnh")
    expect(strip(page)).to_contain_text("Bước 4/6", timeout=TICK)
    press(page, "Tiếp tục", then="Bạn muốn nhận kết quả")
    page.get_by_role("radiogroup", name="Bạn muốn nhận kết quả bằng cách nào?").get_by_text(
        "Nhận bản điện tử trên Cổng Dịch vụ công", exact=True).click()
    press(page, "Tiếp tục", then="Kiểm tra lại thông tin")
    press(page, "Nộp hồ sơ", then="Mã hồ sơ của bạn")
    code = page.locator(".cds-code").inner_text().strip()
    expect(strip(page)).to_contain_text("Bước 5/6", timeout=TICK)
    screenshot(page, "lesson-4-submitted-phone")

    with app_sandbox(app_data_dir) as db:  # the trainer plays the desk (its own journey covers the desk pages)
        desk.receive(db, code)
    expect(strip(page)).to_contain_text("Bước 6/6", timeout=TICK)  # ticks while the learner watches
    with app_sandbox(app_data_dir) as db:
        desk.process(db, code)
        desk.approve(db, code)
    page.get_by_role("link", name="Xem trong Quản lý hồ sơ").click()  # opens this dossier
    page.get_by_text("Tải kết quả điện tử").first.wait_for()
    wait_for_app(page)
    with page.expect_download():
        page.get_by_role("button", name="Tải kết quả điện tử (PDF)").click()
    expect(strip(page)).to_contain_text("câu hỏi ôn tập", timeout=TICK)
    screenshot(page, "lesson-4-result-downloaded-phone")
    with app_sandbox(app_data_dir) as db:
        ticked = [e["payload"]["step_id"] for e in events.for_persona(db, pid) if e["kind"] == "lesson.step_done"]
    assert ticked == ["login", "find_procedure", "declare", "submit", "track", "download_result"]


def test_the_lesson_list_and_a_step_on_a_laptop(app_url, new_page):
    page = new_page(LAPTOP)
    page.goto(f"{app_url}/lessons")
    wait_for_app(page)
    close_page_not_found(page)
    assert page.get_by_role("button", name="Chọn bài học").count() == 10
    screenshot(page, "lessons-list-laptop")
    start_lesson(page, app_url, "staying_safe")
    expect(main(page)).to_contain_text("Bước 1/4")
    screenshot(page, "lesson-7-step-1-laptop")
