"""The "1.000 công dân số" tracker (issue 8): citizens, milestones, targets and the figures.

Real people's data: it lives only in ``tracker.db`` (``store.tracker()``), never in the
sandbox. Every write goes through ``store.write`` and leaves an audit line naming who did
what, by ids and field names only (no names, no phone numbers), so a citizen deleted on
request leaves nothing of themselves behind but that line.

All dashboard figures are computed in SQL and return small lists of aggregated rows.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
import unicodedata
from dataclasses import dataclass

from workbench import fakes, store
from workbench.errors import Refusal
from workbench.tracker.schema import citizen_totals, fill_dashboard_totals, MILESTONES

# Seed 004 (Ea Yông): VNeID level 2, public-service account, e-health book, bank account,
# e-wallet payment make a "công dân số".
DEFAULT_DEFINITION = ("vneid2", "dvc", "health_book", "bank", "wallet")
GENDERS = ("nam", "nữ")
DEFAULT_TARGET = 1000
DEMO_CITIZENS = 3000
DEMO_SEED = 2024
LAG_RATIO = 0.75  # a village is lagging below 75% of the commune's rate per population
ELDER_AGE = 60


class TrackerError(Refusal):
    """Bad input or a refused action; ``field`` names the input to fix."""

    def __init__(self, key: str, field: str | None = None, **params):
        super().__init__(key, **params)
        self.field = field


class DuplicateCitizen(TrackerError):
    def __init__(self, matches: list[dict]):
        super().__init__("tracker.error.duplicate", field="full_name", count=len(matches))
        self.matches = matches


# --- text ---------------------------------------------------------------------------------



def clean_text(value) -> str:
    """NFC, trimmed, single spaces: "Nguyễn  Văn A " typed in NFD is the same as in NFC."""
    # str.split() and re's \s agree on what whitespace is; split/join is the faster of the two.
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


# Every combining mark of the Basic Multilingual Plane, removed in one str.translate (the
# importer folds tens of thousands of names a second); marks beyond it take the slow path.
_COMBINING = {cp: None for cp in range(0x300, 0x10000) if unicodedata.combining(chr(cp))}


def fold(value) -> str:
    """Lower case without diacritics, so "nguyen van a" finds "Nguyễn Văn A"."""
    text = unicodedata.normalize("NFD", str(value or "").lower()).replace("đ", "d")
    text = text.translate(_COMBINING)
    if not text.isascii() and any(ord(ch) > 0xFFFF for ch in text):
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("\u0111", "d").split())


def today() -> dt.date:
    # Real time: the tracker records real events, the sandbox clock is not involved.
    return dt.date.today()


def now_iso() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def mask_phone(phone: str | None) -> str:
    """What a volunteer sees: "0912345678" → "0912***678"."""
    if not phone:
        return ""
    return phone[:4] + "***" + phone[-3:] if len(phone) >= 8 else "***"


# --- audit and data version -----------------------------------------------------------------

def audit(db, actor: str, action: str, entity: str = "", entity_id: int | None = None, **detail) -> int:
    """One line of who changed what. ``detail`` holds ids and field names, never personal data."""
    with store.write(db):
        cursor = db.execute(
            "insert into audit (at, actor, action, entity, entity_id, detail) values (?, ?, ?, ?, ?, ?)",
            [now_iso(), actor or "?", action, entity, entity_id, json.dumps(detail, ensure_ascii=False)],
        )
        return cursor.lastrowid


# Audit lines of actions that change no figure: signing in, managing users, exports, backups.
# Every other write (citizens, milestones, villages, teams, targets, settings, imports, demo
# data, restores…) leaves a line that is not one of these, so it moves the data version.
_NOT_DATA = ("auth.", "user.", "export.", "backup.created", "citizen.exported")


def data_version(db) -> int:
    """The dashboard's cache key: the id of the last audit line of a write that can change a
    figure. A login, a user change or an export writes an audit line too, but leaves it as it
    is, so signing in does not throw away a province's cached dashboard. Walks the audit log
    back from its newest line to the first such write (a few rows, by rowid)."""
    clauses = " and ".join(["action not like ?"] * len(_NOT_DATA))
    row = db.execute(f"select id from audit where {clauses} order by id desc limit 1",
                     [f"{p}%" for p in _NOT_DATA]).fetchone()
    return row[0] if row else 0


def audit_log(db, limit: int = 200, entity: str | None = None, entity_id: int | None = None) -> list[dict]:
    sql, params = "select * from audit", []
    if entity:
        sql += " where entity = ? and entity_id = ?"
        params = [entity, entity_id]
    return list(db.query(sql + " order by id desc limit ?", [*params, limit]))


# --- settings --------------------------------------------------------------------------------

def get_setting(db, key: str, default=None):
    row = db.execute("select value from settings where key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def set_setting(db, key: str, value, actor: str = "system") -> None:
    with store.write(db):
        db.execute("insert or replace into settings (key, value) values (?, ?)",
                   [key, json.dumps(value, ensure_ascii=False)])
        audit(db, actor, "setting.changed", "setting", None, key=key)


def definition(db) -> tuple[str, ...]:
    """The milestones that make a "công dân số" (a setting; default: the five of seed 004)."""
    chosen = get_setting(db, "digital_definition", list(DEFAULT_DEFINITION))
    return tuple(m for m in MILESTONES if m in chosen) or DEFAULT_DEFINITION


def _digital_expr(milestones) -> str:
    # SQLite's multi-argument max() is NULL when any argument is NULL: exactly "all reached".
    columns = [f"m_{m}" for m in milestones]
    return columns[0] if len(columns) == 1 else f"max({', '.join(columns)})"


def set_definition(db, milestones, actor: str) -> int:
    """Change the definition and recompute every citizen's date of becoming digital."""
    chosen = [m for m in MILESTONES if m in set(milestones)]
    if not chosen:
        raise TrackerError("tracker.error.definition_empty", field="definition")
    with store.write(db):
        db.execute("insert or replace into settings (key, value) values ('digital_definition', ?)",
                   [json.dumps(chosen)])
        db.execute(f"update citizens set digital_date = {_digital_expr(chosen)}")
        fill_dashboard_totals(db)  # everyone's date may have moved: recount
        audit(db, actor, "definition.changed", "setting", None, milestones=chosen)
    return db.execute("select count(*) from citizens where digital_date is not null").fetchone()[0]


# --- commune, villages, teams -----------------------------------------------------------------

def commune(db) -> dict | None:
    row = list(db.query("select * from communes order by id limit 1"))
    return row[0] if row else None


def set_commune(db, name: str, district: str, province: str, actor: str) -> int:
    name = clean_text(name)
    if not name:
        raise TrackerError("tracker.error.required", field="name")
    with store.write(db):
        current = commune(db)
        values = {"name": name, "district": clean_text(district), "province": clean_text(province)}
        if current:
            db["communes"].update(current["id"], values)
            commune_id = current["id"]
        else:
            commune_id = db["communes"].insert(values).last_pk
        audit(db, actor, "commune.saved", "commune", commune_id)
    return commune_id


def villages(db, village_ids=None) -> list[dict]:
    sql = "select * from villages"
    params: list = []
    if village_ids is not None:
        sql += f" where id in ({','.join('?' * len(village_ids))})" if village_ids else " where 0"
        params = list(village_ids)
    return list(db.query(sql + " order by code, name", params))


def save_village(db, *, name: str, population: int, households: int, code: str = "", actor: str,
                 village_id: int | None = None, is_demo: bool = False) -> int:
    name = clean_text(name)
    if not name:
        raise TrackerError("tracker.error.required", field="name")
    try:
        population, households = int(population), int(households)
    except (TypeError, ValueError):
        raise TrackerError("tracker.error.not_a_number", field="population") from None
    if population < 0 or households < 0:
        raise TrackerError("tracker.error.not_a_number", field="population")
    with store.write(db):
        commune_row = commune(db)
        commune_id = commune_row["id"] if commune_row else set_commune(db, "Xã", "", "", actor)
        values = {"name": name, "name_folded": fold(name), "population": population, "households": households,
                  "code": clean_text(code) or None, "commune_id": commune_id, "is_demo": int(is_demo)}
        if village_id:
            db["villages"].update(village_id, values)
        else:
            village_id = db["villages"].insert(values).last_pk
        audit(db, actor, "village.saved", "village", village_id)
    return village_id


def resolve_village(db, value) -> int:
    """A village id from an id, a code or a name typed with or without diacritics."""
    if isinstance(value, int):
        row = db.execute("select id from villages where id = ?", [value]).fetchone()
    else:
        text = clean_text(value)
        row = db.execute("select id from villages where code = ? or name_folded = ? order by id limit 1",
                         [text, fold(text)]).fetchone()
    if not row:
        raise TrackerError("tracker.error.unknown_village", field="village", village=str(value))
    return row[0]


def teams(db, village_ids=None) -> list[dict]:
    sql = ("select t.*, v.name as village_name, (select count(*) from team_members m where m.team_id = t.id) "
           "as members from teams t left join villages v on v.id = t.village_id")
    params: list = []
    if village_ids is not None:
        sql += f" where t.village_id in ({','.join('?' * len(village_ids))})" if village_ids else " where 0"
        params = list(village_ids)
    return list(db.query(sql + " order by t.name", params))


def save_team(db, *, name: str, village_id: int | None, actor: str, team_id: int | None = None,
              is_demo: bool = False) -> int:
    name = clean_text(name)
    if not name:
        raise TrackerError("tracker.error.required", field="name")
    with store.write(db):
        values = {"name": name, "name_folded": fold(name), "village_id": village_id, "is_demo": int(is_demo)}
        if team_id:
            db["teams"].update(team_id, values)
        else:
            team_id = db["teams"].insert(values).last_pk
        audit(db, actor, "team.saved", "team", team_id)
    return team_id


def add_team_member(db, team_id: int, full_name: str, actor: str, role: str = "member",
                    is_demo: bool = False) -> int:
    full_name = clean_text(full_name)
    if not full_name:
        raise TrackerError("tracker.error.required", field="full_name")
    with store.write(db):
        member_id = db["team_members"].insert(
            {"team_id": team_id, "full_name": full_name, "role": role, "is_demo": int(is_demo)}).last_pk
        audit(db, actor, "team_member.added", "team", team_id)
    return member_id


def team_members(db, team_id: int) -> list[dict]:
    return list(db.query("select * from team_members where team_id = ? order by id", [team_id]))


def team_for_village(db, village_id: int) -> int | None:
    row = db.execute("select id from teams where village_id = ? order by id limit 1", [village_id]).fetchone()
    return row[0] if row else None


def resolve_team(db, value) -> int | None:
    text = clean_text(value)
    if not text:
        return None
    row = db.execute("select id from teams where name_folded = ? order by id limit 1", [fold(text)]).fetchone()
    if not row:
        raise TrackerError("tracker.error.unknown_team", field="team", team=text)
    return row[0]


# --- citizens -------------------------------------------------------------------------------

def parse_gender(value) -> str:
    folded = fold(value)
    if folded in ("nam", "m", "male", "trai", "1"):
        return "nam"
    if folded in ("nu", "f", "female", "gai", "2", "0"):
        return "nữ"
    raise TrackerError("tracker.error.gender", field="gender", value=clean_text(value))


def parse_birth_year(value, on: dt.date | None = None) -> int:
    try:
        year = int(float(str(value).strip()))
    except (TypeError, ValueError):
        raise TrackerError("tracker.error.birth_year", field="birth_year", value=clean_text(value)) from None
    if not 1900 <= year <= (on or today()).year:
        raise TrackerError("tracker.error.birth_year", field="birth_year", value=str(year))
    return year


def parse_date(value) -> str:
    """ISO date from a date, "dd/mm/yyyy", "yyyy-mm-dd" or an Excel serial number."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(value)
    if not text:
        raise TrackerError("tracker.error.date_missing", field="date")
    try:
        if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}", text):
            day, month, year = re.split(r"[/.\-]", text)
            return dt.date(int(year), int(month), int(day)).isoformat()
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}([ T].*)?", text):
            year, month, day = text[:10].split(" ")[0].split("T")[0].split("-")
            return dt.date(int(year), int(month), int(day)).isoformat()
        if re.fullmatch(r"\d{4,5}(\.0+)?", text):
            serial = int(float(text))
            if 20000 <= serial <= 80000:  # Excel serials for 1954-2119
                return (dt.date(1899, 12, 30) + dt.timedelta(days=serial)).isoformat()
    except ValueError:
        pass
    raise TrackerError("tracker.error.date", field="date", value=text)


def parse_cccd_last4(value) -> str | None:
    text = clean_text(value)
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise TrackerError("tracker.error.cccd_last4", field="cccd_last4")
    return text


def parse_phone(value) -> str | None:
    text = clean_text(value)
    if not text:
        return None
    try:
        return fakes.normalise_phone(text)
    except fakes.InvalidPhone as error:
        raise TrackerError("tracker.error.phone", field="phone", value=text, reason=error.key) from None


def find_duplicates(db, full_name: str, birth_year: int, village_id: int) -> list[dict]:
    """Citizens with the same name (diacritics forgiven), birth year and village."""
    return list(db.query(
        "select id, full_name, birth_year, village_id, created_at from citizens "
        "where name_folded = ? and birth_year = ? and village_id = ?",
        [fold(full_name), int(birth_year), village_id]))


def check_citizen(*, full_name, birth_year, gender, ethnicity, phone=None, cccd_last4=None, consent_by,
                  consent_date) -> tuple[dict, dict[str, TrackerError]]:
    """Every field of a person checked at once: the cleaned values, and one error per bad field
    (so a form can show them all, each beside its field, GOV.UK style)."""
    clean, errors = {}, {}

    def take(name, parse, value):
        try:
            clean[name] = parse(value)
        except TrackerError as error:
            error.field = name
            errors[name] = error

    def required(key):
        def parse(value):
            text = clean_text(value)
            if not text:
                raise TrackerError(key)
            return text
        return parse

    take("full_name", required("tracker.error.required"), full_name)
    take("birth_year", parse_birth_year, birth_year)
    take("gender", parse_gender, gender)
    take("ethnicity", required("tracker.error.required"), ethnicity)
    take("phone", parse_phone, phone)
    take("cccd_last4", parse_cccd_last4, cccd_last4)
    take("consent_by", required("tracker.error.consent"), consent_by)

    def consent(value):
        day = parse_date(value)
        if day > today().isoformat():
            raise TrackerError("tracker.error.future_date")
        return day

    take("consent_date", consent, consent_date)
    return clean, errors


def add_citizen(db, *, full_name, birth_year, gender, ethnicity, village, phone=None, consent_by,
                consent_date, actor, source="manual", cccd_last4=None, team_id=None, allow_duplicate=False,
                is_demo=False) -> int:
    """Add one citizen after checking every field; a possible duplicate is refused unless the
    caller confirms it is another person (``allow_duplicate``): never a silent merge."""
    clean, errors = check_citizen(full_name=full_name, birth_year=birth_year, gender=gender, ethnicity=ethnicity,
                                  phone=phone, cccd_last4=cccd_last4, consent_by=consent_by,
                                  consent_date=consent_date)
    if errors:
        raise next(iter(errors.values()))
    full_name, year, gender, ethnicity = clean["full_name"], clean["birth_year"], clean["gender"], clean["ethnicity"]
    phone, last4, consent_by, consent = clean["phone"], clean["cccd_last4"], clean["consent_by"], clean["consent_date"]
    with store.write(db):
        village_id = resolve_village(db, village)
        if not allow_duplicate:
            matches = find_duplicates(db, full_name, year, village_id)
            if matches:
                raise DuplicateCitizen(matches)
        stamp = now_iso()
        citizen_id = db["citizens"].insert({
            "full_name": full_name, "name_folded": fold(full_name), "birth_year": year, "gender": gender,
            "ethnicity": ethnicity, "village_id": village_id,
            "team_id": team_id or team_for_village(db, village_id), "phone": phone, "cccd_last4": last4,
            "consent_by": consent_by, "consent_date": consent, "source": source, "is_demo": int(is_demo),
            "created_at": stamp, "updated_at": stamp,
        }).last_pk
        citizen_totals(db, 1, [citizen_id])
        audit(db, actor, "citizen.created", "citizen", citizen_id, source=source)
    return citizen_id


def get_citizen(db, citizen_id: int) -> dict | None:
    rows = list(db.query(
        "select c.*, v.name as village_name, t.name as team_name from citizens c "
        "left join villages v on v.id = c.village_id left join teams t on t.id = c.team_id where c.id = ?",
        [citizen_id]))
    return rows[0] if rows else None


def citizen_milestones(db, citizen_id: int) -> dict[str, dict]:
    return {row["milestone"]: row for row in db.query(
        "select milestone, date, helped_by, team_id, note from milestones where citizen_id = ?", [citizen_id])}


def record_milestone(db, citizen_id, milestone, date, helped_by, actor, note="", team_id=None) -> bool:
    """Record that a citizen reached a milestone on a date. Returns True when it changed anything.

    Recording a milestone already reached keeps the earlier date (the first time counts).
    """
    if milestone not in MILESTONES:
        raise TrackerError("tracker.error.unknown_milestone", field="milestone", milestone=str(milestone))
    day = parse_date(date)
    if day > today().isoformat():
        raise TrackerError("tracker.error.future_date", field="date")
    with store.write(db):
        citizen = db.execute("select team_id from citizens where id = ?", [citizen_id]).fetchone()
        if citizen is None:
            raise TrackerError("tracker.error.unknown_citizen", field="citizen")
        current = db.execute("select date from milestones where citizen_id = ? and milestone = ?",
                             [citizen_id, milestone]).fetchone()
        if current and current[0] <= day:
            return False
        team = team_id or citizen[0]
        citizen_totals(db, -1, [citizen_id])  # out of the dashboard's totals, back in below
        if current:
            db.execute("update milestones set date = ?, helped_by = ?, team_id = ?, note = ? "
                       "where citizen_id = ? and milestone = ?",
                       [day, clean_text(helped_by), team, clean_text(note), citizen_id, milestone])
        else:
            db.execute("insert into milestones (citizen_id, milestone, date, helped_by, team_id, note, created_by, "
                       "created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                       [citizen_id, milestone, day, clean_text(helped_by), team, clean_text(note), actor, now_iso()])
        db.execute(f"update citizens set m_{milestone} = ?, updated_at = ? where id = ?", [day, now_iso(), citizen_id])
        db.execute(f"update citizens set digital_date = {_digital_expr(definition(db))} where id = ?", [citizen_id])
        citizen_totals(db, 1, [citizen_id])
        audit(db, actor, "milestone.recorded", "citizen", citizen_id, milestone=milestone)
    return True


def save_entry(db, *, actor: str, helped_by: str, citizen_id: int | None = None, citizen: dict | None = None,
               milestones: dict | None = None, note: str = "", allow_duplicate: bool = False) -> int:
    """A volunteer's quick entry in one transaction: the citizen (found, or ``citizen`` fields to
    add) and the milestones ticked, each with its date. Nothing is saved if any part is refused,
    so a bad date never leaves a half-entered person behind."""
    if citizen_id is None and citizen is None:
        raise TrackerError("tracker.error.unknown_citizen", field="citizen")
    with store.write(db):
        if citizen_id is None:
            citizen_id = add_citizen(db, actor=actor, allow_duplicate=allow_duplicate, **citizen)
        for milestone, day in (milestones or {}).items():
            try:
                record_milestone(db, citizen_id, milestone, day, helped_by=helped_by, actor=actor, note=note)
            except TrackerError as error:
                error.field = f"m_{milestone}"  # the page shows the message beside that milestone
                raise
    return citizen_id


@dataclass(frozen=True)
class Scope:
    """What a signed-in user may see of citizens: None = every village."""

    village_ids: tuple[int, ...] | None = None
    mask_phones: bool = False


def search(db, text: str, scope: Scope = Scope(), limit: int = 20) -> list[dict]:
    """Citizens whose name contains the words typed, diacritics forgiven, newest first."""
    words = fold(text).split()
    if not words:
        return []
    clauses = ["c.name_folded like ?"] * len(words)
    params: list = [f"%{w}%" for w in words]
    if scope.village_ids is not None:
        clauses.append(f"c.village_id in ({','.join('?' * len(scope.village_ids))})" if scope.village_ids else "0")
        params += list(scope.village_ids)
    rows = list(db.query(
        "select c.id, c.full_name, c.birth_year, c.gender, c.ethnicity, c.village_id, v.name as village_name, "
        "c.phone, c.digital_date from citizens c left join villages v on v.id = c.village_id "
        f"where {' and '.join(clauses)} order by c.id desc limit ?", [*params, limit]))
    if scope.mask_phones:
        for row in rows:
            row["phone"] = mask_phone(row["phone"])
    return rows


def citizen_count(db) -> int:
    return db.execute("select count(*) from citizens").fetchone()[0]


def delete_citizen(db, citizen_id: int, actor: str, reason: str = "request") -> None:
    """Erase one person on their request: their record and milestones go, with the bytes they
    occupied (secure_delete), and one audit line remains saying a record was erased."""
    db.execute("PRAGMA secure_delete = ON")
    with store.write(db):
        if not db.execute("select 1 from citizens where id = ?", [citizen_id]).fetchone():
            raise TrackerError("tracker.error.unknown_citizen", field="citizen")
        citizen_totals(db, -1, [citizen_id])
        db.execute("delete from milestones where citizen_id = ?", [citizen_id])
        db.execute("delete from citizens where id = ?", [citizen_id])
        audit(db, actor, "citizen.erased", "citizen", citizen_id, reason=reason)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def export_citizen(db, citizen_id: int, actor: str) -> dict:
    """Everything held about one person (their right of access), recorded in the audit log."""
    citizen = get_citizen(db, citizen_id)
    if citizen is None:
        raise TrackerError("tracker.error.unknown_citizen", field="citizen")
    milestones = list(db.query("select milestone, date, helped_by, note from milestones where citizen_id = ? "
                               "order by date", [citizen_id]))
    audit(db, actor, "citizen.exported", "citizen", citizen_id)
    keep = ("id", "full_name", "birth_year", "gender", "ethnicity", "village_name", "team_name", "phone",
            "cccd_last4", "consent_by", "consent_date", "source", "created_at", "updated_at")
    return {"citizen": {k: citizen[k] for k in keep}, "milestones": milestones,
            "audit": audit_log(db, entity="citizen", entity_id=citizen_id)}


# --- targets ---------------------------------------------------------------------------------

TARGET_METRICS = ("digital", *[f"m_{m}" for m in MILESTONES], "villages_with_team")
TARGET_SCOPES = ("commune", "village", "team")


def add_target(db, *, name, metric, kind, value, scope="commune", scope_id=None, deadline, actor) -> int:
    name = clean_text(name)
    if not name:
        raise TrackerError("tracker.error.required", field="name")
    if metric not in TARGET_METRICS:
        raise TrackerError("tracker.error.unknown_metric", field="metric")
    if kind not in ("number", "percent") or scope not in TARGET_SCOPES:
        raise TrackerError("tracker.error.target_kind", field="kind")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TrackerError("tracker.error.not_a_number", field="value") from None
    if value <= 0 or (kind == "percent" and value > 100):
        raise TrackerError("tracker.error.target_value", field="value")
    if scope != "commune" and not scope_id:
        raise TrackerError("tracker.error.required", field="scope_id")
    deadline = parse_date(deadline)
    with store.write(db):
        target_id = db["targets"].insert({"name": name, "metric": metric, "kind": kind, "value": value,
                                          "scope": scope, "scope_id": scope_id if scope != "commune" else None,
                                          "deadline": deadline, "created_by": actor}).last_pk
        audit(db, actor, "target.added", "target", target_id)
    return target_id


def delete_target(db, target_id: int, actor: str) -> None:
    with store.write(db):
        db.execute("delete from targets where id = ?", [target_id])
        audit(db, actor, "target.deleted", "target", target_id)


def targets(db) -> list[dict]:
    return list(db.query("select * from targets order by deadline, id"))


def headline_target(db) -> dict:
    """The commune-wide digital-citizen target (the "1.000"), or the default one."""
    rows = list(db.query("select * from targets where metric = 'digital' and scope = 'commune' and kind = 'number' "
                         "order by deadline limit 1"))
    if rows:
        return rows[0]
    return {"id": None, "name": "1.000 công dân số", "metric": "digital", "kind": "number",
            "value": DEFAULT_TARGET, "scope": "commune", "scope_id": None,
            "deadline": dt.date(today().year, 12, 31).isoformat()}


def target_progress(db, target: dict) -> dict:
    """Current value, goal and ratio of one target (percent: of the citizens recorded in scope)."""
    if target["metric"] == "villages_with_team":
        total = db.execute("select count(*) from villages").fetchone()[0]
        done = db.execute("select count(distinct village_id) from teams where village_id is not null").fetchone()[0]
        current = 100 * done / total if total and target["kind"] == "percent" else done
    else:
        column = "digital_date" if target["metric"] == "digital" else target["metric"]
        if column not in {"digital_date", *[f"m_{m}" for m in MILESTONES]}:
            raise TrackerError("tracker.error.unknown_metric", field="metric")
        where, params = "1", []
        if target["scope"] == "village":
            where, params = "village_id = ?", [target["scope_id"]]
        elif target["scope"] == "team":
            where, params = "team_id = ?", [target["scope_id"]]
        done, total = db.execute(
            f"select count({column}), count(*) from citizens where {where}", params).fetchone()
        current = 100 * done / total if target["kind"] == "percent" and total else (0 if target["kind"] == "percent" else done)
    goal = target["value"]
    return {"current": current, "goal": goal, "ratio": min(1.0, current / goal) if goal else 0.0}


# --- dashboard figures (SQL aggregates only) --------------------------------------------------

RUN_RATE_DAYS = 28  # the projection extends the pace of the last four weeks


def _week(column: str) -> str:
    """SQL for the Monday of ``column``'s week. (``'weekday 1', '-7 days'`` would put a Monday
    in the week before: 'weekday 1' leaves a Monday where it is.)"""
    return f"date({column}, '-6 days', 'weekday 1')"


def week_of(day: str | dt.date) -> str:
    """The Monday of a date's week, as ISO text: the same as ``_week`` in SQL."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return (day - dt.timedelta(days=day.weekday())).isoformat()


def _weeks(first: str, last: str) -> list[str]:
    start, stop = dt.date.fromisoformat(week_of(first)), dt.date.fromisoformat(week_of(last))
    return [(start + dt.timedelta(weeks=n)).isoformat() for n in range((stop - start).days // 7 + 1)]


@dataclass(frozen=True)
class Filters:
    start: str | None = None  # ISO dates; None = from the beginning
    end: str | None = None  # None = today
    village_ids: tuple[int, ...] | None = None
    team_id: int | None = None

    def end_date(self) -> str:
        return self.end or today().isoformat()

    def resolved(self) -> "Filters":
        """The same filters with today written out: a cache key that changes at midnight."""
        return Filters(self.start, self.end_date(),
                       tuple(sorted(self.village_ids)) if self.village_ids is not None else None, self.team_id)

    @property
    def narrowed(self) -> bool:
        return self.village_ids is not None or bool(self.team_id)

    def citizen_where(self, alias: str = "c") -> tuple[str, list]:
        clauses, params = [], []
        if self.village_ids is not None:
            clauses.append(f"{alias}.village_id in ({','.join('?' * len(self.village_ids))})"
                           if self.village_ids else "0")
            params += list(self.village_ids)
        if self.team_id:
            clauses.append(f"{alias}.team_id = ?")
            params.append(self.team_id)
        return (" and ".join(clauses) or "1"), params


def _village_where(f: Filters, alias: str = "v") -> tuple[str, list]:
    """The villages a filter covers: the villages chosen, and for a team the team's village."""
    clauses, params = [], []
    if f.village_ids is not None:
        clauses.append(f"{alias}.id in ({','.join('?' * len(f.village_ids))})" if f.village_ids else "0")
        params += list(f.village_ids)
    if f.team_id:
        clauses.append(f"{alias}.id in (select village_id from teams where id = ?)")
        params.append(f.team_id)
    return (" and ".join(clauses) or "1"), params


def scope_goal(db, f: Filters, goal: int) -> tuple[int, float]:
    """The share of the commune's target that falls to the villages in view, by population.

    A volunteer looking at one village of 1,200 people in a commune of 20,000 sees 60 of the
    "1.000", not 1,000: the commune target alone would make every village look hopeless."""
    if not f.narrowed:
        return goal, 1.0
    where, params = _village_where(f)
    chosen, everyone = db.execute(
        f"select (select coalesce(sum(population), 0) from villages v where {where}), "
        f"(select coalesce(sum(population), 0) from villages)", params).fetchone()
    if not chosen or not everyone:
        return goal, 1.0
    share = chosen / everyone
    return max(1, round(goal * share)), share


GROUPS = ("women", "minorities", "elders")
# "Kinh" however it was typed (kinh, KINH): every other group is an ethnic minority.
_MINORITY = "lower(trim(c.ethnicity)) != 'kinh'"


# The running totals (tracker_schema.dashboard_totals) answer a view exactly when it is not
# narrowed to villages or a team and its dates take in everything they count; tests switch
# them off to check that both ways give the same figures.
USE_TOTALS = True


def _totals_for_people(db, f: Filters) -> bool:
    """The per-person totals count "digital" as "has a date": right when the end date is on or
    after the last date anyone became digital (the usual view: up to today)."""
    if not USE_TOTALS or f.narrowed:
        return False
    last = db.execute("select max(digital_date) from citizens").fetchone()[0]
    return last is None or last <= f.end_date()


def _totals_for_teams(db, f: Filters) -> bool:
    """The per-team totals count every milestone: right when the date range holds them all."""
    if not USE_TOTALS or f.narrowed:
        return False
    # two sub-queries: SQLite reads one end of the date index for each (min and max together scan it)
    first, last = db.execute("select (select min(date) from milestones), (select max(date) from milestones)").fetchone()
    return first is None or ((f.start is None or f.start <= first) and last <= f.end_date())


def _counts_from_totals(db, f: Filters) -> dict:
    start, end = f.start or "0000", f.end_date()
    recent_start = (dt.date.fromisoformat(end) - dt.timedelta(days=RUN_RATE_DAYS)).isoformat()
    elder_year = int(end[:4]) - ELDER_AGE
    recorded, digital, recent = db.execute(
        "select (select count(*) from citizens), (select count(*) from citizens where digital_date <= ?1), "
        "(select count(*) from citizens where digital_date > ?2 and digital_date <= ?1)", [end, recent_start]).fetchone()
    reached = dict(db.execute("select milestone, sum(n) from dash_days where day between ? and ? group by milestone",
                              [start, end]).fetchall())
    people = db.execute(
        "select sum(women * n), sum(minority * n), sum(case when birth_year <= ?1 then n else 0 end), "
        "sum(digital * women * n), sum(digital * minority * n), "
        "sum(case when digital and birth_year <= ?1 then n else 0 end) from dash_people", [elder_year]).fetchone()
    people = [v or 0 for v in people]
    return {"recorded": recorded, "digital": digital, "recent": recent,
            "milestones": {m: reached.get(m) or 0 for m in MILESTONES},
            "group_recorded": dict(zip(GROUPS, people[:3])), "group_digital": dict(zip(GROUPS, people[3:]))}


def citizen_counts(db, f: Filters) -> dict:
    """The headline's, the funnel's and the groups' counts in one pass over the citizens in
    view: at a province's 320,000 that pass is most of a dashboard's cost, so it is made once
    (or not at all, when the running totals answer the view)."""
    if _totals_for_people(db, f):
        return _counts_from_totals(db, f)
    where, params = f.citizen_where()
    start, end = f.start or "0000", f.end_date()
    recent_start = (dt.date.fromisoformat(end) - dt.timedelta(days=RUN_RATE_DAYS)).isoformat()
    elder_year = int(end[:4]) - ELDER_AGE
    digital = "c.digital_date <= :end"
    group_tests = {"women": "c.gender = 'nữ'", "minorities": _MINORITY, "elders": "c.birth_year <= :elder"}
    columns = ["count(*)", f"count(case when {digital} then 1 end)",
               f"count(case when c.digital_date > :recent and {digital} then 1 end)",
               *[f"count(case when c.m_{m} between :start and :end then 1 end)" for m in MILESTONES],
               *[f"count(case when {test} then 1 end)" for test in group_tests.values()],
               *[f"count(case when {digital} and {test} then 1 end)" for test in group_tests.values()]]
    named = {"end": end, "start": start, "recent": recent_start, "elder": elder_year}
    # the filter's own placeholders are positional: number them past the named ones
    where_named = where
    for n in range(len(params)):
        where_named = where_named.replace("?", f":p{n}", 1)
        named[f"p{n}"] = params[n]
    row = db.execute(f"select {', '.join(columns)} from citizens c where {where_named}", named).fetchone()
    k = 3 + len(MILESTONES)
    return {"recorded": row[0], "digital": row[1], "recent": row[2],
            "milestones": dict(zip(MILESTONES, row[3:k])),
            "group_recorded": dict(zip(GROUPS, row[k:k + 3])), "group_digital": dict(zip(GROUPS, row[k + 3:k + 6]))}


def headline(db, f: Filters, counts: dict | None = None) -> dict:
    """Digital citizens at the end date against the target, and the date they would reach it
    at the pace of the last 28 days (None when nobody became digital in that time)."""
    counts = counts or citizen_counts(db, f)
    end = f.end_date()
    end_day = dt.date.fromisoformat(end)
    digital, recent, recorded = counts["digital"], counts["recent"], counts["recorded"]
    target = headline_target(db)
    goal, share = scope_goal(db, f, int(target["value"]))
    deadline = target["deadline"]
    projected = None
    if digital >= goal:
        projected = end
    elif recent:
        per_day = recent / RUN_RATE_DAYS
        projected = (end_day + dt.timedelta(days=math.ceil((goal - digital) / per_day))).isoformat()
    days_left = (dt.date.fromisoformat(deadline) - end_day).days
    needed = None
    if digital < goal and days_left > 0:
        needed = math.ceil((goal - digital) / (days_left / 7))
    return {"digital": digital, "recorded": recorded, "goal": goal, "commune_goal": int(target["value"]),
            "goal_share": share, "deadline": deadline, "target_name": target["name"],
            "ratio": min(1.0, digital / goal) if goal else 0.0,
            "per_week": round(recent * 7 / RUN_RATE_DAYS, 1), "needed_per_week": needed,
            "projected": projected, "on_track": projected is not None and projected <= deadline}


def cumulative(db, f: Filters) -> list[dict]:
    """Digital citizens by week (cumulative, every week present), up to the end date; from the
    start date's week when there is one, else from the first digital citizen's."""
    where, params = f.citizen_where()
    end = f.end_date()
    if where == "1" and USE_TOTALS:  # the running totals of citizens who became digital each day
        rows = db.execute(f"select {_week('day')} as week, sum(n) from dash_digital_days where day <= ? "
                          "group by week having sum(n) > 0 order by week", [end]).fetchall()
    else:
        rows = db.execute(
            f"select {_week('c.digital_date')} as week, count(*) from citizens c "
            f"where c.digital_date <= ? and {where} group by week order by week", [end, *params]).fetchall()
    first = f.start or (rows[0][0] if rows else None)
    if first is None:
        return []
    first = week_of(first)
    per_week = dict(rows)
    total = sum(n for week, n in rows if week < first)
    out = []
    for week in _weeks(first, end):
        total += per_week.get(week, 0)
        out.append({"week": week, "digital": total})
    return out


def funnel(db, f: Filters, counts: dict | None = None) -> list[dict]:
    """How many citizens reached each milestone within the date range."""
    reached = (counts or citizen_counts(db, f))["milestones"]
    return [{"milestone": m, "order": i, "citizens": reached[m]} for i, m in enumerate(MILESTONES)]


def by_village(db, f: Filters) -> list[dict]:
    """Per village: recorded and digital citizens, digital per 100 people, and whether it lags
    (below ``LAG_RATIO`` of the rate of all the villages in view)."""
    where, params = f.citizen_where()
    vwhere, vparams = _village_where(f)
    if _totals_for_people(db, f):
        rows = list(db.query("select v.id, v.code, v.name, v.population, v.households, "
                             "coalesce(a.recorded, 0) as recorded, coalesce(a.digital, 0) as digital "
                             "from villages v left join dash_villages a on a.village_id = v.id order by v.code, v.name"))
    else:
        rows = list(db.query(
            f"""select v.id, v.code, v.name, v.population, v.households,
                       coalesce(a.recorded, 0) as recorded, coalesce(a.digital, 0) as digital
                from villages v left join (
                    select c.village_id, count(*) as recorded,
                           count(case when c.digital_date <= ? then 1 end) as digital
                    from citizens c where {where} group by c.village_id) a on a.village_id = v.id
                where {vwhere} or a.recorded > 0 order by v.code, v.name""", [f.end_date(), *params, *vparams]))
    population = sum(r["population"] or 0 for r in rows)
    overall = 100 * sum(r["digital"] for r in rows) / population if population else 0
    for row in rows:
        row["per_100"] = round(100 * row["digital"] / row["population"], 2) if row["population"] else 0.0
        row["lagging"] = bool(overall) and row["per_100"] < LAG_RATIO * overall
    return rows


def lag_threshold(rows: list[dict]) -> float:
    """Digital citizens per 100 people below which a village counts as lagging."""
    population = sum(r["population"] or 0 for r in rows)
    return round(LAG_RATIO * 100 * sum(r["digital"] for r in rows) / population, 2) if population else 0.0


def by_team(db, f: Filters) -> list[dict]:
    """Who helped how many: citizens helped (and milestones recorded) per team in the date range."""
    where, params = f.citizen_where()
    start, end = f.start or "0000", f.end_date()
    if _totals_for_teams(db, f):
        return list(db.query("select t.id, t.name, coalesce(a.citizens, 0) as citizens, "
                             "coalesce(a.milestones, 0) as milestones from teams t left join dash_teams a "
                             "on a.team_id = t.id order by citizens desc, t.name"))
    if where == "1":
        sql = ("select t.id, t.name, coalesce(a.citizens, 0) as citizens, coalesce(a.milestones, 0) as milestones "
               "from teams t left join (select team_id, count(distinct citizen_id) as citizens, count(*) as milestones "
               "from milestones where date between ? and ? group by team_id) a on a.team_id = t.id "
               "order by citizens desc, t.name")
        return list(db.query(sql, [start, end]))
    sql = (f"select t.id, t.name, count(distinct m.citizen_id) as citizens, count(m.id) as milestones "
           f"from milestones m join citizens c on c.id = m.citizen_id join teams t on t.id = m.team_id "
           f"where m.date between ? and ? and {where} group by t.id order by citizens desc, t.name")
    return list(db.query(sql, [start, end, *params]))


def population_shares(db) -> dict:
    """Each group's share of the population (settings, filled from the commune's data)."""
    return {"women": get_setting(db, "population_share.women", 0.5),
            "minorities": get_setting(db, "population_share.minorities", None),
            "elders": get_setting(db, "population_share.elders", 0.12)}


def groups(db, f: Filters, counts: dict | None = None) -> list[dict]:
    """Women, ethnic minorities and people 60+: their share of digital citizens, of the citizens
    recorded, and of the population."""
    counts = counts or citizen_counts(db, f)
    digital, recorded = counts["digital"], counts["recorded"]
    shares = population_shares(db)
    out = []
    for group in GROUPS:
        mine, known = counts["group_digital"][group], counts["group_recorded"][group]
        out.append({"group": group, "digital": mine, "recorded": known,
                    "digital_share": mine / digital if digital else 0.0,
                    "recorded_share": known / recorded if recorded else 0.0,
                    "population_share": shares[group]})
    return out


def _sum_by_week(db, per_day: str, params: list) -> dict[str, int]:
    """{week: total} from a query of ``day, n`` rows: weeks are summed from days, never from rows."""
    return dict(db.execute(f"select {_week('day')} as week, sum(n) from ({per_day}) group by week", params).fetchall())


def weekly(db, f: Filters) -> list[dict]:
    """Per week in the date range (every week present): milestones recorded and citizens who
    became digital. Counted per day first, so SQLite walks the date index instead of working
    out the week of each of a province's 1.4 million milestones."""
    where, params = f.citizen_where()
    start, end = f.start or "0000", f.end_date()
    if where == "1" and USE_TOTALS:  # the running totals per milestone and day
        inner = "select day, sum(n) as n from dash_days where day between ? and ? group by day having sum(n) > 0"
    elif where == "1":
        inner = "select m.date as day, count(*) as n from milestones m where m.date between ? and ? group by m.date"
    else:
        inner = (f"select m.date as day, count(*) as n from milestones m join citizens c on c.id = m.citizen_id "
                 f"where m.date between ? and ? and {where} group by m.date")
    done = _sum_by_week(db, inner, [start, end, *params])
    if where == "1" and USE_TOTALS:
        inner = "select day, n from dash_digital_days where day between ? and ? and n > 0"
    else:
        inner = (f"select c.digital_date as day, count(*) as n from citizens c "
                 f"where c.digital_date between ? and ? and {where} group by c.digital_date")
    digital = _sum_by_week(db, inner, [start, end, *params])
    weeks = sorted(set(done) | set(digital))
    if not weeks:
        return []
    first = week_of(f.start) if f.start else weeks[0]
    return [{"week": week, "milestones": done.get(week, 0), "digital": digital.get(week, 0)}
            for week in _weeks(first, end)]


def dashboard(db, f: Filters) -> dict:
    """Every figure of the dashboard, as small lists of aggregated rows."""
    f = f.resolved()
    counts = citizen_counts(db, f)
    return {"filters": {"start": f.start, "end": f.end, "village_ids": f.village_ids, "team_id": f.team_id},
            "headline": headline(db, f, counts), "cumulative": cumulative(db, f), "funnel": funnel(db, f, counts),
            "villages": (rows := by_village(db, f)), "lag_threshold": lag_threshold(rows),
            "teams": by_team(db, f), "groups": groups(db, f, counts),
            "weekly": weekly(db, f), "definition": list(definition(db)),
            "commune": commune(db), "data_version": data_version(db), "computed_at": now_iso()}


# --- demo data --------------------------------------------------------------------------------

MILESTONE_ODDS = {"sim": 0.92, "vneid2": 0.82, "dvc": 0.5, "health_book": 0.55, "bank": 0.6, "wallet": 0.5,
                  "dossier": 0.18}


def seed_demo(db, force: bool = False, count: int = DEMO_CITIZENS, seed: int = DEMO_SEED) -> str:
    """The demo commune from ``sandbox_data/commune.toml``: villages, one team of five per
    village and ``count`` demo citizens with dated milestones. Only into an empty tracker,
    unless ``force`` (which first removes the earlier demo records)."""
    if force:
        delete_demo(db, actor="system")
    elif db.execute("select count(*) from citizens").fetchone()[0]:
        return "tracker already holds citizens; demo data not added"
    info = fakes.load_commune()
    fake = fakes.make_faker(seed)
    rng = random.Random(seed)
    end = today()
    start = end - dt.timedelta(weeks=40)
    with store.write(db):
        if commune(db) is None:
            db["communes"].insert({"name": info.name, "district": info.district, "province": info.province})
        commune_id = commune(db)["id"]
        village_ids, team_ids, helpers = {}, {}, {}
        for village in info.villages:
            row = db.execute("select id from villages where code = ? and commune_id = ?",
                             [village.code, commune_id]).fetchone()
            village_ids[village.code] = row[0] if row else db["villages"].insert({
                "commune_id": commune_id, "code": village.code, "name": village.name,
                "name_folded": fold(village.name), "population": village.population,
                "households": village.households, "is_demo": 1}).last_pk
            team_id = team_for_village(db, village_ids[village.code])
            if team_id is None:
                team_id = db["teams"].insert({"name": f"Tổ CNS {village.name}", "name_folded": fold(f"Tổ CNS {village.name}"),
                                              "village_id": village_ids[village.code], "is_demo": 1}).last_pk
                for n in range(info.members_per_team):
                    db["team_members"].insert({"team_id": team_id, "full_name": fake.vn_full_name(),
                                               "role": "leader" if n == 0 else "member", "is_demo": 1})
            team_ids[village.code] = team_id
            helpers[team_id] = [m["full_name"] for m in team_members(db, team_id)] or ["?"]
        minority = sum(v.population * (1 - v.ethnic_mix.get("Kinh", 0)) for v in info.villages) / info.population
        db.execute("insert or ignore into settings (key, value) values ('population_share.minorities', ?)",
                   [json.dumps(round(minority, 3))])
        next_id = db.execute("select coalesce(max(id), 0) + 1 from citizens").fetchone()[0]
        chosen = definition(db)
        citizens, milestones = [], []
        span = (end - start).days
        for n in range(count):
            person = fake.vn_person(info)
            village_code = next(v.code for v in info.villages if v.name == person.village)
            team_id = team_ids[village_code]
            first = start + dt.timedelta(days=int(span * rng.random() ** 0.8))
            dates, day = {}, first
            keen = rng.random() < 0.2  # about one in five goes all the way, as in Ea Yông
            for milestone in MILESTONES:
                odds = 1.0 if keen and milestone in DEFAULT_DEFINITION else MILESTONE_ODDS[milestone]
                if rng.random() < odds and day <= end:
                    dates[milestone] = day.isoformat()
                    day = day + dt.timedelta(days=rng.randrange(0, 10))
            citizen_id = next_id + n
            stamp = now_iso()
            row = {"id": citizen_id, "full_name": person.full_name, "name_folded": fold(person.full_name),
                   "birth_year": int(person.birth_date[:4]), "gender": person.gender, "ethnicity": person.ethnicity,
                   "village_id": village_ids[village_code], "team_id": team_id,
                   "phone": person.phone if rng.random() < 0.7 else None,
                   "cccd_last4": person.cccd[-4:] if rng.random() < 0.3 else None,
                   "consent_by": rng.choice(helpers[team_id]), "consent_date": first.isoformat(), "source": "demo",
                   "is_demo": 1, "created_at": stamp, "updated_at": stamp,
                   "digital_date": max(dates[m] for m in chosen) if all(m in dates for m in chosen) else None}
            for milestone in MILESTONES:
                row[f"m_{milestone}"] = dates.get(milestone)
            citizens.append(row)
            for milestone, day_iso in dates.items():
                milestones.append((citizen_id, milestone, day_iso, rng.choice(helpers[team_id]), team_id, "", "demo", stamp))
        db["citizens"].insert_all(citizens, batch_size=500)
        db.conn.executemany("insert into milestones (citizen_id, milestone, date, helped_by, team_id, note, created_by, "
                       "created_at) values (?, ?, ?, ?, ?, ?, ?, ?)", milestones)
        citizen_totals(db, 1, first_id=next_id)
        audit(db, "system", "demo.seeded", "citizen", None, citizens=count)
    return f"{count} demo citizens in {len(info.villages)} villages of {info.name}"


def delete_demo(db, actor: str) -> int:
    """Remove every demo record in one action; villages and teams still used by real records stay."""
    with store.write(db):
        count = db.execute("select count(*) from citizens where is_demo = 1").fetchone()[0]
        citizen_totals(db, -1, [row[0] for row in db.execute("select id from citizens where is_demo = 1")])
        db.execute("delete from milestones where citizen_id in (select id from citizens where is_demo = 1)")
        db.execute("delete from citizens where is_demo = 1")
        db.execute("delete from team_members where is_demo = 1 and team_id not in "
                   "(select team_id from citizens where team_id is not null)")
        db.execute("delete from teams where is_demo = 1 and id not in (select team_id from citizens where team_id is not null) "
                   "and id not in (select team_id from team_members) and id not in "
                   "(select team_id from users where team_id is not null)")
        db.execute("delete from villages where is_demo = 1 and id not in (select village_id from citizens) "
                   "and id not in (select village_id from teams where village_id is not null) "
                   "and id not in (select village_id from user_villages)")
        audit(db, actor, "demo.deleted", "citizen", None, citizens=count)
    return count
