"""The e-health book on the simulated phone: VNeID level 2 and the passcode open it."""

import pytest

from workbench import events, i18n
from workbench.sandbox import health_book, phone, scenarios
from workbench.sandbox.phone import IdentityError


def test_level_2_and_the_passcode_activate_the_book_once(sandbox_db):
    pid = scenarios.create(sandbox_db, "ready", seed=None)["id"]
    with pytest.raises(IdentityError) as error:
        health_book.activate(sandbox_db, pid, "000000")
    assert error.value.key == "eid.error.passcode_wrong"
    health_book.activate(sandbox_db, pid, "123456")
    health_book.activate(sandbox_db, pid, "123456")
    assert health_book.is_activated(sandbox_db, pid) and phone.is_installed(sandbox_db, pid, "health_book")
    kinds = [e["kind"] for e in events.for_persona(sandbox_db, pid)]
    assert kinds.count("health_book.activated") == 1 and "health_book.login_failed" in kinds


def test_level_1_is_asked_to_upgrade(sandbox_db):
    pid = scenarios.create(sandbox_db, "eid_level1", seed=None)["id"]
    with pytest.raises(IdentityError) as error:
        health_book.activate(sandbox_db, pid, "123456")
    assert error.value.key == "eid.error.level2_required"
    assert not health_book.is_activated(sandbox_db, pid)


def test_the_record_is_fake_stable_and_named_in_both_languages(sandbox_db):
    person = scenarios.create(sandbox_db, "ready", seed=None)
    first, again = health_book.record(sandbox_db, person["id"]), health_book.record(sandbox_db, person["id"])
    assert first == again and first["full_name"] == person["full_name"]
    for vaccine in health_book.VACCINES:
        assert i18n.has(f"phone.health.vaccine.{vaccine}", "vi") and i18n.has(f"phone.health.vaccine.{vaccine}", "en")
