"""Certificates of completion: one for every participant who finished every planned lesson,
with a code anyone can verify later (a snapshot, so it outlives a reset)."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets

from workbench import clock, events, i18n, pdf, store
from workbench.learning.lessons import catalogue
from workbench.learning.lessons.model import LessonError
from workbench.learning.workshops import hall, progress
from workbench.learning.workshops.hall import WorkshopError

CERT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over a phone


def _cert_code() -> str:
    raw = "".join(secrets.choice(CERT_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def issue_certificates(db, workshop_id: str) -> list[dict]:
    """A certificate (with a verification code) for every participant who finished every
    planned lesson; issuing again returns the same codes."""
    workshop = hall.require(db, workshop_id)
    board = progress.dashboard(db, workshop_id)
    out = []
    with store.write(db):
        for row in board["rows"]:
            if row["status"] != "finished":
                continue
            existing = next(iter(db["workshop_certificates"].rows_where(
                "workshop_id = ? and persona_id = ?", [workshop_id, row["persona_id"]])), None)
            if existing is None:
                existing = {"code": _cert_code(), "workshop_id": workshop_id, "persona_id": row["persona_id"],
                            "display_name": row["display_name"], "workshop_name": workshop["name"],
                            "place": workshop["place"], "date": workshop["date"], "lessons": workshop["lessons"],
                            "issued_at": clock.real_now().isoformat()}
                db["workshop_certificates"].insert(existing)
                events.record(db, "workshop.certificate_issued", persona_id=row["persona_id"], actor="trainer",
                              code=existing["code"])
            out.append(existing)
    return out


def verify_certificate(db, code) -> dict | None:
    text = re.sub(r"[\s\-]", "", str(code or "")).upper()
    if len(text) != 8:
        return None
    return next(iter(db["workshop_certificates"].rows_where("code = ?", [f"{text[:4]}-{text[4:]}"])), None)


def certificates_pdf(db, workshop_id: str, lang: str = "vi") -> bytes:
    """One A4 landscape page per certificate, in Vietnamese or English."""
    issued = issue_certificates(db, workshop_id)
    if not issued:
        raise WorkshopError("workshop.error.nobody_finished")
    t = lambda key, **p: i18n.t(f"workshop.certificate.{key}", lang, **p)  # noqa: E731
    doc = pdf.Document(sandbox=True, title=t("title"), orientation="L")
    doc.alias_nb_pages()
    for cert in issued:
        doc.add_page()
        doc.ln(12)
        doc.set_font("DejaVu", "B", 30)
        doc.cell(0, 16, t("title"), align="C", new_x="LMARGIN", new_y="NEXT")
        doc.ln(6)
        doc.set_font("DejaVu", "", 14)
        doc.cell(0, 9, t("given_to"), align="C", new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", "B", 24)
        doc.cell(0, 14, cert["display_name"], align="C", new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", "", 14)
        when = i18n.format_date(dt.date.fromisoformat(cert["date"]), lang)
        doc.multi_cell(0, 8, t("for_completing", workshop=cert["workshop_name"], place=cert["place"], date=when),
                       align="C", new_x="LMARGIN", new_y="NEXT")
        doc.ln(3)
        for lesson_id in json.loads(cert["lessons"]):
            try:
                title = catalogue.get(lesson_id).title[lang]
            except LessonError:
                title = lesson_id
            doc.cell(0, 8, f"• {title}", align="C", new_x="LMARGIN", new_y="NEXT")
        doc.ln(8)
        doc.set_font("DejaVu", "B", 13)
        doc.cell(0, 8, t("code", code=cert["code"]), align="C", new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", "", 10)
        doc.multi_cell(0, 6, t("verify_hint"), align="C", new_x="LMARGIN", new_y="NEXT")
    return pdf.to_bytes(doc)

