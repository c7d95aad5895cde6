"""Every secret a persona needs is listed, from one place, and works where it is asked for
(issue 14: the wallet's passcode was never shown to the learner, and the wallet locks after
three wrong tries)."""

import pytest

from tests.pages.apptest import page, text
from workbench import i18n
from workbench.sandbox import eid, persona_secrets, personas, scenarios
from workbench.sandbox.payments import desk_qr, gateway, providers, wallet


def listed(db, persona_id) -> dict:
    return {s["id"]: s for s in persona_secrets.secrets_of(db, persona_id)}


@pytest.mark.parametrize("state", scenarios.STATES)
def test_every_secret_a_flow_asks_for_is_listed_for_every_starting_state(sandbox_db, state):
    persona = scenarios.create(sandbox_db, state, seed=31)
    secrets = listed(sandbox_db, persona["id"])
    assert set(secrets) == set(persona_secrets.SECRET_IDS)
    for secret in secrets.values():  # each says what to type or where it comes from
        assert secret["how"] in ("set", "choose_vneid", "choose_wallet", "chosen", "portal_via_vneid", "sms")
        assert secret["value"] or secret["how"] in ("chosen", "portal_via_vneid", "sms")
    for lang in ("vi", "en"):
        for label, shown in persona_secrets.lines(list(secrets.values()), lang):
            assert label and shown and "{" not in label + shown
            assert not label.startswith("persona.secrets")


def test_the_listed_secrets_of_a_ready_persona_open_vneid_and_pay_from_the_wallet(sandbox_db):
    persona = scenarios.create(sandbox_db, "ready", seed=32)
    pid = persona["id"]
    secrets = listed(sandbox_db, pid)
    assert all(secrets[s]["how"] == "set" for s in ("vneid_password", "vneid_passcode", "wallet_passcode"))
    eid.login(sandbox_db, pid, persona["cccd"], secrets["vneid_password"]["value"])
    assert eid.verify_passcode(sandbox_db, pid, secrets["vneid_passcode"]["value"])
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí")
    paid = gateway.pay(sandbox_db, pid, desk_qr.request_payable(request), provider_id="chim_en",
                       passcode=secrets["wallet_passcode"]["value"], attempt_key=gateway.new_attempt_key())
    assert paid["status"] == "succeeded"
    assert secrets["bank_otp"]["how"] == "sms"
    assert any(p.get("authorise") == "otp" for p in providers.providers())  # a flow that asks for it


@pytest.mark.parametrize("state", [s for s in scenarios.STATES if s != "fresh"])
def test_the_listed_wallet_passcode_works_in_every_scenario_state(sandbox_db, state):
    pid = scenarios.create(sandbox_db, state, seed=33)["id"]
    wallet.verify_passcode(sandbox_db, pid, listed(sandbox_db, pid)["wallet_passcode"]["value"])


def test_a_persona_made_by_scanning_a_qr_is_told_its_wallet_passcode(sandbox_db):
    pid = wallet.new_practice_persona(sandbox_db)["id"]
    wallet.verify_passcode(sandbox_db, pid, listed(sandbox_db, pid)["wallet_passcode"]["value"])


def test_a_fresh_persona_is_told_to_choose_then_told_which_it_chose(sandbox_db):
    pid = personas.create(sandbox_db, seed=34)["id"]
    secret = listed(sandbox_db, pid)["wallet_passcode"]
    assert secret["how"] == "choose_wallet"
    wallet.set_passcode(sandbox_db, pid, secret["value"], secret["value"])  # the suggestion is a valid passcode
    assert listed(sandbox_db, pid)["wallet_passcode"] == {**secret, "how": "set"}
    wallet.set_passcode(sandbox_db, pid, "390271", "390271")
    assert listed(sandbox_db, pid)["wallet_passcode"] == {"id": "wallet_passcode", "value": None, "how": "chosen"}


def test_the_card_and_the_trainers_boxes_show_the_same_secrets(sandbox_db):
    ready = scenarios.create(sandbox_db, "ready", seed=35)
    wallet.ensure_accounts(sandbox_db, ready["id"])
    values = [s["value"] for s in persona_secrets.secrets_of(sandbox_db, ready["id"]) if s["value"]]
    assert values == [s["value"] for s in persona_secrets.secrets_for_state("ready") if s["value"]]
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí")
    for name, query in (("sandbox/wallet.py", {}), ("sandbox/pay.py", {"t": request["token"]}),
                        ("sandbox/personas.py", {})):
        app = page(name, ready["id"], query=query)
        shown = text(app) + "\n".join(e.label for e in app.expander)
        assert i18n.t("persona.secrets.title", "vi") in shown, name
        assert all(value in shown for value in values), name
