"""Điện thoại mô phỏng: the persona's phone — SMS inbox, installed apps, the VNeID app (issue 3).

On a real phone the phone's screens fill the page; on a laptop the phone is drawn as a
phone-sized column beside explanations for the trainer (hidden below 640 px). Which phone
screen is shown lives in ``st.session_state["phone_screen"]``; everything the persona does
goes through workbench/phone.py, eid.py and health_book.py, which record the events.
"""

import datetime as dt
import html

import streamlit as st

from pages._ui import glossary
from pages._ui.frame import page_setup, sandbox_db, page_link, show_refusal, t
from pages._ui import steps, vneid_screens as vneid_screens
from pages._ui.persona import require_persona
from workbench import clock, fakes
from workbench.sandbox import eid, health_book, otp, phone
from workbench.sandbox.phone import IdentityError
from workbench import passwords

PHONE_CSS = """
<style>
@media (min-width: 641px) {
  .st-key-phone_frame { max-width: 400px; border: 10px solid #1f2328; border-radius: 28px; padding: 14px 12px 22px;
    background: #fff; box-shadow: 0 6px 18px rgba(0,0,0,.18); min-height: 640px; }
}
/* On a real phone the phone's screens fill the page: no page title, no trainer notes. */
@media (max-width: 640px) { .st-key-phone_notes, .st-key-phone_title { display: none; } }
.cds-appbar { background:#c8102e; color:#fff; font-weight:800; border-radius:8px; padding:.4rem .7rem;
  margin:.2rem 0 .6rem; letter-spacing:.03em; }
.cds-statusbar { display:flex; justify-content:space-between; font-size:.8rem; color:#555; margin-bottom:.3rem; }
.cds-sms { border-left: 4px solid #1565c0; background:#f3f7fc; padding:.45rem .6rem; border-radius:6px;
  margin:.2rem 0 .5rem; white-space: pre-wrap; word-break: break-word; font-size: .95rem; }
.cds-sms.unread { border-left-color:#d32f2f; background:#fff4f4; }
.cds-sms b { display:block; font-size:.85rem; }
.cds-notify b { display:block; font-size:.8rem; color:#cfd8dc; }
.cds-notify { background:#263238; color:#fff; border-radius:10px; padding:.45rem .6rem; font-size:.88rem;
  white-space: pre-wrap; word-break: break-word; margin-bottom:.4rem; }
.cds-level { display:inline-block; background:#1b5e20; color:#fff; border-radius:14px; padding:.15rem .7rem;
  font-weight:700; }
.cds-level.l1 { background:#ef6c00; }
.cds-idcard { border:1px solid #b0bec5; border-radius:8px; background:#f5f8fa; padding:.35rem .6rem; margin:0 0 .6rem;
  font-size:.85rem; color:#37474f; }
.cds-idcard b { display:block; font-size:1.3rem; letter-spacing:.06em; color:#1a1a1a; white-space:nowrap; }
</style>
"""

page_setup(sandbox=True)
st.html(PHONE_CSS)
with st.container(key="phone_title"):
    st.title(t("phone.title"))
db = sandbox_db()
persona = require_persona(db)
pid = persona["id"]
ss = st.session_state

if ss.get("phone_persona") != pid:  # another persona in this browser: its phone starts at home, locked
    if ss.get("phone_persona"):
        ss["phone_screen"] = "home"
        ss.pop("vneid_view", None)
    ss["phone_persona"] = pid
    ss.pop("vneid_session", None)
# The one-device rule: the trainer can make this browser "another phone" (tools, beside the phone).
device = "another-phone" if ss.get("phone_other_device") else eid.DEFAULT_DEVICE


def go(screen: str, view: str | None = None) -> None:
    """``view``: the VNeID app's own screen, when the phone opens it."""
    steps.go("phone_screen", screen, **({} if view is None else {"vneid_view": view}))


def sms_html(message: dict, css: str = "cds-sms") -> str:
    # Shown as text, never as a live link (the approval SMS carries https://vneid.gov.vn).
    text = html.escape(message["text"]).replace("://", "&#58;//")
    when = message["at"][11:16]
    return f'<div class="{css}"><b>{html.escape(message["sender"])} · {when}</b>{text}</div>'


def id_card_html() -> str:
    """The persona's 12-digit number and the phone's own number, readable and always in view:
    the learner has no card in hand and must type both in VNeID (issue 14)."""
    return (f'<div class="cds-idcard" data-testid="persona-id-card">{html.escape(t("phone.id_card"))}'
            f'<b>{fakes.spaced_cccd(persona["cccd"])}</b>{html.escape(t("phone.own_number"))}: '
            f'<b style="display:inline;font-size:1.05rem">{fakes.spaced_phone(persona["phone"])}</b></div>')


def home_button() -> None:
    if st.button(t("phone.home_button"), key=f"phone_home_{ss.get('phone_screen')}", icon=":material/home:",
                 type="tertiary"):
        go("home")


# --- screens ----------------------------------------------------------------------------------

def screen_home() -> None:
    apps = phone.installed_apps(db, pid)
    unread = phone.unread_count(db, pid)
    label = t("phone.app.sms") + (f"  ({unread})" if unread else "")
    if st.button(label, key="phone_open_sms", icon=":material/sms:", width="stretch",
                 type="primary" if unread else "secondary"):
        go("sms")
    if "vneid" in apps:
        if st.button(t("phone.app.vneid"), key="phone_open_vneid", icon=":material/badge:", width="stretch"):
            go("vneid")
    if "health_book" in apps or eid.level(db, pid) == 2:
        if st.button(t("phone.app.health_book"), key="phone_open_health", icon=":material/health_and_safety:",
                     width="stretch"):
            go("health")
    if "bank" in apps or "wallet" in apps:
        page_link("pages/sandbox/wallet.py", label=t("phone.app.wallet"), icon=":material/account_balance_wallet:")
    page_link("pages/sandbox/portal_account.py", label=t("phone.app.browser"), icon=":material/public:")
    if st.button(t("phone.app.store"), key="phone_open_store", icon=":material/shop:", width="stretch"):
        go("store")
    if st.button(t("phone.app.operator"), key="phone_open_shop", icon=":material/storefront:",
                 width="stretch"):
        go("shop")
    st.caption(t("phone.home_hint"))


def screen_sms() -> None:
    home_button()
    st.header(t("phone.sms.title"), anchor=False)
    if st.button(t("phone.sms.compose"), key="phone_compose", icon=":material/edit:", width="stretch"):
        go("sms_compose")
    messages = phone.inbox(db, pid)
    if not messages:
        st.info(t("phone.sms.empty"))
    for message in messages:
        st.html(sms_html(message, "cds-sms unread" if not message["read"] else "cds-sms"))
    if any(not m["read"] for m in messages):
        phone.mark_read(db, pid)


def screen_sms_compose() -> None:
    if st.button(t("phone.back"), key="phone_compose_back", icon=":material/arrow_back:", type="tertiary"):
        go("sms")
    st.header(t("phone.sms.compose_title"), anchor=False)
    st.caption(t("phone.sms.compose_hint"))
    with st.form("phone_compose_form"):
        to = st.text_input(t("phone.sms.to"), value="1414", key="phone_sms_to")
        body = st.text_input(t("phone.sms.body"), key="phone_sms_body", placeholder="TTTB")
        sent = st.form_submit_button(key="phone_compose_form_submit", label=t("phone.sms.send"), type="primary", width="stretch")
    if sent:
        try:
            phone.send_sms(db, pid, to, body)
        except IdentityError as error:
            show_refusal(error)
        else:
            go("sms")


def screen_store() -> None:
    home_button()
    st.header(t("phone.store.title"), anchor=False)
    apps = phone.installed_apps(db, pid)
    for app in ("vneid", "health_book"):
        with st.container(border=True):
            st.markdown(f"**{t(f'phone.app.{app}')}**  \n{t(f'phone.store.about_{app}')}")
            if app in apps:
                st.caption(t("phone.store.installed"))
            elif st.button(t("phone.store.install"), key=f"phone_install_{app}", type="primary",
                           width="stretch"):
                phone.install_app(db, pid, app)
                go("vneid" if app == "vneid" else "health")


def screen_shop() -> None:
    home_button()
    st.header(t("phone.shop.title"), anchor=False)
    card = phone.sim(db, pid)
    st.write(t("phone.shop.number", phone=card["phone"]))
    if card["standardised"]:
        st.success(t("phone.shop.ok"), icon=":material/check_circle:")
        return
    st.warning(t("phone.shop.not_ok"), icon=":material/sim_card_alert:")
    st.write(t("phone.shop.explain"))
    if st.button(t("phone.shop.standardise"), key="phone_standardise", type="primary", width="stretch"):
        phone.standardise_sim(db, pid)
        st.rerun()


def screen_health() -> None:
    home_button()
    st.header(t("phone.health.title"), anchor=False)
    if not health_book.is_activated(db, pid):
        st.write(t("phone.health.login_intro"))
        with st.form("phone_health_login"):
            passcode = st.text_input(t("eid.field.passcode"), type="password", max_chars=passwords.PASSCODE_DIGITS, key="phone_health_pass")
            sent = st.form_submit_button(key="phone_health_login_submit", label=t("phone.health.login"), type="primary", width="stretch")
        if sent:
            try:
                health_book.activate(db, pid, passcode)
            except IdentityError as error:
                show_refusal(error)
                if error.key == "eid.error.level2_required":
                    vneid_screens.level2_next_step(db, pid)
            else:
                st.rerun()
        return
    record = health_book.record(db, pid)
    st.markdown(
        f"**{record['full_name']}**  \n{t('phone.health.insurance')}: {record['insurance_number']}  \n"
        f"{t('phone.health.blood')}: {record['blood_type']}"
    )
    st.markdown(t("phone.health.vaccines") + "\n" + "\n".join(f"- {t(f'phone.health.vaccine.{v}')}"
                                                            for v in record["vaccines"]))


# --- the VNeID app ------------------------------------------------------------------------------

def vneid_header() -> None:
    st.html(f'<div class="cds-appbar">{t("eid.app_name")}</div>')


def vneid_activation_start() -> None:
    if st.button(t("phone.back"), key="vneid_act_back", icon=":material/arrow_back:", type="tertiary"):
        go("vneid", "login")
    vneid_screens.activation_form(db, persona, channel="app")


def otp_form(prefix: str, on_submit, on_resend, purpose: str) -> None:
    vneid_screens.otp_form(db, persona, prefix, on_submit, on_resend, purpose)


def vneid_step(step: str) -> None:
    vneid_screens.activation_step(db, persona, step, on_done=lambda: go("vneid", "activated"))


def vneid_login() -> None:
    st.header(t("eid.login.title"), anchor=False)
    with st.form("vneid_login_form"):
        cccd = st.text_input(t("eid.field.username"), key="vneid_login_cccd", max_chars=12)
        password = st.text_input(t("eid.field.password"), type="password", key="vneid_login_pw")
        sent = st.form_submit_button(key="vneid_login_form_submit", label=t("eid.login.submit"), type="primary", width="stretch")
    if sent:
        try:
            result = eid.login(db, pid, cccd, password, device_id=device)
        except IdentityError as error:
            show_refusal(error)
        else:
            if result == "new_device":
                go("vneid", "new_device")
            ss["vneid_session"] = pid
            go("vneid", "home")
    if st.button(t("eid.login.activate"), key="vneid_go_activate", width="stretch",
                 icon=":material/verified_user:"):
        go("vneid", "activate")
    st.caption(t("eid.login.activate_hint"))


def vneid_unlock() -> None:
    st.header(t("eid.unlock.title"), anchor=False)
    st.write(t("eid.unlock.body", name=persona["full_name"]))
    with st.form("vneid_unlock_form"):
        passcode = st.text_input(t("eid.field.passcode"), type="password", max_chars=passwords.PASSCODE_DIGITS, key="vneid_unlock_pc")
        sent = st.form_submit_button(key="vneid_unlock_form_submit", label=t("eid.unlock.submit"), type="primary",
                                     width="stretch")
    if sent:
        try:
            eid.unlock(db, pid, passcode, device_id=device)
        except IdentityError as error:
            show_refusal(error)
        else:
            ss["vneid_session"] = pid
            go("vneid", "home")
    if st.button(t("eid.unlock.with_password"), key="vneid_unlock_password", type="tertiary"):
        go("vneid", "password_login")
    if st.button(t("eid.home.forgot_passcode"), key="vneid_unlock_forgot", type="tertiary"):
        go("vneid", "forgot")


def vneid_new_device() -> None:
    st.header(t("eid.new_device.title"), anchor=False)
    st.info(t("eid.new_device.body"), icon=":material/phonelink_lock:")

    def confirm(code: str) -> None:
        eid.confirm_new_device(db, pid, code)
        ss["vneid_session"] = pid
        ss["vneid_view"] = "home"

    otp_form("vneid_dev", confirm, lambda: otp.resend(db, pid, "eid_new_device"), "eid_new_device")
    if st.button(t("phone.back"), key="vneid_dev_back", icon=":material/arrow_back:", type="tertiary"):
        go("vneid", "login")


def vneid_requests() -> None:
    for request in eid.pending_requests(db, pid):
        with st.container(border=True, key=f"vneid_request_{request['id']}"):
            st.markdown(f"**{t('eid.request.title')}**")
            st.write(t(f"eid.request.from_{request['requester']}"))
            with st.form(f"vneid_request_form_{request['id']}"):
                passcode = st.text_input(t("eid.field.passcode"), type="password", max_chars=passwords.PASSCODE_DIGITS,
                                         key=f"vneid_request_pass_{request['id']}")
                accept = st.form_submit_button(key=f"vneid_request_form_{request['id']}_submit", label=t("eid.request.accept"), type="primary", width="stretch")
                refuse = st.form_submit_button(key=f"vneid_request_form_{request['id']}_refuse", label=t("eid.request.refuse"), width="stretch")
            if accept or refuse:
                try:
                    eid.answer_request(db, pid, request["id"], passcode, accept=bool(accept))
                except IdentityError as error:
                    show_refusal(error)
                else:
                    ss["vneid_answered"] = ("accepted" if accept else "refused", request["requester"])
                    st.rerun()
    answered = ss.get("vneid_answered")
    if answered:
        outcome, requester = answered
        if outcome == "accepted":
            st.success(t("eid.request.accepted"), icon=":material/check_circle:")
        else:
            st.warning(t("eid.request.refused"), icon=":material/block:")
        if requester == "portal":
            if st.button(t("eid.request.back_to_portal"), key="vneid_back_portal", type="primary",
                         width="stretch", icon=":material/account_circle:"):
                ss.pop("vneid_answered", None)
                st.switch_page("pages/sandbox/portal_account.py")


def vneid_home() -> None:
    acc = eid.account(db, pid)
    st.markdown(f"**{persona['full_name']}**  \n{t('eid.home.id_number')}: {persona['cccd'][:4]}••••{persona['cccd'][-3:]}")
    level = int(acc["level"] or 0)
    css = "cds-level" if level == 2 else "cds-level l1"
    st.html(f'<span class="{css}">{t("eid.home.level", level=level)}</span>')
    if level < 2 and acc["registration"] == "approved":  # approved: activate here, not the police again
        st.info(t("eid.next.activate"), icon=":material/verified_user:")
        if st.button(t("eid.login.activate"), key="vneid_home_activate", type="primary", width="stretch"):
            ss.pop("vneid_session", None)
            go("vneid", "activate")
    elif level < 2:
        st.warning(t("eid.home.upgrade"), icon=":material/upgrade:")
        vneid_screens.level2_next_step(db, pid)
    vneid_requests()
    if level == 2 and st.button(t("eid.home.forgot_passcode"), key="vneid_forgot", width="stretch",
                                icon=":material/lock_reset:"):
        go("vneid", "forgot")
    if st.button(t("eid.home.logout"), key="vneid_logout", width="stretch", icon=":material/logout:"):
        eid.logout(db, pid)
        ss.pop("vneid_session", None)
        go("vneid", "login")


def vneid_forgot() -> None:
    if st.button(t("phone.back"), key="vneid_forgot_back", icon=":material/arrow_back:", type="tertiary"):
        go("vneid", "home" if ss.get("vneid_session") == pid else "login")
    st.header(t("eid.forgot.title"), anchor=False)
    st.write(t("eid.forgot.body"))
    questions = eid.security_questions_of(db, pid)
    with st.form("vneid_forgot_form"):
        answers = {q: st.text_input(t(f"eid.questions.{q}"), key=f"vneid_forgot_{q}") for q in questions}
        passcode = st.text_input(t("eid.field.new_passcode"), type="password", max_chars=passwords.PASSCODE_DIGITS, key="vneid_forgot_pc")
        confirm = st.text_input(t("eid.field.passcode_confirm"), type="password", max_chars=passwords.PASSCODE_DIGITS, key="vneid_forgot_pc2")
        sent = st.form_submit_button(key="vneid_forgot_form_submit", label=t("eid.forgot.submit"), type="primary", width="stretch")
    if sent:
        try:
            eid.reset_passcode(db, pid, answers, passcode, confirm)
        except IdentityError as error:
            show_refusal(error)
        else:
            ss["vneid_flash"] = "eid.forgot.done"
            go("vneid", "home" if ss.get("vneid_session") == pid else "login")


def screen_vneid() -> None:
    home_button()
    vneid_header()
    if ss.get("vneid_flash"):
        st.success(t(ss.pop("vneid_flash")), icon=":material/check_circle:")
    acc = eid.account(db, pid)
    view = ss.get("vneid_view", "login")
    if ss.get("vneid_session") == pid:
        (vneid_forgot if view == "forgot" else vneid_home)()
    elif view == "forgot" and eid.level(db, pid) == 2:
        vneid_forgot()
    elif acc["step"] in ("otp", "password", "passcode", "security") and acc["channel"] != "web":
        vneid_step(acc["step"])
    elif view == "activated":
        st.success(t("eid.activated.title"), icon=":material/verified:")
        st.write(t("eid.activated.body"))
        if st.button(t("eid.activated.login"), key="vneid_after_activation", type="primary", width="stretch"):
            go("vneid", "password_login")
    elif view == "activate":
        vneid_activation_start()
    elif view == "new_device" and acc["pending_device"]:
        vneid_new_device()
    elif view != "password_login" and eid.can_unlock(db, pid, device):
        vneid_unlock()
    else:
        vneid_login()


SCREENS = {"home": screen_home, "sms": screen_sms, "sms_compose": screen_sms_compose, "store": screen_store,
           "shop": screen_shop, "health": screen_health, "vneid": screen_vneid}

# --- draw ------------------------------------------------------------------------------------------

screen = ss.get("phone_screen", "home")
if screen not in SCREENS:
    screen = "home"
phone_col, notes_col = st.columns([2, 3], gap="large")
with phone_col:
    with st.container(key="phone_frame"):
        now = clock.now(db)
        st.html(f'<div class="cds-statusbar"><span>{now.strftime("%H:%M")}</span>'
                f'<span>{html.escape(persona["display_name"] or persona["full_name"])}</span></div>'
                + id_card_html())
        if screen != "sms":
            # A heads-up notification for the newest unread message of the last 5 minutes, as on a real phone.
            newest = next((m for m in phone.inbox(db, pid) if not m["read"]), None)
            if newest and dt.datetime.fromisoformat(newest["at"]) >= now - dt.timedelta(minutes=5):
                st.html(sms_html(newest, "cds-notify"))
                if st.button(t("phone.notify_dismiss"), key="phone_dismiss_notify", type="tertiary",
                             icon=":material/close:"):
                    phone.mark_read(db, pid, newest["id"])
                    st.rerun()
        SCREENS[screen]()

with notes_col:
    with st.container(key="phone_notes"):
        st.header(t("phone.notes.title"), anchor=False)
        glossary.explain("sim_verified", "eid_level2", "passcode")
        note_key = f"phone.notes.{screen}"
        if screen == "vneid":
            step = eid.account(db, pid)["step"]
            if ss.get("vneid_session") == pid:
                view = "forgot" if ss.get("vneid_view") == "forgot" else "home"
            elif step in ("otp", "password", "passcode", "security"):
                view = step
            else:
                view = ss.get("vneid_view", "login")
                if view == "password_login":
                    view = "login"
                elif view == "login" and eid.can_unlock(db, pid, device):
                    view = "unlock"
            note_key = f"phone.notes.vneid_{view}"
        st.markdown(t(note_key))
        with st.expander(t("phone.notes.tools")):
            if st.button(t("phone.notes.advance_clock"), key="phone_advance_clock", width="stretch"):
                clock.advance(db, dt.timedelta(minutes=6))
                st.rerun()
            st.toggle(t("phone.notes.other_device"), key="phone_other_device")
