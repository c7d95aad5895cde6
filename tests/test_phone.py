"""The simulated phone: inbox newest first with unread count, apps, the SIM and TTTB → 1414."""

import pytest

from workbench import events
from workbench.sandbox import phone, scenarios


@pytest.fixture
def persona(sandbox_db):
    return scenarios.create(sandbox_db, "fresh", seed=7)


def kinds(db, pid):
    return [e["kind"] for e in events.for_persona(db, pid)]


def test_inbox_is_newest_first_and_counts_unread(sandbox_db, persona):
    pid = persona["id"]
    first = phone.receive_sms(sandbox_db, pid, "VNeID", "một")
    second = phone.receive_sms(sandbox_db, pid, "DVCQG", "hai")
    assert [m["id"] for m in phone.inbox(sandbox_db, pid)] == [second, first]
    assert phone.unread_count(sandbox_db, pid) == 2
    phone.mark_read(sandbox_db, pid, first)
    assert phone.unread_count(sandbox_db, pid) == 1
    phone.mark_read(sandbox_db, pid)
    assert phone.unread_count(sandbox_db, pid) == 0


def test_inboxes_are_private_to_each_persona(sandbox_db, persona):
    other = scenarios.create(sandbox_db, "fresh", seed=8)
    phone.receive_sms(sandbox_db, persona["id"], "VNeID", "riêng")
    assert phone.inbox(sandbox_db, other["id"]) == []


def test_apps_install_once_and_record_an_event(sandbox_db, persona):
    pid = persona["id"]
    assert phone.installed_apps(sandbox_db, pid) == []
    phone.install_app(sandbox_db, pid, "vneid")
    phone.install_app(sandbox_db, pid, "vneid")
    phone.install_app(sandbox_db, pid, "wallet")
    assert phone.installed_apps(sandbox_db, pid) == ["vneid", "wallet"]
    assert kinds(sandbox_db, pid).count("phone.app_installed") == 2
    with pytest.raises(phone.IdentityError) as error:
        phone.install_app(sandbox_db, pid, "facebook")
    assert error.value.key == "phone.error.unknown_app"


def test_fresh_sim_is_in_own_name_but_unchecked(sandbox_db, persona):
    card = phone.sim(sandbox_db, persona["id"])
    assert card["standardised"] == 1 and card["checked"] == 0
    assert card["owner_name"] == persona["full_name"]


def test_tttb_on_an_unverified_sim_tells_who_owns_it_and_standardising_fixes_it(sandbox_db):
    person = scenarios.create(sandbox_db, "sim_unverified", seed=9)
    pid = person["id"]
    assert not phone.is_standardised(sandbox_db, pid)
    sms_id = phone.check_sim(sandbox_db, pid)
    reply = phone.get_sms(sandbox_db, sms_id)
    assert reply["sender"] == "1414"
    assert "chua chinh xac" in reply["text"] and person["phone"] in reply["text"]
    phone.standardise_sim(sandbox_db, pid)
    assert phone.is_standardised(sandbox_db, pid)
    assert "da duoc chuan hoa" in phone.inbox(sandbox_db, pid)[0]["text"]
    assert kinds(sandbox_db, pid)[-2:] == ["sim.checked", "sim.standardised"]


def test_operator_sms_are_unaccented_like_the_real_ones(sandbox_db, persona):
    text = phone.get_sms(sandbox_db, phone.check_sim(sandbox_db, persona["id"]))["text"]
    assert text.isascii()


def test_unknown_persona_is_a_clear_error(sandbox_db):
    with pytest.raises(phone.UnknownPersona) as error:
        phone.install_app(sandbox_db, "nobody", "vneid")
    assert error.value.key == "phone.error.unknown_persona"


def test_reading_new_messages_is_recorded_once(sandbox_db, persona):
    pid = persona["id"]
    phone.receive_sms(sandbox_db, pid, "VNeID", "một")
    phone.receive_sms(sandbox_db, pid, "VNeID", "hai")
    phone.mark_read(sandbox_db, pid)
    phone.mark_read(sandbox_db, pid)  # nothing new: no second event
    reads = [e for e in events.for_persona(sandbox_db, pid) if e["kind"] == "sms.read"]
    assert [e["payload"] for e in reads] == [{"count": 2}]


def test_only_1414_answers_and_a_wrong_syntax_gets_the_operator_reply(sandbox_db, persona):
    pid = persona["id"]
    with pytest.raises(phone.IdentityError) as error:
        phone.send_sms(sandbox_db, pid, "0912345678", "TTTB")
    assert error.value.key == "phone.error.sms_only_1414"
    phone.send_sms(sandbox_db, pid, "1414", "KIEM TRA")
    assert phone.inbox(sandbox_db, pid)[0]["text"].startswith("Cu phap khong dung")
    phone.send_sms(sandbox_db, pid, " 1414 ", " tttb ")
    assert "da duoc chuan hoa" in phone.inbox(sandbox_db, pid)[0]["text"]
    assert [e["payload"]["valid"] for e in events.for_persona(sandbox_db, pid) if e["kind"] == "sms.sent"] == [
        False, False, True]
