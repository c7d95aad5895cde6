"""Fees: one function computes every amount from the catalogue, and names the rule it applied."""

import pytest
from hypothesis import given, settings, strategies as st

from workbench import i18n
from workbench.sandbox import fees


@pytest.mark.parametrize("procedure, desk, online", [
    ("thuong_tru", 20000, 10000), ("tam_tru", 15000, 7000), ("tach_ho", 10000, 5000),
    ("chung_thuc_chu_ky", 10000, 10000), ("khai_sinh", 0, 0), ("tro_cap_tai_nha", 0, 0),
])
def test_the_amounts_the_issue_names(procedure, desk, online):
    assert fees.fee(procedure, "desk")[0] == desk
    assert fees.fee(procedure, "online")[0] == online


def test_birth_registration_is_free_on_time_and_charged_late():
    assert fees.fee("khai_sinh", on_time=True) == (0, "fees.rule.free_on_time")
    assert fees.fee("khai_sinh", on_time=False) == (8000, "fees.rule.late")


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
    assert fees.fee("chung_thuc_ban_sao", "desk", pages=pages, copies=copies) == (amount, rule)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 1000), st.integers(1, 20))
def test_a_copy_never_costs_more_than_the_cap_nor_less_than_a_page(pages, copies):
    amount, _ = fees.fee("chung_thuc_ban_sao", "online", pages=pages, copies=copies)
    assert 2000 * copies <= amount <= 200000 * copies


@pytest.mark.parametrize("kwargs, key", [
    ({"channel": "fax"}, "fees.error.channel"), ({"pages": 0}, "fees.error.pages"), ({"copies": 0}, "fees.error.copies"),
])
def test_bad_input_names_what_to_fix(kwargs, key):
    with pytest.raises(fees.FeeError) as refused:
        fees.fee("chung_thuc_ban_sao", **kwargs)
    assert refused.value.key == key


def test_the_fee_table_cites_a_basis_and_a_rule_text_for_every_procedure():
    rows = fees.table()
    assert len(rows) == 11
    for row in rows:
        assert row["basis"]["vi"] and row["basis"]["en"]
        for lang in ("vi", "en"):
            assert i18n.has(row["rule_key"], lang), row["rule_key"]
    for key in ("free", "free_on_time", "late", "flat", "flat_online", "flat_desk", "flat_both", "per_page",
                "per_page_capped"):
        assert i18n.has(f"fees.rule.{key}") and i18n.has(f"fees.rule.{key}", "en")
