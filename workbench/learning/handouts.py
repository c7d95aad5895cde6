"""Printable A4 step cards for each lesson (issue 6), in Vietnamese or English.

A trainer prints one card a learner: the lesson's goals, then every step as a numbered box
(what to do, why, the common mistake and how to recover, the drawing where there is one),
and the quiz with tick boxes. The trainer's copy adds each step's trainer notes and the quiz
answers. Handouts describe practice on the sandbox but are not sandbox documents (no fake
receipt or certificate), so they carry no MÔ PHỎNG stamp; the footer names the lesson.
"""

from __future__ import annotations

import io

from workbench import i18n, pdf
from workbench.learning.lessons import catalogue
from workbench.learning.lessons.model import Lesson
from workbench.sandbox import persona_secrets

ACCENT = (21, 101, 192)


def _t(key: str, lang: str, **params) -> str:
    return i18n.t(f"lessons.handouts.{key}", lang, **params)


class _Handout(pdf.Document):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{self.footer_text}   {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _secrets_box(doc, lesson: Lesson, lang: str) -> None:
    """Every password and code the lesson's persona needs, from the one list (issue 14): the
    wallet's passcode was missing from what learners and trainers were told."""
    doc.ln(1)
    doc.set_font("DejaVu", "B", 11)
    doc.cell(0, 6, i18n.t("persona.secrets.title", lang), new_x="LMARGIN", new_y="NEXT")
    doc.key_values(persona_secrets.lines(persona_secrets.secrets_for_state(lesson.starting_state), lang, bold=False),
                   key_width=62)


def handout_pdf(lesson: Lesson, lang: str = "vi", *, trainer: bool = False) -> bytes:
    """The lesson's A4 step card as PDF bytes."""
    doc = _Handout(sandbox=False, title=lesson.title[lang])
    doc.footer_text = _t("pdf_footer", lang, number=lesson.number, id=lesson.id)
    doc.alias_nb_pages()
    doc.set_margins(15, 14, 15)
    doc.add_page()

    doc.set_text_color(*ACCENT)
    doc.heading(f"{lesson.number}. {lesson.title[lang]}", size=17)
    doc.set_text_color(0, 0, 0)
    doc.paragraph(lesson.summary[lang], size=11)
    audience = i18n.t(f"lessons.audience.{lesson.audience}", lang)
    doc.key_values([
        (_t("pdf_audience", lang), audience),
        (_t("pdf_duration", lang), i18n.t("lessons.duration", lang, minutes=lesson.duration_minutes)),
        (_t("pdf_start", lang), i18n.t(f"lessons.state.{lesson.starting_state}", lang)),
    ], key_width=40)
    _secrets_box(doc, lesson, lang)
    doc.ln(2)
    doc.set_font("DejaVu", "B", 12)
    doc.cell(0, 7, _t("pdf_goals", lang), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 11)
    for goal in lesson.goals[lang]:
        doc.multi_cell(0, 5.5, f"•  {goal}", new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)

    doc.set_font("DejaVu", "B", 13)
    doc.cell(0, 8, _t("pdf_steps", lang), new_x="LMARGIN", new_y="NEXT")
    for number, step in enumerate(lesson.steps, start=1):
        _step_box(doc, lesson, step, number, lang, trainer)

    doc.ln(2)
    if doc.get_y() > doc.h - 70:
        doc.add_page()
    doc.set_font("DejaVu", "B", 13)
    doc.cell(0, 8, _t("pdf_quiz", lang), new_x="LMARGIN", new_y="NEXT")
    for number, question in enumerate(lesson.quiz, start=1):
        if doc.get_y() + 12 + 6 * len(question.options[lang]) + (6 if trainer else 0) > doc.h - 18:
            doc.add_page()  # a question never splits from its options
        doc.set_font("DejaVu", "B", 11)
        doc.multi_cell(0, 5.5, f"{number}. {question.question[lang]}", new_x="LMARGIN", new_y="NEXT")
        doc.set_font("DejaVu", "", 11)
        for index, option in enumerate(question.options[lang]):
            mark = "☑" if trainer and index == question.answer else "☐"
            doc.multi_cell(0, 5.5, f"    {mark}  {option}", new_x="LMARGIN", new_y="NEXT")
        if trainer:
            doc.set_text_color(60, 60, 60)
            doc.set_font("DejaVu", "", 9.5)
            doc.multi_cell(0, 5, f"    {_t('pdf_answer', lang)}: {question.explain[lang]}", new_x="LMARGIN",
                           new_y="NEXT")
            doc.set_text_color(0, 0, 0)
        doc.ln(1.5)
    return pdf.to_bytes(doc)


def _step_box(doc, lesson, step, number: int, lang: str, trainer: bool) -> None:
    """One numbered step: a light box, the drawing on the right when the step has one."""
    image = (catalogue.LESSONS_DIR / step.image) if step.image else None
    needed = 48 + (14 if trainer else 0)
    if doc.get_y() + needed > doc.h - 18:
        doc.add_page()
    top = doc.get_y()
    text_width = doc.epw - (48 if image else 0)
    # the step number on a blue badge
    doc.set_fill_color(*ACCENT)
    doc.set_text_color(255, 255, 255)
    doc.set_font("DejaVu", "B", 12)
    doc.cell(9, 8, str(number), align="C", fill=True)
    doc.set_text_color(0, 0, 0)
    doc.set_x(doc.l_margin + 11)
    doc.set_font("DejaVu", "B", 11)
    doc.multi_cell(text_width - 11, 5.5, step.t("do", lang), new_x="LMARGIN", new_y="NEXT", align="L")
    doc.ln(1)
    left = doc.l_margin + 11
    for field, label in (("why", "pdf_why"), ("mistake", "pdf_mistake"), ("recover", "pdf_recover")):
        doc.set_x(left)
        doc.set_font("DejaVu", "", 9.5)
        doc.multi_cell(text_width - 11, 4.8, f"**{_t(label, lang)}:** {step.t(field, lang)}", new_x="LMARGIN",
                       new_y="NEXT", markdown=True, align="L")
    doc.set_x(left)
    doc.set_font("DejaVu", "", 9)
    doc.set_text_color(70, 70, 70)
    check = _t("pdf_check_manual" if step.manual else "pdf_check_auto", lang)
    doc.multi_cell(text_width - 11, 4.5, f"☐  {check}", new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    if trainer:
        doc.set_x(left)
        doc.set_font("DejaVu", "", 9)
        doc.set_text_color(120, 60, 0)
        doc.multi_cell(text_width - 11, 4.5, f"{_t('pdf_trainer', lang)}: {step.t('trainer', lang)}",
                       new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0, 0, 0)
    bottom = doc.get_y()
    if image and image.is_file():
        doc.image(_drawing(image), x=doc.l_margin + doc.epw - 44, y=top, w=44)
        bottom = max(bottom, top + 30)
    doc.set_draw_color(200, 205, 212)
    doc.line(doc.l_margin, bottom + 2, doc.l_margin + doc.epw, bottom + 2)
    doc.set_y(bottom + 4)


def _drawing(path) -> io.BytesIO:
    """The SVG with its text set in the document's own DejaVu font: the drawings name
    "DejaVu Sans", which fpdf2 would replace by a core font without Vietnamese letters."""
    return io.BytesIO(path.read_bytes().replace(b'font-family="DejaVu Sans, sans-serif"', b'font-family="DejaVu"'))


def all_handouts_pdf(lang: str = "vi", *, trainer: bool = False) -> list[tuple[str, bytes]]:
    """Every lesson's card: ``[(file name, PDF bytes)]``."""
    found, _ = catalogue.load_all()
    suffix = "-trainer" if trainer else ""
    return [(f"lesson-{lesson.number:02d}-{lesson.id}-{lang}{suffix}.pdf", handout_pdf(lesson, lang, trainer=trainer))
            for lesson in found]
