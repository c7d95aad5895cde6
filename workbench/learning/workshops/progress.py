"""Live progress in the hall: which step each participant is on, who is stuck, and what one
participant's phone shows (for the trainer helping them).

The dashboard refreshes every few seconds on the trainer's laptop; ``refresh_progress`` ticks
steps (``lessons.progress.evaluate``) only for participants who did something since the last
look, so a quiet hall costs a few reads.
"""

from __future__ import annotations

import datetime as dt

from workbench import clock, events
from workbench.learning.lessons import catalogue, checks, progress as lesson_progress
from workbench.learning.lessons.model import Lesson, LessonError
from workbench.learning.workshops import hall, nudges
from workbench.learning.workshops.hall import WorkshopError
from workbench.sandbox import eid, personas, phone

CELL_STATES = ("done", "working", "stuck", "todo")
STUCK_MISTAKES = 3  # this many mistakes since the last step ticked is "stuck", whatever the time


# (persona_id, lesson_id) -> the newest event id already evaluated. The dashboard refreshes every
# few seconds for every participant; re-evaluating a lesson nobody touched since is wasted work
# (and a write transaction each), so only participants with new events are evaluated again.
_evaluated: dict[tuple[str, str], int] = {}


def forget_evaluated() -> None:
    """Evaluate everyone again at the next look (a reset removed personas, whose ids may return)."""
    _evaluated.clear()


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
            if _would_tick(db, persona_id, catalogue.get(lesson_id)):
                lesson_progress.evaluate(db, persona_id, lesson_id)
        except LessonError:
            continue
        evaluated += 1
        # lesson.step_done events written by evaluate are ours: look again at the new newest id.
        row = db.execute("select max(id) from events where persona_id = ?", [persona_id]).fetchone()
        _evaluated[(persona_id, lesson_id)] = row[0] or 0
    return evaluated


def _would_tick(db, persona_id: str, lesson: Lesson) -> bool:
    """Whether ``lessons.progress.evaluate`` would tick a step now, found by reading only.

    ``evaluate`` always takes the write lock; the dashboard asks for a whole hall every few
    seconds, so it takes the lock only for someone whose step really ticks (issue 7 bench)."""
    current_run = lesson_progress.run(db, persona_id, lesson.id)
    if current_run is None:
        return False
    saved = {row[0] for row in db.execute("select step_id from lesson_steps where persona_id = ? and lesson_id = ?",
                                          [persona_id, lesson.id])}
    pending = [step for step in lesson.steps if step.id not in saved and not step.manual]
    if any(checks.uses_dossiers(step.check) for step in pending):
        return True  # dossier checks read the dossiers too: let evaluate decide
    log = events.for_persona(db, persona_id, since_id=current_run["watermark"])
    return any(checks.evaluate_check(step.check, log, []) is not None for step in pending)


def minutes_between(start: str | None, end: dt.datetime) -> float:
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
    workshop = hall.require(db, workshop_id)
    if refresh:
        refresh_progress(db, workshop_id)
    planned = [catalogue.get(lesson_id) for lesson_id in hall.planned_lessons(workshop)]
    columns = [{"lesson_id": lesson.id, "step_id": step.id, "number": n}
               for lesson in planned for n, step in enumerate(lesson.steps, start=1)]
    people = hall.participants(db, workshop_id)
    ids = [p["persona_id"] for p in people]
    saved = lesson_progress.steps_done(db, ids)
    runs = {(r[0], r[1]): {"started_at": r[2], "watermark": r[3], "completed_at": r[4]} for r in db.execute(
        "select r.persona_id, r.lesson_id, r.started_at, r.watermark, r.completed_at from lesson_runs r "
        "join workshop_participants p on p.persona_id = r.persona_id where p.workshop_id = ?", [workshop_id])}
    kinds = list(lesson_progress.MISTAKE_KINDS)
    mistake_rows = db.execute(
        f"select persona_id, id, kind from events where workshop_id = ? and kind in ({','.join('?' * len(kinds))}) "
        f"order by id", [workshop_id, *kinds]).fetchall()
    mistakes_by_persona: dict[str, list[tuple[int, str]]] = {}
    for persona_id, event_id, kind in mistake_rows:
        mistakes_by_persona.setdefault(persona_id, []).append((event_id, kind))
    last_seen = dict(db.execute("select persona_id, max(at) from events where workshop_id = ? and "
                                "persona_id is not null and actor = 'persona' group by persona_id",
                                [workshop_id]).fetchall())
    played = dict(db.execute("select id, full_name from personas where workshop_id = ?", [workshop_id]).fetchall())
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
                stuck = (minutes_between(since, now) >= workshop["stuck_minutes"]
                         or len(recent) >= STUCK_MISTAKES)
                cells[key] = "stuck" if stuck else "working"
        counted: dict[str, int] = {}
        for _e, kind in mistakes_by_persona.get(pid, []):
            counted[kind] = counted.get(kind, 0) + 1
        finished = current is None
        rows.append({
            "persona_id": pid,
            "display_name": person["display_name"],
            "persona_name": played.get(pid, ""),  # who they play: the trainer sees both (issue 14)
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
    found = hall.participant(db, persona_id)
    if found is None or found["workshop_id"] != workshop_id:
        raise WorkshopError("workshop.error.not_participant", field="persona")
    persona = personas.get(db, persona_id)
    account = eid.account(db, persona_id)
    inbox = phone.inbox(db, persona_id)
    recent = list(reversed(events.for_persona(db, persona_id)[-12:]))
    progress = {}
    for lesson_id in hall.planned_lessons(found["workshop"]):
        progress[lesson_id] = lesson_progress.evaluate(db, persona_id, lesson_id).done if lesson_progress.run(
            db, persona_id, lesson_id) else {s.id: "pending" for s in catalogue.get(lesson_id).steps}
    return {
        "participant": {k: v for k, v in found.items() if k != "workshop"},
        "persona": persona,
        "eid": {"registration": account["registration"], "level": account["level"], "step": account["step"]},
        "sim": phone.sim(db, persona_id),
        "latest_sms": inbox[0] if inbox else None,
        "progress": progress,
        "recent_events": recent,
        "nudges": nudges.pending_nudges(db, persona_id),
    }

