"""Printable handouts (issue 6): each lesson as an A4 step card, in Vietnamese or English."""

import streamlit as st

from pages._ui.frame import page_setup, t
from workbench import i18n
from workbench.learning import handouts
from workbench.learning.lessons import catalogue

lang = page_setup(sandbox=False)
st.title(t("lessons.handouts.title"))
st.write(t("lessons.handouts.intro"))


@st.cache_data(max_entries=64, show_spinner=False)
def card(lesson_id: str, card_lang: str, trainer: bool, stamp: float) -> bytes:
    """The PDF, made again only when the lesson file changes (``stamp`` is its mtime)."""
    return handouts.handout_pdf(catalogue.get(lesson_id), card_lang, trainer=trainer)


found, problems = catalogue.load_all()
if problems:
    st.warning(t("lessons.problems_title") + "\n\n" + "\n".join(f"- {p.message(lang)}" for p in problems))
if not found:
    st.info(t("lessons.no_lessons"))
    st.stop()

by_id = {lesson.id: lesson for lesson in found}
chosen = st.selectbox(t("lessons.handouts.choose"), list(by_id), key="handout_lesson",
                      format_func=lambda i: f"{by_id[i].number}. {by_id[i].title[lang]}")
card_lang = st.radio(t("lessons.handouts.language"), i18n.LANGUAGES, index=i18n.LANGUAGES.index(lang),
                     format_func=i18n.language_name, horizontal=True, key="handout_lang")
lesson = by_id[chosen]
stamp = (catalogue.LESSONS_DIR / lesson.file).stat().st_mtime
st.download_button(t("lessons.handouts.download"), card(lesson.id, card_lang, False, stamp),
                   file_name=f"lesson-{lesson.number:02d}-{lesson.id}-{card_lang}.pdf", mime="application/pdf",
                   type="primary", width="stretch", icon=":material/print:", key="handout_download")
st.download_button(t("lessons.handouts.download_trainer"), card(lesson.id, card_lang, True, stamp),
                   file_name=f"lesson-{lesson.number:02d}-{lesson.id}-{card_lang}-trainer.pdf",
                   mime="application/pdf", width="stretch", icon=":material/co_present:",
                   key="handout_download_trainer")

st.subheader(t("lessons.handouts.preview"))
st.markdown(f"**{lesson.number}. {lesson.title[card_lang]}** — "
            f"{i18n.t(f'lessons.audience.{lesson.audience}', card_lang)}, "
            f"{i18n.t('lessons.duration', card_lang, minutes=lesson.duration_minutes)}")
st.markdown("\n".join(f"{n}. {step.t('do', card_lang)}" for n, step in enumerate(lesson.steps, start=1)))
