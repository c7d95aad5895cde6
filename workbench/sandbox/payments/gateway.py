"""The payment gateway: open it for a payable, choose a bank or wallet, authorise (the app's
passcode, or a code the fake bank texts to the simulated phone) and move the money once.

Idempotent by construction: every pay is one ``store.write`` (BEGIN IMMEDIATE) unit keyed by
an attempt key, and the unique index of ``payments`` is the last line of defence, so a double
click, two tabs or a retry after a timeout all end with the money moved once.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import sqlite3

from workbench import clock, events, i18n, passwords, store
from workbench.sandbox import phone
from workbench.sandbox.dossiers import desk as dossier_desk
from workbench.sandbox.dossiers.schema import DossierError
from workbench.sandbox.payments import desk_qr, ledger, providers, tokens, wallet
from workbench.sandbox.payments.ledger import wallet_id
from workbench.sandbox.payments.payables import Payable, dossier_paid_refusal, get_payment, paid_payment
from workbench.sandbox.payments.schema import PaymentError, PaymentPending, fetch_one

OTP_MINUTES = 5


def start(db, persona_id: str, payable: Payable) -> None:
    """The learner opened the gateway for this payable."""
    wallet.ensure_accounts(db, persona_id)
    events.record(db, "payment.started", persona_id=persona_id, **payable.event_payload())


def choose_provider(db, persona_id: str, payable: Payable, provider_id: str) -> dict:
    """Pick a bank or wallet; refused when the persona has no account there."""
    chosen = providers.provider(provider_id)
    events.record(db, "payment.provider_chosen", persona_id=persona_id, provider=provider_id,
                  **payable.event_payload())
    if account_for_provider(db, persona_id, provider_id) is None:
        raise PaymentError("payments.error.no_account", provider=chosen["name"])
    return chosen


def account_for_provider(db, persona_id: str, provider_id: str) -> dict | None:
    return fetch_one(db, "select * from pay_accounts where persona_id = ? and provider_id = ?",
                     [persona_id, provider_id])


def new_attempt_key() -> str:
    """One key per 'Pay' screen: a double click or a retry reuses it, so money moves once."""
    return secrets.token_urlsafe(16)


# --- payment OTP (banks that authorise by SMS code) -----------------------------------------

def send_payment_otp(db, persona_id: str, payable: Payable, provider_id: str) -> int:
    """The fake bank texts a 6-digit code to the persona's simulated phone. Returns the SMS id.

    Nothing leaves the app: the SMS is a row in the phone's inbox (``phone.receive_sms``),
    the code is kept only as a hash. Earlier codes for this payable stop working. The text is
    the Vietnamese one of ``payments.sms_text.otp``, unaccented like a real bank's SMS.
    """
    chosen = providers.provider(provider_id)
    wallet.ensure_accounts(db, persona_id)
    code = f"{secrets.randbelow(10**6):06d}"
    with store.write(db):
        db.execute("update pay_otps set used = 1 where persona_id = ? and used = 0", [persona_id])
        text = i18n.t("payments.sms_text.otp", "vi", bank=chosen["short"], amount=payable.amount,
                      reference=payable.reference, code=code, minutes=OTP_MINUTES)
        sms_id = phone.receive_sms(db, persona_id, chosen["short"], text)
        db["pay_otps"].insert({
            "persona_id": persona_id, "provider_id": provider_id, "payable_ref": payable.ref,
            "code_hash": passwords.hash_secret(code, passwords.SANDBOX), "sms_id": sms_id,
            "expires_at": (clock.now(db) + dt.timedelta(minutes=OTP_MINUTES)).isoformat(), "used": 0})
        events.record(db, "payment.otp_sent", persona_id=persona_id, provider=provider_id,
                      **payable.event_payload())
    return sms_id


def latest_payment_otp_for_tests(db, persona_id: str) -> str:
    """Read the newest payment code back from the SMS inbox (tests, as a learner reads the phone)."""
    row = fetch_one(db, "select sms_id from pay_otps where persona_id = ? order by id desc limit 1", [persona_id])
    if row is None:
        raise LookupError("no payment OTP sent")
    return re.search(r"la (\d{6})", phone.get_sms(db, row["sms_id"])["text"]).group(1)


def _check_otp(db, persona_id: str, payable_ref: str, code: str) -> str | None:
    """Inside a write: None when the code is right; else the reason, counting tries like a passcode."""
    row = ledger.account(db, wallet_id(persona_id))
    if row["locked_until"] and row["locked_until"] > clock.now(db).isoformat():
        return "locked"
    current = fetch_one(db, "select * from pay_otps where persona_id = ? and payable_ref = ? and used = 0 "
                            "order by id desc limit 1", [persona_id, payable_ref])
    if current is None:
        return "no_otp"
    if current["expires_at"] <= clock.now(db).isoformat():
        return "otp_expired"
    if passwords.check_secret((code or "").strip(), current["code_hash"]):
        db.execute("update pay_otps set used = 1 where id = ?", [current["id"]])
        db.execute("update pay_accounts set failed_tries = 0, locked_until = null where id = ?", [row["id"]])
        return None
    return wallet.count_wrong_try(db, row, "wrong_otp")


# --- paying ---------------------------------------------------------------------------------

def _take_flag(db, persona_id: str, flag: str) -> bool:
    return db.execute("delete from pay_flags where persona_id = ? and flag = ?", [persona_id, flag]).rowcount > 0


def _on_paid(db, payable: Payable, payment_id: str) -> None:
    if payable.ref.startswith("qr:"):
        db.execute("update pay_requests set status = 'paid', payment_id = ? where id = ?",
                   [payment_id, payable.ref[3:]])
    if payable.dossier_code:
        dossier_desk.record_payment(db, payable.dossier_code, payment_id=payment_id, channel=payable.channel)


def _succeed(db, payment: dict, payable: Payable) -> None:
    db.execute("update payments set status = 'succeeded', completed_at = ? where id = ?",
               [clock.now(db).isoformat(), payment["id"]])
    _on_paid(db, payable, payment["id"])
    events.record(db, "payment.succeeded", persona_id=payment["persona_id"], payment_id=payment["id"],
                  provider=payment["provider_id"], **payable.event_payload())
    if payable.ref.startswith("qr:"):
        events.record(db, "qr.paid", persona_id=payment["persona_id"], payment_id=payment["id"],
                      **payable.event_payload())


def pay(db, persona_id: str, payable: Payable, *, provider_id: str, attempt_key: str, passcode: str | None = None,
        otp_code: str | None = None) -> dict:
    """Authorise (passcode, or the SMS OTP for banks that use one) and pay ``payable`` from the
    persona's account at ``provider_id``.

    Idempotent: with the same ``attempt_key`` (double click, retry after a timeout) the same
    payment comes back; any other attempt on a paid payable is refused as ``already_paid``.
    Returns the payment row; raises PaymentError (or PaymentPending) after recording the event.
    """
    wallet.ensure_accounts(db, persona_id)
    failure: PaymentError | None = None
    payment_id = None
    method = providers.authorise_method(provider_id)
    checked = wallet.hash_check(db, persona_id, passcode) if method == "passcode" else None
    try:
        with store.write(db):
            existing = paid_payment(db, payable.ref)
            if existing is not None:
                if existing["idempotency_key"] == attempt_key or (
                        existing["status"] == "pending" and existing["persona_id"] == persona_id):
                    if existing["status"] == "pending":
                        _succeed(db, existing, payable)
                    return get_payment(db, existing["id"])
                failure = ((payable.dossier_code and dossier_paid_refusal(db, payable.dossier_code))
                           or PaymentError("payments.error.already_paid", "already_paid"))
            elif payable.dossier_code:  # money for a dossier moves once, whatever the route (issue 14)
                failure = dossier_paid_refusal(db, payable.dossier_code)
            if failure is None and existing is None and payable.ref.startswith("qr:"):
                failure = desk_qr.request_problem(db, payable.ref[3:])
            if failure is None:
                source = account_for_provider(db, persona_id, provider_id)
                if source is None:
                    failure = PaymentError("payments.error.no_account", provider=providers.provider(provider_id)["name"])
            if failure is None:
                reason = (_check_otp(db, persona_id, payable.ref, otp_code) if method == "otp"
                          else wallet.check_passcode(db, persona_id, passcode, checked))
                if reason:
                    failure = wallet.passcode_error(db, persona_id, reason)
                else:
                    events.record(db, "payment.authorised", persona_id=persona_id, provider=provider_id,
                                  method=method, **payable.event_payload())
            if failure is None and payable.scam:
                failure = PaymentError("payments.error.payee_mismatch", "payee_mismatch",
                                       payee=providers.payee(payable.payee_id)["name"],
                                       expected=providers.payees()[0]["name"])
            if failure is None and ledger.balance(db, source["id"]) < payable.amount:
                have = ledger.balance(db, source["id"])
                failure = PaymentError("payments.error.insufficient_balance", "insufficient_balance",
                                       balance=have, amount=payable.amount, missing=payable.amount - have)
            if failure is None:
                target = ledger.payee_account(db, payable.payee_id)
                txn_id = ledger.transfer(db, "payment", source["id"], target, payable.amount, memo=payable.reference,
                                         persona_id=persona_id, idempotency_key=attempt_key)
                timed_out = _take_flag(db, persona_id, "next_timeout")
                payment_id = tokens.short_id("GD")
                payment = {
                    "id": payment_id, "payable_ref": payable.ref, "reference": payable.reference,
                    "payee_id": payable.payee_id, "amount": payable.amount, "persona_id": persona_id,
                    "provider_id": provider_id, "account_id": source["id"], "channel": payable.channel,
                    "status": "pending", "txn_id": txn_id, "idempotency_key": attempt_key,
                    "dossier_code": payable.dossier_code, "procedure_id": payable.procedure_id,
                    "created_at": clock.now(db).isoformat(), "completed_at": None,
                }
                db["payments"].insert(payment)
                if timed_out:
                    events.record(db, "payment.pending", persona_id=persona_id, payment_id=payment_id,
                                  **payable.event_payload())
                    failure = PaymentPending(payment_id)
                else:
                    _succeed(db, payment, payable)
            if failure is not None and not isinstance(failure, PaymentPending):
                events.record(db, "payment.failed", persona_id=persona_id, reason=failure.reason or "refused",
                              provider=provider_id, **payable.event_payload())
    except DossierError as error:
        # The dossier was refused or changed meanwhile: everything above rolled back.
        events.record(db, "payment.dossier_refused", persona_id=persona_id, reason=getattr(error, "key", ""),
                      provider=provider_id, **payable.event_payload())
        raise PaymentError("payments.error.dossier_state", "dossier", code=payable.dossier_code or "") from None
    except sqlite3.IntegrityError:
        # Another connection paid this payable (or its dossier) between our check and insert:
        # the unique indexes are the last line of defence. Nothing of ours was committed.
        events.record(db, "payment.failed", persona_id=persona_id, reason="already_paid", provider=provider_id,
                      **payable.event_payload())
        raise PaymentError("payments.error.already_paid", "already_paid") from None
    if failure is not None:
        raise failure
    return get_payment(db, payment_id)


def check_pending(db, payment_id: str, payable: Payable) -> dict:
    """'Check again' after a timeout: the pending payment completes, once."""
    with store.write(db):
        payment = get_payment(db, payment_id)
        if payment is None:
            raise PaymentError("payments.error.no_payment")
        if payment["status"] == "pending":
            _succeed(db, payment, payable)
    return get_payment(db, payment_id)
