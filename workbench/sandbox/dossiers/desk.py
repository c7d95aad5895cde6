"""The one-stop desk's side of a dossier: the queue, then receive, refuse, ask for a
supplement, process, approve, record the fee, return the result, and the apology slip when
a dossier is late. A walk-in dossier typed in at the desk starts here too.

The queue is built for 100,000 dossiers (bench/dossiers_scale.py): each list is answered
from an index, then only the rows of one page are read.
"""

from __future__ import annotations

import datetime as dt
import json

from workbench import clock, store
from workbench.sandbox import catalogue, personas
from workbench.sandbox.dossiers import jurisdiction, records, rules
from workbench.sandbox.dossiers.schema import OPEN_SQL, STATUSES
from workbench.sandbox.dossiers.transitions import TRANSITIONS, desk_row, recorded, refuse_action
from workbench.text import parse_date

PAYMENT_CHANNELS = ("portal", "desk_qr", "cash")


@recorded
def receive(db, code: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = desk_row(db, code, "receive", actor)
        records.update(db, code, status="received", received_at=clock.now(db).isoformat(), digitised=1)
        records.add_message(db, code, actor, "dossiers.message.received")
        records.log(db, "dossier.received", row, actor)
    return records.get(db, code)


@recorded
def refuse(db, code: str, reason: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = desk_row(db, code, "refuse", actor)
        if not (reason or "").strip():
            refuse_action(db, row, "refuse", actor, "dossiers.error.reason_required")
        records.update(db, code, status="refused", refused_at=clock.now(db).isoformat(), refuse_reason=reason.strip())
        records.add_message(db, code, actor, "dossiers.message.refused", note=reason.strip())
        records.log(db, "dossier.refused", row, actor, reason=reason.strip())
    return records.get(db, code)


@recorded
def request_supplement(db, code: str, note: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = desk_row(db, code, "request_supplement", actor)
        if not (note or "").strip():
            refuse_action(db, row, "request_supplement", actor, "dossiers.error.note_required")
        last_doc = db.execute("select max(id) from dossier_documents").fetchone()[0] or 0
        records.update(db, code, status="supplement_requested", supplement_note=note.strip(),
                       supplement_at=clock.now(db).isoformat(), supplement_doc_id=last_doc,
                       supplement_from="processing" if row["status"] == "processing" else "received")
        records.add_message(db, code, actor, "dossiers.message.supplement_requested", note=note.strip())
        records.log(db, "dossier.supplement_requested", row, actor, note=note.strip())
    return records.get(db, code)


@recorded
def process(db, code: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = desk_row(db, code, "process", actor)
        records.update(db, code, status="processing", processing_at=clock.now(db).isoformat())
        records.log(db, "dossier.processing", row, actor)
    return records.get(db, code)


def _ask_for_payment(db, row: dict, actor: str) -> None:
    records.update(db, row["code"], payment_requested_at=clock.now(db).isoformat())
    records.add_message(db, row["code"], actor, "dossiers.message.payment_requested", amount=row["fee_unpaid"])
    records.log(db, "dossier.payment_requested", row, actor, amount=row["fee_unpaid"])


@recorded
def request_payment(db, code: str, actor: str = "desk") -> dict:
    """The desk asks for the fee: only now does the citizen's "Quản lý hồ sơ" show "Yêu cầu
    thanh toán" and a way to pay (the portal's path, issue 13)."""
    with store.write(db):
        row = desk_row(db, code, "request_payment", actor)
        if row["fee_unpaid"] <= 0:
            refuse_action(db, row, "request_payment", actor, "dossiers.error.nothing_to_pay")
        if row.get("payment_requested_at"):
            refuse_action(db, row, "request_payment", actor, "dossiers.error.payment_already_requested")
        _ask_for_payment(db, row, actor)
    return records.get(db, code)


@recorded
def approve(db, code: str, actor: str = "desk") -> dict:
    """Approve: the result is ready, or waits for the fee when one is still unpaid (approving
    asks for it, if the desk had not asked already)."""
    with store.write(db):
        row = desk_row(db, code, "approve", actor)
        now = clock.now(db).isoformat()
        waiting = row["fee_unpaid"] > 0
        records.update(db, code, status="awaiting_payment" if waiting else "result_ready", resolved_at=now)
        records.log(db, "dossier.approved", row, actor)
        if waiting:
            if not row.get("payment_requested_at"):
                _ask_for_payment(db, row, actor)
            records.add_message(db, code, actor, "dossiers.message.awaiting_payment", amount=row["fee_unpaid"])
        else:
            records.add_message(db, code, actor, "dossiers.message.result_ready")
            records.log(db, "dossier.result_ready", row, "system")
    return records.get(db, code)


@recorded
def record_payment(db, code: str, payment_id: str, channel: str = "portal", actor: str = "persona") -> dict:
    """Record the fee as paid (payments calls this). Idempotent for the same ``payment_id``;
    a second, different payment is refused with ``dossier.error.already_paid``."""
    with store.write(db):
        row = records.get(db, code)
        if row is None:
            refuse_action(db, None, "record_payment", actor, "dossiers.error.not_found", code=code)
        if row.get("paid_at"):
            if row.get("payment_id") == payment_id:
                return row
            refuse_action(db, row, "record_payment", actor, "dossiers.error.already_paid")
        if channel not in PAYMENT_CHANNELS:
            refuse_action(db, row, "record_payment", actor, "dossiers.error.payment_channel", channel=channel)
        if row["status"] not in TRANSITIONS["record_payment"][1]:
            refuse_action(db, row, "record_payment", actor, "dossiers.error.not_allowed",
                          attempted="record_payment", status=row["status"])
        if int(row.get("fee") or 0) <= 0:
            refuse_action(db, row, "record_payment", actor, "dossiers.error.nothing_to_pay")
        values = {"paid_at": clock.now(db).isoformat(), "paid_channel": channel, "payment_id": payment_id}
        if row["status"] == "awaiting_payment":
            values["status"] = "result_ready"
        records.update(db, code, **values)
        records.log(db, "dossier.paid", row, actor, channel=channel, amount=int(row["fee"]), payment_id=payment_id)
        if row["status"] == "awaiting_payment":
            records.add_message(db, code, "system", "dossiers.message.result_ready")
            records.log(db, "dossier.result_ready", row, "system")
    return records.get(db, code)


@recorded
def return_result(db, code: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = desk_row(db, code, "return_result", actor)
        records.update(db, code, status="returned", returned_at=clock.now(db).isoformat())
        records.add_message(db, code, actor, "dossiers.message.returned")
        records.log(db, "dossier.result_returned", row, actor)
    return records.get(db, code)


@recorded
def issue_apology(db, code: str, new_date: dt.date | str | None = None, actor: str = "desk") -> dict:
    """The apology slip (Phiếu xin lỗi và hẹn lại ngày trả kết quả) for an overdue dossier.

    Without ``new_date`` the new date is the processing time again from today.
    """
    with store.write(db):
        row = desk_row(db, code, "issue_apology", actor)
        if not row["needs_apology"]:
            refuse_action(db, row, "issue_apology", actor, "dossiers.error.not_overdue")
        now = clock.now(db)
        if new_date is None:
            proc = catalogue.get(row["procedure_id"])
            new_date = rules.due_date(now, max(1, proc["processing_days"]))
        new_date = parse_date(new_date)
        if new_date is None or new_date <= now.date() or not rules.is_working_day(new_date):
            refuse_action(db, row, "issue_apology", actor, "dossiers.error.new_date_invalid")
        records.update(db, code, apology_due_date=new_date.isoformat(), apology_at=now.isoformat())
        records.add_message(db, code, actor, "dossiers.message.apology", new_date=new_date.strftime("%d/%m/%Y"))
        records.log(db, "dossier.apology_issued", row, actor, new_date=new_date.isoformat())
    return records.get(db, code)


def file_at_desk(db, persona_id: str, procedure_id: str, *, digitised: bool = True, actor: str = "desk",
                 answers: dict | None = None) -> dict:
    """A walk-in dossier typed in by the desk (not filed online): counts against the online share."""
    proc = catalogue.get(procedure_id)
    persona = personas.get(db, persona_id)
    refusal = jurisdiction.refusal(persona or {}, clock.now(db).date())
    if refusal:
        refuse_action(db, None, "file_at_desk", actor, refusal[0], persona_id=persona_id, **refusal[1])
    with store.write(db):
        now = clock.now(db)
        code = records.new_code(db, now)
        row = {"code": code, "persona_id": persona_id, "procedure_id": procedure_id, "answers": answers or {}}
        amount, _ = rules.fee_for(row, "desk", now.date())
        db["dossiers"].insert({
            "code": code, "persona_id": persona_id, "workshop_id": (persona or {}).get("workshop_id"),
            "procedure_id": procedure_id, "field": proc["field"], "online_level": proc["online_level"],
            "channel": "desk", "status": "received", "answers": json.dumps(answers or {}, ensure_ascii=False),
            "delivery": "desk", "fee": amount, "created_at": now.isoformat(), "submitted_at": now.isoformat(),
            "received_at": now.isoformat(), "due_date": rules.due_date(now, proc["processing_days"]).isoformat(),
            "digitised": int(digitised), "overdue_recorded": 0, "updated_at": now.isoformat(),
        })
        records.log(db, "dossier.received", row, actor, channel="desk")
    return records.get(db, code)


# --- the queue ----------------------------------------------------------------------------

def mark_overdue(db) -> int:
    """Record ``dossier.overdue`` once for each open dossier past its due date. Returns how many.

    One INSERT … SELECT on the partial index of open, not-yet-recorded dossiers: the desk
    page calls this on every run, and after a big jump of the sandbox clock thousands of
    dossiers can fall overdue at once. The rows are the ones ``events.record`` would write.
    """
    today = clock.now(db).date().isoformat()
    pending = f"overdue_recorded = 0 and status in {OPEN_SQL} and due_date < ?"
    table = "dossiers indexed by dossiers_overdue_pending"  # without statistics SQLite picks a worse one
    with store.write(db):
        count = db.execute(f"select count(*) from {table} where {pending}", [today]).fetchone()[0]
        if count:
            db.execute(
                "insert into events (at, actor, persona_id, workshop_id, kind, payload) "
                "select ?, 'system', persona_id, workshop_id, 'dossier.overdue', "
                f"json_object('code', code, 'procedure_id', procedure_id) from {table} where {pending} "
                "order by due_date, code", [clock.now(db).isoformat(), today])
            db.execute(f"update {table} set overdue_recorded = 1 where {pending}", [today])
    return count


DESK_COLUMNS = ("d.code, d.persona_id, d.procedure_id, d.status, d.channel, d.submitted_at, d.due_date, "
                "d.apology_due_date, d.fee, d.paid_at, d.delivery, d.supplement_note, d.refuse_reason, "
                "p.full_name")


def _code_filter(code: str) -> tuple[str, list]:
    """The search box: a full code or its beginning ("DVC-261124-AB…"), or the 8-character
    token read aloud at the desk, or its beginning. Prefix ranges, so an index answers."""
    text = "".join(code.split()).upper()
    if text.startswith("DVC-"):
        return "code >= ? and code < ?", [text, text + "~"]
    return "substr(code, 12) >= ? and substr(code, 12) < ?", [text, text + "~"]


def desk_queue(db, *, status: str | None = None, overdue_only: bool = False, code: str | None = None,
               limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """One page of the desk's queue and how many there are in all: newest first, or for the
    overdue filter the longest overdue first.

    The page's codes come from an index alone (``dossiers_queue``, or the partial index of
    open dossiers), then only those rows are read, so a page costs about the same at 100 or
    100,000 dossiers (bench/dossiers_scale.py).
    """
    today = clock.now(db).date()
    # Without table statistics SQLite prefers the older (status, …) indexes and sorts tens of
    # thousands of rows; name the index that answers each list (bench/dossiers_scale.py).
    source = "dossiers"
    if overdue_only:
        where, params, order = f"status in {OPEN_SQL} and due_date < ?", [today.isoformat()], "due_date, code"
        source = "dossiers indexed by dossiers_open_due"
    else:
        where, params, order = "status != 'draft'", [], "submitted_at desc, code desc"
        if status:
            where, params = "status = ?", [status]
    if code and code.strip():
        clause, values = _code_filter(code)
        where += " and " + clause
        params += values
        source = "dossiers indexed by dossiers_token" if clause.startswith("substr") else "dossiers"
    total = db.execute(f"select count(*) from {source} where {where}", params).fetchone()[0]
    codes = [c for (c,) in db.execute(f"select code from {source} where {where} order by {order} limit ? offset ?",
                                     [*params, limit, offset]).fetchall()]
    if not codes:
        return [], total
    cursor = db.execute(f"select {DESK_COLUMNS} from dossiers d left join personas p on p.id = d.persona_id "
                        f"where d.code in ({','.join('?' * len(codes))})", codes)
    cols = [c[0] for c in cursor.description]
    found = {}
    for values in cursor.fetchall():
        row = dict(zip(cols, values))
        row["answers"] = {}
        found[row["code"]] = records.decorate(db, row, today)
    return [found[c] for c in codes], total


def status_counts(db) -> dict[str, int]:
    rows = db.execute("select status, count(*) from dossiers where status != 'draft' group by status").fetchall()
    counts = {s: 0 for s in STATUSES}
    counts.update(dict(rows))
    counts["overdue"] = db.execute(f"select count(*) from dossiers where status in {OPEN_SQL} and due_date < ?",
                                   [clock.now(db).date().isoformat()]).fetchone()[0]
    return counts
