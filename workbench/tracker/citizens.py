"""Citizens and their milestones: who was helped, to do what, and when.

Real people's data (issue 8): only what the issue allows is kept about a person, with their
consent. Every write goes through ``store.write`` and leaves an audit line by ids only; a
milestone write keeps the citizen's ``m_<milestone>`` and ``digital_date`` columns and the
dashboard's running totals in step in the same transaction. A possible duplicate is refused
unless the volunteer says it is another person: never a silent merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench import store, text
from workbench.tracker import audit, fields, places, realtime, settings
from workbench.tracker.errors import DuplicateCitizen, TrackerError
from workbench.tracker.schema import MILESTONES, citizen_totals


def find_duplicates(db, full_name: str, birth_year: int, village_id: int) -> list[dict]:
    """Citizens with the same name (diacritics forgiven), birth year and village."""
    return list(db.query(
        "select id, full_name, birth_year, village_id, created_at from citizens "
        "where name_folded = ? and birth_year = ? and village_id = ?",
        [text.fold(full_name), int(birth_year), village_id]))


def check(*, full_name, birth_year, gender, ethnicity, phone=None, cccd_last4=None, consent_by,
          consent_date) -> tuple[dict, dict[str, TrackerError]]:
    """Every field of a person checked at once: the cleaned values, and one error per bad field
    (so a form can show them all, each beside its field, GOV.UK style)."""
    clean, errors = {}, {}

    def take(name, parse, value):
        try:
            # Issue 15: no field holds more than its limit, and no message quotes a huge value.
            fields.check_length(name, text.clean(value) if isinstance(value, str) else "")
            clean[name] = parse(value)
        except TrackerError as error:
            error.field = name
            errors[name] = error

    def required(key):
        def parse(value):
            typed = text.clean(value)
            if not typed:
                raise TrackerError(key)
            return typed
        return parse

    take("full_name", required("tracker.error.required"), full_name)
    take("birth_year", fields.parse_birth_year, birth_year)
    take("gender", fields.parse_gender, gender)
    take("ethnicity", required("tracker.error.required"), ethnicity)
    take("phone", fields.parse_phone, phone)
    take("cccd_last4", fields.parse_cccd_last4, cccd_last4)
    take("consent_by", required("tracker.error.consent"), consent_by)

    def consent(value):
        day = fields.parse_date(value)
        if day > realtime.today().isoformat():
            raise TrackerError("tracker.error.future_date")
        return day

    take("consent_date", consent, consent_date)
    return clean, errors


def add(db, *, full_name, birth_year, gender, ethnicity, village, phone=None, consent_by, consent_date, actor,
        source="manual", cccd_last4=None, team_id=None, allow_duplicate=False, is_demo=False) -> int:
    """Add one citizen after checking every field; a possible duplicate is refused unless the
    caller confirms it is another person (``allow_duplicate``): never a silent merge."""
    clean, errors = check(full_name=full_name, birth_year=birth_year, gender=gender, ethnicity=ethnicity,
                          phone=phone, cccd_last4=cccd_last4, consent_by=consent_by, consent_date=consent_date)
    if errors:
        raise next(iter(errors.values()))
    full_name, year, gender, ethnicity = clean["full_name"], clean["birth_year"], clean["gender"], clean["ethnicity"]
    phone, last4, consent_by, consent = clean["phone"], clean["cccd_last4"], clean["consent_by"], clean["consent_date"]
    with store.write(db):
        village_id = places.resolve_village(db, village)
        if not allow_duplicate:
            matches = find_duplicates(db, full_name, year, village_id)
            if matches:
                raise DuplicateCitizen(matches)
        stamp = realtime.now_iso()
        citizen_id = db["citizens"].insert({
            "full_name": full_name, "name_folded": text.fold(full_name), "birth_year": year, "gender": gender,
            "ethnicity": ethnicity, "village_id": village_id,
            "team_id": team_id or places.team_for_village(db, village_id), "phone": phone, "cccd_last4": last4,
            "consent_by": consent_by, "consent_date": consent, "source": source, "is_demo": int(is_demo),
            "created_at": stamp, "updated_at": stamp,
        }).last_pk
        citizen_totals(db, 1, [citizen_id])
        audit.record(db, actor, "citizen.created", "citizen", citizen_id, source=source)
    return citizen_id


def get(db, citizen_id: int) -> dict | None:
    rows = list(db.query(
        "select c.*, v.name as village_name, t.name as team_name from citizens c "
        "left join villages v on v.id = c.village_id left join teams t on t.id = c.team_id where c.id = ?",
        [citizen_id]))
    return rows[0] if rows else None


def milestones_of(db, citizen_id: int) -> dict[str, dict]:
    return {row["milestone"]: row for row in db.query(
        "select milestone, date, helped_by, team_id, note from milestones where citizen_id = ?", [citizen_id])}


def record_milestone(db, citizen_id, milestone, date, helped_by, actor, note="", team_id=None) -> bool:
    """Record that a citizen reached a milestone on a date. Returns True when it changed anything.

    Recording a milestone already reached keeps the earlier date (the first time counts).
    """
    if milestone not in MILESTONES:
        raise TrackerError("tracker.error.unknown_milestone", field="milestone", milestone=str(milestone))
    fields.check_length("helped_by", text.clean(helped_by))
    fields.check_length("note", text.clean(note))
    day = fields.parse_date(fields.check_length("date", text.clean(date)) if isinstance(date, str) else date)
    if day > realtime.today().isoformat():
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
                       [day, text.clean(helped_by), team, text.clean(note), citizen_id, milestone])
        else:
            db.execute("insert into milestones (citizen_id, milestone, date, helped_by, team_id, note, created_by, "
                       "created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                       [citizen_id, milestone, day, text.clean(helped_by), team, text.clean(note), actor,
                        realtime.now_iso()])
        db.execute(f"update citizens set m_{milestone} = ?, updated_at = ? where id = ?",
                   [day, realtime.now_iso(), citizen_id])
        db.execute(f"update citizens set digital_date = {settings.digital_expr(settings.definition(db))} where id = ?",
                   [citizen_id])
        citizen_totals(db, 1, [citizen_id])
        audit.record(db, actor, "milestone.recorded", "citizen", citizen_id, milestone=milestone)
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
            citizen_id = add(db, actor=actor, allow_duplicate=allow_duplicate, **citizen)
        for milestone, day in (milestones or {}).items():
            try:
                record_milestone(db, citizen_id, milestone, day, helped_by=helped_by, actor=actor, note=note)
            except TrackerError as error:
                if error.field in (None, "date"):
                    error.field = f"m_{milestone}"  # the page shows the message beside that milestone
                raise
    return citizen_id


def mask_phone(phone: str | None) -> str:
    """What a volunteer sees: "0912345678" → "0912***678"."""
    if not phone:
        return ""
    return phone[:4] + "***" + phone[-3:] if len(phone) >= 8 else "***"


@dataclass(frozen=True)
class Scope:
    """What a signed-in user may see of citizens: None = every village."""

    village_ids: tuple[int, ...] | None = None
    mask_phones: bool = False


def search(db, query: str, scope: Scope = Scope(), limit: int = 20) -> list[dict]:
    """Citizens whose name contains the words typed, diacritics forgiven, newest first."""
    words = text.fold(query).split()
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


def count(db) -> int:
    return db.execute("select count(*) from citizens").fetchone()[0]


def delete(db, citizen_id: int, actor: str, reason: str = "request") -> None:
    """Erase one person on their request: their record and milestones go, with the bytes they
    occupied (secure_delete), and one audit line remains saying a record was erased."""
    db.execute("PRAGMA secure_delete = ON")
    with store.write(db):
        if not db.execute("select 1 from citizens where id = ?", [citizen_id]).fetchone():
            raise TrackerError("tracker.error.unknown_citizen", field="citizen")
        citizen_totals(db, -1, [citizen_id])
        db.execute("delete from milestones where citizen_id = ?", [citizen_id])
        db.execute("delete from citizens where id = ?", [citizen_id])
        audit.record(db, actor, "citizen.erased", "citizen", citizen_id, reason=reason)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def export(db, citizen_id: int, actor: str) -> dict:
    """Everything held about one person (their right of access), recorded in the audit log."""
    citizen = get(db, citizen_id)
    if citizen is None:
        raise TrackerError("tracker.error.unknown_citizen", field="citizen")
    milestones = list(db.query("select milestone, date, helped_by, note from milestones where citizen_id = ? "
                               "order by date", [citizen_id]))
    audit.record(db, actor, "citizen.exported", "citizen", citizen_id)
    keep = ("id", "full_name", "birth_year", "gender", "ethnicity", "village_name", "team_name", "phone",
            "cccd_last4", "consent_by", "consent_date", "source", "created_at", "updated_at")
    return {"citizen": {k: citizen[k] for k in keep}, "milestones": milestones,
            "audit": audit.log(db, entity="citizen", entity_id=citizen_id)}

