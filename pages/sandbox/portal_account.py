"""Tài khoản Dịch vụ công: the national portal's log-in, registration and profile (issue 3).

Two routes, as on dichvucong.gov.vn: log in with VNeID (the persona confirms on the simulated
phone, pages/sandbox/phone.py), and the older self-registration by mobile subscriber (OTP,
password rules, the "chưa chuẩn hóa thuê bao" refusal and its remedy). The logic is in
workbench/portal.py; this page only keeps which screen is shown (``portal_screen``).
After a successful log-in ``st.session_state["portal_login"]`` is the persona id (the
contract other pages read through ``require_portal_login``).
"""

from functools import partial

import streamlit as st

from pages._ui import steps
from pages._ui.frame import page_setup, sandbox_db, page_link, show_refusal, t
from pages._ui.persona import require_persona
from workbench.sandbox import eid, otp, portal
from workbench.sandbox.phone import IdentityError

page_setup(sandbox=True)
st.title(t("portal.title"))
st.caption(t("portal.subtitle"))
db = sandbox_db()
persona = require_persona(db)
pid = persona["id"]
ss = st.session_state

if ss.get("portal_persona") != pid:  # another persona in this browser: start again
    ss["portal_persona"] = pid
    ss["portal_screen"] = "start"
    ss.pop("portal_request", None)
    ss.pop("portal_reg", None)


go = partial(steps.go, "portal_screen", forget=("portal_reg_error",))


def back(screen: str) -> None:
    if st.button(t("portal.back"), key=f"portal_back_{ss.get('portal_screen')}", icon=":material/arrow_back:",
                 type="tertiary"):
        go(screen)


def profile_panel() -> None:
    info = portal.profile(db, pid)
    st.subheader(t("portal.profile.title"), anchor=False)
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
    st.write(t("portal.start.intro"))
    if st.button(t("portal.start.login"), key="portal_go_login", type="primary", width="stretch"):
        go("login_choice")
    if st.button(t("portal.start.register"), key="portal_go_register", width="stretch"):
        go("reg_method")
    profile_panel()

elif screen == "login_choice":
    back("start")
    st.subheader(t("portal.login.choice_title"), anchor=False)
    if st.button(t("portal.login.with_vneid"), key="portal_choose_vneid", type="primary", width="stretch",
                 icon=":material/badge:"):
        go("login_vneid")
    st.caption(t("portal.login.with_vneid_hint"))
    if st.button(t("portal.login.with_password"), key="portal_choose_password", width="stretch"):
        go("login_password")

elif screen == "login_vneid":
    back("login_choice")
    st.subheader(t("portal.vneid.title"), anchor=False)
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
                page_link("pages/sandbox/police.py", label=t("portal.vneid.go_police"),
                             icon=":material/local_police:")
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
    st.subheader(t("portal.vneid.wait_title"), anchor=False)
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

elif screen == "login_password":
    back("login_choice")
    st.subheader(t("portal.password_login.title"), anchor=False)
    with st.form("portal_password_form"):
        cccd = st.text_input(t("portal.field.username"), key="portal_login_cccd", max_chars=12)
        password = st.text_input(t("portal.field.password"), key="portal_login_password", type="password")
        sent = st.form_submit_button(key="portal_password_form_submit", label=t("portal.password_login.submit"), type="primary", width="stretch")
    if sent:
        try:
            portal.login_with_password(db, pid, cccd, password)
        except IdentityError as error:
            show_refusal(error)
        else:
            ss["portal_login"] = pid
            go("home")

# --- self-registration ("Đăng ký" → "Thuê bao di động") ---------------------------------------

elif screen == "reg_method":
    back("start")
    st.subheader(t("portal.reg.method_title"), anchor=False)
    if st.button(t("portal.reg.method_sim"), key="portal_reg_sim", type="primary", width="stretch",
                 icon=":material/sim_card:"):
        go("reg_details")
    st.caption(t("portal.reg.method_vneid_hint"))
    if st.button(t("portal.reg.method_vneid"), key="portal_reg_vneid", width="stretch"):
        go("login_vneid")

elif screen == "reg_details":
    back("reg_method")
    st.subheader(t("portal.reg.details_title"), anchor=False)
    reg = ss.setdefault("portal_reg", {})
    with st.form("portal_reg_form"):
        values = {
            "cccd": st.text_input(t("portal.field.cccd"), value=reg.get("cccd", ""), key="portal_reg_cccd", max_chars=12),
            "full_name": st.text_input(t("portal.field.full_name"), value=reg.get("full_name", ""), key="portal_reg_full_name"),
            "birth_date": st.text_input(t("portal.field.birth_date"), value=reg.get("birth_date", ""), key="portal_reg_birth_date",
                                        placeholder="dd/mm/yyyy"),
            "phone": st.text_input(t("portal.field.phone"), value=reg.get("phone", ""), key="portal_reg_phone"),
            "email": st.text_input(t("portal.field.email"), value=reg.get("email", ""), key="portal_reg_email"),
        }
        sent = st.form_submit_button(key="portal_reg_form_submit", label=t("portal.continue"), type="primary", width="stretch")
    if sent:
        ss["portal_reg"] = values
        problem = portal.registration_details_problem(db, pid, values)
        if problem:
            show_refusal(problem)
        else:
            go("reg_check")

elif screen == "reg_check":
    back("reg_details")
    reg = ss.get("portal_reg", {})
    st.subheader(t("portal.reg.check_title"), anchor=False)
    if ss.get("portal_reg_error"):  # GOV.UK: the problem first, at the top, saying how to fix it
        key, params = ss["portal_reg_error"]
        st.error(t(key, **params), icon=":material/error:")
        if key == "portal.error.sim_not_standardised":
            st.info(t("portal.reg.sim_remedy"), icon=":material/sms:")
            if st.button(t("portal.reg.open_1414"), key="portal_open_1414", width="stretch",
                         icon=":material/smartphone:"):
                ss["phone_screen"] = "sms_compose"
                ss.pop("portal_reg_error", None)
                st.switch_page("pages/sandbox/phone.py")
    with st.container(border=True):
        for field in ("cccd", "full_name", "birth_date", "phone", "email"):
            answer, change = st.columns([4, 1], vertical_alignment="center", wrap=False)
            answer.markdown(f"**{t(f'portal.field.{field}')}**  \n{reg.get(field) or '—'}")
            if change.button(t("portal.change"), key=f"portal_change_{field}", type="tertiary"):
                go("reg_details")
    if st.button(t("portal.reg.submit"), key="portal_reg_submit", type="primary", width="stretch"):
        try:
            portal.start_registration(db, pid, cccd=reg.get("cccd", ""), full_name=reg.get("full_name", ""),
                                      birth_date=reg.get("birth_date", ""), phone_number=reg.get("phone", ""),
                                      email=reg.get("email", ""))
        except IdentityError as error:
            ss["portal_reg_error"] = (error.key, error.params)
            st.rerun()
        else:
            go("reg_otp")

elif screen == "reg_otp":
    st.subheader(t("portal.reg.otp_title"), anchor=False)
    st.write(t("portal.reg.otp_body", phone=persona["phone"][:3] + "****" + persona["phone"][-3:]))
    expires = otp.expires_at(db, pid, "portal_register")
    if expires:
        st.caption(t("portal.reg.otp_expires", time=expires.strftime("%H:%M")))
    with st.form("portal_otp_form"):
        code = st.text_input(t("portal.field.otp"), key="portal_otp_code", max_chars=otp.CODE_LENGTH)
        sent = st.form_submit_button(key="portal_otp_form_submit", label=t("portal.reg.otp_submit"), type="primary", width="stretch")
    if sent:
        try:
            portal.confirm_registration_otp(db, pid, code)
        except IdentityError as error:
            show_refusal(error)
        else:
            go("reg_password")
    if st.button(t("portal.reg.otp_resend"), key="portal_otp_resend", width="stretch"):
        try:
            portal.resend_registration_otp(db, pid)
        except IdentityError as error:
            show_refusal(error)
        else:
            st.success(t("portal.reg.otp_resent"), icon=":material/sms:")
    page_link("pages/sandbox/phone.py", label=t("portal.reg.open_inbox"), icon=":material/sms:")

elif screen == "reg_password":
    st.subheader(t("portal.reg.password_title"), anchor=False)
    st.markdown(t("portal.reg.password_rules"))
    with st.form("portal_password_set"):
        password = st.text_input(t("portal.field.password"), type="password", key="portal_new_password")
        confirm = st.text_input(t("portal.field.password_confirm"), type="password", key="portal_new_password2")
        sent = st.form_submit_button(key="portal_password_set_submit", label=t("portal.reg.password_submit"), type="primary", width="stretch")
    if sent:
        try:
            portal.set_registration_password(db, pid, password, confirm)
        except IdentityError as error:
            show_refusal(error)
        else:
            go("reg_done")

elif screen == "reg_done":
    st.success(t("portal.reg.done_title"), icon=":material/check_circle:")
    st.markdown(t("portal.reg.done_body", cccd=persona["cccd"]))
    if st.button(t("portal.reg.done_login"), key="portal_done_login", type="primary", width="stretch"):
        go("login_password")
