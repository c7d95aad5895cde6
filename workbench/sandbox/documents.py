"""The papers of the dossier journey: the persona's fake document pictures, the electronic
result and the apology slip, all marked as sandbox.

Pictures are drawn, not shipped: each persona "has on the phone" a clear photo of each paper,
a blurry one and a photo of the wrong paper (``sandbox_data/dossier_scenarios.toml``), so the
desk has something real to look at when it decides to ask for a supplement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from functools import lru_cache

from workbench import clock, data as data_files, i18n, names, pdf
from workbench.sandbox import catalogue

FONTS = pdf.FONTS
SIZE = (480, 320)
WATERMARK = "MẪU — SANDBOX"


@lru_cache(maxsize=1)
def _papers() -> dict:
    data = data_files.load("dossier_scenarios")
    return {"papers": data["papers"], "wrong": data["wrong_paper"], "variants": list(data["variants"])}


def sample_variants(persona_id: str, document: str) -> list[str]:
    """The persona's three pictures of ``document`` in a stable order of their own, so the
    clear one is not always first (a learner has to look)."""
    variants = _papers()["variants"]
    return sorted(variants, key=lambda v: hashlib.sha256(f"{persona_id}:{document}:{v}".encode()).hexdigest())


def _fill(text: str, persona: dict) -> str:
    return text.format(name=persona.get("full_name", ""), cccd=persona.get("cccd", ""),
                       village=persona.get("village", ""), birth_date=_dmy(persona.get("birth_date")))


def _dmy(value) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value or "")


def sample_picture(document: str, variant: str, persona: dict) -> bytes:
    """A PNG photo of one of the persona's papers: ``ok``, ``blurry`` or ``wrong``."""
    return _picture(document, variant, persona.get("full_name", ""), persona.get("cccd", ""),
                    persona.get("village", ""), str(persona.get("birth_date", "")))


def picture_alt(document: str, variant: str, persona: dict, lang: str) -> str:
    """The photo in words, for a learner who cannot see it (the image's alt text, issue 14):
    the paper's title and lines as drawn. A blurry photo says only that it cannot be read,
    which is all a sighted learner gets from it too."""
    if variant == "blurry":
        return i18n.t("dossiers.documents.picture_alt_blurry", lang)
    paper = _papers()["wrong"] if variant == "wrong" else _papers()["papers"].get(
        document, {"title": document.upper(), "lines": ["{name}"]})
    lines = "; ".join(_fill(line, persona) for line in paper["lines"])
    key = "picture_alt_wrong" if variant == "wrong" else "picture_alt_ok"
    return i18n.t(f"dossiers.documents.{key}", lang, title=paper["title"], lines=lines)


@lru_cache(maxsize=256)
def _picture(document: str, variant: str, name: str, cccd: str, village: str, birth_date: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    persona = {"full_name": name, "cccd": cccd, "village": village, "birth_date": birth_date}
    paper = _papers()["wrong"] if variant == "wrong" else _papers()["papers"].get(
        document, {"title": document.upper(), "lines": ["{name}"]})
    image = Image.new("RGB", SIZE, (250, 247, 236) if variant != "wrong" else (236, 244, 250))
    draw = ImageDraw.Draw(image)
    regular = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 17)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 22)
    small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 12)
    draw.rectangle([6, 6, SIZE[0] - 7, SIZE[1] - 7], outline=(120, 90, 40), width=3)
    draw.text((SIZE[0] // 2, 24), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=small, fill=(60, 60, 60), anchor="mm")
    draw.text((SIZE[0] // 2, 60), paper["title"], font=bold, fill=(150, 20, 20), anchor="mm")
    y = 96
    for line in paper["lines"]:
        draw.text((28, y), _fill(line, persona), font=regular, fill=(25, 25, 25))
        y += 30
    draw.text((SIZE[0] - 16, SIZE[1] - 20), WATERMARK, font=small, fill=(200, 60, 60), anchor="rm")
    if variant == "blurry":
        image = image.filter(ImageFilter.GaussianBlur(radius=6))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- PDFs ----------------------------------------------------------------------------------

def _t(key: str, lang: str, on: dt.date | None = None, **params) -> str:
    """A PDF string, with the desk's name (and other law-set names) in force on ``on``."""
    return i18n.t(f"dossiers.pdf.{key}", lang, **{**names.params(on or clock.real_now().date(), lang), **params})


def _on(row: dict) -> dt.date | None:
    """The day a paper speaks for: its result's day, else its filing day (issue 13: a slip
    from before 1/7/2025 names the desk of its day)."""
    for key in ("resolved_at", "submitted_at"):
        if row.get(key):
            return dt.date.fromisoformat(str(row[key])[:10])
    return None


def _date(value) -> str:
    if not value:
        return ""
    return dt.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")


def _common_rows(row: dict, persona: dict, lang: str) -> list[tuple[str, str]]:
    proc = catalogue.get(row["procedure_id"])
    return [
        (_t("code", lang), row["code"]),
        (_t("procedure", lang), catalogue.text(proc["name"], lang)),
        (_t("applicant", lang), persona.get("full_name", "") if persona else ""),
        (_t("submitted", lang), _date(row.get("submitted_at"))),
    ]


def result_pdf(row: dict, persona: dict, lang: str = "vi") -> bytes:
    """The electronic result of a dossier, stamped SANDBOX on every page."""
    proc = catalogue.get(row["procedure_id"])
    doc = pdf.new_document(sandbox=True, title=catalogue.text(proc["result"], lang))
    doc.paragraph(_t("issuer", lang, _on(row)), size=10)
    doc.heading(catalogue.text(proc["result"], lang).upper(), size=15)
    rows = _common_rows(row, persona, lang)
    for page in proc["form_pages"]:
        for field in page["fields"]:
            value = row["answers"].get(field["id"])
            if value not in (None, ""):
                rows.append((catalogue.text(field["label"], lang), str(value)))
    rows.append((_t("resolved", lang), _date(row.get("resolved_at"))))
    doc.key_values(rows)
    doc.ln(4)
    doc.paragraph(_t("result_note", lang), size=10)
    return pdf.to_bytes(doc)


def apology_pdf(row: dict, persona: dict, lang: str = "vi") -> bytes:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (the form of Thông tư 01/2018/TT-VPCP)."""
    doc = pdf.new_document(sandbox=True, title=_t("apology_title", lang))
    doc.paragraph(_t("issuer", lang, _on(row)), size=10)
    doc.heading(_t("apology_title", lang), size=15)
    doc.paragraph(_t("apology_to", lang, name=(persona or {}).get("full_name", "")))
    rows = _common_rows(row, persona, lang) + [
        (_t("due", lang), _date(row.get("due_date"))),
        (_t("new_date", lang), _date(row.get("apology_due_date"))),
    ]
    doc.key_values(rows)
    doc.ln(3)
    doc.paragraph(_t("apology_body", lang, _on(row), new_date=_date(row.get("apology_due_date"))))
    return pdf.to_bytes(doc)
