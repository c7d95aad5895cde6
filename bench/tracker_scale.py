"""The tracker at a province's size (issue 8, seed 003: Bắc Kạn, 108 communes, 1,292 villages).

Generates a province in a fresh data folder (bulk inserts: 320,000 citizens in seconds), then
prints:
- the dashboard page's run time (AppTest, signed in as an official) at 10,000, 100,000 and
  320,000 citizens: the first run (cache empty) and later runs (cache warm), beside the run
  time of a trivial page (pages/home.py) measured in the same process;
- the import rate of a 100,000-row CSV in the template's format, through
  ``importer.import_file`` (the full validation a volunteer's file gets);
- peak memory (RSS) of each measurement, each run in its own process.

Targets (issue 8): dashboard at 320,000 within 5x the trivial page; import >= 10,000 rows/s.
Run: .venv/bin/python bench/tracker_scale.py [--sizes 10000,100000,320000] [--import-rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.tracker import synthetic  # noqa: E402  (after the path)
from workbench.tracker.synthetic import COMMUNES, SEED, VILLAGES, generate  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fresh_data_dir() -> Path:
    from workbench import store

    folder = Path(tempfile.mkdtemp(prefix="cds-bench-"))
    os.environ[store.DATA_DIR_ENV] = str(folder)
    store.forget_connections()
    return folder


def _run(app) -> float:
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise SystemExit(f"page failed: {[e.value for e in app.exception]}")
    return elapsed


# The trivial page: a signed-in tracker page that draws one line (the frame, the sign-in check).
TRIVIAL_PAGE = """
import streamlit as st
from pages._ui.frame import page_setup, t
from pages._ui.tracker_session import require_tracker_user
page_setup(sandbox=False)
st.title(t("common.nav.tracker_dashboard"))
db, user = require_tracker_user("view_aggregates")
st.write(user["display_name"])
"""


def phase_dashboard(people: int, repeats: int) -> dict:
    from streamlit.testing.v1 import AppTest

    import altair  # noqa: F401  (a server imports these once; the first view should not pay for it)
    import pandas  # noqa: F401
    from workbench import databases
    from workbench.tracker import auth, charts, citizens, dashboard, realtime

    _fresh_data_dir()
    db = databases.tracker()
    made = generate(db, people)
    official = auth.create_first_official(db, username="bench.official", display_name="Bench",
                                          secret="benchmark-secret")

    def page(name):
        if name == "trivial":
            app = AppTest.from_string(TRIVIAL_PAGE, default_timeout=600)
        else:
            app = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=600)
        app.session_state["lang"] = "vi"
        app.session_state["tracker_user_id"] = official
        return app

    _run(page("trivial"))  # Streamlit's own start-up, paid once for every page
    trivial = [_run(page("trivial")) for _ in range(repeats)]
    home = [_run(page("home.py")) for _ in range(repeats)]
    first = _run(page("tracker/dashboard.py"))  # also the process's first Altair chart, Styler, …
    cold = []
    fresh = [row[0] for row in db.execute("select id from citizens where m_dossier is null order by id limit ?",
                                          [repeats])]
    for citizen_id in fresh:  # a volunteer records a milestone: the next view recomputes every figure
        citizens.record_milestone(db, citizen_id, "dossier", realtime.today(), helped_by="bench", actor="bench")
        cold.append(_run(page("tracker/dashboard.py")))
    warm = [_run(page("tracker/dashboard.py")) for _ in range(repeats)]
    after_login = []
    for _ in range(repeats):  # a login writes an audit line but changes no figure: still served from the cache
        auth.login(db, "bench.official", "benchmark-secret")
        after_login.append(_run(page("tracker/dashboard.py")))
    # The cold view's own work, outside Streamlit: the SQL figures, then the charts' Vega-Lite specs.
    figures_cpu, charts_cpu = [], []
    for _ in range(repeats):
        cpu = time.process_time()
        figures = dashboard.figures(db, dashboard.Filters())
        figures_cpu.append(time.process_time() - cpu)
        cpu = time.process_time()
        {name: charts.spec(chart) for name, chart in charts.all_charts(figures, "vi").items()}
        charts_cpu.append(time.process_time() - cpu)
    return {"phase": "dashboard", **made, "trivial_s": statistics.median(trivial), "home_s": statistics.median(home),
            "dashboard_first_s": first, "dashboard_cold_s": statistics.median(cold),
            "dashboard_warm_s": statistics.median(warm), "dashboard_after_login_s": statistics.median(after_login),
            "figures_cpu_s": statistics.median(figures_cpu), "charts_cpu_s": statistics.median(charts_cpu),
            "load": os.getloadavg()[0], "peak_rss_mb": peak_rss_mb()}


def template_rows(rows: int, seed: int = SEED + 1) -> bytes:
    """A volunteer-style CSV in the template's columns: x marks, dd/mm/yyyy dates, UTF-8 BOM."""
    from workbench.tracker import importer

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(importer.TEMPLATE_HEADERS)
    names = synthetic.random_names(rng, 50_000)
    from workbench import fakes

    prefixes = sorted(fakes.ALL_PREFIXES)
    today = dt.date.today()
    for n in range(rows):
        name, gender, ethnicity = names[n % len(names)]
        village = f"Thôn {rng.randrange(VILLAGES) + 1:04d}"
        day = today - dt.timedelta(days=rng.randrange(1, 700))
        marks = ["x" if rng.random() < 0.6 else "" for _ in range(5)]
        phone = f"{rng.choice(prefixes)}{rng.randrange(10 ** 6, 10 ** 7)}" if rng.random() < 0.5 else ""
        writer.writerow([name, rng.randrange(1935, 2008), "Nam" if gender == "nam" else "Nữ", ethnicity, village,
                         phone, *marks, day.strftime("%d/%m/%Y"), f"Tổ CNS {village}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def phase_import(rows: int) -> dict:
    from workbench import databases
    from workbench.tracker import importer

    _fresh_data_dir()
    db = databases.tracker()
    generate(db, 0)
    data = template_rows(rows)
    started, cpu = time.perf_counter(), time.process_time()
    plan = importer.plan(db, data, "bench.csv")
    plan_s, plan_cpu = time.perf_counter() - started, time.process_time() - cpu
    importer.apply(db, plan, actor="bench", consent_by="bench")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    counts = plan.counts()
    report = {"created": counts["created"], "updated": counts["updated"], "errors": plan.issues}
    bad = len(report["errors"])
    started = time.perf_counter()
    again = importer.import_file(db, data, "bench.csv", actor="bench", consent_by="bench")
    again_s = time.perf_counter() - started
    return {"phase": "import", "rows": rows, "seconds": elapsed, "rows_per_s": rows / elapsed,
            "cpu_s": cpu, "cpu_rows_per_s": rows / cpu, "plan_s": plan_s, "plan_cpu_s": plan_cpu,
            "created": report["created"], "updated": report["updated"], "errors": bad,
            "reimport_created": again["created"], "reimport_updated": again["updated"],
            "reimport_rows_per_s": rows / again_s, "load": os.getloadavg()[0], "peak_rss_mb": peak_rss_mb()}


def child(args) -> int:
    try:
        if args.phase == "dashboard":
            result = phase_dashboard(args.citizens, args.repeats)
        else:
            result = phase_import(args.citizens)
    finally:  # a province's database is ~300 MB: leave none behind
        from workbench import store

        store.forget_connections()
        folder = os.environ.get(store.DATA_DIR_ENV, "")
        if Path(folder).name.startswith("cds-bench-"):
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,320000")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--phase", choices=["dashboard", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--citizens", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return child(args)

    def measure(*extra):
        done = subprocess.run([sys.executable, __file__, *extra], capture_output=True, text=True, cwd=ROOT)
        if done.returncode:
            sys.stderr.write(done.stderr)
            raise SystemExit(done.returncode)
        return json.loads(done.stdout.strip().splitlines()[-1])

    print(f"tracker at scale: {COMMUNES} communes, {VILLAGES} villages; each figure in its own process; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    print("trivial = a signed-in tracker page drawing one line; home = pages/home.py (QR code); median of "
          f"{args.repeats} runs; first = the process's first view; cold = the first view after a change "
          "(a volunteer recorded a milestone: figures recomputed), warm = later views (cached), login = a view after "
          "a sign-in (must stay cached); figures/charts = CPU seconds of dashboard.figures() and of the six Vega-Lite "
          "specs, outside Streamlit")
    print(f"{'citizens':>9} {'milestones':>10} {'generate':>9} {'trivial':>8} {'home':>7} {'dash 1st':>9} {'dash cold':>10} "
          f"{'dash warm':>10} {'login':>7} {'cold/triv':>9} {'warm/triv':>9} {'figures':>8} {'charts':>7} {'load':>5} "
          f"{'peak RSS':>9}")
    last = None
    for size in [int(s) for s in args.sizes.split(",") if s]:
        r = measure("--phase", "dashboard", "--citizens", str(size), "--repeats", str(args.repeats))
        print(f"{r['citizens']:>9,} {r['milestones']:>10,} {r['seconds']:>8.1f}s {r['trivial_s']:>7.3f}s "
              f"{r['home_s']:>6.3f}s {r['dashboard_first_s']:>8.3f}s "
              f"{r['dashboard_cold_s']:>9.3f}s {r['dashboard_warm_s']:>9.3f}s {r['dashboard_after_login_s']:>6.3f}s "
              f"{r['dashboard_cold_s'] / r['trivial_s']:>8.1f}x {r['dashboard_warm_s'] / r['trivial_s']:>8.1f}x "
              f"{r['figures_cpu_s']:>7.3f}s {r['charts_cpu_s']:>6.3f}s {r['load']:>5.1f} "
              f"{r['peak_rss_mb']:>7.0f}MB", flush=True)
        last = r
    if args.import_rows:
        r = measure("--phase", "import", "--citizens", str(args.import_rows))
        print(f"import {r['rows']:,} CSV rows (full validation, then commit): {r['seconds']:.1f}s = "
              f"{r['rows_per_s']:,.0f} rows/s; created {r['created']:,}, updated {r['updated']:,}, "
              f"bad rows {r['errors']:,}; peak RSS {r['peak_rss_mb']:.0f}MB")
        print(f"  of which checking (dry run) {r['plan_s']:.1f}s ({r['plan_cpu_s']:.1f}s CPU), writing "
              f"{r['seconds'] - r['plan_s']:.1f}s ({r['cpu_s'] - r['plan_cpu_s']:.1f}s CPU); CPU time "
              f"{r['cpu_s']:.1f}s = {r['cpu_rows_per_s']:,.0f} rows per CPU-second (less sensitive to a busy machine); "
              f"load average {r['load']:.1f}")
        print(f"the same file again: created {r['reimport_created']}, updated {r['reimport_updated']} "
              f"({r['reimport_rows_per_s']:,.0f} rows/s)")
        print(f"target import >= 10,000 rows/s: {'met' if r['rows_per_s'] >= 10_000 else 'NOT met'}")
    if last:
        cold = last["dashboard_cold_s"] / last["trivial_s"]
        print(f"target dashboard at {last['citizens']:,} within 5x the trivial page, first view after a change: "
              f"{cold:.1f}x, {'met' if cold <= 5 else 'NOT met'}; cached: "
              f"{last['dashboard_warm_s'] / last['trivial_s']:.1f}x; after a login: "
              f"{last['dashboard_after_login_s'] / last['trivial_s']:.1f}x")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
