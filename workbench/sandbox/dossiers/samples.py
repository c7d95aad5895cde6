"""The one way to file a sample dossier, and the trainer's ready-made exercises.

``file_sample`` goes through the citizen's own steps with the sample answers of
``sandbox_data/dossier_scenarios.toml``: the trainer's exercises, the lessons' step setups,
the benches and the tests all come here, so a sample dossier is never built by hand.
"""

from __future__ import annotations

import datetime as dt

from workbench import clock, data as data_files
from workbench.sandbox import catalogue
from workbench.sandbox.dossiers import citizen, records
from workbench.sandbox.dossiers.schema import DossierError


def exercises() -> list[dict]:
    return data_files.load("dossier_scenarios")["exercises"]


def sample_answers() -> dict:
    return data_files.load("dossier_scenarios")["sample_answers"]


def _sample_value(field: dict, today: dt.date):
    value = sample_answers().get(field["id"])
    if field["type"] == "date" and isinstance(value, int):
        return (today - dt.timedelta(days=value)).strftime("%d/%m/%Y")
    return value


def file_sample(db, persona_id: str, procedure_id: str, *, variants: dict | None = None,
                delivery: str = "online", draft_only: bool = False) -> dict:
    """File a complete dossier for a persona through the citizen's own steps (start, each
    form page, each document, delivery, submit), with the sample answers of
    ``sandbox_data/dossier_scenarios.toml``. ``variants`` maps a document id to the picture to
    attach (``ok`` when absent). With ``draft_only`` the dossier stays a finished draft.
    The one way to make a sample dossier: the trainer's exercises, the lessons' step setups
    and the tests all come here. Returns the dossier."""
    code = citizen.start(db, persona_id, procedure_id)
    proc = catalogue.get(procedure_id)
    today = clock.now(db).date()
    for page in proc["form_pages"]:
        values = {f["id"]: _sample_value(f, today) for f in page["fields"] if not f.get("prefill")}
        citizen.save_answers(db, persona_id, code, page["id"],
                             {**records.get_own(db, persona_id, code)["answers"], **values})
    for document in proc["documents"]:
        citizen.attach(db, persona_id, code, document["id"], variant=(variants or {}).get(document["id"], "ok"))
    citizen.set_delivery(db, persona_id, code, delivery)
    return records.get_own(db, persona_id, code) if draft_only else citizen.submit(db, persona_id, code)


def exercise(exercise_id: str) -> dict:
    found = next((e for e in exercises() if e["id"] == exercise_id), None)
    if found is None:
        raise DossierError("dossiers.error.unknown_exercise", exercise=exercise_id)
    return found


def file_exercise(db, persona_id: str, exercise_id: str) -> dict:
    """The trainer files a ready-made exercise for a persona (e.g. a blurry birth certificate)
    so a learner at the desk has something to spot."""
    found = exercise(exercise_id)
    return file_sample(db, persona_id, found["procedure_id"], variants={found["document"]: found["variant"]})
