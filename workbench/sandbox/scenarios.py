"""Persona starting states and Stripe-style fixed failure cases (sandbox_data/identity_scenarios.toml).

``apply(db, persona_id, state)`` puts a persona at a point of the identity journeys so a
trainer can start a lesson anywhere; ``run_case`` replays one documented failure case and
returns the error key it gave (the tests replay every case, so the document cannot drift).
"""

from __future__ import annotations

import datetime as dt
import json

from workbench import clock, data as data_files, events, fakes, passwords, store
from workbench.sandbox import eid, otp, personas, phone, portal

STATES = ["fresh", "sim_unverified", "eid_level1", "eid_approved", "ready", "old_portal_account"]

# When the "old_portal_account" persona registered with the portal (by phone number): before
# the portal's own accounts ended on 30/6/2024 (rule portal.login).
OLD_ACCOUNT_CREATED = "2023-05-10T09:00:00"

EVENT_KINDS = {"scenario.applied": "a persona was put in a starting state (payload: state)"}


class UnknownState(phone.IdentityError):
    pass


def data() -> dict:
    return data_files.load("identity_scenarios")


def credentials() -> dict:
    return data()["credentials"]


def describe(state: str, lang: str = "vi") -> str:
    return data()["states"][state]["vi" if lang == "vi" else "en"]


def cases() -> list[dict]:
    return list(data()["cases"])


def apply(db, persona_id: str, state: str) -> None:
    """Set the persona's SIM, VNeID and portal account to ``state`` (one of ``STATES``)."""
    if state not in STATES:
        raise UnknownState("persona.error.unknown_state", state=state)
    creds = credentials()
    # Hashes first, outside the write lock (a workshop creates 40 personas at once).
    done = state in ("ready", "old_portal_account")  # VNeID level 2 activated in both
    hashes = {"vneid_password": passwords.hash_secret(creds["vneid_password"], passwords.SANDBOX),
              "passcode": passwords.hash_secret(creds["passcode"], passwords.SANDBOX)} if state == "eid_level1" or done else {}
    answers = [{"q": q, "a": passwords.hash_secret(eid._norm_answer(a), passwords.SANDBOX)}
               for q, a in creds["security_answers"].items()] if done else []
    with store.write(db):
        person = phone.persona_or_raise(db, persona_id)
        if state == "sim_unverified":
            other = fakes.make_faker(int.from_bytes(persona_id.encode()[:4], "big")).vn_full_name()
            phone.set_sim(db, persona_id, phone=person["phone"], owner_name=other, standardised=0, checked=0)
        else:
            phone.set_sim(db, persona_id, phone=person["phone"], owner_name=person["full_name"], standardised=1,
                          checked=1 if done else 0)
        if state in ("eid_level1", "eid_approved") or done:
            phone.install_app(db, persona_id, "vneid")
        if state == "eid_level1":
            eid._save(db, persona_id, level=1, password_hash=hashes["vneid_password"],
                      device_id=eid.DEFAULT_DEVICE)
        if (state == "eid_approved" or done) and eid.level(db, persona_id) < 2:
            eid.approve_registration(db, persona_id, actor="system")
        if done:
            eid._save(db, persona_id, level=2, step="done", channel="app",
                      password_hash=hashes["vneid_password"], passcode_hash=hashes["passcode"],
                      security=json.dumps(answers),
                      device_id=eid.DEFAULT_DEVICE, activated_at=clock.now(db).isoformat())
            if not portal.has_account(db, persona_id):
                # "ready" has logged in with VNeID before (which made the account); the
                # old-account persona registered by phone number in 2023. Neither has a portal
                # password: nothing typed on the portal's old form logs in today (issue 13).
                old = state == "old_portal_account"
                db["portal_accounts"].insert({
                    "persona_id": persona_id, "method": "sim" if old else "vneid", "password_hash": None,
                    "email": "", "created_at": OLD_ACCOUNT_CREATED if old else clock.now(db).isoformat()})
        db.execute("update personas set starting_state = ? where id = ?", [state, persona_id])
        events.record(db, "scenario.applied", persona_id=persona_id, actor="system", state=state)


def create(db, state: str = "fresh", **kwargs) -> dict:
    """Make a persona and put it in ``state`` in one step."""
    if state not in STATES:
        raise UnknownState("persona.error.unknown_state", state=state)
    with store.write(db):
        person = personas.create(db, starting_state=state, **kwargs)
        apply(db, person["id"], state)
    return personas.get(db, person["id"])


# --- fixed failure cases ---------------------------------------------------------------------

def _own(value, own):
    return own if value in (None, "own") else value


def run_case(db, case: dict | str) -> str | None:
    """Replay one documented case on a new persona; return the error key it gave (None if none)."""
    if isinstance(case, str):
        case = next(c for c in cases() if c["id"] == case)
    person = create(db, case["state"], seed=None)
    pid = person["id"]
    try:
        action = case["action"]
        if action == "portal_old_login":
            portal.login_with_old_account(db, pid, _own(case.get("cccd"), person["cccd"]), case.get("password", ""))
            return None
        if action == "portal_vneid_login":
            portal.request_vneid_login(db, pid)
            return None
        eid.start_activation(db, pid, _own(case.get("cccd"), person["cccd"]), _own(case.get("phone"), person["phone"]))
        if action == "activate":
            return None
        if action == "activate_otp":
            if case.get("advance_minutes"):
                sent = otp.latest_code_for_tests(db, pid, "eid_activation")
                clock.advance(db, dt.timedelta(minutes=case["advance_minutes"]))
            else:
                sent = otp.latest_code_for_tests(db, pid, "eid_activation")
            last = None
            for code in case["codes"]:  # every try counts: keep typing after a wrong code
                try:
                    eid.confirm_activation_otp(db, pid, sent if code == "sent" else code)
                except phone.IdentityError as error:
                    last = error.key
            return last
        eid.confirm_activation_otp(db, pid, otp.latest_code_for_tests(db, pid, "eid_activation"))
        if action == "activate_password":
            eid.set_password(db, pid, case["password"], case["password"])
            return None
        eid.set_password(db, pid, credentials()["vneid_password"], credentials()["vneid_password"])
        if action == "activate_passcode":
            eid.set_passcode(db, pid, case["passcode"], case["confirm"])
            return None
        raise ValueError(f"unknown action {action!r}")
    except phone.IdentityError as error:
        return error.key
    finally:
        if case.get("advance_minutes"):
            clock.reset(db)
