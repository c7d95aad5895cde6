"""``python -m workbench …``: the whole command line, thin over the domain, like sqlite-utils'
cli.py. The library never builds a parser; every command is defined here.

    python -m workbench init | demo-data | personas
    python -m workbench lessons [--kinds]
    python -m workbench workshops
    python -m workbench tracker import FILE [--dry-run] [--json] [--valid-only] [--consent-by NAME]
                                       [--team-map "VALUE=TEAM" …] [--create-teams | --no-team-for-unknown]
                                       [--max-rows N] [--max-bytes N]
    python -m workbench tracker export FILE.csv|FILE.xlsx
    python -m workbench rules [--on YYYY-MM-DD] [--json] | rules --doc > docs/rules.md
    python -m workbench fees [--on YYYY-MM-DD] [--json]
    python -m workbench content check [--today YYYY-MM-DD] [--within DAYS] [--json]
    python -m workbench tracker package --week YYYY-Www --out FILE [--commune-code CODE] [--no-pdf]
    python -m workbench init --province "Tỉnh …"
    python -m workbench province import FILE... [--json] [--confirm-new]
    python -m workbench province summary [--week YYYY-Www] [--json]

The weekly package to the province (issue 16, docs/province.md): ``tracker package`` prints one
JSON object ``{"file", "commune", "week", "digital_citizens", "fingerprint"}``; ``province import
--json`` prints ``{"imported", "replaced", "refused": [{"file", "reason"}], "held": [...]}``;
``province summary --json`` prints a list, one object per commune.

``rules``, ``fees`` and ``content check`` answer from the dated rules of ``sandbox_data/rules``
(issue 13): ``rules --json`` a list of ``{id, kind, value, valid_from, valid_to, source, confidence, …}``,
``fees --json`` a list of ``{procedure_id, name, desk, online, valid_from, valid_to, source, …}``,
``content check --json`` ``{"expiring": [...], "stale": [...], "unsourced": [...]}``. A date that is
not YYYY-MM-DD is refused with a message and exit code 2.

With ``--json`` the tracker import prints exactly one JSON object on stdout:
``{"created": n, "updated": n, "ignored": n, "errors": [{"row": n, "column": "…", "message": "…"}]}``,
and ``"undecided_teams": [{"value", "rows", "first_rows", "suggestion"}]`` when team values of
the file are no team's name and nothing decided them (issue 15). Every failure too prints
exactly one such object, its message in "errors", and never a traceback (issue 15). Long work
draws a progress line on stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import datetime as dt
import sys
from pathlib import Path

from workbench import (clock, databases, fakes, freshness, i18n, keys, network, rules, rules_doc, store,
                       weekly_package)
from workbench.errors import Refusal
from workbench.learning.lessons import catalogue as lesson_catalogue
from workbench.learning.workshops import hall as workshop_hall
from workbench.province import imports as province_imports, setup as province_setup, summary as province_summary
from workbench.sandbox import fees as sandbox_fees, personas
from workbench.tracker import (citizens as tracker_citizens, demo as tracker_demo, export as tracker_export,
                               importer as tracker_import, package as tracker_package, sheets, team_names)
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
    """Check the data folder and both databases; create demo data when absent. With
    ``--province``: set the folder up as a province instead (issue 16)."""
    store.ensure_data_dir()
    if args.province is not None:
        name = province_setup.set_name(databases.province(), args.province)
        print(i18n.t("province.cli.initialised", province=name, path=str(store.db_path(store.PROVINCE))))
        return 0
    keys.ensure_key()  # the installation key that signs the weekly package to the province
    sandbox = databases.sandbox()
    databases.tracker()
    if not sandbox.execute("select count(*) from personas").fetchone()[0]:
        create_demo_sandbox()
        print(f"demo data created in {store.data_dir()}")
    message = _seed_tracker_demo(force=False)
    if message:
        print(f"tracker: {message}")
    print(f"data folder: {store.data_dir()}")
    url = network.public_url(port=args.port)
    print("=" * 60)
    print(f"  Local:  http://localhost:{args.port}")
    print(f"  Phones on the hall wifi / Điện thoại cùng wifi:  {url or '(no network found)'}")
    print("=" * 60)
    return 0


# --- lessons and workshops ---------------------------------------------------------------

def cmd_lessons(args) -> int:
    known = set(databases.event_kinds()) if args.kinds else None
    found, problems = lesson_catalogue.load_all(known_kinds=known)
    for lesson in found:
        print(f"{lesson.number:>2}  {lesson.id:<28} {len(lesson.steps)} steps  {lesson.title['vi']}")
    for problem in problems:
        print(problem.message("vi"))
        print(problem.message("en"))
    return 1 if problems else 0


def cmd_workshops(args) -> int:
    db = databases.sandbox()
    for found in workshop_hall.list_all(db):
        count = len(workshop_hall.participants(db, found["id"]))
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
    unknown = team_names.CREATE if args.create_teams else team_names.NO_TEAM if args.no_team_for_unknown else None
    try:
        report = tracker_import.import_file(
            db, data, path.name, dry_run=args.dry_run, mode="valid_only" if args.valid_only else "all_or_nothing",
            actor=args.actor, consent_by=args.consent_by or args.actor, lang=args.lang, progress=_import_progress,
            write_progress=_write_progress, team_decisions=team_names.parse_mappings(db, args.team_map),
            unknown_teams=unknown, max_rows=args.max_rows, max_bytes=args.max_bytes)
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
        for team in report.get("undecided_teams", []):
            suggestion = (i18n.t("tracker.cli.undecided_suggestion", args.lang, team=team["suggestion"])
                          if team["suggestion"] else "")
            print(i18n.t("tracker.cli.undecided_team", args.lang, value=team["value"], rows=team["rows"],
                         first_rows=", ".join(map(str, team["first_rows"])), suggestion=suggestion))
        if report.get("undecided_teams"):
            print(i18n.t("tracker.cli.undecided_hint", args.lang))
    held_back = report["errors"] or report.get("undecided_teams")
    return 1 if held_back and not args.valid_only and not args.dry_run else 0


def cmd_tracker_export(args) -> int:
    db = databases.tracker()
    path = Path(args.file)
    data = (tracker_export.to_xlsx if path.suffix.lower() == ".xlsx" else tracker_export.to_csv)(db, actor=args.actor)
    path.write_bytes(data)
    print(i18n.t("tracker.cli.exported", args.lang, path=str(path), count=tracker_citizens.count(db)))
    return 0


# --- the weekly package to the province (issue 16) -------------------------------------------

def cmd_tracker_package(args) -> int:
    db = databases.tracker()
    try:
        if args.commune_code:
            tracker_package.set_commune_code(db, args.commune_code, actor=args.actor)
        name, data, summary = tracker_package.make(db, args.week, with_pdf=not args.no_pdf, lang=args.lang)
    except Refusal as error:
        print(i18n.t(error.key, args.lang, **error.params), file=sys.stderr)
        return 1
    out = Path(args.out)
    out = out / name if out.is_dir() else out
    out.write_bytes(data)
    print(json.dumps({"file": str(out), **summary}, ensure_ascii=False))
    return 0


def _province_db(args):
    if not province_setup.is_province():
        raise Refusal("province.error.not_province")
    return databases.province()


def cmd_province_import(args) -> int:
    try:
        db = _province_db(args)
    except Refusal as error:
        print(i18n.t(error.key, args.lang, **error.params), file=sys.stderr)
        return 2
    report = province_imports.import_packages(
        db, province_imports.read_files(args.files), confirm_new=args.confirm_new, actor=args.actor, lang=args.lang,
        progress=lambda done: sys.stderr.write("\r" + i18n.t("province.cli.progress", args.lang, done=done)))
    for refused in report["refused"]:
        refused.pop("key", None)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(i18n.t("province.cli.import_summary", args.lang, imported=report["imported"],
                     replaced=report["replaced"], refused=len(report["refused"]), held=len(report["held"])))
        for refused in report["refused"]:
            print(i18n.t("province.cli.refused_line", args.lang, **refused))
        for held in report["held"]:
            print(i18n.t("province.cli.held_line", args.lang, **held))
        if report["held"]:
            print(i18n.t("province.cli.held_hint", args.lang))
    return 1 if report["refused"] or report["held"] else 0


def cmd_province_summary(args) -> int:
    try:
        db = _province_db(args)
        if args.week:
            weekly_package.parse_week(args.week)
    except Refusal as error:
        print(i18n.t(error.key, args.lang, **error.params), file=sys.stderr)
        return 2
    rows = province_summary.summary(db, args.week)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        print(i18n.t("province.cli.summary_line", args.lang, commune=row["commune"],
                     digital=row["digital_citizens"] if row["digital_citizens"] is not None else "—",
                     target=row["target"] or "—",
                     reported=i18n.t("province.cli.reported" if row["reported"] else "province.cli.not_reported",
                                     args.lang)))
    return 0


# --- the dated rules: what is in force, the fees, is the content fresh (issue 13) -------------

class BadDate(ValueError):
    pass


def _day(value: str | None, args, option: str, default) -> dt.date:
    """A YYYY-MM-DD option as a date; BadDate (→ a message and exit 2) when it is not one."""
    if value is None:
        return default()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadDate(i18n.t("freshness.cli.bad_date", args.lang, option=option, value=value)) from None


def _sandbox_date() -> dt.date:
    return clock.now(databases.sandbox()).date()


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def cmd_rules(args) -> int:
    if args.doc:
        sys.stdout.write(rules_doc.render())
        return 0
    on = _day(args.on, args, "--on", _sandbox_date)
    found = rules.in_force(on)
    if args.json:
        _print_json([rule.as_dict() for rule in found])
        return 0
    print(i18n.t("freshness.cli.rules_on", args.lang, date=on.isoformat(), count=len(found)))
    for rule in found:
        value = rule.text(args.lang)
        print(f"{rule.id:<28} {value}  [{rule.valid_from.isoformat()} → {_iso(rule.valid_to)}] "
              f"{rule.confidence}  {rule.source['document']}")
    return 0


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "…"


def cmd_fees(args) -> int:
    on = _day(args.on, args, "--on", _sandbox_date)
    rows = [{"procedure_id": row["procedure_id"], "name": row["name"][args.lang], "desk": row["desk"],
             "online": row["online"], "valid_from": row["valid_from"].isoformat(),
             "valid_to": row["valid_to"].isoformat() if row["valid_to"] else None, "source": row["source"],
             "confidence": row["confidence"], "rule_id": row["rule"].id}
            for row in sandbox_fees.table(on)]
    if args.json:
        _print_json(rows)
        return 0
    print(i18n.t("freshness.cli.fees_on", args.lang, date=on.isoformat()))
    for row in rows:
        amounts = i18n.t("freshness.cli.fee_line", args.lang, desk=i18n.format_money(row["desk"], args.lang),
                         online=i18n.format_money(row["online"], args.lang))
        print(f"{row['procedure_id']:<22} {amounts}  [{row['valid_from']} → {row['valid_to'] or '…'}]  {row['source']}")
    return 0


def cmd_content_check(args) -> int:
    today = _day(args.today, args, "--today", lambda: clock.real_now().date())
    if args.within < 0:
        raise BadDate(i18n.t("freshness.cli.bad_within", args.lang, value=args.within))
    report = freshness.check(today, args.within)
    if args.json:
        _print_json(report)
        return 0
    print(i18n.t("freshness.cli.check_title", args.lang, date=today.isoformat(), within=args.within))
    for section, field in (("expiring", "valid_to"), ("stale", "checked_on"), ("unsourced", "valid_to")):
        print(i18n.t(f"freshness.cli.{section}", args.lang, count=len(report[section])))
        for entry in report[section]:
            print(f"  - {entry['id']}  {field} = {entry[field] or '…'}  {entry['source']}")
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
    p.add_argument("--province", metavar="NAME", help='set this data folder up as a province ("Tỉnh …")')
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
    p.add_argument("--team-map", action="append", default=[], metavar="VALUE=TEAM",
                   help="a team name as the file writes it = the commune's team (nothing after = for no team); "
                        "repeat for each name; remembered for the next files")
    unknown = p.add_mutually_exclusive_group()
    unknown.add_argument("--create-teams", action="store_true",
                         help="create a team for every team name of the file the commune does not have")
    unknown.add_argument("--no-team-for-unknown", action="store_true",
                         help="record no team for the people of a team name the commune does not have")
    p.add_argument("--max-rows", type=int, default=sheets.MAX_ROWS,
                   help=f"refuse a file with more rows of people (default {sheets.MAX_ROWS:,})")
    p.add_argument("--max-bytes", type=int, default=sheets.MAX_BYTES,
                   help=f"refuse a larger file (default {sheets.MAX_BYTES:,}, the import page's limit)")
    p.set_defaults(func=cmd_tracker_import)
    p = tracker_sub.add_parser("export", help="export every citizen to a CSV or XLSX file")
    p.add_argument("file")
    p.add_argument("--actor", default="cli")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_tracker_export)
    p = tracker_sub.add_parser("package", help="make the signed weekly package for the province (issue 16)")
    p.add_argument("--week", required=True, metavar="YYYY-Www")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (a folder: its usual name in it)")
    p.add_argument("--commune-code", help="set the commune's code first (national list, e.g. 24469)")
    p.add_argument("--no-pdf", action="store_true", help="leave the weekly PDF out")
    p.add_argument("--actor", default="cli")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_tracker_package)

    province_parser = sub.add_parser("province", help="a province's end: import the communes' packages, summary")
    province_sub = province_parser.add_subparsers(dest="province_command", required=True)
    p = province_sub.add_parser("import", help="import weekly packages (.congdanso.json)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--confirm-new", action="store_true",
                   help="register the new communes of these files: only after hearing their fingerprint words")
    p.add_argument("--actor", default="cli")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_province_import)
    p = province_sub.add_parser("summary", help="each commune's figures for a week")
    p.add_argument("--week", metavar="YYYY-Www", help="default: the latest week reported")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per commune")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_province_summary)

    p = sub.add_parser("rules", help="the rules in force on a day (dated, with sources), or docs/rules.md")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="the day (default: the sandbox clock's date)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--doc", action="store_true", help="print docs/rules.md (every rule, every version)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("fees", help="every procedure's fee at the desk and online on a day, with its source")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="the day (default: the sandbox clock's date)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_fees)

    content_parser = sub.add_parser("content", help="is the content still true: content check")
    content_sub = content_parser.add_subparsers(dest="content_command", required=True)
    p = content_sub.add_parser("check", help="rules that end soon, not checked for 180 days, or without a source")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the day to check from (default: today)")
    p.add_argument("--within", type=int, default=freshness.EXPIRING_DAYS, metavar="DAYS",
                   help="rules that end within this many days (default 60)")
    p.add_argument("--json", action="store_true", help='print {"expiring": [...], "stale": [...], "unsourced": [...]}')
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_content_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except BadDate as error:
        print(error, file=sys.stderr)
        return 2
    except store.StoreError as error:
        print(i18n.t(error.key, **error.params), file=sys.stderr)
        print(i18n.t(error.key, "en", **error.params), file=sys.stderr)
        return 2
