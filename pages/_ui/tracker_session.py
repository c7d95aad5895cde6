"""Who is signed in to the tracker in this browser session, and the gate every tracker page calls.

Tracker pages hold real people's data (DESIGN.md): nothing from ``tracker.db`` is drawn before
``require_tracker_user()`` returns. The signed-in user's id lives in
``st.session_state["tracker_user_id"]``; the user row is read again on every run, so a user
an official disables is signed out at their next click. The time of the last run is kept
beside it: a session idle longer than an official allows (default 30 minutes) is signed out,
and the sign-in screen says so (issue 15, item 9).
"""

from __future__ import annotations

import datetime as dt
import secrets

import streamlit as st

from pages._ui import plain
from pages._ui.frame import province_db, show_refusal, store_guard, t, tracker_db
from workbench.province import setup as province_setup
from workbench.tracker import auth, signin
from workbench.tracker.errors import TrackerError

SESSION_KEY = "tracker_user_id"
ACTIVE_KEY = "tracker_active_at"  # when this session last ran a tracker page
EXPIRED_KEY = "tracker_session_expired"  # set when idleness ended the session, for the message
CLIENT_KEY = "tracker_client"


def signed_in_user(db) -> dict | None:
    user_id = st.session_state.get(SESSION_KEY)
    if user_id is None:
        return None
    now = dt.datetime.now()
    user = auth.session_user(db, user_id, last_active=st.session_state.get(ACTIVE_KEY), now=now)
    if user is None:
        if signin.idle_expired(db, st.session_state.get(ACTIVE_KEY), now):
            st.session_state[EXPIRED_KEY] = True
        sign_out()
        return None
    st.session_state[ACTIVE_KEY] = now
    return user


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(ACTIVE_KEY, None)


def sign_in(user_id: int) -> None:
    st.session_state[SESSION_KEY] = user_id
    st.session_state[ACTIVE_KEY] = dt.datetime.now()
    st.session_state.pop(EXPIRED_KEY, None)


def client_id() -> str:
    """Who is trying, for the per-client limit on wrong tries: the browser's address when
    Streamlit sees one (not on the laptop itself), else this browser session."""
    try:
        address = st.context.ip_address
    except Exception:  # no browser behind this run (a test, a script)
        address = None
    if address:
        return f"ip:{address}"
    return "session:" + st.session_state.setdefault(CLIENT_KEY, secrets.token_hex(8))


def _idle_note(db) -> None:
    minutes = signin.idle_minutes(db)
    if st.session_state.get(EXPIRED_KEY):
        st.info(t("tracker_session.expired", minutes=minutes), icon=":material/timer_off:")
    st.caption(t("tracker_session.idle_note", minutes=minutes))


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
            show_refusal(error, icon=None, as_text=True)
            return
        sign_in(user_id)
        st.rerun()


def _login_form(db) -> None:
    st.subheader(t("tracker_session.login_title"))
    _idle_note(db)
    with st.form("tracker_login"):
        username = st.text_input(t("tracker_session.username"), key="login_username")
        secret = st.text_input(t("tracker_session.secret"), type="password", key="login_secret")
        submitted = st.form_submit_button(t("tracker_session.login_submit"), type="primary")
    if submitted:
        try:
            user = auth.login(db, username, secret, client=client_id())
        except TrackerError as error:
            tries = t("tracker_session.tries_left", left=error.params["left"]) if "left" in error.params else ""
            show_refusal(error, icon=None, hint=tries, as_text=True)
            return
        sign_in(user["id"])
        st.rerun()


def require_tracker_user(action: str = "view_aggregates", open_db=tracker_db) -> tuple[object, dict]:
    """The tracker database and the signed-in user allowed to ``action``; otherwise draw the
    sign-in (or first-run set-up) form, or a "no permission" message, and stop the page.
    A province's pages pass ``open_db=frame.province_db``: the same sign-in and roles (issue 16)."""
    with store_guard():
        db = open_db()
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


def require_province_user(action: str) -> tuple[object, dict]:
    """A province page's start: on a commune's laptop say that this is a province's page and stop;
    otherwise the province database and its signed-in user allowed to ``action`` (issue 16)."""
    if not province_setup.is_province():
        st.info(t("province.page.no_province"), icon=":material/info:")
        st.stop()
    return require_tracker_user(action, open_db=province_db)
