"""Workshops (issue 7): a hall full of phones, one trainer's laptop.

A trainer creates a workshop (name, place, date, planned lessons, the personas' starting
state); phones join with a short code (the projector shows it as a QR and in big digits),
each getting a fresh sandbox persona in the planned state and landing in the first lesson.
The persona id is the participant's resume token: progress lives in SQLite, never in a
Streamlit session, because a phone that sleeps loses its session after
``server.disconnectedSessionTTL``.

The dashboard, the report, the certificates and the reset all work on one workshop's
personas (``personas.workshop_id``) and events (``events.workshop_id``); nothing here reads
or writes another workshop, and the tracker is only touched by ``to_tracker.add_to_tracker`` through
``tracker_auth.add_citizen`` on the tracker's own connection.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import secrets
import unicodedata

from sqlite_utils.migrations import Migrations

from workbench import clock, events, i18n, pdf, store
from workbench.errors import Refusal
from workbench.learning import lessons
from workbench.sandbox import eid, otp, personas, phone, scenarios

migrations = Migrations("workshop")

ROLES = ("citizen", "volunteer")
CELL_STATES = ("done", "working", "stuck", "todo")
DEFAULT_STUCK_MINUTES = 5
STUCK_MISTAKES = 3  # this many mistakes since the last step ticked is "stuck", whatever the time
NAME_MAX = 40
NUDGE_MAX = 200
LESSON_STATE = "lesson"  # starting state: each lesson's own (the first planned lesson's)
CERT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over a phone

EVENT_KINDS = {
    "workshop.created": "a trainer created a workshop (payload: lessons, starting_state)",
    "workshop.joined": "a participant joined a workshop with its code (payload: role)",
    "workshop.resumed": "a participant reopened their link and resumed (payload: lesson_id)",
    "workshop.nudged": "the trainer sent a message to a participant's phone",
    "workshop.nudge_seen": "the participant dismissed the trainer's message",
    "workshop.clock_moved": "the trainer moved the sandbox clock forward (payload: minutes)",
    "workshop.bulk_approved": "the trainer approved VNeID level 2 for the workshop (payload: count)",
    "workshop.ended": "the trainer ended the workshop",
    "workshop.certificate_issued": "a certificate of completion was issued (payload: code)",
    "workshop.added_to_tracker": "a consenting real citizen was added to the tracker (no personal data here)",
}


class WorkshopError(Refusal):
    """Something the trainer or a participant must fix; ``field`` (in params) names the input."""


@migrations()
def m001_workshops(db):
    db["workshops"].create(
        {
            "id": str,
            "name": str,
            "place": str,
            "date": str,  # ISO date
            "lessons": str,  # JSON list of lesson ids, in order
            "starting_state": str,  # a scenarios.STATES value, or "lesson"
            "join_code": str,  # 6 digits, unique among open workshops
            "stuck_minutes": int,
            "status": str,  # open | ended
            "created_at": str,
            "ended_at": str,
        },
        pk="id",
    )
    db["workshops"].create_index(["join_code"])
    db["workshop_participants"].create(
        {"persona_id": str, "workshop_id": str, "display_name": str, "role": str, "joined_at": str,
         "resumed": int, "tracked_at": str},
        pk="persona_id",
    )
    db["workshop_participants"].create_index(["workshop_id"])
    db["workshop_nudges"].create(
        {"id": int, "workshop_id": str, "persona_id": str, "text": str, "at": str, "seen_at": str},
        pk="id",
    )
    db["workshop_nudges"].create_index(["persona_id", "seen_at"])
    # Certificates are a snapshot (name, lessons, date) so a code stays verifiable after a reset.
    db["workshop_certificates"].create(
        {"code": str, "workshop_id": str, "persona_id": str, "display_name": str, "workshop_name": str,
         "place": str, "date": str, "lessons": str, "issued_at": str},
        pk="code",
    )
    db["workshop_certificates"].create_index(["workshop_id", "persona_id"], unique=True)


# --- small helpers -----------------------------------------------------------------------------

def _clean(value) -> str:
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", str(value or "")).strip())


def parse_date(value) -> str:
    """ISO date from a date, ``2026-11-23`` or ``23/11/2026``."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _clean(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise WorkshopError("workshop.error.date", field="date", value=text)


def lesson_catalogue() -> dict[str, lessons.Lesson]:
    found, _problems = lessons.load_all()
    return {lesson.id: lesson for lesson in found}


def _lesson_ids(workshop: dict) -> list[str]:
    return json.loads(workshop["lessons"] or "[]")


def _new_code(db) -> str:
    for _ in range(200):
        code = f"{secrets.randbelow(1_000_000):06d}"
        if not db.execute("select 1 from workshops where join_code = ? and status = 'open'", [code]).fetchone():
            return code
    raise WorkshopError("workshop.error.no_code")


def normalise_code(value) -> str:
    """What a participant typed (spaces, dashes, full-width digits) as 6 digits, or an error."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    digits = re.sub(r"[\s\-.]", "", text)
    if not re.fullmatch(r"\d{6}", digits):
        raise WorkshopError("workshop.error.code_format", field="code")
    return digits


# --- workshops ---------------------------------------------------------------------------------

def create(db, *, name: str, place: str, date, lessons_planned: list[str], starting_state: str = LESSON_STATE,
           stuck_minutes: int = DEFAULT_STUCK_MINUTES) -> dict:
    """Create an open workshop with a fresh join code; every field is checked first."""
    name, place = _clean(name), _clean(place)
    if not name:
        raise WorkshopError("workshop.error.name_required", field="name")
    if len(name) > 80:
        raise WorkshopError("workshop.error.too_long", field="name", max=80)
    if not place:
        raise WorkshopError("workshop.error.place_required", field="place")
    when = parse_date(date)
    planned = [lesson_id for lesson_id in dict.fromkeys(lessons_planned or [])]
    if not planned:
        raise WorkshopError("workshop.error.lessons_required", field="lessons")
    known = lesson_catalogue()
    unknown = [lesson_id for lesson_id in planned if lesson_id not in known]
    if unknown:
        raise WorkshopError("workshop.error.unknown_lesson", field="lessons", lesson=unknown[0])
    if starting_state != LESSON_STATE and starting_state not in scenarios.STATES:
        raise WorkshopError("workshop.error.unknown_state", field="starting_state", state=starting_state)
    try:
        stuck = int(stuck_minutes)
    except (TypeError, ValueError):
        raise WorkshopError("workshop.error.stuck_minutes", field="stuck_minutes") from None
    if not 1 <= stuck <= 60:
        raise WorkshopError("workshop.error.stuck_minutes", field="stuck_minutes")
    with store.write(db):
        row = {
            "id": secrets.token_urlsafe(9),
            "name": name,
            "place": place,
            "date": when,
            "lessons": json.dumps(planned),
            "starting_state": starting_state,
            "join_code": _new_code(db),
            "stuck_minutes": stuck,
            "status": "open",
            "created_at": clock.now(db).isoformat(),
            "ended_at": None,
        }
        db["workshops"].insert(row)
        events.record(db, "workshop.created", actor="trainer", workshop_id=row["id"], lessons=planned,
                      starting_state=starting_state)
    return row


def get(db, workshop_id: str | None) -> dict | None:
    if not workshop_id:
        return None
    return next(iter(db["workshops"].rows_where("id = ?", [workshop_id])), None)


def require(db, workshop_id: str) -> dict:
    workshop = get(db, workshop_id)
    if workshop is None:
        raise WorkshopError("workshop.error.unknown_workshop")
    return workshop


def list_all(db) -> list[dict]:
    return list(db["workshops"].rows_where(order_by="created_at desc, rowid desc"))


def planned_lessons(workshop: dict) -> list[str]:
    return _lesson_ids(workshop)


def by_code(db, code) -> dict:
    """The open workshop with this join code, or a message saying what is wrong."""
    digits = normalise_code(code)
    rows = list(db["workshops"].rows_where("join_code = ?", [digits], order_by="created_at desc"))
    if not rows:
        raise WorkshopError("workshop.error.code_unknown", field="code", code=digits)
    open_rows = [r for r in rows if r["status"] == "open"]
    if not open_rows:
        raise WorkshopError("workshop.error.ended", field="code")
    return open_rows[0]


def starting_state_for(workshop: dict) -> str:
    if workshop["starting_state"] and workshop["starting_state"] != LESSON_STATE:
        return workshop["starting_state"]
    first = lessons.get(_lesson_ids(workshop)[0])
    return first.starting_state


def join_path(workshop: dict) -> str:
    """The page path a phone opens (relative to the app's address); the QR holds it."""
    return f"join?code={workshop['join_code']}"


# --- participants --------------------------------------------------------------------------------

def join(db, code, display_name: str, role: str = "citizen") -> dict:
    """A phone joins: a fresh persona in the planned state, started on the first lesson.

    Returns ``{"persona_id", "lesson_id", "workshop_id"}``; the persona id is the resume token.
    """
    workshop = by_code(db, code)
    name = _clean(display_name)
    if not name:
        raise WorkshopError("workshop.error.display_name_required", field="display_name")
    if len(name) > NAME_MAX:
        raise WorkshopError("workshop.error.too_long", field="display_name", max=NAME_MAX)
    if role not in ROLES:
        raise WorkshopError("workshop.error.role", field="role")
    state = starting_state_for(workshop)
    first = _lesson_ids(workshop)[0]
    with store.write(db):
        persona = personas.create(db, workshop_id=workshop["id"], display_name=name, starting_state=state)
        scenarios.apply(db, persona["id"], state)
        db["workshop_participants"].insert({
            "persona_id": persona["id"], "workshop_id": workshop["id"], "display_name": name, "role": role,
            "joined_at": clock.now(db).isoformat(), "resumed": 0, "tracked_at": None})
        events.record(db, "workshop.joined", persona_id=persona["id"], workshop_id=workshop["id"], role=role)
        lessons.start(db, persona["id"], first)
    return {"persona_id": persona["id"], "lesson_id": first, "workshop_id": workshop["id"]}


def participant(db, persona_id: str | None) -> dict | None:
    """The participant row (with its workshop) for a resume token, or None."""
    if not persona_id:
        return None
    row = next(iter(db["workshop_participants"].rows_where("persona_id = ?", [persona_id])), None)
    if row is None:
        return None
    return {**row, "workshop": get(db, row["workshop_id"])}


def is_participant(db, persona_id: str | None, *, open_only: bool = False) -> bool:
    """Whether a persona joined a workshop (with ``open_only``, one that has not ended)."""
    if not persona_id or not db["workshop_participants"].exists():
        return False
    sql = ("select 1 from workshop_participants p join workshops w on w.id = p.workshop_id "
           "where p.persona_id = ?" + (" and w.status = 'open'" if open_only else ""))
    return db.execute(sql, [persona_id]).fetchone() is not None


def participants(db, workshop_id: str) -> list[dict]:
    return list(db["workshop_participants"].rows_where("workshop_id = ?", [workshop_id],
                                                       order_by="joined_at, rowid"))


def current_lesson(db, persona_id: str) -> str | None:
    """The first planned lesson whose steps are not all done (None when every one is)."""
    found = participant(db, persona_id)
    if found is None or found["workshop"] is None:
        return None
    for lesson_id in _lesson_ids(found["workshop"]):
        if lessons.run(db, persona_id, lesson_id):
            lessons.evaluate(db, persona_id, lesson_id)  # tick what was done since the last look
    saved = _steps_done(db, [persona_id])
    for lesson_id in _lesson_ids(found["workshop"]):
        lesson = lessons.get(lesson_id)
        if any((persona_id, lesson_id, s.id) not in saved for s in lesson.steps):
            return lesson_id
    return None


def resume(db, persona_id: str) -> str | None:
    """Where a reopened link goes: the current lesson, started if it was not yet. Records it."""
    found = participant(db, persona_id)
    if found is None:
        raise WorkshopError("workshop.error.unknown_token")
    lesson_id = current_lesson(db, persona_id)
    with store.write(db):
        if lesson_id is not None and lessons.run(db, persona_id, lesson_id) is None:
            lessons.start(db, persona_id, lesson_id)
        db.execute("update workshop_participants set resumed = resumed + 1 where persona_id = ?", [persona_id])
        events.record(db, "workshop.resumed", persona_id=persona_id, lesson_id=lesson_id)
    return lesson_id


# --- nudges -----------------------------------------------------------------------------------------

def nudge(db, workshop_id: str, persona_id: str, text: str) -> int:
    """A short message from the trainer, shown on that participant's phone until dismissed."""
    text = _clean(text)
    if not text:
        raise WorkshopError("workshop.error.nudge_required", field="nudge")
    if len(text) > NUDGE_MAX:
        raise WorkshopError("workshop.error.too_long", field="nudge", max=NUDGE_MAX)
    found = participant(db, persona_id)
    if found is None or found["workshop_id"] != workshop_id:
        raise WorkshopError("workshop.error.not_participant", field="persona")
    with store.write(db):
        nudge_id = db["workshop_nudges"].insert({"workshop_id": workshop_id, "persona_id": persona_id,
                                                 "text": text, "at": clock.now(db).isoformat(),
                                                 "seen_at": None}).last_pk
        events.record(db, "workshop.nudged", persona_id=persona_id, actor="trainer", nudge_id=nudge_id)
    return nudge_id


def pending_nudges(db, persona_id: str | None) -> list[dict]:
    if not persona_id or not db["workshop_nudges"].exists():
        return []
    return list(db.query("select id, text, at from workshop_nudges where persona_id = ? and seen_at is null "
                         "order by id", [persona_id]))


def dismiss_nudge(db, persona_id: str, nudge_id: int) -> None:
    """Only the persona it was sent to can dismiss a message."""
    with store.write(db):
        changed = db.execute("update workshop_nudges set seen_at = ? where id = ? and persona_id = ? "
                             "and seen_at is null", [clock.now(db).isoformat(), nudge_id, persona_id]).rowcount
        if changed:
            events.record(db, "workshop.nudge_seen", persona_id=persona_id, nudge_id=nudge_id)


# --- trainer controls --------------------------------------------------------------------------------

def move_clock(db, workshop_id: str, minutes: int) -> dt.datetime:
    """Move the sandbox clock forward (it is one clock for the whole sandbox)."""
    require(db, workshop_id)
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
    require(db, workshop_id)
    count = 0
    with store.write(db):
        for row in participants(db, workshop_id):
            account = eid.account(db, row["persona_id"])
            if int(account["level"] or 0) >= 2 or account["registration"] == "approved":
                continue
            eid.approve_registration(db, row["persona_id"], actor="trainer")
            count += 1
        events.record(db, "workshop.bulk_approved", actor="trainer", workshop_id=workshop_id, count=count)
    return count


def end(db, workshop_id: str) -> dict:
    """Close the workshop: the join code stops working; progress and the report stay."""
    workshop = require(db, workshop_id)
    if workshop["status"] == "ended":
        return workshop
    with store.write(db):
        db["workshops"].update(workshop_id, {"status": "ended", "ended_at": clock.now(db).isoformat()})
        events.record(db, "workshop.ended", actor="trainer", workshop_id=workshop_id)
    return get(db, workshop_id)


def reopen(db, workshop_id: str) -> dict:
    workshop = require(db, workshop_id)
    with store.write(db):
        code = workshop["join_code"]
        if db.execute("select 1 from workshops where join_code = ? and status = 'open' and id != ?",
                      [code, workshop_id]).fetchone():
            code = _new_code(db)
        db["workshops"].update(workshop_id, {"status": "open", "ended_at": None, "join_code": code})
    return get(db, workshop_id)


def _persona_tables(db) -> list[str]:
    return [name for name in db.table_names()
            if name not in ("personas", "events") and "persona_id" in db[name].columns_dict
            and name not in ("workshop_certificates",)]


def reset(db, workshop_id: str) -> int:
    """Wipe this workshop's personas, everything they did and its events; returns how many
    personas went. Other workshops, other personas and the tracker are untouched. The
    workshop itself stays (open, with a new join code) so the trainer can run it again;
    issued certificates stay verifiable."""
    require(db, workshop_id)
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
    _evaluated.clear()
    return len(ids)


# --- live progress ---------------------------------------------------------------------------------

# (persona_id, lesson_id) -> the newest event id already evaluated. The dashboard refreshes every
# few seconds for every participant; re-evaluating a lesson nobody touched since is wasted work
# (and a write transaction each), so only participants with new events are evaluated again.
_evaluated: dict[tuple[str, str], int] = {}


def _steps_done(db, persona_ids: list[str]) -> dict[tuple[str, str, str], dict]:
    if not persona_ids:
        return {}
    marks = ",".join("?" * len(persona_ids))
    rows = db.execute(f"select persona_id, lesson_id, step_id, done_at, event_id from lesson_steps "
                      f"where persona_id in ({marks})", persona_ids).fetchall()
    return {(p, l, s): {"done_at": d, "event_id": e} for p, l, s, d, e in rows}


def refresh_progress(db, workshop_id: str) -> int:
    """Tick steps for participants who did something since the last look; returns how many
    lessons were evaluated."""
    latest = dict(db.execute("select persona_id, max(id) from events where workshop_id = ? and persona_id is not "
                             "null group by persona_id", [workshop_id]).fetchall())
    runs = db.execute("select r.persona_id, r.lesson_id from lesson_runs r join workshop_participants p "
                      "on p.persona_id = r.persona_id where p.workshop_id = ? and r.completed_at is null",
                      [workshop_id]).fetchall()
    evaluated = 0
    for persona_id, lesson_id in runs:
        newest = latest.get(persona_id, 0)
        if _evaluated.get((persona_id, lesson_id)) == newest:
            continue
        try:
            if _would_tick(db, persona_id, lessons.get(lesson_id)):
                lessons.evaluate(db, persona_id, lesson_id)
        except lessons.LessonError:
            continue
        evaluated += 1
        # lesson.step_done events written by evaluate are ours: look again at the new newest id.
        row = db.execute("select max(id) from events where persona_id = ?", [persona_id]).fetchone()
        _evaluated[(persona_id, lesson_id)] = row[0] or 0
    return evaluated


def _would_tick(db, persona_id: str, lesson: lessons.Lesson) -> bool:
    """Whether ``lessons.evaluate`` would tick a step now, found by reading only.

    ``evaluate`` always takes the write lock; the dashboard asks for a whole hall every few
    seconds, so it takes the lock only for someone whose step really ticks (issue 7 bench)."""
    current_run = lessons.run(db, persona_id, lesson.id)
    if current_run is None:
        return False
    saved = {row[0] for row in db.execute("select step_id from lesson_steps where persona_id = ? and lesson_id = ?",
                                          [persona_id, lesson.id])}
    pending = [step for step in lesson.steps if step.id not in saved and not step.manual]
    if any(lessons._uses_dossiers(step.check) for step in pending):
        return True  # dossier checks read the dossiers too: let evaluate decide
    log = events.for_persona(db, persona_id, since_id=current_run["watermark"])
    return any(lessons.evaluate_check(step.check, log, []) is not None for step in pending)


def _minutes_between(start: str | None, end: dt.datetime) -> float:
    if not start:
        return 0.0
    return max(0.0, (end - dt.datetime.fromisoformat(start)).total_seconds() / 60)


def dashboard(db, workshop_id: str, *, refresh: bool = True) -> dict:
    """The live grid: participants × planned lesson steps.

    Each cell is ``done``, ``working`` (the step they are on), ``stuck`` (the step they are on,
    with no step ticked for ``stuck_minutes`` on the sandbox clock or ``STUCK_MISTAKES``
    mistakes since the last one) or ``todo``. Computed with a handful of queries for the whole
    workshop, whatever its size.
    """
    workshop = require(db, workshop_id)
    if refresh:
        refresh_progress(db, workshop_id)
    planned = [lessons.get(lesson_id) for lesson_id in _lesson_ids(workshop)]
    columns = [{"lesson_id": lesson.id, "step_id": step.id, "number": n}
               for lesson in planned for n, step in enumerate(lesson.steps, start=1)]
    people = participants(db, workshop_id)
    ids = [p["persona_id"] for p in people]
    saved = _steps_done(db, ids)
    runs = {(r[0], r[1]): {"started_at": r[2], "watermark": r[3], "completed_at": r[4]} for r in db.execute(
        "select r.persona_id, r.lesson_id, r.started_at, r.watermark, r.completed_at from lesson_runs r "
        "join workshop_participants p on p.persona_id = r.persona_id where p.workshop_id = ?", [workshop_id])}
    kinds = list(lessons.MISTAKE_KINDS)
    mistake_rows = db.execute(
        f"select persona_id, id, kind from events where workshop_id = ? and kind in ({','.join('?' * len(kinds))}) "
        f"order by id", [workshop_id, *kinds]).fetchall()
    mistakes_by_persona: dict[str, list[tuple[int, str]]] = {}
    for persona_id, event_id, kind in mistake_rows:
        mistakes_by_persona.setdefault(persona_id, []).append((event_id, kind))
    last_seen = dict(db.execute("select persona_id, max(at) from events where workshop_id = ? and "
                                "persona_id is not null and actor = 'persona' group by persona_id",
                                [workshop_id]).fetchall())
    now = clock.now(db)
    rows = []
    for person in people:
        pid = person["persona_id"]
        cells: dict[tuple[str, str], str] = {}
        current = None
        stuck = False
        for lesson in planned:
            for step in lesson.steps:
                key = (lesson.id, step.id)
                if (pid, lesson.id, step.id) in saved:
                    cells[key] = "done"
                    continue
                if current is not None:
                    cells[key] = "todo"
                    continue
                current = key
                run = runs.get((pid, lesson.id))
                done_here = [v for (p, l, _s), v in saved.items() if p == pid and l == lesson.id]
                since = max([v["done_at"] for v in done_here] + ([run["started_at"]] if run else []),
                            default=person["joined_at"])
                since_event = max([v["event_id"] or 0 for v in done_here] + ([run["watermark"]] if run else []),
                                  default=0)
                recent = [k for e, k in mistakes_by_persona.get(pid, []) if e > since_event]
                stuck = (_minutes_between(since, now) >= workshop["stuck_minutes"]
                         or len(recent) >= STUCK_MISTAKES)
                cells[key] = "stuck" if stuck else "working"
        counted: dict[str, int] = {}
        for _e, kind in mistakes_by_persona.get(pid, []):
            counted[kind] = counted.get(kind, 0) + 1
        finished = current is None
        rows.append({
            "persona_id": pid,
            "display_name": person["display_name"],
            "role": person["role"],
            "cells": cells,
            "current": current,
            "status": "finished" if finished else ("stuck" if stuck else "working"),
            "steps_done": sum(1 for v in cells.values() if v == "done"),
            "mistakes": counted,
            "last_seen": last_seen.get(pid),
        })
    totals = {state: sum(1 for r in rows if r["status"] == state) for state in ("finished", "working", "stuck")}
    return {"workshop": workshop, "columns": columns, "rows": rows, "totals": totals, "now": now.isoformat()}


def participant_state(db, workshop_id: str, persona_id: str) -> dict:
    """What one participant's phone shows, for the trainer helping them: who they play, their
    VNeID/SIM state, the newest SMS, their lesson steps and last actions."""
    found = participant(db, persona_id)
    if found is None or found["workshop_id"] != workshop_id:
        raise WorkshopError("workshop.error.not_participant", field="persona")
    persona = personas.get(db, persona_id)
    account = eid.account(db, persona_id)
    inbox = phone.inbox(db, persona_id)
    recent = list(reversed(events.for_persona(db, persona_id)[-12:]))
    progress = {}
    for lesson_id in _lesson_ids(found["workshop"]):
        progress[lesson_id] = lessons.evaluate(db, persona_id, lesson_id).done if lessons.run(
            db, persona_id, lesson_id) else {s.id: "pending" for s in lessons.get(lesson_id).steps}
    return {
        "participant": {k: v for k, v in found.items() if k != "workshop"},
        "persona": persona,
        "eid": {"registration": account["registration"], "level": account["level"], "step": account["step"]},
        "sim": phone.sim(db, persona_id),
        "latest_sms": inbox[0] if inbox else None,
        "progress": progress,
        "recent_events": recent,
        "nudges": pending_nudges(db, persona_id),
    }


# --- the report -----------------------------------------------------------------------------------

def report(db, workshop_id: str) -> dict:
    """Attendance, completion per lesson and step, common mistakes and time taken."""
    board = dashboard(db, workshop_id)
    workshop = board["workshop"]
    planned = [lessons.get(lesson_id) for lesson_id in _lesson_ids(workshop)]
    people = board["rows"]
    total = len(people)
    saved = _steps_done(db, [p["persona_id"] for p in people])
    runs = {(r[0], r[1]): r[2] for r in db.execute(
        "select r.persona_id, r.lesson_id, r.started_at from lesson_runs r join workshop_participants p "
        "on p.persona_id = r.persona_id where p.workshop_id = ?", [workshop_id])}
    joined = {p["persona_id"]: p for p in participants(db, workshop_id)}
    steps = []
    for lesson in planned:
        for n, step in enumerate(lesson.steps, start=1):
            done = sum(1 for p in people if p["cells"].get((lesson.id, step.id)) == "done")
            stuck = sum(1 for p in people if p["cells"].get((lesson.id, step.id)) == "stuck")
            steps.append({"lesson_id": lesson.id, "step_id": step.id, "number": n, "done": done, "stuck": stuck,
                          "total": total, "share": (done / total) if total else 0.0})
    lesson_rows = []
    for lesson in planned:
        completed = sum(1 for p in people if all(p["cells"].get((lesson.id, s.id)) == "done" for s in lesson.steps))
        lesson_rows.append({"lesson_id": lesson.id, "completed": completed, "total": total,
                            "share": (completed / total) if total else 0.0})
    attendance = []
    for p in people:
        pid = p["persona_id"]
        minutes = 0.0
        for lesson in planned:
            started = runs.get((pid, lesson.id))
            done_times = [v["done_at"] for (q, l, _s), v in saved.items() if q == pid and l == lesson.id]
            if started and done_times:
                minutes += _minutes_between(started, dt.datetime.fromisoformat(max(done_times)))
        attendance.append({
            "persona_id": pid, "display_name": p["display_name"], "role": p["role"],
            "joined_at": joined[pid]["joined_at"], "steps_done": p["steps_done"], "steps_total": len(board["columns"]),
            "finished": p["status"] == "finished", "minutes": round(minutes, 1),
            "mistakes": sum(p["mistakes"].values()), "tracked": bool(joined[pid]["tracked_at"]),
        })
    mistakes: dict[str, dict] = {}
    for p in people:
        for kind, count in p["mistakes"].items():
            entry = mistakes.setdefault(kind, {"kind": kind, "count": 0, "participants": 0})
            entry["count"] += count
            entry["participants"] += 1
    common = sorted(mistakes.values(), key=lambda m: (-m["count"], m["kind"]))
    minutes = [a["minutes"] for a in attendance if a["finished"]]
    return {
        "workshop": workshop,
        "attendance": attendance,
        "joined": total,
        "finished": sum(1 for a in attendance if a["finished"]),
        "lessons": lesson_rows,
        "steps": steps,
        "mistakes": common,
        "median_minutes": (sorted(minutes)[len(minutes) // 2] if minutes else None),
    }


CSV_COLUMNS = ["display_name", "role", "joined_at", "steps_done", "steps_total", "finished", "minutes", "mistakes"]


def report_csv(db, workshop_id: str, data: dict | None = None) -> str:
    """The attendance table as CSV (UTF-8 with a BOM so Excel on Windows reads the diacritics).
    ``data`` is a ``report()`` the caller already has."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in (data or report(db, workshop_id))["attendance"]:
        writer.writerow({**row, "finished": int(row["finished"])})
    return "\ufeff" + out.getvalue()


def report_pdf(db, workshop_id: str, lang: str = "vi", data: dict | None = None) -> bytes:
    """A printable one-document report (the trainer hands it to the commune office)."""
    data = data or report(db, workshop_id)
    workshop = data["workshop"]
    t = lambda key, **p: i18n.t(f"workshop.{key}", lang, **p)  # noqa: E731
    doc = pdf.new_document(sandbox=True, title=t("report.title"))
    doc.heading(f"{t('report.title')}: {workshop['name']}")
    doc.key_values([
        (t("field.place"), workshop["place"]),
        (t("field.date"), i18n.format_date(dt.date.fromisoformat(workshop["date"]), lang)),
        (t("report.joined"), str(data["joined"])),
        (t("report.finished"), str(data["finished"])),
    ])
    doc.ln(3)
    doc.heading(t("report.completion_title"), 13)
    for lesson in data["lessons"]:
        title = lessons.get(lesson["lesson_id"]).title[lang]
        doc.paragraph(f"{title}: {lesson['completed']}/{lesson['total']}")
        for step in [s for s in data["steps"] if s["lesson_id"] == lesson["lesson_id"]]:
            doc.paragraph(f"   {t('step_label', n=step['number'])} {step['step_id']}: {step['done']}/{step['total']}",
                          size=10)
    doc.heading(t("report.mistakes_title"), 13)
    if not data["mistakes"]:
        doc.paragraph(t("report.no_mistakes"))
    for mistake in data["mistakes"]:
        doc.paragraph(f"{mistake_label(mistake['kind'], lang)}: {mistake['count']} "
                      f"({t('report.people', n=mistake['participants'])})")
    doc.heading(t("report.attendance_title"), 13)
    for row in data["attendance"]:
        mark = "✓" if row["finished"] else "…"
        doc.paragraph(f"{mark} {row['display_name']} — {t('role.' + row['role'])} — "
                      f"{row['steps_done']}/{row['steps_total']} — {row['minutes']:g} {t('report.minutes_unit')}",
                      size=10)
    return pdf.to_bytes(doc)


def mistake_label(kind: str, lang: str = "vi") -> str:
    key = f"workshop.mistake.{kind.replace('.', '_')}"
    return i18n.t(key, lang) if i18n.has(key, lang) or i18n.has(key) else kind


# --- certificates ------------------------------------------------------------------------------------

def _cert_code() -> str:
    raw = "".join(secrets.choice(CERT_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def issue_certificates(db, workshop_id: str) -> list[dict]:
    """A certificate (with a verification code) for every participant who finished every
    planned lesson; issuing again returns the same codes."""
    workshop = require(db, workshop_id)
    board = dashboard(db, workshop_id)
    out = []
    with store.write(db):
        for row in board["rows"]:
            if row["status"] != "finished":
                continue
            existing = next(iter(db["workshop_certificates"].rows_where(
                "workshop_id = ? and persona_id = ?", [workshop_id, row["persona_id"]])), None)
            if existing is None:
                existing = {"code": _cert_code(), "workshop_id": workshop_id, "persona_id": row["persona_id"],
                            "display_name": row["display_name"], "workshop_name": workshop["name"],
                            "place": workshop["place"], "date": workshop["date"], "lessons": workshop["lessons"],
                            "issued_at": clock.real_now().isoformat()}
                db["workshop_certificates"].insert(existing)
                events.record(db, "workshop.certificate_issued", persona_id=row["persona_id"], actor="trainer",
                              code=existing["code"])
            out.append(existing)
    return out


def verify_certificate(db, code) -> dict | None:
    text = re.sub(r"[\s\-]", "", str(code or "")).upper()
    if len(text) != 8:
        return None
    return next(iter(db["workshop_certificates"].rows_where("code = ?", [f"{text[:4]}-{text[4:]}"])), None)


def certificates_pdf(db, workshop_id: str, lang: str = "vi") -> bytes:
    """One A4 landscape page per certificate, in Vietnamese or English."""
    issued = issue_certificates(db, workshop_id)
    if not issued:
        raise WorkshopError("workshop.error.nobody_finished")
    t = lambda key, **p: i18n.t(f"workshop.certificate.{key}", lang, **p)  # noqa: E731
    doc = pdf.Document(sandbox=True, title=t("title"), orientation="L")
    doc.alias_nb_pages()
    for cert in issued:
        doc.add_page()
        doc.ln(12)
        doc.set_font("DejaVu", "B", 30)
        doc.cell(0, 16, t("title"), align="C", new_x="LMARGIN", new_y="NEXT")
        doc.ln(6)
        doc.set_font("DejaVu", "", 14)
        doc.cell(0, 9, t("given_to"), align="C", new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", "B", 24)
        doc.cell(0, 14, cert["display_name"], align="C", new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", "", 14)
        when = i18n.format_date(dt.date.fromisoformat(cert["date"]), lang)
        doc.multi_cell(0, 8, t("for_completing", workshop=cert["workshop_name"], place=cert["place"], date=when),
                       align="C", new_x="LMARGIN", new_y="NEXT")
        doc.ln(3)
        for lesson_id in json.loads(cert["lessons"]):
            try:
                title = lessons.get(lesson_id).title[lang]
            except lessons.LessonError:
                title = lesson_id
            doc.cell(0, 8, f"• {title}", align="C", new_x="LMARGIN", new_y="NEXT")
        doc.ln(8)
        doc.set_font("DejaVu", "B", 13)
        doc.cell(0, 8, t("code", code=cert["code"]), align="C", new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", "", 10)
        doc.multi_cell(0, 6, t("verify_hint"), align="C", new_x="LMARGIN", new_y="NEXT")
    return pdf.to_bytes(doc)


# --- a simulated workshop (the notebook, demos, the report tests) ----------------------------------

def simulate(db, workshop_id: str, participants_count: int = 8, seed: int = 7, minutes: bool = False) -> list[str]:
    """Run a plausible VNeID-activation workshop on the domain: people join, some mistype the
    CCCD, the OTP or a weak password, some stop half-way. Deterministic for a seed (apart from
    the random personas). With ``minutes`` the sandbox clock moves 1–2 minutes after each
    action, so times per step look like a real evening. Returns the persona ids."""
    import random

    rng = random.Random(seed)
    workshop = require(db, workshop_id)
    planned = _lesson_ids(workshop)
    creds = scenarios.credentials()
    names = ["Bà Lan", "Ông Tư", "Chị Hoa", "Anh Minh", "Bà H'Nhi", "Ông Y Kriêng", "Chị Mai", "Anh Sáng",
             "Em Thảo", "Cô Liên", "Chú Ba", "Bà Hương"]
    made = []

    def act(pid, action, *args, mistake=False):
        try:
            action(db, pid, *args)
        except Exception:
            if not mistake:
                raise
        if minutes:
            clock.advance(db, dt.timedelta(minutes=rng.randint(1, 2)))
        for lesson_id in planned:
            if lessons.run(db, pid, lesson_id):
                lessons.evaluate(db, pid, lesson_id)

    for n in range(participants_count):
        joined = join(db, workshop["join_code"], names[n % len(names)], "volunteer" if n % 4 == 3 else "citizen")
        pid = joined["persona_id"]
        made.append(pid)
        person = personas.get(db, pid)
        if eid.account(db, pid)["registration"] != "approved" and eid.level(db, pid) < 2:
            eid.approve_registration(db, pid, actor="trainer")
        reach = rng.choice([1, 2, 3, 4, 5, 6, 6, 6])
        if eid.level(db, pid) >= 2:
            continue
        if rng.random() < 0.4:
            act(pid, eid.start_activation, person["cccd"][:9], person["phone"], mistake=True)
        act(pid, eid.start_activation, person["cccd"], person["phone"])
        if reach < 2:
            continue
        if rng.random() < 0.5:
            act(pid, eid.confirm_activation_otp, "000000", mistake=True)
        act(pid, eid.confirm_activation_otp, otp.latest_code_for_tests(db, pid, "eid_activation"))
        if reach < 3:
            continue
        if eid.step(db, pid) == "password":  # a level-1 account already has one
            if rng.random() < 0.5:
                act(pid, eid.set_password, "12345678", "12345678", mistake=True)
            act(pid, eid.set_password, creds["vneid_password"], creds["vneid_password"])
        if reach < 4:
            continue
        if rng.random() < 0.3:
            act(pid, eid.set_passcode, creds["passcode"], "000000", mistake=True)
        act(pid, eid.set_passcode, creds["passcode"], creds["passcode"])
        if reach < 5:
            continue
        act(pid, eid.set_security_questions, dict(list(creds["security_answers"].items())[:2]))
        if reach < 6:
            continue
        act(pid, eid.login, person["cccd"], creds["vneid_password"])
    return made
