"""Scam awareness for the payment sandbox (issue 5): fake SMS links and fake "police" calls
that ask for an OTP, and a flag when a learner types a live OTP where no OTP belongs.

The examples live in ``sandbox_data/scam_examples.toml`` (links use the reserved
``.example`` domain). ``send_sms`` drops one into the persona's simulated phone inbox, so a
lesson can ask "what is wrong with this message?". ``flag_otp`` is called by pages with
whatever the learner typed into a field that is *not* an OTP field (a payment code, a fake
page's form): when it holds a code that was really sent to this persona in the last
``RECENT`` minutes, the page warns and the event ``scam.otp_typed_wrong_place`` is recorded.
"""

from __future__ import annotations

import datetime as dt
import re

from workbench import clock, data as data_files, events, passwords, store
from workbench.sandbox import phone

RECENT = dt.timedelta(minutes=30)
_SIX_DIGITS = re.compile(r"(?<!\d)(\d{6})(?!\d)")

EVENT_KINDS = {
    "scam.sms_sent": "a practice scam SMS was put in the persona's simulated phone (payload: example)",
    "scam.otp_typed_wrong_place": "the learner typed a live OTP into a field that is not an OTP field "
                                  "(payload: where)",
    "scam.example_recognised": "the learner said a practice message or call is a scam (payload: example)",
}


def _data() -> dict:
    return data_files.load("scam_examples")


def examples(kind: str | None = None) -> list[dict]:
    return [e for e in _data()["examples"] if kind is None or e["kind"] == kind]


def example(example_id: str) -> dict:
    for item in examples():
        if item["id"] == example_id:
            return item
    raise KeyError(example_id)


def send_sms(db, persona_id: str, example_id: str, actor: str = "trainer") -> int:
    """Put a practice scam SMS in the persona's phone inbox; returns the SMS id."""
    item = example(example_id)
    if item["kind"] != "sms":
        raise ValueError(f"{example_id} is not an SMS")
    with store.write(db):
        sms_id = phone.receive_sms(db, persona_id, item["sender"], item["text"])
        events.record(db, "scam.sms_sent", persona_id=persona_id, actor=actor, example=example_id)
    return sms_id


def recognised(db, persona_id: str, example_id: str) -> None:
    example(example_id)
    events.record(db, "scam.example_recognised", persona_id=persona_id, example=example_id)


def _recent_hashes(db, persona_id: str) -> list[str]:
    since = (clock.now(db) - RECENT).isoformat()
    hashes = []
    if db["otp_codes"].exists():
        hashes += [r[0] for r in db.execute(
            "select code_hash from otp_codes where persona_id = ? and sent_at >= ?", [persona_id, since])]
    if db["pay_otps"].exists():
        # pay_otps keeps expiry, not the sending time: a code sent in the window expires after ``since``
        hashes += [r[0] for r in db.execute(
            "select code_hash from pay_otps where persona_id = ? and expires_at >= ?", [persona_id, since])]
    return hashes


def holds_live_otp(db, persona_id: str, text: str) -> bool:
    """Whether ``text`` contains a 6-digit code really sent to this persona lately."""
    candidates = set(_SIX_DIGITS.findall(re.sub(r"[\s.-]", "", text or "")))
    if not candidates or not persona_id:
        return False
    hashes = _recent_hashes(db, persona_id)
    return any(passwords.check_secret(code, stored) for code in candidates for stored in hashes)


def flag_otp(db, persona_id: str | None, text: str, where: str) -> bool:
    """Record and return True when the learner typed a live OTP into ``where``."""
    if not persona_id or not holds_live_otp(db, persona_id, text):
        return False
    events.record(db, "scam.otp_typed_wrong_place", persona_id=persona_id, where=where)
    return True
