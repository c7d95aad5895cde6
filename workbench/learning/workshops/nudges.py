"""The trainer's short messages to one participant's phone, shown until dismissed.

A phone learns of a new message from its page's timed fragment (``pending_nudges``); only the
participant it was sent to can dismiss it.
"""

from __future__ import annotations

from workbench import clock, events, store
from workbench.learning.workshops import hall
from workbench.learning.workshops.hall import WorkshopError
from workbench.text import clean

NUDGE_MAX = 200


def nudge(db, workshop_id: str, persona_id: str, text: str) -> int:
    """A short message from the trainer, shown on that participant's phone until dismissed."""
    text = clean(text)
    if not text:
        raise WorkshopError("workshop.error.nudge_required", field="nudge")
    if len(text) > NUDGE_MAX:
        raise WorkshopError("workshop.error.too_long", field="nudge", max=NUDGE_MAX)
    found = hall.participant(db, persona_id)
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

