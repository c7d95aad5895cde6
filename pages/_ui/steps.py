"""Pages of several screens keep the screen they show in session state, under one key a page:
the phone (``phone_screen``), the portal (``portal_screen``), the VNeID website
(``vneid_web_view``), the services form (``svc.step``), the payment gateway (``step`` in the
dossier's flow) and the tracker's quick entry (``entry_step``). Moving on is the same on all of
them: set that key and what the next screen needs, then rerun to draw it."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import NoReturn

import streamlit as st


def go(state_key: str, step: str, *, state: MutableMapping | None = None, forget: tuple[str, ...] = (),
       **values) -> NoReturn:
    """Show ``step`` next: ``state[state_key] = step``, the other ``values`` beside it, the
    ``forget`` keys dropped (the last screen's error), then rerun.

    ``state`` is the session state, or a dict kept in it (the payment gateway keeps one flow a
    dossier). A page binds its own key once: ``go = partial(steps.go, "portal_screen")``."""
    state = st.session_state if state is None else state
    state[state_key] = step
    state.update(values)
    for key in forget:
        state.pop(key, None)
    st.rerun()
