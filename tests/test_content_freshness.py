"""Is the content still true (issue 13): the CLI's rules, fees and content check, and the
generated docs/rules.md, all answered from the dated rules."""

import datetime as dt
import json

import pytest

from workbench import cli, freshness, rules_doc
from tests.conftest import ROOT


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fees_on(capsys, day: str) -> dict:
    code, out, _ = run(capsys, "fees", "--on", day, "--json")
    assert code == 0
    return {row["procedure_id"]: row for row in json.loads(out)}


def test_fees_differ_where_the_cut_ends_each_with_its_source(capsys):
    during, after = fees_on(capsys, "2026-12-01"), fees_on(capsys, "2027-01-01")
    for row in list(during.values()) + list(after.values()):
        assert {"procedure_id", "name", "desk", "online", "valid_from", "valid_to", "source"} <= set(row)
        assert isinstance(row["desk"], int) and isinstance(row["online"], int) and row["source"]
    assert (during["thuong_tru"]["desk"], during["thuong_tru"]["online"]) == (10000, 5000)
    assert (after["thuong_tru"]["desk"], after["thuong_tru"]["online"]) == (20000, 10000)
    assert "64/2025/TT-BTC" in during["thuong_tru"]["source"] and during["thuong_tru"]["valid_to"] == "2026-12-31"
    assert "75/2022/TT-BTC" in after["thuong_tru"]["source"] and after["thuong_tru"]["valid_to"] is None
    changed = {pid for pid in during if (during[pid]["desk"], during[pid]["online"]) !=
               (after[pid]["desk"], after[pid]["online"])}
    assert changed == {"thuong_tru", "tam_tru", "tach_ho"}


def test_rules_on_a_day_lists_the_version_in_force_with_its_dates_and_source(capsys):
    code, out, _ = run(capsys, "rules", "--on", "2026-12-01", "--json")
    found = {rule["id"]: rule for rule in json.loads(out)}
    assert code == 0
    for rule in found.values():
        assert {"id", "kind", "value", "valid_from", "valid_to", "source", "confidence"} <= set(rule)
    assert found["fee.tam_tru"]["value"] == {"method": "flat", "desk": 7500, "online": 3500}
    assert found["fee.tam_tru"]["source"]["document"] == "Thông tư 64/2025/TT-BTC"


def test_content_check_lists_the_cut_as_expiring_on_1_december_2026(capsys):
    code, out, _ = run(capsys, "content", "check", "--today", "2026-12-01", "--json")
    report = json.loads(out)
    assert code == 0 and set(report) == {"expiring", "stale", "unsourced"}
    expiring = {entry["id"]: entry for entry in report["expiring"]}
    assert {"fee.thuong_tru", "fee.tam_tru", "fee.tach_ho"} <= set(expiring)
    assert expiring["fee.thuong_tru"]["valid_to"] == "2026-12-31"
    assert "64/2025/TT-BTC" in expiring["fee.thuong_tru"]["source"]
    code, out, _ = run(capsys, "content", "check", "--today", "2026-12-01", "--within", "20", "--json")
    assert json.loads(out)["expiring"] == []


def test_content_check_reads_as_lines_without_json(capsys):
    code, out, _ = run(capsys, "content", "check", "--today", "2026-12-01", "--lang", "en")
    assert code == 0 and "Ending soon: 3" in out and "fee.tach_ho" in out and "2026-12-31" in out


def test_content_check_finds_stale_rules_half_a_year_on(capsys):
    code, out, _ = run(capsys, "content", "check", "--today", "2027-07-01", "--json")
    assert {entry["id"] for entry in json.loads(out)["stale"]} >= {"fee.thuong_tru", "fee.chung_thuc_ban_sao"}


@pytest.mark.parametrize("argv", [("fees", "--on", "1/12/2026"), ("rules", "--on", "2026-02-30"),
                                  ("content", "check", "--today", "hôm nay"),
                                  ("content", "check", "--within", "-1")])
def test_a_bad_date_is_a_clear_message_and_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "2026-12-01" in err or "--within" in err


def test_the_committed_rules_doc_is_up_to_date():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_doc.render(), f"docs/rules.md is out of date: run `{rules_doc.COMMAND}`"


def test_the_rules_doc_names_every_version_with_its_source_and_confidence():
    doc = rules_doc.render()
    assert doc.count("### `fee.thuong_tru`") == 1
    assert "| 2025-07-01 | 2026-12-31 | method = flat, desk = 10000, online = 5000 | confirmed" in doc
    assert "unconfirmed" in doc and "Thông tư 226/2016/TT-BTC" in doc


def test_the_freshness_answers_for_the_trainers_pages():
    assert freshness.checked_until() == dt.date(2026, 12, 1)
    [group] = freshness.ending_soon(dt.date(2026, 12, 1))
    assert group["document"] == "Thông tư 64/2025/TT-BTC" and group["valid_to"] == dt.date(2026, 12, 31)
    assert group["days_left"] == 30 and set(group["ids"]) == {"fee.thuong_tru", "fee.tam_tru", "fee.tach_ho"}
    assert freshness.ending_soon(dt.date(2026, 11, 30)) == []   # 31 days before: not yet
    assert freshness.ending_soon(dt.date(2027, 1, 2)) == []     # ended: never shown as current
    assert "fee.xac_nhan_hon_nhan" in {rule.id for rule in freshness.unconfirmed(dt.date(2026, 12, 1))}
