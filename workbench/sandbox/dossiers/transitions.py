"""Who may take which action on a dossier, from which status, and what a refusal leaves behind.

A refused action raises ``DossierError`` and records ``dossier.action_refused``. The event is
recorded by ``recorded`` *after* the action's transaction rolled back, so the refusal is kept
while nothing else of the action is.
"""

from __future__ import annotations

import functools

from workbench import events
from workbench.sandbox.dossiers import records
from workbench.sandbox.dossiers.schema import OPEN_STATUSES, DossierError

DESK_ACTORS = ("desk", "trainer")

# action: (who may take it, from which statuses, to which status; None = decided by the action)
TRANSITIONS = {
    "submit": ("persona", ("draft",), "submitted"),
    "receive": ("desk", ("submitted",), "received"),
    "refuse": ("desk", ("submitted", "received", "processing"), "refused"),
    "request_supplement": ("desk", ("submitted", "received", "processing"), "supplement_requested"),
    "supplement": ("persona", ("supplement_requested",), None),
    "process": ("desk", ("received",), "processing"),
    "approve": ("desk", ("processing",), None),  # awaiting_payment or result_ready
    "record_payment": ("system", ("draft", "submitted", "received", "processing", "supplement_requested",
                                  "awaiting_payment"), None),
    "request_payment": ("desk", ("received", "processing"), None),
    "return_result": ("desk", ("result_ready",), "returned"),
    "rate": ("persona", ("returned", "refused"), None),
    "issue_apology": ("desk", OPEN_STATUSES, None),
    "attach": ("persona", ("draft", "supplement_requested"), None),
    "save_answers": ("persona", ("draft",), None),
}


def refuse_action(db, row: dict | None, action: str, actor: str, key: str, errors: dict | None = None, **params):
    """Raise the refusal; ``recorded`` logs it after the transaction has rolled back."""
    persona_id = row["persona_id"] if row else params.pop("persona_id", None)
    error = DossierError(key, errors=errors, **params)
    error.event = ("dossier.action_refused", persona_id, actor, {
        "code": row["code"] if row else params.get("code"),
        "procedure_id": row["procedure_id"] if row else None, "action": action, "reason": key,
        **({"errors": errors} if errors else {})})
    raise error


def recorded(function):
    """Record a refused action's event *after* its transaction rolled back, so it is kept."""
    @functools.wraps(function)
    def wrapper(db, *args, **kwargs):
        try:
            return function(db, *args, **kwargs)
        except DossierError as error:
            if error.event:
                kind, persona_id, actor, payload = error.event
                error.event = None  # an outer wrapper must not record it twice
                events.record(db, kind, persona_id=persona_id, actor=actor, **payload)
            raise
    return wrapper


def check_allowed(db, row: dict, action: str, actor: str) -> None:
    who, allowed, _ = TRANSITIONS[action]
    if who == "desk" and actor not in DESK_ACTORS:
        refuse_action(db, row, action, actor, "dossiers.error.desk_only")
    if who == "persona" and actor != "persona":
        refuse_action(db, row, action, actor, "dossiers.error.citizen_only")
    if row["status"] not in allowed:
        refuse_action(db, row, action, actor, "dossiers.error.not_allowed", attempted=action, status=row["status"])


def desk_row(db, code: str, action: str, actor: str) -> dict:
    """The dossier the desk acts on, once the action is allowed from its status."""
    row = records.get(db, code)
    if row is None:
        refuse_action(db, None, action, actor, "dossiers.error.not_found", code=code)
    check_allowed(db, row, action, actor)
    return row


def own_row(db, persona_id: str, code: str, action: str) -> dict:
    """The citizen's own dossier they act on, once the action is allowed from its status."""
    row = records.get(db, code)
    if row is None or row["persona_id"] != persona_id:
        # the same answer for "does not exist" and "is someone else's": codes leak nothing
        refuse_action(db, None, action, "persona", "dossiers.error.not_found", code=code, persona_id=persona_id)
    check_allowed(db, row, action, "persona")
    return row
