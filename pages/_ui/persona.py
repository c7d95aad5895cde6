"""Which sandbox persona this browser is playing, shared by every sandbox page.

The persona id lives in ``st.session_state["persona_id"]`` and in the URL as ``?p=<id>``
(a long random token), so a phone that reloads keeps its persona. The public-service
portal login of this browser is ``st.session_state["portal_login"]`` (a persona id), set
by the portal account page after a successful login.
"""

from __future__ import annotations

import streamlit as st

from pages._ui.frame import page_link, t
from workbench.sandbox import personas


def current_persona_id() -> str | None:
    persona_id = st.session_state.get("persona_id")
    if not persona_id:
        persona_id = st.query_params.get("p")
        if persona_id:
            st.session_state["persona_id"] = persona_id
    return persona_id


def set_persona(persona_id: str | None) -> None:
    if persona_id:
        st.session_state["persona_id"] = persona_id
        st.query_params["p"] = persona_id
    else:
        st.session_state.pop("persona_id", None)
        st.query_params.pop("p", None)
    st.session_state.pop("portal_login", None)


def current_persona(db) -> dict | None:
    persona = personas.get(db, current_persona_id())
    if persona and st.query_params.get("p") != persona["id"]:
        st.query_params["p"] = persona["id"]
    return persona


def require_persona(db) -> dict:
    """The current persona, or a short message with a link to choose one, then stop."""
    persona = current_persona(db)
    if persona is None:
        st.info(t("persona.none_chosen"), icon=":material/person_search:")
        page_link("pages/sandbox/personas.py", label=t("persona.choose_link"), icon=":material/group:")
        st.stop()
    return persona


def require_portal_login(db, persona: dict) -> None:
    """Stop with a link to the portal login unless this browser is logged in as ``persona``."""
    if st.session_state.get("portal_login") != persona["id"]:
        st.info(t("persona.portal_login_needed"), icon=":material/lock:")
        page_link("pages/sandbox/portal_account.py", label=t("persona.portal_login_link"),
                  icon=":material/account_circle:")
        st.stop()


def require_portal_persona(db, title_key: str) -> dict:
    """The persona this browser is logged in to the portal as. Otherwise the page's title
    (``title_key``) above the message that stops it: a page that goes on draws its own title,
    which depends on what it shows."""
    persona = current_persona(db)
    if persona is None or st.session_state.get("portal_login") != persona["id"]:
        st.title(t(title_key))
    persona = require_persona(db)
    require_portal_login(db, persona)
    return persona
