"""The store: where the databases live, how connections are set up, and why every
read-then-write goes through ``store.write``."""

import sqlite3
import threading

import pytest

from workbench import databases, store


def test_databases_live_in_the_data_folder_outside_the_source_tree(data_dir):
    assert store.db_path("sandbox") == data_dir / "sandbox.db"
    assert store.db_path("tracker") == data_dir / "tracker.db"
    default = store.default_data_dir()
    assert not str(default).startswith(str(store.Path(store.__file__).parent.parent))


def test_every_connection_uses_wal_full_sync_foreign_keys_and_a_busy_timeout(tracker_db):
    pragma = lambda name: tracker_db.execute(f"PRAGMA {name}").fetchone()[0]
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL: real people's progress waits for the disk
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000


def test_the_sandbox_does_not_wait_for_the_disk_at_every_commit(sandbox_db):
    """Fake data, reset at will: WAL with synchronous NORMAL loses at most the last taps on a
    power cut and is never corrupted; FULL made every tap in a hall wait for an fsync (issue 14)."""
    pragma = lambda name: sandbox_db.execute(f"PRAGMA {name}").fetchone()[0]
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 1  # NORMAL
    assert pragma("foreign_keys") == 1


def test_one_connection_per_thread(sandbox_db):
    seen = []
    thread = threading.Thread(target=lambda: seen.append(databases.sandbox()))
    thread.start()
    thread.join()
    assert databases.sandbox() is sandbox_db
    assert seen[0] is not sandbox_db


def in_a_thread(work):
    seen = []
    thread = threading.Thread(target=lambda: seen.append(work()))
    thread.start()
    thread.join()
    return seen[0]


def test_a_thread_that_ended_hands_its_connection_to_the_next_one(sandbox_db):
    """Streamlit runs every rerun on a new thread: opening (and closing) a connection for each
    was a share of the laptop's answer in a hall (issue 14)."""
    first = in_a_thread(databases.sandbox)
    second = in_a_thread(databases.sandbox)
    assert second is first
    assert second is not sandbox_db  # this thread, alive, keeps its own


def test_two_live_threads_never_share_a_connection(sandbox_db):
    got, release = [], threading.Event()

    def hold():
        got.append(databases.sandbox())
        release.wait(10)

    holders = [threading.Thread(target=hold) for _ in range(2)]
    for thread in holders:
        thread.start()
    while len(got) < 2:
        threading.Event().wait(0.01)
    release.set()
    for thread in holders:
        thread.join()
    assert got[0] is not got[1] and sandbox_db not in got


def test_a_reset_sandbox_is_never_reached_through_an_old_connection(sandbox_db):
    in_a_thread(lambda: databases.sandbox()["t"].insert({"n": 1}))
    store.reset_sandbox()
    assert "t" not in in_a_thread(lambda: databases.sandbox().table_names())


def test_write_commits_on_success_and_rolls_back_on_error(sandbox_db):
    sandbox_db["t"].create({"n": int})
    with store.write(sandbox_db):
        sandbox_db["t"].insert({"n": 1})
    with pytest.raises(RuntimeError):
        with store.write(sandbox_db):
            sandbox_db["t"].insert({"n": 2})
            raise RuntimeError("boom")
    assert [r["n"] for r in sandbox_db["t"].rows] == [1]


def test_nested_writes_join_the_outer_transaction(sandbox_db):
    sandbox_db["t"].create({"n": int})
    with pytest.raises(RuntimeError):
        with store.write(sandbox_db):
            sandbox_db["t"].insert({"n": 1})
            with store.write(sandbox_db):
                sandbox_db["t"].insert({"n": 2})
            raise RuntimeError("the outer step fails")
    assert sandbox_db["t"].count == 0


def test_atomic_is_routed_through_begin_immediate(sandbox_db):
    statements = []
    sandbox_db.conn.set_trace_callback(statements.append)
    with sandbox_db.atomic():
        sandbox_db.execute("select 1")
    sandbox_db.conn.set_trace_callback(None)
    assert statements[0] == "BEGIN IMMEDIATE"


def _counter_db(path):
    db = store.open_connection(path)
    db.execute("create table if not exists counter (n integer primary key, thread integer)")
    return db


def read_then_write(db, thread_id):
    """One unit of work: read the highest number, write the next one."""
    with store.write(db):
        n = db.execute("select coalesce(max(n), 0) from counter").fetchone()[0]
        db.execute("insert into counter (n, thread) values (?, ?)", [n + 1, thread_id])


def test_eight_threads_of_500_read_then_writes_lose_nothing_and_never_lock(tmp_path):
    path = tmp_path / "concurrent.db"
    _counter_db(path).close()
    errors = []

    def worker(thread_id):
        db = store.open_connection(path)
        for _ in range(500):
            try:
                read_then_write(db, thread_id)
            except sqlite3.OperationalError as error:
                errors.append(str(error))
        db.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db = store.open_connection(path)
    assert errors == []
    assert db.execute("select count(*), min(n), max(n) from counter").fetchone() == (4000, 1, 4000)


def test_a_deferred_read_then_write_fails_when_another_writer_commits_in_between(tmp_path):
    """Why ``store.write`` exists: a deferred transaction reads a snapshot, another
    connection commits, and the upgrade to a write lock fails at once — waiting cannot help."""
    path = tmp_path / "deferred.db"
    _counter_db(path).close()
    first, second = store.open_connection(path), store.open_connection(path)
    first.execute("BEGIN")  # deferred, as Python's sqlite3 does by default
    n = first.execute("select coalesce(max(n), 0) from counter").fetchone()[0]
    read_then_write(second, thread_id=2)
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        first.execute("insert into counter (n, thread) values (?, 1)", [n + 1])
    first.execute("ROLLBACK")


def test_the_same_interleaving_through_the_helper_waits_instead_of_failing(tmp_path):
    path = tmp_path / "immediate.db"
    _counter_db(path).close()
    first, second = store.open_connection(path), store.open_connection(path)
    done = threading.Event()

    def other_writer():
        db = store.open_connection(path)
        read_then_write(db, thread_id=2)  # blocks until the first transaction commits
        done.set()

    with store.write(first):
        n = first.execute("select coalesce(max(n), 0) from counter").fetchone()[0]
        thread = threading.Thread(target=other_writer)
        thread.start()
        first.execute("insert into counter (n, thread) values (?, 1)", [n + 1])
    thread.join()
    assert done.is_set()
    assert [r[0] for r in second.execute("select n from counter order by n")] == [1, 2]


def test_an_unwritable_data_folder_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv(store.DATA_DIR_ENV, str(blocker / "data"))
    store.forget_connections()
    with pytest.raises(store.DataDirNotWritable) as caught:
        databases.sandbox()
    assert caught.value.key == "store.error.data_dir_not_writable"
    assert str(blocker) in caught.value.params["path"]


def test_a_corrupted_tracker_file_is_reported_and_never_replaced(data_dir):
    data_dir.mkdir(parents=True)
    garbage = b"this is not a database" * 100
    (data_dir / "tracker.db").write_bytes(garbage)
    with pytest.raises(store.CorruptDatabase) as caught:
        databases.tracker()
    assert caught.value.key == "store.error.corrupt"
    assert (data_dir / "tracker.db").read_bytes() == garbage


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir):
    db = databases.tracker()
    db["_sqlite_migrations"].insert(
        {"migration_set": "tracker", "name": "m999_from_the_future", "applied_at": "2030-01-01"}
    )
    store.forget_connections()
    before = (data_dir / "tracker.db").stat().st_mtime_ns
    with pytest.raises(store.NewerSchema) as caught:
        databases.tracker()
    assert "m999_from_the_future" in caught.value.params["migration"]
    assert (data_dir / "tracker.db").stat().st_mtime_ns == before


def test_resetting_the_sandbox_never_touches_the_tracker(data_dir):
    tracker = databases.tracker()
    tracker["kept"].insert({"precious": True})
    databases.sandbox()
    store.reset_sandbox()
    assert not (data_dir / "sandbox.db").exists()
    assert databases.tracker()["kept"].count == 1


def test_migrations_run_once_and_record_themselves(sandbox_db):
    applied = {r["migration_set"] for r in sandbox_db["_sqlite_migrations"].rows}
    assert {"events", "clock", "personas"} <= applied
    count = sandbox_db["_sqlite_migrations"].count
    store.forget_connections()
    assert databases.sandbox()["_sqlite_migrations"].count == count


def test_many_sessions_checking_the_data_folder_at_once_never_fail(data_dir):
    """Issue 7: a hall of phones opens sessions together; each checks the folder is writable."""
    import threading

    failures = []

    def check():
        for _ in range(40):
            try:
                store.ensure_data_dir()
            except store.DataDirNotWritable as error:
                failures.append(error)

    threads = [threading.Thread(target=check) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
