"""Who is signed in to the tracker in this browser session, and the gate every tracker page calls.

Tracker pages hold real people's data (DESIGN.md): nothing from ``tracker.db`` is drawn before
``require_tracker_user()`` returns. The signed-in user's id lives in
``st.session_state["tracker_user_id"]``; the user row is read again on every run, so a user
an official disables is signed out at their next click.
"""

from __future__ import annotations

import streamlit as st

from pages._ui import plain
from pages._ui.frame import store_guard, t, tracker_db
from workbench.tracker import auth
from workbench.tracker.errors import TrackerError

SESSION_KEY = "tracker_user_id"


def signed_in_user(db) -> dict | None:
    user_id = st.session_state.get(SESSION_KEY)
    if user_id is None:
        return None
    user = auth.session_user(db, user_id)
    if user is None:
        st.session_state.pop(SESSION_KEY, None)
    return user


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)


def _first_run_form(db) -> None:
    st.subheader(t("tracker_session.setup_title"))
    st.write(t("tracker_session.setup_body"))
    with st.form("tracker_first_official"):
        display_name = st.text_input(t("tracker_session.display_name"), key="setup_display_name")
        username = st.text_input(t("tracker_session.username"), key="setup_username")
        secret = st.text_input(t("tracker_session.secret"), type="password", key="setup_secret",
                               help=t("tracker_session.secret_help"))
        again = st.text_input(t("tracker_session.secret_again"), type="password", key="setup_secret_again")
        submitted = st.form_submit_button(t("tracker_session.setup_submit"), type="primary")
    if submitted:
        if not display_name.strip():
            st.error(t("tracker.error.required"))
            return
        if secret != again:
            st.error(t("tracker.error.secret_mismatch"))
            return
        try:
            user_id = auth.create_first_official(db, username=username, display_name=display_name, secret=secret)
        except TrackerError as error:
            st.error(plain.refusal(error))
            return
        st.session_state[SESSION_KEY] = user_id
        st.rerun()


def _login_form(db) -> None:
    st.subheader(t("tracker_session.login_title"))
    with st.form("tracker_login"):
        username = st.text_input(t("tracker_session.username"), key="login_username")
        secret = st.text_input(t("tracker_session.secret"), type="password", key="login_secret")
        submitted = st.form_submit_button(t("tracker_session.login_submit"), type="primary")
    if submitted:
        try:
            user = auth.login(db, username, secret)
        except TrackerError as error:
            message = plain.refusal(error)
            if "left" in error.params:
                message += " " + t("tracker_session.tries_left", left=error.params["left"])
            st.error(message)
            return
        st.session_state[SESSION_KEY] = user["id"]
        st.rerun()


def require_tracker_user(action: str = "view_aggregates") -> tuple[object, dict]:
    """The tracker database and the signed-in user allowed to ``action``; otherwise draw the
    sign-in (or first-run set-up) form, or a "no permission" message, and stop the page."""
    with store_guard():
        db = tracker_db()
        user = signed_in_user(db)
        if user is None:
            if auth.needs_setup(db):
                _first_run_form(db)
            else:
                _login_form(db)
            st.stop()
    with st.sidebar:
        st.caption(t("tracker_session.signed_in_as", name=plain.md(user["display_name"]),
                     role=t(f"tracker.role.{user['role']}")))
        if st.button(t("tracker_session.sign_out"), key="tracker_sign_out"):
            sign_out()
            st.rerun()
    if not auth.can(user, action):
        st.warning(t("tracker.error.forbidden"), icon=":material/block:")
        st.stop()
    return db, user
