"""Step setups: what a step puts in the sandbox when it becomes current.

Some steps need something in the sandbox that the learner cannot make alone: a scam SMS in
the inbox, a stranger's log-in request in the VNeID app, a dossier with a fee to pay, a desk
QR when no trainer projects one. A step names its setup (``setup = "scam_sms"``); it runs once,
when the step becomes current (``progress.evaluate``), and returns what the player must show
(a payment code…). Setup events are recorded by "system" or under the learner's persona as a
citizen, so no check that asks for the learner's own action can be satisfied by a setup.
"""

from __future__ import annotations

from workbench import clock
from workbench.sandbox import eid, fees, scams
from workbench.sandbox.dossiers import desk, records, samples
from workbench.sandbox.payments import desk_qr, providers, tokens


def _setup_fee_dossier(db, persona_id: str) -> dict:
    """A temporary-residence dossier filed at the desk, its fee still to pay through the portal."""
    row = desk.file_at_desk(db, persona_id, "tam_tru", actor="system")
    return {"code": row["code"], "amount": row["amount_due"]}


def _qr_output(request: dict) -> dict:
    return {"qr_request": request["id"], "qr_code": tokens.format_typed_code(request["code"]),
            "qr_token": request["token"], "amount": request["amount"]}


def _copy_fee(db) -> int:
    """The certified-copy fee of a two-page original on the sandbox date: the rule in force decides."""
    return fees.fee("chung_thuc_ban_sao", "desk", pages=2, on=clock.now(db).date())[0]


def _setup_desk_qr(db, persona_id: str) -> dict:
    """A desk QR for a certified-copy fee, for learners with no trainer projecting one."""
    request = desk_qr.issue_desk_qr(db, _copy_fee(db), providers.fee_payee_id(), "Chung thuc ban sao", actor="system")
    return _qr_output(request)


def _setup_scam_qr(db, persona_id: str) -> dict:
    """A 'scammer's' copy of a desk QR: the same reference, a look-alike payee, more money."""
    original = desk_qr.issue_desk_qr(db, _copy_fee(db), providers.fee_payee_id(), "Chung thuc ban sao",
                                     actor="system")
    return _qr_output(desk_qr.issue_scam_qr(db, original["id"], actor="system"))


SCAM_SMS_EXAMPLE = "sms_hoan_tien"  # sandbox_data/scam_examples.toml (issue 5)


def _setup_scam_sms(db, persona_id: str) -> dict:
    """A practice scam SMS ("a refund, tap this link and enter the OTP") lands in the inbox."""
    scams.send_sms(db, persona_id, SCAM_SMS_EXAMPLE, actor="system")
    return {"scam_example": SCAM_SMS_EXAMPLE}


def _setup_stranger_login(db, persona_id: str) -> dict:
    """Someone else tries to log in to the portal as the learner: VNeID asks the learner to confirm."""
    return {"request_id": eid.request_confirmation(db, persona_id, "portal")}


def _setup_desk_practice(db, persona_id: str) -> dict:
    """Tonight's queue for the desk lesson, filed under the learner's persona (so the desk's
    actions land in the learner's event log): two birth registrations filed online, one with a
    blurry birth certificate, and a walk-in temporary-residence dossier already received."""
    blurry = samples.file_sample(db, persona_id, "khai_sinh", variants={"giay_chung_sinh": "blurry"})["code"]
    clear = samples.file_sample(db, persona_id, "khai_sinh")["code"]
    walk_in = desk.file_at_desk(db, persona_id, "tam_tru", actor="system")["code"]
    return {"codes": [blurry, clear, walk_in]}


def _setup_payment_request(db, persona_id: str) -> dict:
    """The desk asks for the fee of the learner's latest dossier with one (the portal's path,
    issue 13: no "Thanh toán" before the desk has asked). In the hall the trainer may do it at
    the desk instead; a dossier already asked for is left as it is."""
    for row in records.for_persona(db, persona_id):
        if row["fee_unpaid"] <= 0 or row["status"] not in ("submitted", "received", "processing"):
            continue
        if row["status"] == "submitted":
            desk.receive(db, row["code"], actor="trainer")
        if not records.get(db, row["code"]).get("payment_requested_at"):
            desk.request_payment(db, row["code"], actor="trainer")
        return {"code": row["code"], "amount": row["fee_unpaid"]}
    return {}


SETUPS = {
    "payment_request": _setup_payment_request,
    "fee_dossier": _setup_fee_dossier,
    "desk_qr": _setup_desk_qr,
    "scam_qr": _setup_scam_qr,
    "scam_sms": _setup_scam_sms,
    "stranger_login": _setup_stranger_login,
    "desk_practice": _setup_desk_practice,
}

