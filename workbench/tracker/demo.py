"""Demo data: the commune of ``sandbox_data/commune.toml`` with invented citizens.

Lets a commune try the tracker, and a trainer show it, before any real person is recorded.
Every demo row is marked ``is_demo`` so one action removes them all, leaving the villages and
teams real records still use. The people are made by ``fakes``, as in the sandbox.
"""

from __future__ import annotations

import datetime as dt
import json
import random

from workbench import fakes, store, text
from workbench.tracker import audit, places, realtime, settings
from workbench.tracker.schema import MILESTONES, citizen_totals

CITIZENS = 3000
SEED = 2024
MILESTONE_ODDS = {"sim": 0.92, "vneid2": 0.82, "dvc": 0.5, "health_book": 0.55, "bank": 0.6, "wallet": 0.5, "bdhvs": 0.3,
                  "dossier": 0.18}


def seed(db, force: bool = False, count: int = CITIZENS, seed: int = SEED) -> str:
    """The demo commune from ``sandbox_data/commune.toml``: villages, one team of five per
    village and ``count`` demo citizens with dated milestones. Only into an empty tracker,
    unless ``force`` (which first removes the earlier demo records)."""
    if force:
        delete(db, actor="system")
    elif db.execute("select count(*) from citizens").fetchone()[0]:
        return "tracker already holds citizens; demo data not added"
    info = fakes.load_commune()
    fake = fakes.make_faker(seed)
    rng = random.Random(seed)
    end = realtime.today()
    start = end - dt.timedelta(weeks=40)
    with store.write(db):
        if places.commune(db) is None:
            db["communes"].insert({"name": info.name, "province": info.province})
        commune_id = places.commune(db)["id"]
        village_ids, team_ids, helpers = {}, {}, {}
        for village in info.villages:
            row = db.execute("select id from villages where code = ? and commune_id = ?",
                             [village.code, commune_id]).fetchone()
            village_ids[village.code] = row[0] if row else db["villages"].insert({
                "commune_id": commune_id, "code": village.code, "name": village.name,
                "name_folded": text.fold(village.name), "population": village.population,
                "households": village.households, "is_demo": 1}).last_pk
            team_id = places.team_for_village(db, village_ids[village.code])
            if team_id is None:
                team_name = f"Tổ CNS {village.name}"
                team_id = db["teams"].insert({"name": team_name, "name_folded": text.fold(team_name),
                                              "village_id": village_ids[village.code], "is_demo": 1}).last_pk
                for n in range(info.members_per_team):
                    db["team_members"].insert({"team_id": team_id, "full_name": fake.vn_full_name(),
                                               "role": "leader" if n == 0 else "member", "is_demo": 1})
            team_ids[village.code] = team_id
            helpers[team_id] = [m["full_name"] for m in places.team_members(db, team_id)] or ["?"]
        minority = sum(v.population * (1 - v.ethnic_mix.get("Kinh", 0)) for v in info.villages) / info.population
        db.execute("insert or ignore into settings (key, value) values ('population_share.minorities', ?)",
                   [json.dumps(round(minority, 3))])
        next_id = db.execute("select coalesce(max(id), 0) + 1 from citizens").fetchone()[0]
        chosen = settings.definition(db)
        citizens, milestones = [], []
        span = (end - start).days
        for n in range(count):
            person = fake.vn_person(info)
            village_code = next(v.code for v in info.villages if v.name == person.village)
            team_id = team_ids[village_code]
            first = start + dt.timedelta(days=int(span * rng.random() ** 0.8))
            reached, day = {}, first
            keen = rng.random() < 0.2  # about one in five goes all the way, as in Ea Yông
            for milestone in MILESTONES:
                odds = 1.0 if keen and milestone in settings.DEFAULT_DEFINITION else MILESTONE_ODDS[milestone]
                if rng.random() < odds and day <= end:
                    reached[milestone] = day.isoformat()
                    day = day + dt.timedelta(days=rng.randrange(0, 10))
            citizen_id = next_id + n
            stamp = realtime.now_iso()
            row = {"id": citizen_id, "full_name": person.full_name, "name_folded": text.fold(person.full_name),
                   "birth_year": int(person.birth_date[:4]), "gender": person.gender, "ethnicity": person.ethnicity,
                   "village_id": village_ids[village_code], "team_id": team_id,
                   "phone": person.phone if rng.random() < 0.7 else None,
                   "cccd_last4": person.cccd[-4:] if rng.random() < 0.3 else None,
                   "consent_by": rng.choice(helpers[team_id]), "consent_date": first.isoformat(), "source": "demo",
                   "is_demo": 1, "created_at": stamp, "updated_at": stamp,
                   "digital_date": max(reached[m] for m in chosen) if all(m in reached for m in chosen) else None}
            for milestone in MILESTONES:
                row[f"m_{milestone}"] = reached.get(milestone)
            citizens.append(row)
            for milestone, day_iso in reached.items():
                milestones.append((citizen_id, milestone, day_iso, rng.choice(helpers[team_id]), team_id, "", "demo", stamp))
        db["citizens"].insert_all(citizens, batch_size=500)
        db.conn.executemany("insert into milestones (citizen_id, milestone, date, helped_by, team_id, note, created_by, "
                       "created_at) values (?, ?, ?, ?, ?, ?, ?, ?)", milestones)
        citizen_totals(db, 1, first_id=next_id)
        audit.record(db, "system", "demo.seeded", "citizen", None, citizens=count)
    return f"{count} demo citizens in {len(info.villages)} villages of {info.name}"


def delete(db, actor: str) -> int:
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
        audit.record(db, actor, "demo.deleted", "citizen", None, citizens=count)
    return count
