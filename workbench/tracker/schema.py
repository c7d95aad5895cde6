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
# "bdhvs" (completed the Bình dân học vụ số course, issue 13) comes after the wallet: the course
# is taken on the platform with a VNeID account, usually by people who already use their phone
# for the rest; the first online dossier stays last. Its column is added by ``milestone_bdhvs``.
MILESTONES = ("sim", "vneid2", "dvc", "health_book", "bank", "wallet", "bdhvs", "dossier")
M001_MILESTONES = ("sim", "vneid2", "dvc", "health_book", "bank", "wallet", "dossier")  # the columns m001 made


@migrations()
def m001_tracker(db):
    # Written with the milestones of its day: later ones get their column from their own migration.
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
    for milestone in M001_MILESTONES:
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


# The dashboard's running totals. At a province's 320,000 citizens and 1.4 million milestones
# they turn the dashboard's three biggest passes (the funnel and groups over every citizen, the
# teams and weeks over every milestone) into look-ups of a few thousand rows. Every write to
# ``citizens`` or ``milestones`` (citizens, settings, demo and importer) takes the people it
# touches out of the totals before and puts them back after, in the same transaction
# (``citizen_totals``); tests/test_tracker_totals.py checks each kind of write against a full
# count. (Triggers would keep them with no help, but cost an import ~4 µs a row even idle.)
# ``dashboard.figures`` uses them for the views they answer exactly and counts rows for the
# others (a village or team filter, an end date before the last digital citizen…).
_PERSON = ("c.digital_date is not null, coalesce(c.gender = 'nữ', 0), "
           "coalesce(lower(trim(c.ethnicity)) != 'kinh', 0), coalesce(c.birth_year, 9999)")


TOTALS_TABLES = ("dash_people", "dash_days", "dash_teams", "dash_villages", "dash_digital_days")


def create_dashboard_totals(db) -> None:
    db.execute("create table dash_people (digital integer not null, women integer not null, minority integer not null, "
               "birth_year integer not null, n integer not null, primary key (digital, women, minority, birth_year)) "
               "without rowid")
    db.execute("create table dash_days (milestone text not null, day text not null, n integer not null, "
               "primary key (milestone, day)) without rowid")
    db.execute("create table dash_teams (team_id integer primary key, citizens integer not null, "
               "milestones integer not null)")
    db.execute("create table dash_villages (village_id integer primary key, recorded integer not null, "
               "digital integer not null)")
    db.execute("create table dash_digital_days (day text primary key, n integer not null) without rowid")
    fill_dashboard_totals(db)


def fill_dashboard_totals(db) -> None:
    """Recount the running totals from every row (the migration; a change to every citizen)."""
    for table in TOTALS_TABLES:
        db.execute(f"delete from {table}")
    db.execute(f"insert into dash_people select {_PERSON}, count(*) from citizens c group by 1, 2, 3, 4")
    db.execute("insert into dash_days select milestone, date, count(*) from milestones group by 1, 2")
    db.execute("insert into dash_teams select coalesce(team_id, 0), count(distinct citizen_id), count(*) "
               "from milestones group by 1")
    db.execute("insert into dash_villages select coalesce(village_id, 0), count(*), count(digital_date) "
               "from citizens group by 1")
    db.execute("insert into dash_digital_days select digital_date, count(*) from citizens "
               "where digital_date is not null group by 1")


def citizen_totals(db, sign: int, ids=None, first_id: int | None = None) -> None:
    """Add (``sign`` 1) or take out (-1) of the running totals the citizens ``ids`` (or every
    citizen from ``first_id`` on) with all their milestones. A citizen counts once per team
    that helped them, so taking a person out and back in keeps "citizens helped" exact."""
    if ids is not None:
        ids = list(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            _citizen_totals(db, sign, f"c.id in ({marks})", f"m.citizen_id in ({marks})", chunk)
    elif first_id is not None:
        _citizen_totals(db, sign, "c.id >= ?", "m.citizen_id >= ?", [first_id])


# SQLite's lower() and trim() as the totals use them: ASCII letters only, spaces only.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class NewPeopleTotals:
    """The running totals of people a bulk load writes, counted in Python as their rows are
    made (the same keys as ``_PERSON`` and the SQL above), then added in a few upserts: an
    import of 100,000 people saves the second pass over them that ``citizen_totals`` makes."""

    def __init__(self):
        self.people: dict[tuple, int] = {}
        self.days: dict[tuple, int] = {}
        self.teams: dict[int, list] = {}
        self.villages: dict[int, list] = {}
        self.digital_days: dict[str, int] = {}

    def add(self, *, gender, ethnicity, birth_year, village_id, digital_date, milestones) -> None:
        """One new person; ``milestones``: (milestone, date, team_id) of each of their milestones."""
        minority = ethnicity is not None and ethnicity.strip(" ").translate(_ASCII_LOWER) != "kinh"
        key = (int(digital_date is not None), int(gender == "nữ"), int(minority),
               9999 if birth_year is None else birth_year)
        self.people[key] = self.people.get(key, 0) + 1
        village = self.villages.setdefault(village_id or 0, [0, 0])
        village[0] += 1
        if digital_date is not None:
            village[1] += 1
            self.digital_days[digital_date] = self.digital_days.get(digital_date, 0) + 1
        helped_by = set()
        for milestone, day, team_id in milestones:
            self.days[(milestone, day)] = self.days.get((milestone, day), 0) + 1
            team = self.teams.setdefault(team_id or 0, [0, 0])
            team[1] += 1
            if (team_id or 0) not in helped_by:
                helped_by.add(team_id or 0)
                team[0] += 1

    def write(self, db) -> None:
        upsert = " on conflict do update set "
        db.conn.executemany("insert into dash_people values (?, ?, ?, ?, ?)" + upsert + "n = n + excluded.n",
                            [(*key, n) for key, n in self.people.items()])
        db.conn.executemany("insert into dash_days values (?, ?, ?)" + upsert + "n = n + excluded.n",
                            [(*key, n) for key, n in self.days.items()])
        db.conn.executemany("insert into dash_teams values (?, ?, ?)" + upsert + "citizens = citizens + "
                            "excluded.citizens, milestones = milestones + excluded.milestones",
                            [(team, *counts) for team, counts in self.teams.items()])
        db.conn.executemany("insert into dash_villages values (?, ?, ?)" + upsert + "recorded = recorded + "
                            "excluded.recorded, digital = digital + excluded.digital",
                            [(village, *counts) for village, counts in self.villages.items()])
        db.conn.executemany("insert into dash_digital_days values (?, ?)" + upsert + "n = n + excluded.n",
                            list(self.digital_days.items()))


def _citizen_totals(db, sign: int, citizens: str, milestones: str, params: list) -> None:
    upsert = " on conflict do update set "
    db.execute(f"insert into dash_people select {_PERSON}, {sign} * count(*) from citizens c where {citizens} "
               f"group by 1, 2, 3, 4{upsert}n = n + excluded.n", params)
    db.execute(f"insert into dash_days select m.milestone, m.date, {sign} * count(*) from milestones m "
               f"where {milestones} group by 1, 2{upsert}n = n + excluded.n", params)
    db.execute(f"insert into dash_teams select coalesce(m.team_id, 0), {sign} * count(distinct m.citizen_id), "
               f"{sign} * count(*) from milestones m where {milestones} group by 1{upsert}"
               "citizens = citizens + excluded.citizens, milestones = milestones + excluded.milestones", params)
    db.execute(f"insert into dash_villages select coalesce(c.village_id, 0), {sign} * count(*), "
               f"{sign} * count(c.digital_date) from citizens c where {citizens} group by 1{upsert}"
               "recorded = recorded + excluded.recorded, digital = digital + excluded.digital", params)
    db.execute(f"insert into dash_digital_days select c.digital_date, {sign} * count(*) from citizens c "
               f"where {citizens} and c.digital_date is not null group by 1{upsert}n = n + excluded.n", params)


@migrations()
def dashboard_totals(db):
    """Running totals for the dashboard at a province's size (issue 8, bench/tracker_scale.py)."""
    create_dashboard_totals(db)


@migrations()
def signin_throttle(db):
    """Wrong sign-in tries counted per username (known or not) and per client, and their locks
    (issue 15, item 9; ``workbench/tracker/signin.py``). In tracker.db, so a reload of the page
    does not reset them. Replaces ``users.failed_count``/``locked_until``, which stay unused."""
    db.execute("create table signin_throttle (scope text not null, key text not null, failures integer not null, "
               "since text not null, locked_until text, primary key (scope, key)) without rowid")


@migrations()
def import_team_names(db):
    """What a sheet's team value means when it is not a team's name (issue 15): "Tổ 3" for the
    commune's "Tổ CNS Thôn 3", a team created from the value, or no team (``team_id`` null),
    decided once by the person importing and applied to every later file. No foreign key: a
    demo team deleted later leaves the value undecided again instead of refusing the delete."""
    db["team_names"].create({"value_folded": str, "value": str, "team_id": int, "decided_by": str,
                             "decided_at": str}, pk="value_folded")


@migrations()
def milestone_bdhvs(db):
    """The milestone "Hoàn thành Bình dân học vụ số" (issue 13): a column for the date a citizen
    completed the national digital-skills course. Nobody has reached it yet, so the citizens'
    ``digital_date`` and the dashboard's running totals (keyed by milestone name) stay exact;
    an official who adds it to the definition recounts them (``settings.set_definition``)."""
    db.execute("alter table citizens add column m_bdhvs text")
