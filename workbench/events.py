"""The sandbox event log: one row for every action a sandbox user takes.

Lessons check steps against it and the workshop dashboard reads it, so every action —
success or refusal — is recorded with a stable ``kind`` such as ``eid.activated`` or
``otp.expired``. Kinds are part of the lesson file format: renaming one breaks lessons.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from sqlite_utils.migrations import Migrations

from workbench import clock, store

migrations = Migrations("events")


@migrations()
def m001_events(db):
    db["events"].create(
        {
            "id": int,
            "at": str,  # ISO time on the sandbox clock
            "actor": str,  # who acted: "persona", "desk", "trainer", "system"
            "persona_id": str,
            "workshop_id": str,
            "kind": str,
            "payload": str,  # JSON
        },
        pk="id",
    )
    db["events"].create_index(["persona_id", "id"])
    db["events"].create_index(["workshop_id", "id"])
    db["events"].create_index(["kind"])


def record(
    db,
    kind: str,
    *,
    persona_id: str | None = None,
    actor: str = "persona",
    workshop_id: str | None = None,
    **payload: Any,
) -> int:
    """Append one event and return its id. Joins the caller's transaction if there is one."""
    if workshop_id is None and persona_id is not None:
        row = db.execute(
            "select workshop_id from personas where id = ?", [persona_id]
        ).fetchone() if db["personas"].exists() else None
        workshop_id = row[0] if row else None
    with store.write(db):
        cursor = db.execute(
            "insert into events (at, actor, persona_id, workshop_id, kind, payload) values (?, ?, ?, ?, ?, ?)",
            [
                clock.now(db).isoformat(),
                actor,
                persona_id,
                workshop_id,
                kind,
                json.dumps(payload, ensure_ascii=False, default=str),
            ],
        )
        return cursor.lastrowid


def _rows(cursor) -> list[dict]:
    columns = [c[0] for c in cursor.description]
    out = []
    for values in cursor.fetchall():
        row = dict(zip(columns, values))
        row["payload"] = json.loads(row["payload"] or "{}")
        out.append(row)
    return out


def for_persona(db, persona_id: str, *, kinds: Iterable[str] | None = None, since_id: int = 0) -> list[dict]:
    """A persona's events, oldest first."""
    sql = "select * from events where persona_id = ? and id > ?"
    params: list[Any] = [persona_id, since_id]
    if kinds:
        kinds = list(kinds)
        sql += f" and kind in ({','.join('?' * len(kinds))})"
        params += kinds
    return _rows(db.execute(sql + " order by id", params))


def for_workshop(db, workshop_id: str, *, since_id: int = 0) -> list[dict]:
    return _rows(
        db.execute("select * from events where workshop_id = ? and id > ? order by id", [workshop_id, since_id])
    )


def recent(db, limit: int = 50) -> list[dict]:
    return _rows(db.execute("select * from events order by id desc limit ?", [limit]))


EVENT_KINDS = {"persona.created": "a persona was made (payload: starting_state)"}
