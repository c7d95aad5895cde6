"""Targets: what the commune aims for, by when, and how far along it is.

The headline target is the "1.000 công dân số" of the commune (a default one until an
official sets it); others count a milestone, or villages with a team, for the commune, a
village or a team, as a number or a percentage of the citizens recorded.
"""

from __future__ import annotations

import datetime as dt

from workbench import store, text
from workbench.tracker import audit, fields, realtime
from workbench.tracker.errors import TrackerError
from workbench.tracker.schema import MILESTONES

DEFAULT_TARGET = 1000
METRICS = ("digital", *[f"m_{m}" for m in MILESTONES], "villages_with_team")
SCOPES = ("commune", "village", "team")


def add(db, *, name, metric, kind, value, scope="commune", scope_id=None, deadline, actor) -> int:
    name = text.clean(name)
    if not name:
        raise TrackerError("tracker.error.required", field="name")
    if metric not in METRICS:
        raise TrackerError("tracker.error.unknown_metric", field="metric")
    if kind not in ("number", "percent") or scope not in SCOPES:
        raise TrackerError("tracker.error.target_kind", field="kind")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TrackerError("tracker.error.not_a_number", field="value") from None
    if value <= 0 or (kind == "percent" and value > 100):
        raise TrackerError("tracker.error.target_value", field="value")
    if scope != "commune" and not scope_id:
        raise TrackerError("tracker.error.required", field="scope_id")
    deadline = fields.parse_date(deadline)
    with store.write(db):
        target_id = db["targets"].insert({"name": name, "metric": metric, "kind": kind, "value": value,
                                          "scope": scope, "scope_id": scope_id if scope != "commune" else None,
                                          "deadline": deadline, "created_by": actor}).last_pk
        audit.record(db, actor, "target.added", "target", target_id)
    return target_id


def delete(db, target_id: int, actor: str) -> None:
    with store.write(db):
        db.execute("delete from targets where id = ?", [target_id])
        audit.record(db, actor, "target.deleted", "target", target_id)


def saved(db) -> list[dict]:
    """Every target set, the nearest deadline first."""
    return list(db.query("select * from targets order by deadline, id"))


def headline(db) -> dict:
    """The commune-wide digital-citizen target (the "1.000"), or the default one."""
    rows = list(db.query("select * from targets where metric = 'digital' and scope = 'commune' and kind = 'number' "
                         "order by deadline limit 1"))
    if rows:
        return rows[0]
    return {"id": None, "name": "1.000 công dân số", "metric": "digital", "kind": "number",
            "value": DEFAULT_TARGET, "scope": "commune", "scope_id": None,
            "deadline": dt.date(realtime.today().year, 12, 31).isoformat()}


def progress(db, target: dict) -> dict:
    """Current value, goal and ratio of one target (percent: of the citizens recorded in scope)."""
    if target["metric"] == "villages_with_team":
        total = db.execute("select count(*) from villages").fetchone()[0]
        done = db.execute("select count(distinct village_id) from teams where village_id is not null").fetchone()[0]
        current = 100 * done / total if total and target["kind"] == "percent" else done
    else:
        column = "digital_date" if target["metric"] == "digital" else target["metric"]
        if column not in {"digital_date", *[f"m_{m}" for m in MILESTONES]}:
            raise TrackerError("tracker.error.unknown_metric", field="metric")
        where, params = "1", []
        if target["scope"] == "village":
            where, params = "village_id = ?", [target["scope_id"]]
        elif target["scope"] == "team":
            where, params = "team_id = ?", [target["scope_id"]]
        done, total = db.execute(
            f"select count({column}), count(*) from citizens where {where}", params).fetchone()
        if target["kind"] == "percent":
            current = 100 * done / total if total else 0
        else:
            current = done
    goal = target["value"]
    return {"current": current, "goal": goal, "ratio": min(1.0, current / goal) if goal else 0.0}

