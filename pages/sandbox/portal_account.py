"""Tài khoản Dịch vụ công: the national portal's log-in and profile (issues 3 and 13).

As on dichvucong.gov.vn since 1/7/2024 (Decree 69/2024/NĐ-CP, rule ``portal.login``): a citizen
logs in with VNeID and confirms on the simulated phone (pages/sandbox/phone.py); there is no
registration. Someone who still types an old portal username and password gets the notice and
a button to "Đăng nhập bằng VNeID". The logic is in workbench/sandbox/portal.py; this page only
keeps which screen is shown (``portal_screen``).
After a successful log-in ``st.session_state["portal_login"]`` is the persona id (the
contract other pages read through ``require_portal_login``).
"""

from functools import partial

import streamlit as st

from pages._ui import glossary
from pages._ui import steps, vneid_screens
from pages._ui.frame import current_lang, page_setup, sandbox_db, page_link, show_refusal, t
from pages._ui.persona import require_persona
from workbench.sandbox import eid, portal
from workbench.sandbox.phone import IdentityError

page_setup(sandbox=True)
st.title(t("portal.title"))
st.caption(t("portal.subtitle"))
glossary.explain("eid_level2", "sim_verified")
db = sandbox_db()
persona = require_persona(db)
pid = persona["id"]
ss = st.session_state

if ss.get("portal_persona") != pid:  # another persona in this browser: start again
    ss["portal_persona"] = pid
    ss["portal_screen"] = "start"
    ss.pop("portal_request", None)
    ss.pop("portal_old_refused", None)


go = partial(steps.go, "portal_screen")
route = portal.login_route(db)  # the rule on the sandbox date decides (issue 13)


def back(screen: str) -> None:
    if st.button(t("portal.back"), key=f"portal_back_{ss.get('portal_screen')}", icon=":material/arrow_back:",
                 type="tertiary"):
        go(screen)


def profile_panel() -> None:
    info = portal.profile(db, pid)
    st.header(t("portal.profile.title"), anchor=False)
    rows = [
        (t("portal.profile.sim"), t("portal.profile.sim_yes") if info["sim_standardised"] else t("portal.profile.sim_no")),
        (t("portal.profile.vneid"), t("portal.profile.level", level=info["eid_level"]) if info["eid_level"]
         else t("portal.profile.vneid_none")),
        (t("portal.profile.account"), t(f"portal.profile.method_{info['portal_method']}") if info["portal_account"]
         else t("portal.profile.account_none")),
    ]
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in rows))


screen = ss.get("portal_screen", "start")
if ss.get("portal_login") == pid:
    screen = "home"

if screen == "home":
    st.success(t("portal.home.welcome", name=persona["full_name"]), icon=":material/verified_user:")
    profile_panel()
    page_link("pages/sandbox/services.py", label=t("portal.home.services"), icon=":material/edit_document:")
    page_link("pages/sandbox/dossiers.py", label=t("portal.home.dossiers"), icon=":material/folder_open:")
    if st.button(t("portal.home.logout"), key="portal_logout", width="stretch"):
        portal.logout(db, pid)
        ss.pop("portal_login", None)
        go("start")

elif screen == "start":
    st.write(t(f"portal.start.intro_{route}"))
    if st.button(t("portal.start.login"), key="portal_go_login", type="primary", width="stretch"):
        go("login_choice")
    profile_panel()

elif screen == "login_choice":
    back("start")
    st.header(t("portal.login.choice_title"), anchor=False)
    if st.button(t("portal.login.with_vneid"), key="portal_choose_vneid", type="primary", width="stretch",
                 icon=":material/badge:"):
        go("login_vneid")
    if route == portal.VNEID_ONLY:
        st.caption(t("portal.login.with_vneid_hint", since=portal.route_since(db)))
    # Tertiary: only for someone who still remembers an old portal account (issue 13).
    if st.button(t("portal.login.with_old_account"), key="portal_choose_old", type="tertiary"):
        go("login_old")

elif screen == "login_vneid":
    back("login_choice")
    st.header(t("portal.vneid.title"), anchor=False)
    st.caption(t("portal.vneid.hint"))
    with st.form("portal_vneid_form"):
        cccd = st.text_input(t("portal.field.cccd"), key="portal_vneid_cccd", max_chars=12)
        password = st.text_input(t("portal.field.vneid_password"), key="portal_vneid_password", type="password")
        sent = st.form_submit_button(key="portal_vneid_form_submit", label=t("portal.vneid.submit"), type="primary", width="stretch")
    if sent:
        try:
            ss["portal_request"] = portal.request_vneid_login(db, pid, cccd=cccd, password=password)
        except IdentityError as error:
            show_refusal(error)
            if error.key == "portal.error.vneid_level2":
                vneid_screens.level2_next_step(db, pid, register_label="portal.vneid.go_police")
        else:
            go("vneid_wait")

elif screen == "vneid_wait":
    request_id = ss.get("portal_request")
    if not request_id:
        go("login_vneid")
    try:
        done = portal.complete_vneid_login(db, pid, request_id)
    except IdentityError as error:
        show_refusal(error)
        ss.pop("portal_request", None)
        if st.button(t("portal.vneid.again"), key="portal_vneid_again", width="stretch"):
            go("login_vneid")
        st.stop()
    if done:
        ss["portal_login"] = pid
        ss.pop("portal_request", None)
        go("home")
    st.header(t("portal.vneid.wait_title"), anchor=False)
    st.info(t("portal.vneid.wait_body"), icon=":material/phonelink_ring:")

    @st.fragment(run_every="3s")
    def watch_the_phone() -> None:
        """The portal on a laptop, the phone in the hand: notice the confirmation by itself.

        A fragment rerun runs on another thread: it opens that thread's own connection."""
        if eid.request_status(sandbox_db(), request_id) != "pending":
            st.rerun()

    watch_the_phone()
    if st.button(t("portal.vneid.open_app"), key="portal_open_vneid", type="primary", width="stretch",
                 icon=":material/smartphone:"):
        ss["phone_screen"] = "vneid"
        ss["phone_return_to_portal"] = True
        st.switch_page("pages/sandbox/phone.py")
    if st.button(t("portal.vneid.check"), key="portal_vneid_check", width="stretch"):
        if request_id and eid.request_status(db, request_id) == "pending":
            st.warning(t("portal.error.vneid_pending"), icon=":material/hourglass_top:")
        else:
            st.rerun()
    back("login_vneid")

elif screen == "login_old":
    back("login_choice")
    st.header(t("portal.old_login.title"), anchor=False)
    with st.form("portal_old_form"):
        username = st.text_input(t("portal.field.username"), key="portal_old_username")
        password = st.text_input(t("portal.field.password"), key="portal_old_password", type="password")
        sent = st.form_submit_button(key="portal_old_form_submit", label=t("portal.old_login.submit"),
                                     type="primary", width="stretch")
    if sent:
        try:
            portal.login_with_old_account(db, pid, username, password)
        except IdentityError as error:
            if error.key == "portal.error.vneid_only":
                # The notice of the rule in force (its wording: sandbox_data/rules/portal.toml).
                st.warning(portal.old_account_notice(db, current_lang()) or t(error.key, **error.params),
                           icon=":material/info:")
                ss["portal_old_refused"] = True
            else:
                show_refusal(error)
        else:
            ss["portal_login"] = pid
            go("home")
    if ss.get("portal_old_refused"):
        if st.button(t("portal.old_login.go_vneid"), key="portal_old_go_vneid", type="primary", width="stretch",
                     icon=":material/badge:"):
            ss.pop("portal_old_refused", None)
            go("login_vneid")
