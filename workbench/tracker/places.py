"""Where the work happens: the commune, its villages (thôn, buôn) and the volunteer teams.

A village is found however it is typed: by id, by code, or by name with or without
diacritics (``name_folded``). Each village usually has one "Tổ công nghệ số cộng đồng"
(community digital technology team) whose members help citizens.
"""

from __future__ import annotations

from workbench import store, text
from workbench.tracker import audit, fields
from workbench.tracker.errors import TrackerError


def commune(db) -> dict | None:
    row = list(db.query("select * from communes order by id limit 1"))
    return row[0] if row else None


def set_commune(db, name: str, province: str, actor: str) -> int:
    """The commune's name and its province. Two tiers since 1/7/2025 (issue 13): no district is
    asked for; the ``district`` column stays for old databases, and nothing shows it."""
    name = text.clean(name)
    if not name:
        raise TrackerError("tracker.error.required", field="name")
    with store.write(db):
        current = commune(db)
        values = {"name": name, "province": text.clean(province)}
        if current:
            db["communes"].update(current["id"], values)
            commune_id = current["id"]
        else:
            commune_id = db["communes"].insert(values).last_pk
        audit.record(db, actor, "commune.saved", "commune", commune_id)
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
    name = fields.check_length("village", text.clean(name))
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
        commune_id = commune_row["id"] if commune_row else set_commune(db, "Xã", "", actor)
        values = {"name": name, "name_folded": text.fold(name), "population": population, "households": households,
                  "code": text.clean(code) or None, "commune_id": commune_id, "is_demo": int(is_demo)}
        if village_id:
            db["villages"].update(village_id, values)
        else:
            village_id = db["villages"].insert(values).last_pk
        audit.record(db, actor, "village.saved", "village", village_id)
    return village_id


def resolve_village(db, value) -> int:
    """A village id from an id, a code or a name typed with or without diacritics."""
    if isinstance(value, int):
        row = db.execute("select id from villages where id = ?", [value]).fetchone()
    else:
        typed = fields.check_length("village", text.clean(value))
        row = db.execute("select id from villages where code = ? or name_folded = ? order by id limit 1",
                         [typed, text.fold(typed)]).fetchone()
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
    name = fields.check_length("team", text.clean(name))
    if not name:
        raise TrackerError("tracker.error.required", field="name")
    with store.write(db):
        values = {"name": name, "name_folded": text.fold(name), "village_id": village_id, "is_demo": int(is_demo)}
        if team_id:
            db["teams"].update(team_id, values)
        else:
            team_id = db["teams"].insert(values).last_pk
        audit.record(db, actor, "team.saved", "team", team_id)
    return team_id


def add_team_member(db, team_id: int, full_name: str, actor: str, role: str = "member",
                    is_demo: bool = False) -> int:
    full_name = fields.check_length("full_name", text.clean(full_name))
    if not full_name:
        raise TrackerError("tracker.error.required", field="full_name")
    with store.write(db):
        member_id = db["team_members"].insert(
            {"team_id": team_id, "full_name": full_name, "role": role, "is_demo": int(is_demo)}).last_pk
        audit.record(db, actor, "team_member.added", "team", team_id)
    return member_id


def team_members(db, team_id: int) -> list[dict]:
    return list(db.query("select * from team_members where team_id = ? order by id", [team_id]))


def team_for_village(db, village_id: int) -> int | None:
    row = db.execute("select id from teams where village_id = ? order by id limit 1", [village_id]).fetchone()
    return row[0] if row else None


def resolve_team(db, value) -> int | None:
    typed = text.clean(value)
    if not typed:
        return None
    row = db.execute("select id from teams where name_folded = ? order by id limit 1", [text.fold(typed)]).fetchone()
    if not row:
        raise TrackerError("tracker.error.unknown_team", field="team", team=typed)
    return row[0]

