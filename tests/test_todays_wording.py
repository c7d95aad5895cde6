"""Today's names (issue 13): nothing in the locale files, lessons, sandbox data or docs
presents a huyện as current, "Bộ phận một cửa" as the desk's name, or "CCCD"/"căn cước công
dân" as the card's name. The rules files (sandbox_data/rules/) are not scanned: their older
versions carry the old names on purpose, with their dates.

A line may keep an old name when it explains the change ("thẻ CCCD cũ vẫn dùng được đến hết
hạn", "no huyện since 1/7/2025"): ALLOWED holds those phrases, kept short on purpose."""

import datetime as dt
import re

import pytest

from tests.conftest import ROOT
from workbench import i18n, names

SCANNED = ("locales", "lessons", "sandbox_data", "docs")
SUFFIXES = {".toml", ".md", ".svg", ".txt"}

OLD = {
    "huyện presented as current": re.compile(r"\bhuyện\b|\bdistricts?\b", re.IGNORECASE),
    "“Bộ phận một cửa” as the desk's name": re.compile(
        r"bộ phận một cửa|bộ phận tiếp nhận và trả kết quả|one-stop desk|reception and results desk", re.IGNORECASE),
    # "CCCD" in capitals only: ``cccd`` is a code identifier (columns, keys, {cccd}) and stays.
    "“CCCD” / “căn cước công dân” as the card's name": re.compile(
        r"\bCCCD\b|(?i:căn cước công dân|citizen identity card)"),
}

# Sentences that explain the change may name the old thing.
ALLOWED = (
    "cccd cũ", "old cccd", "no huyện", "không còn huyện", "no district", "former district", "district` column",
    "district column",
)

# Left to issue 13's part b (the portal is VNeID-only), which removes these routes and lines
# wholesale: the portal's own account (user name = the CCCD number, password) and lesson 3's
# step 4. Delete these entries once that part is merged.
LEFT_TO_PART_B = ()  # the portal's own account went with issue 13's part b: nothing left to skip


def files():
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            rel = path.relative_to(ROOT).as_posix()
            history = rel.startswith("sandbox_data/rules/") or rel == "docs/rules.md"  # dated older versions
            if path.suffix in SUFFIXES and path.is_file() and not history:
                yield rel, path


def findings(lines_of) -> list[str]:
    found = []
    for rel, lines in lines_of:
        for number, line in enumerate(lines, start=1):
            lowered = line.lower()
            if any(phrase in lowered for phrase in ALLOWED):
                continue
            if any(rel == path and marker in line for path, marker in LEFT_TO_PART_B):
                continue
            for what, pattern in OLD.items():
                if pattern.search(line):
                    found.append(f"{rel}:{number}: {what}: {line.strip()[:120]}")
    return found


def test_no_ended_name_is_presented_as_current():
    found = findings((rel, path.read_text(encoding="utf-8").splitlines()) for rel, path in files())
    assert not found, "ended names presented as current:\n" + "\n".join(found)


@pytest.mark.parametrize("line", [
    'title = "Bộ phận tiếp nhận và trả kết quả (một cửa)"',
    'district = "Huyện Krông Sen"',
    'cccd = "Số CCCD"',
    'weekly_title = "Weekly report to the district"',
    'title = "CĂN CƯỚC CÔNG DÂN"',
])
def test_the_scan_catches_the_old_wording(line):
    assert findings([("locales/vi/x.toml", [line])])


@pytest.mark.parametrize("line", [
    'chip_card = "Công dân xuất trình {card} (thẻ CCCD cũ vẫn dùng được đến hết hạn)"',
    "# 1/7/2025: the address is “Xã …, Tỉnh …”, no huyện.",
])
def test_sentences_that_explain_the_change_are_allowed(line):
    assert not findings([("locales/vi/x.toml", [line])])


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_name_placeholder_in_the_locales_is_filled_today(lang):
    """A string with {desk}, {card}… never reaches a screen with its braces: the rules give
    every placeholder a value on the workshop's date, in both languages."""
    filled = names.params(dt.date(2026, 12, 1), lang)
    used = set()
    for key, text in i18n.catalogue(lang).items():
        if isinstance(text, str):
            used |= set(re.findall(r"\{(desk|card|report_to)(?:_cap)?\}", text))
    assert used, "the locales take the law's names as parameters"
    assert {f"{name}" for name in used} <= set(filled)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_string_shows_a_law_dependent_placeholder_whoever_renders_it(lang):
    """Not only the pages' ``t``: app.py's menu, PDFs, the CLI and SMS render with ``i18n.t``
    directly. The menu showed "{desk_cap}" before ``i18n.t`` filled the names itself."""
    import string

    from workbench import i18n, names

    law = set(names.params(dt.date(2026, 12, 1), lang))
    leaks = []
    for key, text in i18n.catalogue(lang).items():
        if not isinstance(text, str):
            continue
        others = {field: "x" for _, field, _, _ in string.Formatter().parse(text) if field and field not in law}
        if any(f"{{{name}" in i18n.t(key, lang, **others) for name in ("desk", "card", "report_to")):
            leaks.append(key)
    assert leaks == []
