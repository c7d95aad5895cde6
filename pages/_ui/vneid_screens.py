"""The VNeID activation screens, shared by the app on the simulated phone (pages/sandbox/phone.py)
and the web route vneid.gov.vn for people without a smartphone (pages/sandbox/vneid_web.py).

Same fields, same wording, same errors on both, as on the real app and website; the domain is
workbench/eid.py. Widget keys are the same on both pages (they never show at once).
"""

from __future__ import annotations

import streamlit as st

from pages._ui.frame import page_link, show_refusal, t
from workbench.sandbox import eid, otp
from workbench.sandbox.phone import IdentityError
from workbench import passwords


def level2_next_step(db, persona_id: str, register_label: str = "eid.home.go_police") -> str:
    """The right way on toward level 2 (``eid.level2_next_step``): the commune police before a
    registration, a wait while it is at the police, the app once approved, nothing at level 2.
    Issue 14: "go to the police" was still offered after the approval. Returns the step."""
    step = eid.level2_next_step(db, persona_id)
    if step == "register":
        page_link("pages/sandbox/police.py", label=t(register_label), icon=":material/local_police:")
    elif step == "wait":
        st.info(t("eid.next.wait"), icon=":material/hourglass_top:")
    elif step == "activate":
        st.info(t("eid.next.activate"), icon=":material/verified_user:")
        page_link("pages/sandbox/phone.py", label=t("eid.next.open_phone"), icon=":material/smartphone:")
    return step


def masked(number: str) -> str:
    return number[:3] + "****" + number[-3:]


def activation_form(db, persona: dict, channel: str) -> None:
    """"Kích hoạt tài khoản định danh điện tử": CCCD + phone → "Gửi yêu cầu"."""
    st.header(t("eid.activate.title"), anchor=False)
    st.caption(t("eid.activate.hint"))
    with st.form("vneid_activate_form"):
        cccd = st.text_input(t("eid.field.cccd"), key="vneid_act_cccd", max_chars=12)
        number = st.text_input(t("eid.field.phone"), key="vneid_act_phone")
        sent = st.form_submit_button(key="vneid_activate_form_submit", label=t("eid.activate.submit"), type="primary",
                                     width="stretch")
    if sent:
        try:
            eid.start_activation(db, persona["id"], cccd, number, channel=channel)
        except IdentityError as error:
            show_refusal(error)
            if error.key == "eid.error.not_approved":
                level2_next_step(db, persona["id"])
        else:
            st.rerun()


def otp_form(db, persona: dict, prefix: str, on_submit, on_resend, purpose: str) -> None:
    expires = otp.expires_at(db, persona["id"], purpose)
    st.write(t("eid.otp.body", phone=masked(persona["phone"])))
    if expires:
        st.caption(t("eid.otp.expires", time=expires.strftime("%H:%M")))
    with st.form(f"{prefix}_otp_form"):
        code = st.text_input(t("eid.field.otp"), key=f"{prefix}_otp", max_chars=otp.CODE_LENGTH)
        sent = st.form_submit_button(key=f"{prefix}_otp_form_submit", label=t("eid.otp.submit"), type="primary", width="stretch")
    if sent:
        try:
            on_submit(code)
        except IdentityError as error:
            show_refusal(error)
        else:
            st.rerun()
    if st.button(t("eid.otp.resend"), key=f"{prefix}_resend", width="stretch", icon=":material/refresh:"):
        try:
            on_resend()
        except IdentityError as error:
            show_refusal(error)
        else:
            st.success(t("eid.otp.resent"), icon=":material/sms:")


def activation_step(db, persona: dict, step: str, on_done) -> None:
    """One activation step after \"Gửi yêu cầu\": OTP, password, passcode, security questions."""
    pid = persona["id"]
    st.progress({"otp": 1, "password": 2, "passcode": 3, "security": 4}[step] / 5,
                text=t(f"eid.step.{step}"))
    if step == "otp":
        st.header(t("eid.otp.title"), anchor=False)
        otp_form(db, persona, "vneid_act", lambda code: eid.confirm_activation_otp(db, pid, code),
                 lambda: eid.resend_activation_otp(db, pid), "eid_activation")
    elif step == "password":
        st.header(t("eid.password.title"), anchor=False)
        st.markdown(t("eid.password.rules"))
        with st.form("vneid_password_form"):
            password = st.text_input(t("eid.field.password"), type="password", key="vneid_pw")
            confirm = st.text_input(t("eid.field.password_confirm"), type="password", key="vneid_pw2")
            sent = st.form_submit_button(key="vneid_password_form_submit", label=t("eid.continue"), type="primary", width="stretch")
        if sent:
            try:
                eid.set_password(db, pid, password, confirm)
            except IdentityError as error:
                show_refusal(error)
            else:
                st.rerun()
    elif step == "passcode":
        st.header(t("eid.passcode.title"), anchor=False)
        st.write(t("eid.passcode.body"))
        with st.form("vneid_passcode_form"):
            passcode = st.text_input(t("eid.field.passcode"), type="password", max_chars=passwords.PASSCODE_DIGITS, key="vneid_pc")
            confirm = st.text_input(t("eid.field.passcode_confirm"), type="password", max_chars=passwords.PASSCODE_DIGITS, key="vneid_pc2")
            sent = st.form_submit_button(key="vneid_passcode_form_submit", label=t("eid.continue"), type="primary", width="stretch")
        if sent:
            try:
                eid.set_passcode(db, pid, passcode, confirm)
            except IdentityError as error:
                show_refusal(error)
            else:
                st.rerun()
    elif step == "security":
        st.header(t("eid.security.title"), anchor=False)
        st.write(t("eid.security.body"))
        questions = list(eid.SECURITY_QUESTIONS)
        with st.form("vneid_security_form"):
            q1 = st.selectbox(t("eid.security.question", n=1), questions, index=0, key="vneid_q1",
                              format_func=lambda q: t(f"eid.questions.{q}"))
            a1 = st.text_input(t("eid.security.answer", n=1), key="vneid_a1")
            q2 = st.selectbox(t("eid.security.question", n=2), questions, index=4, key="vneid_q2",
                              format_func=lambda q: t(f"eid.questions.{q}"))
            a2 = st.text_input(t("eid.security.answer", n=2), key="vneid_a2")
            sent = st.form_submit_button(key="vneid_security_form_submit", label=t("eid.security.submit"), type="primary", width="stretch")
        if sent:
            answers = {q1: a1} if q1 == q2 else {q1: a1, q2: a2}
            try:
                eid.set_security_questions(db, pid, answers)
            except IdentityError as error:
                show_refusal(error)
            else:
                on_done()
