"""Every secret a sandbox persona needs, from one place (issue 14).

The wallet's help said "the password you made when you opened the wallet", but a persona made
in a starting state never opened one, the trainer's box listed the VNeID secrets and not the
wallet's, and the wallet locks after three wrong tries. The persona's card, the lesson's
practice card, the trainer's boxes and the pay pages all list ``secrets_of`` (or, for a
persona not made yet, ``secrets_for_state``), so they cannot disagree.

A secret is ``{"id", "value", "how"}``. ``how`` says where it comes from (the locale key
``persona.secrets.how.<how>``): "set" (the sandbox set ``value``: type it), "choose_vneid" /
"choose_wallet" (the learner sets it on the way; ``value`` is the suggested practice value),
"chosen" (the learner chose their own: no value), "portal_via_vneid", "sms" (no value).
"""

from __future__ import annotations

from workbench import i18n, passwords
from workbench.sandbox import eid, personas, scenarios
from workbench.sandbox.payments import ledger, providers, scenario_settings

# In the order a learner meets them: VNeID, the portal (through VNeID), the wallet, the bank.
SECRET_IDS = ("vneid_password", "vneid_passcode", "security_answers", "portal", "wallet_passcode", "bank_otp")
EID_DONE = ("ready", "old_portal_account")  # VNeID level 2 activated with the documented secrets


def documented() -> dict:
    """The practice values the sandbox sets, said aloud by trainers."""
    creds = scenarios.credentials()
    return {"vneid_password": creds["vneid_password"], "vneid_passcode": creds["passcode"],
            "security_answers": " / ".join(creds["security_answers"].values()),
            "wallet_passcode": scenario_settings.scenario_defaults()["scenario_passcode"]}


def _secret(secret_id: str, value: str | None, how: str) -> dict:
    return {"id": secret_id, "value": value, "how": how}


def secrets_for_state(state: str) -> list[dict]:
    """What a persona made in ``state`` (``scenarios.STATES``) will need, before it exists."""
    known = documented()
    has_password = state in EID_DONE or state == "eid_level1"
    return [
        _secret("vneid_password", known["vneid_password"], "set" if has_password else "choose_vneid"),
        _secret("vneid_passcode", known["vneid_passcode"], "set" if state in EID_DONE else "choose_vneid"),
        _secret("security_answers", known["security_answers"], "set" if state in EID_DONE else "choose_vneid"),
        _secret("portal", None, "portal_via_vneid"),
        _secret("wallet_passcode", known["wallet_passcode"], "set" if state != "fresh" else "choose_wallet"),
        *([_secret("bank_otp", None, "sms")] if any(p.get("authorise") == "otp" for p in providers.providers())
          else []),
    ]


def _stored(value: str, stored_hash: str | None, planned: dict) -> dict:
    """A secret as stored now: the documented value, one the learner chose, or not set yet."""
    if not stored_hash:
        return planned
    if passwords.check_secret(value, stored_hash):
        return {**planned, "value": value, "how": "set"}
    return {**planned, "value": None, "how": "chosen"}


def secrets_of(db, persona_id: str) -> list[dict]:
    """Every secret this persona needs now, read from what is stored (a learner who chose their
    own wallet passcode is told so, not given a value that would fail)."""
    state = (personas.get(db, persona_id) or {}).get("starting_state") or "fresh"
    planned = {s["id"]: s for s in secrets_for_state(state)}
    known = documented()
    account = eid.account(db, persona_id)
    wallet = ledger.account(db, ledger.wallet_id(persona_id))
    stored = {"vneid_password": account.get("password_hash"), "vneid_passcode": account.get("passcode_hash"),
              "wallet_passcode": (wallet or {}).get("passcode_hash")}
    result = []
    for secret_id, secret in planned.items():
        if stored.get(secret_id):  # not stored yet: the plan (the scenario's value, or "choose")
            secret = _stored(known[secret_id], stored[secret_id], secret)
        if secret_id == "security_answers" and account.get("security") and state not in EID_DONE:
            secret = {**secret, "value": None, "how": "chosen"}
        result.append(secret)
    return result


def lines(secrets: list[dict], lang: str = "vi", *, bold: bool = True) -> list[tuple[str, str]]:
    """Each secret as (label, what to type or where it comes from), in ``lang``: the one
    wording of the card, the trainer's boxes and the printed handouts. ``bold=False`` for PDF."""
    mark = "**" if bold else ""
    return [(i18n.t(f"persona.secrets.label.{s['id']}", lang),
             i18n.t(f"persona.secrets.how.{s['how']}", lang, value=f"{mark}{s['value']}{mark}" if s["value"] else ""))
            for s in secrets]
