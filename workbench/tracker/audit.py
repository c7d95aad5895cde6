"""The audit log: who changed what, by ids and field names only.

Real people's data lives in ``tracker.db``; every write there leaves one line here naming
the actor and the action, never a name or a phone number, so a citizen deleted on request
leaves nothing of themselves behind but that line. The log also gives the dashboard its
cache key (``data_version``).
"""

from __future__ import annotations

import json

from workbench import store
from workbench.tracker import realtime


def record(db, actor: str, action: str, entity: str = "", entity_id: int | None = None, **detail) -> int:
    """One line of who changed what. ``detail`` holds ids and field names, never personal data."""
    with store.write(db):
        cursor = db.execute(
            "insert into audit (at, actor, action, entity, entity_id, detail) values (?, ?, ?, ?, ?, ?)",
            [realtime.now_iso(), actor or "?", action, entity, entity_id, json.dumps(detail, ensure_ascii=False)],
        )
        return cursor.lastrowid


# Audit lines of actions that change no figure: signing in, managing users, exports, backups.
# Every other write (citizens, milestones, villages, teams, targets, settings, imports, demo
# data, restores…) leaves a line that is not one of these, so it moves the data version.
_NOT_DATA = ("auth.", "user.", "export.", "backup.created", "citizen.exported")


def data_version(db) -> int:
    """The dashboard's cache key: the id of the last audit line of a write that can change a
    figure. A login, a user change or an export writes an audit line too, but leaves it as it
    is, so signing in does not throw away a province's cached dashboard. Walks the audit log
    back from its newest line to the first such write (a few rows, by rowid)."""
    clauses = " and ".join(["action not like ?"] * len(_NOT_DATA))
    row = db.execute(f"select id from audit where {clauses} order by id desc limit 1",
                     [f"{p}%" for p in _NOT_DATA]).fetchone()
    return row[0] if row else 0


def log(db, limit: int = 200, entity: str | None = None, entity_id: int | None = None) -> list[dict]:
    """The newest lines first, all of them or those about one record."""
    sql, params = "select * from audit", []
    if entity:
        sql += " where entity = ? and entity_id = ?"
        params = [entity, entity_id]
    return list(db.query(sql + " order by id desc limit ?", [*params, limit]))
