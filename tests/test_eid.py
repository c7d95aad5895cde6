"""VNeID level 2: the registration and activation state machines, every transition and every refusal."""

import datetime as dt
import json

import pytest

from workbench import clock, events
from workbench.sandbox import eid, otp, phone, scenarios
from workbench.sandbox.phone import IdentityError

PASSWORD = "Congdan@2024"
ANSWERS = {"q1": "Kim Đồng", "q5": "Vàng"}


def new(db, state="fresh"):
    return scenarios.create(db, state, seed=None)


def kinds(db, pid, prefix=""):
    return [e["kind"] for e in events.for_persona(db, pid) if e["kind"].startswith(prefix)]


def refused(call, *args, **kwargs) -> IdentityError:
    with pytest.raises(IdentityError) as error:
        call(*args, **kwargs)
    return error.value


def to_step(db, person, step):
    """Walk an approved persona's activation up to ``step``."""
    pid = person["id"]
    eid.start_activation(db, pid, person["cccd"], person["phone"])
    if step == "otp":
        return
    eid.confirm_activation_otp(db, pid, otp.latest_code_for_tests(db, pid, "eid_activation"))
    if step == "password":
        return
    eid.set_password(db, pid, PASSWORD, PASSWORD)
    if step == "passcode":
        return
    eid.set_passcode(db, pid, "246810", "246810")


# --- registration at the commune police ---------------------------------------------------

def test_registration_goes_none_submitted_approved_and_approval_sends_the_real_sms(sandbox_db):
    person = new(sandbox_db)
    pid = person["id"]
    assert eid.account(sandbox_db, pid)["registration"] == "none"
    eid.submit_registration(sandbox_db, pid)
    assert eid.account(sandbox_db, pid)["registration"] == "submitted"
    assert eid.awaiting_approval(sandbox_db) == [pid]
    eid.approve_registration(sandbox_db, pid)
    assert eid.account(sandbox_db, pid)["registration"] == "approved"
    assert eid.awaiting_approval(sandbox_db) == []
    sms = phone.inbox(sandbox_db, pid)[0]
    assert sms["sender"] == eid.SMS_SENDER
    assert sms["text"].startswith("Cuc Canh sat QLHC ve TTXH thong bao: Ho so dang ky tai khoan dinh danh dien tu")
    assert phone._ascii(person["full_name"]).upper() in sms["text"] and "https://vneid.gov.vn" in sms["text"]
    assert kinds(sandbox_db, pid, "eid.") == ["eid.registration_submitted", "eid.registration_approved"]
    assert eid.level(sandbox_db, pid) == 0  # approval alone is not level 2


def test_a_second_registration_is_refused_while_one_is_waiting(sandbox_db):
    pid = new(sandbox_db)["id"]
    eid.submit_registration(sandbox_db, pid)
    assert refused(eid.submit_registration, sandbox_db, pid).key == "eid.error.already_submitted"


def test_the_desk_can_approve_in_one_step_and_approving_twice_sends_one_sms(sandbox_db):
    pid = new(sandbox_db)["id"]
    eid.approve_registration(sandbox_db, pid)
    eid.approve_registration(sandbox_db, pid)
    assert len(phone.inbox(sandbox_db, pid)) == 1
    assert kinds(sandbox_db, pid, "eid.") == ["eid.registration_submitted", "eid.registration_approved"]


def test_an_active_account_cannot_be_registered_again(sandbox_db):
    pid = new(sandbox_db, "ready")["id"]
    assert refused(eid.submit_registration, sandbox_db, pid).key == "eid.error.already_active"
    assert refused(eid.approve_registration, sandbox_db, pid).key == "eid.error.already_active"
    assert "eid.already_active" in kinds(sandbox_db, pid)


# --- activation -----------------------------------------------------------------------------

def test_full_activation_reaches_level_2_with_every_step_recorded(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    pid = person["id"]
    to_step(sandbox_db, person, "security")
    eid.set_security_questions(sandbox_db, pid, ANSWERS)
    acc = eid.account(sandbox_db, pid)
    assert (acc["level"], acc["step"], acc["device_id"]) == (2, "done", eid.DEFAULT_DEVICE)
    assert phone.is_installed(sandbox_db, pid, "vneid")
    assert [k for k in kinds(sandbox_db, pid, "eid.") if k != "eid.registration_submitted"][-5:] == [
        "eid.activation_started", "eid.password_set", "eid.passcode_set", "eid.security_questions_set",
        "eid.activated"]
    assert eid.login(sandbox_db, pid, person["cccd"], PASSWORD) == "ok"


def test_the_otp_comes_by_sms_and_the_step_after_it_depends_on_an_existing_password(sandbox_db):
    fresh = new(sandbox_db, "eid_approved")
    to_step(sandbox_db, fresh, "otp")
    assert phone.inbox(sandbox_db, fresh["id"])[0]["sender"] == "VNeID"
    code = otp.latest_code_for_tests(sandbox_db, fresh["id"], "eid_activation")
    assert eid.confirm_activation_otp(sandbox_db, fresh["id"], code) == "password"

    level1 = new(sandbox_db, "eid_level1")
    eid.approve_registration(sandbox_db, level1["id"])
    eid.start_activation(sandbox_db, level1["id"], level1["cccd"], level1["phone"])
    code = otp.latest_code_for_tests(sandbox_db, level1["id"], "eid_activation")
    assert eid.confirm_activation_otp(sandbox_db, level1["id"], code) == "passcode"


@pytest.mark.parametrize("cccd", ["00012345678", "0001234567890", "00012345678a", ""])
def test_cccd_that_is_not_12_digits_is_refused_and_recorded(sandbox_db, cccd):
    person = new(sandbox_db, "eid_approved")
    error = refused(eid.start_activation, sandbox_db, person["id"], cccd, person["phone"])
    assert error.key == "eid.error.cccd_format"
    assert kinds(sandbox_db, person["id"])[-1] == "eid.cccd_invalid"


def test_cccd_typed_with_spaces_is_accepted(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    spaced = " ".join(person["cccd"][i:i + 4] for i in (0, 4, 8))
    eid.start_activation(sandbox_db, person["id"], spaced, person["phone"])
    assert eid.step(sandbox_db, person["id"]) == "otp"


def test_a_phone_number_that_is_not_a_mobile_number_says_what_is_wrong(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    assert refused(eid.start_activation, sandbox_db, person["id"], person["cccd"], "12345").key == "phone.error.length"
    assert kinds(sandbox_db, person["id"])[-1] == "eid.cccd_invalid"


@pytest.mark.parametrize("wrong", [["cccd"], ["phone"], ["cccd", "phone"]])
def test_each_field_not_matching_the_approved_dossier_is_named_on_its_own(sandbox_db, wrong):
    """Issue 14: a wrong ID number was blamed on the phone number. Each wrong field gets its
    own message, naming that field, all at once."""
    person = new(sandbox_db, "eid_approved")
    other = new(sandbox_db)
    cccd = other["cccd"] if "cccd" in wrong else person["cccd"]
    number = other["phone"] if "phone" in wrong else person["phone"]
    error = refused(eid.start_activation, sandbox_db, person["id"], cccd, number)
    assert [key for key, _params in error.problems] == [f"eid.error.{field}_mismatch" for field in wrong]
    last = events.for_persona(sandbox_db, person["id"])[-1]
    assert last["kind"] == "eid.pair_mismatch" and last["payload"]["fields"] == wrong


def test_a_wrong_id_number_message_is_about_the_id_number_not_the_phone():
    from workbench import i18n
    for lang, field, phone_word in (("vi", "Số định danh cá nhân", "số điện thoại"),
                                    ("en", "personal ID number", "phone")):
        text = i18n.t("eid.error.cccd_mismatch", lang)
        assert field in text and phone_word not in text.lower()


def test_an_id_number_and_a_phone_both_in_the_wrong_form_are_both_named(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    error = refused(eid.start_activation, sandbox_db, person["id"], "12345", "12345")
    assert [key for key, _params in error.problems] == ["eid.error.cccd_format", "phone.error.length"]
    assert kinds(sandbox_db, person["id"])[-1] == "eid.cccd_invalid"


def test_activation_before_approval_is_refused(sandbox_db):
    person = new(sandbox_db)
    eid.submit_registration(sandbox_db, person["id"])
    assert refused(eid.start_activation, sandbox_db, person["id"], person["cccd"],
                   person["phone"]).key == "eid.error.not_approved"
    assert kinds(sandbox_db, person["id"])[-1] == "eid.activation_refused"


def test_an_active_account_says_it_was_already_activated(sandbox_db):
    person = new(sandbox_db, "ready")
    assert refused(eid.start_activation, sandbox_db, person["id"], person["cccd"],
                   person["phone"]).key == "eid.error.already_active"


@pytest.mark.parametrize("call,args", [
    (eid.confirm_activation_otp, ("123456",)),
    (eid.resend_activation_otp, ()),
    (eid.set_password, (PASSWORD, PASSWORD)),
    (eid.set_passcode, ("123456", "123456")),
    (eid.set_security_questions, (ANSWERS,)),
])
def test_a_step_out_of_order_is_refused(sandbox_db, call, args):
    pid = new(sandbox_db, "eid_approved")["id"]
    assert refused(call, sandbox_db, pid, *args).key == "eid.error.wrong_step"


def test_an_expired_otp_asks_for_a_new_one_and_the_new_one_works(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    to_step(sandbox_db, person, "otp")
    old = otp.latest_code_for_tests(sandbox_db, person["id"], "eid_activation")
    clock.advance(sandbox_db, dt.timedelta(minutes=6))
    assert refused(eid.confirm_activation_otp, sandbox_db, person["id"], old).key == "phone.otp.expired"
    eid.resend_activation_otp(sandbox_db, person["id"])
    eid.confirm_activation_otp(sandbox_db, person["id"], otp.latest_code_for_tests(sandbox_db, person["id"],
                                                                                    "eid_activation"))
    assert eid.step(sandbox_db, person["id"]) == "password"
    assert ["otp.expired", "otp.resent"] == [k for k in kinds(sandbox_db, person["id"], "otp.")
                                             if k in ("otp.expired", "otp.resent")]


@pytest.mark.parametrize("password,key", [
    ("Ab@1234", "eid.error.password_length"),
    ("Abcdefgh@12345678901", None),
    ("Abcdefgh@123456789012", "eid.error.password_length"),
    ("Matkhau@abc", "eid.error.password_digit"),
    ("matkhau@123", "eid.error.password_upper"),
    ("MATKHAU@123", "eid.error.password_lower"),
    ("Matkhau123", "eid.error.password_special"),
    ("Matkhau 123", "eid.error.password_special"),
])
def test_password_rules_name_the_rule_that_failed(sandbox_db, password, key):
    person = new(sandbox_db, "eid_approved")
    to_step(sandbox_db, person, "password")
    if key is None:
        eid.set_password(sandbox_db, person["id"], password, password)
        assert eid.step(sandbox_db, person["id"]) == "passcode"
        return
    assert refused(eid.set_password, sandbox_db, person["id"], password, password).key == key
    last = events.for_persona(sandbox_db, person["id"])[-1]
    assert last["kind"] == "eid.password_weak" and last["payload"]["rule"] == key.rsplit(".", 1)[1]


def test_every_broken_password_rule_is_reported_at_once(sandbox_db):
    """Issue 14: the rules came one at a time (fix one, send, meet the next)."""
    person = new(sandbox_db, "eid_approved")
    to_step(sandbox_db, person, "password")
    error = refused(eid.set_password, sandbox_db, person["id"], "abc", "abd")
    assert [key for key, _params in error.problems] == [
        "eid.error.password_length", "eid.error.password_digit", "eid.error.password_upper",
        "eid.error.password_special", "eid.error.password_confirm"]
    last = events.for_persona(sandbox_db, person["id"])[-1]
    assert last["payload"]["rules"] == ["password_length", "password_digit", "password_upper", "password_special",
                                        "password_confirm"]


def test_a_passcode_in_the_wrong_form_and_typed_differently_names_both(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    to_step(sandbox_db, person, "passcode")
    error = refused(eid.set_passcode, sandbox_db, person["id"], "12345", "54321")
    assert [key for key, _params in error.problems] == ["eid.error.passcode_format", "eid.error.passcode_mismatch"]


def test_password_typed_differently_twice_is_refused(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    to_step(sandbox_db, person, "password")
    assert refused(eid.set_password, sandbox_db, person["id"], PASSWORD, PASSWORD + "x").key == "eid.error.password_confirm"


@pytest.mark.parametrize("passcode,confirm,key", [
    ("12345", "12345", "eid.error.passcode_format"),
    ("12345a", "12345a", "eid.error.passcode_format"),
    ("123456", "654321", "eid.error.passcode_mismatch"),
])
def test_passcode_must_be_6_digits_typed_twice_the_same(sandbox_db, passcode, confirm, key):
    person = new(sandbox_db, "eid_approved")
    to_step(sandbox_db, person, "passcode")
    assert refused(eid.set_passcode, sandbox_db, person["id"], passcode, confirm).key == key
    assert kinds(sandbox_db, person["id"])[-1] == "eid.passcode_mismatch"


@pytest.mark.parametrize("answers,key", [
    ({"q1": "Kim Đồng"}, "eid.error.security_two_questions"),
    ({"q1": "a", "q9": "b"}, "eid.error.security_two_questions"),
    ({"q1": "Kim Đồng", "q2": "  "}, "eid.error.security_answer_empty"),
])
def test_security_questions_need_two_different_questions_with_answers(sandbox_db, answers, key):
    person = new(sandbox_db, "eid_approved")
    to_step(sandbox_db, person, "security")
    assert refused(eid.set_security_questions, sandbox_db, person["id"], answers).key == key
    assert eid.level(sandbox_db, person["id"]) == 0


def test_secrets_are_stored_only_as_hashes(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    to_step(sandbox_db, person, "security")
    eid.set_security_questions(sandbox_db, person["id"], ANSWERS)
    acc = eid.account(sandbox_db, person["id"])
    dumped = json.dumps(acc, ensure_ascii=False)
    for secret in (PASSWORD, "246810", "Kim Đồng", "kim đồng", "Vàng", "vàng"):
        assert secret not in dumped
    assert acc["password_hash"].startswith("scrypt$") and acc["passcode_hash"].startswith("scrypt$")


def test_web_route_activates_without_installing_the_app(sandbox_db):
    person = new(sandbox_db, "eid_approved")
    pid = person["id"]
    eid.start_activation(sandbox_db, pid, person["cccd"], person["phone"], channel="web")
    eid.confirm_activation_otp(sandbox_db, pid, otp.latest_code_for_tests(sandbox_db, pid, "eid_activation"))
    eid.set_password(sandbox_db, pid, PASSWORD, PASSWORD)
    eid.set_passcode(sandbox_db, pid, "246810", "246810")
    phone.mark_read(sandbox_db, pid)
    before = phone.installed_apps(sandbox_db, pid)
    eid.set_security_questions(sandbox_db, pid, ANSWERS)
    assert eid.level(sandbox_db, pid) == 2
    assert phone.installed_apps(sandbox_db, pid) == before
    assert events.for_persona(sandbox_db, pid)[-1]["payload"]["channel"] == "web"


# --- using the account ------------------------------------------------------------------------

def test_login_refuses_no_account_and_wrong_password(sandbox_db):
    fresh = new(sandbox_db)
    assert refused(eid.login, sandbox_db, fresh["id"], fresh["cccd"], PASSWORD).key == "eid.error.no_account"
    ready = new(sandbox_db, "ready")
    assert refused(eid.login, sandbox_db, ready["id"], ready["cccd"], "Sai@12345").key == "eid.error.login_failed"
    assert refused(eid.login, sandbox_db, ready["id"], fresh["cccd"], PASSWORD).key == "eid.error.login_failed"
    assert kinds(sandbox_db, ready["id"])[-1] == "eid.login_failed"


def test_a_new_device_must_be_confirmed_with_an_otp(sandbox_db):
    person = new(sandbox_db, "ready")
    pid = person["id"]
    assert eid.login(sandbox_db, pid, person["cccd"], PASSWORD, device_id="another-phone") == "new_device"
    assert not eid.can_unlock(sandbox_db, pid, "another-phone")
    assert refused(eid.confirm_new_device, sandbox_db, pid, "000000").key == "phone.otp.wrong"
    eid.confirm_new_device(sandbox_db, pid, otp.latest_code_for_tests(sandbox_db, pid, "eid_new_device"))
    assert eid.account(sandbox_db, pid)["device_id"] == "another-phone"
    assert eid.can_unlock(sandbox_db, pid, "another-phone") and not eid.can_unlock(sandbox_db, pid)
    assert kinds(sandbox_db, pid, "eid.")[-3:] == ["eid.new_device_prompted", "eid.new_device_confirmed", "eid.login"]
    assert refused(eid.confirm_new_device, sandbox_db, pid, "123456").key == "eid.error.wrong_step"


def test_the_app_opens_with_the_passcode_on_its_own_phone_only(sandbox_db):
    person = new(sandbox_db, "ready")
    pid = person["id"]
    eid.unlock(sandbox_db, pid, scenarios.credentials()["passcode"])
    assert refused(eid.unlock, sandbox_db, pid, "000000").key == "eid.error.passcode_wrong"
    assert refused(eid.unlock, sandbox_db, pid, "123456", device_id="x").key == "eid.error.no_account"
    assert not eid.can_unlock(sandbox_db, new(sandbox_db, "eid_level1")["id"])


def test_forgotten_passcode_is_reset_with_the_security_answers(sandbox_db):
    pid = new(sandbox_db, "ready")["id"]
    wrong = {"q1": "Sai", "q5": "Vàng"}
    assert refused(eid.reset_passcode, sandbox_db, pid, wrong, "111111", "111111").key == "eid.error.security_wrong"
    right = {"q1": "  kim   đồng ", "q5": "VÀNG"}  # case and spaces do not matter
    assert refused(eid.reset_passcode, sandbox_db, pid, right, "111111", "222222").key == "eid.error.passcode_mismatch"
    assert refused(eid.reset_passcode, sandbox_db, pid, right, "1111", "1111").key == "eid.error.passcode_format"
    eid.reset_passcode(sandbox_db, pid, right, "111111", "111111")
    assert eid.verify_passcode(sandbox_db, pid, "111111") and not eid.verify_passcode(sandbox_db, pid, "123456")
    assert "eid.passcode_reset_failed" in kinds(sandbox_db, pid) and kinds(sandbox_db, pid)[-1] == "eid.passcode_reset"
    level1 = new(sandbox_db, "eid_level1")["id"]
    assert refused(eid.reset_passcode, sandbox_db, level1, right, "111111", "111111").key == "eid.error.no_account"


def test_level_1_is_asked_to_upgrade_before_a_level_2_feature(sandbox_db):
    pid = new(sandbox_db, "eid_level1")["id"]
    assert refused(eid.require_level2, sandbox_db, pid, "health_book").key == "eid.error.level2_required"
    assert events.for_persona(sandbox_db, pid)[-1]["payload"] == {"feature": "health_book"}
    eid.require_level2(sandbox_db, new(sandbox_db, "ready")["id"], "health_book")


def test_confirmation_requests_need_the_passcode_and_are_answered_once(sandbox_db):
    pid = new(sandbox_db, "ready")["id"]
    request = eid.request_confirmation(sandbox_db, pid, "portal")
    assert [r["id"] for r in eid.pending_requests(sandbox_db, pid)] == [request]
    assert refused(eid.answer_request, sandbox_db, pid, request, "000000").key == "eid.error.passcode_wrong"
    eid.answer_request(sandbox_db, pid, request, "123456")
    assert eid.request_status(sandbox_db, request) == "confirmed"
    assert refused(eid.answer_request, sandbox_db, pid, request, "123456").key == "eid.error.no_request"
    refused_one = eid.request_confirmation(sandbox_db, pid, "portal")
    eid.answer_request(sandbox_db, pid, refused_one, None, accept=False)
    assert eid.request_status(sandbox_db, refused_one) == "rejected"
    assert kinds(sandbox_db, pid, "eid.request")[-3:] == ["eid.request_rejected", "eid.request_confirmed",
                                                          "eid.request_rejected"]


def test_a_newer_request_replaces_a_pending_one(sandbox_db):
    pid = new(sandbox_db, "ready")["id"]
    first = eid.request_confirmation(sandbox_db, pid, "portal")
    second = eid.request_confirmation(sandbox_db, pid, "portal")
    assert eid.request_status(sandbox_db, first) == "expired"
    assert [r["id"] for r in eid.pending_requests(sandbox_db, pid)] == [second]


def test_the_police_desk_needs_the_chip_card_a_photo_and_fingerprints(sandbox_db):
    pid = new(sandbox_db)["id"]
    error = refused(eid.submit_registration, sandbox_db, pid, documents=["chip_card", "photo"])
    assert error.key == "police.error.checklist"
    last = events.for_persona(sandbox_db, pid)[-1]
    assert last["kind"] == "eid.registration_refused" and last["payload"]["missing"] == ["fingerprints"]
    eid.submit_registration(sandbox_db, pid, documents=list(eid.REGISTRATION_DOCUMENTS))
    assert eid.account(sandbox_db, pid)["registration"] == "submitted"


def test_logging_out_is_recorded(sandbox_db):
    pid = new(sandbox_db, "ready")["id"]
    eid.logout(sandbox_db, pid, channel="web")
    assert events.for_persona(sandbox_db, pid)[-1]["payload"] == {"channel": "web"}
