"""The simulated wallet / bank app on the persona's phone: the accounts opened on first use,
the 6-digit passcode (scrypt-hashed, locked after too many wrong tries), top-up from the
bank, the VNeID link a social benefit needs, and the failures a trainer arms on purpose.
"""

from __future__ import annotations

import datetime as dt

from workbench import clock, events, passwords, store
from workbench.sandbox import eid, personas, scenarios
from workbench.sandbox.payments import ledger, providers
from workbench.sandbox.payments.ledger import ADJUSTMENTS, BANK_VAULT, SOCIAL_FUND, bank_id, wallet_id
from workbench.sandbox.payments.scenario_settings import scenario, scenario_defaults
from workbench.sandbox.payments.schema import PaymentError

BENEFIT_AMOUNT = 500_000


# --- accounts -----------------------------------------------------------------------------

def _persona_or_error(db, persona_id: str) -> dict:
    persona = personas.get(db, persona_id)
    if persona is None:
        raise PaymentError("payments.error.no_persona")
    return persona


def has_accounts(db, persona_id: str) -> bool:
    return ledger.account(db, wallet_id(persona_id)) is not None


def ensure_accounts(db, persona_id: str) -> dict:
    """Open the persona's fake bank account and wallet on first use.

    Personas in a scenario starting state (not "fresh") get the documented passcode and a
    starting wallet balance, so a trainer can say them aloud (sandbox_data/payment_scenarios.toml).
    """
    persona = _persona_or_error(db, persona_id)
    with store.write(db):
        if not has_accounts(db, persona_id):
            defaults = providers.providers_file()["defaults"]
            bank, wallet = providers.provider(defaults["bank"]), providers.provider(defaults["wallet"])
            ledger.ensure_system(db)
            ledger.ensure_account(db, bank_id(persona_id), kind="bank", name=bank["name"], persona_id=persona_id,
                                  provider_id=bank["id"])
            ledger.ensure_account(db, wallet_id(persona_id), kind="wallet", name=wallet["name"],
                                  persona_id=persona_id, provider_id=wallet["id"])
            if bank["opening_balance"]:
                ledger.transfer(db, "opening", BANK_VAULT, bank_id(persona_id), bank["opening_balance"],
                                memo="opening", persona_id=persona_id)
            if (persona.get("starting_state") or "fresh") != "fresh":
                defaults = scenario_defaults()
                db.execute("update pay_accounts set passcode_hash = ? where id = ?",
                           [passwords.hash_secret(defaults["scenario_passcode"], passwords.SANDBOX),
                            wallet_id(persona_id)])
                if defaults["scenario_wallet_balance"]:
                    ledger.transfer(db, "opening", BANK_VAULT, wallet_id(persona_id),
                                    defaults["scenario_wallet_balance"], memo="opening", persona_id=persona_id)
            events.record(db, "bank.account_opened", persona_id=persona_id, actor="system",
                          bank=bank["id"], wallet=wallet["id"])
    return {"wallet": ledger.account(db, wallet_id(persona_id)), "bank": ledger.account(db, bank_id(persona_id))}


def new_practice_persona(db) -> dict:
    """A phone that scanned a desk QR with no persona yet: a new persona, ready to pay, whose
    wallet passcode is the documented scenario passcode (payment_scenarios.toml)."""
    persona = scenarios.create(db, "ready")
    ensure_accounts(db, persona["id"])
    return persona


def wallet_balance(db, persona_id: str) -> int:
    return ledger.balance(db, wallet_id(persona_id))


def bank_balance(db, persona_id: str) -> int:
    return ledger.balance(db, bank_id(persona_id))


# --- the passcode -------------------------------------------------------------------------

def validate_passcode(passcode: str, confirm: str | None = None) -> str:
    passcode = (passcode or "").strip()
    problems = []  # every problem at once (issue 14)
    if not passwords.is_passcode(passcode):
        problems.append("wallet.error.passcode_format")
    elif len(set(passcode)) == 1 or passcode in "0123456789" or passcode in "9876543210":
        problems.append("wallet.error.passcode_weak")
    if confirm is not None and passcode != (confirm or "").strip():
        problems.append("wallet.error.passcode_mismatch")
    if problems:
        error = PaymentError(problems[0])
        for key in problems[1:]:
            error.also(key)
        raise error
    return passcode


def has_passcode(db, persona_id: str) -> bool:
    row = ledger.account(db, wallet_id(persona_id))
    return bool(row and row["passcode_hash"])


def set_passcode(db, persona_id: str, passcode: str, confirm: str) -> None:
    """First opening of the wallet: choose the 6-digit passcode (stored scrypt-hashed)."""
    passcode = validate_passcode(passcode, confirm)
    ensure_accounts(db, persona_id)
    with store.write(db):
        db.execute("update pay_accounts set passcode_hash = ?, failed_tries = 0, locked_until = null where id = ?",
                   [passwords.hash_secret(passcode, passwords.SANDBOX), wallet_id(persona_id)])
        events.record(db, "wallet.passcode_set", persona_id=persona_id)


def is_locked(db, persona_id: str) -> bool:
    row = ledger.account(db, wallet_id(persona_id))
    return bool(row and row["locked_until"] and row["locked_until"] > clock.now(db).isoformat())


def tries_left(db, persona_id: str) -> int:
    row = ledger.account(db, wallet_id(persona_id))
    return scenario_defaults()["wrong_passcode_limit"] - (row["failed_tries"] if row else 0)


def hash_check(db, persona_id: str, passcode: str) -> tuple[str | None, bool]:
    """The slow part (scrypt), done *before* taking the write lock so a hall of phones paying
    at once does not queue behind each other's hashing: (the hash checked, whether it matched)."""
    row = ledger.account(db, wallet_id(persona_id))
    stored = row["passcode_hash"] if row else None
    return stored, passwords.check_secret(passcode, stored)


def check_passcode(db, persona_id: str, passcode: str, checked: tuple[str | None, bool] | None = None) -> str | None:
    """Inside a write: None when right; else the failure reason, with tries counted and a lock set."""
    row = ledger.account(db, wallet_id(persona_id))
    if row["locked_until"] and row["locked_until"] > clock.now(db).isoformat():
        return "locked"
    if not row["passcode_hash"]:
        return "no_passcode"
    if checked is None or checked[0] != row["passcode_hash"]:  # changed meanwhile: check again
        checked = (row["passcode_hash"], passwords.check_secret(passcode, row["passcode_hash"]))
    if checked[1]:
        db.execute("update pay_accounts set failed_tries = 0, locked_until = null where id = ?", [row["id"]])
        return None
    return count_wrong_try(db, row, "wrong_passcode")


def count_wrong_try(db, row: dict, reason: str) -> str:
    """One more wrong passcode or OTP: after ``wrong_passcode_limit`` in a row the app locks."""
    limit = scenario_defaults()["wrong_passcode_limit"]
    tries = (0 if row["locked_until"] else row["failed_tries"]) + 1
    locked_until = None
    if tries >= limit:
        locked_until = (clock.now(db) + dt.timedelta(minutes=scenario_defaults()["lock_minutes"])).isoformat()
    db.execute("update pay_accounts set failed_tries = ?, locked_until = ? where id = ?",
               [0 if locked_until else tries, locked_until, row["id"]])
    return "locked" if locked_until else reason


def passcode_error(db, persona_id: str, reason: str) -> PaymentError:
    """The refusal the learner reads for a failure reason of ``check_passcode`` or the bank's OTP."""
    if reason == "locked":
        return PaymentError("payments.error.locked", "locked", minutes=scenario_defaults()["lock_minutes"])
    if reason == "no_passcode":
        return PaymentError("wallet.error.no_passcode")
    if reason == "wrong_otp":
        return PaymentError("payments.error.wrong_otp", "wrong_otp", left=tries_left(db, persona_id))
    if reason in ("no_otp", "otp_expired"):
        return PaymentError(f"payments.error.{reason}", "wrong_otp")
    return PaymentError("payments.error.wrong_passcode", "wrong_passcode", left=tries_left(db, persona_id))


def verify_passcode(db, persona_id: str, passcode: str, *, purpose: str = "wallet") -> None:
    """Check the wallet passcode outside a payment (top-up, linking). Raises PaymentError."""
    ensure_accounts(db, persona_id)
    with store.write(db):
        reason = check_passcode(db, persona_id, passcode)
        if reason and reason != "no_passcode":
            events.record(db, "payment.failed", persona_id=persona_id, reason=reason, purpose=purpose)
    if reason:
        raise passcode_error(db, persona_id, reason)


def unlock(db, persona_id: str, actor: str = "trainer") -> None:
    with store.write(db):
        db.execute("update pay_accounts set failed_tries = 0, locked_until = null where id = ?", [wallet_id(persona_id)])
        events.record(db, "wallet.unlocked", persona_id=persona_id, actor=actor)


# --- money in ------------------------------------------------------------------------------

def top_up(db, persona_id: str, amount: int, passcode: str) -> int:
    """Move money from the persona's fake bank account into the wallet; returns the new balance."""
    ensure_accounts(db, persona_id)
    try:
        amount = ledger.check_amount(amount)
    except PaymentError as error:
        events.record(db, "wallet.topup_failed", persona_id=persona_id, reason="amount")
        raise error
    verify_passcode(db, persona_id, passcode, purpose="topup")
    try:
        with store.write(db):
            ledger.transfer(db, "topup", bank_id(persona_id), wallet_id(persona_id), amount, memo="topup",
                            persona_id=persona_id)
            events.record(db, "wallet.topped_up", persona_id=persona_id, amount=amount)
    except PaymentError as error:
        events.record(db, "wallet.topup_failed", persona_id=persona_id, reason=error.reason, amount=amount)
        raise PaymentError("wallet.error.bank_insufficient", "insufficient_balance", **error.params) from None
    return wallet_balance(db, persona_id)


def eid_level(db, persona_id: str) -> int:
    """The persona's VNeID level (linking a wallet needs level 2)."""
    return eid.level(db, persona_id)


def is_linked(db, persona_id: str) -> bool:
    row = ledger.account(db, wallet_id(persona_id))
    return bool(row and row["linked_vneid_at"])


def link_vneid(db, persona_id: str) -> None:
    """Link the wallet to VNeID so benefits can be paid into it: needs e-ID level 2."""
    ensure_accounts(db, persona_id)
    level = eid_level(db, persona_id)
    if level < 2:
        events.record(db, "wallet.link_refused", persona_id=persona_id, reason="eid_level", level=level)
        raise PaymentError("wallet.error.needs_level2", level=level)
    with store.write(db):
        db.execute("update pay_accounts set linked_vneid_at = coalesce(linked_vneid_at, ?) where id = ?",
                   [clock.now(db).isoformat(), wallet_id(persona_id)])
        events.record(db, "wallet.linked_vneid", persona_id=persona_id)


def receive_benefit(db, persona_id: str, amount: int = BENEFIT_AMOUNT, program: str = "tro_cap_tai_nha",
                    actor: str = "desk") -> int:
    """The commune pays a social benefit into a VNeID-linked wallet; returns the new balance."""
    ensure_accounts(db, persona_id)
    amount = ledger.check_amount(amount)
    if not is_linked(db, persona_id):
        events.record(db, "wallet.benefit_refused", persona_id=persona_id, actor=actor, reason="not_linked")
        raise PaymentError("wallet.error.not_linked")
    with store.write(db):
        ledger.transfer(db, "benefit", SOCIAL_FUND, wallet_id(persona_id), amount, memo=program,
                        persona_id=persona_id)
        events.record(db, "wallet.benefit_received", persona_id=persona_id, actor=actor, amount=amount,
                      program=program)
    return wallet_balance(db, persona_id)


# --- trainer scenarios ----------------------------------------------------------------------

def arm_scenario(db, persona_id: str, scenario_id: str, actor: str = "trainer") -> None:
    """Make a failure happen on purpose (payment_scenarios.toml): set a low balance, or lose the
    connection on the next payment."""
    ensure_accounts(db, persona_id)
    with store.write(db):
        if scenario_id == "insufficient_balance":
            target = scenario(scenario_id)["balance"]
            current = wallet_balance(db, persona_id)
            if current > target:
                ledger.transfer(db, "adjustment", wallet_id(persona_id), ADJUSTMENTS, current - target,
                                memo="scenario", persona_id=persona_id)
            elif current < target:
                ledger.transfer(db, "adjustment", ADJUSTMENTS, wallet_id(persona_id), target - current,
                                memo="scenario", persona_id=persona_id)
        elif scenario_id == "timeout":
            db.execute("insert or ignore into pay_flags (persona_id, flag) values (?, 'next_timeout')", [persona_id])
        else:
            raise KeyError(scenario_id)
        events.record(db, "wallet.scenario_armed", persona_id=persona_id, actor=actor, scenario=scenario_id)
