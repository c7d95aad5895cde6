"""Where the learner is in a lesson, drawn on every sandbox page (issue 6).

``page_setup(sandbox=True)`` calls ``draw()``: when this browser's persona has a lesson in
progress, a compact strip under the banner shows the current step (and any hint the
learner's last mistake earned) with a link back to the lesson. A fragment re-checks every
few seconds, so the step ticks on the page where the learner did it.

This is how a step ticks on a sandbox page: the sandbox action (``payments.pay``…) records its
event and knows nothing of lessons; the page's next run (the click that did it reruns it) or
the strip's timed fragment calls ``lessons.progress.evaluate``, which writes the progress row.
"""

from __future__ import annotations

import html

import streamlit as st
from streamlit.errors import StreamlitAPIException

from pages._ui import nav
from pages._ui.frame import current_lang, t
from pages._ui.persona import current_persona_id
from workbench import databases
from workbench.learning.lessons import progress
from workbench.learning.lessons.model import LessonError

CSS = """<style>
.cds-lesson-strip { border: 2px solid #1565c0; background: #e3f2fd; color: #0d2a4a; border-radius: 6px;
  padding: .4rem .6rem; margin: -.4rem 0 .6rem 0; font-size: .95rem; line-height: 1.35; }
.cds-lesson-strip b { color: #0d47a1; }
.cds-lesson-strip .cds-hint { display: block; margin-top: .25rem; color: #6d4c00; }
</style>"""


def page_link(url_path: str, label: str, icon: str, persona_id: str | None = None) -> None:
    """``st.page_link`` to the page at ``url_path`` (a lesson step's ``page``), carrying the
    persona (``?p=``) so the next page, even reloaded, knows who is practising. Run outside
    ``app.py``'s navigation (AppTest renders one page alone) there is no page to link to, so the
    label is shown as text instead."""
    try:
        st.page_link(nav.file_for(url_path), label=label, icon=icon, query_params={"p": persona_id} if persona_id else None)
    except StreamlitAPIException:
        st.caption(label)


def draw() -> bool:
    """Draw the strip when this browser's persona has a lesson going; True when drawn."""
    persona_id = current_persona_id()
    if not persona_id:
        return False
    db = databases.sandbox()
    if progress.active(db, persona_id) is None:
        return False
    st.html(CSS)
    _strip(persona_id)
    return True


# Every poll is a fragment rerun: a few ms of the laptop's CPU, and ~0.1 s of the phone's to
# redraw the page. A click on the page re-checks at once anyway; the poll only catches what
# happened elsewhere (the trainer approving, a payment on another device) and the trainer's
# messages, which can wait a quarter of a minute.
POLL_SECONDS = 15


@st.fragment(run_every=POLL_SECONDS)
def _strip(persona_id: str) -> None:
    from pages._ui import workshop_nudge as _workshop_nudge

    if _workshop_nudge.arrived(persona_id):  # drawn below the strip by page_setup, without a timer
        st.rerun()
    db = databases.sandbox()
    running = progress.active(db, persona_id)
    if running is None:
        return
    lang = current_lang()
    try:
        # Here the step ticks: the sandbox action only recorded its event; evaluate finds the
        # step's check holding and writes the progress row (docs/lessons.md, "How a step ticks").
        state = progress.evaluate(db, persona_id, running["lesson_id"])
    except LessonError:  # the lesson file was removed: nothing to show
        return
    lesson = state.lesson
    seen = st.session_state.get("lesson_strip_step")
    now = (lesson.id, state.current.id if state.current else None)
    st.session_state["lesson_strip_step"] = now
    parts = []
    if seen and seen[0] == lesson.id and seen[1] != now[1]:
        parts.append(f"<b>✓ {html.escape(t('lessons.strip.just_done'))}</b> ")
    if state.current is None:
        parts.append(f"<b>{html.escape(t('lessons.strip.quiz', number=lesson.number))}</b>")
    else:
        text = state.current.t("do", lang)
        short = text if len(text) <= 140 else text[:137].rsplit(" ", 1)[0] + "…"
        where = t("lessons.strip.where", number=lesson.number, n=lesson.steps.index(state.current) + 1,
                  total=len(lesson.steps))
        parts.append(f"<b>{html.escape(where)}:</b> {html.escape(short)}")
        for hint in state.hints.get(state.current.id, []):
            parts.append(f"<span class='cds-hint'><b>{html.escape(t('lessons.hint_title'))}:</b> {html.escape(hint[lang])}</span>")
    st.html(f"<div class='cds-lesson-strip' role='status'>{''.join(parts)}</div>")
    page_link("lessons", t("lessons.strip.back"), ":material/school:", persona_id)
