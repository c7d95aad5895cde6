"""The workshops themselves, and the phones that join them.

A workshop has a 6-digit join code (unique among open workshops); joining makes a fresh
persona in the planned starting state, started on the first planned lesson. The persona id
is the participant's resume token.
"""

from __future__ import annotations

import json
import re
import secrets
import unicodedata

from sqlite_utils.migrations import Migrations

from workbench import clock, events, store, text
from workbench.errors import Refusal
from workbench.learning.lessons import catalogue, progress as lesson_progress
from workbench.learning.lessons.model import Lesson
from workbench.sandbox import personas, scenarios

migrations = Migrations("workshop")

ROLES = ("citizen", "volunteer")
DEFAULT_STUCK_MINUTES = 5
NAME_MAX = 40
LESSON_STATE = "lesson"  # starting state: each lesson's own (the first planned lesson's)

# Every event a workshop records: here (created, joined, resumed), in nudges, trainer,
# certificates and learning/to_tracker.
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

def lesson_catalogue() -> dict[str, Lesson]:
    found, _problems = catalogue.load_all()
    return {lesson.id: lesson for lesson in found}


def new_code(db) -> str:
    """A join code no open workshop uses."""
    for _ in range(200):
        code = f"{secrets.randbelow(1_000_000):06d}"
        if not db.execute("select 1 from workshops where join_code = ? and status = 'open'", [code]).fetchone():
            return code
    raise WorkshopError("workshop.error.no_code")


def normalise_code(value) -> str:
    """What a participant typed (spaces, dashes, full-width digits) as 6 digits, or an error."""
    typed = unicodedata.normalize("NFKC", str(value or ""))
    digits = re.sub(r"[\s\-.]", "", typed)
    if not re.fullmatch(r"\d{6}", digits):
        raise WorkshopError("workshop.error.code_format", field="code")
    return digits


# --- workshops ---------------------------------------------------------------------------------

def create(db, *, name: str, place: str, date, lessons_planned: list[str], starting_state: str = LESSON_STATE,
           stuck_minutes: int = DEFAULT_STUCK_MINUTES) -> dict:
    """Create an open workshop with a fresh join code; every field is checked first."""
    name, place = text.clean(name), text.clean(place)
    if not name:
        raise WorkshopError("workshop.error.name_required", field="name")
    if len(name) > 80:
        raise WorkshopError("workshop.error.too_long", field="name", max=80)
    if not place:
        raise WorkshopError("workshop.error.place_required", field="place")
    day = text.parse_date(date)
    if day is None:
        raise WorkshopError("workshop.error.date", field="date", value=text.clean(date))
    when = day.isoformat()
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
            "join_code": new_code(db),
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
    """The workshop's lesson ids, in the order they are played."""
    return json.loads(workshop["lessons"] or "[]")


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
    first = catalogue.get(planned_lessons(workshop)[0])
    return first.starting_state


def join_path(workshop: dict) -> str:
    """The page path a phone opens (relative to the app's address); the QR holds it."""
    return f"join?code={workshop['join_code']}"


# --- participants --------------------------------------------------------------------------------

# How a participant is addressed says whether they are a man or a woman: their persona is too, so
# "Bà Lan" does not play a man (issue 14). Ê Đê names start with "Y" (men) or "H'" (women).
TITLE_GENDER = {"bà": "nữ", "chị": "nữ", "cô": "nữ", "mẹ": "nữ", "dì": "nữ", "thím": "nữ", "mợ": "nữ",
                "o": "nữ", "h'": "nữ", "ông": "nam", "anh": "nam", "chú": "nam", "cậu": "nam", "bố": "nam",
                "y": "nam"}


def gender_from_title(display_name: str) -> str | None:
    """``"Bà Lan"`` → ``"nữ"``, ``"Anh Tuấn"`` → ``"nam"``, ``"H'Hen"`` → ``"nữ"``; None when the
    first word is not a title that says it (``"Lan"``, ``"Bác Tư"``)."""
    words = unicodedata.normalize("NFC", display_name or "").lower().split()
    if not words:
        return None
    first = words[0].replace("’", "'")
    if first.startswith("h'"):
        first = "h'"
    return TITLE_GENDER.get(first)


def join(db, code, display_name: str, role: str = "citizen") -> dict:
    """A phone joins: a fresh persona in the planned state, started on the first lesson.

    The persona keeps its own made-up full name (it matches its ID number, the approval SMS and
    every paper): the name typed is what the trainer calls the person, shown beside it.

    Returns ``{"persona_id", "lesson_id", "workshop_id"}``; the persona id is the resume token.
    """
    workshop = by_code(db, code)
    name = text.clean(display_name)
    if not name:
        raise WorkshopError("workshop.error.display_name_required", field="display_name")
    if len(name) > NAME_MAX:
        raise WorkshopError("workshop.error.too_long", field="display_name", max=NAME_MAX)
    if role not in ROLES:
        raise WorkshopError("workshop.error.role", field="role")
    state = starting_state_for(workshop)
    first = planned_lessons(workshop)[0]
    with store.write(db):
        gender = gender_from_title(name)
        persona = personas.create(db, workshop_id=workshop["id"], display_name=name, starting_state=state,
                                  **({"gender": gender} if gender else {}))
        scenarios.apply(db, persona["id"], state)
        db["workshop_participants"].insert({
            "persona_id": persona["id"], "workshop_id": workshop["id"], "display_name": name, "role": role,
            "joined_at": clock.now(db).isoformat(), "resumed": 0, "tracked_at": None})
        events.record(db, "workshop.joined", persona_id=persona["id"], workshop_id=workshop["id"], role=role)
        lesson_progress.start(db, persona["id"], first)
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
    for lesson_id in planned_lessons(found["workshop"]):
        if lesson_progress.run(db, persona_id, lesson_id):
            lesson_progress.evaluate(db, persona_id, lesson_id)  # tick what was done since the last look
    saved = lesson_progress.steps_done(db, [persona_id])
    for lesson_id in planned_lessons(found["workshop"]):
        lesson = catalogue.get(lesson_id)
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
        if lesson_id is not None and lesson_progress.run(db, persona_id, lesson_id) is None:
            lesson_progress.start(db, persona_id, lesson_id)
        db.execute("update workshop_participants set resumed = resumed + 1 where persona_id = ?", [persona_id])
        events.record(db, "workshop.resumed", persona_id=persona_id, lesson_id=lesson_id)
    return lesson_id


