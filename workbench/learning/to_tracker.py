"""The one crossing from the sandbox into the tracker: a workshop participant who is a real
citizen, added to the tracker with their consent.

Everything else keeps the two databases apart (DESIGN.md: two databases, never one). This is
the only module that imports both the sandbox's side (the workshop) and the tracker's
(``tests/test_shape.py`` keeps it so), and what crosses is what the trainer typed about the
real person, never the fake persona.
"""

from __future__ import annotations

from workbench import clock, events, store
from workbench.learning.workshops import hall
from workbench.learning.workshops.hall import WorkshopError
from workbench.tracker import auth as tracker_auth


def add_to_tracker(db, tracker_db, user: dict, workshop_id: str, persona_id: str, *, consent: bool,
                   **citizen) -> int:
    """Add a participant who is a real citizen to the tracker, with their consent recorded.

    ``citizen`` holds the REAL details the trainer typed (full_name, birth_year, gender,
    ethnicity, village, phone, consent_by, consent_date); nothing of the fake persona goes to
    the tracker, and nothing of the real person comes back to the sandbox (only a date mark
    that this participant was added). The tracker checks permissions and every field.
    """
    found = hall.participant(db, persona_id)
    if found is None or found["workshop_id"] != workshop_id:
        raise WorkshopError("workshop.error.not_participant", field="persona")
    if not consent:
        raise WorkshopError("workshop.error.consent_required", field="consent")
    if found["tracked_at"]:
        raise WorkshopError("workshop.error.already_tracked", field="persona")
    citizen_id = tracker_auth.add_citizen(tracker_db, user, source="workshop", **citizen)
    with store.write(db):
        db.execute("update workshop_participants set tracked_at = ? where persona_id = ?",
                   [clock.real_now().isoformat(), persona_id])
        events.record(db, "workshop.added_to_tracker", persona_id=persona_id, actor="trainer")
    return citizen_id
