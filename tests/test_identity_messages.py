"""Every error the identity modules can raise has its message in Vietnamese and English, and every
event kind they record is declared (so lessons can name it)."""

import re

import pytest

from workbench import eid, events, i18n, portal
from tests.conftest import ROOT

MODULES = ["eid", "otp", "phone", "portal", "scenarios", "health_book", "fakes"]


def raised_keys() -> set[str]:
    keys = set()
    for name in MODULES:
        text = (ROOT / "workbench" / f"{name}.py").read_text(encoding="utf-8")
        keys |= set(re.findall(r'"((?:eid|portal|phone|persona)\.(?:error|otp)\.[a-z_0-9]+)"', text))
    keys |= {k for k in eid.REFUSALS} | {k for k in portal.REFUSALS if "*" not in k}
    keys |= {f"eid.error.{rule}" for rule in ("password_length", "password_digit", "password_upper",
                                              "password_lower", "password_special")}
    keys |= {f"portal.error.{rule}" for rule in ("password_length", "password_digit", "password_upper",
                                                 "password_lower", "password_special")}
    return keys


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_identity_error_has_a_message(lang):
    missing = sorted(k for k in raised_keys() if not i18n.has(k, lang))
    assert missing == []


def test_every_recorded_event_kind_is_declared():
    declared = events.known_kinds()
    recorded = set()
    for name in MODULES:
        text = (ROOT / "workbench" / f"{name}.py").read_text(encoding="utf-8")
        recorded |= set(re.findall(r'events\.record\(\s*db,\s*"([a-z_.]+)"', text))
        recorded |= set(re.findall(r'_refuse\(db, persona_id, "([a-z_.]+)"', text))
    assert len(recorded) > 30
    assert sorted(recorded - set(declared)) == []

