"""The simulated phone every sandbox persona carries: SMS inbox, SIM card, installed apps.

Nothing here ever leaves the app (DESIGN.md, principle 1): an "SMS" is a row in ``sms``,
"installing" an app is a row in ``phone_apps``. The SIM card lives here too because the
portal's old self-registration route fails, as the real one does, when the SIM is not
registered in the persona's own name ("chưa chuẩn hóa thuê bao", issue 3); the remedy
(text TTTB to 1414, then standardise at the operator) is simulated by ``check_sim`` and
``standardise_sim``. Every SMS body is a ``phone.sms_text.*`` string of the Vietnamese locale,
unaccented like the operator's real messages, so a trainer can correct one without Python.
"""

from __future__ import annotations

import unicodedata

from sqlite_utils.migrations import Migrations

from workbench import clock, events, i18n, store
from workbench.errors import Refusal
from workbench.sandbox import personas

migrations = Migrations("phone")

# App ids a phone can have installed. Other modules (payments: bank, wallet) use these ids.
APPS = ("vneid", "health_book", "bank", "wallet")

SENDER_1414 = "1414"

EVENT_KINDS = {
    "sim.checked": "the persona texted TTTB to 1414 and read who the SIM is registered to",
    "sim.standardised": "the persona standardised the SIM at the operator (now in their own name)",
    "phone.app_installed": "an app was installed on the simulated phone (payload: app)",
    "sms.read": "the persona read new messages on the simulated phone (payload: count)",
    "sms.sent": "the persona sent an SMS from the simulated phone (payload: to, valid)",
}


class IdentityError(Refusal):
    """A refused identity action (persona, phone, OTP, VNeID, portal)."""


class UnknownPersona(IdentityError):
    pass


@migrations()
def m001_phone(db):
    db["sms"].create(
        {"id": int, "persona_id": str, "sender": str, "text": str, "at": str, "read": int},
        pk="id",
        defaults={"read": 0},
    )
    db["sms"].create_index(["persona_id", "id"])
    db["phone_apps"].create({"persona_id": str, "app": str, "installed_at": str}, pk=("persona_id", "app"))
    db["sims"].create(
        {
            "persona_id": str,
            "phone": str,
            "owner_name": str,  # the name the operator has on file for this SIM
            "standardised": int,  # 1 when the operator's record matches the persona
            "checked": int,  # 1 once the persona texted TTTB to 1414
            "updated_at": str,
        },
        pk="persona_id",
    )


def persona_or_raise(db, persona_id: str) -> dict:
    persona = personas.get(db, persona_id)
    if persona is None:
        raise UnknownPersona("phone.error.unknown_persona")
    return persona


# --- SMS ------------------------------------------------------------------------------

def receive_sms(db, persona_id: str, sender: str, text: str) -> int:
    """Put one message in the persona's inbox (unread) and return its id."""
    with store.write(db):
        cursor = db.execute(
            "insert into sms (persona_id, sender, text, at, read) values (?, ?, ?, ?, 0)",
            [persona_id, sender, text, clock.now(db).isoformat()],
        )
        return cursor.lastrowid


def inbox(db, persona_id: str) -> list[dict]:
    """Messages, newest first."""
    return list(db["sms"].rows_where("persona_id = ?", [persona_id], order_by="id desc"))


def get_sms(db, sms_id: int) -> dict | None:
    rows = list(db["sms"].rows_where("id = ?", [sms_id]))
    return rows[0] if rows else None


def unread_count(db, persona_id: str) -> int:
    return db.execute("select count(*) from sms where persona_id = ? and read = 0", [persona_id]).fetchone()[0]


def mark_read(db, persona_id: str, sms_id: int | None = None) -> None:
    """Mark one message (or, without ``sms_id``, every message) as read."""
    with store.write(db):
        if sms_id is None:
            cursor = db.execute("update sms set read = 1 where persona_id = ? and read = 0", [persona_id])
        else:
            cursor = db.execute("update sms set read = 1 where persona_id = ? and id = ? and read = 0",
                                [persona_id, sms_id])
        if cursor.rowcount:
            events.record(db, "sms.read", persona_id=persona_id, count=cursor.rowcount)


# --- apps -----------------------------------------------------------------------------

def installed_apps(db, persona_id: str) -> list[str]:
    """App ids installed on the persona's phone, in the order they were installed."""
    return [r["app"] for r in db["phone_apps"].rows_where("persona_id = ?", [persona_id], order_by="installed_at, rowid")]


def is_installed(db, persona_id: str, app: str) -> bool:
    return app in installed_apps(db, persona_id)


def install_app(db, persona_id: str, app: str) -> None:
    if app not in APPS:
        raise IdentityError("phone.error.unknown_app", app=app)
    with store.write(db):
        persona_or_raise(db, persona_id)
        if is_installed(db, persona_id, app):
            return
        db["phone_apps"].insert({"persona_id": persona_id, "app": app, "installed_at": clock.now(db).isoformat()})
        events.record(db, "phone.app_installed", persona_id=persona_id, app=app)


# --- SIM ------------------------------------------------------------------------------

def sim(db, persona_id: str) -> dict:
    """The persona's SIM record. A persona nobody set up has a SIM in their own name, unchecked."""
    row = next(iter(db["sims"].rows_where("persona_id = ?", [persona_id])), None)
    if row:
        return row
    persona = persona_or_raise(db, persona_id)
    return {"persona_id": persona_id, "phone": persona["phone"], "owner_name": persona["full_name"],
            "standardised": 1, "checked": 0, "updated_at": None}


def set_sim(db, persona_id: str, **fields) -> dict:
    with store.write(db):
        row = {**sim(db, persona_id), **fields, "updated_at": clock.now(db).isoformat()}
        db["sims"].upsert(row, pk="persona_id")
    return row


def is_standardised(db, persona_id: str) -> bool:
    return bool(sim(db, persona_id)["standardised"])


def _ascii(text: str) -> str:
    """Operator SMS are sent without diacritics, like the real ones."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def tttb_reply(db, persona_id: str) -> str:
    persona = persona_or_raise(db, persona_id)
    card = sim(db, persona_id)
    owner = _ascii(card["owner_name"]).upper()
    if card["standardised"]:
        return i18n.t("phone.sms_text.tttb_standardised", "vi", phone=card["phone"], owner=owner,
                      birth_date=_date_vn(persona["birth_date"]), cccd=persona["cccd"])
    return i18n.t("phone.sms_text.tttb_not_standardised", "vi", phone=card["phone"], owner=owner)


def _date_vn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def check_sim(db, persona_id: str) -> int:
    """Text TTTB to 1414: the operator replies with who the SIM is registered to."""
    with store.write(db):
        card = sim(db, persona_id)
        set_sim(db, persona_id, checked=1)
        sms_id = receive_sms(db, persona_id, SENDER_1414, tttb_reply(db, persona_id))
        events.record(db, "sim.checked", persona_id=persona_id, standardised=bool(card["standardised"]))
    return sms_id


def standardise_sim(db, persona_id: str) -> None:
    """At the operator's shop with the chip CCCD: the SIM is now registered in the persona's name."""
    with store.write(db):
        persona = persona_or_raise(db, persona_id)
        set_sim(db, persona_id, owner_name=persona["full_name"], standardised=1, checked=1)
        receive_sms(db, persona_id, SENDER_1414, i18n.t("phone.sms_text.sim_standardised", "vi", phone=persona["phone"]))
        events.record(db, "sim.standardised", persona_id=persona_id)


def send_sms(db, persona_id: str, to: str, text: str) -> int:
    """Send an SMS from the simulated phone. Only the operator's 1414 answers (TTTB checks the SIM);
    any other number is refused: the sandbox never sends a message out. Returns the reply's id."""
    persona_or_raise(db, persona_id)
    to = "".join((to or "").split())
    body = " ".join((text or "").split()).upper()
    if to != SENDER_1414:
        events.record(db, "sms.sent", persona_id=persona_id, to=to, valid=False)
        raise IdentityError("phone.error.sms_only_1414")
    if body != "TTTB":
        with store.write(db):
            events.record(db, "sms.sent", persona_id=persona_id, to=to, valid=False)
            return receive_sms(db, persona_id, SENDER_1414, i18n.t("phone.sms_text.tttb_syntax", "vi"))
    with store.write(db):
        events.record(db, "sms.sent", persona_id=persona_id, to=to, valid=True)
        return check_sim(db, persona_id)
