"""What can be paid, once: a dossier's fee or a desk QR, and the payments made for them.

A payable is named by its ``ref`` ("dossier:<code>", "qr:<request id>"); the unique index of
``payments`` lets one pending-or-succeeded payment exist per ref.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workbench.sandbox.dossiers import records as dossier_records
from workbench.sandbox.payments import providers
from workbench.sandbox.payments.schema import PaymentError, fetch_all, fetch_one


@dataclass(frozen=True)
class Payable:
    """Anything that can be paid once: a dossier's fee, a desk QR."""

    ref: str                # unique: "dossier:<code>", "qr:<request id>"
    reference: str          # what the learner reads as "Nội dung"
    amount: int             # đồng
    payee_id: str
    channel: str            # "portal" | "desk_qr"
    dossier_code: str | None = None
    procedure_id: str | None = None
    scam: bool = False
    extra: dict = field(default_factory=dict)

    def event_payload(self) -> dict:
        payload = {"ref": self.ref, "amount": self.amount, "channel": self.channel}
        if self.dossier_code:
            payload.update(code=self.dossier_code, procedure_id=self.procedure_id)
        if self.ref.startswith("qr:"):
            payload["request_id"] = self.ref[3:]
        return payload


def dossier_payable(db, code: str, persona_id: str | None = None) -> Payable:
    """The fee of one dossier, through the dossiers contract (get, amount_due). With
    ``persona_id``, someone else's dossier answers "not found", like a missing one."""
    code = (code or "").strip().upper()
    dossier = dossier_records.get(db, code) if code else None
    if dossier and persona_id and dossier["persona_id"] != persona_id:
        dossier = None
    if not dossier:
        raise PaymentError("payments.error.no_dossier", code=code or "")
    already = paid_payment(db, f"dossier:{code}")
    if already is None and (refusal := dossier_paid_refusal(db, code)) is not None:
        raise refusal  # paid by another route (a desk QR, cash): the portal must not charge it again
    amount = int(dossier_records.amount_due(db, code))
    if amount <= 0 and already is None:
        raise PaymentError("payments.error.nothing_due", code=code)
    return Payable(ref=f"dossier:{code}", reference=code, amount=amount or (already or {}).get("amount", 0),
                   payee_id=providers.fee_payee_id(), channel="portal", dossier_code=code,
                   procedure_id=dossier.get("procedure_id"))


def dossier_paid_refusal(db, code: str) -> PaymentError | None:
    """Why a dossier's fee cannot be charged (again): it was paid already, by any route, or a
    payment for it waits for the bank (issue 14: a general QR was paid, then the portal charged
    the dossier again). None when its fee is still unpaid. Called inside the payer's write."""
    row = dossier_records.get(db, code)
    if row and row.get("paid_at"):
        channel = row.get("paid_channel") if row.get("paid_channel") in ("portal", "desk_qr", "cash") else "portal"
        return PaymentError(f"payments.error.dossier_paid_{channel}", "already_paid", code=code,
                            at=dt.datetime.fromisoformat(row["paid_at"]).strftime("%H:%M %d/%m/%Y"))
    if fetch_one(db, "select id from payments where dossier_code = ? and status = 'pending'", [code]):
        return PaymentError("payments.error.dossier_paid_pending", "already_paid", code=code)
    return None


def paid_payment(db, payable_ref: str) -> dict | None:
    return fetch_one(db, "select * from payments where payable_ref = ? and status in ('pending', 'succeeded')",
                     [payable_ref])


def get_payment(db, payment_id: str) -> dict | None:
    return fetch_one(db, "select * from payments where id = ?", [payment_id])


def payments_for(db, persona_id: str) -> list[dict]:
    return fetch_all(db, "select * from payments where persona_id = ? order by created_at desc", [persona_id])
