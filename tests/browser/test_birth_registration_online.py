"""A mother registers her baby's birth on her phone in the evening, from the portal log-in to
the downloaded electronic result, while a second browser plays the commune's one-stop desk:
it receives the dossier, asks for a supplement because the birth-certificate photo is
blurry, then processes, approves and returns the result. Both at 360×740."""

from __future__ import annotations

import re

from tests.browser import axe
from tests.browser.journeys import new_persona, portal_login
from tests.browser.util import PHONE, app_sandbox, screenshot, wait_for_app
from workbench import clock, events
from workbench.sandbox import documents
from tests.browser.journeys import desk_receives
from tests.browser.journeys import fill_mother_page
from tests.browser.journeys import press




def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def choose(page, group: str, option: str) -> None:
    page.get_by_role("radiogroup", name=group).get_by_text(option, exact=True).click()


def test_birth_registration_with_a_supplement_request_to_the_downloaded_result(app_url, app_data_dir, new_page):
    persona_id = new_persona(app_data_dir, "ready")
    with app_sandbox(app_data_dir) as db:
        today = clock.now(db).strftime("%d/%m/%Y")
    order = documents.sample_variants(persona_id, "giay_chung_sinh")
    blurry, clear = order.index("blurry") + 1, order.index("ok") + 1

    citizen = new_page(PHONE)
    portal_login(citizen, app_url, persona_id)
    citizen.locator("[data-testid='stPageLink'] a[href$='services']").first.click()
    wait_for_app(citizen)

    # find the procedure, read it, start filing
    citizen.get_by_role("textbox", name="Tìm thủ tục").fill("khai sinh")
    press(citizen, "Tìm kiếm")
    screenshot(citizen, "services-search-phone")
    axe.check(citizen, "the portal's procedure search")
    press(citizen, "Xem thủ tục", then="Giấy tờ cần chuẩn bị")
    assert "Giấy chứng sinh" in main_text(citizen)
    press(citizen, "Nộp hồ sơ trực tuyến", then="Thông tin người nộp hồ sơ")

    # page 1 is pre-filled from the population database; page 2 is about the child
    press(citizen, "Tiếp tục", then="Thông tin người được khai sinh")
    citizen.get_by_role("textbox", name="Họ, chữ đệm và tên của trẻ").fill("Nguyễn Thị Mai")
    citizen.get_by_role("textbox", name="Ngày sinh (ngày/tháng/năm)").fill("32/13/2025")
    citizen.get_by_role("textbox", name="Nơi sinh").fill("Trạm y tế xã Ea Lành")
    citizen.get_by_role("textbox", name="Dân tộc").fill("Kinh")
    citizen.get_by_role("textbox", name="Quốc tịch").fill("Việt Nam")
    citizen.get_by_role("textbox", name="Quê quán").fill("Xã Ea Lành")
    choose(citizen, "Giới tính", "nữ")
    choose(citizen, "Quan hệ với người được khai sinh", "mẹ")
    press(citizen, "Tiếp tục", then="Ngày chưa đúng dạng")
    screenshot(citizen, "services-form-error-phone")
    axe.check(citizen, "a form page with an error")
    citizen.get_by_role("textbox", name="Ngày sinh (ngày/tháng/năm)").fill(today)
    press(citizen, "Tiếp tục", then="Thông tin người mẹ")

    # the parents' pages, as the real Tờ khai đăng ký khai sinh asks (issue 13)
    fill_mother_page(citizen, "Nguyễn Thị Hoa", "Thôn 1, Xã Ea Lành")
    press(citizen, "Tiếp tục", then="Thông tin người cha")
    press(citizen, "Tiếp tục", then="Ảnh trong máy")

    # attach the blurry photo by mistake; how to receive; check; submit
    press(citizen, f"Chọn ảnh {blurry}", then="Đã đính kèm ảnh")
    screenshot(citizen, "services-documents-phone")
    axe.check(citizen, "attaching the papers' photos")
    press(citizen, "Tiếp tục", then="Bạn muốn nhận kết quả")
    choose(citizen, "Bạn muốn nhận kết quả bằng cách nào?", "Nhận bản điện tử trên Cổng Dịch vụ công")
    press(citizen, "Tiếp tục", then="Kiểm tra lại thông tin")
    assert "Nguyễn Thị Mai" in main_text(citizen)
    screenshot(citizen, "services-check-answers-phone")
    axe.check(citizen, "check your answers")
    press(citizen, "Nộp hồ sơ", then="Mã hồ sơ của bạn")
    code = citizen.locator(".cds-code").inner_text().strip()
    assert re.fullmatch(r"DVC-\d{6}-[A-Z2-9]{8}", code)
    screenshot(citizen, "services-confirmation-phone")
    axe.check(citizen, "the dossier's confirmation")

    # the desk, in its own browser: receive, then ask for a clear photo
    desk = new_page(PHONE)
    desk_receives(desk, app_url, code)
    press(desk, "Tiếp nhận hồ sơ", then="Đã cập nhật hồ sơ")
    desk.get_by_role("textbox", name="Giấy tờ cần bổ sung và lý do").fill("Ảnh Giấy chứng sinh bị mờ. Đề nghị chụp lại rõ nét.")
    press(desk, "Yêu cầu bổ sung", then="Yêu cầu bổ sung đang chờ")
    screenshot(desk, "desk-supplement-requested-phone")

    # the citizen sees the request in Quản lý hồ sơ and attaches a clear photo
    citizen.get_by_role("link", name="Xem trong Quản lý hồ sơ").click()
    wait_for_app(citizen)
    citizen.get_by_text("Ảnh Giấy chứng sinh bị mờ").first.wait_for()
    axe.check(citizen, "the desk's supplement request in Quản lý hồ sơ")
    press(citizen, f"Chọn ảnh {clear}", then="Đã đính kèm ảnh")
    press(citizen, "Gửi bổ sung", then="Đã gửi bổ sung")
    screenshot(citizen, "dossiers-supplemented-phone")

    # the desk processes, approves and returns the result
    press(desk, "‹ Về hàng chờ", then="Mở hồ sơ")
    press(desk, "Mở hồ sơ", then="Chuyển xử lý")
    for step, status in (("Chuyển xử lý", "Đang xử lý"), ("Duyệt hồ sơ", "Đã có kết quả"),
                         ("Trả kết quả", "Đã trả kết quả")):
        press(desk, step, then=f"Đã cập nhật hồ sơ {code}: {status}")

    # the citizen downloads the electronic result and rates the service
    press(citizen, "‹ Danh sách hồ sơ", then="Xem chi tiết")
    press(citizen, "Xem chi tiết", then="Tải kết quả điện tử")
    with citizen.expect_download() as download:
        citizen.get_by_role("button", name="Tải kết quả điện tử (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    wait_for_app(citizen)
    choose(citizen, "Bạn hài lòng với việc giải quyết hồ sơ này ở mức nào?", "5 — Rất hài lòng")
    press(citizen, "Gửi đánh giá", then="Bạn đã đánh giá")
    screenshot(citizen, "dossiers-rated-phone")
    axe.check(citizen, "the dossier, rated")

    with app_sandbox(app_data_dir) as db:
        kinds = [e["kind"] for e in events.for_persona(db, persona_id) if e["kind"].startswith("dossier.")]
    for kind in ("dossier.submitted", "dossier.supplement_requested", "dossier.supplemented",
                 "dossier.result_returned", "dossier.result_downloaded", "dossier.rated"):
        assert kind in kinds, kind
