"""Import citizens and milestones from the CSV/XLSX sheets volunteers keep (issue 8).

Forgiving about what people really type: headers in any case, spacing or without diacritics;
"x", "có", "1", "✓", "TRUE" as yes; dates as dd/mm/yyyy, ISO or Excel serials; files saved as
UTF-8 or UTF-16 (LE or BE, with or without BOM) or Windows-1258, in NFC or NFD. Strict about what
it stores: every bad row is reported with its row number as a spreadsheet shows it (header = row
1), its column and a message saying what to fix.

``plan()`` reads and validates without writing anything (the dry run); ``apply()`` writes a
plan in one transaction, all-or-nothing or valid rows only. A citizen is the same person when
name (diacritics forgiven), birth year and village match, so importing the same file twice
changes nothing. Never a silent merge: a row matching two recorded citizens is an error.
A team value that is no team's name ("Tổ 3") is a decision for the person importing, never
an error nor a guess: see ``team_names`` (issue 15).

Limits (issue 15): a file is refused with a message saying what and where, before it can
exhaust the laptop: at most ``sheets.MAX_BYTES`` (the page's upload limit) and ``sheets.MAX_ROWS`` rows after
the header; an XLSX's zip is checked member by member before openpyxl opens it (a 400 KB file
held a 400 MB shared string) and its declared dimension is ignored (a 2 KB file declaring
A1:XFD1048576 kept the import busy for minutes); a CSV is decoded as a stream, and a cell
Python's csv cannot hold or a quote never closed is refused with its row. Each cell the import
uses has a length limit (``fields.MAX_LENGTH``), reported like any other bad cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

import openpyxl
from openpyxl.styles import Font

from workbench import i18n, store, text
from workbench.tracker import audit, fields, realtime, schema, settings, sheets, team_names
from workbench.tracker.formulas import unneutralise
from workbench.tracker.errors import ImportFileError, TrackerError
from workbench.tracker.schema import MILESTONES

TEMPLATE_HEADERS = ["Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "Thôn/Buôn", "Số điện thoại", "VNeID mức 2",
                    "Tài khoản DVC", "Sổ sức khỏe điện tử", "Tài khoản ngân hàng", "Ví điện tử", "Ngày", "Tổ CNS"]
# Columns the template does not have but an export (or a thorough volunteer) may; a commune
# that counts Bình dân học vụ số in its definition adds its column to the sheet (issue 13).
EXTRA_HEADERS = ["Chuẩn hóa SIM", "Nộp hồ sơ trực tuyến", "4 số cuối CCCD", "Bình dân học vụ số"]

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
    "binhdanhocvuso": "m_bdhvs", "hoanthanhbinhdanhocvuso": "m_bdhvs", "bdhvs": "m_bdhvs", "hocvuso": "m_bdhvs",
    "nophosotructuyen": "m_dossier", "hosotructuyen": "m_dossier", "hosotructuyendautien": "m_dossier",
    "ngay": "date", "ngayhotro": "date", "date": "date",
    "tocns": "team", "tocongnghesocongdong": "team", "to": "team", "team": "team",
    "4socuoicccd": "cccd_last4", "cccd4socuoi": "cccd_last4",
}
REQUIRED = ("full_name", "birth_year", "gender", "ethnicity", "village")
YES = {"x", "co", "1", "✓", "✔", "true", "yes", "y", "v", "roi", "da", "ok", "dat", "1.0"}
NO = {"", "0", "khong", "no", "false", "n", "-", "chua", "0.0"}
SHOWN_CHARS = 60  # at most this much of a cell is quoted in a message
TEAM_ROWS_SHOWN = 10  # row numbers kept for each team value waiting for a decision
TEAM_VALUES_LISTED = 100  # team values waiting for a decision listed in the CLI's JSON
PROGRESS_EVERY = 1000  # rows read between two progress calls
WRITE_BATCH = 10_000  # people written between two progress calls



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
    # Team values that are no team's name, folded → value as first written, rows (count),
    # first_rows (up to TEAM_ROWS_SHOWN), choice (team id, CREATE, NO_TEAM or None: undecided)
    # and remembered (the choice kept from an earlier file, or None).
    team_values: dict[str, dict] = field(default_factory=dict)
    undecided_rows: set[int] = field(default_factory=set)  # rows waiting for a team decision
    new_team_people: dict[str, list] = field(default_factory=dict)  # folded value → people of a team to create

    def counts(self) -> dict:
        actions = [r["action"] for r in self.rows]
        return {"created": actions.count("create"), "updated": actions.count("update"),
                "ignored": actions.count("ignore"), "errors": len(self.bad_rows),
                "undecided": len(self.undecided_rows)}

    def undecided_teams(self) -> list[dict]:
        """The team values still waiting for a decision, the most used first."""
        waiting = [{"value_folded": folded, **entry} for folded, entry in self.team_values.items()
                   if entry["choice"] is None]
        return sorted(waiting, key=lambda entry: (-entry["rows"], entry["first_rows"][0]))

    def team_decisions(self) -> dict[str, tuple]:
        """The decisions of this import to keep for the next files: new or changed ones."""
        return {folded: (entry["value"], entry["choice"]) for folded, entry in self.team_values.items()
                if entry["choice"] is not None and entry["choice"] != entry["remembered"]}


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
         team_decisions: dict | None = None, unknown_teams: str | None = None, may_create_teams: bool = True,
         max_rows: int = sheets.MAX_ROWS, max_bytes: int = sheets.MAX_BYTES) -> Plan:
    """Read and check every row; say what would be created, updated and ignored. Writes nothing.
    A file over ``max_bytes`` or with more than ``max_rows`` rows after its header is refused.

    ``team_decisions`` (value → team id, ``team_names.CREATE`` or ``NO_TEAM``) say what a team
    value that is no team's name means, over what earlier files decided; ``unknown_teams``
    (CREATE or NO_TEAM) decides every value left. A value still undecided holds its rows back
    (``Plan.undecided_rows``) until the person decides: it is never guessed."""
    decisions = team_names.check(db, team_decisions or {}, may_create=may_create_teams)
    if unknown_teams not in (None, team_names.CREATE, team_names.NO_TEAM):
        raise TrackerError("tracker.import.error.mode")
    if unknown_teams == team_names.CREATE and not may_create_teams:
        raise TrackerError("tracker.error.forbidden", field="team", action="admin")
    today_iso = (today or realtime.today()).isoformat()
    if len(data) > max_bytes:
        raise ImportFileError("tracker.import.error.too_big", size_mb=round(len(data) / 2**20, 1),
                              limit_mb=round(max_bytes / 2**20, 1))
    rows = sheets.read_rows(data, filename, max_bytes)
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
    total = sheets.estimate_rows(data, filename)
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
    remembered = team_names.remembered(db)
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
    team_of: dict[str, tuple] = {}  # value as written → (team id, folded value when it is no team's name)
    team_values = result.team_values

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
        undecided = no_team = False
        new_team = None
        if team_text:
            if team_text in team_of:
                team_id, folded_team = team_of[team_text]
            else:
                folded_team = text.fold(team_text)
                team_id = teams.get(folded_team)
                folded_team = None if team_id is not None else folded_team
                team_of[team_text] = (team_id, folded_team)
            if folded_team is not None:
                entry = team_values.get(folded_team)
                if entry is None:
                    before = remembered.get(folded_team)
                    choice = decisions.get(folded_team, before if before is not None else unknown_teams)
                    entry = team_values[folded_team] = {"value": team_text, "rows": 0, "first_rows": [],
                                                        "choice": choice, "remembered": before}
                entry["rows"] += 1
                if len(entry["first_rows"]) < TEAM_ROWS_SHOWN:
                    entry["first_rows"].append(number)
                choice = entry["choice"]
                if choice is None:
                    undecided = True
                elif choice == team_names.NO_TEAM:
                    no_team = True
                elif choice == team_names.CREATE:
                    new_team = folded_team
                    if len(entry["value"]) > team_names.MAX_NAME:
                        bad("team", "tracker.import.error.team_too_long", limit=team_names.MAX_NAME)
                else:
                    team_id = choice

        key = (text.fold(full_name), year, village_id)
        matches = existing.get(key, [])
        if not issues and len(matches) > 1:
            bad("full_name", "tracker.import.error.ambiguous", count=len(matches))
        if issues:
            result.issues.extend(issues)
            result.bad_rows.add(number)
            result.rows.append({"row": number, "action": "error", "full_name": full_name, "village": village_text})
            continue
        if undecided:
            result.undecided_rows.add(number)
            result.rows.append({"row": number, "action": "undecided", "full_name": full_name, "village": village_text})
            continue

        dates = {m: day for m in ticked}
        planned = seen.get(key)
        if planned is None and not matches:
            planned = {"row": number, "full_name": full_name, "name_folded": key[0], "birth_year": year,
                       "gender": gender, "ethnicity": ethnicity, "village_id": village_id,
                       "team_id": None if no_team or new_team else team_id or village_team.get(village_id),
                       "phone": phone, "cccd_last4": last4, "consent_date": day or today_iso, "dates": dict(dates),
                       "helper_team": team_id}
            seen[key] = planned
            if new_team:
                result.new_team_people.setdefault(new_team, []).append(planned)
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
                if new_team:
                    result.new_team_people.setdefault(new_team, []).append(planned)
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
    if (result.bad_rows or result.undecided_rows) and mode == "all_or_nothing":
        return {"created": 0, "updated": 0, "ignored": counts["ignored"], "written": False}
    chosen = settings.definition(db)
    stamp = realtime.now_iso()
    insert_citizens = INSERT_CITIZEN
    # The new people's milestones cannot clash with a recorded one: a plain insert.
    insert_milestones = INSERT_MILESTONE
    total = len(result.creates) + len(result.updates)
    with store.write(db):
        # the person's team decisions first: the people of a team to create need its id
        new_ids = team_names.remember(db, result.team_decisions(), actor=actor)
        for folded, people in result.new_team_people.items():
            for planned in people:
                planned["team_id"] = planned["helper_team"] = new_ids[folded]
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
                     updated=counts["updated"], ignored=counts["ignored"], bad_rows=len(result.bad_rows),
                     undecided_rows=len(result.undecided_rows), mode=mode)
    if progress:
        progress(total, total)
    return {"created": counts["created"], "updated": counts["updated"], "ignored": counts["ignored"], "written": True}


def import_file(db, data: bytes, filename: str = "", *, dry_run: bool = False, mode: str = "all_or_nothing",
                actor: str = "cli", consent_by: str = "", lang: str = "vi", allowed_village_ids=None,
                progress=None, write_progress=None, team_decisions: dict | None = None,
                unknown_teams: str | None = None, max_rows: int = sheets.MAX_ROWS,
                max_bytes: int = sheets.MAX_BYTES) -> dict:
    """Plan and (unless ``dry_run``) apply; the CLI's JSON object. ``progress(done, total)`` is
    called as rows are read and checked, ``write_progress(done, total)`` as people are written.
    Team values still waiting for a decision are listed under ``undecided_teams`` (only then)."""
    result = plan(db, data, filename, allowed_village_ids=allowed_village_ids, progress=progress,
                  team_decisions=team_decisions, unknown_teams=unknown_teams, max_rows=max_rows,
                  max_bytes=max_bytes)
    counts = result.counts()
    report = {"created": counts["created"], "updated": counts["updated"], "ignored": counts["ignored"],
              "errors": [issue.as_dict(lang) for issue in result.issues]}
    if result.undecided_rows:
        report["undecided_teams"] = undecided_teams_report(db, result)
    if not dry_run:
        written = apply(db, result, mode=mode, actor=actor, consent_by=consent_by or actor,
                        progress=write_progress)
        if not written["written"]:
            report["created"] = report["updated"] = 0
    return report


def undecided_teams_report(db, result: Plan, limit: int = TEAM_VALUES_LISTED) -> list[dict]:
    """The team values waiting for a decision, the most used first, each with its row count,
    first rows and the suggested team's name (null when none fits): for the CLI's JSON."""
    waiting = result.undecided_teams()[:limit]
    suggested = team_names.suggest(db, [entry["value"] for entry in waiting])
    names = {row[0]: row[1] for row in db.execute("select id, name from teams")}
    return [{"value": entry["value"], "rows": entry["rows"], "first_rows": entry["first_rows"],
             "suggestion": names.get(suggested[entry["value"]])} for entry in waiting]


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
