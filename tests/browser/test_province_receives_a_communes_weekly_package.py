"""A commune official makes the week's signed package on the reports page; a province official,
on another installation, imports it, confirms the commune's fingerprint words and sees the
commune on the province's dashboard (issue 16). Two servers, two data folders, as two laptops."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import tracker_sign_in
from tests.browser.util import LAPTOP, PHONE, ROOT, app_tracker, screenshot, start_app, wait_for_app

PORTS = (8921, 8922)  # this journey's two servers
USERNAME, SECRET = "pkg.official", "package-secret"
PROVINCE = "Tỉnh Đắk Sen"  # the demo commune's province (sandbox_data/commune.toml)


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def two_installations():
    commune_dir = Path(tempfile.mkdtemp(prefix="cds-commune-"))
    province_dir = Path(tempfile.mkdtemp(prefix="cds-province-"))
    env = {"CDS_DATA_DIR": str(province_dir)}
    subprocess.run([sys.executable, "-m", "workbench", "init", "--province", PROVINCE], cwd=ROOT, check=True,
                   capture_output=True, env={**os.environ, **env})
    commune, commune_url = start_app(commune_dir, port=PORTS[0])
    province, province_url = start_app(province_dir, port=PORTS[1])
    yield commune_dir, commune_url, province_dir, province_url
    stop(commune)
    stop(province)
    shutil.rmtree(commune_dir, ignore_errors=True)
    shutil.rmtree(province_dir, ignore_errors=True)


def test_a_province_receives_a_communes_weekly_package(two_installations, new_page, tmp_path):
    from workbench import databases, keys
    from workbench.tracker import auth, package

    commune_dir, commune_url, province_dir, province_url = two_installations
    with app_tracker(commune_dir) as db:
        auth.create_first_official(db, username=USERNAME, display_name="Chị Hoa", secret=SECRET)
        package.set_commune_code(db, "24469", actor="test")
        words = keys.fingerprint_words(keys.public_key_b64())
    with app_tracker(province_dir):  # the province's folder; its own database
        auth.create_first_official(databases.province(), username=USERNAME, display_name="Anh Tỉnh", secret=SECRET)

    # The commune: the reports page, the week under way, the package downloaded.
    page = new_page(PHONE)
    tracker_sign_in(page, USERNAME, SECRET, commune_url + "/tracker-reports")
    page.get_by_role("button", name="Tạo gói báo cáo tuần").click()
    wait_for_app(page)
    expect(page.get_by_text("Đã tạo gói tuần")).to_be_visible(timeout=120_000)
    for word in words:
        expect(page.get_by_text(word).first).to_be_attached()
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải gói về").click()
    file = tmp_path / download.value.suggested_filename
    download.value.save_as(file)
    assert file.name == f"24469-{package.current_week()}.congdanso.json"
    screenshot(page, "commune-weekly-package-phone")

    # The province: upload, confirm the words heard on the phone, see the commune.
    page = new_page(PHONE)
    tracker_sign_in(page, USERNAME, SECRET, province_url + "/province-import")
    page.locator("input[type='file']").set_input_files(str(file))
    page.get_by_role("button", name="Nhập các gói").click()
    wait_for_app(page)
    expect(page.get_by_text("Xã mới: xác nhận mã nhận diện")).to_be_visible()
    for word in words:
        expect(page.get_by_text(word, exact=True).first).to_be_visible()
    screenshot(page, "province-confirm-fingerprint-phone")
    page.get_by_role("button", name="Trùng khớp, nhận gói").click()
    wait_for_app(page)
    expect(page.get_by_text("Đã nhập 1 gói mới")).to_be_visible()

    page.set_viewport_size(LAPTOP)
    page.get_by_role("link", name="Các xã báo cáo").click()
    wait_for_app(page)
    expect(page.get_by_text("Xã Ea Lành").first).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("1/1")
    page.locator("[data-testid='stVegaLiteChart']").nth(1).wait_for()
    screenshot(page, "province-dashboard-laptop")
    page.set_viewport_size(PHONE)
    wait_for_app(page)
    width = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert width <= PHONE["width"] + 1, "nothing wider than the phone"
    screenshot(page, "province-dashboard-phone")
