"""Persona starting states and the documented fixed failure cases (sandbox_data/identity_scenarios.toml)."""

import pytest

from workbench import events, i18n
from workbench.sandbox import eid, otp, phone, portal, scenarios
from workbench.sandbox.phone import IdentityError

EXPECTED = {  # state: (SIM standardised, VNeID registration, level, portal account, VNeID installed)
    "fresh": (True, "none", 0, False, False),
    "sim_unverified": (False, "none", 0, False, False),
    "eid_level1": (True, "none", 1, False, True),
    "eid_approved": (True, "approved", 0, False, True),
    "ready": (True, "approved", 2, True, True),
    "old_portal_account": (True, "approved", 2, True, True),  # the account is the old portal-issued one
}


@pytest.mark.parametrize("state", scenarios.STATES)
def test_each_starting_state_sets_sim_vneid_and_portal(sandbox_db, state):
    person = scenarios.create(sandbox_db, state, seed=None)
    pid = person["id"]
    acc = eid.account(sandbox_db, pid)
    assert (phone.is_standardised(sandbox_db, pid), acc["registration"], acc["level"],
            portal.has_account(sandbox_db, pid), phone.is_installed(sandbox_db, pid, "vneid")) == EXPECTED[state]
    assert person["starting_state"] == state
    assert events.for_persona(sandbox_db, pid)[-1]["kind"] == "scenario.applied"
    assert scenarios.describe(state, "vi") and scenarios.describe(state, "en")


def test_ready_personas_share_the_documented_credentials(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=None)
    creds = scenarios.credentials()
    assert eid.login(sandbox_db, person["id"], person["cccd"], creds["vneid_password"]) == "ok"
    assert eid.verify_passcode(sandbox_db, person["id"], creds["passcode"])
    assert "portal_password" not in creds  # since 1/7/2024 the portal is entered with VNeID (issue 13)
    eid.reset_passcode(sandbox_db, person["id"], creds["security_answers"], "111111", "111111")


def test_approved_state_has_the_approval_sms_waiting(sandbox_db):
    pid = scenarios.create(sandbox_db, "eid_approved", seed=None)["id"]
    assert phone.unread_count(sandbox_db, pid) == 1
    assert "da duoc phe duyet" in phone.inbox(sandbox_db, pid)[0]["text"]


def test_an_unknown_state_is_a_clear_error(sandbox_db):
    with pytest.raises(IdentityError) as error:
        scenarios.create(sandbox_db, "level_3")
    assert error.value.key == "persona.error.unknown_state"
    assert i18n.has(error.value.key, "vi") and i18n.has(error.value.key, "en")


@pytest.mark.parametrize("case", scenarios.cases(), ids=lambda c: c["id"])
def test_every_documented_failure_case_gives_its_error(sandbox_db, case):
    assert scenarios.run_case(sandbox_db, case) == case["expect"]
    assert i18n.has(case["expect"], "vi") and i18n.has(case["expect"], "en")
    assert case["vi"] and case["en"] and case["state"] in scenarios.STATES


def test_the_always_wrong_code_is_never_sent(sandbox_db):
    pid = scenarios.create(sandbox_db, "fresh", seed=None)["id"]
    for _ in range(20):
        otp.issue(sandbox_db, pid, "eid_activation")
        assert otp.latest_code_for_tests(sandbox_db, pid, "eid_activation") != otp.ALWAYS_WRONG
