"""The biên lai điện tử (electronic receipt) of a sandbox payment, as a PDF (issue 5).

Every page is stamped MÔ PHỎNG — SANDBOX by ``workbench.pdf``, and the receipt says in its
own body that no money moved, so a printed practice receipt cannot pass for a real one.
Texts come from the locale files, in the learner's language.
"""

from __future__ import annotations

import datetime as dt

from workbench import events, i18n, pdf
from workbench.sandbox import personas
from workbench.sandbox.payments import payables, providers
from workbench.sandbox.payments.schema import PaymentError


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    return dt.datetime.fromisoformat(iso).strftime("%H:%M:%S %d/%m/%Y")


def receipt_rows(db, payment_id: str, lang: str = "vi") -> list[tuple[str, str]]:
    """The receipt's lines as (label, value), shared by the PDF and the success screen."""
    payment = payables.get_payment(db, payment_id)
    if payment is None or payment["status"] != "succeeded":
        raise PaymentError("payments.error.no_payment")
    persona = personas.get(db, payment["persona_id"]) or {}
    t = lambda key, **kw: i18n.t(f"payments.receipt.{key}", lang, **kw)  # noqa: E731
    rows = [
        (t("number"), payment["id"]),
        (t("time"), _when(payment["completed_at"])),
        (t("payer"), persona.get("full_name", "")),
        (t("payee"), providers.payee(payment["payee_id"])["name"]),
        (t("content"), payment["reference"] or ""),
        (t("amount"), i18n.format_money(payment["amount"], lang)),
        (t("method"), providers.provider(payment["provider_id"])["name"]),
        (t("channel"), t(f"channel_{payment['channel']}")),
        (t("status"), t("status_ok")),
    ]
    if payment.get("dossier_code"):
        rows.insert(4, (t("dossier"), payment["dossier_code"]))
    return rows


def receipt_pdf(db, payment_id: str, lang: str = "vi", *, record: bool = True) -> bytes:
    """The PDF bytes; records ``receipt.downloaded`` unless ``record`` is False."""
    rows = receipt_rows(db, payment_id, lang)
    doc = pdf.new_document(sandbox=True, title=i18n.t("payments.receipt.title", lang))
    doc.heading(i18n.t("payments.receipt.title", lang))
    doc.paragraph(i18n.t("payments.receipt.issuer", lang))
    doc.key_values(rows, key_width=55)
    doc.ln(4)
    doc.paragraph(i18n.t("payments.receipt.not_real", lang), size=10)
    if record:
        record_download(db, payment_id)
    return pdf.to_bytes(doc)


def record_download(db, payment_id: str) -> None:
    payment = payables.get_payment(db, payment_id)
    if payment:
        events.record(db, "receipt.downloaded", persona_id=payment["persona_id"], payment_id=payment_id,
                      code=payment.get("dossier_code"))
