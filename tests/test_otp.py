"""OTP: 6 digits by SMS, 5 minutes on the sandbox clock, 5 wrong tries lock, Gửi lại mã."""

import datetime as dt

import pytest

from workbench import clock, events, passwords
from workbench.sandbox import otp, phone, scenarios

P = "eid_activation"


@pytest.fixture
def pid(sandbox_db):
    return scenarios.create(sandbox_db, "fresh", seed=3)["id"]


def kinds(db, pid):
    return [e["kind"] for e in events.for_persona(db, pid) if e["kind"].startswith("otp.")]


def error_of(call, *args):
    with pytest.raises(otp.OtpError) as error:
        call(*args)
    return error.value


def test_code_arrives_by_sms_only_and_is_stored_hashed(sandbox_db, pid):
    assert otp.issue(sandbox_db, pid, P) is None
    code = otp.latest_code_for_tests(sandbox_db, pid, P)
    assert len(code) == 6 and code.isdigit() and code != otp.ALWAYS_WRONG
    message = phone.inbox(sandbox_db, pid)[0]
    assert message["sender"] == "VNeID" and code in message["text"] and "5 phut" in message["text"]
    stored = sandbox_db.execute("select code_hash from otp_codes").fetchone()[0]
    assert code not in stored and stored.startswith("scrypt$")
    otp.verify(sandbox_db, pid, P, code)
    assert kinds(sandbox_db, pid) == ["otp.sent", "otp.verified"]


def test_a_code_works_once(sandbox_db, pid):
    otp.issue(sandbox_db, pid, P)
    code = otp.latest_code_for_tests(sandbox_db, pid, P)
    otp.verify(sandbox_db, pid, P, code)
    assert error_of(otp.verify, sandbox_db, pid, P, code).key == "phone.otp.none"


def test_wrong_code_counts_down_and_is_recorded(sandbox_db, pid):
    otp.issue(sandbox_db, pid, P)
    error = error_of(otp.verify, sandbox_db, pid, P, "000000")
    assert error.key == "phone.otp.wrong" and error.params == {"tries_left": 4}
    assert kinds(sandbox_db, pid)[-1] == "otp.wrong"


def test_code_that_is_not_six_digits_says_so(sandbox_db, pid):
    otp.issue(sandbox_db, pid, P)
    assert error_of(otp.verify, sandbox_db, pid, P, "12ab").key == "phone.otp.format"


def test_expires_after_five_minutes_and_resend_gives_a_new_one(sandbox_db, pid):
    otp.issue(sandbox_db, pid, P)
    old = otp.latest_code_for_tests(sandbox_db, pid, P)
    clock.advance(sandbox_db, dt.timedelta(minutes=5, seconds=1))
    assert error_of(otp.verify, sandbox_db, pid, P, old).key == "phone.otp.expired"
    otp.resend(sandbox_db, pid, P)
    new = otp.latest_code_for_tests(sandbox_db, pid, P)
    if new != old:
        assert error_of(otp.verify, sandbox_db, pid, P, old).key == "phone.otp.wrong"
    otp.verify(sandbox_db, pid, P, new)
    assert kinds(sandbox_db, pid) == ["otp.sent", "otp.expired", "otp.resent"] + (
        ["otp.wrong"] if new != old else []) + ["otp.verified"]


def test_still_valid_just_before_five_minutes(sandbox_db, pid):
    otp.issue(sandbox_db, pid, P)
    clock.advance(sandbox_db, dt.timedelta(minutes=4, seconds=50))
    otp.verify(sandbox_db, pid, P, otp.latest_code_for_tests(sandbox_db, pid, P))


def test_five_wrong_tries_lock_even_the_right_code_and_resend_until_time_passes(sandbox_db, pid):
    otp.issue(sandbox_db, pid, P)
    code = otp.latest_code_for_tests(sandbox_db, pid, P)
    keys = [error_of(otp.verify, sandbox_db, pid, P, "000000").key for _ in range(5)]
    assert keys == ["phone.otp.wrong"] * 4 + ["phone.otp.locked"]
    assert error_of(otp.verify, sandbox_db, pid, P, code).key == "phone.otp.locked"
    locked = error_of(otp.resend, sandbox_db, pid, P)
    assert locked.key == "phone.otp.locked" and locked.params["minutes"] >= 1
    clock.advance(sandbox_db, otp.LOCK_FOR + dt.timedelta(seconds=1))
    otp.resend(sandbox_db, pid, P)
    otp.verify(sandbox_db, pid, P, otp.latest_code_for_tests(sandbox_db, pid, P))
    assert "otp.locked" in kinds(sandbox_db, pid)


def test_purposes_do_not_share_codes(sandbox_db, pid):
    otp.issue(sandbox_db, pid, P)
    otp.issue(sandbox_db, pid, "portal_login")
    assert phone.inbox(sandbox_db, pid)[0]["sender"] == "DVCQG"
    otp.verify(sandbox_db, pid, P, otp.latest_code_for_tests(sandbox_db, pid, P))
    otp.verify(sandbox_db, pid, "portal_login", otp.latest_code_for_tests(sandbox_db, pid, "portal_login"))


def test_secret_hashes_are_salted_scrypt():
    first, second = passwords.hash_secret("123456", passwords.SANDBOX), passwords.hash_secret("123456", passwords.SANDBOX)
    assert first != second and "123456" not in first
    assert passwords.check_secret("123456", first) and not passwords.check_secret("123457", first)
    assert not passwords.check_secret("123456", None)
