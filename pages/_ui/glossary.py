"""Plain words for the real screens' hard words (issue 14, item 8).

The sandbox keeps the word the real screen says ("Toàn trình", "mức độ 2", "passcode"…),
because that is what the learner will meet on the real portal, and explains it beside it in
everyday words. The one glossary is ``locales/<lang>/glossary.toml``; a page calls
``explain(...)`` with the words it shows, just above the first place it shows them."""

from __future__ import annotations

import streamlit as st

from pages._ui.frame import current_lang, t
from workbench import i18n

TERMS = ("online_full", "online_partial", "sim_verified", "payee", "eid_level2", "passcode", "digitised")


def forms(term: str, lang: str) -> list[str]:
    """The ways ``term`` appears on our screens in ``lang``, lower case (for the page test)."""
    return [form.strip().lower() for form in i18n.t(f"glossary.{term}.forms", lang).split("|") if form.strip()]


def explain(*terms: str) -> None:
    """A "Nghĩa là gì? …" box naming the words, each with its plain explanation. It is open
    text, not a tooltip: tooltips are hard to reach on a phone."""
    current_lang()  # the session's language is settled before the first t()
    words = ", ".join(t(f"glossary.{term}.word") for term in terms)
    with st.expander(t("glossary.what_is_it", words=words), icon=":material/help:"):
        for term in terms:
            st.markdown(f"**{t(f'glossary.{term}.word')}**: {t(f'glossary.{term}.plain')}")
