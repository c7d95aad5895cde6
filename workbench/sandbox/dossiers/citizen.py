"""The citizen's side of a dossier on the portal: start a draft with the pre-filled answers,
answer each form page, attach the papers, choose delivery, submit, answer a supplement
request, and rate the service at the end.

Every function takes the persona id and answers "not found" for a dossier that is not theirs.
"""

from __future__ import annotations

import json

from workbench import clock, events, store
from workbench.sandbox import catalogue, personas, photos
from workbench.sandbox.dossiers import jurisdiction, records, rules
from workbench.sandbox.dossiers.schema import DELIVERY, DossierError
from workbench.sandbox.dossiers.transitions import own_row, recorded, refuse_action



def prefill(persona: dict) -> dict:
    """Values the portal fills from the population database."""
    return {
        "full_name": persona["full_name"], "cccd": persona["cccd"], "phone": persona["phone"],
        "birth_date": persona["birth_date"], "gender": persona["gender"],
        "address": personas.address(persona),
    }


@recorded
def start(db, persona_id: str, procedure_id: str) -> str:
    """Begin filing: a draft with the pre-filled answers. Returns the dossier code."""
    proc = catalogue.get(procedure_id)
    persona = personas.get(db, persona_id)
    if persona is None:
        refuse_action(db, None, "start", "persona", "dossiers.error.no_persona", persona_id=persona_id)
    refusal = jurisdiction.refusal(persona, clock.now(db).date())
    if refusal:
        refuse_action(db, None, "start", "persona", refusal[0], persona_id=persona_id, **refusal[1])
    known = prefill(persona)
    answers = {f["id"]: known[f["prefill"]] for f in proc["fields_all"] if f.get("prefill")}
    with store.write(db):
        now = clock.now(db)
        code = records.new_code(db, now)
        db["dossiers"].insert({
            "code": code, "persona_id": persona_id, "workshop_id": persona.get("workshop_id"),
            "procedure_id": procedure_id, "field": proc["field"], "online_level": proc["online_level"],
            "channel": "online", "status": "draft", "answers": json.dumps(answers, ensure_ascii=False),
            "created_at": now.isoformat(), "updated_at": now.isoformat(), "fee": 0,
            "digitised": 0, "overdue_recorded": 0,
        })
        events.record(db, "dossier.started", persona_id=persona_id, code=code, procedure_id=procedure_id)
    return code


@recorded
def save_answers(db, persona_id: str, code: str, page_id: str, values: dict) -> dict:
    """Check and keep one form page's answers. Raises ``DossierError`` whose ``errors`` maps
    each field to its message; the answers typed are returned to the page untouched."""
    with store.write(db):
        row = own_row(db, persona_id, code, "save_answers")
        proc = catalogue.get(row["procedure_id"])
        page = next((p for p in proc["form_pages"] if p["id"] == page_id), None)
        if page is None:
            refuse_action(db, row, "save_answers", "persona", "dossiers.error.unknown_page", page=page_id)
        today = clock.now(db).date()
        answers, errors = dict(row["answers"]), {}
        for field in page["fields"]:
            if field.get("locked") and answers.get(field["id"]) not in (None, ""):
                continue  # from the population database: the portal does not let it be changed
            clean, error = rules.validate_field(field, values.get(field["id"]), today)
            if error:
                errors[field["id"]] = error
            else:
                answers[field["id"]] = clean
        if errors:
            refuse_action(db, row, "save_answers", "persona", "dossiers.error.form", errors=errors)
        records.update(db, code, answers=json.dumps(answers, ensure_ascii=False))
    return answers


@recorded
def set_delivery(db, persona_id: str, code: str, delivery: str) -> None:
    with store.write(db):
        row = own_row(db, persona_id, code, "save_answers")
        if delivery not in DELIVERY:
            refuse_action(db, row, "save_answers", "persona", "dossiers.error.delivery")
        records.update(db, code, delivery=delivery)


def _reject_document(row: dict, key: str, reason: str, document: str, **params):
    error = DossierError(key, **params)
    error.event = ("dossier.document_rejected", row["persona_id"], "persona",
                   {"code": row["code"], "procedure_id": row["procedure_id"], "document": document,
                    "reason": reason})
    raise error


@recorded
def attach(db, persona_id: str, code: str, document: str, *, variant: str = "ok",
           upload: bytes | None = None, filename: str | None = None) -> int:
    """Attach one of the persona's sample pictures (``variant`` ok/blurry/wrong) or an upload.

    Attaching the same document again replaces the earlier picture (kept, superseded).
    """
    with store.write(db):
        row = own_row(db, persona_id, code, "attach")
        proc = catalogue.get(row["procedure_id"])
        if document not in {d["id"] for d in proc["documents"]}:
            _reject_document(row, "dossiers.error.unknown_document", "unknown_document", document)
        if upload is not None:
            reason = photos.problem(upload)  # size, pixels, blur, darkness (issue 14)
            if reason:
                _reject_document(row, f"dossiers.error.{reason}", reason, document, **photos.limits())
            variant, source = "upload", "upload"
        else:
            if variant not in rules.scenario_variants():
                _reject_document(row, "dossiers.error.unknown_variant", "unknown_variant", document)
            source = "sample"
        db.execute("update dossier_documents set superseded = 1 where code = ? and document = ?", [code, document])
        doc_id = db["dossier_documents"].insert({
            "code": code, "document": document, "variant": variant, "source": source,
            "filename": filename or f"{document}.png", "image": upload, "at": clock.now(db).isoformat(),
            "superseded": 0,
        }).last_pk
        records.log(db, "dossier.document_attached", row, "persona", document=document, variant=variant)
    return doc_id


def missing(db, row: dict) -> dict:
    """What still stops a draft from being submitted: fields, documents, delivery."""
    proc = catalogue.get(row["procedure_id"])
    answers = row["answers"]
    fields = [f["id"] for f in proc["fields_all"] if f.get("required") and answers.get(f["id"]) in (None, "")]
    attached = {d["document"] for d in records.documents_of(db, row["code"])}
    docs = [d["id"] for d in proc["documents"] if d["required"] and d["id"] not in attached]
    return {"fields": fields, "documents": docs, "delivery": not row.get("delivery")}


@recorded
def submit(db, persona_id: str, code: str) -> dict:
    """Submit a complete draft: the fee is fixed, the due date counted. Returns the dossier."""
    with store.write(db):
        row = own_row(db, persona_id, code, "submit")
        gaps = missing(db, row)
        if gaps["fields"]:
            refuse_action(db, row, "submit", "persona", "dossiers.error.missing_fields",
                          errors={f: "dossiers.error.required" for f in gaps["fields"]})
        if gaps["documents"]:
            refuse_action(db, row, "submit", "persona", "dossiers.error.missing_documents",
                          documents=", ".join(gaps["documents"]))
        if gaps["delivery"]:
            refuse_action(db, row, "submit", "persona", "dossiers.error.delivery")
        now = clock.now(db)
        proc = catalogue.get(row["procedure_id"])
        amount, rule = rules.fee_for(row, "online", now.date())
        due = rules.due_date(now, proc["processing_days"])
        records.update(db, code, status="submitted", submitted_at=now.isoformat(), due_date=due.isoformat(),
                       fee=amount, digitised=1)
        records.add_message(db, code, "system", "dossiers.message.submitted", due_date=due.strftime("%d/%m/%Y"))
        records.log(db, "dossier.submitted", row, "persona", due_date=due.isoformat(), fee=amount, fee_rule=rule)
    return records.get(db, code)


@recorded
def supplement(db, persona_id: str, code: str) -> dict:
    """Answer a supplement request after attaching the document again; the clock restarts."""
    with store.write(db):
        row = own_row(db, persona_id, code, "supplement")
        fresh = db.execute("select count(*) from dossier_documents where code = ? and superseded = 0 and id > ?",
                           [code, row.get("supplement_doc_id") or 0]).fetchone()[0]
        if not fresh:
            refuse_action(db, row, "supplement", "persona", "dossiers.error.nothing_supplemented")
        now = clock.now(db)
        proc = catalogue.get(row["procedure_id"])
        due = rules.due_date(now, proc["processing_days"])
        back = "processing" if row["supplement_from"] == "processing" else "received"
        records.update(db, code, status=back, due_date=due.isoformat(), apology_due_date=None, overdue_recorded=0)
        records.add_message(db, code, "persona", "dossiers.message.supplemented", due_date=due.strftime("%d/%m/%Y"))
        records.log(db, "dossier.supplemented", row, "persona", due_date=due.isoformat())
    return records.get(db, code)


@recorded
def rate(db, persona_id: str, code: str, rating: int, comment: str = "") -> None:
    with store.write(db):
        row = own_row(db, persona_id, code, "rate")
        if row.get("rating"):
            refuse_action(db, row, "rate", "persona", "dossiers.error.already_rated")
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            refuse_action(db, row, "rate", "persona", "dossiers.error.rating_range")
        records.update(db, code, rating=rating, rating_comment=(comment or "").strip()[:500])
        records.log(db, "dossier.rated", row, "persona", rating=rating)
