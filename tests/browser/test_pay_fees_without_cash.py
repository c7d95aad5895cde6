"""Paying fees without cash (issue 5), in a real browser at phone size:
a dossier's fee through the portal's payment gateway; a desk QR paid from a second phone
that opens the QR's link, the desk screen turning to "Đã nhận tiền"; and a payment refused
for lack of money, a top-up, then success."""

import io
import urllib.request

import zxingcpp
from PIL import Image

from tests.browser.journeys import click, close_page_not_found, fill, new_persona, portal_login
from tests.browser.util import LAPTOP, PHONE, app_sandbox, screenshot, wait_for_app
from workbench import i18n
from workbench.sandbox.dossiers import desk, records
from workbench.sandbox.payments import desk_qr, providers, scenario_settings, wallet

PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def awaiting_payment(app_data_dir, persona_id) -> tuple[str, int]:
    """A residence dossier the desk has approved, its fee asked for: its code and the fee, which
    is the rule's on the sandbox date (the 2025–2026 cut, then the full amount)."""
    with app_sandbox(app_data_dir) as db:
        row = desk.file_at_desk(db, persona_id, "thuong_tru")
        desk.process(db, row["code"])
        approved = desk.approve(db, row["code"])
        return approved["code"], approved["amount_due"]


def open_in_app(page, url_path: str) -> None:
    """Follow the app's own navigation (keeps this browser's Streamlit session and log-in)."""
    page.locator(f"[data-testid='stSidebarNav'] a[href$='/{url_path}']").first.dispatch_event("click")
    wait_for_app(page)


def test_a_dossier_fee_is_paid_through_the_gateway_on_a_phone(app_url, app_data_dir, new_page):
    page = new_page(PHONE)
    persona_id = new_persona(app_data_dir, "ready")
    code, fee = awaiting_payment(app_data_dir, persona_id)
    portal_login(page, app_url, persona_id)

    open_in_app(page, "dossiers")  # Quản lý hồ sơ → the dossier → Thanh toán
    page.get_by_role("button", name="Xem chi tiết").first.click()  # the persona's only dossier
    wait_for_app(page)
    click(page, "pay")
    page.get_by_text("Chọn ngân hàng hoặc trung gian thanh toán", exact=True).wait_for()
    screenshot(page, "payment-1-choose-phone")
    page.get_by_text("Ví Chim Én (mô phỏng)").first.click()
    wait_for_app(page)
    click(page, "choose_continue")
    assert "Kiểm tra thông tin thanh toán" in main_text(page)
    assert i18n.format_money(fee) in main_text(page)
    click(page, "check_confirm")
    fill(page, "gateway_passcode", PASSCODE)
    screenshot(page, "payment-2-authorise-phone")
    page.get_by_role("button", name="Xác thực").click()
    page.get_by_text("Giao dịch thành công").wait_for()
    wait_for_app(page)
    assert page.get_by_role("button", name="Tải biên lai điện tử (PDF)").is_visible()
    screenshot(page, "payment-3-success-phone")
    with app_sandbox(app_data_dir) as db:
        assert records.get(db, code)["status"] == "result_ready"
        assert wallet.wallet_balance(db, persona_id) == 200_000 - fee


def decode_qr(page, app_url) -> str:
    """Read the desk's QR the way a phone camera does: decode the image on the screen."""
    src = page.locator("[data-testid='stImage'] img").first.get_attribute("src")
    with urllib.request.urlopen(src if src.startswith("http") else app_url + src) as response:
        image = Image.open(io.BytesIO(response.read()))
    return zxingcpp.read_barcodes(image)[0].text


def test_a_desk_qr_is_paid_from_a_second_phone_and_the_desk_turns_to_received(app_url, new_page):
    desk = new_page(LAPTOP)
    desk.goto(app_url + "/desk-qr")
    wait_for_app(desk)
    close_page_not_found(desk)
    fill(desk, "desk_amount_None", "15000")
    desk.get_by_role("button", name="Tạo mã QR").click()
    desk.get_by_text("Quét mã để thanh toán").wait_for()
    wait_for_app(desk)
    screenshot(desk, "desk-qr-laptop")
    url = decode_qr(desk, app_url)
    assert url.startswith(app_url + "/pay?t=")

    phone = new_page(PHONE)  # a second browser: the learner's phone opens the link the camera read
    phone.goto(url)
    wait_for_app(phone)
    close_page_not_found(phone)
    click(phone, "new_persona")
    phone.get_by_text("Kiểm tra kỹ trước khi thanh toán").wait_for()
    assert "15.000 đ" in main_text(phone) and "UBND xã Ea Lành" in main_text(phone)
    screenshot(phone, "pay-qr-check-phone")
    fill(phone, "pay_passcode", PASSCODE)
    phone.get_by_role("button", name="Thanh toán", exact=True).click()
    phone.get_by_text("Giao dịch thành công").wait_for()
    screenshot(phone, "pay-qr-success-phone")

    # Only a re-run of the fragment (every 2 s, on its own thread) can draw this panel.
    desk.locator(".cds-panel-title", has_text="Đã nhận tiền").wait_for(timeout=20_000)
    assert "15.000 đ" in desk.locator(".cds-panel-body").inner_text()
    assert desk.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count() == 0
    screenshot(desk, "desk-qr-received-laptop")


def test_insufficient_balance_then_a_top_up_then_the_payment_goes_through(app_url, app_data_dir, new_page):
    persona_id = new_persona(app_data_dir, "ready")
    with app_sandbox(app_data_dir) as db:
        wallet.arm_scenario(db, persona_id, "insufficient_balance")
        request = desk_qr.issue_desk_qr(db, 20_000, providers.fee_payee_id(), "Phí chứng thực")
    page = new_page(PHONE)
    page.goto(f"{app_url}/pay?t={request['token']}&p={persona_id}")
    wait_for_app(page)
    close_page_not_found(page)
    fill(page, "pay_passcode", PASSCODE)
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.get_by_text("Số dư không đủ").wait_for()
    wait_for_app(page)
    assert "còn thiếu 15.000 đ" in main_text(page)
    screenshot(page, "pay-insufficient-phone")

    page.get_by_role("link", name="Nạp tiền vào ví").click()
    wait_for_app(page)
    page.locator(".st-key-topup_amount input").fill("50000")
    fill(page, "topup_passcode", PASSCODE)
    page.get_by_role("button", name="Nạp tiền", exact=True).click()
    page.get_by_text("Đã nạp 50.000 đ").wait_for()
    screenshot(page, "wallet-topped-up-phone")

    page.go_back()  # back to the payment, as a learner would
    wait_for_app(page)
    fill(page, "pay_passcode", PASSCODE)
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.get_by_text("Giao dịch thành công").wait_for()
    with app_sandbox(app_data_dir) as db:
        assert wallet.wallet_balance(db, persona_id) == 5_000 + 50_000 - 20_000
        assert desk_qr.request_status(db, request["id"])["status"] == "paid"
