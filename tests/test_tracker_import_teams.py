"""A volunteers' sheet names teams as people say them (issue 15, item 6): "Tổ 1" for the commune's
"Tổ CNS Thôn 1", or a team the commune has not entered yet. The dry run asks, the person decides
(map, create or no team), the decision applies to every row with that value and to the next file."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from workbench import databases
from workbench.tracker import audit, citizens, demo, importer, places, team_names
from workbench.tracker.errors import TrackerError
from workbench.tracker.importer import TEMPLATE_HEADERS

NEW_TEAM = "Tổ Thanh niên xung kích"


def sheet(*rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([TEMPLATE_HEADERS, *rows])
    return out.getvalue()


def row(db, name="Nguyễn Văn An", team=""):
    return [name, "1980", "Nam", "Kinh", places.villages(db)[0]["name"], "", "x", "", "", "", "", "15/03/2025", team]


def counts(report):
    return report["created"], report["updated"], report["ignored"], len(report["errors"])


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)  # the demo commune: "Thôn 1", "Thôn 2"…, each with its "Tổ CNS …" team
    return tracker_db


def team_id(db, name):
    return places.resolve_team(db, name)


def real_sheet(db):
    """What a volunteer really sends: the team as people call it, a team the commune lacks, one exact."""
    return sheet(row(db, name="Nguyễn Văn An", team="Tổ 1"),
                 row(db, name="Lê Thị Bình", team="tổ 1 "),
                 row(db, name="Y Bhim Mlô", team=NEW_TEAM),
                 row(db, name="Trần Văn Cường", team="Tổ CNS Thôn 2"))


def run(db, text, **kwargs):
    return importer.import_file(db, text.encode("utf-8"), "list.csv", actor="tnv.lan", consent_by="Tổ CNS", **kwargs)


def test_a_real_sheet_creates_nobody_before_the_decisions_and_everybody_after(db):
    report = run(db, real_sheet(db), dry_run=True)
    assert counts(report) == (1, 0, 0, 0)  # only the exact team's row is ready, and no row is an error
    assert [(t["value"], t["rows"], t["first_rows"]) for t in report["undecided_teams"]] == [
        ("Tổ 1", 2, [2, 3]), (NEW_TEAM, 1, [4])]
    report = run(db, real_sheet(db))
    assert report["created"] == 0 and citizens.count(db) == 0  # all or nothing: three rows wait for a decision

    report = run(db, real_sheet(db), team_decisions={"Tổ 1": team_id(db, "Tổ CNS Thôn 1"),
                                                     NEW_TEAM: team_names.CREATE})
    assert counts(report) == (4, 0, 0, 0) and "undecided_teams" not in report
    assert citizens.count(db) == 4
    teams = {c["full_name"]: c["team_id"] for c in db.query("select full_name, team_id from citizens")}
    assert teams["Nguyễn Văn An"] == teams["Lê Thị Bình"] == team_id(db, "Tổ CNS Thôn 1")
    assert teams["Y Bhim Mlô"] == team_id(db, NEW_TEAM)
    assert teams["Trần Văn Cường"] == team_id(db, "Tổ CNS Thôn 2")
    helped = db.execute("select m.team_id from milestones m join citizens c on c.id = m.citizen_id "
                        "where c.full_name = 'Y Bhim Mlô'").fetchone()[0]
    assert helped == team_id(db, NEW_TEAM)


def test_the_decision_is_remembered_for_the_next_file(db):
    run(db, real_sheet(db), team_decisions={"Tổ 1": team_id(db, "Tổ CNS Thôn 1"), NEW_TEAM: team_names.CREATE})
    next_file = sheet(row(db, name="Hà Thị Lan", team="TỔ 1"), row(db, name="Ksor Nay", team="to thanh nien xung kich"))
    report = run(db, next_file)
    assert counts(report) == (2, 0, 0, 0) and "undecided_teams" not in report
    lan = db.execute("select team_id from citizens where full_name = 'Hà Thị Lan'").fetchone()[0]
    assert lan == team_id(db, "Tổ CNS Thôn 1")
    assert db.execute("select count(*) from teams where name_folded = ?", ["to thanh nien xung kich"]).fetchone()[0] == 1


def test_a_new_decision_replaces_the_remembered_one(db):
    run(db, sheet(row(db, team="Tổ 1")), team_decisions={"Tổ 1": team_names.NO_TEAM})
    run(db, sheet(row(db, name="Hà Thị Lan", team="Tổ 1")), team_decisions={"Tổ 1": team_id(db, "Tổ CNS Thôn 2")})
    assert team_names.remembered(db) == {"to 1": team_id(db, "Tổ CNS Thôn 2")}


def test_creating_a_team_and_each_decision_are_audited_by_ids_only(db):
    run(db, real_sheet(db), team_decisions={"Tổ 1": team_id(db, "Tổ CNS Thôn 1"), NEW_TEAM: team_names.CREATE})
    lines = {(a["action"], a["entity"], a["entity_id"], a["actor"]) for a in audit.log(db)}
    assert ("import.team_created", "team", team_id(db, NEW_TEAM), "tnv.lan") in lines
    assert ("import.team_decided", "team", team_id(db, "Tổ CNS Thôn 1"), "tnv.lan") in lines
    assert ("import.team_decided", "team", team_id(db, NEW_TEAM), "tnv.lan") in lines
    assert "Nguyễn Văn An" not in json.dumps(audit.log(db), ensure_ascii=False)


def test_no_team_leaves_the_people_without_a_team(db):
    report = run(db, sheet(row(db, team="Tổ ông Hai")), team_decisions={"Tổ ông Hai": team_names.NO_TEAM})
    assert report["created"] == 1
    assert db.execute("select team_id from citizens").fetchone()[0] is None
    assert db.execute("select team_id from milestones").fetchone()[0] is None


def test_the_dry_run_suggests_a_team_but_never_applies_it(db):
    report = run(db, sheet(row(db, team="Tổ 1"), row(db, name="Lê Thị Bình", team="Tổ 13")), dry_run=True)
    assert [(t["value"], t["suggestion"]) for t in report["undecided_teams"]] == [
        ("Tổ 1", "Tổ CNS Thôn 1"), ("Tổ 13", None)]
    assert report["created"] == 0
    assert team_names.remembered(db) == {} and citizens.count(db) == 0


@pytest.mark.parametrize("value,team", [("Tổ 1", "Tổ CNS Thôn 1"), ("to so 02", "Tổ CNS Thôn 2"), ("T02", "Tổ CNS Thôn 2"),
                                        ("Tổ Hoa Binh", "Tổ CNS Thôn Hòa Bình"), ("Tổ3", None), ("Tổ", None),
                                        ("Ea Lành", "Tổ CNS Buôn Ea Lành")])
def test_a_suggestion_holds_the_value_s_words_and_numbers_diacritics_forgiven(db, value, team):
    suggested = team_names.suggest(db, [value])[value]
    assert suggested == (team_id(db, team) if team else None)


def test_valid_rows_only_imports_the_others_and_holds_back_the_undecided(db):
    report = run(db, real_sheet(db), mode="valid_only")
    assert report["created"] == 1 and len(report["undecided_teams"]) == 2
    assert [c["full_name"] for c in citizens.search(db, "tran van cuong")] == ["Trần Văn Cường"]
    assert citizens.count(db) == 1


def test_a_team_that_does_not_exist_or_a_team_a_volunteer_may_not_create_is_refused(db):
    with pytest.raises(TrackerError) as caught:
        importer.plan(db, real_sheet(db).encode(), "list.csv", team_decisions={"Tổ 1": 999_999})
    assert caught.value.key == "tracker.error.unknown_team"
    with pytest.raises(TrackerError) as caught:
        importer.plan(db, real_sheet(db).encode(), "list.csv", team_decisions={NEW_TEAM: team_names.CREATE},
                      may_create_teams=False)
    assert caught.value.key == "tracker.error.forbidden"


def test_a_team_name_too_long_to_create_is_a_row_error(db):
    long_name = "Tổ " + "a" * team_names.MAX_NAME
    report = run(db, sheet(row(db, team=long_name)), unknown_teams=team_names.CREATE, dry_run=True)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(2, "Tổ CNS")]
    assert str(team_names.MAX_NAME) in report["errors"][0]["message"]


def test_a_decision_whose_team_was_deleted_is_asked_again(db):
    gone = places.save_team(db, name="Tổ tạm", village_id=None, actor="t")
    team_names.remember(db, {"to 9": ("Tổ 9", gone)}, actor="t")
    assert team_names.remembered(db) == {"to 9": gone}
    db.execute("delete from teams where id = ?", [gone])
    report = run(db, sheet(row(db, team="Tổ 9")), dry_run=True)
    assert [t["value"] for t in report["undecided_teams"]] == ["Tổ 9"]


# --- the command line ----------------------------------------------------------------------

def cli(tmp_path, *flags):
    path = tmp_path / "list.csv"
    path.write_text(real_sheet(databases.tracker()), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "workbench", "tracker", "import", str(path), "--json", *flags],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ})
    return result.returncode, json.loads(result.stdout)


def test_the_cli_reports_the_undecided_teams_in_its_one_json_object(db, tmp_path):
    code, report = cli(tmp_path, "--dry-run")
    assert code == 0 and list(report) == ["created", "updated", "ignored", "errors", "undecided_teams"]
    assert report["undecided_teams"][0] == {"value": "Tổ 1", "rows": 2, "first_rows": [2, 3],
                                            "suggestion": "Tổ CNS Thôn 1"}
    code, report = cli(tmp_path)
    assert code == 1 and report["created"] == 0 and citizens.count(databases.tracker()) == 0


def test_the_cli_decides_with_team_map_and_create_teams_and_remembers(db, tmp_path):
    code, report = cli(tmp_path, "--team-map", "Tổ 1=to cns thon 1", "--create-teams")
    assert code == 0 and report["created"] == 4 and "undecided_teams" not in report
    assert team_id(databases.tracker(), NEW_TEAM)
    path = tmp_path / "next.csv"
    path.write_text(sheet(row(db, name="Hà Thị Lan", team="Tổ 1")), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "workbench", "tracker", "import", str(path), "--json"],
                            cwd=ROOT, capture_output=True, text=True)
    assert json.loads(result.stdout)["created"] == 1


def test_the_cli_no_team_for_unknown(db, tmp_path):
    code, report = cli(tmp_path, "--no-team-for-unknown")
    assert code == 0 and report["created"] == 4
    assert databases.tracker().execute("select count(*) from citizens where team_id is null").fetchone()[0] == 3


@pytest.mark.parametrize("entry", ["Tổ 1", "Tổ 1=Tổ không có"])
def test_a_bad_team_map_is_one_json_object_saying_what_to_fix(db, tmp_path, entry):
    code, report = cli(tmp_path, "--team-map", entry)
    assert code == 1 and report["created"] == 0 and "Tổ" in report["errors"][0]["message"]
    assert citizens.count(databases.tracker()) == 0
