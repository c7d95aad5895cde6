"""Safety by construction: the sandbox holds only fake IDs, and the two databases never mix."""

import hashlib

from workbench import cli, databases, store
from workbench.sandbox import personas

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
    databases.sandbox()
    cli.create_demo_sandbox(count=10, seed=9)
    store.reset_sandbox()
    databases.sandbox()
    tracker_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert file_digest(data_dir / "tracker.db") == before
