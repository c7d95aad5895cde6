"""Restoring tracker.db never loses anyone (issue 15, item 1): the copy of the live data taken
before each restore is a new file, whatever the timing, and every copy is listed with its count.

Measured before the fix: live 3,001 → restore → restore again in the same minute → live 3,000,
and the only safety copy also held 3,000 (the second copy had overwritten the first).
"""

import datetime as dt
import sqlite3

import pytest

from workbench.tracker import auth, backup, citizens, demo, places, realtime

FROZEN = dt.datetime(2026, 3, 14, 9, 26, 53)


class FrozenClock(dt.datetime):
    """Every restore in this test happens in the same second."""

    @classmethod
    def now(cls, tz=None):
        return FROZEN


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)
    auth.create_first_official(tracker_db, username="chu.tich", display_name="Chủ tịch xã", secret="matkhau-123")
    return tracker_db


def add(db, name: str) -> int:
    return citizens.add(db, full_name=name, birth_year=1980, gender="nam", ethnicity="Kinh",
                        village=places.villages(db)[0]["id"], consent_by="x", consent_date=realtime.today(),
                        actor="t")


def names_in(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("select full_name from citizens")}


def test_two_restores_in_the_same_second_keep_every_person_in_some_copy(db, monkeypatch):
    add(db, "Người Thứ Nhất")
    add(db, "Người Thứ Hai")
    old_backup = backup.backup_bytes(db, actor="chu.tich")
    add(db, "Người Mới Nhất")  # recorded after the backup: only the live data holds this person

    monkeypatch.setattr(dt, "datetime", FrozenClock)
    first = backup.restore_bytes(db, old_backup, actor="chu.tich")
    second = backup.restore_bytes(db, old_backup, actor="chu.tich")

    copies = sorted(backup.backup_folder().glob("before-restore-*.db"))
    assert len(copies) == 2, copies  # the second restore made its own copy, it did not overwrite
    assert first["safety"] != second["safety"]
    everyone = set().union(*(names_in(path) for path in copies))
    assert {"Người Thứ Nhất", "Người Thứ Hai", "Người Mới Nhất"} <= everyone
    assert names_in(first["safety"]) == {"Người Thứ Nhất", "Người Thứ Hai", "Người Mới Nhất"}
    # The restore's result lists every copy, newest first, with its citizen count.
    assert [(c["path"], c["citizens"]) for c in second["copies"]] == [(second["safety"], 2), (first["safety"], 3)]
    assert backup.safety_copies() == second["copies"]


def test_a_safety_copy_is_created_exclusively_and_never_reuses_a_name(db, monkeypatch):
    add(db, "Người Thứ Nhất")
    monkeypatch.setattr(dt, "datetime", FrozenClock)
    taken = backup.backup_folder() / "before-restore-tracker-20260314-092653-1.db"
    taken.write_bytes(b"someone else's file")  # say another session took that name a moment ago
    path = backup.safety_copy(db)
    assert path != taken and path.name == "before-restore-tracker-20260314-092653-2.db"
    assert taken.read_bytes() == b"someone else's file"
    assert names_in(path) == {"Người Thứ Nhất"}


def test_copies_of_older_versions_are_listed_too_newest_first(db):
    add(db, "Người Thứ Nhất")
    older = backup.backup_to(db, backup.backup_folder() / "before-restore-tracker-20250101-0800.db")
    newer = backup.safety_copy(db, now=dt.datetime(2025, 1, 1, 8, 0, 30))
    (backup.backup_folder() / "before-restore-notes.db").write_text("not a copy this app made")
    assert [(c["name"], c["citizens"]) for c in backup.safety_copies()] == [(newer.name, 1), (older.name, 1)]
