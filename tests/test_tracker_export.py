"""Exporting the register (issue 8): what goes out comes back in unchanged, and no cell of an
export is ever a formula a spreadsheet would run."""

import csv
import io
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import store, text
from workbench.tracker import audit, citizens, demo, export, importer, places, realtime
from workbench.tracker.schema import MILESTONES
from workbench.tracker import formulas

TODAY = realtime.today()
DANGEROUS = ["=1+1", "+84912", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0"]


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)
    return tracker_db


def add(db, name, ethnicity="Kinh", **kwargs):
    fields = dict(full_name=name, birth_year=1980, gender="nữ", ethnicity=ethnicity,
                  village=places.villages(db)[0]["id"], consent_by="Tổ CNS", consent_date=TODAY, actor="t",
                  allow_duplicate=True)
    fields.update(kwargs)
    return citizens.add(db, **fields)


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("value", DANGEROUS)
def test_no_csv_cell_starts_like_a_formula(db, value):
    add(db, value, ethnicity=value)
    cells = [c for r in csv_cells(export.to_csv(db, actor="t")) for c in r]
    assert value not in cells
    assert "'" + value in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.parametrize("value", DANGEROUS)
def test_no_xlsx_cell_is_a_formula(db, value):
    add(db, value, ethnicity=value)
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(db, actor="t")))
    cells = [c for r in book.worksheets[0].iter_rows() for c in r]
    assert not [c for c in cells if c.data_type == "f"]
    assert not [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]


def test_every_export_is_in_the_audit_log(db):
    add(db, "Nguyễn Thị Lan")
    export.to_csv(db, actor="chu.tich")
    export.to_xlsx(db, actor="chu.tich")
    actions = [(a["actor"], a["action"]) for a in audit.log(db, 2)]
    assert actions == [("chu.tich", "export.xlsx"), ("chu.tich", "export.csv")]


def test_a_volunteer_s_export_masks_phones_and_keeps_to_their_villages(db):
    add(db, "Nguyễn Thị Lan", phone="0912345678")
    add(db, "Lê Văn Nam", village=places.villages(db)[1]["id"], phone="0987654321")
    scope = citizens.Scope(village_ids=(places.villages(db)[0]["id"],), mask_phones=True)
    rows = csv_cells(export.to_csv(db, scope, actor="tnv"))[1:]
    assert [(r[0], r[5]) for r in rows] == [("Nguyễn Thị Lan", "0912***678")]


def test_the_per_citizen_export_holds_everything_about_them_and_is_logged(db):
    citizen_id = add(db, "Nguyễn Thị Lan", phone="0912345678")
    citizens.record_milestone(db, citizen_id, "vneid2", "2025-03-15", helped_by="Tổ CNS", actor="t")
    data = json.loads(export.citizen_json(db, citizen_id, actor="chu.tich"))
    assert data["citizen"]["full_name"] == "Nguyễn Thị Lan" and data["citizen"]["phone"] == "0912345678"
    assert data["milestones"] == [{"milestone": "vneid2", "date": "2025-03-15", "helped_by": "Tổ CNS", "note": ""}]
    assert audit.log(db, 1)[0]["action"] == "citizen.exported"


names = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")),
                min_size=1, max_size=30).map(text.clean).filter(bool)
people = st.lists(st.fixed_dictionaries({
    "name": st.one_of(names, st.sampled_from(DANGEROUS + ["Nguyễn Văn A", "H'Hen Niê", "Lò Thị Ơn", "'=1+1", "'Ánh", "''"])),
    "year": st.integers(1920, TODAY.year),
    "gender": st.sampled_from(["nam", "nữ"]),
    "ethnicity": st.one_of(names, st.sampled_from(["Kinh", "Ê Đê", "M'nông"])),
    "phone": st.one_of(st.none(), st.sampled_from(["0912345678", "0388123456"])),
    "last4": st.one_of(st.none(), st.from_regex(r"\d{4}", fullmatch=True)),
    "milestones": st.sets(st.sampled_from(MILESTONES)),
}), min_size=1, max_size=6, unique_by=lambda p: (text.fold(p["name"]), p["year"]))


def small_commune(db):
    for name in ("Buôn Ea Lành", "Thôn 3"):
        places.save_village(db, name=name, population=500, households=120, actor="t")


def snapshot(db):
    rows = db.query("select full_name, birth_year, gender, ethnicity, phone, cccd_last4, "
                    + ", ".join(f"m_{m} is not null as {m}" for m in MILESTONES)
                    + " from citizens order by name_folded, birth_year")
    return [dict(r) for r in rows]


def forget_everyone(db):
    with store.write(db):
        db.execute("delete from milestones")
        db.execute("delete from citizens")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people, kind=st.sampled_from(["csv", "xlsx"]))
def test_an_export_imports_back_into_the_same_register(tracker_db, people, kind):
    db = tracker_db
    if not places.villages(db):
        small_commune(db)
    forget_everyone(db)
    for person in people:
        citizen_id = add(db, person["name"], ethnicity=person["ethnicity"], birth_year=person["year"],
                         gender=person["gender"], phone=person["phone"], cccd_last4=person["last4"])
        for milestone in person["milestones"]:
            citizens.record_milestone(db, citizen_id, milestone, "2025-03-15", helped_by="t", actor="t")
    before = snapshot(db)
    exported = (export.to_xlsx if kind == "xlsx" else export.to_csv)(db, actor="t")

    forget_everyone(db)  # the same commune, an empty register
    report = importer.import_file(db, exported, f"export.{kind}", actor="t", consent_by="t")
    assert report["errors"] == []
    assert snapshot(db) == before


@pytest.mark.parametrize("value", ["'=1+1", "'Ánh", "=1+1", "@x"])
def test_the_formula_guard_is_removed_again_on_import(value):
    assert formulas.unneutralise(formulas.neutralise(value)) == value
    assert formulas.neutralise(value)[0] == "'"
