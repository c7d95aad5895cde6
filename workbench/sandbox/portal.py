"""The national public-service portal ACCOUNT (Cổng Dịch vụ công quốc gia): log-in and profile.
Dossiers are ``workbench/sandbox/dossiers/``'s.

Since 1/7/2024 (Decree 69/2024/NĐ-CP; the rule ``portal.login`` in
``sandbox_data/rules/portal.toml``) a citizen logs in ONLY with the VNeID e-ID account, and the
portal's first VNeID log-in makes the portal account::

    request_vneid_login --(persona confirms in the VNeID app, eid.answer_request)--> complete_vneid_login

The portal's own accounts (registered by phone number, OTP and a portal password) ended on
30/6/2024, so the sandbox has no registration any more (issue 13). A persona who used such an
account and types its username and password meets ``login_with_old_account``: on the sandbox
date the rule decides; today that is the notice and a way to "Đăng nhập bằng VNeID". The tables
``portal_registrations`` and ``portal_accounts.password_hash`` stay (old sandboxes open; no
destructive migration). Invariant: no portal account without a standardised SIM or VNeID level 2.
"""

from __future__ import annotations

import re

from sqlite_utils.migrations import Migrations

from workbench import clock, events, passwords, rules, store
from workbench.sandbox import eid, health_book, phone
from workbench.sandbox.phone import IdentityError

migrations = Migrations("portal")

EVENT_KINDS = {
    "portal.registered": "a portal account exists now, made by the first VNeID log-in (payload: method vneid)",
    "portal.login_requested": "log in with VNeID: the portal asked the VNeID app to confirm",
    "portal.login_confirmed": "the VNeID confirmation reached the portal",
    "portal.login": "logged in to the portal (payload: method)",
    "portal.login_failed": "portal log-in refused (payload: reason, e.g. vneid_only for an old portal account)",
    "portal.logout": "logged out of the portal",
}

REFUSALS = {
    "portal.error.cccd_format": "personal ID number is not 12 digits",
    "portal.error.login_failed": "old portal account before 1/7/2024: wrong username or password",
    "portal.error.vneid_only": "old portal account on or after 1/7/2024: log in with VNeID (rule portal.login)",
    "portal.error.vneid_login_failed": "log in with VNeID: wrong personal ID number or VNeID password",
    "portal.error.vneid_level2": "log in with VNeID needs an activated level-2 account",
    "portal.error.vneid_refused": "the persona refused the request in the VNeID app",
    "portal.error.vneid_pending": "not confirmed in the VNeID app yet",
}

# The values of the rule ``portal.login``.
VNEID_ONLY = "vneid_only"
ACCOUNT_OR_VNEID = "portal_account_or_vneid"


class PortalError(IdentityError):
    pass


@migrations()
def m001_portal(db):
    db["portal_accounts"].create(
        {"persona_id": str, "method": str, "password_hash": str, "email": str, "created_at": str},
        pk="persona_id",
    )
    # No longer written since the portal's own registration ended (issue 13); kept so an old
    # sandbox.db still opens and no migration has to drop anything.
    db["portal_registrations"].create(
        {"persona_id": str, "step": str, "email": str, "started_at": str},
        pk="persona_id",
    )


def has_account(db, persona_id: str) -> bool:
    return db.execute("select 1 from portal_accounts where persona_id = ?", [persona_id]).fetchone() is not None


def account(db, persona_id: str) -> dict | None:
    return next(iter(db["portal_accounts"].rows_where("persona_id = ?", [persona_id])), None)


def _refuse(db, persona_id: str, kind: str | None, key: str, reason: str, **params) -> PortalError:
    if kind:
        events.record(db, kind, persona_id=persona_id, reason=reason)
    return PortalError(key, **params)


# --- log-in -----------------------------------------------------------------------------

def login_route(db) -> str:
    """How citizens log in on the sandbox date: ``vneid_only`` since 1/7/2024 (rule ``portal.login``)."""
    return rules.value("portal.login", clock.now(db).date())


def route_since(db) -> str:
    """The day (dd/mm/yyyy) the log-in route in force began: "từ ngày 01/7/2024" on today's screens."""
    return rules.get("portal.login", clock.now(db).date()).valid_from.strftime("%d/%m/%Y")


def old_account_notice(db, lang: str = "vi") -> str | None:
    """The words shown to someone who tries an old portal username and password; None before 1/7/2024."""
    try:
        return rules.value("portal.old_account_notice", clock.now(db).date(), lang)
    except rules.RuleMissing:
        return None


def had_old_account(db, persona_id: str) -> bool:
    """The persona had an account the portal itself issued (registered by phone number, before 1/7/2024)."""
    acc = account(db, persona_id)
    return acc is not None and acc["method"] == "sim"


def login_with_old_account(db, persona_id: str, username: str, password: str) -> None:
    """Someone types the username and password of an account the portal issued.

    Since 1/7/2024 (``vneid_only``) nothing typed here logs in: the answer is the notice and the
    way to VNeID, whatever the password (the real portal does not check it either). Only a sandbox
    clock set before that date lets an old account with a stored password in.
    """
    persona = phone.persona_or_raise(db, persona_id)
    if login_route(db) == VNEID_ONLY:
        raise _refuse(db, persona_id, "portal.login_failed", "portal.error.vneid_only", "vneid_only",
                      since=route_since(db))
    acc = account(db, persona_id)
    if (acc is None or not acc["password_hash"] or re.sub(r"\s", "", username or "") != persona["cccd"]
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
