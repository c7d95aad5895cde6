"""One-time codes sent to the simulated phone (secrets are hashed by ``workbench.passwords``).

Like the real VNeID app and the national portal: 6 digits, valid for 5 minutes on the
sandbox clock, 5 wrong tries lock the purpose for a while, "Gửi lại mã" sends a new one.
The code is delivered with ``phone.receive_sms`` only — nothing leaves the app — and stored
as a hash, so the inbox is the one place a learner (or a test) can read it.

Refusals are committed *before* the error is raised: a wrong try must count even though
the caller sees an exception, and the lesson must see ``otp.wrong``/``otp.expired``.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlite_utils.migrations import Migrations

from workbench import clock, events, i18n, passwords, store
from workbench.sandbox import phone
from workbench.sandbox.phone import IdentityError

migrations = Migrations("otp")

CODE_LENGTH = 6
VALID_FOR = dt.timedelta(minutes=5)
MAX_WRONG = 5
LOCK_FOR = dt.timedelta(minutes=30)
# Stripe-style fixed failure (sandbox_data/identity_scenarios.toml): this code is never issued,
# so typing it is always a wrong code.
ALWAYS_WRONG = "000000"

# No "portal_register": the portal's own registration by phone number ended on 30/6/2024 (issue 13).
SENDERS = {"eid_activation": "VNeID", "eid_new_device": "VNeID", "portal_login": "DVCQG"}

EVENT_KINDS = {
    "otp.sent": "a one-time code was sent by SMS to the simulated phone (payload: purpose)",
    "otp.resent": "the persona asked for a new code (Gửi lại mã)",
    "otp.wrong": "a wrong code was entered (payload: purpose, tries_left)",
    "otp.expired": "an expired code was entered (more than 5 minutes on the sandbox clock)",
    "otp.locked": "5 wrong codes: this purpose is locked for a while (or a try while locked)",
    "otp.verified": "the right code was entered in time",
}


class OtpError(IdentityError):
    pass


@migrations()
def m001_otp(db):
    db["otp_codes"].create(
        {
            "id": int,
            "persona_id": str,
            "purpose": str,
            "code_hash": str,
            "sms_id": int,
            "sent_at": str,
            "expires_at": str,
            "wrong": int,
            "used": int,
        },
        pk="id",
    )
    db["otp_codes"].create_index(["persona_id", "purpose", "id"])
    db["otp_locks"].create({"persona_id": str, "purpose": str, "until": str}, pk=("persona_id", "purpose"))


# --- codes ------------------------------------------------------------------------------

def sms_text(code: str, purpose: str) -> str:
    """The SMS carrying ``code``: the portal's or VNeID's words (``phone.sms_text.*``), always in
    Vietnamese and unaccented, as the real services send them."""
    key = "phone.sms_text.otp_portal" if purpose.startswith("portal") else "phone.sms_text.otp_vneid"
    return i18n.t(key, "vi", code=code)


def locked_until(db, persona_id: str, purpose: str) -> dt.datetime | None:
    row = db.execute("select until from otp_locks where persona_id = ? and purpose = ?",
                     [persona_id, purpose]).fetchone()
    if not row:
        return None
    until = dt.datetime.fromisoformat(row[0])
    return until if until > clock.now(db) else None


def _minutes_left(db, until: dt.datetime) -> int:
    return max(1, -(-int((until - clock.now(db)).total_seconds()) // 60))


def issue(db, persona_id: str, purpose: str, *, resend: bool = False) -> None:
    """Send a fresh code by SMS. Earlier codes for the purpose stop working. Returns nothing secret."""
    until = locked_until(db, persona_id, purpose)
    if until:
        events.record(db, "otp.locked", persona_id=persona_id, purpose=purpose, during="resend")
        raise OtpError("phone.otp.locked", minutes=_minutes_left(db, until))
    code = ALWAYS_WRONG
    while code == ALWAYS_WRONG:
        code = f"{secrets.randbelow(10**CODE_LENGTH):06d}"
    # Hash before taking the write lock: 40 phones in a workshop must not queue behind scrypt.
    code_hash = passwords.hash_secret(code, passwords.SANDBOX)
    with store.write(db):
        phone.persona_or_raise(db, persona_id)
        db.execute("update otp_codes set used = 1 where persona_id = ? and purpose = ? and used = 0",
                   [persona_id, purpose])
        sms_id = phone.receive_sms(db, persona_id, SENDERS.get(purpose, "VNeID"), sms_text(code, purpose))
        now = clock.now(db)
        db["otp_codes"].insert({
            "persona_id": persona_id, "purpose": purpose, "code_hash": code_hash, "sms_id": sms_id,
            "sent_at": now.isoformat(), "expires_at": (now + VALID_FOR).isoformat(), "wrong": 0, "used": 0,
        })
        events.record(db, "otp.resent" if resend else "otp.sent", persona_id=persona_id, purpose=purpose)


def resend(db, persona_id: str, purpose: str) -> None:
    """"Gửi lại mã": a new code, a new 5 minutes."""
    issue(db, persona_id, purpose, resend=True)


def _current(db, persona_id: str, purpose: str) -> dict | None:
    rows = list(db["otp_codes"].rows_where("persona_id = ? and purpose = ? and used = 0", [persona_id, purpose],
                                           order_by="id desc", limit=1))
    return rows[0] if rows else None


def has_pending(db, persona_id: str, purpose: str) -> bool:
    return _current(db, persona_id, purpose) is not None


def verify(db, persona_id: str, purpose: str, code: str) -> None:
    """Accept the code or raise ``OtpError`` (wrong / expired / locked / format / none).

    Call it outside any ``store.write`` block of your own: the wrong-try count and the event
    are committed here before the error is raised.
    """
    code = (code or "").strip().replace(" ", "")
    error: OtpError | None = None
    # The scrypt comparison happens outside the write lock; inside, the row is re-read and the
    # comparison redone only if another request replaced the code meanwhile.
    seen = _current(db, persona_id, purpose)
    seen_matches = bool(seen) and re.fullmatch(r"\d{6}", code) is not None and passwords.check_secret(code, seen["code_hash"])
    with store.write(db):
        until = locked_until(db, persona_id, purpose)
        current = _current(db, persona_id, purpose)
        if current is not None:
            same_row = seen is not None and seen["id"] == current["id"]
            matches = seen_matches if same_row else passwords.check_secret(code, current["code_hash"])
        if until:
            events.record(db, "otp.locked", persona_id=persona_id, purpose=purpose, during="verify")
            error = OtpError("phone.otp.locked", minutes=_minutes_left(db, until))
        elif current is None:
            error = OtpError("phone.otp.none")
        elif not re.fullmatch(r"\d{6}", code):
            error = OtpError("phone.otp.format")
        elif clock.now(db) > dt.datetime.fromisoformat(current["expires_at"]):
            events.record(db, "otp.expired", persona_id=persona_id, purpose=purpose)
            error = OtpError("phone.otp.expired")
        elif not matches:
            wrong = current["wrong"] + 1
            db.execute("update otp_codes set wrong = ? where id = ?", [wrong, current["id"]])
            if wrong >= MAX_WRONG:
                until = clock.now(db) + LOCK_FOR
                db["otp_locks"].upsert({"persona_id": persona_id, "purpose": purpose, "until": until.isoformat()},
                                       pk=("persona_id", "purpose"))
                db.execute("update otp_codes set used = 1 where id = ?", [current["id"]])
                events.record(db, "otp.locked", persona_id=persona_id, purpose=purpose, during="verify")
                error = OtpError("phone.otp.locked", minutes=_minutes_left(db, until))
            else:
                events.record(db, "otp.wrong", persona_id=persona_id, purpose=purpose, tries_left=MAX_WRONG - wrong)
                error = OtpError("phone.otp.wrong", tries_left=MAX_WRONG - wrong)
        else:
            db.execute("update otp_codes set used = 1 where id = ?", [current["id"]])
            events.record(db, "otp.verified", persona_id=persona_id, purpose=purpose)
    if error:
        raise error


def expires_at(db, persona_id: str, purpose: str) -> dt.datetime | None:
    current = _current(db, persona_id, purpose)
    return dt.datetime.fromisoformat(current["expires_at"]) if current else None


def latest_code_for_tests(db, persona_id: str, purpose: str) -> str:
    """Read the newest code for ``purpose`` back from the SMS inbox (tests and lesson autoplay)."""
    current = _current(db, persona_id, purpose)
    if current is None:
        raise LookupError(f"no pending code for {purpose}")
    text = phone.get_sms(db, current["sms_id"])["text"]
    return re.search(r"\b(\d{6})\b", text).group(1)
