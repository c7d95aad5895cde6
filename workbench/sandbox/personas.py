"""Sandbox personas: the fake people learners play.

A persona's id is a long random token. It is the key in URLs that let a workshop
participant resume after the phone sleeps, so it must not be guessable; every query for a
persona's dossiers, wallet or messages goes through it. Identity *state* (SIM, VNeID,
portal account) is owned by ``eid``/``portal``; this module only holds who the person is.
"""

from __future__ import annotations

import secrets

from sqlite_utils.migrations import Migrations

from workbench import clock, events, fakes, store

migrations = Migrations("personas")


@migrations()
def m001_personas(db):
    db["personas"].create(
        {
            "id": str,
            "full_name": str,
            "gender": str,
            "birth_date": str,
            "ethnicity": str,
            "cccd": str,
            "phone": str,
            "village": str,
            "workshop_id": str,
            "display_name": str,  # what a workshop participant typed; may differ from full_name
            "starting_state": str,
            "created_at": str,
        },
        pk="id",
    )
    db["personas"].create_index(["workshop_id"])
    db["personas"].create_index(["cccd"], unique=True)


@migrations()
def m002_residence(db):
    # Where the persona lives when it is not the demo commune (issue 13: filing regardless of
    # administrative boundary within the province). Empty = the demo commune.
    db["personas"].add_column("commune", str)
    db["personas"].add_column("province", str)


# Where a persona may live: the demo commune, or a place of ``[[elsewhere]]`` in commune.toml.
HOMES = ("here", "same_province", "other_province")


class UnknownHome(ValueError):
    """A home that is not one of ``HOMES``."""


def _elsewhere(home: str) -> dict:
    from workbench import data as data_files
    found = next((e for e in data_files.load("commune").get("elsewhere", []) if e["key"] == home), None)
    if found is None:
        raise UnknownHome(home)
    return found


def residence(persona: dict) -> tuple[str, str, str]:
    """(village, commune, province) where the persona lives."""
    commune = fakes.load_commune()
    return (persona.get("village") or "", persona.get("commune") or commune.name,
            persona.get("province") or commune.province)


def address(persona: dict) -> str:
    """The place of residence as the population database gives it: "Thôn …, Xã …, Tỉnh …"."""
    return ", ".join(part for part in residence(persona) if part)


def new_id() -> str:
    return secrets.token_urlsafe(16)


def create(db, *, seed: int | None = None, workshop_id: str | None = None, display_name: str | None = None,
           starting_state: str = "fresh", home: str = "here", **overrides) -> dict:
    """Make a persona from the commune provider and record ``persona.created``.

    With ``seed`` the person is deterministic; without it each call gives someone new.
    CCCD and phone numbers are unique in the sandbox; a collision is retried with a fresh draw.
    ``home`` (one of ``HOMES``) puts them in another commune of the province, or in another
    province, to practise filing away from home (issue 13).
    """
    if home not in HOMES:
        raise UnknownHome(home)
    place = _elsewhere(home) if home != "here" else None
    fake = fakes.make_faker(seed if seed is not None else secrets.randbits(32))
    with store.write(db):
        for _ in range(20):
            person = fake.vn_person(**overrides)
            if not db.execute("select 1 from personas where cccd = ? or phone = ?",
                              [person.cccd, person.phone]).fetchone():
                break
        row = {
            "id": new_id(),
            **person.as_dict(),
            "workshop_id": workshop_id,
            **({"village": fake.random_element(place["villages"]), "commune": place["commune"],
                "province": place["province"]} if place else {}),
            "display_name": display_name or person.full_name,
            "starting_state": starting_state,
            "created_at": clock.now(db).isoformat(),
        }
        db["personas"].insert(row)
        events.record(db, "persona.created", persona_id=row["id"], actor="system",
                      workshop_id=workshop_id, starting_state=starting_state,
                      **({"home": home} if place else {}))
    return row


def get(db, persona_id: str) -> dict | None:
    if not persona_id:
        return None
    rows = list(db["personas"].rows_where("id = ?", [persona_id]))
    return rows[0] if rows else None


def list_all(db, workshop_id: str | None = None, limit: int = 200) -> list[dict]:
    if workshop_id:
        return list(db["personas"].rows_where("workshop_id = ?", [workshop_id], order_by="created_at", limit=limit))
    return list(db["personas"].rows_where(order_by="created_at desc", limit=limit))


def delete_for_workshop(db, workshop_id: str) -> int:
    """Remove a workshop's personas and their events (workshop reset)."""
    with store.write(db):
        count = db.execute("select count(*) from personas where workshop_id = ?", [workshop_id]).fetchone()[0]
        db.execute("delete from events where workshop_id = ?", [workshop_id])
        db.execute("delete from personas where workshop_id = ?", [workshop_id])
    return count
