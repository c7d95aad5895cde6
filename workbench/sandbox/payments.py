"""Paying fees without cash, in the sandbox: accounts, a double-entry ledger, the portal's
payment gateway, desk QR codes and the simulated wallet / bank app (issue 5).

Safe by construction (DESIGN.md, principle 1):
- money is integer đồng held in a ledger: every transaction is entries that sum to zero, and
  each account's balance is the sum of its entries. A CHECK constraint keeps persona and payee
  balances from going negative even if code were wrong;
- a payable (a dossier's fee, a desk QR) is paid at most once: every pay is one
  ``store.write`` (BEGIN IMMEDIATE) unit, and a partial UNIQUE index on ``payments`` lets only
  one pending-or-succeeded payment exist per payable. The same token paid twice, two tabs, a
  double click or a retry after a timeout all end with the money moved once;
- a desk QR is a URL to this laptop carrying a token signed by this installation
  (``workbench.sandbox.paytokens``), never a bank payload a real banking app could pay.

Refusals are recorded as events too (``payment.failed`` with a ``reason``), then raised as
``PaymentError`` carrying a locale key, so pages show a clear message next to the step.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from dataclasses import dataclass, field

from sqlite_utils.migrations import Migrations

from workbench import clock, data as data_files, events, network, passwords, store
from workbench.errors import Refusal
from workbench.sandbox import dossiers, eid, paytokens, personas, phone, scenarios

migrations = Migrations("payments")

BANK_VAULT = "system:bank_vault"      # where the fake banks' opening money comes from
SOCIAL_FUND = "system:social_fund"    # pays the social benefit at home
ADJUSTMENTS = "system:adjustments"    # trainer scenarios that set a balance
SYSTEM_ACCOUNTS = {BANK_VAULT: "Kho tiền ngân hàng mô phỏng", SOCIAL_FUND: "Quỹ trợ cấp xã hội mô phỏng",
                   ADJUSTMENTS: "Điều chỉnh của người hướng dẫn"}
FAILURE_REASONS = ("insufficient_balance", "wrong_passcode", "wrong_otp", "locked", "expired", "already_paid",
                   "timeout", "payee_mismatch")
OTP_MINUTES = 5
BENEFIT_AMOUNT = 500_000
PASSCODE_LENGTH = 6

EVENT_KINDS = {
    "payment.started": "the learner opened the payment gateway for a payable (payload: ref, amount)",
    "payment.provider_chosen": "a bank or e-wallet was chosen in the gateway (payload: provider)",
    "payment.authorised": "the passcode or OTP was accepted in the simulated bank/wallet app (payload: method)",
    "payment.otp_sent": "a fake bank sent a payment OTP by SMS to the simulated phone (payload: provider)",
    "payment.succeeded": "money moved once and the payable is paid (payload: payment_id, amount, channel)",
    "payment.failed": "a payment was refused (payload: reason = insufficient_balance | wrong_passcode | wrong_otp | "
                      "locked | expired | already_paid | timeout | payee_mismatch)",
    "payment.pending": "the network 'timed out': money is held, the payment resolves once without paying twice",
    "receipt.downloaded": "the learner downloaded a biên lai điện tử (payload: payment_id)",
    "wallet.topped_up": "money moved from the persona's fake bank account into the wallet (payload: amount)",
    "wallet.benefit_received": "a social benefit was paid into the wallet (payload: amount, program)",
    "wallet.linked_vneid": "the wallet was linked to VNeID (needs e-ID level 2)",
    "wallet.link_refused": "linking to VNeID was refused (payload: reason = eid_level)",
    "wallet.benefit_refused": "a benefit could not be paid (payload: reason = not_linked)",
    "wallet.topup_failed": "a top-up was refused (payload: reason)",
    "wallet.passcode_set": "the persona set the 6-digit wallet passcode",
    "wallet.unlocked": "a trainer unlocked a wallet locked by wrong passcodes",
    "wallet.scenario_armed": "a trainer armed a failure scenario for a persona (payload: scenario)",
    "bank.account_opened": "a fake bank account and wallet were opened for the persona",
    "qr.issued": "the desk showed a payment QR (payload: request_id, amount, reference, scam)",
    "qr.scanned": "a phone opened a desk QR's link or typed its code (payload: request_id)",
    "qr.paid": "a desk QR was paid; the desk screen turns to 'Đã nhận tiền' (payload: request_id)",
    "scam.reported": "the learner refused to pay a QR whose payee was wrong, or reported a scam message",
    "payment.dossier_refused": "the dossier could not take the payment (refused or withdrawn meanwhile); nothing moved",
}


class PaymentError(Refusal):
    """A refusal the learner must see; ``reason`` names the scenario that caused it."""

    def __init__(self, key: str, reason: str | None = None, **params):
        super().__init__(key, **params)
        self.reason = reason


class PaymentPending(PaymentError):
    """The 'network timed out': the payment exists, pending; check again to finish it."""

    def __init__(self, payment_id: str):
        super().__init__("payments.error.timeout", "timeout", payment_id=payment_id)
        self.payment_id = payment_id


# --- schema ------------------------------------------------------------------------------

@migrations()
def m001_ledger(db):
    db.execute("""
        create table pay_accounts (
            id text primary key,
            kind text not null,               -- wallet | bank | payee | system
            persona_id text,
            provider_id text,
            name text not null,
            balance integer not null default 0,
            allow_negative integer not null default 0,
            passcode_hash text,
            failed_tries integer not null default 0,
            locked_until text,
            linked_vneid_at text,
            created_at text not null,
            check (typeof(balance) = 'integer'),
            check (allow_negative = 1 or balance >= 0)
        )""")
    db.execute("create index pay_accounts_persona on pay_accounts(persona_id)")
    db.execute("""
        create table pay_transactions (
            id integer primary key,
            kind text not null,               -- opening | topup | benefit | payment | adjustment
            at text not null,
            memo text,
            persona_id text,
            idempotency_key text unique
        )""")
    db.execute("""
        create table pay_entries (
            id integer primary key,
            txn_id integer not null references pay_transactions(id),
            account_id text not null references pay_accounts(id),
            amount integer not null check (typeof(amount) = 'integer')
        )""")
    db.execute("create index pay_entries_account on pay_entries(account_id, id)")
    db.execute("""
        create table payments (
            id text primary key,
            payable_ref text not null,
            reference text,
            payee_id text,
            amount integer not null check (typeof(amount) = 'integer' and amount > 0),
            persona_id text,
            provider_id text,
            account_id text,
            channel text,
            status text not null,             -- pending | succeeded
            txn_id integer references pay_transactions(id),
            idempotency_key text unique,
            dossier_code text,
            procedure_id text,
            created_at text not null,
            completed_at text
        )""")
    # The heart of "paid once": at most one pending-or-succeeded payment per payable.
    db.execute("create unique index payments_paid_once on payments(payable_ref) "
               "where status in ('pending', 'succeeded')")
    db.execute("create index payments_persona on payments(persona_id)")
    db.execute("""
        create table pay_requests (
            id text primary key,
            nonce text not null unique,
            token text not null,
            code text not null unique,
            amount integer not null check (typeof(amount) = 'integer' and amount > 0),
            payee_id text not null,
            reference text not null,
            dossier_code text,
            expires_at text not null,
            status text not null default 'open',   -- open | paid
            scam_of text,
            payment_id text,
            persona_id text,
            created_at text not null
        )""")
    db.execute("create table pay_flags (persona_id text not null, flag text not null, primary key (persona_id, flag))")


@migrations()
def m002_pay_otps(db):
    # One-time codes a fake bank sends by SMS to authorise a payment ("passcode or OTP").
    db.execute("""
        create table pay_otps (
            id integer primary key,
            persona_id text not null,
            provider_id text not null,
            payable_ref text not null,
            code_hash text not null,
            sms_id integer,
            expires_at text not null,
            used integer not null default 0
        )""")
    db.execute("create index pay_otps_persona on pay_otps(persona_id, id)")


# --- data files ---------------------------------------------------------------------------

def _providers_file() -> dict:
    return data_files.load("payment_providers")


def scenarios_file() -> dict:
    return data_files.load("payment_scenarios")


def providers(kind: str | None = None) -> list[dict]:
    return [p for p in _providers_file()["providers"] if kind is None or p["kind"] == kind]


def provider(provider_id: str) -> dict:
    for item in providers():
        if item["id"] == provider_id:
            return item
    raise PaymentError("payments.error.unknown_provider", provider=provider_id)


def payees(include_scam: bool = False) -> list[dict]:
    return [p for p in _providers_file()["payees"] if include_scam or not p.get("scam")]


def payee(payee_id: str) -> dict:
    for item in _providers_file()["payees"]:
        if item["id"] == payee_id:
            return item
    raise PaymentError("payments.error.unknown_payee", payee=payee_id)


def fee_payee_id() -> str:
    return payees()[0]["id"]


def scenario_defaults() -> dict:
    return scenarios_file()["defaults"]


def scenario(scenario_id: str) -> dict:
    for item in scenarios_file()["scenarios"]:
        if item["id"] == scenario_id:
            return item
    raise KeyError(scenario_id)


# --- helpers --------------------------------------------------------------------------------

def _now(db) -> str:
    return clock.now(db).isoformat()


def _row(db, sql: str, params=()) -> dict | None:
    cursor = db.execute(sql, list(params))
    values = cursor.fetchone()
    if values is None:
        return None
    return dict(zip([c[0] for c in cursor.description], values))


def _rows(db, sql: str, params=()) -> list[dict]:
    cursor = db.execute(sql, list(params))
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


def _check_amount(amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise PaymentError("payments.error.amount_not_integer")
    if amount <= 0:
        raise PaymentError("payments.error.amount_not_positive")
    return amount


def _short_id(prefix: str) -> str:
    return prefix + "-" + paytokens.new_typed_code() + paytokens.new_typed_code()[:2]


# --- passcodes (scrypt) -----------------------------------------------------------------



def validate_passcode(passcode: str, confirm: str | None = None) -> str:
    passcode = (passcode or "").strip()
    if not (len(passcode) == PASSCODE_LENGTH and passcode.isdigit()):
        raise PaymentError("wallet.error.passcode_format")
    if len(set(passcode)) == 1 or passcode in "0123456789" or passcode in "9876543210":
        raise PaymentError("wallet.error.passcode_weak")
    if confirm is not None and passcode != (confirm or "").strip():
        raise PaymentError("wallet.error.passcode_mismatch")
    return passcode


# --- accounts and the ledger --------------------------------------------------------------

def _ensure_account(db, account_id: str, *, kind: str, name: str, persona_id=None, provider_id=None,
                    allow_negative: bool = False) -> None:
    db.execute(
        "insert or ignore into pay_accounts (id, kind, persona_id, provider_id, name, allow_negative, created_at) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [account_id, kind, persona_id, provider_id, name, int(allow_negative), _now(db)],
    )


def _ensure_system(db) -> None:
    for account_id, name in SYSTEM_ACCOUNTS.items():
        _ensure_account(db, account_id, kind="system", name=name, allow_negative=True)


def _payee_account(db, payee_id: str) -> str:
    account_id = f"payee:{payee_id}"
    _ensure_account(db, account_id, kind="payee", name=payee(payee_id)["name"])
    return account_id


def wallet_id(persona_id: str) -> str:
    return f"wallet:{persona_id}"


def bank_id(persona_id: str) -> str:
    return f"bank:{persona_id}"


def transfer(db, kind: str, source: str, target: str, amount: int, *, memo: str = "", persona_id=None,
             idempotency_key: str | None = None) -> int:
    """Move ``amount`` đồng from ``source`` to ``target`` as one balanced transaction.

    Raises PaymentError ``insufficient_balance`` (and moves nothing) when the source would go
    below zero. Joins the caller's transaction.
    """
    amount = _check_amount(amount)
    with store.write(db):
        moved = db.execute(
            "update pay_accounts set balance = balance - ? where id = ? and (allow_negative = 1 or balance >= ?)",
            [amount, source, amount],
        ).rowcount
        if moved != 1:
            have = balance(db, source)
            raise PaymentError("payments.error.insufficient_balance", "insufficient_balance",
                               balance=have, amount=amount, missing=amount - have)
        db.execute("update pay_accounts set balance = balance + ? where id = ?", [amount, target])
        txn_id = db.execute(
            "insert into pay_transactions (kind, at, memo, persona_id, idempotency_key) values (?, ?, ?, ?, ?)",
            [kind, _now(db), memo, persona_id, idempotency_key],
        ).lastrowid
        db.execute("insert into pay_entries (txn_id, account_id, amount) values (?, ?, ?)", [txn_id, source, -amount])
        db.execute("insert into pay_entries (txn_id, account_id, amount) values (?, ?, ?)", [txn_id, target, amount])
    return txn_id


def balance(db, account_id: str) -> int:
    row = db.execute("select balance from pay_accounts where id = ?", [account_id]).fetchone()
    return int(row[0]) if row else 0


def account(db, account_id: str) -> dict | None:
    return _row(db, "select * from pay_accounts where id = ?", [account_id])


def _persona_or_error(db, persona_id: str) -> dict:
    persona = personas.get(db, persona_id)
    if persona is None:
        raise PaymentError("payments.error.no_persona")
    return persona


def has_accounts(db, persona_id: str) -> bool:
    return account(db, wallet_id(persona_id)) is not None


def ensure_accounts(db, persona_id: str) -> dict:
    """Open the persona's fake bank account and wallet on first use.

    Personas in a scenario starting state (not "fresh") get the documented passcode and a
    starting wallet balance, so a trainer can say them aloud (sandbox_data/payment_scenarios.toml).
    """
    persona = _persona_or_error(db, persona_id)
    with store.write(db):
        if not has_accounts(db, persona_id):
            defaults = _providers_file()["defaults"]
            bank, wallet = provider(defaults["bank"]), provider(defaults["wallet"])
            _ensure_system(db)
            _ensure_account(db, bank_id(persona_id), kind="bank", name=bank["name"], persona_id=persona_id,
                            provider_id=bank["id"])
            _ensure_account(db, wallet_id(persona_id), kind="wallet", name=wallet["name"], persona_id=persona_id,
                            provider_id=wallet["id"])
            if bank["opening_balance"]:
                transfer(db, "opening", BANK_VAULT, bank_id(persona_id), bank["opening_balance"],
                         memo="opening", persona_id=persona_id)
            if (persona.get("starting_state") or "fresh") != "fresh":
                defaults = scenario_defaults()
                db.execute("update pay_accounts set passcode_hash = ? where id = ?",
                           [passwords.hash_secret(defaults["scenario_passcode"], passwords.SANDBOX), wallet_id(persona_id)])
                if defaults["scenario_wallet_balance"]:
                    transfer(db, "opening", BANK_VAULT, wallet_id(persona_id), defaults["scenario_wallet_balance"],
                             memo="opening", persona_id=persona_id)
            events.record(db, "bank.account_opened", persona_id=persona_id, actor="system",
                          bank=bank["id"], wallet=wallet["id"])
    return {"wallet": account(db, wallet_id(persona_id)), "bank": account(db, bank_id(persona_id))}


def new_practice_persona(db) -> dict:
    """A phone that scanned a desk QR with no persona yet: a new persona, ready to pay, whose
    wallet passcode is the documented scenario passcode (payment_scenarios.toml)."""
    persona = scenarios.create(db, "ready")
    ensure_accounts(db, persona["id"])
    return persona


def accounts_of(db, persona_id: str) -> list[dict]:
    return _rows(db, "select * from pay_accounts where persona_id = ? order by kind desc", [persona_id])


def wallet_balance(db, persona_id: str) -> int:
    return balance(db, wallet_id(persona_id))


def bank_balance(db, persona_id: str) -> int:
    return balance(db, bank_id(persona_id))


def has_passcode(db, persona_id: str) -> bool:
    row = account(db, wallet_id(persona_id))
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
    row = account(db, wallet_id(persona_id))
    return bool(row and row["locked_until"] and row["locked_until"] > _now(db))


def tries_left(db, persona_id: str) -> int:
    row = account(db, wallet_id(persona_id))
    return scenario_defaults()["wrong_passcode_limit"] - (row["failed_tries"] if row else 0)


def _hash_check(db, persona_id: str, passcode: str) -> tuple[str | None, bool]:
    """The slow part (scrypt), done *before* taking the write lock so a hall of phones paying
    at once does not queue behind each other's hashing: (the hash checked, whether it matched)."""
    row = account(db, wallet_id(persona_id))
    stored = row["passcode_hash"] if row else None
    return stored, passwords.check_secret(passcode, stored)


def _check_passcode(db, persona_id: str, passcode: str, checked: tuple[str | None, bool] | None = None) -> str | None:
    """Inside a write: None when right; else the failure reason, with tries counted and a lock set."""
    row = account(db, wallet_id(persona_id))
    if row["locked_until"] and row["locked_until"] > _now(db):
        return "locked"
    if not row["passcode_hash"]:
        return "no_passcode"
    if checked is None or checked[0] != row["passcode_hash"]:  # changed meanwhile: check again
        checked = (row["passcode_hash"], passwords.check_secret(passcode, row["passcode_hash"]))
    if checked[1]:
        db.execute("update pay_accounts set failed_tries = 0, locked_until = null where id = ?", [row["id"]])
        return None
    return _count_wrong_try(db, row, "wrong_passcode")


def _count_wrong_try(db, row: dict, reason: str) -> str:
    """One more wrong passcode or OTP: after ``wrong_passcode_limit`` in a row the app locks."""
    limit = scenario_defaults()["wrong_passcode_limit"]
    tries = (0 if row["locked_until"] else row["failed_tries"]) + 1
    locked_until = None
    if tries >= limit:
        locked_until = (clock.now(db) + dt.timedelta(minutes=scenario_defaults()["lock_minutes"])).isoformat()
    db.execute("update pay_accounts set failed_tries = ?, locked_until = ? where id = ?",
               [0 if locked_until else tries, locked_until, row["id"]])
    return "locked" if locked_until else reason


def _passcode_error(db, persona_id: str, reason: str) -> PaymentError:
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
        reason = _check_passcode(db, persona_id, passcode)
        if reason and reason != "no_passcode":
            events.record(db, "payment.failed", persona_id=persona_id, reason=reason, purpose=purpose)
    if reason:
        raise _passcode_error(db, persona_id, reason)


def unlock(db, persona_id: str, actor: str = "trainer") -> None:
    with store.write(db):
        db.execute("update pay_accounts set failed_tries = 0, locked_until = null where id = ?", [wallet_id(persona_id)])
        events.record(db, "wallet.unlocked", persona_id=persona_id, actor=actor)


# --- payment OTP (banks that authorise by SMS code) -----------------------------------------

def authorise_method(provider_id: str) -> str:
    """"passcode" (the app's 6-digit passcode) or "otp" (a code the fake bank sends by SMS)."""
    return provider(provider_id).get("authorise", "passcode")


def send_payment_otp(db, persona_id: str, payable: "Payable", provider_id: str) -> int:
    """The fake bank texts a 6-digit code to the persona's simulated phone. Returns the SMS id.

    Nothing leaves the app: the SMS is a row in the phone's inbox (``phone.receive_sms``),
    the code is kept only as a hash. Earlier codes for this payable stop working.
    """
    chosen = provider(provider_id)
    ensure_accounts(db, persona_id)
    code = f"{secrets.randbelow(10**6):06d}"
    with store.write(db):
        db.execute("update pay_otps set used = 1 where persona_id = ? and used = 0", [persona_id])
        text = (f"{chosen['short']} (MO PHONG): Ma OTP thanh toan {payable.amount} VND cho {payable.reference} "
                f"la {code}. Hieu luc {OTP_MINUTES} phut. KHONG cung cap ma nay cho bat ky ai.")
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
    import re

    row = _row(db, "select sms_id from pay_otps where persona_id = ? order by id desc limit 1", [persona_id])
    if row is None:
        raise LookupError("no payment OTP sent")
    return re.search(r"la (\d{6})", phone.get_sms(db, row["sms_id"])["text"]).group(1)


def _check_otp(db, persona_id: str, payable_ref: str, code: str) -> str | None:
    """Inside a write: None when the code is right; else the reason, counting tries like a passcode."""

    row = account(db, wallet_id(persona_id))
    if row["locked_until"] and row["locked_until"] > _now(db):
        return "locked"
    current = _row(db, "select * from pay_otps where persona_id = ? and payable_ref = ? and used = 0 "
                       "order by id desc limit 1", [persona_id, payable_ref])
    if current is None:
        return "no_otp"
    if current["expires_at"] <= _now(db):
        return "otp_expired"
    if passwords.check_secret((code or "").strip(), current["code_hash"]):
        db.execute("update pay_otps set used = 1 where id = ?", [current["id"]])
        db.execute("update pay_accounts set failed_tries = 0, locked_until = null where id = ?", [row["id"]])
        return None
    return _count_wrong_try(db, row, "wrong_otp")


# --- the wallet app -------------------------------------------------------------------------

def top_up(db, persona_id: str, amount: int, passcode: str) -> int:
    """Move money from the persona's fake bank account into the wallet; returns the new balance."""
    ensure_accounts(db, persona_id)
    try:
        amount = _check_amount(amount)
    except PaymentError as error:
        events.record(db, "wallet.topup_failed", persona_id=persona_id, reason="amount")
        raise error
    verify_passcode(db, persona_id, passcode, purpose="topup")
    try:
        with store.write(db):
            transfer(db, "topup", bank_id(persona_id), wallet_id(persona_id), amount, memo="topup",
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
    row = account(db, wallet_id(persona_id))
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
                   [_now(db), wallet_id(persona_id)])
        events.record(db, "wallet.linked_vneid", persona_id=persona_id)


def receive_benefit(db, persona_id: str, amount: int = BENEFIT_AMOUNT, program: str = "tro_cap_tai_nha",
                    actor: str = "desk") -> int:
    """The commune pays a social benefit into a VNeID-linked wallet; returns the new balance."""
    ensure_accounts(db, persona_id)
    amount = _check_amount(amount)
    if not is_linked(db, persona_id):
        events.record(db, "wallet.benefit_refused", persona_id=persona_id, actor=actor, reason="not_linked")
        raise PaymentError("wallet.error.not_linked")
    with store.write(db):
        transfer(db, "benefit", SOCIAL_FUND, wallet_id(persona_id), amount, memo=program, persona_id=persona_id)
        events.record(db, "wallet.benefit_received", persona_id=persona_id, actor=actor, amount=amount,
                      program=program)
    return wallet_balance(db, persona_id)


def history(db, persona_id: str, limit: int = 50) -> list[dict]:
    """The persona's ledger lines, newest first: at, kind, memo, account, amount (+ in, − out)."""
    return _rows(db, """
        select t.id as txn_id, t.at, t.kind, t.memo, e.account_id, a.kind as account_kind, e.amount,
               (select p.reference from payments p where p.txn_id = t.id) as reference,
               (select p.id from payments p where p.txn_id = t.id) as payment_id
        from pay_entries e join pay_transactions t on t.id = e.txn_id join pay_accounts a on a.id = e.account_id
        where a.persona_id = ? order by e.id desc limit ?""", [persona_id, limit])


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
                transfer(db, "adjustment", wallet_id(persona_id), ADJUSTMENTS, current - target,
                         memo="scenario", persona_id=persona_id)
            elif current < target:
                transfer(db, "adjustment", ADJUSTMENTS, wallet_id(persona_id), target - current,
                         memo="scenario", persona_id=persona_id)
        elif scenario_id == "timeout":
            db.execute("insert or ignore into pay_flags (persona_id, flag) values (?, 'next_timeout')", [persona_id])
        else:
            raise KeyError(scenario_id)
        events.record(db, "wallet.scenario_armed", persona_id=persona_id, actor=actor, scenario=scenario_id)


def _take_flag(db, persona_id: str, flag: str) -> bool:
    return db.execute("delete from pay_flags where persona_id = ? and flag = ?", [persona_id, flag]).rowcount > 0


# --- payables and paying ---------------------------------------------------------------------

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
    dossier = dossiers.get(db, code) if code else None
    if dossier and persona_id and dossier["persona_id"] != persona_id:
        dossier = None
    if not dossier:
        raise PaymentError("payments.error.no_dossier", code=code or "")
    already = paid_payment(db, f"dossier:{code}")
    amount = int(dossiers.amount_due(db, code))
    if amount <= 0 and already is None:
        raise PaymentError("payments.error.nothing_due", code=code)
    return Payable(ref=f"dossier:{code}", reference=code, amount=amount or (already or {}).get("amount", 0),
                   payee_id=fee_payee_id(), channel="portal", dossier_code=code,
                   procedure_id=dossier.get("procedure_id"))


def paid_payment(db, payable_ref: str) -> dict | None:
    return _row(db, "select * from payments where payable_ref = ? and status in ('pending', 'succeeded')",
                [payable_ref])


def get_payment(db, payment_id: str) -> dict | None:
    return _row(db, "select * from payments where id = ?", [payment_id])


def payments_for(db, persona_id: str) -> list[dict]:
    return _rows(db, "select * from payments where persona_id = ? order by created_at desc", [persona_id])


def start(db, persona_id: str, payable: Payable) -> None:
    """The learner opened the gateway for this payable."""
    ensure_accounts(db, persona_id)
    events.record(db, "payment.started", persona_id=persona_id, **payable.event_payload())


def choose_provider(db, persona_id: str, payable: Payable, provider_id: str) -> dict:
    """Pick a bank or wallet; refused when the persona has no account there."""
    chosen = provider(provider_id)
    events.record(db, "payment.provider_chosen", persona_id=persona_id, provider=provider_id,
                  **payable.event_payload())
    if account_for_provider(db, persona_id, provider_id) is None:
        raise PaymentError("payments.error.no_account", provider=chosen["name"])
    return chosen


def account_for_provider(db, persona_id: str, provider_id: str) -> dict | None:
    return _row(db, "select * from pay_accounts where persona_id = ? and provider_id = ?", [persona_id, provider_id])


def new_attempt_key() -> str:
    """One key per 'Pay' screen: a double click or a retry reuses it, so money moves once."""
    return secrets.token_urlsafe(16)


def _on_paid(db, payable: Payable, payment_id: str) -> None:
    if payable.ref.startswith("qr:"):
        db.execute("update pay_requests set status = 'paid', payment_id = ? where id = ?",
                   [payment_id, payable.ref[3:]])
    if payable.dossier_code:
        dossiers.record_payment(db, payable.dossier_code, payment_id=payment_id, channel=payable.channel)


def _succeed(db, payment: dict, payable: Payable) -> None:
    db.execute("update payments set status = 'succeeded', completed_at = ? where id = ?", [_now(db), payment["id"]])
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
    ensure_accounts(db, persona_id)
    failure: PaymentError | None = None
    payment_id = None
    method = authorise_method(provider_id)
    checked = _hash_check(db, persona_id, passcode) if method == "passcode" else None
    try:
        with store.write(db):
            existing = paid_payment(db, payable.ref)
            if existing is not None:
                if existing["idempotency_key"] == attempt_key or (
                        existing["status"] == "pending" and existing["persona_id"] == persona_id):
                    if existing["status"] == "pending":
                        _succeed(db, existing, payable)
                    return get_payment(db, existing["id"])
                failure = PaymentError("payments.error.already_paid", "already_paid")
            elif payable.ref.startswith("qr:"):
                failure = _request_problem(db, payable.ref[3:])
            if failure is None:
                source = account_for_provider(db, persona_id, provider_id)
                if source is None:
                    failure = PaymentError("payments.error.no_account", provider=provider(provider_id)["name"])
            if failure is None:
                reason = (_check_otp(db, persona_id, payable.ref, otp_code) if method == "otp"
                          else _check_passcode(db, persona_id, passcode, checked))
                if reason:
                    failure = _passcode_error(db, persona_id, reason)
                else:
                    events.record(db, "payment.authorised", persona_id=persona_id, provider=provider_id,
                                  method=method, **payable.event_payload())
            if failure is None and payable.scam:
                failure = PaymentError("payments.error.payee_mismatch", "payee_mismatch",
                                       payee=payee(payable.payee_id)["name"], expected=payees()[0]["name"])
            if failure is None and balance(db, source["id"]) < payable.amount:
                have = balance(db, source["id"])
                failure = PaymentError("payments.error.insufficient_balance", "insufficient_balance",
                                       balance=have, amount=payable.amount, missing=payable.amount - have)
            if failure is None:
                target = _payee_account(db, payable.payee_id)
                txn_id = transfer(db, "payment", source["id"], target, payable.amount, memo=payable.reference,
                                  persona_id=persona_id, idempotency_key=attempt_key)
                timed_out = _take_flag(db, persona_id, "next_timeout")
                payment_id = _short_id("GD")
                payment = {
                    "id": payment_id, "payable_ref": payable.ref, "reference": payable.reference,
                    "payee_id": payable.payee_id, "amount": payable.amount, "persona_id": persona_id,
                    "provider_id": provider_id, "account_id": source["id"], "channel": payable.channel,
                    "status": "pending", "txn_id": txn_id, "idempotency_key": attempt_key,
                    "dossier_code": payable.dossier_code, "procedure_id": payable.procedure_id,
                    "created_at": _now(db), "completed_at": None,
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
    except dossiers.DossierError as error:
        # The dossier was refused or changed meanwhile: everything above rolled back.
        events.record(db, "payment.dossier_refused", persona_id=persona_id, reason=getattr(error, "key", ""),
                      provider=provider_id, **payable.event_payload())
        raise PaymentError("payments.error.dossier_state", "dossier", code=payable.dossier_code or "") from None
    except sqlite3.IntegrityError:
        # Another connection paid this payable between our check and insert: the unique index
        # is the last line of defence. Nothing of ours was committed.
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


# --- desk QR ----------------------------------------------------------------------------------

def qr_payload(request: dict) -> str:
    """What the QR holds: the LAN URL of the pay page with the signed token, or, with no
    network at all, the typed code (the phone shows it as text)."""
    url = network.lan_url(path=f"pay?t={request['token']}")
    return url or f"MO-PHONG-{paytokens.format_typed_code(request['code'])}"


def issue_desk_qr(db, amount: int, payee_id: str, reference: str, *, minutes: int | None = None,
                  dossier_code: str | None = None, scam_of: str | None = None, actor: str = "desk") -> dict:
    """Show a fee as a QR at the desk. Returns the request with ``token``, ``code``, ``payload``."""
    amount = _check_amount(amount)
    reference = (reference or "").strip()
    if not reference:
        raise PaymentError("payments.error.reference_empty")
    payee(payee_id)
    minutes = scenario_defaults()["qr_minutes"] if minutes is None else int(minutes)
    with store.write(db):
        expires_at = (clock.now(db) + dt.timedelta(minutes=minutes)).isoformat()
        nonce, token = paytokens.new_token(expires_at, amount, payee_id, reference)
        code = paytokens.new_typed_code()
        while db.execute("select 1 from pay_requests where code = ?", [code]).fetchone():
            code = paytokens.new_typed_code()
        request = {"id": _short_id("QR"), "nonce": nonce, "token": token, "code": code, "amount": amount,
                   "payee_id": payee_id, "reference": reference, "dossier_code": dossier_code,
                   "expires_at": expires_at, "status": "open", "scam_of": scam_of, "payment_id": None,
                   "persona_id": None, "created_at": _now(db)}
        db["pay_requests"].insert(request)
        events.record(db, "qr.issued", actor=actor, request_id=request["id"], amount=amount, reference=reference,
                      scam=bool(scam_of), code=dossier_code)
    return {**request, "payload": qr_payload(request)}


def issue_scam_qr(db, request_id: str, actor: str = "trainer") -> dict:
    """The 'scammer' copies a desk QR: same reference, a look-alike payee, a higher amount."""
    original = get_request(db, request_id)
    scam_payee = next(p for p in payees(include_scam=True) if p.get("scam"))
    return issue_desk_qr(db, original["amount"] + scenario("payee_mismatch")["amount_extra"], scam_payee["id"],
                         original["reference"], dossier_code=None, scam_of=request_id, actor=actor)


def get_request(db, request_id: str) -> dict | None:
    return _row(db, "select * from pay_requests where id = ?", [request_id])


def _request_problem(db, request_id: str) -> PaymentError | None:
    request = get_request(db, request_id)
    if request is None:
        return PaymentError("payments.error.invalid_code")
    if request["status"] == "paid":
        return PaymentError("payments.error.already_paid", "already_paid")
    if request["expires_at"] <= _now(db):
        return PaymentError("payments.error.expired", "expired")
    return None


def find_request(db, *, token: str | None = None, code: str | None = None) -> dict:
    """The open request for a scanned token or a typed code, checked: signed by this
    installation, not yet paid, not expired. Raises PaymentError otherwise."""
    if token:
        try:
            nonce = paytokens.nonce_of(token)
        except paytokens.TokenError as error:
            raise PaymentError(error.key) from None
        request = _row(db, "select * from pay_requests where nonce = ?", [nonce])
        if request is None:
            raise PaymentError("payments.error.invalid_code")
        try:
            paytokens.check(token, request["expires_at"], request["amount"], request["payee_id"], request["reference"])
        except paytokens.TokenError as error:
            raise PaymentError(error.key) from None
    else:
        normalised = paytokens.normalise_typed_code(code or "")
        if len(normalised) != paytokens.TYPED_CODE_LENGTH:
            raise PaymentError("payments.error.code_format")
        request = _row(db, "select * from pay_requests where code = ?", [normalised])
        if request is None:
            raise PaymentError("payments.error.invalid_code")
    return request


def request_payable(request: dict) -> Payable:
    return Payable(ref=f"qr:{request['id']}", reference=request["reference"], amount=request["amount"],
                   payee_id=request["payee_id"], channel="desk_qr", dossier_code=request.get("dossier_code"),
                   scam=bool(request.get("scam_of")))


def scan(db, persona_id: str | None, *, token: str | None = None, code: str | None = None) -> dict:
    """A phone opened a QR link or typed a code: the request, or the refusal the learner sees
    (expired, already paid, not from this installation). Records qr.scanned / payment.failed."""
    request = find_request(db, token=token, code=code)
    problem = _request_problem(db, request["id"])
    payload = request_payable(request).event_payload()
    if problem is not None:
        if persona_id:
            events.record(db, "payment.failed", persona_id=persona_id, reason=problem.reason, **payload)
        raise problem
    if persona_id:
        ensure_accounts(db, persona_id)
        events.record(db, "qr.scanned", persona_id=persona_id, via="token" if token else "code", **payload)
    return request


def refuse_wrong_payee(db, persona_id: str, request_id: str) -> None:
    """The learner noticed the payee is wrong and stopped: the right answer to a scam QR."""
    request = get_request(db, request_id)
    events.record(db, "scam.reported", persona_id=persona_id, what="payee_mismatch",
                  scam=bool(request and request["scam_of"]), request_id=request_id)


def request_status(db, request_id: str) -> dict:
    """For the desk screen's live refresh: status, and who paid when."""
    request = get_request(db, request_id) or {}
    result = {"status": request.get("status"), "expired": bool(request) and request["status"] == "open"
              and request["expires_at"] <= _now(db), "payer": None, "paid_at": None}
    if request.get("payment_id"):
        payment = get_payment(db, request["payment_id"])
        persona = personas.get(db, payment["persona_id"]) if payment else None
        result.update(payer=(persona or {}).get("display_name"), paid_at=(payment or {}).get("completed_at"))
    return result


# --- invariants -----------------------------------------------------------------------------

def ledger_problems(db) -> list[str]:
    """Every way the ledger could be wrong; empty when all is well (tests and the bench)."""
    problems = []
    for row in _rows(db, """select a.id, a.balance, a.allow_negative, coalesce(sum(e.amount), 0) as total
                             from pay_accounts a left join pay_entries e on e.account_id = a.id group by a.id"""):
        if row["total"] != row["balance"]:
            problems.append(f"{row['id']}: balance {row['balance']} but entries sum to {row['total']}")
        if row["balance"] < 0 and not row["allow_negative"]:
            problems.append(f"{row['id']}: negative balance {row['balance']}")
    for row in _rows(db, "select txn_id, sum(amount) as total from pay_entries group by txn_id having total != 0"):
        problems.append(f"transaction {row['txn_id']} does not balance: {row['total']}")
    return problems
