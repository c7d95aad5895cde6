"""Backup and restore of ``tracker.db`` (issue 8): real people's data, so never a file copy.

Copying the file of a live WAL database can miss the pages still in ``tracker.db-wal`` or catch
a half-written page. SQLite's online backup API (``sqlite3.Connection.backup``) copies a
consistent snapshot page by page while other connections keep reading and writing; restore
uses the same API the other way, into the live database, after checking that the file really
is a tracker database this version of the app can open. Before a restore, the current data
is itself backed up into the data folder's ``backups/``, so a wrong file can be undone.

Those safety copies are never overwritten (issue 15): two restores in the same minute used to
write the same ``before-restore-tracker-YYYYMMDD-HHMM.db``, and the second copy replaced the
first, so a person recorded just before the first restore was gone everywhere. A copy's name
now carries the second and a counter, and the file is created exclusively (``O_EXCL``): a name
already taken, by this process or another, moves on to the next counter.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
from pathlib import Path

from workbench import store
from workbench.tracker import audit, schema
from workbench.tracker.errors import TrackerError

REQUIRED_TABLES = {"citizens", "milestones", "villages", "users", "audit", "_sqlite_migrations"}


def backup_folder() -> Path:
    folder = store.ensure_data_dir() / "backups"
    folder.mkdir(exist_ok=True)
    return folder


def backup_to(db, path: Path) -> Path:
    """A consistent copy of the live tracker database at ``path``, by the online backup API."""
    target = sqlite3.connect(str(path))
    try:
        db.conn.backup(target)
        # The copy is a standalone file: fold the WAL flag back so it opens anywhere read-only too.
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    return path


def backup_bytes(db, actor: str) -> bytes:
    """The backup as bytes for a download; recorded in the audit log first, so it is in the copy."""
    audit.record(db, actor, "backup.created", "tracker", None)
    with tempfile.TemporaryDirectory() as folder:
        path = backup_to(db, Path(folder) / "tracker-backup.db")
        return path.read_bytes()


def backup_filename(now: dt.datetime | None = None) -> str:
    return f"tracker-{(now or dt.datetime.now()).strftime('%Y%m%d-%H%M')}.db"


SAFETY_PREFIX = "before-restore-tracker-"
# Today's names (…-YYYYMMDD-HHMMSS-N.db) and the older ones (…-YYYYMMDD-HHMM.db), still listed.
SAFETY_NAME = re.compile(r"before-restore-tracker-(\d{8})-(\d{4})(\d{2})?(?:-(\d+))?\.db")


def _reserve_safety_path(now: dt.datetime | None = None) -> Path:
    """A new, empty file in ``backups/`` for a safety copy, created exclusively: never an old one."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = backup_folder()
    number = 1
    while True:
        path = folder / f"{SAFETY_PREFIX}{stamp}-{number}.db"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            number += 1
            continue
        return path


def safety_copy(db, now: dt.datetime | None = None) -> Path:
    """The live data saved under a name no other copy has (SQLite fills the empty reserved file)."""
    return backup_to(db, _reserve_safety_path(now))


def _citizens_in(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("select count(*) from citizens").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None  # a damaged or half-written copy is still listed, with its count unknown


def safety_copies() -> list[dict]:
    """Every copy taken before a restore, newest first, with how many citizens it holds."""
    copies = []
    for path in backup_folder().glob(f"{SAFETY_PREFIX}*.db"):
        match = SAFETY_NAME.fullmatch(path.name)
        try:
            day, minute, second, number = match.groups()
            made = dt.datetime.strptime(f"{day}{minute}{second or '00'}", "%Y%m%d%H%M%S")
        except (AttributeError, ValueError):
            continue  # not a name this module gave
        copies.append({"name": path.name, "path": str(path), "made": made.isoformat(timespec="seconds"),
                       "citizens": _citizens_in(path), "order": (made, int(number or 0))})
    copies.sort(key=lambda c: c["order"], reverse=True)
    for copy in copies:
        del copy["order"]
    return copies


def check_backup(path: Path) -> dict:
    """Open a file someone wants to restore and say whether it is a usable tracker database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        raise TrackerError("tracker.backup.error.not_sqlite") from None
    try:
        try:
            status = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        except sqlite3.DatabaseError:
            raise TrackerError("tracker.backup.error.not_sqlite") from None
        if status != "ok":
            raise TrackerError("tracker.backup.error.damaged")
        if not REQUIRED_TABLES <= tables:
            raise TrackerError("tracker.backup.error.not_tracker")
        applied = {(a, b) for a, b in conn.execute("select migration_set, name from _sqlite_migrations")}
        known = {(schema.migrations.name, m.name) for m in schema.migrations._migrations}
        if applied - known:
            raise TrackerError("tracker.backup.error.newer")
        if not any(a == "tracker" for a, _ in applied):
            raise TrackerError("tracker.backup.error.not_tracker")
        citizens = conn.execute("select count(*) from citizens").fetchone()[0]
        users = conn.execute("select count(*) from users where role = 'official' and active = 1").fetchone()[0]
    finally:
        conn.close()
    if not users:
        raise TrackerError("tracker.backup.error.no_official")
    return {"citizens": citizens}


def restore_bytes(db, data: bytes, actor: str) -> dict:
    """Replace the live tracker database with an uploaded backup, online.

    The current data is first saved under ``backups/`` in a new file (returned as ``safety``,
    and listed with every earlier safety copy, newest first, as ``copies``); then the
    backup's pages are copied into the live database with the backup API; then any newer
    migrations are applied and the restore is written to the restored audit log.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.db"
        path.write_bytes(data)
        info = check_backup(path)
        safety = safety_copy(db)
        last_line = db.execute("select coalesce(max(id), 0) from audit").fetchone()[0]
        source = sqlite3.connect(str(path))
        try:
            source.backup(db.conn)
        finally:
            source.close()
    db.execute("PRAGMA journal_mode = WAL")
    store.migrate(db, [schema.migrations])
    line = audit.record(db, actor, "backup.restored", "tracker", None, citizens=info["citizens"],
                        safety=safety.name)
    if line <= last_line:
        # The restored log is older than the one it replaced: number this line after the replaced
        # one, so the data version (the dashboard's cache key) never returns to a number it had
        # for other data, and no cached figures of the replaced data are shown again.
        with store.write(db):
            db.execute("update audit set id = ? where id = ?", [last_line + 1, line])
    return {"citizens": info["citizens"], "safety": str(safety), "copies": safety_copies()}
