"""The commune's weekly package to the province: the dashboard's figures for one ISO week,
signed by the installation key (issue 16; the format is ``workbench.weekly_package``).

Counts only. No citizen's name, phone, ID number or birth date is read into it, and a group
within a village (women, ethnic minorities, people 60+) counted under 5 is written "< 5": in a
small hamlet a count of 2 elderly women names them. The figures are the dashboard's own
(``dashboard.figures`` as of the week's Sunday, or today for the week under way), so the
province sees what the commune sees.
"""

from __future__ import annotations

import base64
import datetime as dt
import re

from workbench import keys, text, weekly_package
from workbench.tracker import dashboard, places, realtime, report, settings
from workbench.tracker.errors import TrackerError
from workbench.tracker.schema import MILESTONES

CODE_KEY = "commune_code"
CODE_RE = re.compile(r"^[0-9A-Za-z]{2,12}$")
SMALL = 5  # a group within a village counted under this is shown as "< 5"
SUPPRESSED = "< 5"


def commune_code(db) -> str | None:
    return settings.get(db, CODE_KEY)


def set_commune_code(db, code: str, actor: str) -> str:
    """The commune's code in the national list of administrative units (5 digits, e.g. 24469)."""
    code = text.clean(code)
    if not CODE_RE.match(code):
        raise TrackerError("province.error.bad_code", field="commune_code", value=code[:20])
    settings.save(db, CODE_KEY, code, actor)
    return code


def identity(db) -> dict:
    """Name, province and code, or a refusal that says which one to set and where."""
    commune = places.commune(db) or {}
    code = commune_code(db)
    if not code:
        raise TrackerError("province.error.no_code", field="commune_code")
    if not commune.get("name") or not commune.get("province"):
        raise TrackerError("province.error.no_commune", field="commune")
    return {"code": code, "name": commune["name"], "province": commune["province"]}


def _small(n: int) -> int | str:
    return n if n >= SMALL else SUPPRESSED


def village_groups(db, end: str) -> dict[int, dict]:
    """Per village: each group's recorded and digital citizens, under 5 suppressed."""
    elder = int(end[:4]) - dashboard.ELDER_AGE
    tests = {"women": "c.gender = 'nữ'", "minorities": "lower(trim(c.ethnicity)) != 'kinh'",
             "elders": "c.birth_year <= :elder"}
    columns = [f"count(case when {test} then 1 end)" for test in tests.values()]
    columns += [f"count(case when {test} and c.digital_date <= :end then 1 end)" for test in tests.values()]
    rows = db.execute(f"select c.village_id, {', '.join(columns)} from citizens c where c.village_id is not null "
                      "group by c.village_id", {"end": end, "elder": elder}).fetchall()
    return {row[0]: {group: {"recorded": _small(row[1 + i]), "digital": _small(row[4 + i])}
                     for i, group in enumerate(tests)} for row in rows}


def payload(db, week: str, *, with_pdf: bool = True, lang: str = "vi") -> dict:
    """Everything the package says about ``week`` (YYYY-Www)."""
    monday, sunday = weekly_package.parse_week(week)
    today = realtime.today()
    if monday > today:
        raise TrackerError("province.error.future_week", field="week", week=week)
    end = min(sunday, today).isoformat()
    who = identity(db)
    figures = dashboard.figures(db, dashboard.Filters(end=end))
    head = figures["headline"]
    this_week = dashboard.Filters(start=monday.isoformat(), end=end)
    activity = dashboard.weekly(db, this_week)
    groups_in = village_groups(db, end)
    empty = {g: {"recorded": SUPPRESSED, "digital": SUPPRESSED} for g in dashboard.GROUPS}
    pdf = report.build(db, end=end, lang=lang) if with_pdf else None
    return {
        "commune": who, "week": week, "period": {"start": monday.isoformat(), "end": end},
        "made_at": realtime.now_iso(), "definition": list(figures["definition"]),
        "headline": {"digital": head["digital"], "recorded": head["recorded"], "target": head["goal"],
                     "target_name": head["target_name"], "deadline": head["deadline"],
                     "projected_date": head["projected"], "on_track": head["on_track"],
                     "per_week": float(head["per_week"]), "needed_per_week": head["needed_per_week"]},
        "milestones": {row["milestone"]: row["citizens"] for row in figures["funnel"]},
        "villages": [{"code": v["code"], "name": v["name"], "population": v["population"] or 0,
                      "recorded": v["recorded"], "digital": v["digital"], "per_100": float(v["per_100"]),
                      "lagging": v["lagging"], "groups": groups_in.get(v["id"], empty)}
                     for v in figures["villages"]],
        "teams": [{"name": t["name"], "citizens": t["citizens"], "milestones": t["milestones"]}
                  for t in figures["teams"]],
        "groups": [{"group": g["group"], "recorded": g["recorded"], "digital": g["digital"],
                    "population_share": g["population_share"]} for g in figures["groups"]],
        "week_activity": {"milestones": sum(w["milestones"] for w in activity),
                          "new_digital": sum(w["digital"] for w in activity),
                          "funnel": {m: n for m, n in dashboard.citizen_counts(db, this_week)["milestones"].items()
                                     if m in MILESTONES}},
        "cumulative": figures["cumulative"],
        "report_pdf": base64.b64encode(pdf).decode("ascii") if pdf else None,
    }


def make(db, week: str, *, with_pdf: bool = True, lang: str = "vi") -> tuple[str, bytes, dict]:
    """(file name, file bytes, the line the CLI prints) for the commune's package of ``week``."""
    body = payload(db, week, with_pdf=with_pdf, lang=lang)
    data = weekly_package.pack(body)
    summary = {"commune": body["commune"]["name"], "code": body["commune"]["code"], "week": week,
               "digital_citizens": body["headline"]["digital"], "fingerprint": keys.fingerprint(keys.public_key_b64())}
    return weekly_package.file_name(body["commune"]["code"], week), data, summary


def current_week() -> str:
    return weekly_package.week_label(realtime.today())


def last_full_week() -> str:
    return weekly_package.week_label(realtime.today() - dt.timedelta(days=7))
