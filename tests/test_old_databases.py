"""A database made before the restructuring (issue 12) opens, migrates and keeps its data.

``tests/fixtures/before_issue_12/`` holds a sandbox and a tracker written by the code of main at
fb08afc, as SQL dumps (``sandbox.sql``, ``tracker.sql``): each test builds the database files
from them in its own data folder, so no database file is kept in git. The script that made them
is beside them, as ``made_by.py.txt``: it imports the old module names, so it cannot run against
today's code. Migration sets are stored by name, so moving a module is safe
only while its ``Migrations("name")`` and its functions' names stay: this test is what says so.
"""

import json
import sqlite3

import pytest

from workbench import databases, store
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "before_issue_12"
COUNTS = json.loads((FIXTURES / "counts.json").read_text(encoding="utf-8"))


@pytest.fixture
def old_data(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    for kind in ("sandbox", "tracker"):
        db = sqlite3.connect(data_dir / f"{kind}.db")
        db.executescript((FIXTURES / f"{kind}.sql").read_text(encoding="utf-8"))
        db.close()
    store.forget_connections()
    return data_dir


def tables_of_a_new_database(kind: str, tmp_path) -> set[str]:
    db = store.open_connection(tmp_path / f"new-{kind}.db")
    store.migrate(db, databases.SANDBOX_MIGRATIONS if kind == "sandbox" else databases.TRACKER_MIGRATIONS)
    return set(db.table_names())


@pytest.mark.parametrize("kind", ["sandbox", "tracker"])
def test_an_old_database_opens_with_every_table_of_a_new_one(old_data, kind, tmp_path):
    db = databases.sandbox() if kind == "sandbox" else databases.tracker()
    assert tables_of_a_new_database(kind, tmp_path) <= set(db.table_names())


@pytest.mark.parametrize("kind", ["sandbox", "tracker"])
def test_an_old_database_keeps_every_row(old_data, kind):
    db = databases.sandbox() if kind == "sandbox" else databases.tracker()
    kept = {table: db.execute(f"select count(*) from [{table}]").fetchone()[0] for table in COUNTS[kind]}
    # Every migration added since the fixture was made adds its own row to _sqlite_migrations.
    assert kept.pop("_sqlite_migrations") >= COUNTS[kind]["_sqlite_migrations"]
    assert kept == {table: n for table, n in COUNTS[kind].items() if table != "_sqlite_migrations"}
    assert sum(kept.values()) > 100


def test_the_old_databases_hold_data_in_every_part():
    """The fixture is worth something only if each part wrote to it."""
    sandbox, tracker = COUNTS["sandbox"], COUNTS["tracker"]
    for table in ("personas", "events", "dossiers", "payments", "lesson_runs", "workshops", "sms", "eid_accounts"):
        assert sandbox[table] > 0, table
    for table in ("citizens", "milestones", "villages", "teams", "users", "audit"):
        assert tracker[table] > 0, table


def test_an_old_tracker_gains_the_bdhvs_milestone_and_keeps_its_digital_citizens(old_data):
    """Issue 13 added a milestone: its column comes from a migration of its own (``milestone_bdhvs``)."""
    from workbench.tracker import citizens

    db = databases.tracker()
    assert "m_bdhvs" in db["citizens"].columns_dict
    assert "milestone_bdhvs" in {r[0] for r in db.execute("select name from _sqlite_migrations")}
    assert db.execute("select count(*) from citizens where m_bdhvs is not null").fetchone()[0] == 0
    digital = db.execute("select count(*) from citizens where digital_date is not null").fetchone()[0]
    assert digital == sum(n for (n,) in db.execute("select n from dash_digital_days"))
    someone = db.execute("select min(id) from citizens").fetchone()[0]
    assert citizens.record_milestone(db, someone, "bdhvs", "2025-05-02", helped_by="x", actor="test")
    assert db.execute("select m_bdhvs from citizens where id = ?", [someone]).fetchone()[0] == "2025-05-02"
