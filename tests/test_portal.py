"""The public-service portal account: log in with VNeID, self-registration by mobile subscriber, profile."""

import pytest

from workbench import events
from workbench.sandbox import eid, otp, phone, portal, scenarios
from workbench.sandbox.phone import IdentityError

PASSWORD = "Dichvucong@2024"


def new(db, state="fresh"):
    return scenarios.create(db, state, seed=None)


def refused(call, *args, **kwargs) -> IdentityError:
    with pytest.raises(IdentityError) as error:
        call(*args, **kwargs)
    return error.value


def details(person, **changes):
    born = "/".join(reversed(person["birth_date"].split("-")))
    values = {"cccd": person["cccd"], "full_name": person["full_name"], "birth_date": born,
              "phone_number": person["phone"], "email": ""}
    values.update(changes)
    return values


def last_event(db, pid):
    return events.for_persona(db, pid)[-1]


# --- self-registration ---------------------------------------------------------------------------

def test_self_registration_otp_then_password_makes_an_account(sandbox_db):
    person = new(sandbox_db)
    pid = person["id"]
    portal.start_registration(sandbox_db, pid, **details(person, email="an@example.com"))
    assert portal.registration_step(sandbox_db, pid) == "otp"
    assert phone.inbox(sandbox_db, pid)[0]["sender"] == "DVCQG"
    portal.confirm_registration_otp(sandbox_db, pid, otp.latest_code_for_tests(sandbox_db, pid, "portal_register"))
    portal.set_registration_password(sandbox_db, pid, PASSWORD, PASSWORD)
    account = portal.account(sandbox_db, pid)
    assert account["method"] == "sim" and account["email"] == "an@example.com"
    assert PASSWORD not in account["password_hash"]
    portal.login_with_password(sandbox_db, pid, person["cccd"], PASSWORD)
    assert [k for k in (e["kind"] for e in events.for_persona(sandbox_db, pid)) if k.startswith("portal.")] == [
        "portal.register_started", "portal.registered", "portal.login"]


def test_name_is_compared_without_case_or_extra_spaces_and_dates_may_be_iso(sandbox_db):
    person = new(sandbox_db)
    portal.start_registration(sandbox_db, person["id"], **details(
        person, full_name="  " + person["full_name"].upper() + " ", birth_date=person["birth_date"]))
    assert portal.registration_step(sandbox_db, person["id"]) == "otp"


@pytest.mark.parametrize("change,key", [
    ({"cccd": "1234"}, "portal.error.cccd_format"),
    ({"full_name": "  "}, "portal.error.name_empty"),
    ({"birth_date": "31/02/1990"}, "portal.error.birth_date"),
    ({"birth_date": ""}, "portal.error.birth_date"),
    ({"phone_number": "091234"}, "phone.error.length"),
    ({"email": "an@"}, "portal.error.email"),
    ({"birth_date": "01/01/1900"}, "portal.error.info_mismatch"),
    ({"full_name": "Người Khác"}, "portal.error.info_mismatch"),
    ({"cccd": "000000000000"}, "portal.error.info_mismatch"),
])
def test_each_wrong_detail_says_what_to_fix_and_is_recorded(sandbox_db, change, key):
    person = new(sandbox_db)
    assert refused(portal.start_registration, sandbox_db, person["id"], **details(person, **change)).key == key
    assert last_event(sandbox_db, person["id"])["kind"] == "portal.register_refused"
    assert portal.registration_step(sandbox_db, person["id"]) is None


def test_the_form_check_alone_finds_format_problems_but_not_mismatches(sandbox_db):
    person = new(sandbox_db)
    values = {"cccd": person["cccd"], "full_name": "X", "birth_date": "01/01/1900", "phone": person["phone"]}
    assert portal.registration_details_problem(sandbox_db, person["id"], values) is None
    values["birth_date"] = "1/13/1990"
    assert portal.registration_details_problem(sandbox_db, person["id"], values).key == "portal.error.birth_date"


def test_a_sim_not_in_the_persona_name_is_refused_until_standardised(sandbox_db):
    person = new(sandbox_db, "sim_unverified")
    pid = person["id"]
    assert refused(portal.start_registration, sandbox_db, pid, **details(person)).key == "portal.error.sim_not_standardised"
    assert last_event(sandbox_db, pid)["payload"]["reason"] == "sim_not_standardised"
    phone.send_sms(sandbox_db, pid, "1414", "tttb")
    assert "chua chinh xac" in phone.inbox(sandbox_db, pid)[0]["text"]
    phone.standardise_sim(sandbox_db, pid)
    portal.start_registration(sandbox_db, pid, **details(person))
    assert portal.registration_step(sandbox_db, pid) == "otp"


def test_an_existing_account_cannot_register_again(sandbox_db):
    person = new(sandbox_db, "ready")
    assert refused(portal.start_registration, sandbox_db, person["id"], **details(person)).key == \
        "portal.error.already_registered"


def test_registration_steps_out_of_order_are_refused(sandbox_db):
    pid = new(sandbox_db)["id"]
    assert refused(portal.confirm_registration_otp, sandbox_db, pid, "123456").key == "portal.error.wrong_step"
    assert refused(portal.resend_registration_otp, sandbox_db, pid).key == "portal.error.wrong_step"
    assert refused(portal.set_registration_password, sandbox_db, pid, PASSWORD, PASSWORD).key == "portal.error.wrong_step"


def test_wrong_otp_then_resend_then_weak_passwords_then_a_good_one(sandbox_db):
    person = new(sandbox_db)
    pid = person["id"]
    portal.start_registration(sandbox_db, pid, **details(person))
    assert refused(portal.confirm_registration_otp, sandbox_db, pid, "000000").key == "phone.otp.wrong"
    portal.resend_registration_otp(sandbox_db, pid)
    portal.confirm_registration_otp(sandbox_db, pid, otp.latest_code_for_tests(sandbox_db, pid, "portal_register"))
    for weak, rule in (("Ab@1", "password_length"), ("matkhau@1", "password_upper"), ("Matkhau12", "password_special")):
        assert refused(portal.set_registration_password, sandbox_db, pid, weak, weak).key == f"portal.error.{rule}"
        assert last_event(sandbox_db, pid)["payload"] == {"rule": rule}
    assert refused(portal.set_registration_password, sandbox_db, pid, PASSWORD, "x").key == "portal.error.password_confirm"
    portal.set_registration_password(sandbox_db, pid, PASSWORD, PASSWORD)
    assert portal.has_account(sandbox_db, pid)


def test_password_login_refuses_wrong_details(sandbox_db):
    person = new(sandbox_db, "ready")
    pid = person["id"]
    assert refused(portal.login_with_password, sandbox_db, pid, person["cccd"], "Sai@1234").key == "portal.error.login_failed"
    assert last_event(sandbox_db, pid)["kind"] == "portal.login_failed"
    fresh = new(sandbox_db)
    assert refused(portal.login_with_password, sandbox_db, fresh["id"], fresh["cccd"], PASSWORD).key == \
        "portal.error.login_failed"


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


def test_a_registration_left_waiting_while_vneid_made_the_account_ends_with_a_message(sandbox_db):
    """Found by the identity state machine: the registration's last step inserted a second account
    (a database error on the page) when a VNeID login had made one meanwhile."""
    person = scenarios.create(sandbox_db, "ready", seed=21)
    pid = person["id"]
    sandbox_db.execute("delete from portal_accounts where persona_id = ?", [pid])
    sandbox_db.execute("insert or replace into portal_registrations (persona_id, step, email) values (?, 'password', '')",
                       [pid])
    sandbox_db["portal_accounts"].insert({"persona_id": pid, "method": "vneid", "password_hash": None, "email": "",
                                          "created_at": "2026-12-01T08:00:00"})
    with pytest.raises(IdentityError) as refused:
        portal.set_registration_password(sandbox_db, pid, "Dichvucong@2024", "Dichvucong@2024")
    assert refused.value.key == "portal.error.already_registered"
    assert sandbox_db.execute("select count(*) from portal_accounts where persona_id = ?", [pid]).fetchone()[0] == 1
    assert portal.registration_step(sandbox_db, pid) == "done"
