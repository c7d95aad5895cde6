"""The public-service portal account: log in with VNeID, profile. (No self-registration since
1/7/2024: tests/test_portal_vneid_only.py.)"""

import pytest

from workbench import events
from workbench.sandbox import eid, otp, portal, scenarios
from workbench.sandbox.phone import IdentityError

def new(db, state="fresh"):
    return scenarios.create(db, state, seed=None)


def refused(call, *args, **kwargs) -> IdentityError:
    with pytest.raises(IdentityError) as error:
        call(*args, **kwargs)
    return error.value


def last_event(db, pid):
    return events.for_persona(db, pid)[-1]


# --- log in with VNeID ----------------------------------------------------------------------------

def test_vneid_login_waits_for_the_phone_then_makes_the_account_on_first_use(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    pid = person["id"]
    eid.start_activation(sandbox_db, pid, person["cccd"], person["phone"])
    eid.confirm_activation_otp(sandbox_db, pid, otp.latest_code_for_tests(sandbox_db, pid, "eid_activation"))
    eid.set_password(sandbox_db, pid, "Congdan@2024", "Congdan@2024")
    eid.set_passcode(sandbox_db, pid, "135790", "135790")
    eid.set_security_questions(sandbox_db, pid, {"q2": "Lan", "q3": "Phở"})
    request = portal.request_vneid_login(sandbox_db, pid, cccd=person["cccd"], password="Congdan@2024")
    assert portal.complete_vneid_login(sandbox_db, pid, request) is False
    eid.answer_request(sandbox_db, pid, request, "135790")
    assert portal.complete_vneid_login(sandbox_db, pid, request) is True
    assert portal.account(sandbox_db, pid)["method"] == "vneid"
    assert portal.account(sandbox_db, pid)["password_hash"] is None
    kinds = [e["kind"] for e in events.for_persona(sandbox_db, pid) if e["kind"].startswith("portal.")]
    assert kinds == ["portal.login_requested", "portal.login_confirmed", "portal.registered", "portal.login"]
    assert refused(portal.complete_vneid_login, sandbox_db, pid, request).key == "portal.error.vneid_refused"


def test_vneid_login_refusals(sandbox_db):
    ready = new(sandbox_db, "ready")
    pid = ready["id"]
    assert refused(portal.request_vneid_login, sandbox_db, pid, cccd="123", password="x").key == "portal.error.cccd_format"
    assert refused(portal.request_vneid_login, sandbox_db, pid, cccd=ready["cccd"],
                   password="Sai@12345").key == "portal.error.vneid_login_failed"
    request = portal.request_vneid_login(sandbox_db, pid)
    eid.answer_request(sandbox_db, pid, request, None, accept=False)
    assert refused(portal.complete_vneid_login, sandbox_db, pid, request).key == "portal.error.vneid_refused"
    level1 = new(sandbox_db, "eid_level1")
    assert refused(portal.request_vneid_login, sandbox_db, level1["id"], cccd=level1["cccd"],
                   password="Congdan@2024").key == "portal.error.vneid_level2"
    assert [e["kind"] for e in events.for_persona(sandbox_db, level1["id"])][-2:] == [
        "eid.upgrade_prompted", "portal.login_failed"]
    assert not portal.has_account(sandbox_db, level1["id"])


def test_profile_shows_sim_vneid_and_account(sandbox_db):
    assert portal.profile(sandbox_db, new(sandbox_db, "sim_unverified")["id"]) == {
        "sim_standardised": False, "sim_checked": False, "eid_level": 0, "eid_registration": "none",
        "portal_account": False, "portal_method": None, "health_book": False}
    ready = portal.profile(sandbox_db, new(sandbox_db, "ready")["id"])
    assert (ready["sim_standardised"], ready["eid_level"], ready["portal_account"]) == (True, 2, True)


def test_logout_is_recorded(sandbox_db):
    pid = new(sandbox_db, "ready")["id"]
    portal.logout(sandbox_db, pid)
    assert last_event(sandbox_db, pid)["kind"] == "portal.logout"
