"""Paying a dossier's fee by scanning (issue 14), in a real browser: the desk (laptop width)
shows a fee QR for a dossier; a phone that has never seen the persona opens the address its
camera read in a fresh tab, chooses its persona, comes back to the same payment and pays it,
once; then a photo of the desk's QR for another dossier, sent through the wallet's own
"Quét mã QR", is paid the same way. Served on a port of this journey's own (not 8501)."""

import io
import socket
import subprocess
import urllib.request

import pytest
import zxingcpp
from PIL import Image

from tests.browser.journeys import click, close_page_not_found, fill
from tests.browser.util import LAPTOP, PHONE, app_sandbox, screenshot, start_app, wait_for_app
from workbench.sandbox import scenarios
from workbench.sandbox.dossiers import desk as dossier_desk, records, samples
from workbench.sandbox.payments import scenario_settings, wallet

PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]
PORTS = range(8700, 8750)  # this journey's own ports: never 8501


def port_in_range() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail("no free port in 8700–8749")


@pytest.fixture(scope="module")
def app_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pay-by-scanning")


@pytest.fixture(scope="module")
def app_url(app_data_dir):
    process, base = start_app(app_data_dir, port=port_in_range())
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def desk_qr_for(desk, app_url, code: str) -> str:
    """At the desk: choose the dossier, make its QR, and read the QR as a phone camera would."""
    desk.locator(".st-key-desk_dossier input").first.click()
    desk.get_by_role("option").filter(has_text=code).click()
    wait_for_app(desk)
    desk.get_by_role("button", name="Tạo mã QR").click()
    desk.get_by_text("Quét mã để thanh toán").wait_for()
    wait_for_app(desk)
    src = desk.locator("[data-testid='stImage'] img").first.get_attribute("src")
    with urllib.request.urlopen(src if src.startswith("http") else app_url + src) as response:
        return zxingcpp.read_barcodes(Image.open(io.BytesIO(response.read())))[0].text


def photograph_the_qr(desk, path):
    """A picture of the QR as the screen shows it, centred first so that Streamlit's fixed header
    and the SANDBOX footer do not cover an edge. The desk's screen redraws every 2 s, so a shot
    can catch the image while it reloads: take it again, as a person would."""
    for _ in range(6):
        image = desk.locator("[data-testid='stImage'] img").first
        image.wait_for()
        desk.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=image.element_handle())
        image.evaluate("i => i.scrollIntoView({block: 'center'})")
        image.screenshot(path=str(path))
        if zxingcpp.read_barcodes(Image.open(path)):
            return path
        desk.wait_for_timeout(700)
    pytest.fail("the desk's QR never showed whole on the screen")


def test_a_fee_qr_scanned_by_a_phone_that_never_saw_the_persona_and_by_the_wallets_own_scan(
        app_url, app_data_dir, new_page, tmp_path):
    with app_sandbox(app_data_dir) as db:
        persona = scenarios.create(db, "ready", seed=140)
        online_new = samples.file_sample(db, persona["id"], "thuong_tru")["code"]     # online, "Mới"
        at_desk = dossier_desk.file_at_desk(db, persona["id"], "thuong_tru")["code"]  # "Đã tiếp nhận"
        fees = {code: records.get(db, code)["fee_unpaid"] for code in (online_new, at_desk)}
        start = wallet.wallet_balance(db, persona["id"]) if wallet.has_accounts(db, persona["id"]) else 200_000

    desk = new_page(LAPTOP)
    desk.goto(app_url + "/desk-qr")
    wait_for_app(desk)
    close_page_not_found(desk)
    url = desk_qr_for(desk, app_url, online_new)
    assert url.startswith(app_url + "/pay?t=") and ":8501" not in url
    screenshot(desk, "scan-1-desk-qr-laptop")

    # A second phone, a fresh context: the camera opened the address; no persona here yet.
    phone = new_page(PHONE)
    phone.goto(url)
    wait_for_app(phone)
    close_page_not_found(phone)
    phone.get_by_text("Bạn đang tập với nhân vật nào?").wait_for()
    assert "được giữ lại" in main_text(phone)
    screenshot(phone, "scan-2-who-phone")
    phone.get_by_role("link", name="Chọn nhân vật của tôi").click()
    wait_for_app(phone)
    phone.get_by_text("đang chờ", exact=False).first.wait_for()
    phone.locator(".st-key-persona_search input").fill(persona["cccd"])
    phone.locator(".st-key-persona_search input").press("Enter")
    wait_for_app(phone)
    screenshot(phone, "scan-3-choose-persona-phone")
    click(phone, "persona_choose")
    phone.get_by_text("Kiểm tra kỹ trước khi thanh toán").wait_for()  # back to the same payment
    wait_for_app(phone)
    assert online_new in main_text(phone) and f"{fees[online_new]:,}".replace(",", ".") in main_text(phone)
    screenshot(phone, "scan-4-check-phone")
    fill(phone, "pay_passcode", PASSCODE)
    phone.get_by_role("button", name="Thanh toán", exact=True).click()
    phone.get_by_text("Giao dịch thành công").wait_for()
    screenshot(phone, "scan-5-paid-phone")
    desk.locator(".cds-panel-title", has_text="Đã nhận tiền").wait_for(timeout=20_000)
    with app_sandbox(app_data_dir) as db:
        paid = records.get(db, online_new)
        assert paid["paid_channel"] == "desk_qr" and paid["fee_unpaid"] == 0
        assert db.execute("select count(*) from payments where dossier_code = ?", [online_new]).fetchone()[0] == 1
        assert wallet.wallet_balance(db, persona["id"]) == start - fees[online_new]

    # The same kind of payment through the wallet's own "Quét mã QR", from a photo of the desk's QR.
    desk.get_by_role("button", name="Mã mới").click()
    wait_for_app(desk)
    desk_qr_for(desk, app_url, at_desk)
    photo = photograph_the_qr(desk, tmp_path / "desk-qr-photo.png")
    phone.locator("[data-testid='stSidebarNav'] a[href$='/wallet']").first.dispatch_event("click")
    wait_for_app(phone)
    phone.get_by_text("Quét mã QR", exact=True).first.wait_for()
    secrets_box = phone.locator("[data-testid='stExpander']").filter(has_text="Mật khẩu và mã của nhân vật").first
    secrets_box.locator("summary").click()  # the persona's card: the wallet passcode is on it (item 3)
    secrets_box.get_by_text(PASSCODE, exact=False).wait_for()
    screenshot(phone, "scan-6-wallet-scan-phone")
    phone.locator(".st-key-wallet_scan_photo input[type='file']").set_input_files(str(photo))
    phone.get_by_text("Kiểm tra kỹ trước khi thanh toán").wait_for()
    wait_for_app(phone)
    assert at_desk in main_text(phone)
    fill(phone, "pay_passcode", PASSCODE)
    phone.get_by_role("button", name="Thanh toán", exact=True).click()
    phone.get_by_text("Giao dịch thành công").wait_for()
    screenshot(phone, "scan-7-wallet-scan-paid-phone")
    with app_sandbox(app_data_dir) as db:
        assert records.get(db, at_desk)["paid_channel"] == "desk_qr"
        assert db.execute("select count(*) from payments where dossier_code = ?", [at_desk]).fetchone()[0] == 1
        assert wallet.wallet_balance(db, persona["id"]) == start - fees[online_new] - fees[at_desk]
    assert phone.locator("[data-testid='stException']").count() == 0
    assert desk.locator("[data-testid='stException']").count() == 0
