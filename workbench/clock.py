"""The sandbox clock: real time plus an offset the trainer can move forward.

Deadlines, OTP expiry and overdue dossiers are taught by moving this clock, so every
sandbox module asks ``clock.now(db)`` instead of ``datetime.now()``. The tracker never
uses it: real progress happens in real time.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils.migrations import Migrations

from workbench import store

migrations = Migrations("clock")

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


@migrations()
def m001_settings(db):
    db["sandbox_settings"].create({"key": str, "value": str}, pk="key")


def real_now() -> dt.datetime:
    return dt.datetime.now(VN_TZ).replace(microsecond=0)


def offset(db) -> dt.timedelta:
    row = db.execute("select value from sandbox_settings where key = 'clock_offset_s'").fetchone()
    return dt.timedelta(seconds=int(row[0])) if row else dt.timedelta(0)


def now(db) -> dt.datetime:
    """Sandbox time, in Vietnam's time zone."""
    return real_now() + offset(db)


def advance(db, delta: dt.timedelta) -> dt.datetime:
    """Move the sandbox clock forward (never back: events must stay in order)."""
    if delta < dt.timedelta(0):
        raise ValueError("the sandbox clock only moves forward")
    with store.write(db):
        seconds = int((offset(db) + delta).total_seconds())
        db["sandbox_settings"].upsert({"key": "clock_offset_s", "value": str(seconds)}, pk="key")
    return now(db)


def reset(db) -> None:
    with store.write(db):
        db.execute("delete from sandbox_settings where key = 'clock_offset_s'")
