"""The province's figures (issue 16): each commune against its target for a week, who lags, who
has not reported, and the province's total week by week. Plain columns of ``province_packages``
only: a country's 3,321 communes × 104 weeks are summed by SQLite, never by Python.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from workbench import weekly_package

CSV_COLUMNS = ("code", "commune", "week", "reported", "figures_week", "digital_citizens", "target", "ratio",
               "deadline", "projected_date", "on_track", "new_digital")


VERSION_KEY = "province.data_version"


def data_version(db) -> int:
    """Moved by every import that wrote a package: the dashboard's cache key (one read, no scan)."""
    row = db.execute("select value from settings where key = ?", [VERSION_KEY]).fetchone()
    return int(row[0]) if row else 0


def bump_version(db) -> None:
    db.execute("insert into settings (key, value) values (?, '1') on conflict (key) do update "
               "set value = cast(value as integer) + 1", [VERSION_KEY])


def latest_week(db) -> str | None:
    """The most recent week any commune has reported (the dashboard's default)."""
    row = db.execute("select week from province_packages order by week_start desc limit 1").fetchone()
    return row[0] if row else None


def summary(db, week: str | None = None) -> list[dict]:
    """One row per commune the province knows, for ``week`` (default: the latest reported).

    ``reported`` is false for a commune that sent nothing for that week; its figures are then
    those of its last package before it (``figures_week``), or empty when it never sent one."""
    week = week or latest_week(db)
    if week is None:
        return []
    week_start = weekly_package.parse_week(week)[0].isoformat()
    rows = db.execute(
        """select c.code, c.name, p.week, p.week_start, p.digital, p.target, p.deadline, p.projected_date,
                  p.on_track, p.new_digital
           from province_communes c left join province_packages p on p.code = c.code and p.week_start =
             (select max(week_start) from province_packages q where q.code = c.code and q.week_start <= ?)
           order by c.name, c.code""", [week_start]).fetchall()
    out = []
    for code, name, figures_week, start, digital, target, deadline, projected, on_track, new in rows:
        out.append({"code": code, "commune": name, "week": week, "reported": start == week_start,
                    "figures_week": figures_week, "digital_citizens": digital, "target": target,
                    "ratio": round(digital / target, 4) if digital is not None and target else None,
                    "deadline": deadline, "projected_date": projected,
                    "on_track": bool(on_track) if on_track is not None else None,
                    "new_digital": new if start == week_start else None})
    return out


def lagging(rows: list[dict]) -> list[dict]:
    """Communes that will not reach their target by its deadline at their pace, lowest share first."""
    late = [r for r in rows if r["ratio"] is not None and r["ratio"] < 1 and not r["on_track"]]
    return sorted(late, key=lambda r: (r["ratio"], r["commune"]))


def not_reported(rows: list[dict]) -> list[dict]:
    return [r for r in rows if not r["reported"]]


def ranked(rows: list[dict]) -> list[dict]:
    """Communes by their share of the target, highest first; those without figures last."""
    return sorted(rows, key=lambda r: (r["ratio"] is None, -(r["ratio"] or 0), r["commune"]))


def totals(rows: list[dict]) -> dict:
    known = [r for r in rows if r["digital_citizens"] is not None]
    return {"communes": len(rows), "reported": sum(r["reported"] for r in rows),
            "digital": sum(r["digital_citizens"] for r in known), "target": sum(r["target"] or 0 for r in known),
            "lagging": len(lagging(rows))}


def trend(db, last: int = 104) -> list[dict]:
    """The province's total of digital citizens by week, as reported, with how many reported."""
    rows = db.execute("select week_start, sum(digital), count(*) from province_packages group by week_start "
                      "order by week_start desc limit ?", [last]).fetchall()
    return [{"week_start": start, "week": weekly_package.week_label(dt.date.fromisoformat(start)),
             "digital": digital, "communes": n} for start, digital, n in reversed(rows)]


def to_csv(rows: list[dict]) -> bytes:
    """The summary for the province's own spreadsheets: UTF-8 with a BOM, so Excel reads the diacritics."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def weeks(db, last: int = 104) -> list[str]:
    """The weeks received, the latest first (the dashboard's choice of week)."""
    # from the (week_start, digital) index alone: selecting the ``week`` column read every row (283 ms at 20,000)
    return [weekly_package.week_label(dt.date.fromisoformat(row[0])) for row in
            db.execute("select distinct week_start from province_packages order by week_start desc limit ?", [last])]
