"""Reading a dossier and what hangs on it (documents, the desk's messages), and writing one
of its rows: the few helpers every side of the desk shares.

A dossier read here is *decorated*: its answers parsed, whether it is overdue, whether the
apology slip is due, and the amount still owed, all counted on the sandbox clock.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets

from workbench import clock, events, i18n
from workbench.sandbox import documents, personas
from workbench.sandbox.dossiers.schema import OPEN_STATUSES, DossierError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the desk


def new_code(db, at: dt.datetime) -> str:
    while True:
        token = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        code = f"DVC-{at:%y%m%d}-{token}"
        if not db.execute("select 1 from dossiers where code = ?", [code]).fetchone():
            return code


# --- reading -------------------------------------------------------------------------------

def get(db, code: str) -> dict | None:
    """Any dossier by code (desk and payments); ``None`` if there is none."""
    cursor = db.execute("select * from dossiers where code = ?", [code])
    values = cursor.fetchone()
    if values is None:
        return None
    return decorate(db, dict(zip([c[0] for c in cursor.description], values)))


def decorate(db, row: dict, today: dt.date | None = None) -> dict:
    today = today or clock.now(db).date()
    row["answers"] = json.loads(row["answers"] or "{}") if isinstance(row.get("answers"), str) else row.get("answers") or {}
    due = row.get("apology_due_date") or row.get("due_date")
    is_open = row["status"] in OPEN_STATUSES
    row["is_overdue"] = bool(is_open and row.get("due_date") and today > dt.date.fromisoformat(row["due_date"]))
    row["needs_apology"] = bool(is_open and due and today > dt.date.fromisoformat(due))
    row["display_status"] = "overdue" if row["is_overdue"] else row["status"]
    row["fee_unpaid"] = _fee_unpaid(row)
    row["amount_due"] = row["fee_unpaid"] if (row.get("payment_requested_at") or row.get("channel") == "desk") else 0
    return row


def _fee_unpaid(row: dict) -> int:
    if row["status"] in ("draft", "refused") or row.get("paid_at"):
        return 0
    return int(row.get("fee") or 0)


def get_own(db, persona_id: str, code: str) -> dict:
    """A citizen's own dossier; someone else's answers "not found", like a missing one."""
    row = get(db, (code or "").strip().upper())
    if row is None or row["persona_id"] != persona_id:
        raise DossierError("dossiers.error.not_found", code=code)
    return row


def for_persona(db, persona_id: str, include_drafts: bool = False) -> list[dict]:
    sql = "select * from dossiers where persona_id = ?"
    if not include_drafts:
        sql += " and status != 'draft'"
    cursor = db.execute(sql + " order by created_at desc", [persona_id])
    cols = [c[0] for c in cursor.description]
    today = clock.now(db).date()
    return [decorate(db, dict(zip(cols, v)), today) for v in cursor.fetchall()]


def amount_due(db, code: str) -> int:
    """What the citizen can pay now: the unpaid fee, once the desk has asked for it (the
    portal's "Yêu cầu thanh toán"; a walk-in dossier is asked at the counter)."""
    row = get(db, code)
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


def document_picture_alt(db, document_row: dict, lang: str, document_name: str) -> str:
    """``document_picture`` in words (its alt text): what the drawn paper shows, or that it is
    the citizen's own upload of ``document_name``."""
    if document_row.get("source") == "upload":
        return i18n.t("dossiers.documents.picture_alt_upload", lang, document=document_name)
    persona_id = db.execute("select persona_id from dossiers where code = ?", [document_row["code"]]).fetchone()
    persona = personas.get(db, persona_id[0] if persona_id else None) or {}
    return documents.picture_alt(document_row["document"], document_row["variant"], persona, lang)


def messages(db, code: str) -> list[dict]:
    cursor = db.execute("select at, actor, key, params from dossier_messages where code = ? order by id", [code])
    return [{"at": at, "actor": actor, "key": key, "params": json.loads(params or "{}")}
            for at, actor, key, params in cursor.fetchall()]


# --- writing --------------------------------------------------------------------------------

def update(db, code: str, **values) -> None:
    values["updated_at"] = clock.now(db).isoformat()
    db["dossiers"].update(code, values)


def add_message(db, code: str, actor: str, key: str, **params) -> None:
    """A line in the dossier's conversation, kept as a locale key so each reader sees their language."""
    db["dossier_messages"].insert({"code": code, "at": clock.now(db).isoformat(), "actor": actor, "key": key,
                                   "params": json.dumps(params, ensure_ascii=False)})


def log(db, kind: str, row: dict, actor: str, **payload) -> None:
    events.record(db, kind, persona_id=row["persona_id"], actor=actor, code=row["code"],
                  procedure_id=row["procedure_id"], **payload)
