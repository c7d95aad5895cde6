"""The dashboard at a province's size (issue 8, "Scale"): running totals kept by every write give the
very figures that counting every row gives, after every kind of write; the cache key (the data
version) moves with writes that change figures and not with a login; the importer reports its
progress as it goes."""

import datetime as dt

import pytest

from workbench.tracker import (audit, auth, backup, citizens, dashboard, demo, export, importer, places, realtime, schema,
                               settings)
from workbench.tracker.dashboard import Filters
from workbench.tracker.errors import TrackerError
from workbench.tracker.importer import TEMPLATE_HEADERS

TODAY = realtime.today()


@pytest.fixture
def demo_db(tracker_db):
    demo.seed(tracker_db, count=300)
    return tracker_db


def figures_both_ways(db, f: Filters, monkeypatch) -> tuple[dict, dict]:
    def figures():
        out = dashboard.figures(db, f)
        for key in ("computed_at", "data_version"):
            out.pop(key)
        return out

    with_totals = figures()
    monkeypatch.setattr(dashboard, "USE_TOTALS", False)
    counted = figures()
    monkeypatch.setattr(dashboard, "USE_TOTALS", True)
    return with_totals, counted


def views(db) -> list[Filters]:
    first_village = places.villages(db)[0]["id"]
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


def test_the_running_totals_give_the_counted_figures_on_the_demo_commune(demo_db, monkeypatch):
    assert_same_figures(demo_db, monkeypatch)


def test_the_usual_view_is_answered_by_the_running_totals(demo_db, monkeypatch):
    f = Filters().resolved()
    assert dashboard._totals_for_people(demo_db, f) and dashboard._totals_for_teams(demo_db, f)
    assert not dashboard._totals_for_people(demo_db, Filters(village_ids=(1,)).resolved())
    # a view ending before the last digital citizen cannot use them: it counts every row
    assert not dashboard._totals_for_people(demo_db, Filters(end="2000-01-01").resolved())


def test_the_running_totals_follow_every_kind_of_write(demo_db, monkeypatch):
    db = demo_db
    village = places.villages(db)[0]
    # a volunteer's entry: a new person with milestones
    citizen_id = citizens.save_entry(db, actor="tnv", helped_by="Lan", citizen={
        "full_name": "Hà Thị Mới", "birth_year": 1950, "gender": "nữ", "ethnicity": "Tày", "village": village["id"],
        "consent_by": "Lan", "consent_date": TODAY.isoformat()},
        milestones={m: TODAY.isoformat() for m in settings.DEFAULT_DEFINITION})
    assert_same_figures(db, monkeypatch)
    # an earlier date for a milestone already recorded, by another team
    other_team = places.teams(db)[-1]["id"]
    citizens.record_milestone(db, citizen_id, "bank", (TODAY - dt.timedelta(days=3)).isoformat(), helped_by="B",
                              actor="tnv", team_id=other_team)
    assert_same_figures(db, monkeypatch)
    # an import that creates people and adds milestones to recorded ones
    someone = db.execute("select full_name, birth_year, village_id from citizens where m_dossier is null "
                         "and is_demo = 1 limit 1").fetchone()
    name_of = {v["id"]: v["name"] for v in places.villages(db)}
    lines = [",".join(TEMPLATE_HEADERS),
             f"Vi Văn Nhập,1970,Nam,Nùng,{village['name']},,x,x,,,,{TODAY:%d/%m/%Y},",
             f"{someone[0]},{someone[1]},{'Nam'},Kinh,{name_of[someone[2]]},,x,x,x,x,x,{TODAY:%d/%m/%Y},"]
    report = importer.import_file(db, "\r\n".join(lines).encode(), "list.csv", actor="test", consent_by="T",
                                  mode="valid_only")
    assert report["created"] == 1
    assert_same_figures(db, monkeypatch)
    # a new definition of a "công dân số" recomputes everyone's date
    settings.set_definition(db, ["vneid2", "bank"], actor="test")
    assert_same_figures(db, monkeypatch)
    # a person erased on request, then every demo record
    citizens.delete(db, citizen_id, actor="test")
    assert_same_figures(db, monkeypatch)
    demo.delete(db, actor="test")
    assert_same_figures(db, monkeypatch)


def test_recounting_the_totals_finds_what_the_writes_kept(demo_db):
    db = demo_db
    settings.set_definition(db, ["vneid2"], actor="test")  # (a change to everyone: recounted)
    citizens.delete(db, db.execute("select min(id) from citizens").fetchone()[0], actor="test")
    villages = places.villages(db)
    team = places.teams(db)[-1]["name"]
    day = f"{TODAY:%d/%m/%Y}"
    lines = [",".join(TEMPLATE_HEADERS),  # an import's new people are counted as their rows are written
             f"Vi Văn Một,1950,Nam,KINH,{villages[0]['name']},,x,x,x,x,x,{day},{team}",
             f"Lò Thị Hai,1990,Nữ,Thái,{villages[1]['name']},,x,,,,,{day},",
             f"Lò Thị Hai,1990,Nữ,Thái,{villages[1]['name']},,,x,x,,,{day},{team}"]
    assert importer.import_file(db, "\r\n".join(lines).encode(), "a.csv", actor="t", consent_by="T")["created"] == 2
    kept = stored_totals(db)
    schema.fill_dashboard_totals(db)
    assert stored_totals(db) == kept
    assert sum(n for *_, n in kept["dash_people"]) == citizens.count(db)


# --- the data version: the dashboard's cache key -------------------------------------------------

def test_a_login_does_not_change_the_data_version(demo_db):
    auth.create_first_official(demo_db, username="can.bo", display_name="Cán bộ", secret="mat-khau-dai-1")
    before = audit.data_version(demo_db)
    auth.login(demo_db, "can.bo", "mat-khau-dai-1")
    with pytest.raises(TrackerError):
        auth.login(demo_db, "can.bo", "sai-mat-khau")
    assert audit.log(demo_db, 1)[0]["action"].startswith("auth.")  # the logins are in the audit log…
    assert audit.data_version(demo_db) == before  # …but no figure changed


def test_an_export_does_not_change_the_data_version(demo_db):
    before = audit.data_version(demo_db)
    export.to_csv(demo_db, actor="test")
    citizens.export(demo_db, db_first_citizen(demo_db), actor="test")
    assert audit.data_version(demo_db) == before


def db_first_citizen(db) -> int:
    return db.execute("select min(id) from citizens").fetchone()[0]


def test_a_citizen_write_changes_the_data_version(demo_db):
    before = audit.data_version(demo_db)
    citizens.record_milestone(demo_db, db_first_citizen(demo_db), "dossier", TODAY, helped_by="x", actor="test")
    middle = audit.data_version(demo_db)
    assert middle > before
    settings.save(demo_db, "population_share.women", 0.49, actor="test")
    assert audit.data_version(demo_db) > middle


# --- the importer's progress ------------------------------------------------------------------------

def test_the_import_reports_its_progress_with_growing_counts(tracker_db):
    demo.seed(tracker_db, count=0)
    village = places.villages(tracker_db)[0]["name"]
    lines = [",".join(TEMPLATE_HEADERS)]
    lines += [f"Người Thứ {n},1980,Nữ,Kinh,{village},,x,,,,,{TODAY:%d/%m/%Y}," for n in range(2500)]
    read, written = [], []
    report = importer.import_file(tracker_db, "\r\n".join(lines).encode(), "big.csv", actor="test",
                                  consent_by="T", progress=lambda done, total: read.append((done, total)),
                                  write_progress=lambda done, total: written.append((done, total)))
    assert report["created"] == 2500
    # every thousand rows read (about as many as the file has lines), then the end of the file
    assert [done for done, _ in read] == [999, 1999, 2500]
    assert all(total >= 2499 for _, total in read)
    assert written == [(2500, 2500), (2500, 2500)]  # one batch of people, then the whole plan written


def test_a_big_import_is_written_in_batches_each_reported(tracker_db, monkeypatch):
    demo.seed(tracker_db, count=0)
    monkeypatch.setattr(importer, "WRITE_BATCH", 1000)
    village = places.villages(tracker_db)[0]["name"]
    lines = [",".join(TEMPLATE_HEADERS)]
    lines += [f"Người Thứ {n},1980,Nữ,Kinh,{village},,x,,,,,{TODAY:%d/%m/%Y}," for n in range(2500)]
    result = importer.plan(tracker_db, "\r\n".join(lines).encode(), "big.csv")
    written = []
    importer.apply(tracker_db, result, actor="test", consent_by="T",
                   progress=lambda done, total: written.append((done, total)))
    assert written == [(1000, 2500), (2000, 2500), (2500, 2500), (2500, 2500)]
    assert citizens.count(tracker_db) == 2500


def test_the_cli_draws_its_progress_on_stderr_and_keeps_stdout_for_the_json(tmp_path, data_dir):
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT
    from workbench import databases

    demo.seed(databases.tracker(), count=0)
    village = places.villages(databases.tracker())[0]["name"]
    lines = [",".join(TEMPLATE_HEADERS)]
    lines += [f"Người Thứ {n},1980,Nữ,Kinh,{village},,x,,,,,{TODAY:%d/%m/%Y}," for n in range(1200)]
    path = tmp_path / "big.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "workbench", "tracker", "import", str(path), "--json"],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ})
    assert json.loads(result.stdout)["created"] == 1200
    assert "Đã đọc 999 dòng" in result.stderr and "Đã ghi 1200/1200 người" in result.stderr


def test_after_a_restore_the_data_version_never_returns_to_a_number_it_had(demo_db):

    auth.create_first_official(demo_db, username="can.bo", display_name="Cán bộ", secret="mat-khau-dai-1")
    data = backup.backup_bytes(demo_db, actor="can.bo")
    for n in range(3):  # figures change after the backup was taken
        citizens.record_milestone(demo_db, db_first_citizen(demo_db) + n, "dossier", TODAY, helped_by="x", actor="test")
    seen = audit.data_version(demo_db)
    backup.restore_bytes(demo_db, data, actor="can.bo")
    assert audit.data_version(demo_db) > seen  # a cached dashboard of the replaced data is not shown again
    assert audit.log(demo_db, 1)[0]["action"] == "backup.restored"
    assert citizens.count(demo_db) == 300
