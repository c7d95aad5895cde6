"""The province's end at a whole country's size (issue 16): 3,321 communes × 104 weeks of signed
weekly packages, imported and verified into one province database.

Packages are made in memory, a week at a time (a few signing keys shared by the communes, small
payloads: 3 villages, 1 team, the last 4 weeks of the cumulative line, no PDF), then imported
through ``province.imports.import_packages``: the schema checks, the Ed25519 verification and the
batched writes a real import does. The first week's 3,321 new communes are registered as the
official's confirmation would (``confirm_new``). Prints:
- the import rate (packages/s), for the first week alone and for every week;
- the province dashboard page's run time (AppTest, signed in, the latest week of 3,321 communes
  with 104 weeks of trend) beside a trivial signed-in province page, median of N runs;
- the summary's own time (``summary.summary`` + totals + trend), outside Streamlit;
- peak memory (RSS) of the process.

Targets (issue 16): 3,321 packages imported in under 60 s; the dashboard within 3x a trivial page.
Run: .venv/bin/python bench/province_scale.py [--communes 3321] [--weeks 104] [--repeats 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROVINCE = "Tỉnh Cả Nước"  # one database for the whole country: the heaviest a province could be
KEYS = 8
TRIVIAL_PAGE = """
import streamlit as st
from pages._ui.frame import page_setup, province_db, t
from pages._ui.tracker_session import require_tracker_user
page_setup(sandbox=False)
st.title(t("common.nav.province_dashboard"))
db, user = require_tracker_user("reports", open_db=province_db)
st.write(user["display_name"])
"""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def payload(code: int, week: str, monday: dt.date, n: int, rng: random.Random) -> dict:
    """A small, valid payload: a commune ``n`` weeks into its campaign."""
    digital = 15 * n + rng.randrange(0, 10)
    end = (monday + dt.timedelta(days=6)).isoformat()
    groups = {g: {"recorded": "< 5", "digital": "< 5"} for g in ("women", "minorities", "elders")}
    return {
        "commune": {"code": f"{code:05d}", "name": f"Xã Số {code}", "province": PROVINCE}, "week": week,
        "period": {"start": monday.isoformat(), "end": end}, "made_at": f"{end}T17:00:00",
        "definition": ["vneid2", "dvc", "health_book", "bank", "wallet"],
        "headline": {"digital": digital, "recorded": 2 * digital, "target": 1000, "target_name": "1.000 công dân số",
                     "deadline": "2027-12-31", "projected_date": None if n < 2 else "2027-06-30",
                     "on_track": code % 4 != 0, "per_week": 15.0, "needed_per_week": 9},
        "milestones": {"vneid2": 2 * digital, "dvc": digital + 3},
        "villages": [{"code": f"T{v}", "name": f"Thôn {v}", "population": 1500, "recorded": 2 * digital // 3,
                      "digital": digital // 3, "per_100": round(digital / 45, 2), "lagging": False, "groups": groups}
                     for v in (1, 2, 3)],
        "teams": [{"name": "Tổ CNS", "citizens": digital, "milestones": 3 * digital}],
        "groups": [{"group": g, "recorded": digital, "digital": digital // 2, "population_share": 0.5}
                   for g in ("women", "minorities", "elders")],
        "week_activity": {"milestones": 40, "new_digital": 15, "funnel": {"vneid2": 20}},
        "cumulative": [{"week": (monday - dt.timedelta(weeks=k)).isoformat(), "digital": max(0, digital - 15 * k)}
                       for k in range(3, -1, -1)],
        "report_pdf": None,
    }


def week_of_packages(keys_, communes: int, monday: dt.date, n: int, rng: random.Random) -> list[tuple[str, bytes]]:
    from workbench import weekly_package

    week = weekly_package.week_label(monday)
    return [(weekly_package.file_name(f"{c:05d}", week),
             weekly_package.pack(payload(c, week, monday, n, rng), keys_[c % len(keys_)]))
            for c in range(1, communes + 1)]


def run_page(app) -> float:
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(app.exception[0].value)
    return elapsed

_official = {}


def dashboard_vs_trivial(db, args, weeks: int) -> None:
    """The summary's time outside Streamlit, and the dashboard page beside a trivial page (AppTest)."""
    from streamlit.testing.v1 import AppTest

    from workbench.province import summary
    from workbench.tracker import auth

    summary_s = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        rows = summary.summary(db)
        summary.totals(rows), summary.lagging(rows), summary.ranked(rows), summary.trend(db)
        summary_s.append(time.perf_counter() - started)
    print(f"summary + totals + lagging + ranking + trend, outside Streamlit: median "
          f"{statistics.median(summary_s) * 1000:.0f} ms over {len(rows):,} communes")

    if not _official:
        _official[0] = auth.create_first_official(db, username="bench.tinh", display_name="Bench", secret="bench-secret")
    official = _official[0]

    def page(source: str | None):
        app = (AppTest.from_string(TRIVIAL_PAGE, default_timeout=600) if source is None
               else AppTest.from_file(str(ROOT / "pages" / source), default_timeout=600))
        app.session_state["lang"] = "vi"
        app.session_state["tracker_user_id"] = official
        return app

    run_page(page(None))  # Streamlit's own start-up, paid once
    cold = run_page(page("province/dashboard.py"))  # the first view after an import: its cache is empty
    print(f"province dashboard, first view after the import (cache empty): {cold * 1000:.0f} ms", flush=True)
    trivial = [run_page(page(None)) for _ in range(args.repeats)]
    dashboard = [run_page(page("province/dashboard.py")) for _ in range(args.repeats)]
    t, d = statistics.median(trivial), statistics.median(dashboard)
    print(f"trivial signed-in province page: median {t * 1000:.0f} ms; province dashboard "
          f"({args.communes:,} communes, {weeks} weeks): median {d * 1000:.0f} ms = {d / t:.1f}x  "
          f"[target <= 3x: {'met' if d <= 3 * t else 'NOT met'}]  (AppTest, {args.repeats} runs each)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=3321)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dashboard-at", type=lambda v: {int(x) for x in v.split(",")}, default={26},
                        help="also time the dashboard after these many weeks (default 26)")
    args = parser.parse_args()

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from workbench import databases, store
    from workbench.province import imports, setup

    folder = Path(tempfile.mkdtemp(prefix="cds-province-bench-"))
    os.environ[store.DATA_DIR_ENV] = str(folder)
    store.forget_connections()
    try:
        db = databases.province()
        setup.set_name(db, PROVINCE)
        keys_ = [Ed25519PrivateKey.generate() for _ in range(KEYS)]
        rng = random.Random(16)
        first_monday = dt.date(2024, 1, 1)
        made_s = import_s = import_cpu = 0.0
        first_week_s = None
        total = 0
        for n in range(args.weeks):
            monday = first_monday + dt.timedelta(weeks=n)
            started = time.perf_counter()
            files = week_of_packages(keys_, args.communes, monday, n, rng)
            made_s += time.perf_counter() - started
            started, cpu = time.perf_counter(), time.process_time()
            report = imports.import_packages(db, files, confirm_new=(n == 0), actor="bench")
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            import_s += elapsed
            import_cpu += cpu
            if report["refused"] or report["held"] or report["imported"] != args.communes:
                raise RuntimeError(f"week {n}: {report['refused'][:2]} {len(report['held'])} held")
            total += len(files)
            if n == 0:
                first_week_s = elapsed
                print(f"week 1: {args.communes:,} packages (new communes, confirmed) imported and verified in "
                      f"{elapsed:.1f} s wall ({cpu:.1f} s CPU) = {args.communes / elapsed:,.0f} packages/s wall, "
                      f"{args.communes / cpu:,.0f}/s CPU  [target < 60 s]", flush=True)
            elif (n + 1) % 13 == 0:
                print(f"  … {n + 1} weeks, {total:,} packages, {total / import_s:,.0f} packages/s wall, "
                      f"{total / import_cpu:,.0f}/s CPU so far", flush=True)
            if n + 1 in args.dashboard_at:
                dashboard_vs_trivial(db, args, n + 1)
        print(f"all: {total:,} packages ({args.communes:,} communes x {args.weeks} weeks) in {import_s:.0f} s wall, "
              f"{import_cpu:.0f} s CPU = {total / import_s:,.0f} packages/s wall, {total / import_cpu:,.0f}/s CPU "
              f"(making them took {made_s:.0f} s more, not counted)")
        size_mb = store.db_path(store.PROVINCE).stat().st_size / 2**20
        print(f"province.db: {size_mb:,.0f} MB")

        dashboard_vs_trivial(db, args, args.weeks)
        print(f"peak memory (RSS): {peak_rss_mb():,.0f} MB")
        print(f"target: first week < 60 s: {'met' if first_week_s < 60 else 'NOT met'}")
    finally:
        store.forget_connections()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
