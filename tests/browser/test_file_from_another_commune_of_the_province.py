"""A woman who lives in another commune of the province asks for a marital-status
confirmation at this commune, on her phone, and the commune's desk receives it (issue 13:
since 1/7/2025 the commune's public-service centre accepts dossiers regardless of
administrative boundary within the province, Decree 118/2025/NĐ-CP). Both at 360×740."""

from __future__ import annotations

from tests.browser.journeys import portal_login
from tests.browser.util import PHONE, app_sandbox, screenshot, wait_for_app
from workbench.sandbox import documents, scenarios
from tests.browser.journeys import desk_receives
from tests.browser.journeys import press




def choose(page, group: str, option: str) -> None:
    page.get_by_role("radiogroup", name=group).get_by_text(option, exact=True).click()


def test_a_resident_of_another_commune_files_here_and_the_desk_receives_it(app_url, app_data_dir, new_page):
    with app_sandbox(app_data_dir) as db:
        person = scenarios.create(db, "ready", home="same_province")
    assert person["commune"] == "Xã Cư Sen"
    ok = documents.sample_variants(person["id"], "cccd_front").index("ok") + 1

    citizen = new_page(PHONE)
    portal_login(citizen, app_url, person["id"])
    citizen.locator("[data-testid='stPageLink'] a[href$='services']").first.click()
    wait_for_app(citizen)
    citizen.get_by_role("textbox", name="Tìm thủ tục").fill("tình trạng hôn nhân")
    press(citizen, "Tìm kiếm")
    press(citizen, "Xem thủ tục", then="Giấy tờ cần chuẩn bị")
    press(citizen, "Nộp hồ sơ trực tuyến", then="Thông tin người nộp hồ sơ")
    # her place of residence comes from the population database: another commune of the province
    assert citizen.get_by_role("textbox", name="Nơi cư trú").input_value().endswith(
        f"Xã Cư Sen, {person['province']}")
    screenshot(citizen, "services-other-commune-phone")
    press(citizen, "Tiếp tục", then="Mục đích xác nhận")
    choose(citizen, "Mục đích sử dụng", "kết hôn")
    press(citizen, "Tiếp tục", then="Ảnh trong máy")
    press(citizen, f"Chọn ảnh {ok}", then="Đã đính kèm ảnh")
    press(citizen, "Tiếp tục", then="Bạn muốn nhận kết quả")
    choose(citizen, "Bạn muốn nhận kết quả bằng cách nào?", "Nhận bản điện tử trên Cổng Dịch vụ công")
    press(citizen, "Tiếp tục", then="Kiểm tra lại thông tin")
    press(citizen, "Nộp hồ sơ", then="Mã hồ sơ của bạn")
    code = citizen.locator(".cds-code").inner_text().strip()

    # the commune's desk finds it in its queue and receives it
    desk = new_page(PHONE)
    desk_receives(desk, app_url, code)
    assert "Xã Cư Sen" in desk.locator("[data-testid='stMain']").inner_text()
    press(desk, "Tiếp nhận hồ sơ", then="Đã cập nhật hồ sơ")
    screenshot(desk, "desk-received-other-commune-phone")

    with app_sandbox(app_data_dir) as db:
        from workbench.sandbox.dossiers import records
        assert records.get(db, code)["status"] == "received"
