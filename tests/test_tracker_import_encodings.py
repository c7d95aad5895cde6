"""UTF-16 sheets without a BOM are read, not reported as "missing columns" (issue 15, item 7).

Notepad's "Unicode" and some phone apps save UTF-16 without the byte-order mark; read as UTF-8,
every other byte was a NUL and the importer said the columns were missing. A file with NUL bytes
that is not UTF-16, or UTF-16 cut short, gets a message saying what the file is and what to do.
"""

import csv
import io

import pytest

from workbench.tracker import citizens, demo, importer, places
from workbench.tracker.errors import TrackerError
from workbench.tracker.importer import TEMPLATE_HEADERS
from workbench.tracker import sheets

PEOPLE = [("Nguyễn Thị Hương", "1975", "Nữ", "Kinh"), ("Ksor H'Bia Niê", "1962", "Nữ", "Gia Rai"),
          ("Y Bhim Mlô", "1990", "Nam", "Ê Đê"), ("Đặng Văn Đức", "1988", "Nam", "Tày")]


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)
    return tracker_db


def sheet(db, delimiter=",") -> str:
    village = places.villages(db)[0]["name"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    for name, year, gender, ethnicity in PEOPLE:
        writer.writerow([name, year, gender, ethnicity, village, "", "x", "", "", "", "", "15/03/2025", ""])
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_sheet_saved_as_utf16_without_a_bom_is_read(db, encoding, delimiter):
    data = sheet(db, delimiter).encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    report = importer.import_file(db, data, "danh-sach.csv", actor="test", consent_by="Tổ CNS")
    assert report["errors"] == [] and report["created"] == len(PEOPLE)
    stored = {row["full_name"] for row in db.query("select full_name from citizens")}
    assert stored == {name for name, *_ in PEOPLE}
    assert citizens.count(db) == len(PEOPLE)
    assert sheets.estimate_rows(data, "danh-sach.csv") == len(PEOPLE)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_cut_short_says_so(db, encoding):
    data = sheet(db).encode(encoding)[:-1]  # an odd number of bytes: the last character is half there
    with pytest.raises(TrackerError) as caught:
        importer.plan(db, data, "danh-sach.csv")
    assert caught.value.key == "tracker.import.error.utf16"


def test_a_file_with_nul_bytes_that_is_not_text_says_what_to_do(db):
    data = sheet(db).encode("utf-8").replace(b",", b"\x00\x00\x00,")  # NULs, but not UTF-16's pattern
    with pytest.raises(TrackerError) as caught:
        importer.plan(db, data, "danh-sach.csv")
    assert caught.value.key == "tracker.import.error.encoding"


def test_utf8_and_windows_1258_are_never_taken_for_utf16(db):
    text = sheet(db)
    assert sheets.utf16_kind(text.encode("utf-8")) is None
    assert sheets.utf16_kind("Buôn Ea Yông, Ê Đê, 1975, x".encode("cp1258")) is None
