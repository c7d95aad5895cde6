"""Files that exhaust the laptop (issue 15, items 2–5): each is refused, or read within bounds,
with a message saying what is wrong and where; nothing is written; the CLI always answers with
one JSON object and never a traceback. The files are built by tests/hostile_files.py, small."""

import json
import subprocess
import sys
import tracemalloc

import pytest

from tests import hostile_files as hostile
from tests.conftest import ROOT
from workbench import cli, i18n
from workbench.tracker import citizens, demo, fields, importer, places, realtime
from workbench.tracker.errors import TrackerError
from workbench.tracker import sheets


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)  # the demo commune's villages and teams, no citizens
    return tracker_db


def refusal(db, path, **kwargs) -> TrackerError:
    with pytest.raises(TrackerError) as caught:
        importer.import_file(db, path.read_bytes(), path.name, actor="test", consent_by="Tổ CNS", **kwargs)
    assert citizens.count(db) == 0
    return caught.value


def message(error: TrackerError, lang="vi") -> str:
    return i18n.t(error.key, lang, **error.params)


def cli_import(path, *args):
    return subprocess.run([sys.executable, "-m", "workbench", "tracker", "import", str(path), "--json", *args],
                          cwd=ROOT, capture_output=True, text=True)


# --- item 2: the declared dimension is the file's claim, not its content -----------------------

def test_a_declared_dimension_of_the_whole_sheet_is_ignored(tmp_path):
    path = hostile.declared_dimension_xlsx(tmp_path / "dimension.xlsx", last_row=2_000)
    rows = list(sheets.read_rows(path.read_bytes(), path.name))
    # the header, one person, the stray cell's row; never the 16,384 columns the sheet declares
    assert len(rows) <= 2_000 and max(len(r) for r in rows) <= sheets.MAX_COLUMNS
    assert [r for r in rows if any(r)][1][0] == "Nguyễn Văn An"


def test_a_cell_at_xfd1048576_is_refused_at_the_row_limit_and_nothing_is_written(db, tmp_path):
    error = refusal(db, hostile.declared_dimension_xlsx(tmp_path / "dimension.xlsx"))
    assert error.key == "tracker.import.error.too_many_rows"
    assert error.params == {"row": sheets.MAX_ROWS + 2, "limit": sheets.MAX_ROWS}
    assert "50000" in message(error) and "dòng" in message(error)


def test_the_same_sheet_ending_in_its_last_real_row_imports(db, tmp_path):
    path = hostile.declared_dimension_xlsx(tmp_path / "dimension.xlsx", last_row=3)
    report = importer.import_file(db, path.read_bytes(), path.name, dry_run=True)
    assert report["created"] == 1


# --- item 3: zip bombs, many rows, CSV memory ---------------------------------------------------

def test_a_shared_string_bomb_is_refused_before_openpyxl_reads_it(db, tmp_path):
    error = refusal(db, hostile.shared_string_bomb_xlsx(tmp_path / "bomb.xlsx", length=5_000_000))
    assert error.key == "tracker.import.error.zip_bomb"
    assert error.params["part"] == "xl/sharedStrings.xml" and error.params["size_mb"] == 5
    assert "xl/sharedStrings.xml" in message(error)


def test_a_sheet_with_more_rows_than_the_limit_is_refused_as_it_is_read(db, tmp_path):
    error = refusal(db, hostile.many_rows_xlsx(tmp_path / "many.xlsx", rows=300), max_rows=100)
    assert error.key == "tracker.import.error.too_many_rows"
    assert error.params == {"row": 102, "limit": 100}


def test_a_csv_with_more_rows_than_the_limit_is_refused(db, tmp_path):
    path = tmp_path / "many.csv"
    path.write_text(",".join(hostile.TEMPLATE_HEADERS) + "\n" + (",".join(hostile.person()) + "\n") * 150,
                    encoding="utf-8")
    assert refusal(db, path, max_rows=100).params == {"row": 102, "limit": 100}


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(db, tmp_path):
    path = hostile.long_name_csv(tmp_path / "list.csv", length=50)
    error = refusal(db, path, max_bytes=100)
    assert error.key == "tracker.import.error.too_big"


def test_a_csv_is_read_without_holding_its_decoded_text(db, tmp_path):
    """Memory grows with the people in a file, not with its bytes: a 10 MB file of 1,000 rows
    (each with a 10,000-character column the import does not use) never holds a copy of itself."""
    wide = "x" * 10_000
    lines = [",".join([*hostile.TEMPLATE_HEADERS, "Ghi chú riêng"])]
    lines += [",".join([*hostile.person(f"Người {n}"), wide]) for n in range(1_000)]
    data = "\n".join(lines).encode("utf-8")
    tracemalloc.start()
    try:
        report = importer.import_file(db, data, "wide.csv", dry_run=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report["created"] == 1_000
    assert peak < len(data) / 2, f"peak {peak / 1e6:.1f} MB for a {len(data) / 1e6:.1f} MB file"


# --- item 4: field length limits, in the import and in quick entry -----------------------------

def test_a_very_long_name_in_a_file_is_a_bad_row_naming_the_column_and_the_limit(db, tmp_path):
    path = hostile.long_name_csv(tmp_path / "list.csv", length=5_000)
    report = importer.import_file(db, path.read_bytes(), path.name, mode="valid_only", actor="test",
                                  consent_by="Tổ CNS")
    assert report["created"] == 1  # the good row
    [error] = report["errors"]
    assert (error["row"], error["column"]) == (3, "Họ và tên")
    assert "100" in error["message"] and "5000" in error["message"] and len(error["message"]) < 200
    assert max(len(c["full_name"]) for c in db.query("select full_name from citizens")) < 100


def test_a_very_long_name_in_an_xlsx_is_refused_without_quoting_it(db, tmp_path):
    path = hostile.long_name_xlsx(tmp_path / "list.xlsx", length=200_000)
    report = importer.import_file(db, path.read_bytes(), path.name, actor="test", consent_by="Tổ CNS")
    assert report["created"] == 0 and citizens.count(db) == 0
    assert len(json.dumps(report)) < 1_000


@pytest.mark.parametrize("column, value", [(3, "Kinh " * 40), (4, "Thôn " * 40), (5, "0" * 500),
                                           (11, "1" * 1_000), (12, "Tổ " * 60)])
def test_every_cell_the_import_reads_has_a_length_limit(db, tmp_path, column, value):
    row = hostile.person()
    row[column] = value
    path = tmp_path / "list.csv"
    path.write_text(",".join(hostile.TEMPLATE_HEADERS) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    report = importer.import_file(db, path.read_bytes(), path.name, dry_run=True)
    [error] = report["errors"]
    assert error["column"] == hostile.TEMPLATE_HEADERS[column] and len(error["message"]) < 200


def test_quick_entry_refuses_a_very_long_name_naming_the_field_and_the_limit(db):
    village = places.villages(db)[0]["id"]
    with pytest.raises(TrackerError) as caught:
        citizens.save_entry(db, actor="t", helped_by="Hà Thị Lan", citizen={
            "full_name": "Nguyễn Văn An " * 400_000, "birth_year": 1980, "gender": "Nam", "ethnicity": "Kinh",
            "village": village, "consent_by": "Hà Thị Lan", "consent_date": realtime.today()})
    assert caught.value.field == "full_name" and caught.value.params["limit"] == fields.MAX_LENGTH["full_name"]
    assert message(caught.value).startswith("Họ và tên quá dài: tối đa 100 ký tự")
    assert citizens.count(db) == 0


@pytest.mark.parametrize("name, value", [("ethnicity", "Kinh" * 100), ("consent_by", "Lan" * 100),
                                         ("phone", "0912345678" * 1_000)])
def test_quick_entry_limits_every_free_text_field(db, name, value):
    person = {"full_name": "Nguyễn Văn An", "birth_year": 1980, "gender": "Nam", "ethnicity": "Kinh",
              "village": places.villages(db)[0]["id"], "consent_by": "Hà Thị Lan",
              "consent_date": realtime.today(), name: value}
    with pytest.raises(TrackerError) as caught:
        citizens.add(db, actor="t", **person)
    assert caught.value.field == name and len(message(caught.value)) < 200
    assert citizens.count(db) == 0


def test_a_very_long_note_is_refused_and_nothing_of_the_entry_is_saved(db):
    with pytest.raises(TrackerError) as caught:
        citizens.save_entry(db, actor="t", helped_by="Hà Thị Lan", note="ghi chú " * 1_000, citizen={
            "full_name": "Nguyễn Văn An", "birth_year": 1980, "gender": "Nam", "ethnicity": "Kinh",
            "village": places.villages(db)[0]["id"], "consent_by": "Hà Thị Lan", "consent_date": realtime.today()},
            milestones={"vneid2": realtime.today()})
    assert caught.value.field == "note" and message(caught.value).startswith("Ghi chú quá dài")
    assert citizens.count(db) == 0


def test_village_and_team_names_have_limits(db):
    with pytest.raises(TrackerError):
        places.save_village(db, name="Thôn " * 100, population=10, households=2, actor="t")
    with pytest.raises(TrackerError):
        places.save_team(db, name="Tổ " * 100, village_id=None, actor="t")


def test_the_import_refuses_a_very_long_consent_by(db, tmp_path):
    path = hostile.long_name_csv(tmp_path / "list.csv", length=20)
    with pytest.raises(TrackerError) as caught:
        importer.import_file(db, path.read_bytes(), path.name, actor="t", consent_by="Lan " * 1_000)
    assert caught.value.field == "consent_by" and citizens.count(db) == 0


# --- item 5: a malformed CSV is a row-numbered refusal; the CLI and the page never a traceback ---

def test_a_field_over_python_s_csv_limit_is_refused_with_its_row(db, tmp_path):
    error = refusal(db, hostile.huge_field_csv(tmp_path / "huge.csv"))
    assert error.key == "tracker.import.error.csv_field_too_long" and error.params["row"] == 3
    assert message(error, "en").startswith("Row 3: a cell is longer than 131072 characters")


def test_an_unclosed_quote_is_refused_with_its_row(db, tmp_path):
    error = refusal(db, hostile.unclosed_quote_csv(tmp_path / "quote.csv"))
    assert error.key == "tracker.import.error.csv_unclosed_quote" and error.params["row"] == 3


@pytest.mark.parametrize("build, row", [(hostile.huge_field_csv, 3), (hostile.unclosed_quote_csv, 3)])
def test_the_cli_answers_a_malformed_csv_with_one_json_object_and_no_traceback(tmp_path, build, row):
    result = cli_import(build(tmp_path / "bad.csv"), "--dry-run")
    report = json.loads(result.stdout)
    assert list(report) == ["created", "updated", "ignored", "errors"] and report["errors"][0]["row"] == row
    assert "Traceback" not in result.stderr and result.returncode == 1


def test_the_cli_refuses_a_file_over_max_bytes_and_says_how_to_raise_it(tmp_path):
    path = hostile.long_name_csv(tmp_path / "list.csv", length=50)
    report = json.loads(cli_import(path, "--max-bytes", "100", "--lang", "en").stdout)
    assert "--max-bytes" in report["errors"][0]["message"] and "over the limit" in report["errors"][0]["message"]


def test_the_cli_raises_the_row_limit_with_max_rows(db, tmp_path):
    path = hostile.many_rows_xlsx(tmp_path / "many.xlsx", rows=30)
    refused = json.loads(cli_import(path, "--dry-run", "--max-rows", "10").stdout)
    assert refused["errors"][0]["row"] == 12 and "--max-rows" in refused["errors"][0]["message"]
    allowed = json.loads(cli_import(path, "--dry-run", "--max-rows", "40").stdout)
    assert (allowed["created"], allowed["errors"]) == (1, [])


def test_the_cli_answers_an_unexpected_failure_with_one_json_object(tmp_path, monkeypatch, capsys):
    path = hostile.long_name_csv(tmp_path / "list.csv", length=20)

    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(importer, "import_file", broken)
    code = cli.main(["tracker", "import", str(path), "--json", "--lang", "en"])
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert code == 2 and "nothing was written" in report["errors"][0]["message"]
    assert "Traceback" not in err and "MemoryError" in err


def test_shared_strings_hidden_among_the_worksheets_are_still_capped(db, tmp_path):
    """openpyxl reads the shared strings whole, finding them by content type whatever the part's
    name: 12 MB of letters that hardly compress, renamed as a worksheet, are still capped."""
    import base64
    import random
    import zipfile

    letters = base64.b64encode(random.Random(15).randbytes(800_000))
    bomb = hostile.shared_string_bomb_xlsx(tmp_path / "bomb.xlsx", length=12_000_000, block=letters)
    hidden = tmp_path / "hidden.xlsx"
    with zipfile.ZipFile(bomb) as source, zipfile.ZipFile(hidden, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            for old, new in ((b"/xl/sharedStrings.xml", b"/xl/worksheets/strings.xml"),
                             (b'Target="sharedStrings.xml"', b'Target="worksheets/strings.xml"')):
                content = content.replace(old, new)
            target.writestr(item.filename.replace("xl/sharedStrings.xml", "xl/worksheets/strings.xml"), content)
    assert hidden.stat().st_size < 10_000_000
    error = refusal(db, hidden, max_bytes=10_000_000)
    assert error.key == "tracker.import.error.zip_bomb" and error.params["part"] == "xl/worksheets/strings.xml"
