"""The national public-service portal ACCOUNT (Cổng Dịch vụ công quốc gia): registration,
log-in, profile. Dossiers are ``workbench/sandbox/dossiers/``'s.

Two routes, as in the real portal (issue 3):

log in with VNeID (the path since 1/7/2024)::

    request_vneid_login --(persona confirms in the VNeID app, eid.answer_request)--> complete_vneid_login

the older self-registration by mobile subscriber ("Đăng ký" → "Thuê bao di động")::

    start_registration(cccd, name, birth date, phone, email?) --> otp
    otp --confirm_registration_otp--> password --set_registration_password--> registered

It refuses, like the real one, when the SIM is not registered in the persona's name
("chưa chuẩn hóa thuê bao"); the remedy is ``phone.check_sim`` (TTTB → 1414) then
``phone.standardise_sim``. Invariant: no portal account without a standardised SIM or VNeID
level 2.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlite_utils.migrations import Migrations

from workbench import clock, events, fakes, passwords, store
from workbench.sandbox import eid, health_book, otp, phone
from workbench.sandbox.phone import IdentityError

migrations = Migrations("portal")

EVENT_KINDS = {
    "portal.register_started": "self-registration details accepted; an OTP was sent",
    "portal.register_refused": "self-registration refused (payload: reason, e.g. sim_not_standardised)",
    "portal.password_weak": "a registration password failing a rule (payload: rule)",
    "portal.registered": "a portal account exists now (payload: method vneid | sim)",
    "portal.login_requested": "log in with VNeID: the portal asked the VNeID app to confirm",
    "portal.login_confirmed": "the VNeID confirmation reached the portal",
    "portal.login": "logged in to the portal (payload: method)",
    "portal.login_failed": "portal log-in refused (payload: reason)",
    "portal.logout": "logged out of the portal",
}

REFUSALS = {
    "portal.error.cccd_format": "CCCD is not 12 digits",
    "portal.error.name_empty": "no full name",
    "portal.error.birth_date": "no or impossible date of birth",
    "portal.error.email": "email typed but not an address",
    "portal.error.info_mismatch": "details differ from the national population database",
    "portal.error.sim_not_standardised": "the SIM is not registered in the persona's name",
    "portal.error.already_registered": "the persona already has an account",
    "portal.error.wrong_step": "that screen is not the current registration step",
    "portal.error.password_*": "same password rules as VNeID (length 8–20, digit, upper, lower, special)",
    "portal.error.password_confirm": "the two passwords differ",
    "portal.error.login_failed": "wrong CCCD or password",
    "portal.error.vneid_login_failed": "log in with VNeID: wrong CCCD or VNeID password",
    "portal.error.vneid_level2": "log in with VNeID needs an activated level-2 account",
    "portal.error.vneid_refused": "the persona refused the request in the VNeID app",
    "portal.error.vneid_pending": "not confirmed in the VNeID app yet",
}


class PortalError(IdentityError):
    pass


@migrations()
def m001_portal(db):
    db["portal_accounts"].create(
        {"persona_id": str, "method": str, "password_hash": str, "email": str, "created_at": str},
        pk="persona_id",
    )
    db["portal_registrations"].create(
        {"persona_id": str, "step": str, "email": str, "started_at": str},
        pk="persona_id",
    )


def has_account(db, persona_id: str) -> bool:
    return db.execute("select 1 from portal_accounts where persona_id = ?", [persona_id]).fetchone() is not None


def account(db, persona_id: str) -> dict | None:
    return next(iter(db["portal_accounts"].rows_where("persona_id = ?", [persona_id])), None)


def registration_step(db, persona_id: str) -> str | None:
    row = db.execute("select step from portal_registrations where persona_id = ?", [persona_id]).fetchone()
    return row[0] if row else None


def _refuse(db, persona_id: str, kind: str | None, key: str, reason: str, **params) -> PortalError:
    if kind:
        events.record(db, kind, persona_id=persona_id, reason=reason)
    return PortalError(key, **params)


def _same_name(a: str, b: str) -> bool:
    norm = lambda s: " ".join(unicodedata.normalize("NFC", s or "").lower().split())  # noqa: E731
    return norm(a) == norm(b)


def parse_birth_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# --- self-registration by mobile subscriber -------------------------------------------------

def _checked_details(cccd: str, full_name: str, birth_date, phone_number: str, email: str):
    """The form's own checks (before anything is compared with the persona): raise what to fix."""
    cccd = re.sub(r"\s", "", cccd or "")
    if not (len(cccd) == 12 and cccd.isdigit()):
        raise PortalError("portal.error.cccd_format")
    if not (full_name or "").strip():
        raise PortalError("portal.error.name_empty")
    born = parse_birth_date(birth_date)
    if born is None:
        raise PortalError("portal.error.birth_date")
    try:
        number = fakes.normalise_phone(phone_number)
    except fakes.InvalidPhone as error:
        raise PortalError(error.key) from None
    email = (email or "").strip()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise PortalError("portal.error.email")
    return cccd, born, number, email


def registration_details_problem(db, persona_id: str, values: dict) -> PortalError | None:
    """The first thing to fix in the registration form (``values``: cccd, full_name, birth_date, phone, email).

    The form page asks before its check-your-answers screen; a problem is recorded like any refusal.
    """
    try:
        _checked_details(values.get("cccd", ""), values.get("full_name", ""), values.get("birth_date", ""),
                         values.get("phone", ""), values.get("email", ""))
    except PortalError as error:
        events.record(db, "portal.register_refused", persona_id=persona_id, reason=error.key.rsplit(".", 1)[-1])
        return error
    return None


def start_registration(db, persona_id: str, *, cccd: str, full_name: str, birth_date, phone_number: str,
                       email: str = "") -> None:
    """"Đăng ký" → "Thuê bao di động": check the details, then send an OTP to the phone."""
    persona = phone.persona_or_raise(db, persona_id)
    try:
        cccd, born, number, email = _checked_details(cccd, full_name, birth_date, phone_number, email)
    except PortalError as error:
        raise _refuse(db, persona_id, "portal.register_refused", error.key, error.key.rsplit(".", 1)[-1]) from None
    if has_account(db, persona_id):
        raise _refuse(db, persona_id, "portal.register_refused", "portal.error.already_registered",
                      "already_registered")
    if (cccd != persona["cccd"] or not _same_name(full_name, persona["full_name"])
            or born.isoformat() != persona["birth_date"] or number != persona["phone"]):
        raise _refuse(db, persona_id, "portal.register_refused", "portal.error.info_mismatch", "info_mismatch")
    if not phone.is_standardised(db, persona_id):
        raise _refuse(db, persona_id, "portal.register_refused", "portal.error.sim_not_standardised",
                      "sim_not_standardised")
    otp.issue(db, persona_id, "portal_register")
    with store.write(db):
        db["portal_registrations"].upsert({"persona_id": persona_id, "step": "otp", "email": email,
                                           "started_at": clock.now(db).isoformat()}, pk="persona_id")
        events.record(db, "portal.register_started", persona_id=persona_id)


def _require_step(db, persona_id: str, expected: str) -> None:
    if registration_step(db, persona_id) != expected:
        raise PortalError("portal.error.wrong_step")


def resend_registration_otp(db, persona_id: str) -> None:
    _require_step(db, persona_id, "otp")
    otp.resend(db, persona_id, "portal_register")


def confirm_registration_otp(db, persona_id: str, code: str) -> None:
    _require_step(db, persona_id, "otp")
    otp.verify(db, persona_id, "portal_register", code)
    with store.write(db):
        db.execute("update portal_registrations set step = 'password' where persona_id = ?", [persona_id])


def set_registration_password(db, persona_id: str, password: str, confirm: str) -> None:
    _require_step(db, persona_id, "password")
    problem = eid.password_problem(password)
    if problem:
        events.record(db, "portal.password_weak", persona_id=persona_id, rule=problem)
        raise PortalError(f"portal.error.{problem}")
    if password != confirm:
        events.record(db, "portal.password_weak", persona_id=persona_id, rule="confirm")
        raise PortalError("portal.error.password_confirm")
    password_hash = passwords.hash_secret(password, passwords.SANDBOX)  # before the write lock (see otp.issue)
    with store.write(db):
        _require_step(db, persona_id, "password")
        # The invariant, checked again at the moment the account is made.
        if not (phone.is_standardised(db, persona_id) or eid.level(db, persona_id) == 2):
            raise PortalError("portal.error.sim_not_standardised")
        # Logging in with VNeID while this registration waited made the account already.
        already = has_account(db, persona_id)
        if not already:
            email = db.execute("select email from portal_registrations where persona_id = ?",
                               [persona_id]).fetchone()[0]
            db["portal_accounts"].insert({"persona_id": persona_id, "method": "sim", "password_hash": password_hash,
                                          "email": email, "created_at": clock.now(db).isoformat()})
        db.execute("update portal_registrations set step = 'done' where persona_id = ?", [persona_id])
        if already:
            events.record(db, "portal.register_refused", persona_id=persona_id, reason="already_registered")
        else:
            events.record(db, "portal.registered", persona_id=persona_id, method="sim")
    if already:
        raise PortalError("portal.error.already_registered")


# --- log-in -----------------------------------------------------------------------------

def login_with_password(db, persona_id: str, cccd: str, password: str) -> None:
    """The account route: CCCD (tên đăng nhập) and password."""
    persona = phone.persona_or_raise(db, persona_id)
    acc = account(db, persona_id)
    if (acc is None or not acc["password_hash"] or re.sub(r"\s", "", cccd or "") != persona["cccd"]
            or not passwords.check_secret(password or "", acc["password_hash"])):
        raise _refuse(db, persona_id, "portal.login_failed", "portal.error.login_failed", "wrong_password")
    events.record(db, "portal.login", persona_id=persona_id, method="password")


def request_vneid_login(db, persona_id: str, cccd: str | None = None, password: str | None = None) -> int:
    """"Đăng nhập bằng tài khoản định danh điện tử": the VNeID app is asked to confirm.

    The portal's VNeID page asks for the personal ID number (CCCD) and the VNeID password
    first; ``cccd``/``password`` of None skip that check (a trainer's shortcut, the scenarios).
    """
    persona = phone.persona_or_raise(db, persona_id)
    if cccd is not None:
        cccd = re.sub(r"\s", "", cccd)
        if not (len(cccd) == 12 and cccd.isdigit()):
            raise _refuse(db, persona_id, "portal.login_failed", "portal.error.cccd_format", "cccd_format")
    if password is not None:
        acc = eid.account(db, persona_id)
        if cccd != persona["cccd"] or not passwords.check_secret(password, acc["password_hash"]):
            raise _refuse(db, persona_id, "portal.login_failed", "portal.error.vneid_login_failed",
                          "vneid_wrong_password")
    if eid.level(db, persona_id) < 2:
        events.record(db, "eid.upgrade_prompted", persona_id=persona_id, feature="portal_login")
        raise _refuse(db, persona_id, "portal.login_failed", "portal.error.vneid_level2", "vneid_not_level2")
    with store.write(db):
        request_id = eid.request_confirmation(db, persona_id, "portal")
        events.record(db, "portal.login_requested", persona_id=persona_id, request_id=request_id)
    return request_id


def complete_vneid_login(db, persona_id: str, request_id: int) -> bool:
    """After the persona confirmed on the phone: log in (making the account on first use).

    Returns False while the request is still waiting for the phone.
    """
    status = eid.request_status(db, request_id)
    if status == "pending":
        return False
    if status != "confirmed":
        raise _refuse(db, persona_id, "portal.login_failed", "portal.error.vneid_refused", "vneid_refused")
    with store.write(db):
        db.execute("update eid_requests set status = 'used' where id = ?", [request_id])
        events.record(db, "portal.login_confirmed", persona_id=persona_id, request_id=request_id)
        if not has_account(db, persona_id):
            db["portal_accounts"].insert({"persona_id": persona_id, "method": "vneid", "password_hash": None,
                                          "email": "", "created_at": clock.now(db).isoformat()})
            events.record(db, "portal.registered", persona_id=persona_id, method="vneid")
        events.record(db, "portal.login", persona_id=persona_id, method="vneid")
    return True


def logout(db, persona_id: str) -> None:
    events.record(db, "portal.logout", persona_id=persona_id)


def profile(db, persona_id: str) -> dict:
    """What the persona has done: SIM, VNeID level, portal account, e-health book."""
    card = phone.sim(db, persona_id)
    acc = account(db, persona_id)
    return {
        "sim_standardised": bool(card["standardised"]),
        "sim_checked": bool(card["checked"]),
        "eid_level": eid.level(db, persona_id),
        "eid_registration": eid.account(db, persona_id)["registration"],
        "portal_account": acc is not None,
        "portal_method": acc["method"] if acc else None,
        "health_book": health_book.is_activated(db, persona_id),
    }
