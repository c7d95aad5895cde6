"""Fees: one function computes every amount from the dated fee rules (sandbox_data/rules/fees.toml),
on the day asked for, and names the rule it applied (issue 13)."""

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from workbench import i18n, rules
from workbench.sandbox import fees

CUT = dt.date(2026, 12, 1)          # the 50% cut of Thông tư 64/2025/TT-BTC is in force
BEFORE = dt.date(2025, 6, 30)       # Thông tư 75/2022/TT-BTC, full amounts
AFTER = dt.date(2027, 1, 1)         # the cut has ended: full amounts again


@pytest.mark.parametrize("procedure, desk, online", [
    ("thuong_tru", 20000, 10000), ("tam_tru", 15000, 7000), ("tach_ho", 10000, 5000),
    ("chung_thuc_chu_ky", 10000, 10000), ("khai_sinh", 0, 0), ("tro_cap_tai_nha", 0, 0), ("ket_hon", 0, 0),
])
@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_the_full_amounts_before_and_after_the_cut(procedure, desk, online, on):
    assert fees.fee(procedure, "desk", on=on)[0] == desk
    assert fees.fee(procedure, "online", on=on)[0] == online


@pytest.mark.parametrize("procedure, desk, online", [
    ("thuong_tru", 10000, 5000), ("tam_tru", 7500, 3500), ("tach_ho", 5000, 2500),
    ("chung_thuc_chu_ky", 10000, 10000),  # certification is not in the cut as far as we could read
])
def test_residence_fees_are_halved_from_1_7_2025_to_31_12_2026(procedure, desk, online):
    for on in (dt.date(2025, 7, 1), CUT, dt.date(2026, 12, 31)):
        assert (fees.fee(procedure, "desk", on=on)[0], fees.fee(procedure, "online", on=on)[0]) == (desk, online)


def test_the_rule_applied_names_its_source_and_its_dates():
    during, after = fees.rule("thuong_tru", CUT), fees.rule("thuong_tru", AFTER)
    assert during.source["document"] == "Thông tư 64/2025/TT-BTC" and during.valid_to == dt.date(2026, 12, 31)
    assert after.source["document"] == "Thông tư 75/2022/TT-BTC" and after.valid_to is None
    assert "64/2025" in fees.source_text(during)


def test_birth_registration_is_free_on_time_and_charged_late():
    assert fees.fee("khai_sinh", on_time=True, on=CUT) == (0, "fees.rule.free_on_time")
    assert fees.fee("khai_sinh", on_time=False, on=CUT) == (8000, "fees.rule.late")
    assert fees.rule("khai_sinh", CUT, late=True).confidence == "unconfirmed"  # the province sets it


@pytest.mark.parametrize("pages, copies, amount, rule", [
    (1, 1, 2000, "fees.rule.per_page"),
    (2, 1, 4000, "fees.rule.per_page"),
    (3, 1, 5000, "fees.rule.per_page"),       # 1,000 đ from page 3
    (10, 2, 24000, "fees.rule.per_page"),
    (198, 1, 200000, "fees.rule.per_page"),   # exactly the cap
    (250, 1, 200000, "fees.rule.per_page_capped"),
    (250, 3, 600000, "fees.rule.per_page_capped"),
])
def test_certified_copies_by_page_with_a_cap_per_copy(pages, copies, amount, rule):
    assert fees.fee("chung_thuc_ban_sao", "desk", pages=pages, copies=copies, on=CUT) == (amount, rule)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 1000), st.integers(1, 20))
def test_a_copy_never_costs_more_than_the_cap_nor_less_than_a_page(pages, copies):
    amount, _ = fees.fee("chung_thuc_ban_sao", "online", pages=pages, copies=copies, on=CUT)
    assert 2000 * copies <= amount <= 200000 * copies


@pytest.mark.parametrize("kwargs, key", [
    ({"channel": "fax"}, "fees.error.channel"), ({"pages": 0}, "fees.error.pages"), ({"copies": 0}, "fees.error.copies"),
])
def test_bad_input_names_what_to_fix(kwargs, key):
    with pytest.raises(fees.FeeError) as refused:
        fees.fee("chung_thuc_ban_sao", on=CUT, **kwargs)
    assert refused.value.key == key


def test_a_day_before_any_fee_rule_is_refused_not_guessed():
    with pytest.raises(rules.RuleMissing):
        fees.fee("thuong_tru", "desk", on=dt.date(2020, 1, 1))


def test_every_procedure_has_a_fee_rule_from_mid_2024_on_and_no_amount_in_the_catalogue():
    from workbench.sandbox import catalogue
    for proc in catalogue.load():
        assert "fee" not in proc, f"{proc['id']}: the fee lives in sandbox_data/rules/fees.toml"
        for on in (dt.date(2024, 7, 1), BEFORE, CUT, AFTER, dt.date(2030, 1, 1)):
            assert fees.rule(proc["id"], on).kind == "fee"


def test_the_fee_table_cites_a_source_and_a_rule_text_for_every_procedure():
    rows = fees.table(CUT)
    assert len(rows) == 11
    for row in rows:
        assert row["source"] and row["valid_from"] <= CUT
        for lang in ("vi", "en"):
            assert i18n.has(row["rule_key"], lang), row["rule_key"]
    for key in ("free", "free_on_time", "late", "flat", "flat_online", "flat_desk", "flat_both", "per_page",
                "per_page_capped"):
        assert i18n.has(f"fees.rule.{key}") and i18n.has(f"fees.rule.{key}", "en")


def test_no_rule_text_writes_an_amount():
    """Amounts come from the rules, never from a locale string (issue 13)."""
    for lang in ("vi", "en"):
        for key, value in i18n.catalogue(lang).items():
            if key.startswith("fees.rule."):
                assert not any(ch.isdigit() for ch in value), (lang, key, value)
