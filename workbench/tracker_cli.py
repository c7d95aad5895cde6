"""``python -m workbench tracker …``: import and export the tracker from the command line.

    python -m workbench tracker import FILE [--dry-run] [--json] [--valid-only] [--consent-by NAME]
    python -m workbench tracker export FILE.csv|FILE.xlsx

With ``--json`` the import prints exactly one JSON object on stdout:
``{"created": n, "updated": n, "ignored": n, "errors": [{"row": n, "column": "…", "message": "…"}]}``.
Long imports draw a progress line on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench import i18n, store, tracker, tracker_export, tracker_import


def _progress(done: int, total: int) -> None:
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


def cmd_import(args) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        message = i18n.t("tracker.cli.cannot_read", args.lang, path=str(path), reason=error.strerror)
        if args.json:  # still exactly one object on stdout
            print(json.dumps({"created": 0, "updated": 0, "ignored": 0,
                              "errors": [{"row": 0, "column": "", "message": message}]}, ensure_ascii=False))
        else:
            print(message, file=sys.stderr)
        return 2
    db = store.tracker()
    try:
        report = tracker_import.import_file(
            db, data, path.name, dry_run=args.dry_run, mode="valid_only" if args.valid_only else "all_or_nothing",
            actor=args.actor, consent_by=args.consent_by or args.actor, lang=args.lang, progress=_progress,
            write_progress=_write_progress)
    except tracker.TrackerError as error:
        message = i18n.t(error.key, args.lang, **error.params)
        if args.json:
            print(json.dumps({"created": 0, "updated": 0, "ignored": 0,
                              "errors": [{"row": 1, "column": "", "message": message}]}, ensure_ascii=False))
        else:
            print(message, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        key = "tracker.cli.summary_dry" if args.dry_run else "tracker.cli.summary"
        print(i18n.t(key, args.lang, created=report["created"], updated=report["updated"],
                     ignored=report["ignored"], errors=len(report["errors"])))
        for error in report["errors"]:
            print(i18n.t("tracker.cli.error_line", args.lang, **error))
    return 1 if report["errors"] and not args.valid_only and not args.dry_run else 0


def cmd_export(args) -> int:
    db = store.tracker()
    path = Path(args.file)
    data = (tracker_export.to_xlsx if path.suffix.lower() == ".xlsx" else tracker_export.to_csv)(db, actor=args.actor)
    path.write_bytes(data)
    print(i18n.t("tracker.cli.exported", args.lang, path=str(path), count=tracker.citizen_count(db)))
    return 0


def register_cli(subparsers) -> None:
    parser = subparsers.add_parser("tracker", help="the 1.000 digital-citizens tracker: import, export")
    sub = parser.add_subparsers(dest="tracker_command", required=True)
    p = sub.add_parser("import", help="import citizens and milestones from a CSV or XLSX file")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--valid-only", action="store_true", help="write the valid rows even when some are bad")
    p.add_argument("--consent-by", default="", help="who took the consent of the people in the file")
    p.add_argument("--actor", default="cli", help="name written in the audit log")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("export", help="export every citizen to a CSV or XLSX file")
    p.add_argument("file")
    p.add_argument("--actor", default="cli")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default="vi")
    p.set_defaults(func=cmd_export)
