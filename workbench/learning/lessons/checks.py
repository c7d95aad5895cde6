"""Whether a step's check holds over the learner's event log, and on which event.

Pure functions of the log (and, for a dossier check, the dossiers the learner touched):
``progress.evaluate`` saves what they find, the workshop dashboard asks them first whether
anything would tick before it takes the write lock.
"""

from __future__ import annotations

from workbench.sandbox.dossiers import records


def _payload_matches(payload: dict, wanted: dict) -> bool:
    for key, value in wanted.items():
        have = payload.get(key)
        if isinstance(value, list):
            if have not in value:
                return False
        elif have != value:
            return False
    return True


def _matches(event: dict, matcher: dict) -> bool:
    return (event["kind"] == matcher["kind"]
            and (matcher.get("actor") is None or event["actor"] == matcher["actor"])
            and _payload_matches(event["payload"], matcher.get("payload") or {})
            and not any(key in event["payload"] for key in matcher.get("absent", ())))


def evaluate_check(check: dict, log: list[dict], dossiers: list[dict] | None = None) -> int | None:
    """The id of the event that satisfied ``check`` in ``log`` (oldest first), else None.

    ``dossiers`` is the persona's dossiers (``dossiers.for_persona``) restricted to those the
    learner touched during the lesson; a dossier check holds on the latest event naming it.
    A manual check never holds here: only the learner's tick does it.
    """
    kind = check["type"]
    if kind == "event":
        hits = [e for e in log if _matches(e, check)]
        if len(hits) >= check.get("count", 1):
            return hits[check.get("count", 1) - 1]["id"]
        return None
    if kind == "sequence":
        position = 0
        for event in log:
            if _matches(event, check["events"][position]):
                position += 1
                if position == len(check["events"]):
                    return event["id"]
        return None
    if kind == "dossier":
        for dossier in dossiers or []:
            if check.get("procedure_id") and dossier.get("procedure_id") != check["procedure_id"]:
                continue
            if check["status"] and dossier.get("status") not in check["status"]:
                continue
            if check.get("overdue") is not None and bool(dossier.get("is_overdue")) != check["overdue"]:
                continue
            touching = [e["id"] for e in log if e["payload"].get("code") == dossier.get("code")]
            return touching[-1] if touching else (log[-1]["id"] if log else 0)
        return None
    if kind in ("all", "any"):
        found = [evaluate_check(inner, log, dossiers) for inner in check["checks"]]
        if kind == "all":
            return None if any(f is None for f in found) or not found else max(found)
        hits = [f for f in found if f is not None]
        return min(hits) if hits else None
    return None


def uses_dossiers(check: dict) -> bool:
    """Whether a check (or one inside it) asks about a dossier, so the dossiers must be read."""
    if check["type"] == "dossier":
        return True
    return any(uses_dossiers(c) for c in check.get("checks", []))


def lesson_dossiers(db, persona_id: str, log: list[dict]) -> list[dict]:
    """The persona's dossiers that an event during the lesson names (by payload ``code``)."""
    codes = {e["payload"].get("code") for e in log if e["payload"].get("code")}
    return [d for d in records.for_persona(db, persona_id) if d.get("code") in codes]

