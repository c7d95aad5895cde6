"""Dossiers (hồ sơ) filed on the sandbox portal and the one-stop desk that resolves them.

A dossier is a small state machine. ``TRANSITIONS`` says, for every action, who may take
it (the citizen — ``persona`` — or the desk: ``desk``/``trainer``), from which statuses,
and where it leads. A refused action raises ``DossierError`` with a locale key and records
``dossier.action_refused``, so a lesson can see a learner trying the wrong thing.

Codes are ``DVC-<yymmdd>-<8 random characters>``: one learner cannot open another's dossier
by typing a neighbour's code, and every citizen function takes the persona id and answers
"not found" for a dossier that is not theirs.

Due dates are counted in working days on the sandbox clock, skipping weekends and the
holidays in ``sandbox_data/holidays.toml``; a dossier received after 15:00 or on a day off
counts from the next working day. A supplement request stops the clock; the supplement
restarts it (Nghị định 61/2018/NĐ-CP, Điều 19). A dossier still open after its due date is
overdue (Quá hạn) and the desk must issue the apology slip with a new date.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import secrets
from functools import lru_cache

from sqlite_utils.migrations import Migrations

from workbench import clock, data as data_files, events, fakes, store
from workbench.errors import Refusal
from workbench.sandbox import catalogue, documents, fees, personas

migrations = Migrations("dossiers")


STATUSES = ["submitted", "received", "processing", "supplement_requested", "awaiting_payment",
            "result_ready", "returned", "refused"]
OPEN_STATUSES = ("submitted", "received", "processing")  # the legal clock runs
# The same list as SQL literals: SQLite uses a partial index only when the query repeats
# its WHERE terms literally (a bound parameter cannot prove the match).
OPEN_SQL = "(" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"
KPI_COLUMNS = ("status", "workshop_id", "channel", "online_level", "fee", "paid_at", "paid_channel", "resolved_at",
               "due_date", "digitised", "rating")
DESK_ACTORS = ("desk", "trainer")
DELIVERY = ("online", "post", "desk")
PAYMENT_CHANNELS = ("portal", "desk_qr", "cash")
LATE_SUBMISSION_HOUR = 15
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the desk

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
    "return_result": ("desk", ("result_ready",), "returned"),
    "rate": ("persona", ("returned", "refused"), None),
    "issue_apology": ("desk", OPEN_STATUSES, None),
    "attach": ("persona", ("draft", "supplement_requested"), None),
    "save_answers": ("persona", ("draft",), None),
}

EVENT_KINDS = {
    "dossier.started": "a citizen started filing a procedure online (draft made)",
    "dossier.document_attached": "a document picture was attached (payload: document, variant)",
    "dossier.document_rejected": "an attachment was refused (payload: reason)",
    "dossier.submitted": "the citizen submitted the dossier (payload: due_date, fee)",
    "dossier.received": "the desk received the dossier",
    "dossier.refused": "the desk refused the dossier (payload: reason)",
    "dossier.supplement_requested": "the desk asked for a supplement (payload: note)",
    "dossier.supplemented": "the citizen answered a supplement request",
    "dossier.processing": "the desk started processing",
    "dossier.approved": "the desk approved the dossier",
    "dossier.result_ready": "the result is ready (after payment when a fee is due)",
    "dossier.result_returned": "the desk returned the result",
    "dossier.result_downloaded": "the citizen downloaded the electronic result",
    "dossier.overdue": "the dossier passed its due date while open",
    "dossier.apology_issued": "the desk issued the apology slip with a new date (payload: new_date)",
    "dossier.rated": "the citizen rated the service (payload: rating)",
    "dossier.paid": "a payment was recorded on the dossier (payload: channel, amount)",
    "dossier.action_refused": "an action on a dossier was refused (payload: action, reason)",
}


class DossierError(Refusal):
    """A refused action or bad input; ``errors`` maps form field ids to their own message keys
    when a form page has several problems."""

    def __init__(self, key: str, errors: dict | None = None, **params):
        super().__init__(key, **params)
        self.errors = errors or {}
        self.event = None


@migrations()
def m001_dossiers(db):
    db["dossiers"].create(
        {
            "code": str, "persona_id": str, "workshop_id": str, "procedure_id": str, "field": str,
            "online_level": str, "channel": str, "status": str, "answers": str, "delivery": str,
            "fee": int, "paid_at": str, "paid_channel": str, "payment_id": str,
            "created_at": str, "submitted_at": str, "due_date": str, "received_at": str,
            "processing_at": str, "resolved_at": str, "returned_at": str, "refused_at": str,
            "refuse_reason": str, "supplement_note": str, "supplement_at": str, "supplement_from": str,
            "apology_due_date": str, "apology_at": str, "rating": int, "rating_comment": str,
            "digitised": int, "overdue_recorded": int, "updated_at": str,
        },
        pk="code",
        defaults={"digitised": 0, "overdue_recorded": 0, "fee": 0},
    )
    db["dossiers"].create_index(["status", "submitted_at"])
    db["dossiers"].create_index(["submitted_at"])
    db["dossiers"].create_index(["persona_id", "created_at"])
    db["dossiers"].create_index(["status", "due_date"])
    db["dossiers"].create_index(["workshop_id"])
    db["dossier_documents"].create(
        {"id": int, "code": str, "document": str, "variant": str, "source": str, "filename": str,
         "image": bytes, "at": str, "superseded": int},
        pk="id", defaults={"superseded": 0},
    )
    db["dossier_documents"].create_index(["code"])
    db["dossier_messages"].create(
        {"id": int, "code": str, "at": str, "actor": str, "key": str, "params": str},
        pk="id",
    )
    db["dossier_messages"].create_index(["code"])


@migrations()
def m002_supplement_watermark(db):
    # The last document id when a supplement was requested: a supplement must attach a newer
    # one. Comparing times failed when both happened within the same second (issue 4).
    db["dossiers"].add_column("supplement_doc_id", int)


@migrations()
def m003_desk_indexes(db):
    # The desk at 100,000 dossiers (bench/dossiers_scale.py): a covering index for the queue's
    # order and status filter, partial indexes over open dossiers only (overdue list, overdue
    # not yet recorded), the code's 8-character token for the search box, and a narrow
    # covering index the KPI aggregate scans instead of the wide rows.
    db.execute("create index dossiers_queue on dossiers(submitted_at, code, status)")
    db.execute(f"create index dossiers_open_due on dossiers(due_date) where status in {OPEN_SQL}")
    db.execute(f"create index dossiers_overdue_pending on dossiers(due_date) "
               f"where overdue_recorded = 0 and status in {OPEN_SQL}")
    db.execute("create index dossiers_token on dossiers(substr(code, 12))")
    db.execute(f"create index dossiers_kpi on dossiers({', '.join(KPI_COLUMNS)})")


# --- working days ------------------------------------------------------------------------

@lru_cache(maxsize=1)  # every due date walks the calendar
def holidays() -> dict[dt.date, str]:
    data = data_files.load("holidays")
    return {day["date"]: day["name"] for day in data["days"]}


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def first_counting_day(at: dt.datetime) -> dt.date:
    """The day the legal time starts: today if a working day before 15:00, else the next one."""
    day = at.date()
    if not is_working_day(day) or at.hour >= LATE_SUBMISSION_HOUR:
        return next_working_day(day)
    return day


def due_date(at: dt.datetime, working_days: int) -> dt.date:
    """The last day to return the result for a dossier received at ``at``.

    0 working days means the same counting day ("trong ngày").
    """
    day = first_counting_day(at)
    for _ in range(working_days):
        day = next_working_day(day)
    return day


def add_working_days(day: dt.date, working_days: int) -> dt.date:
    for _ in range(working_days):
        day = next_working_day(day)
    return day


# --- helpers -------------------------------------------------------------------------------

def new_code(db, at: dt.datetime) -> str:
    while True:
        token = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"DVC-{at:%y%m%d}-{token}"
        if not db.execute("select 1 from dossiers where code = ?", [code]).fetchone():
            return code


def _now(db) -> dt.datetime:
    return clock.now(db)


def _row(db, code: str) -> dict | None:
    cursor = db.execute("select * from dossiers where code = ?", [code])
    values = cursor.fetchone()
    if values is None:
        return None
    return _decorate(db, dict(zip([c[0] for c in cursor.description], values)))


def _decorate(db, row: dict, today: dt.date | None = None) -> dict:
    today = today or _now(db).date()
    row["answers"] = json.loads(row["answers"] or "{}") if isinstance(row.get("answers"), str) else row.get("answers") or {}
    due = row.get("apology_due_date") or row.get("due_date")
    is_open = row["status"] in OPEN_STATUSES
    row["is_overdue"] = bool(is_open and row.get("due_date") and today > dt.date.fromisoformat(row["due_date"]))
    row["needs_apology"] = bool(is_open and due and today > dt.date.fromisoformat(due))
    row["display_status"] = "overdue" if row["is_overdue"] else row["status"]
    row["amount_due"] = _amount_due(row)
    return row


def _amount_due(row: dict) -> int:
    if row["status"] in ("draft", "refused") or row.get("paid_at"):
        return 0
    return int(row.get("fee") or 0)


def _log(db, kind: str, row: dict, actor: str, **payload) -> None:
    events.record(db, kind, persona_id=row["persona_id"], actor=actor, code=row["code"],
                  procedure_id=row["procedure_id"], **payload)


def _refuse(db, row: dict | None, action: str, actor: str, key: str, errors: dict | None = None, **params):
    """Raise the refusal; ``recorded`` logs it after the transaction has rolled back."""
    persona_id = row["persona_id"] if row else params.pop("persona_id", None)
    error = DossierError(key, errors=errors, **params)
    error.event = ("dossier.action_refused", persona_id, actor, {
        "code": row["code"] if row else params.get("code"),
        "procedure_id": row["procedure_id"] if row else None, "action": action, "reason": key,
        **({"errors": errors} if errors else {})})
    raise error


def _reject_document(row: dict, key: str, reason: str, document: str, **params):
    error = DossierError(key, **params)
    error.event = ("dossier.document_rejected", row["persona_id"], "persona",
                   {"code": row["code"], "procedure_id": row["procedure_id"], "document": document,
                    "reason": reason})
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


def _check(db, row: dict, action: str, actor: str) -> None:
    who, allowed, _ = TRANSITIONS[action]
    if who == "desk" and actor not in DESK_ACTORS:
        _refuse(db, row, action, actor, "dossiers.error.desk_only")
    if who == "persona" and actor != "persona":
        _refuse(db, row, action, actor, "dossiers.error.citizen_only")
    if row["status"] not in allowed:
        _refuse(db, row, action, actor, "dossiers.error.not_allowed", attempted=action, status=row["status"])


def _update(db, code: str, **values) -> None:
    values["updated_at"] = _now(db).isoformat()
    db["dossiers"].update(code, values)


def _message(db, code: str, actor: str, key: str, **params) -> None:
    db["dossier_messages"].insert({"code": code, "at": _now(db).isoformat(), "actor": actor, "key": key,
                                   "params": json.dumps(params, ensure_ascii=False)})


def _desk_row(db, code: str, action: str, actor: str) -> dict:
    row = _row(db, code)
    if row is None:
        _refuse(db, None, action, actor, "dossiers.error.not_found", code=code)
    _check(db, row, action, actor)
    return row


def _own_row(db, persona_id: str, code: str, action: str) -> dict:
    row = _row(db, code)
    if row is None or row["persona_id"] != persona_id:
        # the same answer for "does not exist" and "is someone else's": codes leak nothing
        _refuse(db, None, action, "persona", "dossiers.error.not_found", code=code, persona_id=persona_id)
    _check(db, row, action, "persona")
    return row


# --- reading -------------------------------------------------------------------------------

def get(db, code: str) -> dict | None:
    """Any dossier by code (desk and payments); ``None`` if there is none."""
    return _row(db, code)


def get_own(db, persona_id: str, code: str) -> dict:
    """A citizen's own dossier; someone else's answers "not found", like a missing one."""
    row = _row(db, (code or "").strip().upper())
    if row is None or row["persona_id"] != persona_id:
        raise DossierError("dossiers.error.not_found", code=code)
    return row


def for_persona(db, persona_id: str, include_drafts: bool = False) -> list[dict]:
    sql = "select * from dossiers where persona_id = ?"
    if not include_drafts:
        sql += " and status != 'draft'"
    cursor = db.execute(sql + " order by created_at desc", [persona_id])
    cols = [c[0] for c in cursor.description]
    today = _now(db).date()
    return [_decorate(db, dict(zip(cols, v)), today) for v in cursor.fetchall()]


def amount_due(db, code: str) -> int:
    row = _row(db, code)
    return row["amount_due"] if row else 0


def documents_of(db, code: str, include_superseded: bool = False) -> list[dict]:
    sql = "select id, code, document, variant, source, filename, at, superseded from dossier_documents where code = ?"
    if not include_superseded:
        sql += " and superseded = 0"
    cursor = db.execute(sql + " order by id", [code])
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, v)) for v in cursor.fetchall()]


def document_image(db, document_row_id: int) -> bytes | None:
    row = db.execute("select image from dossier_documents where id = ?", [document_row_id]).fetchone()
    return row[0] if row else None


def document_picture(db, document_row: dict) -> bytes:
    """What the desk sees for an attachment: the upload, or the persona's sample picture drawn."""
    if document_row.get("source") == "upload":
        return document_image(db, document_row["id"]) or b""
    persona_id = db.execute("select persona_id from dossiers where code = ?", [document_row["code"]]).fetchone()
    persona = personas.get(db, persona_id[0] if persona_id else None) or {}
    return documents.sample_picture(document_row["document"], document_row["variant"], persona)


def messages(db, code: str) -> list[dict]:
    cursor = db.execute("select at, actor, key, params from dossier_messages where code = ? order by id", [code])
    return [{"at": at, "actor": actor, "key": key, "params": json.loads(params or "{}")}
            for at, actor, key, params in cursor.fetchall()]


# --- the citizen's side -----------------------------------------------------------------

def prefill(persona: dict) -> dict:
    """Values the portal fills from the population database."""
    commune = fakes.load_commune()
    return {
        "full_name": persona["full_name"], "cccd": persona["cccd"], "phone": persona["phone"],
        "birth_date": persona["birth_date"], "gender": persona["gender"],
        "address": f"{persona['village']}, {commune.name}, {commune.district}, {commune.province}",
    }


@recorded
def start(db, persona_id: str, procedure_id: str) -> str:
    """Begin filing: a draft with the pre-filled answers. Returns the dossier code."""
    proc = catalogue.get(procedure_id)
    persona = personas.get(db, persona_id)
    if persona is None:
        _refuse(db, None, "start", "persona", "dossiers.error.no_persona", persona_id=persona_id)
    known = prefill(persona)
    answers = {f["id"]: known[f["prefill"]] for f in proc["fields_all"] if f.get("prefill")}
    with store.write(db):
        now = _now(db)
        code = new_code(db, now)
        db["dossiers"].insert({
            "code": code, "persona_id": persona_id, "workshop_id": persona.get("workshop_id"),
            "procedure_id": procedure_id, "field": proc["field"], "online_level": proc["online_level"],
            "channel": "online", "status": "draft", "answers": json.dumps(answers, ensure_ascii=False),
            "created_at": now.isoformat(), "updated_at": now.isoformat(), "fee": 0,
            "digitised": 0, "overdue_recorded": 0,
        })
        events.record(db, "dossier.started", persona_id=persona_id, code=code, procedure_id=procedure_id)
    return code


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def validate_field(field: dict, value, today: dt.date) -> tuple[object, str | None]:
    """(clean value, error key or None) for one form field."""
    text = "" if value is None else str(value).strip()
    if not text:
        return "", ("dossiers.error.required" if field.get("required") else None)
    kind = field["type"]
    if kind == "date":
        day = _parse_date(text)
        if day is None:
            return text, "dossiers.error.date_format"
        if day > today:
            return text, "dossiers.error.date_future"
        return day.strftime("%d/%m/%Y"), None
    if kind == "number":
        if not text.isdigit():
            return text, "dossiers.error.number"
        number = int(text)
        if number < field.get("min", 0) or number > field.get("max", 10**9):
            return text, "dossiers.error.number_range"
        return number, None
    if kind == "phone":
        try:
            return fakes.normalise_phone(text), None
        except fakes.InvalidPhone as error:
            return text, error.key
    if kind == "select" and text not in field["options"]:
        return text, "dossiers.error.choose_option"
    if field["id"].endswith("_cccd") and not (len(text) == 12 and text.isdigit()):
        return text, "dossiers.error.cccd"
    return text, None


@recorded
def save_answers(db, persona_id: str, code: str, page_id: str, values: dict) -> dict:
    """Check and keep one form page's answers. Raises ``DossierError`` whose ``errors`` maps
    each field to its message; the answers typed are returned to the page untouched."""
    with store.write(db):
        row = _own_row(db, persona_id, code, "save_answers")
        proc = catalogue.get(row["procedure_id"])
        page = next((p for p in proc["form_pages"] if p["id"] == page_id), None)
        if page is None:
            _refuse(db, row, "save_answers", "persona", "dossiers.error.unknown_page", page=page_id)
        today = _now(db).date()
        answers, errors = dict(row["answers"]), {}
        for field in page["fields"]:
            if field.get("locked") and answers.get(field["id"]) not in (None, ""):
                continue  # from the population database: the portal does not let it be changed
            clean, error = validate_field(field, values.get(field["id"]), today)
            if error:
                errors[field["id"]] = error
            else:
                answers[field["id"]] = clean
        if errors:
            _refuse(db, row, "save_answers", "persona", "dossiers.error.form", errors=errors)
        _update(db, code, answers=json.dumps(answers, ensure_ascii=False))
    return answers


@recorded
def set_delivery(db, persona_id: str, code: str, delivery: str) -> None:
    with store.write(db):
        row = _own_row(db, persona_id, code, "save_answers")
        if delivery not in DELIVERY:
            _refuse(db, row, "save_answers", "persona", "dossiers.error.delivery")
        _update(db, code, delivery=delivery)


@recorded
def attach(db, persona_id: str, code: str, document: str, *, variant: str = "ok",
           upload: bytes | None = None, filename: str | None = None) -> int:
    """Attach one of the persona's sample pictures (``variant`` ok/blurry/wrong) or an upload.

    Attaching the same document again replaces the earlier picture (kept, superseded).
    """
    with store.write(db):
        row = _own_row(db, persona_id, code, "attach")
        proc = catalogue.get(row["procedure_id"])
        if document not in {d["id"] for d in proc["documents"]}:
            _reject_document(row, "dossiers.error.unknown_document", "unknown_document", document)
        if upload is not None:
            reason = _check_image(upload)
            if reason:
                _reject_document(row, f"dossiers.error.{reason}", reason, document,
                                 max_mb=MAX_UPLOAD_BYTES // (1024 * 1024))
            variant, source = "upload", "upload"
        else:
            if variant not in scenario_variants():
                _reject_document(row, "dossiers.error.unknown_variant", "unknown_variant", document)
            source = "sample"
        db.execute("update dossier_documents set superseded = 1 where code = ? and document = ?", [code, document])
        doc_id = db["dossier_documents"].insert({
            "code": code, "document": document, "variant": variant, "source": source,
            "filename": filename or f"{document}.png", "image": upload, "at": _now(db).isoformat(),
            "superseded": 0,
        }).last_pk
        _log(db, "dossier.document_attached", row, "persona", document=document, variant=variant)
    return doc_id


def _check_image(data: bytes) -> str | None:
    if len(data) > MAX_UPLOAD_BYTES:
        return "image_too_large"
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:
        return "not_an_image"
    return None


def missing(db, row: dict) -> dict:
    """What still stops a draft from being submitted: fields, documents, delivery."""
    proc = catalogue.get(row["procedure_id"])
    answers = row["answers"]
    fields = [f["id"] for f in proc["fields_all"] if f.get("required") and answers.get(f["id"]) in (None, "")]
    attached = {d["document"] for d in documents_of(db, row["code"])}
    docs = [d["id"] for d in proc["documents"] if d["required"] and d["id"] not in attached]
    return {"fields": fields, "documents": docs, "delivery": not row.get("delivery")}


def _on_time(proc: dict, answers: dict, today: dt.date) -> bool:
    """Birth registration is free within 60 days of the birth, death within 15 days."""
    limits = {"khai_sinh": ("child_birth_date", 60), "khai_tu": ("death_date", 15)}
    if proc["id"] not in limits:
        return True
    field, days = limits[proc["id"]]
    day = _parse_date(answers.get(field))
    return day is None or (today - day).days <= days


def fee_for(row: dict, channel: str, today: dt.date) -> tuple[int, str]:
    proc = catalogue.get(row["procedure_id"])
    answers = row["answers"]
    return fees.fee(proc["id"], channel, pages=int(answers.get("pages") or 1),
                    copies=int(answers.get("copies") or 1), on_time=_on_time(proc, answers, today))


@recorded
def submit(db, persona_id: str, code: str) -> dict:
    """Submit a complete draft: the fee is fixed, the due date counted. Returns the dossier."""
    with store.write(db):
        row = _own_row(db, persona_id, code, "submit")
        gaps = missing(db, row)
        if gaps["fields"]:
            _refuse(db, row, "submit", "persona", "dossiers.error.missing_fields",
                    errors={f: "dossiers.error.required" for f in gaps["fields"]})
        if gaps["documents"]:
            _refuse(db, row, "submit", "persona", "dossiers.error.missing_documents",
                    documents=", ".join(gaps["documents"]))
        if gaps["delivery"]:
            _refuse(db, row, "submit", "persona", "dossiers.error.delivery")
        now = _now(db)
        proc = catalogue.get(row["procedure_id"])
        amount, rule = fee_for(row, "online", now.date())
        due = due_date(now, proc["processing_days"])
        _update(db, code, status="submitted", submitted_at=now.isoformat(), due_date=due.isoformat(),
                fee=amount, digitised=1)
        _message(db, code, "system", "dossiers.message.submitted", due_date=due.strftime("%d/%m/%Y"))
        _log(db, "dossier.submitted", row, "persona", due_date=due.isoformat(), fee=amount, fee_rule=rule)
    return _row(db, code)


@recorded
def supplement(db, persona_id: str, code: str) -> dict:
    """Answer a supplement request after attaching the document again; the clock restarts."""
    with store.write(db):
        row = _own_row(db, persona_id, code, "supplement")
        fresh = db.execute("select count(*) from dossier_documents where code = ? and superseded = 0 and id > ?",
                           [code, row.get("supplement_doc_id") or 0]).fetchone()[0]
        if not fresh:
            _refuse(db, row, "supplement", "persona", "dossiers.error.nothing_supplemented")
        now = _now(db)
        proc = catalogue.get(row["procedure_id"])
        due = due_date(now, proc["processing_days"])
        back = "processing" if row["supplement_from"] == "processing" else "received"
        _update(db, code, status=back, due_date=due.isoformat(), apology_due_date=None, overdue_recorded=0)
        _message(db, code, "persona", "dossiers.message.supplemented", due_date=due.strftime("%d/%m/%Y"))
        _log(db, "dossier.supplemented", row, "persona", due_date=due.isoformat())
    return _row(db, code)


@recorded
def rate(db, persona_id: str, code: str, rating: int, comment: str = "") -> None:
    with store.write(db):
        row = _own_row(db, persona_id, code, "rate")
        if row.get("rating"):
            _refuse(db, row, "rate", "persona", "dossiers.error.already_rated")
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            _refuse(db, row, "rate", "persona", "dossiers.error.rating_range")
        _update(db, code, rating=rating, rating_comment=(comment or "").strip()[:500])
        _log(db, "dossier.rated", row, "persona", rating=rating)


@recorded
def result_pdf(db, persona_id: str, code: str, lang: str = "vi") -> bytes:
    """The electronic result (PDF marked SANDBOX) once the result is ready; records nothing,
    so a page can draw the download button on every run. ``record_download`` records the click."""
    row = get_own(db, persona_id, code)
    if row["status"] not in ("result_ready", "returned"):
        _refuse(db, row, "download_result", "persona", "dossiers.error.no_result_yet")
    return documents.result_pdf(row, personas.get(db, persona_id), lang)


def record_download(db, persona_id: str, code: str) -> None:
    row = get_own(db, persona_id, code)
    _log(db, "dossier.result_downloaded", row, "persona")


def download_result(db, persona_id: str, code: str, lang: str = "vi") -> bytes:
    """The electronic result, recording ``dossier.result_downloaded``."""
    data = result_pdf(db, persona_id, code, lang)
    record_download(db, persona_id, code)
    return data


def desk_result_pdf(db, code: str, lang: str = "vi") -> bytes:
    """The result as the desk sees it before returning it (same document)."""
    row = _row(db, code)
    if row is None or row["status"] not in ("result_ready", "returned"):
        raise DossierError("dossiers.error.no_result_yet")
    return documents.result_pdf(row, personas.get(db, row["persona_id"]), lang)


def apology_slip(db, code: str, lang: str = "vi") -> bytes:
    """The apology slip of a dossier that has one (PDF marked SANDBOX)."""
    row = _row(db, code)
    if row is None or not row.get("apology_due_date"):
        raise DossierError("dossiers.error.no_apology")
    return documents.apology_pdf(row, personas.get(db, row["persona_id"]), lang)


# --- the desk's side ----------------------------------------------------------------------

@recorded
def receive(db, code: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = _desk_row(db, code, "receive", actor)
        _update(db, code, status="received", received_at=_now(db).isoformat(), digitised=1)
        _message(db, code, actor, "dossiers.message.received")
        _log(db, "dossier.received", row, actor)
    return _row(db, code)


@recorded
def refuse(db, code: str, reason: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = _desk_row(db, code, "refuse", actor)
        if not (reason or "").strip():
            _refuse(db, row, "refuse", actor, "dossiers.error.reason_required")
        _update(db, code, status="refused", refused_at=_now(db).isoformat(), refuse_reason=reason.strip())
        _message(db, code, actor, "dossiers.message.refused", note=reason.strip())
        _log(db, "dossier.refused", row, actor, reason=reason.strip())
    return _row(db, code)


@recorded
def request_supplement(db, code: str, note: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = _desk_row(db, code, "request_supplement", actor)
        if not (note or "").strip():
            _refuse(db, row, "request_supplement", actor, "dossiers.error.note_required")
        last_doc = db.execute("select max(id) from dossier_documents").fetchone()[0] or 0
        _update(db, code, status="supplement_requested", supplement_note=note.strip(),
                supplement_at=_now(db).isoformat(), supplement_doc_id=last_doc,
                supplement_from="processing" if row["status"] == "processing" else "received")
        _message(db, code, actor, "dossiers.message.supplement_requested", note=note.strip())
        _log(db, "dossier.supplement_requested", row, actor, note=note.strip())
    return _row(db, code)


@recorded
def process(db, code: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = _desk_row(db, code, "process", actor)
        _update(db, code, status="processing", processing_at=_now(db).isoformat())
        _log(db, "dossier.processing", row, actor)
    return _row(db, code)


@recorded
def approve(db, code: str, actor: str = "desk") -> dict:
    """Approve: the result is ready, or waits for the fee when one is still due."""
    with store.write(db):
        row = _desk_row(db, code, "approve", actor)
        now = _now(db).isoformat()
        waiting = row["amount_due"] > 0
        _update(db, code, status="awaiting_payment" if waiting else "result_ready", resolved_at=now)
        _log(db, "dossier.approved", row, actor)
        if waiting:
            _message(db, code, actor, "dossiers.message.awaiting_payment", amount=row["amount_due"])
        else:
            _message(db, code, actor, "dossiers.message.result_ready")
            _log(db, "dossier.result_ready", row, "system")
    return _row(db, code)


@recorded
def record_payment(db, code: str, payment_id: str, channel: str = "portal", actor: str = "persona") -> dict:
    """Record the fee as paid (payments calls this). Idempotent for the same ``payment_id``;
    a second, different payment is refused with ``dossier.error.already_paid``."""
    with store.write(db):
        row = _row(db, code)
        if row is None:
            _refuse(db, None, "record_payment", actor, "dossiers.error.not_found", code=code)
        if row.get("paid_at"):
            if row.get("payment_id") == payment_id:
                return row
            _refuse(db, row, "record_payment", actor, "dossiers.error.already_paid")
        if channel not in PAYMENT_CHANNELS:
            _refuse(db, row, "record_payment", actor, "dossiers.error.payment_channel", channel=channel)
        if row["status"] not in TRANSITIONS["record_payment"][1]:
            _refuse(db, row, "record_payment", actor, "dossiers.error.not_allowed",
                    attempted="record_payment", status=row["status"])
        if int(row.get("fee") or 0) <= 0:
            _refuse(db, row, "record_payment", actor, "dossiers.error.nothing_to_pay")
        values = {"paid_at": _now(db).isoformat(), "paid_channel": channel, "payment_id": payment_id}
        if row["status"] == "awaiting_payment":
            values["status"] = "result_ready"
        _update(db, code, **values)
        _log(db, "dossier.paid", row, actor, channel=channel, amount=int(row["fee"]), payment_id=payment_id)
        if row["status"] == "awaiting_payment":
            _message(db, code, "system", "dossiers.message.result_ready")
            _log(db, "dossier.result_ready", row, "system")
    return _row(db, code)


@recorded
def return_result(db, code: str, actor: str = "desk") -> dict:
    with store.write(db):
        row = _desk_row(db, code, "return_result", actor)
        _update(db, code, status="returned", returned_at=_now(db).isoformat())
        _message(db, code, actor, "dossiers.message.returned")
        _log(db, "dossier.result_returned", row, actor)
    return _row(db, code)


@recorded
def issue_apology(db, code: str, new_date: dt.date | str | None = None, actor: str = "desk") -> dict:
    """The apology slip (Phiếu xin lỗi và hẹn lại ngày trả kết quả) for an overdue dossier.

    Without ``new_date`` the new date is the processing time again from today.
    """
    with store.write(db):
        row = _desk_row(db, code, "issue_apology", actor)
        if not row["needs_apology"]:
            _refuse(db, row, "issue_apology", actor, "dossiers.error.not_overdue")
        now = _now(db)
        if new_date is None:
            proc = catalogue.get(row["procedure_id"])
            new_date = due_date(now, max(1, proc["processing_days"]))
        new_date = _parse_date(new_date) if not isinstance(new_date, dt.date) else new_date
        if new_date is None or new_date <= now.date() or not is_working_day(new_date):
            _refuse(db, row, "issue_apology", actor, "dossiers.error.new_date_invalid")
        _update(db, code, apology_due_date=new_date.isoformat(), apology_at=now.isoformat())
        _message(db, code, actor, "dossiers.message.apology", new_date=new_date.strftime("%d/%m/%Y"))
        _log(db, "dossier.apology_issued", row, actor, new_date=new_date.isoformat())
    return _row(db, code)


def file_at_desk(db, persona_id: str, procedure_id: str, *, digitised: bool = True, actor: str = "desk",
                 answers: dict | None = None) -> dict:
    """A walk-in dossier typed in by the desk (not filed online): counts against the online share."""
    proc = catalogue.get(procedure_id)
    persona = personas.get(db, persona_id)
    with store.write(db):
        now = _now(db)
        code = new_code(db, now)
        row = {"code": code, "persona_id": persona_id, "procedure_id": procedure_id, "answers": answers or {}}
        amount, _ = fee_for(row, "desk", now.date())
        db["dossiers"].insert({
            "code": code, "persona_id": persona_id, "workshop_id": (persona or {}).get("workshop_id"),
            "procedure_id": procedure_id, "field": proc["field"], "online_level": proc["online_level"],
            "channel": "desk", "status": "received", "answers": json.dumps(answers or {}, ensure_ascii=False),
            "delivery": "desk", "fee": amount, "created_at": now.isoformat(), "submitted_at": now.isoformat(),
            "received_at": now.isoformat(), "due_date": due_date(now, proc["processing_days"]).isoformat(),
            "digitised": int(digitised), "overdue_recorded": 0, "updated_at": now.isoformat(),
        })
        _log(db, "dossier.received", row, actor, channel="desk")
    return _row(db, code)


def mark_overdue(db) -> int:
    """Record ``dossier.overdue`` once for each open dossier past its due date. Returns how many.

    One INSERT … SELECT on the partial index of open, not-yet-recorded dossiers: the desk
    page calls this on every run, and after a big jump of the sandbox clock thousands of
    dossiers can fall overdue at once. The rows are the ones ``events.record`` would write.
    """
    today = _now(db).date().isoformat()
    pending = f"overdue_recorded = 0 and status in {OPEN_SQL} and due_date < ?"
    table = "dossiers indexed by dossiers_overdue_pending"  # without statistics SQLite picks a worse one
    with store.write(db):
        count = db.execute(f"select count(*) from {table} where {pending}", [today]).fetchone()[0]
        if count:
            db.execute(
                "insert into events (at, actor, persona_id, workshop_id, kind, payload) "
                "select ?, 'system', persona_id, workshop_id, 'dossier.overdue', "
                f"json_object('code', code, 'procedure_id', procedure_id) from {table} where {pending} "
                "order by due_date, code", [_now(db).isoformat(), today])
            db.execute(f"update {table} set overdue_recorded = 1 where {pending}", [today])
    return count


DESK_COLUMNS = ("d.code, d.persona_id, d.procedure_id, d.status, d.channel, d.submitted_at, d.due_date, "
                "d.apology_due_date, d.fee, d.paid_at, d.delivery, d.supplement_note, d.refuse_reason, "
                "p.full_name")


def _code_filter(code: str) -> tuple[str, list]:
    """The search box: a full code or its beginning ("DVC-261124-AB…"), or the 8-character
    token read aloud at the desk, or its beginning. Prefix ranges, so an index answers."""
    text = "".join(code.split()).upper()
    if text.startswith("DVC-"):
        return "code >= ? and code < ?", [text, text + "~"]
    return "substr(code, 12) >= ? and substr(code, 12) < ?", [text, text + "~"]


def desk_queue(db, *, status: str | None = None, overdue_only: bool = False, code: str | None = None,
               limit: int = 20, offset: int = 0) -> tuple[list[dict], int]:
    """One page of the desk's queue and how many there are in all: newest first, or for the
    overdue filter the longest overdue first.

    The page's codes come from an index alone (``dossiers_queue``, or the partial index of
    open dossiers), then only those rows are read, so a page costs about the same at 100 or
    100,000 dossiers (bench/dossiers_scale.py).
    """
    today = _now(db).date()
    # Without table statistics SQLite prefers the older (status, …) indexes and sorts tens of
    # thousands of rows; name the index that answers each list (bench/dossiers_scale.py).
    source = "dossiers"
    if overdue_only:
        where, params, order = f"status in {OPEN_SQL} and due_date < ?", [today.isoformat()], "due_date, code"
        source = "dossiers indexed by dossiers_open_due"
    else:
        where, params, order = "status != 'draft'", [], "submitted_at desc, code desc"
        if status:
            where, params = "status = ?", [status]
    if code and code.strip():
        clause, values = _code_filter(code)
        where += " and " + clause
        params += values
        source = "dossiers indexed by dossiers_token" if clause.startswith("substr") else "dossiers"
    total = db.execute(f"select count(*) from {source} where {where}", params).fetchone()[0]
    codes = [c for (c,) in db.execute(f"select code from {source} where {where} order by {order} limit ? offset ?",
                                     [*params, limit, offset]).fetchall()]
    if not codes:
        return [], total
    cursor = db.execute(f"select {DESK_COLUMNS} from dossiers d left join personas p on p.id = d.persona_id "
                        f"where d.code in ({','.join('?' * len(codes))})", codes)
    cols = [c[0] for c in cursor.description]
    found = {}
    for values in cursor.fetchall():
        row = dict(zip(cols, values))
        row["answers"] = {}
        found[row["code"]] = _decorate(db, row, today)
    return [found[c] for c in codes], total


def status_counts(db) -> dict[str, int]:
    rows = db.execute("select status, count(*) from dossiers where status != 'draft' group by status").fetchall()
    counts = {s: 0 for s in STATUSES}
    counts.update(dict(rows))
    counts["overdue"] = db.execute(f"select count(*) from dossiers where status in {OPEN_SQL} and due_date < ?",
                                   [_now(db).date().isoformat()]).fetchone()[0]
    return counts


def scenario_variants() -> dict:
    return data_files.load("dossier_scenarios")["variants"]


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
    code = start(db, persona_id, procedure_id)
    proc = catalogue.get(procedure_id)
    today = _now(db).date()
    for page in proc["form_pages"]:
        values = {f["id"]: _sample_value(f, today) for f in page["fields"] if not f.get("prefill")}
        save_answers(db, persona_id, code, page["id"], {**get_own(db, persona_id, code)["answers"], **values})
    for document in proc["documents"]:
        attach(db, persona_id, code, document["id"], variant=(variants or {}).get(document["id"], "ok"))
    set_delivery(db, persona_id, code, delivery)
    return get_own(db, persona_id, code) if draft_only else submit(db, persona_id, code)


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


# --- the KPIs the seeds report --------------------------------------------------------------

def _share(part: int | None, whole: int | None) -> float | None:
    return (part or 0) / whole if whole else None


def kpis(db, workshop_id: str | None = None) -> dict:
    """The figures the seeds report, on the sandbox's dossiers (or one workshop's), in one
    SQL aggregate so it costs one scan at 100,000 dossiers:

    - share filed online, fully and partly (Ba Tơ: 99.6% fully online);
    - share of fee-bearing dossiers paid online through the portal (Gia Phú 60%, Ba Tơ 94%);
    - of resolved dossiers, the share early / on time / late against the due date;
    - share digitised (Ba Tơ ~100%), and satisfaction (Gia Phú 100% satisfied).
    """
    where, params = "status != 'draft'", []
    if workshop_id:
        where += " and workshop_id = ?"
        params.append(workshop_id)
    today = _now(db).date().isoformat()
    open_list = ",".join(f"'{s}'" for s in OPEN_STATUSES)
    row = db.execute(f"""
        select count(*),
               sum(channel = 'online'),
               sum(channel = 'online' and online_level = 'full'),
               sum(channel = 'online' and online_level = 'partial'),
               sum(fee > 0 and status != 'refused'),
               sum(fee > 0 and paid_at is not null and paid_channel = 'portal'),
               sum(fee > 0 and paid_at is not null),
               sum(resolved_at is not null),
               sum(resolved_at is not null and substr(resolved_at, 1, 10) < due_date),
               sum(resolved_at is not null and substr(resolved_at, 1, 10) = due_date),
               sum(resolved_at is not null and substr(resolved_at, 1, 10) > due_date),
               sum(digitised),
               count(rating), avg(rating), sum(rating >= 4),
               sum(status in ({open_list}) and due_date < ?)
        from dossiers where {where}""", [today, *params]).fetchone()
    (total, online, full, partial, fee_bearing, paid_online, paid, resolved, early, on_time, late,
     digitised, rated, rating_avg, satisfied, overdue) = [v if v is not None else 0 for v in row[:13]] + \
        [row[13], row[14] or 0, row[15] or 0]
    return {
        "total": total, "online": online, "online_full": full, "online_partial": partial,
        "fee_bearing": fee_bearing, "paid": paid, "paid_online": paid_online, "resolved": resolved,
        "early": early, "on_time": on_time, "late": late, "digitised": digitised, "rated": rated,
        "satisfied": satisfied, "overdue_open": overdue,
        "rating_avg": round(rating_avg, 2) if rating_avg is not None else None,
        "share_online": _share(online, total), "share_online_full": _share(full, total),
        "share_online_partial": _share(partial, total), "share_paid_online": _share(paid_online, fee_bearing),
        "share_early": _share(early, resolved), "share_on_time": _share(on_time, resolved),
        "share_late": _share(late, resolved), "share_digitised": _share(digitised, total),
        "share_satisfied": _share(satisfied, rated),
    }


def kpi_fingerprint(db) -> tuple:
    """Changes whenever ``kpis`` could: every dossier change records an event (the last event
    id), a reset or a workshop reset changes the count, and the sandbox date moves overdue
    dossiers. Cheap at 100,000 dossiers, so a page can cache the KPIs by it."""
    last_event = db.execute("select max(id) from events").fetchone()[0]
    count = db.execute("select count(*) from dossiers").fetchone()[0]
    return (last_event, count, _now(db).date().isoformat())
