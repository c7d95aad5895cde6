"""The biên lai điện tử of a sandbox payment, and the scam-awareness material (issue 5)."""

import pytest

from workbench import databases, events, i18n, pdf
from workbench.sandbox import phone, scams, scenarios
from workbench.sandbox.payments import desk_qr, gateway, providers, receipts, scenario_settings
from workbench.sandbox.payments import schema as payment_schema

PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]


@pytest.fixture
def paid(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=31)
    request = desk_qr.issue_desk_qr(sandbox_db, 12_000, providers.fee_payee_id(), "Phí chứng thực")
    payment = gateway.pay(sandbox_db, person["id"], desk_qr.request_payable(request), provider_id="chim_en",
                          passcode=PASSCODE, attempt_key="k")
    return person, payment


def test_the_receipt_names_payer_payee_amount_and_says_it_is_not_real(sandbox_db, paid, monkeypatch):
    person, payment = paid
    made = []
    original = pdf.new_document
    monkeypatch.setattr(pdf, "new_document", lambda **kw: made.append(original(**kw)) or made[-1])

    data = receipts.receipt_pdf(sandbox_db, payment["id"], "vi")

    assert data.startswith(b"%PDF") and made[0].sandbox is True  # stamped MÔ PHỎNG — SANDBOX on every page
    rows = dict(receipts.receipt_rows(sandbox_db, payment["id"], "vi"))
    assert rows["Số biên lai / Mã giao dịch"] == payment["id"]
    assert rows["Người nộp"] == person["full_name"]
    assert rows["Số tiền"] == "12.000 đ"
    assert "mô phỏng" in rows["Đơn vị thu"].lower()
    assert "MÔ PHỎNG" in i18n.t("payments.receipt.not_real")
    assert [e["payload"]["payment_id"] for e in events.for_persona(sandbox_db, person["id"],
                                                                   kinds=["receipt.downloaded"])] == [payment["id"]]


def test_an_english_receipt_is_english(sandbox_db, paid):
    _, payment = paid
    rows = dict(receipts.receipt_rows(sandbox_db, payment["id"], "en"))
    assert rows["Amount"] == "12,000 đ" and rows["Status"] == "Successful"


def test_there_is_no_receipt_for_a_payment_that_did_not_happen(sandbox_db):
    with pytest.raises(payment_schema.PaymentError):
        receipts.receipt_rows(sandbox_db, "GD-NOTHING")


def test_scam_examples_cover_sms_links_and_police_calls_with_safe_links_only():
    kinds = {e["kind"] for e in scams.examples()}
    assert kinds == {"sms", "call"}
    assert any("công an" in e["text"].lower() for e in scams.examples("call"))
    for item in scams.examples():
        assert item["flags_vi"] and len(item["flags_vi"]) == len(item["flags_en"])
        for word in item["text"].split():
            if "://" in word:
                assert ".example/" in word, word  # a reserved domain: never a real site


def test_a_scam_sms_lands_in_the_simulated_phone(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=32)
    scams.send_sms(sandbox_db, person["id"], "sms_hoan_tien")
    assert "dvc-hoantien.example" in phone.inbox(sandbox_db, person["id"])[0]["text"]
    scams.recognised(sandbox_db, person["id"], "sms_hoan_tien")
    assert {"scam.sms_sent", "scam.example_recognised"} <= {
        e["kind"] for e in events.for_persona(sandbox_db, person["id"])}


def test_a_live_otp_typed_in_the_wrong_place_is_flagged_and_other_text_is_not(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=33)
    pid = person["id"]
    request = desk_qr.issue_desk_qr(sandbox_db, 12_000, providers.fee_payee_id(), "Phí")
    gateway.send_payment_otp(sandbox_db, pid, desk_qr.request_payable(request), "lua_vang")
    code = gateway.latest_payment_otp_for_tests(sandbox_db, pid)

    assert scams.flag_otp(sandbox_db, pid, f"{code[:3]} {code[3:]}", where="pay_code") is True
    assert scams.flag_otp(sandbox_db, pid, "KHM-4QX", where="pay_code") is False
    assert scams.flag_otp(sandbox_db, pid, "000000" if code != "000000" else "111111", where="pay_code") is False
    other = scenarios.create(sandbox_db, "ready", seed=34)
    assert scams.flag_otp(sandbox_db, other["id"], code, where="pay_code") is False  # not their code
    flagged = events.for_persona(sandbox_db, pid, kinds=["scam.otp_typed_wrong_place"])
    assert [e["payload"]["where"] for e in flagged] == ["pay_code"]


def test_every_payment_event_kind_is_known_to_lessons():
    known = databases.event_kinds()
    for kind in list(payment_schema.EVENT_KINDS) + list(scams.EVENT_KINDS):
        assert kind in known
