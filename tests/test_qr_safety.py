"""Safety by construction (issue 5): no sandbox QR can be paid by a real banking app.

A real Vietnamese bank QR is an EMVCo payload: tag-length-value fields starting with
``000201``, the VietQR/NAPAS application id ``A000000727``, a service code ``QRIBFTTA`` or
``QRIBFTTC``, a ``9704xx`` bank BIN, an account number, and a CRC. Ours is a link to this
laptop carrying a token only this installation signs, spendable once, before it expires.
"""

import io
import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from workbench import clock, network, qr
from workbench.sandbox import scenarios
from workbench.sandbox.payments import desk_qr, gateway, providers, scenario_settings, tokens
from workbench.sandbox.payments import schema as payment_schema

ROOT = Path(__file__).resolve().parent.parent
PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]


class NotEmvco(ValueError):
    pass


def crc16_ccitt(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def parse_emvco(payload: str) -> dict[str, str]:
    """Parse an EMVCo merchant-presented QR payload into {tag: value}, or raise NotEmvco.

    The whole string must be tag(2 digits) length(2 digits) value fields, the first being the
    payload format indicator 00 = "01" and the last the CRC (tag 63, 4 hex digits) over
    everything before it — what a banking app checks before it shows "pay".
    """
    fields, position = {}, 0
    while position < len(payload):
        head = payload[position:position + 4]
        if len(head) < 4 or not head.isdigit():
            raise NotEmvco(f"no tag/length at {position}")
        tag, length = head[:2], int(head[2:])
        value = payload[position + 4:position + 4 + length]
        if len(value) != length:
            raise NotEmvco(f"tag {tag} runs past the end")
        fields[tag] = value
        position += 4 + length
    if not fields or next(iter(fields)) != "00" or fields["00"] != "01":
        raise NotEmvco("no payload format indicator 000201")
    if list(fields)[-1] != "63" or not re.fullmatch(r"[0-9A-F]{4}", fields["63"]):
        raise NotEmvco("no CRC")
    if int(fields["63"], 16) != crc16_ccitt(payload[:-4].encode()):
        raise NotEmvco("wrong CRC")
    return fields


def emvco_sample() -> str:
    """A made-up but well-formed EMVCo payload, to prove the parser accepts what it should."""
    body = "000201" + "010211" + "3804" + "0000" + "5303704" + "5802VN" + "6304"
    return body + f"{crc16_ccitt(body.encode()):04X}"


def test_the_parser_accepts_a_well_formed_emvco_payload_and_rejects_a_broken_crc():
    good = emvco_sample()
    assert parse_emvco(good)["00"] == "01"
    with pytest.raises(NotEmvco):
        parse_emvco(good[:-1] + ("0" if good[-1] != "0" else "1"))


@pytest.fixture
def many_payloads(sandbox_db, monkeypatch):
    """Desk QRs as the hall sees them: with a LAN address, with an odd one, and with no network."""
    out = []
    for base in ("http://192.168.1.10:8501", "http://10.0.0.201:8501", None):
        if base:
            monkeypatch.setenv("CDS_PUBLIC_URL", base)
        else:
            monkeypatch.delenv("CDS_PUBLIC_URL", raising=False)
            monkeypatch.setattr(network, "lan_addresses", lambda: [])
        for n in range(40):
            request = desk_qr.issue_desk_qr(sandbox_db, 1000 + 970_400 * n, providers.fee_payee_id(),
                                            f"Phí 000201 9704{n:02d} A000000727")
            out.append(request["payload"])
    out += [desk_qr.issue_scam_qr(sandbox_db, desk_qr.issue_desk_qr(
        sandbox_db, 20_000, providers.fee_payee_id(), "Phí")["id"])["payload"]]
    return out


def test_every_generated_payload_fails_the_emvco_parser(many_payloads):
    for payload in many_payloads:
        with pytest.raises(NotEmvco):
            parse_emvco(payload)


def test_no_payload_carries_a_bank_qr_marker_a_bin_or_an_account_number(many_payloads):
    assert any(p.startswith("MO-PHONG-") for p in many_payloads)  # the no-network case was covered
    for payload in many_payloads:
        upper = payload.upper()
        assert not upper.startswith("000201"), payload
        for marker in ("000201", "A000000727", "QRIBFTTA", "QRIBFTTC"):
            assert marker not in upper, payload
        assert not re.search(r"9704\d\d", payload), payload
        assert not re.search(r"\d{6,}", payload), payload  # nothing that reads as an account number


def test_tokens_never_hold_a_marker_even_when_drawn_many_times():
    for n in range(2000):
        _, token = tokens.new_token("2026-01-01T00:00:00+07:00", 1000 + n, "ubnd_ea_lanh", "Phí")
        assert not tokens.looks_like_bank_qr(token) and not re.search(r"\d{6,}", token)


def test_the_qr_png_decodes_to_exactly_the_payload(sandbox_db, monkeypatch):
    monkeypatch.setenv("CDS_PUBLIC_URL", "http://192.168.1.10:8501")
    request = desk_qr.issue_desk_qr(sandbox_db, 20_000, providers.fee_payee_id(), "Phí chứng thực")
    image = Image.open(io.BytesIO(qr.png(request["payload"], box_size=16)))
    decoded = zxingcpp.read_barcodes(image)
    assert [d.text for d in decoded] == [request["payload"]]
    assert decoded[0].format == zxingcpp.BarcodeFormat.QRCode
    assert image.width >= 400  # large modules: readable on a projector from the back of a hall


# --- tokens: this installation, once, before expiry -----------------------------------------

def test_a_token_from_another_installation_is_refused(sandbox_db, data_dir):
    request = desk_qr.issue_desk_qr(sandbox_db, 10_000, providers.fee_payee_id(), "Phí")
    assert desk_qr.find_request(sandbox_db, token=request["token"])["id"] == request["id"]
    key_file = tokens.key_path()
    key_file.write_text("ab" * tokens.KEY_BYTES)  # another laptop's key
    with pytest.raises(payment_schema.PaymentError) as refused:
        desk_qr.find_request(sandbox_db, token=request["token"])
    assert refused.value.key == "payments.error.invalid_code"


def test_an_edited_or_made_up_token_is_refused(sandbox_db):
    request = desk_qr.issue_desk_qr(sandbox_db, 10_000, providers.fee_payee_id(), "Phí")
    nonce, signature = request["token"].split(".")
    edited = nonce + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    for token in (edited, "hello", nonce + ".", "x" * 20 + "." + "y" * 24):
        with pytest.raises(payment_schema.PaymentError) as refused:
            desk_qr.find_request(sandbox_db, token=token)
        assert refused.value.key == "payments.error.invalid_code"


def test_the_install_key_is_private_and_kept(data_dir):
    import os
    import stat

    first = tokens.install_key()
    assert tokens.install_key() == first and len(first) == tokens.KEY_BYTES
    if os.name != "nt":
        assert stat.S_IMODE(os.stat(tokens.key_path()).st_mode) == 0o600


def test_a_token_is_spent_once_and_only_before_it_expires(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=21)
    spent = desk_qr.issue_desk_qr(sandbox_db, 10_000, providers.fee_payee_id(), "Phí")
    payable = desk_qr.request_payable(desk_qr.scan(sandbox_db, person["id"], token=spent["token"]))
    gateway.pay(sandbox_db, person["id"], payable, provider_id="chim_en", passcode=PASSCODE, attempt_key="one")
    with pytest.raises(payment_schema.PaymentError) as twice:
        desk_qr.scan(sandbox_db, person["id"], token=spent["token"])
    assert twice.value.key == "payments.error.already_paid"

    late = desk_qr.issue_desk_qr(sandbox_db, 10_000, providers.fee_payee_id(), "Phí", minutes=10)
    import datetime as dt

    clock.advance(sandbox_db, dt.timedelta(minutes=10, seconds=1))
    with pytest.raises(payment_schema.PaymentError) as expired:
        desk_qr.scan(sandbox_db, person["id"], token=late["token"])
    assert expired.value.key == "payments.error.expired"


def test_a_typed_code_is_checked_for_shape_and_existence(sandbox_db):
    request = desk_qr.issue_desk_qr(sandbox_db, 10_000, providers.fee_payee_id(), "Phí")
    typed = tokens.format_typed_code(request["code"]).lower()
    assert desk_qr.find_request(sandbox_db, code=f" {typed} ")["id"] == request["id"]
    with pytest.raises(payment_schema.PaymentError) as short:
        desk_qr.find_request(sandbox_db, code="AB")
    assert short.value.key == "payments.error.code_format"
    with pytest.raises(payment_schema.PaymentError) as unknown:
        desk_qr.find_request(sandbox_db, code="XXX-XXX")
    assert unknown.value.key == "payments.error.invalid_code"


# --- no real bank, wallet, switch or QR standard on any sandbox screen ------------------------

REAL_NAMES = ["vietcombank", "vietinbank", "bidv", "agribank", "techcombank", "mbbank", "mb bank", "vpbank",
              "sacombank", "tpbank", "acb", "hdbank", "shb", "momo", "zalopay", "viettel money", "viettelpay",
              "vnpt money", "vnpay", "shopeepay", "napas", "vietqr", "visa", "mastercard"]


def payment_screen_files():
    files = [ROOT / "sandbox_data" / n for n in ("payment_providers.toml", "payment_scenarios.toml",
                                                 "scam_examples.toml")]
    files += [ROOT / "locales" / lang / f"{area}.toml" for lang in ("vi", "en") for area in ("payments", "wallet")]
    files += [ROOT / "pages" / n for n in ("sandbox/payment.py", "sandbox/pay.py", "sandbox/wallet.py",
                                           "sandbox/desk_qr.py", "_ui/pay.py")]
    return files


@pytest.mark.parametrize("path", payment_screen_files(), ids=lambda p: p.name)
def test_no_real_bank_or_wallet_name_appears(path):
    text = path.read_text(encoding="utf-8").lower()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    found = [name for name in REAL_NAMES for line in lines if re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", line)]
    assert found == []


def test_every_provider_is_marked_as_sandbox_and_has_its_own_colours():
    for item in providers.providers():
        assert "(mô phỏng)" in item["name"]
        assert re.fullmatch(r"#[0-9a-f]{6}", item["colour"]) and item["colour"] != item["text_colour"]
