"""A volunteer uploads the sheet their team kept, on a phone: the dry run lists the bad row with
its row number and column, nothing is written until they choose, then the good rows go in."""

import pytest

from tests.browser.journeys import tracker_sign_in
from tests.browser.test_volunteer_adds_a_citizen import accounts  # noqa: F401 - fixture
from tests.browser.util import PHONE, app_tracker, screenshot, wait_for_app
from workbench.tracker.importer import TEMPLATE_HEADERS


@pytest.fixture
def sheet(tmp_path, accounts):  # noqa: F811 - the fixture imported above
    village = accounts["village"]
    lines = [",".join(TEMPLATE_HEADERS),
             f"H'Nga Êban,1992,Nữ,Ê Đê,{village},,x,có,,,,15/03/2025,",
             f"Y Blu Knul,19x0,Nam,Ê Đê,{village},,x,,,,,15/03/2025,"]
    path = tmp_path / "to-cns.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    return path


def test_a_volunteer_imports_a_sheet_after_a_dry_run(app_url, new_page, app_data_dir, sheet):
    from workbench.tracker import citizens

    page = new_page(PHONE)
    page.goto(app_url)
    wait_for_app(page)
    page.goto(app_url + "/tracker-import")
    tracker_sign_in(page, "bt.tnv", "246810")
    page.locator("input[type=file]").set_input_files(str(sheet))
    wait_for_app(page)
    page.get_by_role("button", name="Chạy thử (chưa ghi)").click()
    wait_for_app(page)
    page.get_by_text("Dòng 3, cột “Năm sinh”").wait_for()
    screenshot(page, "tracker-import-dry-run-phone")
    with app_tracker(app_data_dir) as db:
        assert citizens.search(db, "h'nga eban") == []  # the dry run wrote nothing

    page.get_by_text("Chỉ nhập các dòng đúng", exact=True).click()
    wait_for_app(page)
    page.get_by_text("Mọi người trong tệp đã đồng ý cho xã lưu thông tin", exact=True).click()
    wait_for_app(page)
    page.get_by_role("button", name="Nhập vào sổ").click()
    wait_for_app(page)
    page.get_by_text("Đã nhập: tạo mới 1").wait_for()
    screenshot(page, "tracker-import-committed-phone")
    with app_tracker(app_data_dir) as db:
        [found] = citizens.search(db, "h'nga eban")
        assert set(citizens.milestones_of(db, found["id"])) == {"vneid2", "dvc"}
        assert citizens.search(db, "y blu knul") == []
