"""The payments' tables, the event kinds they record, and the refusals a learner sees.

Migration names are stored in every sandbox database: keep ``Migrations("payments")`` and
each function's name as they are, wherever this module moves.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

from workbench.errors import Refusal

migrations = Migrations("payments")

FAILURE_REASONS = ("insufficient_balance", "wrong_passcode", "wrong_otp", "locked", "expired", "already_paid",
                   "timeout", "payee_mismatch")

EVENT_KINDS = {
    "payment.started": "the learner opened the payment gateway for a payable (payload: ref, amount)",
    "payment.provider_chosen": "a bank or e-wallet was chosen in the gateway (payload: provider)",
    "payment.authorised": "the passcode or OTP was accepted in the simulated bank/wallet app (payload: method)",
    "payment.otp_sent": "a fake bank sent a payment OTP by SMS to the simulated phone (payload: provider)",
    "payment.succeeded": "money moved once and the payable is paid (payload: payment_id, amount, channel)",
    "payment.failed": "a payment was refused (payload: reason = insufficient_balance | wrong_passcode | wrong_otp | "
                      "locked | expired | already_paid | timeout | payee_mismatch | photo: a photo with no sandbox QR)",
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


def fetch_one(db, sql: str, params=()) -> dict | None:
    """The first row of ``sql`` as a dict, or None."""
    cursor = db.execute(sql, list(params))
    values = cursor.fetchone()
    if values is None:
        return None
    return dict(zip([c[0] for c in cursor.description], values))


def fetch_all(db, sql: str, params=()) -> list[dict]:
    cursor = db.execute(sql, list(params))
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


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


@migrations()
def m003_dossier_paid_once(db):
    # Money for a dossier moves once, whatever the route (issue 14): the portal's payable and a
    # desk QR for the same dossier are two payables, so ``payments_paid_once`` alone let both
    # through. At most one pending-or-succeeded payment per dossier.
    db.execute("create unique index payments_dossier_paid_once on payments(dossier_code) "
               "where dossier_code is not null and status in ('pending', 'succeeded')")
