"""Sổ sức khỏe điện tử: a tiny e-health-book app on the simulated phone.

One of the five things a "công dân số tiêu biểu" uses (DESIGN.md). Logging in needs VNeID
level 2 (a level-1 account gets the upgrade prompt) and the 6-digit passcode; the record
shown is fake and derived from the persona, so it is the same on every visit.
"""

from __future__ import annotations

import hashlib

from sqlite_utils.migrations import Migrations

from workbench import clock, events, store
from workbench.sandbox import eid, phone

migrations = Migrations("health_book")

EVENT_KINDS = {
    "health_book.activated": "the persona logged in to the e-health book with VNeID level 2",
    "health_book.login_failed": "e-health-book log-in refused (payload: reason)",
}

BLOOD_TYPES = ("O", "A", "B", "AB")
VACCINES = ("bcg", "hep_b", "measles", "covid19", "tetanus")  # names in locales: phone.health.vaccine.<id>


@migrations()
def m001_health_book(db):
    db["health_books"].create({"persona_id": str, "activated_at": str}, pk="persona_id")


def is_activated(db, persona_id: str) -> bool:
    if not db["health_books"].exists():
        return False
    return db.execute("select 1 from health_books where persona_id = ?", [persona_id]).fetchone() is not None


def activate(db, persona_id: str, passcode: str) -> None:
    """Log in with VNeID: level 2 and the passcode. The first success activates the book."""
    eid.require_level2(db, persona_id, "health_book")
    if not eid.verify_passcode(db, persona_id, passcode):
        events.record(db, "health_book.login_failed", persona_id=persona_id, reason="passcode_wrong")
        raise eid.EidError("eid.error.passcode_wrong")
    with store.write(db):
        if not is_activated(db, persona_id):
            db["health_books"].insert({"persona_id": persona_id, "activated_at": clock.now(db).isoformat()})
            phone.install_app(db, persona_id, "health_book")
            events.record(db, "health_book.activated", persona_id=persona_id)


def record(db, persona_id: str) -> dict:
    """The persona's (fake) health record."""
    persona = phone.persona_or_raise(db, persona_id)
    digest = hashlib.sha256(persona["cccd"].encode()).digest()
    return {
        "full_name": persona["full_name"],
        "birth_date": persona["birth_date"],
        "insurance_number": "GD400" + persona["cccd"][-10:],
        "blood_type": BLOOD_TYPES[digest[0] % 4],
        "vaccines": [v for i, v in enumerate(VACCINES) if digest[1 + i] % 3],
    }
