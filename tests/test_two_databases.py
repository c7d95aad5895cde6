"""Safety by construction: the sandbox holds only fake IDs, and the two databases never mix."""

import ast
import hashlib

from workbench import cli, personas, store
from tests.conftest import ROOT

SANDBOX_MODULE_PREFIXES = ("eid", "otp", "phone", "portal", "dossiers", "desk_kpis", "payments", "paytokens",
                           "scams", "receipts", "lessons", "handouts", "workshop", "certificates", "scenarios",
                           "personas", "events", "clock", "documents", "health_book", "catalogue", "fees")


def calls_in(path):
    """Names like ``store.tracker`` and ``store.sandbox`` that a module uses."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {f"{node.value.id}.{node.attr}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)}


def test_sandbox_modules_never_open_the_tracker_and_tracker_modules_never_open_the_sandbox():
    offenders = []
    for path in (ROOT / "workbench").glob("*.py"):
        used = calls_in(path)
        if path.stem.startswith("tracker") and {"store.sandbox", "store.SANDBOX"} & used:
            offenders.append(path.name)
        if path.stem.startswith(SANDBOX_MODULE_PREFIXES) and {"store.tracker", "store.TRACKER"} & used:
            # the workshop's consented hand-over to the tracker is the one bridge, and it is explicit
            if path.stem != "workshop":
                offenders.append(path.name)
    assert offenders == []


def test_no_table_is_shared_between_the_two_databases(sandbox_db, tracker_db):
    sandbox_tables = set(sandbox_db.table_names()) - {"_sqlite_migrations"}
    tracker_tables = set(tracker_db.table_names()) - {"_sqlite_migrations"}
    assert sandbox_tables & tracker_tables == set()


def test_the_sandbox_holds_no_cccd_without_the_000_prefix(sandbox_db):
    cli.create_demo_sandbox(count=30, seed=5)
    for n in range(10):
        personas.create(sandbox_db)
    bad = sandbox_db.execute("select cccd from personas where cccd not like '000%' or length(cccd) != 12").fetchall()
    assert bad == []
    assert sandbox_db.execute("select count(*) from personas").fetchone()[0] == 40


def file_digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sandbox_work_leaves_tracker_db_byte_for_byte_unchanged(data_dir, tracker_db):
    tracker_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_digest(data_dir / "tracker.db")
    sandbox = store.sandbox()
    cli.create_demo_sandbox(count=10, seed=9)
    store.reset_sandbox()
    store.sandbox()
    tracker_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert file_digest(data_dir / "tracker.db") == before
