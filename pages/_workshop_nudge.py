"""The trainer's messages on a workshop participant's phone (issue 7), on every page.

``page_setup()`` calls ``show()``: when the browser plays a persona that belongs to a
workshop that is still open, a small fragment polls for the trainer's messages every
``POLL_SECONDS`` and shows them until the participant presses "Got it" (any click shows them
at once too). Browsers with no persona, or a persona outside any open workshop, pay one
indexed query and nothing else.
"""

from __future__ import annotations

import streamlit as st

from workbench import i18n, store, workshop

# Each poll is a fragment rerun costing the laptop ~75 ms of CPU (bench/workshop_load.py: 5 idle
# phones polling every 8 s used 4.8% of a core, without polling 0.4%). Every 20 s keeps a hall of
# 40 phones near 15% of one core, and a message still arrives while the trainer walks over.
POLL_SECONDS = 20


def _persona_id() -> str | None:
    return st.session_state.get("persona_id") or st.query_params.get("p")


def _lang() -> str:
    return st.session_state.get("lang", i18n.DEFAULT)


@st.fragment(run_every=POLL_SECONDS)
def _messages(persona_id: str) -> None:
    try:
        db = store.sandbox()
        pending = workshop.pending_nudges(db, persona_id)
    except store.StoreError:
        return
    for item in pending:
        with st.container(border=True):
            st.warning(i18n.t("workshop.nudge.from_trainer", _lang(), text=item["text"]),
                       icon=":material/campaign:")
            if st.button(i18n.t("workshop.nudge.dismiss", _lang()), key=f"nudge_dismiss_{item['id']}",
                         use_container_width=True):
                workshop.dismiss_nudge(db, persona_id, item["id"])
                st.rerun(scope="fragment")


def show() -> None:
    persona_id = _persona_id()
    if not persona_id:
        return
    try:
        db = store.sandbox()
        if not workshop.is_participant(db, persona_id, open_only=True):
            return
    except store.StoreError:
        return
    _messages(persona_id)
