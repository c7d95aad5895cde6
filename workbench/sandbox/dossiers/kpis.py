"""The figures the seeds report, on the sandbox's dossiers: one SQL aggregate, so a page can
show them at 100,000 dossiers, and a fingerprint a page can cache them by."""

from __future__ import annotations

from workbench import clock
from workbench.sandbox.dossiers.schema import OPEN_STATUSES


def _share(part: int | None, whole: int | None) -> float | None:
    return (part or 0) / whole if whole else None


def kpis(db, workshop_id: str | None = None) -> dict:
    """The figures the seeds report, on the sandbox's dossiers (or one workshop's), in one
    SQL aggregate so it costs one scan at 100,000 dossiers:

    - share filed online, fully and partly (Ba Tơ: 99.6% fully online);
    - share of fee-bearing dossiers paid online through the portal (Gia Phú 60%, Ba Tơ 94%);
    - of resolved dossiers, the share early / on time / late against the due date;
    - share digitised (Ba Tơ ~100%), and satisfaction (Gia Phú 100% satisfied).
    """
    where, params = "status != 'draft'", []
    if workshop_id:
        where += " and workshop_id = ?"
        params.append(workshop_id)
    today = clock.now(db).date().isoformat()
    open_list = ",".join(f"'{s}'" for s in OPEN_STATUSES)
    row = db.execute(f"""
        select count(*),
               sum(channel = 'online'),
               sum(channel = 'online' and online_level = 'full'),
               sum(channel = 'online' and online_level = 'partial'),
               sum(fee > 0 and status != 'refused'),
               sum(fee > 0 and paid_at is not null and paid_channel = 'portal'),
               sum(fee > 0 and paid_at is not null),
               sum(resolved_at is not null),
               sum(resolved_at is not null and substr(resolved_at, 1, 10) < due_date),
               sum(resolved_at is not null and substr(resolved_at, 1, 10) = due_date),
               sum(resolved_at is not null and substr(resolved_at, 1, 10) > due_date),
               sum(digitised),
               count(rating), avg(rating), sum(rating >= 4),
               sum(status in ({open_list}) and due_date < ?)
        from dossiers where {where}""", [today, *params]).fetchone()
    (total, online, full, partial, fee_bearing, paid_online, paid, resolved, early, on_time, late,
     digitised, rated, rating_avg, satisfied, overdue) = [v if v is not None else 0 for v in row[:13]] + \
        [row[13], row[14] or 0, row[15] or 0]
    return {
        "total": total, "online": online, "online_full": full, "online_partial": partial,
        "fee_bearing": fee_bearing, "paid": paid, "paid_online": paid_online, "resolved": resolved,
        "early": early, "on_time": on_time, "late": late, "digitised": digitised, "rated": rated,
        "satisfied": satisfied, "overdue_open": overdue,
        "rating_avg": round(rating_avg, 2) if rating_avg is not None else None,
        "share_online": _share(online, total), "share_online_full": _share(full, total),
        "share_online_partial": _share(partial, total), "share_paid_online": _share(paid_online, fee_bearing),
        "share_early": _share(early, resolved), "share_on_time": _share(on_time, resolved),
        "share_late": _share(late, resolved), "share_digitised": _share(digitised, total),
        "share_satisfied": _share(satisfied, rated),
    }


def kpi_fingerprint(db) -> tuple:
    """Changes whenever ``kpis`` could: every dossier change records an event (the last event
    id), a reset or a workshop reset changes the count, and the sandbox date moves overdue
    dossiers. Cheap at 100,000 dossiers, so a page can cache the KPIs by it."""
    last_event = db.execute("select max(id) from events").fetchone()[0]
    count = db.execute("select count(*) from dossiers").fetchone()[0]
    return (last_event, count, clock.now(db).date().isoformat())
