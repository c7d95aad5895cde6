"""Importing the sheets volunteers keep (issue 8): forgiving about what people type, strict about
what is stored, a dry run that writes nothing, and a second import that changes nothing."""

import csv
import io
import json
import subprocess
import sys
import unicodedata

import openpyxl
import pytest

from tests.conftest import ROOT
from workbench.text import fold
from workbench.tracker import citizens, demo, importer, places, realtime
from workbench.tracker.errors import TrackerError
from workbench.tracker.importer import TEMPLATE_HEADERS

TODAY = realtime.today()


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)  # the demo commune's villages and teams, no citizens
    return tracker_db


def village(db, n=0):
    return places.villages(db)[n]["name"]


def sheet(*rows, headers=TEMPLATE_HEADERS, delimiter=",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def row(db, name="Nguyễn Văn An", year="1980", gender="Nam", ethnicity="Kinh", village_name=None, phone="",
        ticks=("x", "", "", "", ""), day="15/03/2025", team=""):
    return [name, year, gender, ethnicity, village_name or village(db), phone, *ticks, day, team]


def run(db, text, filename="list.csv", encoding="utf-8", **kwargs):
    data = text.encode(encoding) if isinstance(text, str) else text
    return importer.import_file(db, data, filename, actor="test", consent_by="Tổ CNS", **kwargs)


def counts(report):
    return report["created"], report["updated"], report["ignored"], len(report["errors"])


def test_the_template_has_the_issue_s_exact_headers():
    assert TEMPLATE_HEADERS == ["Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "Thôn/Buôn", "Số điện thoại",
                                "VNeID mức 2", "Tài khoản DVC", "Sổ sức khỏe điện tử", "Tài khoản ngân hàng",
                                "Ví điện tử", "Ngày", "Tổ CNS"]
    text = importer.template_csv().decode("utf-8-sig")
    assert text.strip() == ",".join(TEMPLATE_HEADERS)
    book = openpyxl.load_workbook(io.BytesIO(importer.template_xlsx()))
    assert [c.value for c in book.worksheets[0][1]] == TEMPLATE_HEADERS


def test_a_good_row_creates_a_citizen_with_dated_milestones(db):
    report = run(db, sheet(row(db, ticks=("x", "có", "", "", ""))))
    assert counts(report) == (1, 0, 0, 0)
    [found] = citizens.search(db, "nguyen van an")
    assert citizens.milestones_of(db, found["id"]).keys() == {"vneid2", "dvc"}
    assert citizens.milestones_of(db, found["id"])["vneid2"]["date"] == "2025-03-15"
    citizen = citizens.get(db, found["id"])
    assert citizen["consent_by"] == "Tổ CNS" and citizen["source"] == "import"


def test_the_dry_run_writes_nothing(db):
    before = db.execute("select count(*) from audit").fetchone()[0]
    report = run(db, sheet(row(db), row(db, name="Lê Thị Bình")), dry_run=True)
    assert counts(report) == (2, 0, 0, 0)
    assert citizens.count(db) == 0
    assert db.execute("select count(*) from milestones").fetchone()[0] == 0
    assert db.execute("select count(*) from audit").fetchone()[0] == before


def test_importing_the_same_file_twice_changes_nothing(db):
    text = sheet(row(db), row(db, name="Lê Thị Bình", gender="Nữ", ticks=("x", "x", "x", "x", "x")))
    assert counts(run(db, text)) == (2, 0, 0, 0)
    snapshot = list(db.query("select * from citizens order by id")), list(db.query("select * from milestones"))
    assert counts(run(db, text)) == (0, 0, 2, 0)
    assert (list(db.query("select * from citizens order by id")), list(db.query("select * from milestones"))) \
        == snapshot


def test_a_later_sheet_adds_milestones_to_the_same_person_and_keeps_the_first_date(db):
    run(db, sheet(row(db, ticks=("x", "", "", "", ""), day="15/03/2025")))
    report = run(db, sheet(row(db, name="nguyen van an", ticks=("x", "x", "", "", ""), day="20/04/2025")))
    assert counts(report) == (0, 1, 0, 0)
    [found] = citizens.search(db, "Nguyễn Văn An")
    dates = {m: r["date"] for m, r in citizens.milestones_of(db, found["id"]).items()}
    assert dates == {"vneid2": "2025-03-15", "dvc": "2025-04-20"}


@pytest.mark.parametrize("yes", ["x", "X", "có", "Có", "CÓ", "1", "✓", "TRUE", "true", " x "])
def test_yes_values_as_people_write_them(db, yes):
    run(db, sheet(row(db, ticks=(yes, "", "", "", ""))))
    [found] = citizens.search(db, "an")
    assert "vneid2" in citizens.milestones_of(db, found["id"])


@pytest.mark.parametrize("written,iso", [("15/03/2025", "2025-03-15"), ("5/3/2025", "2025-03-05"),
                                         ("2025-03-15", "2025-03-15"), ("45731", "2025-03-15"),
                                         ("15.03.2025", "2025-03-15")])
def test_dates_as_people_write_them(db, written, iso):
    run(db, sheet(row(db, day=written)))
    [found] = citizens.search(db, "an")
    assert citizens.milestones_of(db, found["id"])["vneid2"]["date"] == iso


@pytest.mark.parametrize("headers", [
    [h.upper() for h in TEMPLATE_HEADERS],
    [f"  {h.lower()} " for h in TEMPLATE_HEADERS],
    [fold(h) for h in TEMPLATE_HEADERS],  # no diacritics at all
    [h.replace(" ", "  ") for h in TEMPLATE_HEADERS],
])
def test_headers_forgive_case_spaces_and_diacritics(db, headers):
    assert counts(run(db, sheet(row(db), headers=headers))) == (1, 0, 0, 0)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_encodings_utf8_bom_and_utf16(db, encoding):
    report = run(db, sheet(row(db, name="Hoàng Thị Ngọc Ánh", gender="Nữ")), encoding=encoding)
    assert counts(report) == (1, 0, 0, 0)
    assert citizens.search(db, "hoang thi ngoc anh")[0]["full_name"] == "Hoàng Thị Ngọc Ánh"


def to_cp1258(text: str) -> bytes:
    """How Windows-1258 stores Vietnamese: a base letter it has (ê, ơ…) plus a combining tone mark."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for mark in marks:  # ệ = ê (in cp1258) + a combining dot below
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and composed.encode("cp1258", errors="ignore"):
                base = composed
                marks.remove(mark)
                break
        out += (base + "".join(marks)).encode("cp1258")
    return out


def test_windows_1258_files_are_read_and_stored_as_nfc(db):
    text = sheet(row(db, name="Nguyễn Thị Hường", gender="Nữ"))
    data = to_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert counts(run(db, data)) == (1, 0, 0, 0)
    [found] = citizens.search(db, "nguyen thi huong")
    assert found["full_name"] == "Nguyễn Thị Hường"
    assert unicodedata.is_normalized("NFC", found["full_name"])


def test_nfd_and_nfc_spellings_are_the_same_person(db):
    run(db, sheet(row(db, name="Nguyễn Văn Ân")))
    nfd = unicodedata.normalize("NFD", sheet(row(db, name="Nguyễn Văn Ân")))
    assert counts(run(db, nfd)) == (0, 0, 1, 0)
    assert citizens.count(db) == 1
    assert unicodedata.is_normalized("NFC", citizens.search(db, "an")[0]["full_name"])


def test_semicolon_separated_files_from_excel_in_vietnamese_locale(db):
    assert counts(run(db, sheet(row(db), delimiter=";"))) == (1, 0, 0, 0)


def test_every_bad_row_is_reported_with_its_row_column_and_a_message(db):
    text = sheet(
        row(db),                                             # row 2: fine
        row(db, name="Trần Văn Bảo", year="19x0"),           # row 3
        row(db, name="Lê Thị Cúc", gender="?"),               # row 4
        row(db, name="Phạm Văn Dũng", village_name="Thôn Không Có"),  # row 5
        row(db, name="Võ Thị Én", phone="12345"),             # row 6
        row(db, name="Đỗ Văn Giang", ticks=("maybe", "", "", "", "")),  # row 7
        row(db, name="Bùi Thị Hoa", day="32/13/2025"),        # row 8
        row(db, name="Ngô Văn Ích", day=""),                  # row 9: ticked but no date
        row(db, name="", year="1990"),                        # row 10
        row(db, name="Mai Thị Kim", team="Tổ không có"),      # row 11: no error, a team decision (issue 15)
        row(db, name="Hồ Văn Long", day=f"01/01/{TODAY.year + 1}"),  # row 12
    )
    report = run(db, text, dry_run=True)
    where = {(e["row"], e["column"]) for e in report["errors"]}
    assert where == {(3, "Năm sinh"), (4, "Giới tính"), (5, "Thôn/Buôn"), (6, "Số điện thoại"), (7, "VNeID mức 2"),
                     (8, "Ngày"), (9, "Ngày"), (10, "Họ và tên"), (12, "Ngày")}
    assert [entry["value"] for entry in report["undecided_teams"]] == ["Tổ không có"]
    messages = {e["row"]: e["message"] for e in report["errors"]}
    assert "19x0" in messages[3] and "1975" not in messages[3]
    assert "Thôn Không Có" in messages[5]
    assert "maybe" in messages[7]
    assert report["created"] == 1


def test_row_numbers_are_as_the_spreadsheet_shows_them_even_after_blank_lines(db):
    text = "\r\n" + sheet(row(db), [], row(db, name="Trần Văn Bảo", year="abc"))
    report = run(db, text, dry_run=True)
    assert [e["row"] for e in report["errors"]] == [5]


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(db):
    report = run(db, sheet(row(db), row(db, name="Trần Văn Bảo", year="abc")))
    assert (report["created"], len(report["errors"])) == (0, 1)
    assert citizens.count(db) == 0


def test_valid_rows_only_writes_the_good_rows(db):
    report = run(db, sheet(row(db), row(db, name="Trần Văn Bảo", year="abc")), mode="valid_only")
    assert (report["created"], len(report["errors"])) == (1, 1)
    assert citizens.count(db) == 1


def test_a_missing_required_column_is_one_clear_message(db):
    with pytest.raises(TrackerError) as caught:
        run(db, "Họ và tên,Năm sinh\r\nNguyễn Văn An,1980\r\n")
    assert caught.value.key == "tracker.import.error.missing_columns"
    assert "Giới tính" in caught.value.params["columns"]


def test_a_row_matching_two_recorded_people_is_never_merged(db):
    for _ in range(2):
        citizens.add(db, full_name="Nguyễn Văn An", birth_year=1980, gender="nam", ethnicity="Kinh",
                     village=village(db), consent_by="x", consent_date=TODAY, actor="t", allow_duplicate=True)
    report = run(db, sheet(row(db)), dry_run=True)
    assert [e["row"] for e in report["errors"]] == [2]


def test_volunteers_import_only_into_their_villages(db):
    mine = places.villages(db)[0]["id"]
    report = run(db, sheet(row(db), row(db, name="Lê Thị Bình", village_name=village(db, 1))),
                 allowed_village_ids=[mine], mode="valid_only")
    assert report["created"] == 1
    assert report["errors"][0]["row"] == 3 and report["errors"][0]["column"] == "Thôn/Buôn"


def xlsx(rows, headers=TEMPLATE_HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet_ = book.active
    sheet_.append(headers)
    for r in rows:
        sheet_.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_real_dates_numbers_and_excel_serials(db):
    import datetime as dt

    data = xlsx([
        ["Nguyễn Văn An", 1980, "Nam", "Kinh", village(db), "0912345678", "x", True, 1, None, None,
         dt.datetime(2025, 3, 15), None],
        ["Lê Thị Bình", 1975.0, "Nữ", "Ê Đê", village(db), None, "✓", None, None, None, None, 45731, None],
    ])
    report = run(db, data, filename="list.xlsx")
    assert counts(report) == (2, 0, 0, 0)
    [an] = citizens.search(db, "nguyen van an")
    assert set(citizens.milestones_of(db, an["id"])) == {"vneid2", "dvc", "health_book"}
    [binh] = citizens.search(db, "le thi binh")
    assert citizens.milestones_of(db, binh["id"])["vneid2"]["date"] == "2025-03-15"


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message(db):
    with pytest.raises(TrackerError) as caught:
        run(db, b"PK\x03\x04 not really a zip", filename="list.xlsx")
    assert caught.value.key == "tracker.import.error.not_xlsx"


def test_the_cli_prints_exactly_the_issue_s_json_shape(tmp_path, data_dir):
    from workbench import databases

    demo.seed(databases.tracker(), count=0)
    name = places.villages(databases.tracker())[0]["name"]
    path = tmp_path / "list.csv"
    path.write_text(sheet([*["Nguyễn Văn An", "1980", "Nam", "Kinh", name, ""], "x", "", "", "", "", "15/03/2025", ""],
                          [*["Lê Thị Bình", "abc", "Nữ", "Kinh", name, ""], "", "", "", "", "", "", ""]),
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "workbench", "tracker", "import", str(path), "--dry-run", "--json"],
                            cwd=ROOT, capture_output=True, text=True, env={**__import__("os").environ})
    report = json.loads(result.stdout)
    assert list(report) == ["created", "updated", "ignored", "errors"]
    assert (report["created"], report["updated"], report["ignored"]) == (1, 0, 0)
    assert report["errors"] == [{"row": 3, "column": "Năm sinh", "message": report["errors"][0]["message"]}]
    assert "abc" in report["errors"][0]["message"]
    assert citizens.count(databases.tracker()) == 0  # dry run


def test_the_cli_answers_in_json_even_when_the_file_cannot_be_read(tmp_path):
    result = subprocess.run([sys.executable, "-m", "workbench", "tracker", "import", str(tmp_path / "missing.csv"),
                             "--json"], cwd=ROOT, capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert result.returncode == 2 and list(report) == ["created", "updated", "ignored", "errors"]
    assert "missing.csv" in report["errors"][0]["message"]
