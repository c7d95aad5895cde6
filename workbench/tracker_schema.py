"""Tables of ``tracker.db``: real citizens' progress toward the commune's targets (issue 8).

Only what the issue allows is collected about a person: full name, birth year, gender, ethnic
group, village, an optional phone number and the optional last four digits of the CCCD, with
the consent (date and who took it). Milestones are dated events. The audit log names who
changed what by ids and field names only, never a person's data, so deleting a citizen on
request (Decree 13/2023, Law 91/2025) leaves nothing of them but one audit line.

``citizens`` carries one date column per milestone (the first date it was reached) and the
date the citizen became a "công dân số" under the current definition. They are kept in step
with ``milestones`` inside the same transaction, so the dashboard aggregates one narrow table
with plain ``count()``/``group by`` even at a province's 320,000 citizens.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

migrations = Migrations("tracker")

# Milestone ids, in funnel order; the citizens table has one ``m_<id>`` date column each.
MILESTONES = ("sim", "vneid2", "dvc", "health_book", "bank", "wallet", "dossier")


@migrations()
def m001_tracker(db):
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["communes"].create({"id": int, "name": str, "district": str, "province": str}, pk="id")
    db["villages"].create(
        {"id": int, "commune_id": int, "code": str, "name": str, "name_folded": str,
         "population": int, "households": int, "is_demo": int},
        pk="id", foreign_keys=[("commune_id", "communes", "id")],
    )
    db["villages"].create_index(["commune_id", "code"], unique=True)
    db["villages"].create_index(["name_folded"])
    db["teams"].create(
        {"id": int, "name": str, "name_folded": str, "village_id": int, "is_demo": int},
        pk="id", foreign_keys=[("village_id", "villages", "id")],
    )
    db["team_members"].create(
        {"id": int, "team_id": int, "full_name": str, "role": str, "is_demo": int},
        pk="id", foreign_keys=[("team_id", "teams", "id")],
    )
    db["users"].create(
        {"id": int, "username": str, "display_name": str, "role": str, "secret_hash": str,
         "secret_kind": str, "team_id": int, "failed_count": int, "locked_until": str,
         "active": int, "created_at": str},
        pk="id",
    )
    db["users"].create_index(["username"], unique=True)
    db["user_villages"].create(
        {"user_id": int, "village_id": int}, pk=("user_id", "village_id"),
        foreign_keys=[("user_id", "users", "id"), ("village_id", "villages", "id")],
    )
    citizen_columns = {
        "id": int, "full_name": str, "name_folded": str, "birth_year": int, "gender": str,
        "ethnicity": str, "village_id": int, "team_id": int, "phone": str, "cccd_last4": str,
        "consent_by": str, "consent_date": str, "source": str, "is_demo": int,
        "created_at": str, "updated_at": str, "digital_date": str,
    }
    for milestone in MILESTONES:
        citizen_columns[f"m_{milestone}"] = str
    db["citizens"].create(
        citizen_columns, pk="id",
        foreign_keys=[("village_id", "villages", "id"), ("team_id", "teams", "id")],
    )
    db["citizens"].create_index(["name_folded", "birth_year", "village_id"])
    db["citizens"].create_index(["village_id", "digital_date"])
    db["citizens"].create_index(["digital_date"])
    db["citizens"].create_index(["team_id"])
    db["citizens"].create_index(["is_demo"])
    db.execute(
        """create table milestones (
            id integer primary key,
            citizen_id integer not null references citizens(id) on delete cascade,
            milestone text not null,
            date text not null,
            helped_by text,
            team_id integer references teams(id),
            note text,
            created_by text,
            created_at text,
            unique (citizen_id, milestone)
        )"""
    )
    db["milestones"].create_index(["date"])
    db["milestones"].create_index(["team_id", "date", "citizen_id"])
    db["targets"].create(
        {"id": int, "name": str, "metric": str, "kind": str, "value": float, "scope": str,
         "scope_id": int, "deadline": str, "created_by": str},
        pk="id",
    )
    db["audit"].create(
        {"id": int, "at": str, "actor": str, "action": str, "entity": str, "entity_id": int,
         "detail": str},
        pk="id",
    )
    db["audit"].create_index(["entity", "entity_id"])


@migrations()
def dashboard_indexes(db):
    """The dashboard lists the teams with their member counts on every view (issue 8). Without
    an index each team's count scanned every member: at a province's 1,292 teams of five,
    8 million row visits a view. The figures themselves are served by the indexes of m001."""
    db["team_members"].create_index(["team_id"], if_not_exists=True)


# The dashboard's running totals, kept by triggers in the same transaction as every write to
# ``citizens`` and ``milestones`` (a form, an import, an erasure, the demo data, a restore's
# copy…), so no write path can forget them. At a province's 320,000 citizens and 1.4 million
# milestones they turn the dashboard's three biggest passes (the funnel and groups over every
# citizen, the teams and weeks over every milestone) into look-ups of a few thousand rows.
# ``tracker.dashboard`` uses them for the views they answer exactly and falls back to the
# plain aggregates for the others (a village or team filter, a date range cutting the data).
_PERSON = ("{r}.digital_date is not null, coalesce({r}.gender = 'nữ', 0), "
           "coalesce(lower(trim({r}.ethnicity)) != 'kinh', 0), coalesce({r}.birth_year, 9999)")
_UPSERT_PERSON = ("insert into dash_people (digital, women, minority, birth_year, n) select {person}, {d} where true "
                  "on conflict do update set n = n + excluded.n;")
_UPSERT_DAY = ("insert into dash_days (milestone, day, n) values ({r}.milestone, {r}.date, {d}) "
               "on conflict do update set n = n + excluded.n;")
# A team's "citizens helped" counts a citizen once, however many of their milestones it helped with.
_TEAM_ADD = ("insert into dash_teams (team_id, citizens, milestones) values (coalesce({r}.team_id, 0), "
             "not exists (select 1 from milestones o where o.citizen_id = {r}.citizen_id and o.team_id is {r}.team_id "
             "and o.id != {r}.id), 1) on conflict do update set citizens = citizens + excluded.citizens, "
             "milestones = milestones + 1;")
_TEAM_REMOVE = ("update dash_teams set milestones = milestones - 1, citizens = citizens - not exists ("
                "select 1 from milestones o where o.citizen_id = {r}.citizen_id and o.team_id is {r}.team_id "
                "and o.id != {r}.id) where team_id = coalesce({r}.team_id, 0);")


def _person(row: str, delta: int) -> str:
    return _UPSERT_PERSON.format(person=_PERSON.format(r=row), d=delta)


def create_dashboard_totals(db) -> None:
    """The running-totals tables and their triggers, filled from the data already there."""
    db.execute("create table dash_people (digital integer not null, women integer not null, minority integer not null, "
               "birth_year integer not null, n integer not null, primary key (digital, women, minority, birth_year)) "
               "without rowid")
    db.execute("create table dash_days (milestone text not null, day text not null, n integer not null, "
               "primary key (milestone, day)) without rowid")
    db.execute("create table dash_teams (team_id integer primary key, citizens integer not null, "
               "milestones integer not null)")
    db.execute(f"create trigger dash_citizen_added after insert on citizens begin {_person('new', 1)} end")
    db.execute(f"create trigger dash_citizen_removed after delete on citizens begin {_person('old', -1)} end")
    db.execute("create trigger dash_citizen_changed after update of digital_date, gender, ethnicity, birth_year "
               f"on citizens when ({_PERSON.format(r='old')}) is not ({_PERSON.format(r='new')}) "
               f"begin {_person('old', -1)} {_person('new', 1)} end")
    db.execute("create trigger dash_milestone_added after insert on milestones begin "
               f"{_UPSERT_DAY.format(r='new', d=1)} {_TEAM_ADD.format(r='new')} end")
    db.execute("create trigger dash_milestone_removed after delete on milestones begin "
               f"{_UPSERT_DAY.format(r='old', d=-1)} {_TEAM_REMOVE.format(r='old')} end")
    db.execute("create trigger dash_milestone_moved after update of date, milestone on milestones "
               "when old.date is not new.date or old.milestone is not new.milestone begin "
               f"{_UPSERT_DAY.format(r='old', d=-1)} {_UPSERT_DAY.format(r='new', d=1)} end")
    db.execute("create trigger dash_milestone_team_changed after update of team_id on milestones "
               f"when old.team_id is not new.team_id begin {_TEAM_REMOVE.format(r='old')} "
               f"{_TEAM_ADD.format(r='new')} end")
    fill_dashboard_totals(db)


def fill_dashboard_totals(db) -> None:
    """Recount the running totals from the data (the migration; a bulk load that bypassed them)."""
    for table in ("dash_people", "dash_days", "dash_teams"):
        db.execute(f"delete from {table}")
    db.execute(f"insert into dash_people select {_PERSON.format(r='c')}, count(*) from citizens c group by 1, 2, 3, 4")
    db.execute("insert into dash_days select milestone, date, count(*) from milestones group by 1, 2")
    db.execute("insert into dash_teams select coalesce(team_id, 0), count(distinct citizen_id), count(*) "
               "from milestones group by 1")


@migrations()
def dashboard_totals(db):
    """Running totals for the dashboard at a province's size (issue 8, bench/tracker_scale.py)."""
    create_dashboard_totals(db)
