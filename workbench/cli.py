"""``python -m workbench …``: the command line over the domain. Thin, like sqlite-utils' cli.py.

Capabilities add their own commands by defining ``register_cli(subparsers)`` in a module
listed in ``CLI_MODULES``; a module that does not exist yet is skipped.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import sys

from workbench import fakes, i18n, network, personas, store

CLI_MODULES = ["workbench.tracker_cli", "workbench.lessons", "workbench.workshop"]

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
    try:
        tracker = importlib.import_module("workbench.tracker")
    except ModuleNotFoundError:
        return None
    seed = getattr(tracker, "seed_demo", None)
    if seed is None:
        return None
    return seed(store.tracker(), force=force)


def create_demo_sandbox(count: int = DEMO_PERSONAS, seed: int = DEMO_SEED) -> int:
    db = store.sandbox()
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
    sandbox = store.sandbox()
    store.tracker()
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

    for module_name in CLI_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue
            raise
        if hasattr(module, "register_cli"):
            module.register_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except store.StoreError as error:
        print(i18n.t(error.key, **error.params), file=sys.stderr)
        print(i18n.t(error.key, "en", **error.params), file=sys.stderr)
        return 2
