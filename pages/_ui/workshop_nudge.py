"""The trainer's messages on a workshop participant's phone (issue 7), on every page.

``page_setup()`` calls ``show()``: when the browser plays a persona that belongs to a
workshop that is still open, the messages the participant has not dismissed are drawn until
they press "Got it", and new ones are looked for every ``POLL_SECONDS``. Browsers with no
persona, or a persona outside any open workshop, pay one indexed query and nothing else.

A page has one timer at most: every timed fragment rerun makes the phone redraw the whole
page (about 0.1 s of a phone's CPU, bench/workshop_load.py). So a page that already polls (the
lesson strip, the lesson player) asks ``arrived()`` in its own poll, and ``show(poll=False)``
draws the messages without a timer of their own.
"""

from __future__ import annotations

import streamlit as st

from workbench import databases, i18n, store
from workbench.learning.workshops import hall, nudges

# Each poll is a fragment rerun: a few ms of the laptop's CPU and a redraw on the phone. Every
# 20 s a message still arrives while the trainer walks over.
POLL_SECONDS = 20
SEEN = "workshop_nudges_drawn"


def _persona_id() -> str | None:
    return st.session_state.get("persona_id") or st.query_params.get("p")


def _lang() -> str:
    return st.session_state.get("lang", i18n.DEFAULT)


def _pending(persona_id: str) -> list[dict]:
    try:
        return nudges.pending_nudges(databases.sandbox(), persona_id)
    except store.StoreError:
        return []


def _draw(persona_id: str, pending: list[dict], scope: str) -> None:
    st.session_state[SEEN] = [item["id"] for item in pending]
    for item in pending:
        with st.container(border=True):
            st.warning(i18n.t("workshop.nudge.from_trainer", _lang(), text=item["text"]),
                       icon=":material/campaign:")
            if st.button(i18n.t("workshop.nudge.dismiss", _lang()), key=f"nudge_dismiss_{item['id']}",
                         width="stretch"):
                nudges.dismiss_nudge(databases.sandbox(), persona_id, item["id"])
                st.rerun(scope=scope)


@st.fragment(run_every=POLL_SECONDS)
def _messages(persona_id: str) -> None:
    _draw(persona_id, _pending(persona_id), scope="fragment")


def arrived(persona_id: str | None) -> bool:
    """Has a message come (or gone) since this page drew them? For a page's own poll."""
    if not persona_id or SEEN not in st.session_state:
        return False
    return [item["id"] for item in _pending(persona_id)] != st.session_state[SEEN]


def show(poll: bool = True) -> None:
    """The participant's messages; with ``poll``, a timer of their own looks for new ones.
    (``page_setup`` has forgotten the last run's messages before the strip's poll looked.)"""
    persona_id = _persona_id()
    if not persona_id:
        return
    try:
        db = databases.sandbox()
        if not hall.is_participant(db, persona_id, open_only=True):
            return
    except store.StoreError:
        return
    if poll:
        _messages(persona_id)
    else:
        _draw(persona_id, _pending(persona_id), scope="app")


@st.fragment(run_every=POLL_SECONDS)
def _watch(persona_id: str) -> None:
    if arrived(persona_id):
        st.rerun()


def watch_if_participant() -> None:
    """For a page that called ``page_setup(polls=True)`` but drew nothing that polls this
    time: look for new messages, drawing nothing, when this phone is in a workshop."""
    if SEEN in st.session_state:  # show() drew (maybe no) messages for a participant
        _watch(_persona_id())
