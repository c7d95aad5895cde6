"""Every error the identity modules can raise has its message in Vietnamese and English, and every
event kind they record is declared (so lessons can name it)."""

import re

import pytest

from workbench import databases, i18n
from workbench.sandbox import eid, portal
from tests.conftest import ROOT
from tests.source import module_source

MODULES = ["workbench.sandbox.eid", "workbench.sandbox.otp", "workbench.sandbox.phone", "workbench.sandbox.portal",
           "workbench.sandbox.scenarios", "workbench.sandbox.health_book", "workbench.fakes"]


def raised_keys() -> set[str]:
    keys = set()
    for name in MODULES:
        text = module_source(name)
        keys |= set(re.findall(r'"((?:eid|portal|phone|persona)\.(?:error|otp)\.[a-z_0-9]+)"', text))
    keys |= {k for k in eid.REFUSALS} | {k for k in portal.REFUSALS if "*" not in k}
    keys |= {f"eid.error.{rule}" for rule in ("password_length", "password_digit", "password_upper",
                                              "password_lower", "password_special")}
    return keys


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_identity_error_has_a_message(lang):
    missing = sorted(k for k in raised_keys() if not i18n.has(k, lang))
    assert missing == []


def test_every_recorded_event_kind_is_declared():
    declared = databases.event_kinds()
    recorded = set()
    for name in MODULES:
        text = module_source(name)
        recorded |= set(re.findall(r'events\.record\(\s*db,\s*"([a-z_.]+)"', text))
        recorded |= set(re.findall(r'_refuse\(db, persona_id, "([a-z_.]+)"', text))
    assert len(recorded) > 30
    assert sorted(recorded - set(declared)) == []



def test_the_identity_guide_lists_every_event_kind_and_error():
    guide = (ROOT / "docs" / "identity.md").read_text(encoding="utf-8")
    from workbench.sandbox import health_book, otp, phone, scenarios
    kinds = set()
    for module in (phone, otp, eid, portal, scenarios, health_book):
        kinds |= set(module.EVENT_KINDS)
    assert sorted(k for k in kinds | raised_keys() if f"`{k}`" not in guide) == []


def dynamic_keys() -> set[str]:
    """Keys the identity pages build at run time (f-strings), which the literal-key scan cannot see."""
    from workbench.sandbox import health_book, scenarios

    keys = {f"persona.state.{s}" for s in scenarios.STATES}
    keys |= {f"eid.questions.{q}" for q in eid.SECURITY_QUESTIONS}
    keys |= {f"eid.step.{s}" for s in ("otp", "password", "passcode", "security")}
    keys |= {f"eid.request.from_{r}" for r in ("portal", "health_book")}
    keys |= {f"portal.profile.method_{m}" for m in ("vneid", "sim")}
    keys |= {f"phone.app.{a}" for a in ("sms", "vneid", "health_book", "wallet", "store", "operator", "browser")}
    keys |= {f"phone.store.about_{a}" for a in ("vneid", "health_book")}
    keys |= {f"phone.notes.{s}" for s in ("home", "sms", "sms_compose", "store", "shop", "health")}
    keys |= {f"phone.notes.vneid_{v}" for v in ("login", "unlock", "activate", "activated", "new_device", "home",
                                                "forgot", "otp", "password", "passcode", "security")}
    keys |= {f"phone.health.vaccine.{v}" for v in health_book.VACCINES}
    keys |= {f"police.status.{s}" for s in ("none", "submitted", "approved", "active")}
    keys |= {f"police.check.{c}" for c in ("chip_card", "photo", "fingerprints")}
    keys |= {f"police.flash.{f}" for f in ("submitted", "approved")}
    return keys


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_key_the_identity_pages_build_exists(lang):
    assert sorted(k for k in dynamic_keys() if not i18n.has(k, lang)) == []
