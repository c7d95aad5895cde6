"""The QR the desk shows for a fee, what a phone does when it scans one, and the trainer's
scam copy with a look-alike payee.

A desk QR is a URL to this laptop carrying a token signed by this installation (``tokens``),
never a bank payload a real banking app could pay; with no network it falls back to a code
the learner types.
"""

from __future__ import annotations

import datetime as dt

from workbench import clock, events, network, store
from workbench.sandbox import personas
from workbench.sandbox.dossiers import records as dossier_records
from workbench.sandbox.payments import ledger, photo_scan, providers, tokens, wallet
from workbench.sandbox.payments.payables import Payable, dossier_paid_refusal, get_payment
from workbench.sandbox.payments.scenario_settings import scenario, scenario_defaults
from workbench.sandbox.payments.schema import PaymentError, fetch_one


def qr_payload(request: dict) -> str:
    """What the QR holds: the LAN URL of the pay page with the signed token, or, with no
    network at all, the typed code (the phone shows it as text)."""
    url = network.public_url(f"pay?t={request['token']}")
    return url or f"MO-PHONG-{tokens.format_typed_code(request['code'])}"


def issue_desk_qr(db, amount: int, payee_id: str, reference: str, *, minutes: int | None = None,
                  dossier_code: str | None = None, scam_of: str | None = None, actor: str = "desk") -> dict:
    """Show a fee as a QR at the desk. Returns the request with ``token``, ``code``, ``payload``."""
    amount = ledger.check_amount(amount)
    reference = (reference or "").strip()
    if not reference:
        raise PaymentError("payments.error.reference_empty")
    if not dossier_code and not scam_of and dossier_records.get(db, reference.upper()):
        dossier_code = reference.upper()  # the desk typed a dossier's code: the QR is for that dossier
    if dossier_code:
        dossier_code, amount = _dossier_charge(db, dossier_code)
    providers.payee(payee_id)
    minutes = scenario_defaults()["qr_minutes"] if minutes is None else int(minutes)
    with store.write(db):
        expires_at = (clock.now(db) + dt.timedelta(minutes=minutes)).isoformat()
        nonce, token = tokens.new_token(expires_at, amount, payee_id, reference)
        code = tokens.new_typed_code()
        while db.execute("select 1 from pay_requests where code = ?", [code]).fetchone():
            code = tokens.new_typed_code()
        request = {"id": tokens.short_id("QR"), "nonce": nonce, "token": token, "code": code, "amount": amount,
                   "payee_id": payee_id, "reference": reference, "dossier_code": dossier_code,
                   "expires_at": expires_at, "status": "open", "scam_of": scam_of, "payment_id": None,
                   "persona_id": None, "created_at": clock.now(db).isoformat()}
        db["pay_requests"].insert(request)
        events.record(db, "qr.issued", actor=actor, request_id=request["id"], amount=amount, reference=reference,
                      scam=bool(scam_of), code=dossier_code)
    return {**request, "payload": qr_payload(request)}


def _dossier_charge(db, code: str) -> tuple[str, int]:
    """A desk QR for a dossier charges exactly its unpaid fee, and never a paid one (issue 14)."""
    code = (code or "").strip().upper()
    row = dossier_records.get(db, code)
    if row is None:
        raise PaymentError("payments.error.no_dossier", code=code)
    refusal = dossier_paid_refusal(db, code)
    if refusal is not None:
        raise refusal
    if row["fee_unpaid"] <= 0:
        raise PaymentError("payments.error.nothing_due", code=code)
    return code, row["fee_unpaid"]


def unpaid_dossiers(db, limit: int = 200) -> list[dict]:
    """Every dossier whose fee the desk may charge now, whatever its state: submitted, received,
    processing, waiting for a supplement or for the fee (issue 14: the desk's list held only
    "waiting for payment", so an online dossier could not be charged at the desk). Newest first,
    with the citizen's name and the fee still owed (``fee_unpaid``)."""
    cursor = db.execute(
        "select d.*, p.full_name from dossiers d left join personas p on p.id = d.persona_id "
        "where d.paid_at is null and coalesce(d.fee, 0) > 0 and d.status in "
        "('submitted', 'received', 'processing', 'supplement_requested', 'awaiting_payment') "
        "order by d.submitted_at desc, d.code desc limit ?", [limit])
    columns = [c[0] for c in cursor.description]
    rows = [dossier_records.decorate(db, dict(zip(columns, values))) for values in cursor.fetchall()]
    return [row for row in rows if row["fee_unpaid"] > 0]


def unpaid_dossiers_for_amount(db, amount: int) -> list[dict]:
    """Unpaid dossiers owing exactly ``amount``: a general QR for that sum is probably one of
    their fees, and paid that way it would leave the dossier unpaid (issue 14)."""
    return [row for row in unpaid_dossiers(db) if row["fee_unpaid"] == int(amount or 0)]


def issue_scam_qr(db, request_id: str, actor: str = "trainer") -> dict:
    """The 'scammer' copies a desk QR: same reference, a look-alike payee, a higher amount."""
    original = get_request(db, request_id)
    scam_payee = next(p for p in providers.payees(include_scam=True) if p.get("scam"))
    return issue_desk_qr(db, original["amount"] + scenario("payee_mismatch")["amount_extra"], scam_payee["id"],
                         original["reference"], dossier_code=None, scam_of=request_id, actor=actor)


def get_request(db, request_id: str) -> dict | None:
    return fetch_one(db, "select * from pay_requests where id = ?", [request_id])


def request_problem(db, request_id: str) -> PaymentError | None:
    """Why a desk QR cannot be paid now (unknown, already paid, expired), or None."""
    request = get_request(db, request_id)
    if request is None:
        return PaymentError("payments.error.invalid_code")
    if request["status"] == "paid":
        return PaymentError("payments.error.already_paid", "already_paid")
    if request["expires_at"] <= clock.now(db).isoformat():
        return PaymentError("payments.error.expired", "expired")
    if request["dossier_code"]:
        return dossier_paid_refusal(db, request["dossier_code"])
    return None


def find_request(db, *, token: str | None = None, code: str | None = None) -> dict:
    """The open request for a scanned token or a typed code, checked: signed by this
    installation, not yet paid, not expired. Raises PaymentError otherwise."""
    if token:
        try:
            nonce = tokens.nonce_of(token)
        except tokens.TokenError as error:
            raise PaymentError(error.key) from None
        request = fetch_one(db, "select * from pay_requests where nonce = ?", [nonce])
        if request is None:
            raise PaymentError("payments.error.invalid_code")
        try:
            tokens.check(token, request["expires_at"], request["amount"], request["payee_id"], request["reference"])
        except tokens.TokenError as error:
            raise PaymentError(error.key) from None
    else:
        normalised = tokens.normalise_typed_code(code or "")
        if len(normalised) != tokens.TYPED_CODE_LENGTH:
            raise PaymentError("payments.error.code_format")
        request = fetch_one(db, "select * from pay_requests where code = ?", [normalised])
        if request is None:
            raise PaymentError("payments.error.invalid_code")
    return request


def request_payable(request: dict) -> Payable:
    return Payable(ref=f"qr:{request['id']}", reference=request["reference"], amount=request["amount"],
                   payee_id=request["payee_id"], channel="desk_qr", dossier_code=request.get("dossier_code"),
                   scam=bool(request.get("scam_of")))


def scan(db, persona_id: str | None, *, token: str | None = None, code: str | None = None,
         via: str | None = None) -> dict:
    """A phone opened a QR link or typed a code: the request, or the refusal the learner sees
    (expired, already paid, not from this installation). Records qr.scanned / payment.failed."""
    request = find_request(db, token=token, code=code)
    problem = request_problem(db, request["id"])
    payload = request_payable(request).event_payload()
    if problem is not None:
        if persona_id:
            events.record(db, "payment.failed", persona_id=persona_id, reason=problem.reason, **payload)
        raise problem
    if persona_id:
        wallet.ensure_accounts(db, persona_id)
        events.record(db, "qr.scanned", persona_id=persona_id, via=via or ("token" if token else "code"),
                      **payload)
    return request


def scan_photo(db, persona_id: str, data: bytes) -> dict:
    """The wallet's own "Quét mã QR": a photo of a desk QR, then the same checks as a scan
    (issue 14). A photo with no QR, or a QR that is no sandbox payment, is refused too."""
    try:
        found = photo_scan.payment_from_photo(data)
    except PaymentError as error:
        events.record(db, "payment.failed", persona_id=persona_id, reason="photo", why=error.key.rsplit(".", 1)[-1])
        raise
    return scan(db, persona_id, via="photo", **found)


def refuse_wrong_payee(db, persona_id: str, request_id: str) -> None:
    """The learner noticed the payee is wrong and stopped: the right answer to a scam QR."""
    request = get_request(db, request_id)
    events.record(db, "scam.reported", persona_id=persona_id, what="payee_mismatch",
                  scam=bool(request and request["scam_of"]), request_id=request_id)


def request_status(db, request_id: str) -> dict:
    """For the desk screen's live refresh: status, and who paid when."""
    request = get_request(db, request_id) or {}
    result = {"status": request.get("status"), "expired": bool(request) and request["status"] == "open"
              and request["expires_at"] <= clock.now(db).isoformat(), "payer": None, "paid_at": None}
    if request.get("payment_id"):
        payment = get_payment(db, request["payment_id"])
        persona = personas.get(db, payment["persona_id"]) if payment else None
        result.update(payer=(persona or {}).get("display_name"), paid_at=(payment or {}).get("completed_at"))
    return result
