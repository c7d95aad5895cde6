"""``python -m workbench …``: the whole command line, thin over the domain, like sqlite-utils'
cli.py. The library never builds a parser; every command is defined here.

    python -m workbench init | demo-data | personas
    python -m workbench lessons [--kinds]
    python -m workbench workshops
    python -m workbench tracker import FILE [--dry-run] [--json] [--valid-only] [--consent-by NAME]
                                            [--max-rows N] [--max-bytes N]
    python -m workbench tracker export FILE.csv|FILE.xlsx

With ``--json`` the tracker import prints exactly one JSON object on stdout:
``{"created": n, "updated": n, "ignored": n, "errors": [{"row": n, "column": "…", "message": "…"}]}``.
Every failure too prints exactly one such object, its message in "errors", and never a
traceback (issue 15). Long work draws a progress line on stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from workbench import databases, fakes, i18n, network, store
from workbench.learning import lessons, workshop
from workbench.sandbox import personas
from workbench.tracker import (citizens as tracker_citizens, demo as tracker_demo, export as tracker_export,
                               importer as tracker_import)
from workbench.tracker.errors import TrackerError

PERSONA_COLUMNS = ["full_name", "gender", "birth_date", "ethnicity", "cccd", "phone", "village"]
DEMO_PERSONAS = 24
DEMO_SEED = 2024


def progress(done: int, total: int, label: str = "") -> None:
    """One progress line on stderr, rewritten in place."""
    width = 30
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_personas(args) -> int:
    people = fakes.people(args.count, seed=args.seed)
    if args.format == "json":
        json.dump([p.as_dict() for p in people], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=PERSONA_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for person in people:
            writer.writerow(person.as_dict())
    return 0


def _seed_tracker_demo(force: bool) -> str | None:
    return tracker_demo.seed(databases.tracker(), force=force)


def create_demo_sandbox(count: int = DEMO_PERSONAS, seed: int = DEMO_SEED) -> int:
    db = databases.sandbox()
    for n in range(count):
        personas.create(db, seed=seed + n, starting_state="fresh")
        progress(n + 1, count, "sandbox personas")
    return count


def cmd_demo_data(args) -> int:
    """(Re)create the demo commune: a fresh sandbox, and demo structure in the tracker."""
    store.ensure_data_dir()
    store.reset_sandbox()
    made = create_demo_sandbox(args.count, args.seed)
    print(f"sandbox: {made} personas in {store.db_path(store.SANDBOX)}")
    message = _seed_tracker_demo(force=args.tracker)
    if message:
        print(f"tracker: {message}")
    return 0


def cmd_init(args) -> int:
    """Check the data folder and both databases; create demo data when absent."""
    store.ensure_data_dir()
    sandbox = databases.sandbox()
    databases.tracker()
    if not sandbox.execute("select count(*) from personas").fetchone()[0]:
        create_demo_sandbox()
        print(f"demo data created in {store.data_dir()}")
    message = _seed_tracker_demo(force=False)
    if message:
        print(f"tracker: {message}")
    print(f"data folder: {store.data_dir()}")
    url = network.lan_url(args.port)
    print("=" * 60)
    print(f"  Local:  http://localhost:{args.port}")
    print(f"  Phones on the hall wifi / Điện thoại cùng wifi:  {url or '(no network found)'}")
    print("=" * 60)
    return 0


# --- lessons and workshops ---------------------------------------------------------------

def cmd_lessons(args) -> int:
    known = set(databases.event_kinds()) if args.kinds else None
    found, problems = lessons.load_all(known_kinds=known)
    for lesson in found:
        print(f"{lesson.number:>2}  {lesson.id:<28} {len(lesson.steps)} steps  {lesson.title['vi']}")
    for problem in problems:
        print(problem.message("vi"))
        print(problem.message("en"))
    return 1 if problems else 0


def cmd_workshops(args) -> int:
    db = databases.sandbox()
    for found in workshop.list_all(db):
        count = len(workshop.participants(db, found["id"]))
        print(f"{found['join_code']}  {found['status']:<6} {found['date']}  {count:>3}  {found['name']}")
    return 0


# --- the tracker ---------------------------------------------------------------------------

def _import_progress(done: int, total: int) -> None:
    """One line on stderr, rewritten in place; stdout stays the JSON object alone."""
    sys.stderr.write(f"\r{i18n.t('tracker.cli.progress', done=done)}")
    if total and done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _write_progress(done: int, total: int) -> None:
    sys.stderr.write(f"\r{i18n.t('tracker.cli.progress_written', done=done, total=total)}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _import_refusal(args, message: str, row: int = 1, column: str = "") -> None:
    """A refused import said once: with --json still exactly one object on stdout (issue 15)."""
    if args.json:
        print(json.dumps({"created": 0, "updated": 0, "ignored": 0,
                          "errors": [{"row": row, "column": column, "message": message}]}, ensure_ascii=False))
    else:
        print(message, file=sys.stderr)


LIMIT_KEYS = ("tracker.import.error.too_big", "tracker.import.error.too_many_rows", "tracker.import.error.zip_bomb")


def cmd_tracker_import(args) -> int:
    path = Path(args.file)
    try:
        size = path.stat().st_size
        if size > args.max_bytes:  # refused before a byte is read
            raise tracker_import.ImportFileError("tracker.import.error.too_big", size_mb=round(size / 2**20, 1),
                                                 limit_mb=round(args.max_bytes / 2**20, 1))
        data = path.read_bytes()
    except OSError as error:
        _import_refusal(args, i18n.t("tracker.cli.cannot_read", args.lang, path=str(path), reason=error.strerror),
                        row=0)
        return 2
    except TrackerError as error:
        _import_refusal(args, i18n.t(error.key, args.lang, **error.params) + " "
                        + i18n.t("tracker.cli.limit_hint", args.lang), row=0)
        return 1
    db = databases.tracker()
    try:
        report = tracker_import.import_file(
            db, data, path.name, dry_run=args.dry_run, mode="valid_only" if args.valid_only else "all_or_nothing",
            actor=args.actor, consent_by=args.consent_by or args.actor, lang=args.lang, progress=_import_progress,
            write_progress=_write_progress, max_rows=args.max_rows, max_bytes=args.max_bytes)
    except TrackerError as error:
        message = i18n.t(error.key, args.lang, **error.params)
        if error.key in LIMIT_KEYS:
            message += " " + i18n.t("tracker.cli.limit_hint", args.lang)
        _import_refusal(args, message, row=error.params.get("row", 1), column=error.field or "")
        return 1
    except Exception as error:  # never a traceback: one line for the maintainer on stderr, the object on stdout
        sys.stderr.write(f"\n{type(error).__name__}: {str(error)[:200]}\n")
        _import_refusal(args, i18n.t("tracker.import.error.unexpected", args.lang))
        return 2
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        key = "tracker.cli.summary_dry" if args.dry_run else "tracker.cli.summary"
        print(i18n.t(key, args.lang, created=report["created"], updated=report["updated"],
                     ignored=report["ignored"], errors=len(report["errors"])))
        for error in report["errors"]:
            print(i18n.t("tracker.cli.error_line", args.lang, **error))
    return 1 if report["errors"] and not args.valid_only and not args.dry_run else 0


def cmd_tracker_export(args) -> int:
    db = databases.tracker()
    path = Path(args.file)
    data = (tracker_export.to_xlsx if path.suffix.lower() == ".xlsx" else tracker_export.to_csv)(db, actor=args.actor)
    path.write_bytes(data)
    print(i18n.t("tracker.cli.exported", args.lang, path=str(path), count=tracker_citizens.count(db)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workbench", description="Công dân số Workbench")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("personas", help="print fake personas")
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.set_defaults(func=cmd_personas)

    p = sub.add_parser("demo-data", help="(re)create the demo commune's sandbox data")
    p.add_argument("--count", type=int, default=DEMO_PERSONAS)
    p.add_argument("--seed", type=int, default=DEMO_SEED)
    p.add_argument("--tracker", action="store_true", help="also replace the tracker's demo records")
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser("init", help="check the databases, create demo data when absent, print the LAN URL")
    p.add_argument("--port", type=int, default=network.DEFAULT_PORT)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("lessons", help="validate the lesson files and list them")
    p.add_argument("--kinds", action="store_true", help="also check every event kind against the sandbox's kinds")
    p.set_defaults(func=cmd_lessons)

    p = sub.add_parser("workshops", help="list the workshops with their join codes and participants")
    p.set_defaults(func=cmd_workshops)

    tracker_parser = sub.add_parser("tracker", help="the 1.000 digital-citizens tracker: import, export")
    tracker_sub = tracker_parser.add_subparsers(dest="tracker_command", required=True)
    p = tracker_sub.add_parser("import", help="import citizens and milestones from a CSV or XLSX file")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--valid-only", action="store_true", help="write the valid rows even when some are bad")
    p.add_argument("--consent-by", default="", help="who took the consent of the people in the file")
    p.add_argument("--actor", default="cli", help="name written in the audit log")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.add_argument("--max-rows", type=int, default=tracker_import.MAX_ROWS,
                   help=f"refuse a file with more rows of people (default {tracker_import.MAX_ROWS:,})")
    p.add_argument("--max-bytes", type=int, default=tracker_import.MAX_BYTES,
                   help=f"refuse a larger file (default {tracker_import.MAX_BYTES:,}, the import page's limit)")
    p.set_defaults(func=cmd_tracker_import)
    p = tracker_sub.add_parser("export", help="export every citizen to a CSV or XLSX file")
    p.add_argument("file")
    p.add_argument("--actor", default="cli")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_tracker_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except store.StoreError as error:
        print(i18n.t(error.key, **error.params), file=sys.stderr)
        print(i18n.t(error.key, "en", **error.params), file=sys.stderr)
        return 2
