"""The milestone "Hoàn thành Bình dân học vụ số" (issue 13): recorded like any other, offered to
a commune's definition of a "công dân số" but never in the default one, carried by exports and
imports, with its help text read from the rules in force (sandbox_data/rules/bdhvs.toml)."""

import datetime as dt

import pytest

from workbench import rules
from workbench.tracker import citizens, dashboard, demo, export, importer, places, realtime, schema, settings
from workbench.tracker.dashboard import Filters
from workbench.tracker.importer import EXTRA_HEADERS, TEMPLATE_HEADERS

TODAY = realtime.today()
FIVE = ("vneid2", "dvc", "health_book", "bank", "wallet")


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)  # the demo commune's villages and teams, no citizens
    return tracker_db


def add(db, name, milestones, village=0):
    return citizens.save_entry(db, actor="t", helped_by="Lan", milestones=milestones, allow_duplicate=True, citizen={
        "full_name": name, "birth_year": 1960, "gender": "nữ", "ethnicity": "Ê Đê",
        "village": places.villages(db)[village]["id"], "consent_by": "Tổ CNS", "consent_date": TODAY.isoformat()})


def digital_names(db) -> set[str]:
    return {r[0] for r in db.execute("select full_name from citizens where digital_date is not null")}


def stored_totals(db) -> dict:
    """The running totals, leaving out the rows a write brought down to zero (a recount has none)."""
    return {table: sorted(tuple(r) for r in db.execute(f"select * from {table} where {column} != 0"))
            for table, column in (("dash_people", "n"), ("dash_days", "n"), ("dash_teams", "milestones"),
                                  ("dash_villages", "recorded"), ("dash_digital_days", "n"))}


def test_bdhvs_is_a_milestone_after_the_wallet_and_before_the_first_dossier():
    assert schema.MILESTONES.index("wallet") < schema.MILESTONES.index("bdhvs") < schema.MILESTONES.index("dossier")
    assert "bdhvs" not in settings.DEFAULT_DEFINITION
    assert len(TEMPLATE_HEADERS) == 13  # the volunteers' template is unchanged…
    assert "Bình dân học vụ số" in EXTRA_HEADERS  # …an export and a thorough sheet carry it


def test_recording_the_milestone(db):
    day = (TODAY - dt.timedelta(days=2)).isoformat()
    citizen_id = add(db, "H'Hen Niê", {})
    assert citizens.record_milestone(db, citizen_id, "bdhvs", day, helped_by="Lan", actor="t")
    assert citizens.milestones_of(db, citizen_id)["bdhvs"]["date"] == day
    assert db.execute("select m_bdhvs from citizens where id = ?", [citizen_id]).fetchone()[0] == day
    funnel = {r["milestone"]: r["citizens"] for r in dashboard.funnel(db, Filters())}
    assert funnel["bdhvs"] == 1


def test_a_definition_with_bdhvs_changes_who_is_digital_and_the_totals_stay_exact(db):
    today = TODAY.isoformat()
    add(db, "Y Bhin Êban", dict.fromkeys(FIVE, today))
    add(db, "H'Mai Ksor", dict.fromkeys((*FIVE, "bdhvs"), today), village=1)
    assert digital_names(db) == {"Y Bhin Êban", "H'Mai Ksor"}

    assert settings.set_definition(db, [*FIVE, "bdhvs"], actor="can.bo") == 1
    assert settings.definition(db) == ("vneid2", "dvc", "health_book", "bank", "wallet", "bdhvs")
    assert digital_names(db) == {"H'Mai Ksor"}
    kept = stored_totals(db)
    schema.fill_dashboard_totals(db)
    assert stored_totals(db) == kept

    # under the new definition, reaching bdhvs makes a person digital, and the running totals follow
    first = db.execute("select id from citizens where full_name = 'Y Bhin Êban'").fetchone()[0]
    citizens.record_milestone(db, first, "bdhvs", today, helped_by="Lan", actor="t")
    assert digital_names(db) == {"Y Bhin Êban", "H'Mai Ksor"}
    kept = stored_totals(db)
    schema.fill_dashboard_totals(db)
    assert stored_totals(db) == kept
    assert dashboard.figures(db, Filters())["headline"]["digital"] == 2


def test_an_import_under_a_definition_with_bdhvs_keeps_the_totals_exact(db):
    settings.set_definition(db, [*FIVE, "bdhvs"], actor="can.bo")
    village = places.villages(db)[0]["name"]
    day = f"{TODAY:%d/%m/%Y}"
    lines = [",".join([*TEMPLATE_HEADERS, "Bình dân học vụ số"]),
             f"Vi Văn Một,1950,Nam,Tày,{village},,x,x,x,x,x,{day},,x",
             f"Lò Thị Hai,1990,Nữ,Thái,{village},,x,x,x,x,x,{day},,"]
    report = importer.import_file(db, "\r\n".join(lines).encode(), "a.csv", actor="t", consent_by="T")
    assert report["created"] == 2 and not report["errors"]
    assert digital_names(db) == {"Vi Văn Một"}
    kept = stored_totals(db)
    schema.fill_dashboard_totals(db)
    assert stored_totals(db) == kept


def test_the_export_has_a_bdhvs_column_and_imports_again(db):
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    add(db, "Nông Thị Ba", {"vneid2": day, "bdhvs": day})
    add(db, "Hà Văn Bốn", {"vneid2": day})
    data = export.to_csv(db, actor="t")
    header, *rows = [line.split(",") for line in data.decode("utf-8-sig").strip().split("\r\n")]
    assert header[-1] == "Bình dân học vụ số"
    assert {r[0]: r[-1] for r in rows} == {"Nông Thị Ba": "x", "Hà Văn Bốn": ""}

    # into an empty register of the same commune: the same people and milestones come back
    db.execute("delete from milestones")
    db.execute("delete from citizens")
    schema.fill_dashboard_totals(db)
    report = importer.import_file(db, data, "export.csv", actor="t", consent_by="T")
    assert report["created"] == 2 and not report["errors"]
    back = {r[0]: r[1] for r in db.execute("select full_name, m_bdhvs from citizens")}
    assert back == {"Nông Thị Ba": day, "Hà Văn Bốn": None}


@pytest.mark.parametrize("heading", ["Bình dân học vụ số", "BINH DAN HOC VU SO", "Hoàn thành Bình dân học vụ số",
                                     "bdhvs"])
def test_the_column_is_found_whatever_its_heading_looks_like(db, heading):
    village = places.villages(db)[0]["name"]
    lines = [",".join([*TEMPLATE_HEADERS, heading]), f"Vi Văn Một,1950,Nam,Tày,{village},,,,,,,{TODAY:%d/%m/%Y},,có"]
    assert importer.import_file(db, "\r\n".join(lines).encode(), "a.csv", actor="t", consent_by="T")["created"] == 1
    assert db.execute("select m_bdhvs from citizens").fetchone()[0] == TODAY.isoformat()


def test_a_sheet_of_the_old_template_still_imports(db):
    village = places.villages(db)[0]["name"]
    lines = [",".join(TEMPLATE_HEADERS), f"Vi Văn Một,1950,Nam,Tày,{village},,x,x,x,x,x,{TODAY:%d/%m/%Y},"]
    report = importer.import_file(db, "\r\n".join(lines).encode(), "old.csv", actor="t", consent_by="T")
    assert report["created"] == 1 and not report["errors"]
    assert db.execute("select m_bdhvs, digital_date from citizens").fetchone() == (None, TODAY.isoformat())


def test_an_old_export_without_the_column_still_imports(db):
    """An export made before issue 13: the 16 columns of the time."""
    village = places.villages(db)[0]["name"]
    old_headers = TEMPLATE_HEADERS + ["Chuẩn hóa SIM", "Nộp hồ sơ trực tuyến", "4 số cuối CCCD"]
    lines = [",".join(old_headers), f"Vi Văn Một,1950,Nữ,Tày,{village},,x,,,,,{TODAY:%d/%m/%Y},,x,,1234"]
    report = importer.import_file(db, "\r\n".join(lines).encode(), "old.csv", actor="t", consent_by="T")
    assert report["created"] == 1 and not report["errors"]
    assert db.execute("select m_sim is not null, m_bdhvs from citizens").fetchone() == (1, None)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_help_names_the_platform_from_the_rules_in_force(lang):
    on = dt.date(2026, 12, 1)
    help_text = settings.milestone_help("bdhvs", on, lang)
    assert rules.value("bdhvs.platform", on, lang) in help_text
    assert "VNeID" in help_text
    assert settings.milestone_help("wallet", on, lang) == ""
    # before the platform opened (1/4/2025) there is nothing to say, and nothing breaks
    assert settings.milestone_help("bdhvs", dt.date(2025, 1, 1), lang) == ""


def test_no_locale_string_writes_the_platform_itself():
    from tests.conftest import ROOT
    for lang in ("vi", "en"):
        assert "binhdanhocvuso.gov.vn" not in (ROOT / "locales" / lang / "tracker.toml").read_text(encoding="utf-8")
