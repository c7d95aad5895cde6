"""Accounts and a double-entry ledger of integer đồng.

Every transaction is two entries that sum to zero, and each account's balance is the sum of
its entries; ``ledger_problems`` checks both (tests and the bench). A CHECK constraint keeps
persona and payee balances from going negative even if code were wrong.
"""

from __future__ import annotations

from workbench import clock, store
from workbench.sandbox.payments import providers
from workbench.sandbox.payments.schema import PaymentError, fetch_all, fetch_one

BANK_VAULT = "system:bank_vault"      # where the fake banks' opening money comes from
SOCIAL_FUND = "system:social_fund"    # pays the social benefit at home
ADJUSTMENTS = "system:adjustments"    # trainer scenarios that set a balance
SYSTEM_ACCOUNTS = {BANK_VAULT: "Kho tiền ngân hàng mô phỏng", SOCIAL_FUND: "Quỹ trợ cấp xã hội mô phỏng",
                   ADJUSTMENTS: "Điều chỉnh của người hướng dẫn"}


def check_amount(amount) -> int:
    """``amount`` when it is a positive whole number of đồng; PaymentError otherwise."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise PaymentError("payments.error.amount_not_integer")
    if amount <= 0:
        raise PaymentError("payments.error.amount_not_positive")
    return amount


def wallet_id(persona_id: str) -> str:
    return f"wallet:{persona_id}"


def bank_id(persona_id: str) -> str:
    return f"bank:{persona_id}"


def ensure_account(db, account_id: str, *, kind: str, name: str, persona_id=None, provider_id=None,
                   allow_negative: bool = False) -> None:
    db.execute(
        "insert or ignore into pay_accounts (id, kind, persona_id, provider_id, name, allow_negative, created_at) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [account_id, kind, persona_id, provider_id, name, int(allow_negative), clock.now(db).isoformat()],
    )


def ensure_system(db) -> None:
    for account_id, name in SYSTEM_ACCOUNTS.items():
        ensure_account(db, account_id, kind="system", name=name, allow_negative=True)


def payee_account(db, payee_id: str) -> str:
    account_id = f"payee:{payee_id}"
    ensure_account(db, account_id, kind="payee", name=providers.payee(payee_id)["name"])
    return account_id


def transfer(db, kind: str, source: str, target: str, amount: int, *, memo: str = "", persona_id=None,
             idempotency_key: str | None = None) -> int:
    """Move ``amount`` đồng from ``source`` to ``target`` as one balanced transaction.

    Raises PaymentError ``insufficient_balance`` (and moves nothing) when the source would go
    below zero. Joins the caller's transaction.
    """
    amount = check_amount(amount)
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
            [kind, clock.now(db).isoformat(), memo, persona_id, idempotency_key],
        ).lastrowid
        db.execute("insert into pay_entries (txn_id, account_id, amount) values (?, ?, ?)", [txn_id, source, -amount])
        db.execute("insert into pay_entries (txn_id, account_id, amount) values (?, ?, ?)", [txn_id, target, amount])
    return txn_id


def balance(db, account_id: str) -> int:
    row = db.execute("select balance from pay_accounts where id = ?", [account_id]).fetchone()
    return int(row[0]) if row else 0


def account(db, account_id: str) -> dict | None:
    return fetch_one(db, "select * from pay_accounts where id = ?", [account_id])


def accounts_of(db, persona_id: str) -> list[dict]:
    return fetch_all(db, "select * from pay_accounts where persona_id = ? order by kind desc", [persona_id])


def history(db, persona_id: str, limit: int = 50) -> list[dict]:
    """The persona's ledger lines, newest first: at, kind, memo, account, amount (+ in, − out)."""
    return fetch_all(db, """
        select t.id as txn_id, t.at, t.kind, t.memo, e.account_id, a.kind as account_kind, e.amount,
               (select p.reference from payments p where p.txn_id = t.id) as reference,
               (select p.id from payments p where p.txn_id = t.id) as payment_id
        from pay_entries e join pay_transactions t on t.id = e.txn_id join pay_accounts a on a.id = e.account_id
        where a.persona_id = ? order by e.id desc limit ?""", [persona_id, limit])


def ledger_problems(db) -> list[str]:
    """Every way the ledger could be wrong; empty when all is well (tests and the bench)."""
    problems = []
    for row in fetch_all(db, """select a.id, a.balance, a.allow_negative, coalesce(sum(e.amount), 0) as total
                                from pay_accounts a left join pay_entries e on e.account_id = a.id group by a.id"""):
        if row["total"] != row["balance"]:
            problems.append(f"{row['id']}: balance {row['balance']} but entries sum to {row['total']}")
        if row["balance"] < 0 and not row["allow_negative"]:
            problems.append(f"{row['id']}: negative balance {row['balance']}")
    for row in fetch_all(db, "select txn_id, sum(amount) as total from pay_entries group by txn_id having total != 0"):
        problems.append(f"transaction {row['txn_id']} does not balance: {row['total']}")
    return problems
