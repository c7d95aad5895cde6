"""Rules as dated data: the version in force on a day decides, every version has a source."""

import datetime as dt

import pytest

from workbench import rules

FEE_CUT = '''
[[rule]]
id = "fee.example"
kind = "fee"
value = 10000
valid_from = 2025-07-01
valid_to = 2026-12-31
checked_on = 2026-12-01
confidence = "confirmed"
source = { document = "Thông tư 64/2025/TT-BTC", issuer = "Bộ Tài chính", date = 2025-06-30 }

[[rule]]
id = "fee.example"
kind = "fee"
value = 20000
valid_from = 2027-01-01
checked_on = 2026-12-01
confidence = "unconfirmed"
source = { document = "Thông tư 75/2022/TT-BTC", issuer = "Bộ Tài chính" }

[[rule]]
id = "desk.name"
kind = "name"
value = { vi = "Trung tâm Phục vụ hành chính công xã", en = "the commune's public-service centre" }
valid_from = 2025-07-01
checked_on = 2026-12-01
confidence = "confirmed"
source = { document = "Nghị định 118/2025/NĐ-CP", issuer = "Chính phủ" }
'''


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "example.toml").write_text(FEE_CUT, encoding="utf-8")
    yield tmp_path
    rules.load.cache_clear()


def test_the_version_in_force_on_the_day_decides(folder):
    assert rules.value("fee.example", dt.date(2026, 12, 31), folder=folder) == 10000
    assert rules.value("fee.example", dt.date(2027, 1, 1), folder=folder) == 20000


def test_words_come_in_the_readers_language(folder):
    on = dt.date(2026, 12, 1)
    assert rules.value("desk.name", on, "vi", folder=folder) == "Trung tâm Phục vụ hành chính công xã"
    assert rules.value("desk.name", on, "en", folder=folder) == "the commune's public-service centre"


def test_a_day_before_any_version_is_refused_with_the_rule_and_the_day(folder):
    with pytest.raises(rules.RuleMissing) as missing:
        rules.get("fee.example", dt.date(2025, 6, 30), folder=folder)
    assert missing.value.params == {"rule": "fee.example", "on": "2025-06-30"}


@pytest.mark.parametrize("broken, says", [
    (FEE_CUT.replace("valid_to = 2026-12-31", "valid_to = 2027-06-30"), "two versions in force"),
    (FEE_CUT.replace('confidence = "unconfirmed"', 'confidence = "maybe"'), "confidence"),
    (FEE_CUT.replace('source = { document = "Thông tư 75/2022/TT-BTC", issuer = "Bộ Tài chính" }', 'source = { document = "" }'), "source"),
    (FEE_CUT.replace("valid_from = 2027-01-01", 'valid_from = "1/1/2027"'), "TOML date"),
])
def test_a_rules_file_that_cannot_be_trusted_says_what_is_wrong(tmp_path, broken, says):
    (tmp_path / "broken.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(rules.RulesFileError, match=says):
        rules.load(tmp_path)


def test_the_shipped_rules_load():
    assert isinstance(rules.load(), tuple)
