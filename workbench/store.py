"""SQLite storage: where the two databases live, how every connection is opened,
and the one way to write.

Two databases, never one (DESIGN.md): ``sandbox.db`` holds fake practice data and may be
reset at any time; ``tracker.db`` holds real citizens' progress and is never deleted or
recreated by this code.

Why a helper for writes: Python's sqlite3 normally opens a *deferred* transaction before
the first write. Under WAL, a deferred transaction that reads and then writes fails with
"database is locked" as soon as another connection committed in between — the busy timeout
cannot help, because waiting cannot make its snapshot current. ``write()`` starts every
transaction with ``BEGIN IMMEDIATE``, which takes the write lock first and waits politely.
Connections are opened in autocommit mode and ``Database.atomic()`` is routed through the
same helper, so a deferred transaction cannot be written by accident.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Iterator, Sequence

import sqlite_utils
from sqlite_utils.migrations import Migrations

from workbench.errors import Refusal

# SQLite's busy handler is not fair: under a loaded CPU one writer can lose the race for the lock
# many times in a row. 30 s keeps that from ever surfacing as "database is locked".
BUSY_TIMEOUT_MS = 30_000
TRACKER_CACHE_KIB = 65_536
DATA_DIR_ENV = "CDS_DATA_DIR"

SANDBOX = "sandbox"
TRACKER = "tracker"
PROVINCE = "province"  # a province's own database: the communes' weekly packages (issue 16)

class StoreError(Refusal):
    """A problem with the data folder or a database file that the user must act on. Pages and
    the CLI show its message instead of a stack trace."""


class DataDirNotWritable(StoreError):
    pass


class CorruptDatabase(StoreError):
    pass


class NewerSchema(StoreError):
    pass


def default_data_dir() -> Path:
    """Outside the source tree, so a ``git clean`` or a new checkout never touches real data."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "CongDanSo"
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "congdanso"


def data_dir() -> Path:
    value = os.environ.get(DATA_DIR_ENV)
    return Path(value).expanduser() if value else default_data_dir()


def db_path(kind: str) -> Path:
    if kind not in (SANDBOX, TRACKER, PROVINCE):
        raise ValueError(f"unknown database {kind!r}")
    return data_dir() / f"{kind}.db"


def ensure_data_dir() -> Path:
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A probe of its own per call: threads (browser sessions) connecting at the same moment
        # must not delete each other's probe (seen in bench/payments.py, issue 5).
        handle, probe = tempfile.mkstemp(prefix=".write-test-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise DataDirNotWritable(
            "store.error.data_dir_not_writable", path=str(folder), reason=error.strerror or str(error)
        ) from error
    return folder


class StoreDatabase(sqlite_utils.Database):
    """A sqlite-utils Database whose transactions are always ``BEGIN IMMEDIATE``."""

    @contextlib.contextmanager
    def atomic(self):
        with write(self):
            yield self

    def begin(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    # The workbench defines no SQL views. sqlite-utils looks views up with a query on every
    # ``db["name"]`` (twice) and ``db.table()``: a twentieth of a workshop's page-script time
    # (bench/workshop_load.py --profile). Tables only, without the look-up.
    def __getitem__(self, table_name: str) -> sqlite_utils.db.Table:
        return self.table(table_name)

    def table(self, table_name: str, **kwargs) -> sqlite_utils.db.Table:
        kwargs.setdefault("strict", self.strict)
        return sqlite_utils.db.Table(self, table_name, **kwargs)


def open_connection(path: Path | str, *, handed_on: bool = False) -> StoreDatabase:
    """Open one connection with the project's pragmas. Prefer ``databases.sandbox()``/``tracker()``.

    ``handed_on``: the connection may pass to another thread once its own has ended (``connect``
    does that); it is still used by one thread at a time."""
    conn = sqlite3.connect(
        str(path),
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # autocommit: no hidden deferred BEGIN
        check_same_thread=not handed_on,
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as error:
        conn.close()
        raise CorruptDatabase("store.error.corrupt", path=str(path), reason=str(error)) from error
    if str(path) != ":memory:" and mode.lower() != "wal":
        conn.close()
        raise CorruptDatabase("store.error.corrupt", path=str(path), reason=f"journal_mode={mode}")
    return StoreDatabase(conn, execute_plugins=False)


@contextlib.contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run a read-then-write unit of work in a ``BEGIN IMMEDIATE`` transaction.

    Nested calls join the outer transaction through a savepoint, so domain functions can
    each use ``write()`` and still compose into one atomic step.
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"sp_{threading.get_ident()}_{id(conn)}_{_depth(conn)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


_savepoint_counter = threading.local()


def _depth(conn) -> int:
    value = getattr(_savepoint_counter, "n", 0) + 1
    _savepoint_counter.n = value
    return value


# --- migrations -------------------------------------------------------------------------

def migrate(db: sqlite_utils.Database, sets: Sequence[Migrations]) -> None:
    """Apply pending migrations; refuse a database written by a newer version of the app."""
    try:
        known = {(s.name, m.name) for s in sets for m in s._migrations}
        if db["_sqlite_migrations"].exists():
            applied = {
                (row["migration_set"], row["name"])
                for row in db.query("select migration_set, name from _sqlite_migrations")
            }
            unknown = applied - known
            if unknown:
                raise NewerSchema(
                    "store.error.newer_schema",
                    path=_db_filename(db),
                    migration=sorted(f"{a}.{b}" for a, b in unknown)[0],
                )
        with write(db):
            for migration_set in sets:
                migration_set.apply(db)
    except sqlite3.DatabaseError as error:
        raise CorruptDatabase("store.error.corrupt", path=_db_filename(db), reason=str(error)) from error


def _db_filename(db) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row else "?"


# --- per-thread connections -------------------------------------------------------------

_local = threading.local()
_migrated: set[str] = set()
_migrate_lock = threading.Lock()
# Every connection ``connect`` opened, with the thread that has it now. Streamlit runs each
# rerun (a tap, a fragment's timer) on a new thread, so without this every rerun opened a
# connection, set its pragmas, probed the folder, and closed it when the thread ended: the last
# close also checkpoints and deletes the WAL, the next open makes it again (issue 14,
# bench/workshop_load.py). A thread that has ended hands its connection to the next one.
_handed: dict[str, list[list]] = {}  # path -> [[thread, connection], ...]
_handed_lock = threading.Lock()


def _take_over(key: str) -> StoreDatabase | None:
    """A connection to ``key`` whose thread has ended, now this thread's; None if there is none."""
    with _handed_lock:
        for entry in _handed.get(key, []):
            if not entry[0].is_alive():
                entry[0] = threading.current_thread()
                db = entry[1]
                break
        else:
            return None
    if db.conn.in_transaction:  # never seen: write() always ends its transaction, even on an error
        db.conn.execute("ROLLBACK")
    return db


def _forget_handed(key: str, db: StoreDatabase) -> None:
    with _handed_lock:
        _handed[key] = [entry for entry in _handed.get(key, []) if entry[1] is not db]
    with contextlib.suppress(Exception):
        db.close()


def connect(kind: str, sets: Sequence[Migrations]) -> StoreDatabase:
    """This thread's connection to the sandbox or tracker database, migrated with ``sets`` on
    first use. ``workbench.databases`` knows which sets each database holds."""
    path = db_path(kind)
    key = str(path)
    cache = getattr(_local, "dbs", None)
    if cache is None:
        cache = _local.dbs = {}
    db = cache.get(key)
    if db is not None and path.exists():
        return db
    if db is not None:  # the file went away under this thread: this connection is never handed on
        _forget_handed(key, db)
    if path.exists():
        db = _take_over(key)
        if db is not None:
            cache[key] = db
            return db
    ensure_data_dir()
    if kind == TRACKER and path.exists() and path.stat().st_size == 0:
        raise CorruptDatabase("store.error.corrupt", path=key, reason="empty file")
    db = open_connection(path, handed_on=True)
    if kind == SANDBOX:
        # Fake practice data, reset at will: a power cut may lose its last taps, never corrupt it
        # (WAL). FULL waited for the disk at every commit, 5-20 ms each here and longer when the
        # disk is busy, while the other phones' writes queued behind it (issue 14).
        db.execute("PRAGMA synchronous = NORMAL")
    if kind == TRACKER:
        # A province's tracker.db runs to hundreds of MB: a 64 MB page cache (SQLite's default
        # is 2 MB) halves the write of a 100,000-row import (issue 8, bench/tracker_scale.py).
        db.execute(f"PRAGMA cache_size = -{TRACKER_CACHE_KIB}")
    with _migrate_lock:
        if key not in _migrated:
            try:
                migrate(db, sets)
            except BaseException:
                db.close()
                raise
            _migrated.add(key)
    cache[key] = db
    with _handed_lock:
        _handed.setdefault(key, []).append([threading.current_thread(), db])
    return db


def forget_connections(kind: str | None = None) -> None:
    """Drop this thread's cached connections and the migration marks (tests; a sandbox reset).

    With ``kind``, only that database's connection is dropped.
    """
    paths = {str(db_path(kind))} if kind else None
    cache = getattr(_local, "dbs", {})
    for key in list(cache):
        if paths is None or key in paths:
            with contextlib.suppress(Exception):
                cache.pop(key).close()
    with _handed_lock:  # never hand these on again; the ended threads' ones are closed too
        for key in list(_handed):
            if paths is None or key in paths:
                for thread, db in _handed.pop(key):
                    if not thread.is_alive():
                        with contextlib.suppress(Exception):
                            db.close()
    with _migrate_lock:
        if paths is None:
            _migrated.clear()
        else:
            _migrated.difference_update(paths)


def reset_sandbox() -> None:
    """Delete the disposable sandbox database. Never touches ``tracker.db``."""
    forget_connections(SANDBOX)
    path = db_path(SANDBOX)
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            candidate.unlink()
