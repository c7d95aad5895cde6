"""The trainer's controls over a whole workshop: the sandbox clock, the police's approval for
everyone, ending, reopening and resetting it."""

from __future__ import annotations

import datetime as dt

from workbench import clock, events, store
from workbench.learning.workshops import hall, progress
from workbench.learning.workshops.hall import WorkshopError
from workbench.sandbox import eid


def move_clock(db, workshop_id: str, minutes: int) -> dt.datetime:
    """Move the sandbox clock forward (it is one clock for the whole sandbox)."""
    hall.require(db, workshop_id)
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise WorkshopError("workshop.error.minutes", field="minutes") from None
    if not 1 <= minutes <= 7 * 24 * 60:
        raise WorkshopError("workshop.error.minutes", field="minutes")
    with store.write(db):
        moved = clock.advance(db, dt.timedelta(minutes=minutes))
        events.record(db, "workshop.clock_moved", actor="trainer", workshop_id=workshop_id, minutes=minutes)
    return moved


def bulk_approve(db, workshop_id: str) -> int:
    """"The police approved you": approve VNeID level 2 for every participant still waiting."""
    hall.require(db, workshop_id)
    count = 0
    with store.write(db):
        for row in hall.participants(db, workshop_id):
            account = eid.account(db, row["persona_id"])
            if int(account["level"] or 0) >= 2 or account["registration"] == "approved":
                continue
            eid.approve_registration(db, row["persona_id"], actor="trainer")
            count += 1
        events.record(db, "workshop.bulk_approved", actor="trainer", workshop_id=workshop_id, count=count)
    return count


def end(db, workshop_id: str) -> dict:
    """Close the workshop: the join code stops working; progress and the report stay."""
    workshop = hall.require(db, workshop_id)
    if workshop["status"] == "ended":
        return workshop
    with store.write(db):
        db["workshops"].update(workshop_id, {"status": "ended", "ended_at": clock.now(db).isoformat()})
        events.record(db, "workshop.ended", actor="trainer", workshop_id=workshop_id)
    return hall.get(db, workshop_id)


def reopen(db, workshop_id: str) -> dict:
    workshop = hall.require(db, workshop_id)
    with store.write(db):
        code = workshop["join_code"]
        if db.execute("select 1 from workshops where join_code = ? and status = 'open' and id != ?",
                      [code, workshop_id]).fetchone():
            code = hall.new_code(db)
        db["workshops"].update(workshop_id, {"status": "open", "ended_at": None, "join_code": code})
    return hall.get(db, workshop_id)


def _persona_tables(db) -> list[str]:
    return [name for name in db.table_names()
            if name not in ("personas", "events") and "persona_id" in db[name].columns_dict
            and name not in ("workshop_certificates",)]


def reset(db, workshop_id: str) -> int:
    """Wipe this workshop's personas, everything they did and its events; returns how many
    personas went. Other workshops, other personas and the tracker are untouched. The
    workshop itself stays (open, with a new join code) so the trainer can run it again;
    issued certificates stay verifiable."""
    hall.require(db, workshop_id)
    with store.write(db):
        ids = [r[0] for r in db.execute("select id from personas where workshop_id = ?", [workshop_id])]
        if ids:
            db.execute("create temp table if not exists _reset_ids (id text primary key)")
            db.execute("delete from _reset_ids")
            db.conn.executemany("insert into _reset_ids values (?)", [(i,) for i in ids])
            if db["dossiers"].exists():
                for table in ("dossier_documents", "dossier_messages"):
                    if db[table].exists():
                        db.execute(f"delete from {table} where code in (select code from dossiers "
                                   f"where persona_id in (select id from _reset_ids))")
            if db["pay_entries"].exists() and db["pay_transactions"].exists():
                db.execute("delete from pay_entries where txn_id in (select id from pay_transactions "
                           "where persona_id in (select id from _reset_ids))")
            for table in _persona_tables(db):
                db.execute(f"delete from [{table}] where persona_id in (select id from _reset_ids)")
            db.execute("delete from events where persona_id in (select id from _reset_ids)")
            db.execute("delete from _reset_ids")
        db.execute("delete from events where workshop_id = ?", [workshop_id])
        db.execute("delete from personas where workshop_id = ?", [workshop_id])
        db.execute("delete from workshop_participants where workshop_id = ?", [workshop_id])
        db.execute("delete from workshop_nudges where workshop_id = ?", [workshop_id])
        db["workshops"].update(workshop_id, {"status": "open", "ended_at": None})
    progress.forget_evaluated()
    return len(ids)

