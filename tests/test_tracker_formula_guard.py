"""The export's formula guard also covers look-alikes spreadsheets fold to = + - @ (issue 15, item 10).

A name starting with a full-width ＝ (U+FF1D, what an East Asian keyboard types) went out without
the guard's apostrophe, and a spreadsheet that folds it to "=" ran it as a formula.
"""

import csv
import io
import unicodedata

import openpyxl
import pytest

from workbench.tracker import citizens, demo, export, importer, places, realtime
from workbench.tracker import formulas

LOOK_ALIKES = ["＝1+1", "＝HYPERLINK(\"http://x\",\"y\")", "＋84912", "－2+3", "＠SUM(A1)", "﹦1+1", "﹢1", "﹣1",
               "﹫x", "⁼1", "₌1", "⁺1", "₊1", "−2+3", "⁻1", "₋1"]


def looks_like_a_formula(cell) -> bool:
    """What a spreadsheet that folds compatibility characters would run as a formula."""
    if not isinstance(cell, str) or not cell:
        return False
    first = unicodedata.normalize("NFKC", cell[0])[:1].replace("\u2212", "-")
    return first in ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)
    return tracker_db


def add(db, value):
    return citizens.add(db, full_name=value, birth_year=1980, gender="nữ", ethnicity=value,
                        village=places.villages(db)[0]["id"], consent_by="Tổ CNS", consent_date=realtime.today(),
                        actor="t", allow_duplicate=True)


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_no_csv_cell_starts_with_a_formula_look_alike(db, value):
    add(db, value)
    rows = list(csv.reader(io.StringIO(export.to_csv(db, actor="t").decode("utf-8-sig"))))
    cells = [c for r in rows for c in r]
    assert value not in cells and rows[1][0] == "'" + value
    assert not [c for c in cells if looks_like_a_formula(c)]


@pytest.mark.parametrize("value", LOOK_ALIKES)
def test_no_xlsx_cell_starts_with_a_formula_look_alike(db, value):
    add(db, value)
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(db, actor="t")))
    cells = [c for r in book.worksheets[0].iter_rows() for c in r]
    assert not [c for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if looks_like_a_formula(c.value)]
    assert cells[len(export.HEADERS)].value == "'" + value


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_look_alikes_come_back_unchanged_on_import(db, kind):
    for value in LOOK_ALIKES:
        add(db, value)
    exported = (export.to_xlsx if kind == "xlsx" else export.to_csv)(db, actor="t")
    db.execute("delete from milestones")
    db.execute("delete from citizens")
    report = importer.import_file(db, exported, f"export.{kind}", actor="t", consent_by="t")
    assert report["errors"] == []
    assert sorted(r["full_name"] for r in db.query("select full_name from citizens")) == sorted(LOOK_ALIKES)


@pytest.mark.parametrize("value", [*LOOK_ALIKES, "'＝1", "Ánh", "Nguyễn", "１２３"])
def test_the_guard_is_added_only_where_needed_and_removed_again(value):
    guarded = formulas.neutralise(value)
    assert guarded[0] == "'" if value[0] not in "ÁN１" else guarded == value
    assert formulas.unneutralise(guarded) == value
