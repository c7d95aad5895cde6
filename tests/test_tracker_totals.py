"""The dashboard at a province's size (issue 8, "Scale"): running totals kept by every write give the
very figures that counting every row gives, after every kind of write; the cache key (the data
version) moves with writes that change figures and not with a login; the importer reports its
progress as it goes."""

import datetime as dt

import pytest

from workbench.tracker import auth as tracker_auth, export as tracker_export, importer as tracker_import, schema as tracker_schema, tracker
from workbench.tracker.tracker import Filters
from workbench.tracker.importer import TEMPLATE_HEADERS

TODAY = tracker.today()


@pytest.fixture
def demo(tracker_db):
    tracker.seed_demo(tracker_db, count=300)
    return tracker_db


def figures_both_ways(db, f: Filters, monkeypatch) -> tuple[dict, dict]:
    def figures():
        out = tracker.dashboard(db, f)
        for key in ("computed_at", "data_version"):
            out.pop(key)
        return out

    with_totals = figures()
    monkeypatch.setattr(tracker, "USE_TOTALS", False)
    counted = figures()
    monkeypatch.setattr(tracker, "USE_TOTALS", True)
    return with_totals, counted


def views(db) -> list[Filters]:
    first_village = tracker.villages(db)[0]["id"]
    return [Filters(), Filters(end=TODAY.isoformat()), Filters(start=(TODAY - dt.timedelta(days=60)).isoformat()),
            Filters(end=(TODAY - dt.timedelta(days=90)).isoformat()), Filters(village_ids=(first_village,))]


def assert_same_figures(db, monkeypatch):
    for f in views(db):
        with_totals, counted = figures_both_ways(db, f, monkeypatch)
        assert with_totals == counted, f


def stored_totals(db) -> dict:
    return {table: sorted(tuple(r) for r in db.execute(f"select * from {table} where {column} != 0"))
            for table, column in (("dash_people", "n"), ("dash_days", "n"), ("dash_teams", "milestones"),
                                  ("dash_villages", "recorded"), ("dash_digital_days", "n"))}


def test_the_running_totals_give_the_counted_figures_on_the_demo_commune(demo, monkeypatch):
    assert_same_figures(demo, monkeypatch)


def test_the_usual_view_is_answered_by_the_running_totals(demo, monkeypatch):
    f = Filters().resolved()
    assert tracker._totals_for_people(demo, f) and tracker._totals_for_teams(demo, f)
    assert not tracker._totals_for_people(demo, Filters(village_ids=(1,)).resolved())
    # a view ending before the last digital citizen cannot use them: it counts every row
    assert not tracker._totals_for_people(demo, Filters(end="2000-01-01").resolved())


def test_the_running_totals_follow_every_kind_of_write(demo, monkeypatch):
    db = demo
    village = tracker.villages(db)[0]
    # a volunteer's entry: a new person with milestones
    citizen_id = tracker.save_entry(db, actor="tnv", helped_by="Lan", citizen={
        "full_name": "Hà Thị Mới", "birth_year": 1950, "gender": "nữ", "ethnicity": "Tày", "village": village["id"],
        "consent_by": "Lan", "consent_date": TODAY.isoformat()},
        milestones={m: TODAY.isoformat() for m in tracker.DEFAULT_DEFINITION})
    assert_same_figures(db, monkeypatch)
    # an earlier date for a milestone already recorded, by another team
    other_team = tracker.teams(db)[-1]["id"]
    tracker.record_milestone(db, citizen_id, "bank", (TODAY - dt.timedelta(days=3)).isoformat(), helped_by="B",
                             actor="tnv", team_id=other_team)
    assert_same_figures(db, monkeypatch)
    # an import that creates people and adds milestones to recorded ones
    someone = db.execute("select full_name, birth_year, village_id from citizens where m_dossier is null "
                         "and is_demo = 1 limit 1").fetchone()
    name_of = {v["id"]: v["name"] for v in tracker.villages(db)}
    lines = [",".join(TEMPLATE_HEADERS),
             f"Vi Văn Nhập,1970,Nam,Nùng,{village['name']},,x,x,,,,{TODAY:%d/%m/%Y},",
             f"{someone[0]},{someone[1]},{'Nam'},Kinh,{name_of[someone[2]]},,x,x,x,x,x,{TODAY:%d/%m/%Y},"]
    report = tracker_import.import_file(db, "\r\n".join(lines).encode(), "list.csv", actor="test", consent_by="T",
                                        mode="valid_only")
    assert report["created"] == 1
    assert_same_figures(db, monkeypatch)
    # a new definition of a "công dân số" recomputes everyone's date
    tracker.set_definition(db, ["vneid2", "bank"], actor="test")
    assert_same_figures(db, monkeypatch)
    # a person erased on request, then every demo record
    tracker.delete_citizen(db, citizen_id, actor="test")
    assert_same_figures(db, monkeypatch)
    tracker.delete_demo(db, actor="test")
    assert_same_figures(db, monkeypatch)


def test_recounting_the_totals_finds_what_the_writes_kept(demo):
    db = demo
    tracker.set_definition(db, ["vneid2"], actor="test")  # (a change to everyone: recounted)
    tracker.delete_citizen(db, db.execute("select min(id) from citizens").fetchone()[0], actor="test")
    villages = tracker.villages(db)
    team = tracker.teams(db)[-1]["name"]
    day = f"{TODAY:%d/%m/%Y}"
    lines = [",".join(TEMPLATE_HEADERS),  # an import's new people are counted as their rows are written
             f"Vi Văn Một,1950,Nam,KINH,{villages[0]['name']},,x,x,x,x,x,{day},{team}",
             f"Lò Thị Hai,1990,Nữ,Thái,{villages[1]['name']},,x,,,,,{day},",
             f"Lò Thị Hai,1990,Nữ,Thái,{villages[1]['name']},,,x,x,,,{day},{team}"]
    assert tracker_import.import_file(db, "\r\n".join(lines).encode(), "a.csv", actor="t", consent_by="T")["created"] == 2
    kept = stored_totals(db)
    tracker_schema.fill_dashboard_totals(db)
    assert stored_totals(db) == kept
    assert sum(n for *_, n in kept["dash_people"]) == tracker.citizen_count(db)


# --- the data version: the dashboard's cache key -------------------------------------------------

def test_a_login_does_not_change_the_data_version(demo):
    tracker_auth.create_first_official(demo, username="can.bo", display_name="Cán bộ", secret="mat-khau-dai-1")
    before = tracker.data_version(demo)
    tracker_auth.login(demo, "can.bo", "mat-khau-dai-1")
    with pytest.raises(tracker.TrackerError):
        tracker_auth.login(demo, "can.bo", "sai-mat-khau")
    assert tracker.audit_log(demo, 1)[0]["action"].startswith("auth.")  # the logins are in the audit log…
    assert tracker.data_version(demo) == before  # …but no figure changed


def test_an_export_does_not_change_the_data_version(demo):
    before = tracker.data_version(demo)
    tracker_export.to_csv(demo, actor="test")
    tracker.export_citizen(demo, db_first_citizen(demo), actor="test")
    assert tracker.data_version(demo) == before


def db_first_citizen(db) -> int:
    return db.execute("select min(id) from citizens").fetchone()[0]


def test_a_citizen_write_changes_the_data_version(demo):
    before = tracker.data_version(demo)
    tracker.record_milestone(demo, db_first_citizen(demo), "dossier", TODAY, helped_by="x", actor="test")
    middle = tracker.data_version(demo)
    assert middle > before
    tracker.set_setting(demo, "population_share.women", 0.49, actor="test")
    assert tracker.data_version(demo) > middle


# --- the importer's progress ------------------------------------------------------------------------

def test_the_import_reports_its_progress_with_growing_counts(tracker_db):
    tracker.seed_demo(tracker_db, count=0)
    village = tracker.villages(tracker_db)[0]["name"]
    lines = [",".join(TEMPLATE_HEADERS)]
    lines += [f"Người Thứ {n},1980,Nữ,Kinh,{village},,x,,,,,{TODAY:%d/%m/%Y}," for n in range(2500)]
    read, written = [], []
    report = tracker_import.import_file(tracker_db, "\r\n".join(lines).encode(), "big.csv", actor="test",
                                        consent_by="T", progress=lambda done, total: read.append((done, total)),
                                        write_progress=lambda done, total: written.append((done, total)))
    assert report["created"] == 2500
    # every thousand rows read (about as many as the file has lines), then the end of the file
    assert [done for done, _ in read] == [999, 1999, 2500]
    assert all(total >= 2499 for _, total in read)
    assert written == [(2500, 2500), (2500, 2500)]  # one batch of people, then the whole plan written


def test_a_big_import_is_written_in_batches_each_reported(tracker_db, monkeypatch):
    tracker.seed_demo(tracker_db, count=0)
    monkeypatch.setattr(tracker_import, "WRITE_BATCH", 1000)
    village = tracker.villages(tracker_db)[0]["name"]
    lines = [",".join(TEMPLATE_HEADERS)]
    lines += [f"Người Thứ {n},1980,Nữ,Kinh,{village},,x,,,,,{TODAY:%d/%m/%Y}," for n in range(2500)]
    result = tracker_import.plan(tracker_db, "\r\n".join(lines).encode(), "big.csv")
    written = []
    tracker_import.apply(tracker_db, result, actor="test", consent_by="T",
                         progress=lambda done, total: written.append((done, total)))
    assert written == [(1000, 2500), (2000, 2500), (2500, 2500), (2500, 2500)]
    assert tracker.citizen_count(tracker_db) == 2500


def test_the_cli_draws_its_progress_on_stderr_and_keeps_stdout_for_the_json(tmp_path, data_dir):
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT
    from workbench import databases

    tracker.seed_demo(databases.tracker(), count=0)
    village = tracker.villages(databases.tracker())[0]["name"]
    lines = [",".join(TEMPLATE_HEADERS)]
    lines += [f"Người Thứ {n},1980,Nữ,Kinh,{village},,x,,,,,{TODAY:%d/%m/%Y}," for n in range(1200)]
    path = tmp_path / "big.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "workbench", "tracker", "import", str(path), "--json"],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ})
    assert json.loads(result.stdout)["created"] == 1200
    assert "Đã đọc 999 dòng" in result.stderr and "Đã ghi 1200/1200 người" in result.stderr


def test_after_a_restore_the_data_version_never_returns_to_a_number_it_had(demo):
    from workbench.tracker import backup as tracker_backup

    tracker_auth.create_first_official(demo, username="can.bo", display_name="Cán bộ", secret="mat-khau-dai-1")
    data = tracker_backup.backup_bytes(demo, actor="can.bo")
    for n in range(3):  # figures change after the backup was taken
        tracker.record_milestone(demo, db_first_citizen(demo) + n, "dossier", TODAY, helped_by="x", actor="test")
    seen = tracker.data_version(demo)
    tracker_backup.restore_bytes(demo, data, actor="can.bo")
    assert tracker.data_version(demo) > seen  # a cached dashboard of the replaced data is not shown again
    assert tracker.audit_log(demo, 1)[0]["action"] == "backup.restored"
    assert tracker.citizen_count(demo) == 300
