"""vneid.gov.vn: the web route to activate VNeID level 2, for people without a smartphone (issue 3).

Same steps and messages as the app (pages/_ui/vneid_screens.py), done on a computer at the commune
hall; the OTP still arrives by SMS on the persona's (basic) phone. No app is installed and no
device is bound (workbench/eid.py, channel "web").
"""

import html
from functools import partial

import streamlit as st

from pages._ui import glossary
from pages._ui import steps, vneid_screens as vneid_screens
from pages._ui.frame import page_link, page_setup, sandbox_db, show_refusal, t
from pages._ui.persona import require_persona
from workbench.sandbox import eid, phone
from workbench.sandbox.phone import IdentityError

page_setup(sandbox=True)
st.title(t("eid.web.title"))
glossary.explain("eid_level2", "passcode")
st.caption(t("eid.web.subtitle"))
db = sandbox_db()
persona = require_persona(db)
pid = persona["id"]
ss = st.session_state
ACTIVE = ("otp", "password", "passcode", "security")


go = partial(steps.go, "vneid_web_view")


acc = eid.account(db, pid)
view = ss.get("vneid_web_view", "login")
if ss.get("vneid_web_session") == pid:
    view = "home"

if acc["step"] in ACTIVE and acc["channel"] == "web":
    vneid_screens.activation_step(db, persona, acc["step"], on_done=lambda: go("done"))
elif view == "home":
    level = int(acc["level"] or 0)
    st.markdown(f"**{persona['full_name']}**")
    st.markdown(f"## {t('eid.home.level', level=level)}")
    if level < 2:
        st.warning(t("eid.home.upgrade"), icon=":material/upgrade:")
    if st.button(t("eid.home.logout"), key="vneid_web_logout", width="stretch"):
        eid.logout(db, pid, channel="web")
        ss.pop("vneid_web_session", None)
        go("login")
elif view == "done":
    st.success(t("eid.activated.title"), icon=":material/verified:")
    st.write(t("eid.activated.body"))
    if st.button(t("eid.activated.login"), key="vneid_web_after_activation", type="primary", width="stretch"):
        go("login")
elif view == "activate":
    if st.button(t("phone.back"), key="vneid_web_back", icon=":material/arrow_back:", type="tertiary"):
        go("login")
    vneid_screens.activation_form(db, persona, channel="web")
else:
    st.header(t("eid.login.title"), anchor=False)
    with st.form("vneid_web_login_form"):
        cccd = st.text_input(t("eid.field.username"), key="vneid_web_cccd", max_chars=12)
        password = st.text_input(t("eid.field.password"), type="password", key="vneid_web_pw")
        sent = st.form_submit_button(key="vneid_web_login_form_submit", label=t("eid.login.submit"), type="primary",
                                     width="stretch")
    if sent:
        try:
            eid.login(db, pid, cccd, password, channel="web")
        except IdentityError as error:
            show_refusal(error)
        else:
            ss["vneid_web_session"] = pid
            go("home")
    if st.button(t("eid.login.activate"), key="vneid_web_go_activate", width="stretch",
                 icon=":material/verified_user:"):
        go("activate")
    st.caption(t("eid.login.activate_hint"))

with st.expander(t("eid.web.phone_messages"), expanded=acc["step"] == "otp" and acc["channel"] == "web"):
    messages = phone.inbox(db, pid)[:3]
    if not messages:
        st.caption(t("phone.sms.empty"))
    for message in messages:
        text = html.escape(message["text"]).replace("://", "&#58;//")
        st.html(f"<div><b>{html.escape(message['sender'])} · {message['at'][11:16]}</b><br>{text}</div>")
    page_link("pages/sandbox/phone.py", label=t("persona.current.open_phone"), icon=":material/smartphone:")
