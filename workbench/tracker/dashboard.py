"""The dashboard's figures: SQL aggregates only, returned as small lists of rows.

Each figure answers one question an official asks (how many digital citizens against the
target, week by week, how far along the funnel, which villages lag, who helped whom, which
groups are left behind) for a ``Filters`` view. At a province's 320,000 citizens the running
totals of ``schema`` answer the views they can, and the citizens are counted in one pass
for the rest; charts and the report never see a citizen row.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from workbench.tracker import audit, places, realtime, settings, targets
from workbench.tracker.schema import MILESTONES

LAG_RATIO = 0.75  # a village is lagging below 75% of the commune's rate per population
ELDER_AGE = 60
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
        return self.end or realtime.today().isoformat()

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


# The running totals (schema.dashboard_totals) answer a view exactly when it is not
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
    target = targets.headline(db)
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
    return {"women": settings.get(db, "population_share.women", 0.5),
            "minorities": settings.get(db, "population_share.minorities", None),
            "elders": settings.get(db, "population_share.elders", 0.12)}


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


def figures(db, f: Filters) -> dict:
    """Every figure of the dashboard, as small lists of aggregated rows."""
    f = f.resolved()
    counts = citizen_counts(db, f)
    return {"filters": {"start": f.start, "end": f.end, "village_ids": f.village_ids, "team_id": f.team_id},
            "headline": headline(db, f, counts), "cumulative": cumulative(db, f), "funnel": funnel(db, f, counts),
            "villages": (rows := by_village(db, f)), "lag_threshold": lag_threshold(rows),
            "teams": by_team(db, f), "groups": groups(db, f, counts),
            "weekly": weekly(db, f), "definition": list(settings.definition(db)),
            "commune": places.commune(db), "data_version": audit.data_version(db),
            "computed_at": realtime.now_iso()}

