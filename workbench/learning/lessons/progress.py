"""A learner's way through a lesson: the run, the steps that ticked, the quiz answers.

Checks only look at events recorded *after* the learner started the lesson (a watermark on
the event id), so a learner who keeps their own persona must do each step again, and a
persona's starting state (applied by ``scenarios.apply`` before the start) never ticks a step.

How a step ticks: a sandbox action records its event (``payments.pay`` records
``payment.paid``…) and knows nothing of lessons; the next ``evaluate`` (see its docstring for
who calls it, and when) finds the check holding over the log and writes the ``lesson_steps``
row. docs/lessons.md, "How a step ticks", tells the whole path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlite_utils.migrations import Migrations

from workbench import clock, events, store
from workbench.learning.lessons import catalogue, checks, setups
from workbench.learning.lessons.model import Lesson, LessonError, Question, Step
from workbench.sandbox import personas, portal, scenarios

# Events that mean the learner made a mistake the sandbox caught. A mistake followed by a
# step ticking is a mistake recovered from (the lesson summary counts them).
MISTAKE_KINDS = (
    "otp.wrong", "otp.expired", "otp.locked", "eid.cccd_invalid", "eid.pair_mismatch", "eid.password_weak",
    "eid.passcode_mismatch", "eid.login_failed", "portal.login_failed",
    "dossier.document_rejected", "payment.failed", "scam.otp_typed_wrong_place",
    "dossier.action_refused", "health_book.login_failed", "wallet.topup_failed", "wallet.link_refused",
)

EVENT_KINDS = {
    "lesson.started": "a learner started a lesson (payload: lesson_id, steps)",
    "lesson.step_done": "a lesson step ticked (payload: lesson_id, step_id, how: auto|manual)",
    "lesson.hint_shown": "a hint was shown after a wrong attempt (payload: lesson_id, step_id, trigger)",
    "lesson.quiz_answered": "a quiz question answered (payload: lesson_id, question_id, choice, correct)",
    "lesson.completed": "every step done and every quiz question answered (payload: lesson_id, score, total)",
    "lesson.setup_done": "a step's setup ran when it became current (payload: lesson_id, step_id, setup, and what "
                         "the learner needs: a dossier code, a payment code…)",
}

migrations = Migrations("lessons")


@migrations()
def m001_lesson_progress(db):
    db["lesson_runs"].create(
        {
            "persona_id": str,
            "lesson_id": str,
            "started_at": str,  # sandbox clock
            "watermark": int,  # checks only see events with a larger id
            "completed_at": str,
            "quiz_score": int,
            "quiz_total": int,
        },
        pk=("persona_id", "lesson_id"),
    )
    db["lesson_steps"].create(
        {"persona_id": str, "lesson_id": str, "step_id": str, "done_at": str, "how": str, "event_id": int},
        pk=("persona_id", "lesson_id", "step_id"),
    )
    db["lesson_answers"].create(
        {"persona_id": str, "lesson_id": str, "question_id": str, "choice": int, "correct": int,
         "answered_at": str},
        pk=("persona_id", "lesson_id", "question_id"),
    )


# --- who can play a lesson ---------------------------------------------------------------------

def persona_fits(db, persona_id: str, lesson: Lesson) -> bool:
    """Whether a learner's own persona is at the lesson's starting point, so every step can
    still happen (a persona already at level 2 can never tick "activate VNeID" again)."""
    try:
        profile = portal.profile(db, persona_id)
    except Exception:
        return False
    state = lesson.starting_state
    if state == "fresh":
        return profile["eid_level"] == 0 and profile["eid_registration"] == "none"
    if state == "sim_unverified":
        return not profile["sim_standardised"]
    if state == "eid_level1":
        return profile["eid_level"] == 1
    if state == "eid_approved":
        return profile["eid_registration"] == "approved" and profile["eid_level"] < 2
    if state == "ready":
        return profile["eid_level"] == 2 and profile["portal_account"]
    if state == "old_portal_account":
        return profile["eid_level"] == 2 and profile["portal_method"] == "sim"
    return False


def active(db, persona_id: str | None) -> dict | None:
    """The persona's lesson in progress (started most recently, not completed), or None."""
    if not persona_id or not db["lesson_runs"].exists():
        return None
    rows = list(db["lesson_runs"].rows_where("persona_id = ? and completed_at is null", [persona_id],
                                             order_by="started_at desc, rowid desc", limit=1))
    return rows[0] if rows else None


# --- runs and the tick --------------------------------------------------------------------------------

def run(db, persona_id: str, lesson_id: str) -> dict | None:
    if not db["lesson_runs"].exists():
        return None
    rows = list(db["lesson_runs"].rows_where("persona_id = ? and lesson_id = ?", [persona_id, lesson_id]))
    return rows[0] if rows else None


def start(db, persona_id: str, lesson_id: str, *, restart: bool = False) -> dict:
    """Start (or, with ``restart``, start again) a lesson for a persona; returns the run.

    Starting an already started lesson continues it: a reload never loses progress.
    """
    lesson = catalogue.get(lesson_id)
    if personas.get(db, persona_id) is None:
        raise LessonError("lessons.error.unknown_persona")
    with store.write(db):
        existing = run(db, persona_id, lesson_id)
        if existing and not restart:
            return existing
        if existing:
            for table in ("lesson_steps", "lesson_answers"):
                db.execute(f"delete from {table} where persona_id = ? and lesson_id = ?", [persona_id, lesson_id])
        watermark = db.execute("select coalesce(max(id), 0) from events").fetchone()[0]
        row = {"persona_id": persona_id, "lesson_id": lesson_id, "started_at": clock.now(db).isoformat(),
               "watermark": watermark, "completed_at": None, "quiz_score": 0, "quiz_total": len(lesson.quiz)}
        db["lesson_runs"].upsert(row, pk=("persona_id", "lesson_id"))
        events.record(db, "lesson.started", persona_id=persona_id, lesson_id=lesson_id,
                      steps=len(lesson.steps), restart=bool(existing))
    return row


def start_with_new_persona(db, lesson_id: str, *, workshop_id: str | None = None,
                           display_name: str | None = None, seed: int | None = None) -> dict:
    """Make a persona in the lesson's starting state (personas.create + scenarios.apply), start it.

    Returns the persona.
    """
    lesson = catalogue.get(lesson_id)
    persona = personas.create(db, seed=seed, workshop_id=workshop_id, display_name=display_name,
                              starting_state=lesson.starting_state)
    scenarios.apply(db, persona["id"], lesson.starting_state)
    start(db, persona["id"], lesson_id)
    return persona


@dataclasses.dataclass
class State:
    """Where a learner is in a lesson, after evaluating every check."""

    lesson: Lesson
    started: bool
    done: dict  # step_id -> "done" | "pending"
    current: Step | None  # the first step not done, None when all are
    hints: dict  # step_id -> [hint text dict] triggered by the learner's mistakes
    answers: dict  # question_id -> {"choice", "correct"}
    completed: bool
    setup: dict = dataclasses.field(default_factory=dict)  # the current step's setup output (codes to show)

    @property
    def steps_done(self) -> int:
        return sum(1 for v in self.done.values() if v == "done")

    @property
    def quiz_pending(self) -> list[Question]:
        return [q for q in self.lesson.quiz if q.id not in self.answers]


def evaluate(db, persona_id: str, lesson_id: str, lesson: Lesson | None = None) -> State:
    """Re-check every pending step against the event log, save what ticked, return the state.

    This is where a step ticks, and the only place: a sandbox action (``payments.pay``,
    ``eid.confirm_activation_otp``…) only records its event; the step's ``lesson_steps`` row is
    written by the next call here that finds the check holding. The callers, and when:

    - the lesson page (``/lessons``) on every run, and every few seconds from its timed
      fragment while a step is pending;
    - the lesson strip drawn on every sandbox page while a lesson is going, on the page's next
      run after the action (a click reruns it) and from its timed fragment;
    - a workshop: ``workshops.progress.refresh_progress`` (the trainer's dashboard, only for
      participants with new events), ``participant_state``, ``hall.current_lesson`` (a
      participant resuming) and ``simulate``;
    - ``answer`` after a quiz answer (the last one completes the lesson), and the tests and
      benches after each scripted action.
    """
    lesson = lesson or catalogue.get(lesson_id)
    current_run = run(db, persona_id, lesson_id)
    if current_run is None:
        return State(lesson, False, {s.id: "pending" for s in lesson.steps}, lesson.steps[0] if lesson.steps else None,
                     {}, {}, False)
    # Most calls (the player's and the strip's fragments every few seconds, on every phone in a
    # workshop hall) change nothing: answer them from a read, without queueing for the write
    # lock; only when a step ticks, a hint or setup is due or the lesson completes, do it again
    # under the lock (issue 7 load bench).
    try:
        return _evaluate(db, persona_id, lesson, current_run, dry=True)
    except _WouldWrite:
        pass
    with store.write(db):
        current_run = run(db, persona_id, lesson_id)
        if current_run is None:  # reset meanwhile
            return State(lesson, False, {s.id: "pending" for s in lesson.steps}, lesson.steps[0], {}, {}, False)
        return _evaluate(db, persona_id, lesson, current_run, dry=False)


class _WouldWrite(Exception):
    """Raised by a dry evaluation at the first thing it would have to save."""


def _evaluate(db, persona_id: str, lesson: Lesson, current_run: dict, *, dry: bool) -> State:
    lesson_id = lesson.id
    log = events.for_persona(db, persona_id, since_id=current_run["watermark"])
    saved = {row["step_id"]: row for row in db["lesson_steps"].rows_where(
        "persona_id = ? and lesson_id = ?", [persona_id, lesson_id])}
    needs_dossiers = any(checks.uses_dossiers(s.check) for s in lesson.steps if s.id not in saved)
    dossier_rows = checks.lesson_dossiers(db, persona_id, log) if needs_dossiers else []
    now = clock.now(db).isoformat()
    for step in lesson.steps:
        if step.id in saved or step.manual:
            continue
        event_id = checks.evaluate_check(step.check, log, dossier_rows)
        if event_id is not None:
            if dry:
                raise _WouldWrite
            saved[step.id] = {"step_id": step.id, "done_at": now, "how": "auto", "event_id": event_id}
            db["lesson_steps"].insert({"persona_id": persona_id, "lesson_id": lesson_id, **saved[step.id]})
            events.record(db, "lesson.step_done", persona_id=persona_id, actor="system",
                          lesson_id=lesson_id, step_id=step.id, how="auto")
    done = {s.id: ("done" if s.id in saved else "pending") for s in lesson.steps}
    current = next((s for s in lesson.steps if done[s.id] == "pending"), None)
    hints = _hints(db, persona_id, lesson, current, log, dry=dry)
    setup = _run_setup(db, persona_id, lesson, current, log, dry=dry)
    answers = {row["question_id"]: {"choice": row["choice"], "correct": bool(row["correct"])}
               for row in db["lesson_answers"].rows_where("persona_id = ? and lesson_id = ?",
                                                          [persona_id, lesson_id])}
    completed = bool(current_run["completed_at"])
    if not completed and current is None and len(answers) >= len(lesson.quiz):
        if dry:
            raise _WouldWrite
        score = sum(1 for a in answers.values() if a["correct"])
        db["lesson_runs"].update((persona_id, lesson_id), {"completed_at": now, "quiz_score": score,
                                                            "quiz_total": len(lesson.quiz)})
        events.record(db, "lesson.completed", persona_id=persona_id, actor="system", lesson_id=lesson_id,
                      score=score, total=len(lesson.quiz))
        completed = True
    return State(lesson, True, done, current, hints, answers, completed, setup)


def _run_setup(db, persona_id: str, lesson: Lesson, current: Step | None, log: list[dict], *,
               dry: bool = False) -> dict:
    """Run the current step's setup once per run (a scam SMS, a dossier to pay…); return what
    every setup of this run handed over so far (later steps still need the codes).

    The outputs are kept in ``lesson.setup_done`` events, so a reload shows the same codes.
    """
    handed, ran = {}, set()
    for event in log:
        if event["kind"] == "lesson.setup_done" and event["payload"].get("lesson_id") == lesson.id:
            ran.add(event["payload"].get("step_id"))
            handed.update({k: v for k, v in event["payload"].items() if k not in ("lesson_id", "step_id", "setup")})
    if current is None or not current.setup or current.id in ran:
        return handed
    if dry:
        raise _WouldWrite
    try:
        with store.write(db):
            output = setups.SETUPS[current.setup](db, persona_id) or {}
    except Exception as error:  # a sandbox module refusing must not break the lesson page
        print(f"[congdanso] lesson setup {current.setup} failed: {error!r}", flush=True)
        return {**handed, "error": "lessons.error.setup_failed"}
    events.record(db, "lesson.setup_done", persona_id=persona_id, actor="system", lesson_id=lesson.id,
                  step_id=current.id, setup=current.setup, **output)
    return {**handed, **output}


def _hints(db, persona_id, lesson: Lesson, current: Step | None, log: list[dict], *, dry: bool = False) -> dict:
    """Hints of the current step whose trigger event happened since the previous step ticked."""
    if current is None or not current.hints:
        return {}
    index = lesson.steps.index(current)
    previous_done = [row["event_id"] or 0 for row in db["lesson_steps"].rows_where(
        "persona_id = ? and lesson_id = ?", [persona_id, lesson.id])
        if row["step_id"] in {s.id for s in lesson.steps[:index]}]
    since = max(previous_done, default=0)
    recent = [e for e in log if e["id"] > since]
    shown = {(e["payload"].get("step_id"), e["payload"].get("trigger")) for e in log if e["kind"] == "lesson.hint_shown"
             and e["payload"].get("lesson_id") == lesson.id}
    found = []
    for hint in current.hints:
        trigger = next((e for e in recent if e["kind"] == hint["on"]), None)
        if trigger is None:
            continue
        found.append(hint["text"])
        if (current.id, hint["on"]) not in shown:
            if dry:
                raise _WouldWrite
            events.record(db, "lesson.hint_shown", persona_id=persona_id, actor="system", lesson_id=lesson.id,
                          step_id=current.id, trigger=hint["on"])
    return {current.id: found} if found else {}


def step_states(db, persona_id: str, lesson_id: str) -> dict[str, str]:
    """Per-step state, ``{step_id: "done" | "pending"}`` (the workshop dashboard's contract)."""
    return evaluate(db, persona_id, lesson_id).done


def tick_manual(db, persona_id: str, lesson_id: str, step_id: str, done: bool = True) -> None:
    """The learner ticks (or unticks) a manual step. Refused for a step the sandbox can check."""
    lesson = catalogue.get(lesson_id)
    step = lesson.step(step_id)
    if not step.manual:
        raise LessonError("lessons.error.step_checks_itself", step=step_id)
    if run(db, persona_id, lesson_id) is None:
        raise LessonError("lessons.error.not_started")
    with store.write(db):
        db.execute("delete from lesson_steps where persona_id = ? and lesson_id = ? and step_id = ?",
                   [persona_id, lesson_id, step_id])
        if done:
            event_id = events.record(db, "lesson.step_done", persona_id=persona_id, lesson_id=lesson_id,
                                     step_id=step_id, how="manual")
            db["lesson_steps"].insert({"persona_id": persona_id, "lesson_id": lesson_id, "step_id": step_id,
                                       "done_at": clock.now(db).isoformat(), "how": "manual",
                                       "event_id": event_id})


def answer(db, persona_id: str, lesson_id: str, question_id: str, choice: int) -> bool:
    """Record a quiz answer (the first answer counts for the score); returns whether it is right."""
    lesson = catalogue.get(lesson_id)
    question = lesson.question(question_id)
    if run(db, persona_id, lesson_id) is None:
        raise LessonError("lessons.error.not_started")
    if not isinstance(choice, int) or not 0 <= choice < len(question.options["vi"]):
        raise LessonError("lessons.error.choose_an_answer")
    correct = choice == question.answer
    with store.write(db):
        if db.execute("select 1 from lesson_answers where persona_id = ? and lesson_id = ? and question_id = ?",
                      [persona_id, lesson_id, question_id]).fetchone():
            return correct
        db["lesson_answers"].insert({"persona_id": persona_id, "lesson_id": lesson_id, "question_id": question_id,
                                     "choice": choice, "correct": int(correct),
                                     "answered_at": clock.now(db).isoformat()})
        events.record(db, "lesson.quiz_answered", persona_id=persona_id, lesson_id=lesson_id,
                      question_id=question_id, choice=choice, correct=correct)
    evaluate(db, persona_id, lesson_id, lesson)
    return correct


def quiz_score(db, persona_id: str, lesson_id: str) -> tuple[int, int]:
    lesson = catalogue.get(lesson_id)
    rows = list(db["lesson_answers"].rows_where("persona_id = ? and lesson_id = ?", [persona_id, lesson_id]))
    return sum(r["correct"] for r in rows), len(lesson.quiz)


def summary(db, persona_id: str, lesson_id: str) -> dict:
    """Time taken (sandbox clock), steps done, mistakes seen and recovered from, hints, quiz score."""
    lesson = catalogue.get(lesson_id)
    current_run = run(db, persona_id, lesson_id)
    if current_run is None:
        raise LessonError("lessons.error.not_started")
    log = events.for_persona(db, persona_id, since_id=current_run["watermark"])
    done_ids = sorted(row["event_id"] or 0 for row in db["lesson_steps"].rows_where(
        "persona_id = ? and lesson_id = ?", [persona_id, lesson_id]))
    mistakes = [e for e in log if e["kind"] in MISTAKE_KINDS]
    recovered = [e for e in mistakes if any(i > e["id"] for i in done_ids)]
    started = dt.datetime.fromisoformat(current_run["started_at"])
    ended = dt.datetime.fromisoformat(current_run["completed_at"]) if current_run["completed_at"] else clock.now(db)
    score, total = quiz_score(db, persona_id, lesson_id)
    return {
        "lesson_id": lesson_id,
        "started_at": current_run["started_at"],
        "completed_at": current_run["completed_at"],
        "minutes": max(0, round((ended - started).total_seconds() / 60)),
        "steps_done": len(done_ids),
        "steps_total": len(lesson.steps),
        "mistakes": len(mistakes),
        "mistakes_recovered": len(recovered),
        "mistake_kinds": sorted({e["kind"] for e in recovered}),
        "hints_shown": sum(1 for e in log if e["kind"] == "lesson.hint_shown"),
        "quiz_score": score,
        "quiz_total": total,
    }


def runs_for_persona(db, persona_id: str) -> list[dict]:
    if not db["lesson_runs"].exists():
        return []
    return list(db["lesson_runs"].rows_where("persona_id = ?", [persona_id]))


def steps_done(db, persona_ids: list[str]) -> dict[tuple[str, str, str], dict]:
    """Every saved step of these personas, ``{(persona_id, lesson_id, step_id): {"done_at",
    "event_id"}}``, in one query (a workshop's dashboard and report ask for a whole hall)."""
    if not persona_ids:
        return {}
    marks = ",".join("?" * len(persona_ids))
    rows = db.execute(f"select persona_id, lesson_id, step_id, done_at, event_id from lesson_steps "
                      f"where persona_id in ({marks})", persona_ids).fetchall()
    return {(persona, lesson, step): {"done_at": done_at, "event_id": event_id}
            for persona, lesson, step, done_at, event_id in rows}
