"""The wallet's own "Quét mã QR" from a photo (issue 14): a desk QR read from a phone photo,
clear refusals for a photo with no QR, a QR that is not a sandbox payment, a spent or expired
one, and limits on the photo (bytes, pixels) that refuse a decompression bomb from its header."""

import datetime as dt
import io
import struct
import zlib

import pytest
from PIL import Image

from workbench import clock, qr
from workbench.sandbox import scenarios
from workbench.sandbox.payments import desk_qr, gateway, photo_scan, providers, scenario_settings
from workbench.sandbox.payments.schema import PaymentError

PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]
LAN = "http://192.168.1.10:8630"


@pytest.fixture
def lan(monkeypatch):
    monkeypatch.setattr("workbench.network.public_url", lambda path="", port=None: f"{LAN}/{path}")


@pytest.fixture
def persona(sandbox_db):
    return scenarios.create(sandbox_db, "ready", seed=21)


def photo_of(payload: str, *, fmt: str = "JPEG") -> bytes:
    """A phone-like photo: the QR small, turned a little, on a grey desk, saved as JPEG."""
    code = Image.open(io.BytesIO(qr.png(payload, box_size=6))).convert("L").rotate(8, expand=True, fillcolor=255)
    scene = Image.new("L", (1800, 1400), 120)
    scene.paste(code, (500, 300))
    out = io.BytesIO()
    scene.save(out, format=fmt, quality=80)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels in a few hundred bytes (a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
            + chunk(b"IEND", b""))


def real_bomb(width: int, height: int) -> bytes:
    """A real, complete PNG of ``width`` × ``height`` white pixels: tiny on the wire, huge in memory."""
    out = io.BytesIO()
    Image.new("1", (width, height), 1).save(out, format="PNG", optimize=True)
    return out.getvalue()


def refusal(call) -> str:
    with pytest.raises(PaymentError) as refused:
        call()
    return refused.value.key.rsplit(".", 1)[-1]


def test_a_photo_of_the_desk_qr_opens_that_payment_and_it_is_paid(sandbox_db, persona, lan):
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí chứng thực")
    assert request["payload"].startswith(LAN + "/pay?t=")
    found = desk_qr.scan_photo(sandbox_db, persona["id"], photo_of(request["payload"]))
    assert found["id"] == request["id"]
    gateway.pay(sandbox_db, persona["id"], desk_qr.request_payable(found), provider_id="chim_en", passcode=PASSCODE,
                attempt_key=gateway.new_attempt_key())
    assert refusal(lambda: desk_qr.scan_photo(sandbox_db, persona["id"], photo_of(request["payload"]))) == "already_paid"


def test_a_photo_of_the_typed_code_qr_works_when_the_laptop_has_no_network(sandbox_db, persona, monkeypatch):
    monkeypatch.setattr("workbench.network.public_url", lambda path="", port=None: None)
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí")
    assert request["payload"].startswith("MO-PHONG-")
    assert desk_qr.scan_photo(sandbox_db, persona["id"], photo_of(request["payload"], fmt="PNG"))["id"] == request["id"]


def test_an_expired_qr_in_a_photo_says_it_expired(sandbox_db, persona, lan):
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí", minutes=1)
    clock.advance(sandbox_db, dt.timedelta(minutes=2))
    assert refusal(lambda: desk_qr.scan_photo(sandbox_db, persona["id"], photo_of(request["payload"]))) == "expired"


def test_a_forged_link_to_the_pay_page_is_refused(sandbox_db, persona):
    forged = f"{LAN}/pay?t=AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBB"
    assert refusal(lambda: desk_qr.scan_photo(sandbox_db, persona["id"], photo_of(forged))) == "invalid_code"


@pytest.mark.parametrize("content, reason", [
    ("000201010212385400A000000727012400069704360110012345678952045812530370454061500005802VN6304ABCD",
     "photo_bank_qr"),
    ("https://example.com/khuyen-mai", "photo_not_sandbox"),
    ("Xin chào", "photo_not_sandbox"),
])
def test_a_qr_that_is_not_a_sandbox_payment_is_named_as_such(sandbox_db, persona, content, reason):
    assert refusal(lambda: desk_qr.scan_photo(sandbox_db, persona["id"], photo_of(content))) == reason


def test_a_photo_with_no_qr_asks_for_another_photo(sandbox_db, persona):
    blank = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 140, 60)).save(blank, format="JPEG")
    assert refusal(lambda: desk_qr.scan_photo(sandbox_db, persona["id"], blank.getvalue())) == "photo_no_qr"


@pytest.mark.parametrize("data, reason", [
    (b"", "photo_empty"),
    (b"not a picture at all", "photo_not_image"),
    (b"\xff" * (photo_scan.MAX_PHOTO_BYTES + 1), "photo_too_large"),
    (real_bomb(7_000, 7_000), "photo_too_many_pixels"),              # 49 MP in a few kB: over our limit
    (png_header_only(50_000, 50_000), "photo_too_many_pixels"),      # 2,500 MP: Pillow's bomb guard
])
def test_a_photo_over_the_limits_is_refused_before_its_pixels_are_decoded(sandbox_db, persona, data, reason):
    assert len(data) < 100_000 or reason == "photo_too_large"  # the bombs are a few kilobytes
    assert refusal(lambda: desk_qr.scan_photo(sandbox_db, persona["id"], data)) == reason


def test_only_a_pay_link_or_a_typed_code_is_read_as_a_payment():
    assert photo_scan.payment_in(f"{LAN}/pay?t=abc.def") == {"token": "abc.def"}
    assert photo_scan.payment_in("mo-phong-KHM-4QX") == {"code": "KHM-4QX"}
    assert photo_scan.payment_in(f"{LAN}/wallet?t=abc") is None
    assert photo_scan.payment_in("javascript:alert(1)") is None
