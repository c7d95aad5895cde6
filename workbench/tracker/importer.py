"""Import citizens and milestones from the CSV/XLSX sheets volunteers keep (issue 8).

Forgiving about what people really type: headers in any case, spacing or without diacritics;
"x", "có", "1", "✓", "TRUE" as yes; dates as dd/mm/yyyy, ISO or Excel serials; files saved as
UTF-8 (with or without BOM), UTF-16 or Windows-1258, in NFC or NFD. Strict about what it
stores: every bad row is reported with its row number as a spreadsheet shows it (header = row
1), its column and a message saying what to fix.

``plan()`` reads and validates without writing anything (the dry run); ``apply()`` writes a
plan in one transaction, all-or-nothing or valid rows only. A citizen is the same person when
name (diacritics forgiven), birth year and village match, so importing the same file twice
changes nothing. Never a silent merge: a row matching two recorded citizens is an error.

Limits (issue 15): a file is refused with a message saying what and where, before it can
exhaust the laptop: at most ``MAX_BYTES`` (the page's upload limit) and ``MAX_ROWS`` rows after
the header; an XLSX's zip is checked member by member before openpyxl opens it (a 400 KB file
held a 400 MB shared string) and its declared dimension is ignored (a 2 KB file declaring
A1:XFD1048576 kept the import busy for minutes); a CSV is decoded as a stream, and a cell
Python's csv cannot hold or a quote never closed is refused with its row. Each cell the import
uses has a length limit (``fields.MAX_LENGTH``), reported like any other bad cell.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

import openpyxl
from openpyxl.styles import Font

from workbench import i18n, store, text
from workbench.tracker import audit, fields, realtime, schema, settings
from workbench.tracker.errors import TrackerError
from workbench.tracker.schema import MILESTONES

TEMPLATE_HEADERS = ["Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "Thôn/Buôn", "Số điện thoại", "VNeID mức 2",
                    "Tài khoản DVC", "Sổ sức khỏe điện tử", "Tài khoản ngân hàng", "Ví điện tử", "Ngày", "Tổ CNS"]
# Columns the template does not have but an export (or a thorough volunteer) may.
EXTRA_HEADERS = ["Chuẩn hóa SIM", "Nộp hồ sơ trực tuyến", "4 số cuối CCCD"]

FIELD_OF_HEADER = {
    "hovaten": "full_name", "hoten": "full_name", "ten": "full_name", "fullname": "full_name", "name": "full_name",
    "namsinh": "birth_year", "birthyear": "birth_year", "nam sinh": "birth_year",
    "gioitinh": "gender", "gender": "gender", "sex": "gender",
    "dantoc": "ethnicity", "ethnicity": "ethnicity",
    "thonbuon": "village", "thon": "village", "buon": "village", "thonban": "village", "village": "village",
    "thonbuonban": "village", "thonto": "village",
    "sodienthoai": "phone", "dienthoai": "phone", "sdt": "phone", "phone": "phone",
    "vneidmuc2": "m_vneid2", "vneid": "m_vneid2", "dinhdanhmuc2": "m_vneid2",
    "taikhoandvc": "m_dvc", "dvc": "m_dvc", "taikhoandichvucong": "m_dvc",
    "sosuckhoedientu": "m_health_book", "sosuckhoe": "m_health_book",
    "taikhoannganhang": "m_bank", "nganhang": "m_bank",
    "vidientu": "m_wallet", "thanhtoanvidientu": "m_wallet",
    "chuanhoasim": "m_sim", "sim": "m_sim", "chuanhoathuebao": "m_sim",
    "nophosotructuyen": "m_dossier", "hosotructuyen": "m_dossier", "hosotructuyendautien": "m_dossier",
    "ngay": "date", "ngayhotro": "date", "date": "date",
    "tocns": "team", "tocongnghesocongdong": "team", "to": "team", "team": "team",
    "4socuoicccd": "cccd_last4", "cccd4socuoi": "cccd_last4",
}
REQUIRED = ("full_name", "birth_year", "gender", "ethnicity", "village")
YES = {"x", "co", "1", "✓", "✔", "true", "yes", "y", "v", "roi", "da", "ok", "dat", "1.0"}
NO = {"", "0", "khong", "no", "false", "n", "-", "chua", "0.0"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHOWN_CHARS = 60  # at most this much of a cell is quoted in a message
# A value that itself starts with the guard's apostrophe is guarded too, so "'=x" survives a round trip.
GUARDED_START = (*FORMULA_START, "'")
PROGRESS_EVERY = 1000  # rows read between two progress calls
WRITE_BATCH = 10_000  # people written between two progress calls

# --- limits (issue 15); the CLI raises MAX_BYTES and MAX_ROWS with --max-bytes and --max-rows ---
MAX_BYTES = 20 * 1024 * 1024  # the import page's upload limit (.streamlit/config.toml maxUploadSize = 20 MiB)
# A commune holds about 20,000 people (Ea Yông); 50,000 rows stay within 300 MB and 30 s.
MAX_ROWS = 50_000
MAX_COLUMNS = 64  # columns read in a row; the template has 13, an export 16
# An XLSX is a zip: each part may expand at most this many times (text compresses 5-20x; the
# 400 MB shared string compressed 1000x), the parts openpyxl reads whole (all but the sheets,
# which it streams) to MAX_BYTES each, and the whole archive to ZIP_TOTAL_FACTOR * MAX_BYTES.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM = 1024 * 1024  # smaller parts are never refused for their ratio
ZIP_TOTAL_FACTOR = 10
CSV_FIELD_LIMIT = csv.field_size_limit()  # Python's own (131,072); never changed: it is process-wide


def header_key(heading) -> str:
    return re.sub(r"[^a-z0-9]", "", text.fold(heading))


@dataclass
class Issue:
    row: int
    column: str
    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "vi") -> str:
        return i18n.t(self.key, lang, **self.params)

    def as_dict(self, lang: str = "vi") -> dict:
        return {"row": self.row, "column": self.column, "message": self.message(lang)}


@dataclass
class Plan:
    """What an import would do. Nothing is written until ``apply``."""

    total: int = 0
    rows: list[dict] = field(default_factory=list)  # per data row: row, action, name, village
    creates: list[dict] = field(default_factory=list)
    updates: dict[int, dict] = field(default_factory=dict)  # citizen id → new milestone dates, phone
    issues: list[Issue] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)

    def counts(self) -> dict:
        actions = [r["action"] for r in self.rows]
        return {"created": actions.count("create"), "updated": actions.count("update"),
                "ignored": actions.count("ignore"), "errors": len(self.bad_rows)}


class ImportFileError(TrackerError):
    pass


# --- reading ---------------------------------------------------------------------------------

def _encoding(data: bytes) -> str:
    """The file's encoding, checked chunk by chunk so a 20 MB file is never decoded whole."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "cp1258"):
        decoder = codecs.getincrementaldecoder(encoding)()
        view = memoryview(data)
        try:
            for first in range(0, len(data), 1 << 20):
                decoder.decode(view[first:first + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFileError("tracker.import.error.encoding")


def _nfc(values: list) -> list:
    # cp1258 and macOS write combining tone marks (NFD): one normalisation a cell makes them NFC.
    return [v if v.isascii() else unicodedata.normalize("NFC", v) for v in values[:MAX_COLUMNS]]


def _csv_rows(data: bytes) -> Iterable[list]:
    """The file's rows, decoded as they are read; a malformed CSV is refused with its row."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=_encoding(data), newline="")
    first = stream.readline(65536)
    stream.seek(0)
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    number = 0  # rows read, as the spreadsheet numbers them (blank lines included)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_refusal(str(error), number + 1) from None
        except UnicodeDecodeError:
            raise ImportFileError("tracker.import.error.encoding", row=number + 1) from None
        number += 1
        yield _nfc(values)


def _csv_refusal(reason: str, row: int) -> ImportFileError:
    """Python's csv errors, said so that a volunteer can find and fix the row."""
    if "field limit" in reason:
        return ImportFileError("tracker.import.error.csv_field_too_long", row=row, limit=CSV_FIELD_LIMIT)
    if "end of data" in reason:
        return ImportFileError("tracker.import.error.csv_unclosed_quote", row=row)
    return ImportFileError("tracker.import.error.csv_malformed", row=row)


def check_zip(data: bytes, max_bytes: int = MAX_BYTES) -> None:
    """Refuse an XLSX whose parts would expand beyond what the laptop can hold, before openpyxl
    reads any of them (it reads the shared strings whole)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        shared = _shared_strings_parts(archive, max_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, UnicodeDecodeError):
        raise ImportFileError("tracker.import.error.not_xlsx") from None
    total = 0
    for member in members:
        size = member.file_size
        total += size
        streamed = member.filename.startswith("xl/worksheets/") and member.filename not in shared
        if (size > ZIP_RATIO_FROM and size > ZIP_MAX_RATIO * max(member.compress_size, 1)) \
                or (not streamed and size > max_bytes) or total > ZIP_TOTAL_FACTOR * max_bytes:
            raise ImportFileError("tracker.import.error.zip_bomb", part=member.filename,
                                  size_mb=round(size / 1e6), compressed_kb=round(member.compress_size / 1e3))


def _shared_strings_parts(archive: zipfile.ZipFile, max_bytes: int) -> set[str]:
    """The parts [Content_Types].xml names as shared strings: openpyxl reads them whole, whatever
    their name (a hostile file may put them among the worksheets)."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return set()
    if info.file_size > max_bytes:
        return set()  # refused by check_zip as a part read whole
    listing = archive.read(info).decode("utf-8", errors="replace")
    return {match.group(1) for tag in re.findall(r"<Override\b[^>]*>", listing) if "sharedStrings" in tag
            for match in [re.search(r'PartName="/?([^"]*)"', tag)] if match}


def _xlsx_rows(data: bytes, max_bytes: int = MAX_BYTES) -> Iterable[list]:
    check_zip(data, max_bytes)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError("tracker.import.error.not_xlsx") from None
    # The declared dimension (<dimension ref="A1:XFD1048576"/>) is the file's claim, not its
    # content: read the rows as they are, as wide as it says but at most MAX_COLUMNS.
    width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
    sheet.reset_dimensions()
    try:
        for values in sheet.iter_rows(values_only=True, max_col=width):
            yield [unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in values]
    except ImportFileError:
        raise
    except Exception:  # a broken part deep in the sheet
        raise ImportFileError("tracker.import.error.not_xlsx") from None
    finally:
        book.close()


def is_xlsx(data: bytes, filename: str = "") -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def read_rows(data: bytes, filename: str = "", max_bytes: int = MAX_BYTES) -> Iterable[list]:
    if is_xlsx(data, filename):
        return _xlsx_rows(data, max_bytes)
    return _csv_rows(data)


def estimate_rows(data: bytes, filename: str = "") -> int:
    """About how many data rows a file holds, for a progress bar (0 when unknown)."""
    if is_xlsx(data, filename):
        return 0
    newline = b"\n\x00" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else b"\n"
    return max(0, data.count(newline) - 1)


def unneutralise(value):
    """An exported cell "'=…" (formula injection guard) reads back as "=…"."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in GUARDED_START:
        return value[1:]
    return value


# --- validation ------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _yes(value: str) -> bool | None:
    folded = text.fold(value)
    if folded in YES:
        return True
    if folded in NO:
        return False
    return None


@lru_cache(maxsize=4096)
def _date(value: str) -> str:
    return fields.parse_date(value)


@lru_cache(maxsize=256)
def _gender(value: str) -> str:
    return fields.parse_gender(value)


def _text(value) -> str:
    if value.__class__ is str:
        # The readers already normalised every cell to NFC: trim, single spaces, formula guard.
        if value[:1] == "'":
            value = unneutralise(value)
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return text.clean(unneutralise(value) if isinstance(value, str) else value)


def _shown(value: str) -> str:
    """A cell as a message quotes it: never more than a line, whatever the file holds."""
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS - 1] + "…"


def plan(db, data: bytes, filename: str = "", *, allowed_village_ids: Iterable[int] | None = None,
         progress: Callable[[int, int], None] | None = None, today: dt.date | None = None,
         max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES) -> Plan:
    """Read and check every row; say what would be created, updated and ignored. Writes nothing.
    A file over ``max_bytes`` or with more than ``max_rows`` rows after its header is refused."""
    today_iso = (today or realtime.today()).isoformat()
    if len(data) > max_bytes:
        raise ImportFileError("tracker.import.error.too_big", size_mb=round(len(data) / 2**20, 1),
                              limit_mb=round(max_bytes / 2**20, 1))
    rows = read_rows(data, filename, max_bytes)
    result = Plan()
    iterator = iter(rows)
    header = None
    number = 0  # the spreadsheet's row number of the line just read (header = row 1 in the template)
    for header in iterator:
        number += 1
        if any(_text(c) for c in header):
            break
        if number > max_rows:  # a sheet of blank rows is no header
            break
    if not header or not any(_text(c) for c in header):
        raise ImportFileError("tracker.import.error.empty")
    last_row = number + max_rows
    total = estimate_rows(data, filename)
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    for index, cell in enumerate(header):
        name = _text(cell)
        found = FIELD_OF_HEADER.get(header_key(name))
        if found and found not in columns:
            columns[found] = index
            names[found] = name
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise ImportFileError("tracker.import.error.missing_columns",
                              columns=", ".join(TEMPLATE_HEADERS[list(REQUIRED).index(f) if f != "village" else 4]
                                                for f in missing))
    milestone_columns = [(m, columns[f"m_{m}"]) for m in MILESTONES if f"m_{m}" in columns]

    villages = {}
    for v in db.query("select id, code, name_folded from villages"):
        villages.setdefault(v["name_folded"], v["id"])
        if v["code"]:
            villages.setdefault(text.fold(v["code"]), v["id"])
    teams = {t["name_folded"]: t["id"] for t in db.query("select id, name_folded from teams")}
    village_team = {}
    for t in db.query("select id, village_id from teams where village_id is not null order by id"):
        village_team.setdefault(t["village_id"], t["id"])
    allowed = set(allowed_village_ids) if allowed_village_ids is not None else None
    existing: dict[tuple, list] = {}
    milestone_select = ", ".join(f"m_{m}" for m in MILESTONES)
    for row in db.execute(f"select id, name_folded, birth_year, village_id, phone, {milestone_select} from citizens"):
        existing.setdefault((row[1], row[2], row[3]), []).append(row)
    seen: dict[tuple, dict] = {}  # key → the create or update this file already plans
    this_year = int(today_iso[:4])

    # Each row's cells are cleaned once into ``texts``, padded so that every column index is
    # valid; a column the file lacks reads the empty cell kept at index ``width``.
    width = max(columns.values()) + 1
    blank = [""] * (width + 1)
    at = {name: columns.get(name, width) for name in FIELD_OF_HEADER.values()}
    # Each column read has a length limit (free text: fields.MAX_LENGTH; codes and ticks: a few words).
    limited = [(name, index, fields.MAX_LENGTH.get(name, fields.SHORT_LENGTH)) for name, index in columns.items()]
    i_name, i_year, i_gender, i_ethnicity, i_village, i_phone, i_date, i_team, i_last4 = (
        at[name] for name in ("full_name", "birth_year", "gender", "ethnicity", "village", "phone", "date", "team",
                              "cccd_last4"))
    # Village and team names repeat on every row: fold each once.
    village_of: dict[str, int | None] = {}
    team_of: dict[str, int | None] = {}

    for values in iterator:
        number += 1
        if number > last_row:
            raise ImportFileError("tracker.import.error.too_many_rows", row=number, limit=max_rows)
        if progress and number % PROGRESS_EVERY == 0:
            progress(number - 1, total)
        # any() settles most rows at once; the exact test (0 is a value, None and "" are not) the rest
        if not values or (not any(values) and all(v is None or v == "" for v in values)):
            continue
        result.total += 1
        issues = []
        texts = [" ".join(v.split()) if v.__class__ is str and v[:1] != "'" else _text(v) for v in values]
        if len(texts) <= width:
            texts.extend(blank[len(texts):])

        def bad(column_field, key, **params):
            issues.append(Issue(number, names.get(column_field, column_field), key, params))

        for name, index, limit in limited:
            if len(texts[index]) > limit:
                bad(name, "tracker.import.error.too_long", limit=limit, length=len(texts[index]))
        if issues:  # a cell too long is checked no further: its value is not worth quoting
            result.issues.extend(issues)
            result.bad_rows.add(number)
            result.rows.append({"row": number, "action": "error", "full_name": _shown(texts[i_name]),
                                "village": _shown(texts[i_village])})
            continue

        full_name = texts[i_name]
        if not full_name:
            bad("full_name", "tracker.import.error.name_missing")
        year_text = texts[i_year]
        year = None
        try:
            year = int(float(year_text)) if year_text else None
        except ValueError:
            pass
        if year is None or not 1900 <= year <= this_year:
            bad("birth_year", "tracker.import.error.birth_year", value=year_text, year=this_year)
        gender = None
        try:
            gender = _gender(texts[i_gender])
        except TrackerError:
            bad("gender", "tracker.import.error.gender", value=texts[i_gender])
        ethnicity = texts[i_ethnicity]
        if not ethnicity:
            bad("ethnicity", "tracker.import.error.ethnicity_missing")
        village_text = texts[i_village]
        if village_text in village_of:
            village_id = village_of[village_text]
        else:
            village_id = village_of[village_text] = villages.get(text.fold(village_text))
        if village_id is None:
            bad("village", "tracker.import.error.village", value=village_text)
        elif allowed is not None and village_id not in allowed:
            bad("village", "tracker.import.error.not_your_village", value=village_text)
        phone = None
        phone_text = texts[i_phone]
        if phone_text:
            try:
                phone = fields.parse_phone(phone_text)
            except TrackerError:
                bad("phone", "tracker.import.error.phone", value=phone_text)
        last4 = None
        if "cccd_last4" in columns:
            try:
                last4 = fields.parse_cccd_last4(texts[i_last4])
            except TrackerError:
                bad("cccd_last4", "tracker.import.error.cccd_last4")
        ticked = []
        for milestone, index in milestone_columns:
            raw = texts[index]
            answer = _yes(raw)
            if answer is None:
                issues.append(Issue(number, names[f"m_{milestone}"], "tracker.import.error.yes_value", {"value": raw}))
            elif answer:
                ticked.append(milestone)
        date_text = texts[i_date]
        day = None
        if date_text:
            try:
                day = _date(date_text)
                if day > today_iso:
                    bad("date", "tracker.import.error.future_date", value=date_text)
            except TrackerError:
                bad("date", "tracker.import.error.date", value=date_text)
        elif ticked:
            bad("date", "tracker.import.error.date_missing")
        team_id = None
        team_text = texts[i_team]
        if team_text:
            if team_text in team_of:
                team_id = team_of[team_text]
            else:
                team_id = team_of[team_text] = teams.get(text.fold(team_text))
            if team_id is None:
                bad("team", "tracker.import.error.team", value=team_text)

        key = (text.fold(full_name), year, village_id)
        matches = existing.get(key, [])
        if not issues and len(matches) > 1:
            bad("full_name", "tracker.import.error.ambiguous", count=len(matches))
        if issues:
            result.issues.extend(issues)
            result.bad_rows.add(number)
            result.rows.append({"row": number, "action": "error", "full_name": full_name, "village": village_text})
            continue

        dates = {m: day for m in ticked}
        planned = seen.get(key)
        if planned is None and not matches:
            planned = {"row": number, "full_name": full_name, "name_folded": key[0], "birth_year": year,
                       "gender": gender, "ethnicity": ethnicity, "village_id": village_id,
                       "team_id": team_id or village_team.get(village_id), "phone": phone, "cccd_last4": last4,
                       "consent_date": day or today_iso, "dates": dict(dates), "helper_team": team_id}
            seen[key] = planned
            result.creates.append(planned)
            action = "create"
        elif planned is not None and "citizen_id" not in planned:
            # a later row of the same file about a person this file creates: more milestones
            changed = _merge_dates(planned["dates"], dates)
            if phone and not planned["phone"]:
                planned["phone"], changed = phone, True
            action = "update" if changed else "ignore"
        else:
            if planned is None:
                current = matches[0]
                planned = {"citizen_id": current[0], "phone_now": current[4],
                           "dates_now": {m: current[5 + i] for i, m in enumerate(MILESTONES)},
                           "dates": {}, "phone": None, "helper_team": team_id}
                seen[key] = planned
            changed = False
            for milestone, value in dates.items():
                now = planned["dates"].get(milestone) or planned["dates_now"].get(milestone)
                if now is None or value < now:
                    planned["dates"][milestone] = value
                    changed = True
            if phone and not planned["phone_now"] and not planned["phone"]:
                planned["phone"], changed = phone, True
            if changed:
                result.updates[planned["citizen_id"]] = planned
            action = "update" if changed else "ignore"
        result.rows.append({"row": number, "action": action, "full_name": full_name, "village": village_text})
    if progress:
        progress(number - 1, number - 1)
    return result


def _merge_dates(into: dict, new: dict) -> bool:
    changed = False
    for milestone, value in new.items():
        if milestone not in into or value < into[milestone]:
            into[milestone] = value
            changed = True
    return changed


# --- writing ---------------------------------------------------------------------------------

# Bulk inserts of new people (the import; bench/tracker_scale.py's generated province).
CITIZEN_COLUMNS = ("id, full_name, name_folded, birth_year, gender, ethnicity, village_id, team_id, phone, cccd_last4, "
                   "consent_by, consent_date, source, is_demo, created_at, updated_at, digital_date, "
                   + ", ".join(f"m_{m}" for m in MILESTONES))
INSERT_CITIZEN = f"insert into citizens ({CITIZEN_COLUMNS}) values ({', '.join('?' * (17 + len(MILESTONES)))})"
INSERT_MILESTONE = ("insert into milestones (citizen_id, milestone, date, helped_by, team_id, note, created_by, "
                    "created_at) values (?, ?, ?, ?, ?, ?, ?, ?)")


def apply(db, result: Plan, *, mode: str = "all_or_nothing", actor: str, consent_by: str,
          progress: Callable[[int, int], None] | None = None) -> dict:
    """Write a plan in one transaction. ``mode``: "all_or_nothing" writes nothing when any row
    is bad; "valid_only" writes the good rows. Returns the counts written."""
    if mode not in ("all_or_nothing", "valid_only"):
        raise TrackerError("tracker.import.error.mode")
    consent_by = fields.check_length("consent_by", text.clean(consent_by))
    if not consent_by:
        raise TrackerError("tracker.error.consent", field="consent_by")
    counts = result.counts()
    if result.bad_rows and mode == "all_or_nothing":
        return {"created": 0, "updated": 0, "ignored": counts["ignored"], "written": False}
    chosen = settings.definition(db)
    stamp = realtime.now_iso()
    insert_citizens = INSERT_CITIZEN
    # The new people's milestones cannot clash with a recorded one: a plain insert.
    insert_milestones = INSERT_MILESTONE
    total = len(result.creates) + len(result.updates)
    with store.write(db):
        # the new people, in batches, each reported; counted for the dashboard's totals on the way
        next_id = db.execute("select coalesce(max(id), 0) + 1 from citizens").fetchone()[0]
        totals = schema.NewPeopleTotals()
        for first in range(0, len(result.creates), WRITE_BATCH):
            citizen_rows, milestone_rows = [], []
            for n, planned in enumerate(result.creates[first:first + WRITE_BATCH], start=first):
                citizen_id = next_id + n
                dates = planned["dates"]
                digital = max(dates[m] for m in chosen) if all(m in dates for m in chosen) else None
                citizen_rows.append((
                    citizen_id, planned["full_name"], planned["name_folded"], planned["birth_year"],
                    planned["gender"], planned["ethnicity"], planned["village_id"], planned["team_id"],
                    planned["phone"], planned["cccd_last4"], consent_by, planned["consent_date"], "import", 0, stamp,
                    stamp, digital, *[dates.get(m) for m in MILESTONES]))
                team = planned["helper_team"] or planned["team_id"]
                milestone_rows.extend((citizen_id, m, d, consent_by, team, "", actor, stamp) for m, d in dates.items())
                totals.add(gender=planned["gender"], ethnicity=planned["ethnicity"], birth_year=planned["birth_year"],
                           village_id=planned["village_id"], digital_date=digital,
                           milestones=[(m, d, team) for m, d in dates.items()])
            db.conn.executemany(insert_citizens, citizen_rows)
            db.conn.executemany(insert_milestones, milestone_rows)
            if progress:
                progress(first + len(citizen_rows), total)
        totals.write(db)
        milestone_rows = []
        update_rows = []
        for citizen_id, planned in result.updates.items():
            dates = {**{m: d for m, d in planned["dates_now"].items() if d}, **planned["dates"]}
            digital = max(dates[m] for m in chosen) if all(m in dates for m in chosen) else None
            update_rows.append((*[dates.get(m) for m in MILESTONES], digital, planned["phone"], stamp, citizen_id))
            team = planned["helper_team"]
            milestone_rows.extend((citizen_id, m, d, consent_by, team, "", actor, stamp)
                                  for m, d in planned["dates"].items())
        schema.citizen_totals(db, -1, result.updates)  # out of the totals, back in once updated
        db.conn.executemany(
            "update citizens set " + ", ".join(f"m_{m} = ?" for m in MILESTONES)
            + ", digital_date = ?, phone = coalesce(phone, ?), updated_at = ? where id = ?", update_rows)
        db.conn.executemany(
            "insert into milestones (citizen_id, milestone, date, helped_by, team_id, note, created_by, created_at) "
            "values (?, ?, ?, ?, coalesce(?, (select team_id from citizens where id = ?1)), ?, ?, ?) "
            "on conflict (citizen_id, milestone) do update set date = excluded.date, helped_by = excluded.helped_by "
            "where excluded.date < milestones.date", milestone_rows)
        schema.citizen_totals(db, 1, result.updates)
        audit.record(db, actor, "import.committed", "citizen", None, created=counts["created"],
                     updated=counts["updated"], ignored=counts["ignored"], bad_rows=len(result.bad_rows), mode=mode)
    if progress:
        progress(total, total)
    return {"created": counts["created"], "updated": counts["updated"], "ignored": counts["ignored"], "written": True}


def import_file(db, data: bytes, filename: str = "", *, dry_run: bool = False, mode: str = "all_or_nothing",
                actor: str = "cli", consent_by: str = "", lang: str = "vi", allowed_village_ids=None,
                progress=None, write_progress=None, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES) -> dict:
    """Plan and (unless ``dry_run``) apply; the CLI's JSON object. ``progress(done, total)`` is
    called as rows are read and checked, ``write_progress(done, total)`` as people are written."""
    result = plan(db, data, filename, allowed_village_ids=allowed_village_ids, progress=progress,
                  max_rows=max_rows, max_bytes=max_bytes)
    counts = result.counts()
    report = {"created": counts["created"], "updated": counts["updated"], "ignored": counts["ignored"],
              "errors": [issue.as_dict(lang) for issue in result.issues]}
    if not dry_run:
        written = apply(db, result, mode=mode, actor=actor, consent_by=consent_by or actor,
                        progress=write_progress)
        if not written["written"]:
            report["created"] = report["updated"] = 0
    return report


# --- the template ----------------------------------------------------------------------------

def template_csv() -> bytes:
    """The template as UTF-8 with a BOM, so Excel on Windows shows the diacritics."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(TEMPLATE_HEADERS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(lang: str = "vi") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Công dân số"
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in "ABCDEFGHIJKLM":
        sheet.column_dimensions[column].width = 16
    sheet.column_dimensions["A"].width = 28
    help_sheet = book.create_sheet(i18n.t("tracker.import.help_sheet", lang)[:31])
    for line in i18n.t("tracker.import.help_lines", lang).split("\n"):
        help_sheet.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
