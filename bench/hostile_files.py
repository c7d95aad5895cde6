"""Files that exhaust the laptop (issue 15, items 2–5): time and peak memory of the importer on each.

    python bench/hostile_files.py [--timeout SECONDS] [--commit] [--only NAME …] [--keep DIR]

Builds each hostile file (tests/hostile_files.py) at the size the issue measured, plus a valid
54 MB and a valid 20 MB CSV (the page's upload limit) and a valid sheet of 50,000 people (the
row limit), in a temporary folder; then runs
``python -m workbench tracker import FILE --json --dry-run`` (with ``--commit``: also the real
import, ``--valid-only``, in a fresh copy of the data folder) in a fresh subprocess per file,
and prints a table: file, size, result, seconds, peak RSS of the child (ru_maxrss from wait4,
taken by a small runner process so that the bench's own memory is not counted).
A run cut by the timeout is reported as "> N s". Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import hostile_files as hostile  # noqa: E402


def valid_csv(path: Path, megabytes: float, villages: list[str], teams: list[str]) -> Path:
    """A valid sheet of about ``megabytes`` MB, written the way volunteers write it."""
    from bench.tracker_import_rate import build_csv

    sample = build_csv(2_000, villages, teams)
    rows = int(2_000 * megabytes * 1e6 / len(sample))
    path.write_bytes(build_csv(rows, villages, teams))
    return path


def valid_rows(path: Path, rows: int, villages: list[str], teams: list[str]) -> Path:
    from bench.tracker_import_rate import build_csv

    path.write_bytes(build_csv(rows, villages, teams))
    return path


def build_all(folder: Path, villages: list[str], teams: list[str]) -> dict[str, Path]:
    """Every file, built unless already in ``folder`` (``--keep`` reuses them between runs)."""
    specs = [
        ("declared dimension A1:XFD1048576 (.xlsx)", "dimension.xlsx", hostile.declared_dimension_xlsx),
        ("shared string of 400 MB (.xlsx)", "shared_bomb.xlsx", hostile.shared_string_bomb_xlsx),
        ("5,000,000 rows (.xlsx)", "many_rows.xlsx", hostile.many_rows_xlsx),
        ("name of 5,242,880 chars (.xlsx)", "long_name.xlsx", hostile.long_name_xlsx),
        ("field of 200,000 chars (.csv)", "huge_field.csv", hostile.huge_field_csv),
        ("unclosed quote (.csv)", "unclosed_quote.csv", lambda p: hostile.unclosed_quote_csv(p, rows_after=20_000)),
        ("valid 54 MB (.csv)", "valid_54mb.csv", lambda p: valid_csv(p, 54, villages, teams)),
        ("valid 20 MB (.csv)", "valid_20mb.csv", lambda p: valid_csv(p, 20, villages, teams)),
        ("valid 50,000 rows, the row limit (.csv)", "valid_50k_rows.csv",
         lambda p: valid_rows(p, 50_000, villages, teams)),
    ]
    files = {}
    for label, name, build in specs:
        path = folder / name
        if not path.exists():
            build(path)
        files[label] = path
    return files


# The import runs under this small runner, never as the bench's own child: Linux keeps a
# process's peak RSS across exec, so a child forked from the bench (which built 54 MB files in
# memory) would report the bench's peak as its own.
RUNNER = """
import json, os, signal, subprocess, sys, time
timeout, out = float(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
with open(out, "wb") as stdout:
    child = subprocess.Popen(sys.argv[3:], stdout=stdout, stderr=subprocess.DEVNULL)
    killed = False
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > timeout:
            child.send_signal(signal.SIGKILL)
            _, status, usage = os.wait4(child.pid, 0)
            killed = True
            break
        time.sleep(0.05)
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": usage.ru_maxrss / 1024, "killed": killed,
                  "code": os.waitstatus_to_exitcode(status)}))
"""


def run(path: Path, data_dir: Path, timeout: float, commit: bool) -> tuple[str, float, float]:
    """(result, seconds, peak RSS MB) of one import in a fresh process."""
    command = [sys.executable, "-m", "workbench", "tracker", "import", str(path), "--json"]
    command += ["--valid-only", "--consent-by", "bench"] if commit else ["--dry-run"]
    out = data_dir.parent / "stdout.json"
    measured = subprocess.run([sys.executable, "-c", RUNNER, str(timeout), str(out), *command], cwd=ROOT,
                              capture_output=True, text=True, env={**os.environ, "CDS_DATA_DIR": str(data_dir)})
    figures = json.loads(measured.stdout)
    seconds, peak = figures["seconds"], figures["peak_mb"]
    if figures["killed"]:
        return f"killed at {timeout:.0f} s", seconds, peak
    text = out.read_text(encoding="utf-8", errors="replace").strip()
    try:
        report = json.loads(text)
    except ValueError:
        return f"exit {figures['code']}, no JSON on stdout", seconds, peak
    errors = report["errors"]
    summary = f"created {report['created']} updated {report['updated']} ignored {report['ignored']}"
    if errors:
        first = errors[0]
        message = first["message"]
        message = message if len(message) <= 70 else message[:67] + "…"
        summary += f"; {len(errors)} error(s), first: row {first['row']} {first['column']}: {message}"
    return summary, seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--commit", action="store_true", help="also run the real import of each file")
    parser.add_argument("--only", nargs="*", default=None, help="words of the file names to run")
    parser.add_argument("--keep", default=None, help="build the files in DIR and keep them (reused if present)")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cds-bench-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    seeded = work / "data"
    if not seeded.exists():  # the demo commune's villages and teams, no citizens
        subprocess.run([sys.executable, "-c", "from workbench import databases; from workbench.tracker import demo; "
                        "demo.seed(databases.tracker(), count=0)"], cwd=ROOT, check=True,
                       env={**os.environ, "CDS_DATA_DIR": str(seeded)})
    with sqlite3.connect(seeded / "tracker.db") as db:
        villages = [row[0] for row in db.execute("select name from villages order by id")]
        teams = [row[0] for row in db.execute("select name from teams order by id")]
    files_dir = work / "files"
    files_dir.mkdir(exist_ok=True)
    started = time.perf_counter()
    files = build_all(files_dir, villages, teams)
    print(f"files built in {time.perf_counter() - started:.0f} s in {files_dir}", file=sys.stderr)

    rows = []
    for label, path in files.items():
        if args.only and not any(word.lower() in label.lower() for word in args.only):
            continue
        for commit in ([False, True] if args.commit else [False]):
            data_dir = work / "run" / "data"
            shutil.rmtree(work / "run", ignore_errors=True)
            shutil.copytree(seeded, data_dir)
            result, seconds, peak = run(path, data_dir, args.timeout, commit)
            shown = f"> {args.timeout:.0f} s" if result.startswith("killed") else f"{seconds:.1f}"
            rows.append((label + (" commit" if commit else " dry run"), f"{path.stat().st_size / 1e6:.1f} MB",
                         result, shown, f"{peak:.0f}"))
            print(" | ".join(rows[-1]), file=sys.stderr)
    print("| file | size | result | seconds | peak RSS (MB) |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
