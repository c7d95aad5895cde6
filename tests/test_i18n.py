"""Locale files: Vietnamese first, English complete, NFC, and every key a page uses exists."""

import re
import string
import unicodedata

import pytest

from workbench import i18n
from tests.conftest import ROOT

VI, EN = i18n.catalogue("vi"), i18n.catalogue("en")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_english_has_every_vietnamese_key_and_no_extra():
    assert sorted(set(VI) - set(EN)) == []
    assert sorted(set(EN) - set(VI)) == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_empty_strings(lang):
    strings = i18n.catalogue(lang)
    assert [k for k, v in strings.items() if isinstance(v, str) and not v.strip()] == []


def test_placeholders_match_between_languages():
    mismatched = [k for k in VI if isinstance(VI[k], str) and k in EN and placeholders(VI[k]) != placeholders(EN[k])]
    assert mismatched == []


def test_vietnamese_files_are_nfc_on_disk():
    for path in (ROOT / "locales").rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, path


def test_vietnamese_strings_carry_diacritics():
    """A Vietnamese file typed without accents is a bug; most strings must have some."""
    with_marks = [v for v in VI.values() if isinstance(v, str) and any(ord(c) > 127 for c in v)]
    assert len(with_marks) / max(1, len(VI)) > 0.6


def test_sms_bodies_are_unaccented_like_the_real_services():
    """SMS from the operator, VNeID, the portal and banks come without diacritics; the sandbox
    stores the Vietnamese text as it is, so a lesson can read the code back from it."""
    bodies = {k: v for k, v in VI.items() if ".sms_text." in k}
    assert len(bodies) >= 8
    assert [k for k, v in bodies.items() if not v.isascii()] == []


KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z0-9_.]+)["']""")


def test_every_key_a_page_asks_for_exists():
    missing = []
    for path in list((ROOT / "pages").rglob("*.py")) + [ROOT / "app.py"]:
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            if key not in VI:
                missing.append(f"{path.name}: {key}")
    assert missing == []


def test_missing_key_shows_the_key_and_english_falls_back_to_vietnamese(monkeypatch):
    assert i18n.t("no.such.key") == "no.such.key"
    assert i18n.t("common.app_name", "en") == "Digital Citizen Workbench"


def test_money_is_grouped_the_vietnamese_way():
    assert i18n.format_money(20000) == "20.000 đ"
    assert i18n.format_money(1234567, "en") == "1,234,567 đ"
