"""A synthetic province at full size (issue 8, seed 003: Bắc Kạn, 108 communes, 1,292 villages):
communes, villages with a team of five each, and citizens with dated milestones, written in bulk
(320,000 citizens in seconds). bench/tracker_scale.py measures the tracker on it; the weekly
report's test checks that a province still fits on one page."""

from __future__ import annotations

import datetime as dt
import random
import time

from workbench import fakes, store, text
from workbench.tracker import audit, importer, realtime, schema
from workbench.tracker.schema import MILESTONES

COMMUNES, VILLAGES = 108, 1292
BATCH = 20_000
SEED = 3
# Odds of each milestone, in funnel order (as the demo commune's); one in five goes all the way.
ODDS = {"sim": 0.92, "vneid2": 0.82, "dvc": 0.5, "health_book": 0.55, "bank": 0.6, "wallet": 0.5, "bdhvs": 0.3,
        "dossier": 0.18}
DIGITAL = ("vneid2", "dvc", "health_book", "bank", "wallet")


def random_names(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    """``n`` (full name, gender, ethnicity): a highland province's mix, Kinh in under half."""
    surnames = list(fakes.KINH_SURNAMES)
    out = []
    for _ in range(n):
        gender = rng.choice(("nam", "nữ"))
        ethnicity = "Kinh" if rng.random() < 0.45 else rng.choice(fakes.ETHNICITIES[1:])
        name = f"{rng.choice(surnames)} {rng.choice(list(fakes.MIDDLE[gender]))} {rng.choice(fakes.GIVEN[gender])}"
        out.append((name, gender, ethnicity))
    return out


def generate(db, citizens: int, seed: int = SEED) -> dict:
    """A province: communes, villages (one team each), ``citizens`` with dated milestones."""
    rng = random.Random(seed)
    started = time.perf_counter()
    end = dt.date.today()
    start = end - dt.timedelta(days=2 * 365)
    stamp = realtime.now_iso()
    # A throw-away bench database: a big page cache and no fsync make the bulk insert fast.
    db.execute("PRAGMA cache_size = -262144")
    db.execute("PRAGMA synchronous = OFF")
    # The dashboard's running totals are recounted once at the end, not kept row by row.
    with store.write(db):
        db.conn.executemany("insert into communes (id, name, province) values (?, ?, ?)",
                            [(c + 1, f"Xã {c + 1:03d}", "Tỉnh Mô Phỏng")
                             for c in range(COMMUNES)])
        villages = []
        for v in range(VILLAGES):
            name = f"Thôn {v + 1:04d}"
            villages.append((v + 1, v % COMMUNES + 1, f"V{v + 1:04d}", name, text.fold(name),
                             rng.randrange(250, 900), rng.randrange(60, 220), 0))
        db.conn.executemany("insert into villages (id, commune_id, code, name, name_folded, population, households, "
                            "is_demo) values (?, ?, ?, ?, ?, ?, ?, ?)", villages)
        db.conn.executemany("insert into teams (id, name, name_folded, village_id, is_demo) values (?, ?, ?, ?, 0)",
                            [(v[0], f"Tổ CNS {v[3]}", text.fold(f"Tổ CNS {v[3]}"), v[0]) for v in villages])
        members = random_names(rng, 5 * VILLAGES)  # a team of five in every village (Vân Hồ, seed 002)
        db.conn.executemany("insert into team_members (team_id, full_name, role, is_demo) values (?, ?, ?, 0)",
                            [(n // 5 + 1, members[n][0], "leader" if n % 5 == 0 else "member")
                             for n in range(5 * VILLAGES)])
        names = random_names(rng, min(citizens, 50_000)) if citizens else []
        span = (end - start).days
        citizen_sql, milestone_sql = importer.INSERT_CITIZEN, importer.INSERT_MILESTONE
        milestones_made = 0
        for first in range(0, citizens, BATCH):  # in batches, so the peak memory is the page's, not ours
            citizen_rows, milestone_rows = [], []
            for n in range(first, min(citizens, first + BATCH)):
                name, gender, ethnicity = names[n % len(names)]
                village = rng.randrange(VILLAGES) + 1
                day = start + dt.timedelta(days=int(span * rng.random() ** 0.7))
                dates = {}
                keen = rng.random() < 0.2
                for milestone in MILESTONES:
                    if (keen and milestone in DIGITAL) or rng.random() < ODDS[milestone]:
                        if day > end:
                            break
                        dates[milestone] = day.isoformat()
                        day += dt.timedelta(days=rng.randrange(0, 10))
                digital = max(dates[m] for m in DIGITAL) if all(m in dates for m in DIGITAL) else None
                citizen_rows.append((n + 1, name, text.fold(name), rng.randrange(1935, 2008), gender, ethnicity,
                                     village, village, None, None, "bench", start.isoformat(), "bench", 0, stamp,
                                     stamp, digital, *[dates.get(m) for m in MILESTONES]))
                milestone_rows.extend((n + 1, m, d, "bench", village, "", "bench", stamp) for m, d in dates.items())
            db.conn.executemany(citizen_sql, citizen_rows)
            db.conn.executemany(milestone_sql, milestone_rows)
            milestones_made += len(milestone_rows)
        schema.fill_dashboard_totals(db)
        audit.record(db, "bench", "bench.generated", "citizen", None, citizens=citizens)
    db.execute("analyze")
    db.execute("PRAGMA synchronous = FULL")
    db.execute(f"PRAGMA cache_size = -{store.TRACKER_CACHE_KIB}")  # back to the app's: measure as it runs
    return {"citizens": citizens, "milestones": milestones_made, "seconds": time.perf_counter() - started}
