"""Quick entry in the field (issue 8): find-or-add a citizen with a search that forgives missing
diacritics, duplicates flagged never merged, consent recorded, several volunteers saving at
once, erasure on request that leaves nothing but one audit line, and backups of tracker.db."""

import datetime as dt
import sqlite3
import threading

import pytest

from workbench import databases, store, text
from workbench.tracker import audit, auth, backup, citizens, demo, places, realtime, settings
from workbench.tracker.errors import DuplicateCitizen, TrackerError

TODAY = realtime.today()


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)
    return tracker_db


@pytest.fixture
def official(db):
    return auth.session_user(db, auth.create_first_official(
        db, username="chu.tich", display_name="Chủ tịch xã", secret="matkhau-123"))


@pytest.fixture
def volunteer(db, official):
    return auth.session_user(db, auth.create_user(
        db, official, username="tnv.lan", display_name="Hà Thị Lan", role="volunteer", secret="123456",
        village_ids=[v["id"] for v in places.villages(db)]))


def person(db, **overrides):
    fields = {"full_name": "Nguyễn Văn A", "birth_year": "1980", "gender": "nam", "ethnicity": "Kinh",
              "phone": "", "consent_date": TODAY}
    fields.update(overrides)
    if "village" not in fields:
        fields["village"] = places.villages(db)[0]["id"]
    return fields


def test_nguyen_van_a_finds_nguyễn_văn_a(db, volunteer):
    citizen_id = auth.save_entry(db, volunteer, citizen=person(db))
    for typed in ("nguyen van a", "NGUYEN VAN A", "Nguyễn Văn A", "nguyen  van", "van a", "nguyễn"):
        assert [r["id"] for r in auth.search(db, volunteer, typed)] == [citizen_id], typed


def test_đ_is_found_by_d(db, volunteer):
    auth.save_entry(db, volunteer, citizen=person(db, full_name="Đặng Thị Đào", gender="nữ"))
    assert auth.search(db, volunteer, "dang thi dao")[0]["full_name"] == "Đặng Thị Đào"


def test_a_new_person_and_their_milestones_are_saved_together_with_the_consent(db, volunteer):
    citizen_id = auth.save_entry(db, volunteer, citizen=person(db),
                                 milestones={"vneid2": TODAY, "dvc": TODAY - dt.timedelta(days=2)})
    citizen = citizens.get(db, citizen_id)
    assert (citizen["consent_by"], citizen["consent_date"]) == ("Hà Thị Lan", TODAY.isoformat())
    milestones = citizens.milestones_of(db, citizen_id)
    assert milestones["dvc"]["date"] == (TODAY - dt.timedelta(days=2)).isoformat()
    assert milestones["vneid2"]["helped_by"] == "Hà Thị Lan"


def test_a_bad_milestone_date_saves_nothing_at_all(db, volunteer):
    with pytest.raises(TrackerError) as caught:
        auth.save_entry(db, volunteer, citizen=person(db),
                        milestones={"vneid2": TODAY, "dvc": TODAY + dt.timedelta(days=3)})
    assert caught.value.field == "m_dvc" and caught.value.key == "tracker.error.future_date"
    assert citizens.count(db) == 0


def test_every_bad_field_is_reported_at_once(db):
    clean, errors = citizens.check(full_name=" ", birth_year="19x5", gender="?", ethnicity="",
                                   phone="123", cccd_last4="12", consent_by="", consent_date="31/02/2025")
    assert set(errors) == {"full_name", "birth_year", "gender", "ethnicity", "phone", "cccd_last4", "consent_by",
                           "consent_date"}
    assert errors["birth_year"].params["value"] == "19x5"  # what was typed, in the message


def test_the_same_name_birth_year_and_village_is_flagged_before_saving(db, volunteer):
    first = auth.save_entry(db, volunteer, citizen=person(db))
    matches = auth.duplicates_for(db, volunteer, "nguyen van a", 1980, places.villages(db)[0]["id"])
    assert [m["id"] for m in matches] == [first]
    with pytest.raises(DuplicateCitizen) as caught:
        auth.save_entry(db, volunteer, citizen=person(db, full_name="NGUYỄN VĂN A"))
    assert [m["id"] for m in caught.value.matches] == [first]
    assert citizens.count(db) == 1  # never merged, never added silently
    second = auth.save_entry(db, volunteer, citizen=person(db), allow_duplicate=True)
    assert second != first and citizens.count(db) == 2


def test_another_birth_year_or_village_is_not_a_duplicate(db, volunteer):
    auth.save_entry(db, volunteer, citizen=person(db))
    assert auth.duplicates_for(db, volunteer, "Nguyễn Văn A", 1981, places.villages(db)[0]["id"]) == []
    assert auth.duplicates_for(db, volunteer, "Nguyễn Văn A", 1980, places.villages(db)[1]["id"]) == []


def test_becoming_a_digital_citizen_follows_the_definition(db, volunteer, official):
    citizen_id = auth.save_entry(db, volunteer, citizen=person(db), milestones={
        m: TODAY - dt.timedelta(days=i) for i, m in enumerate(settings.DEFAULT_DEFINITION)})
    assert citizens.get(db, citizen_id)["digital_date"] == TODAY.isoformat()
    settings.set_definition(db, ["vneid2", "sim"], actor="chu.tich")
    assert citizens.get(db, citizen_id)["digital_date"] is None
    settings.set_definition(db, ["vneid2"], actor="chu.tich")
    assert citizens.get(db, citizen_id)["digital_date"] == TODAY.isoformat()


def test_volunteers_saving_at_the_same_moment_lose_nothing(db, volunteer, data_dir):
    """Eight phones in the field, each on its own connection, saving 15 people at once."""
    villages = [v["id"] for v in places.villages(db)]
    errors, start = [], threading.Barrier(8, timeout=60)

    def field_worker(n):
        try:
            own = databases.tracker()  # this thread's own connection
            start.wait()
            for k in range(15):
                auth.save_entry(own, volunteer, citizen=person(
                    db, full_name=f"Người Thứ {n} {k}", village=villages[(n + k) % len(villages)]),
                    milestones={"vneid2": TODAY, "wallet": TODAY})
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=field_worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert citizens.count(db) == 120
    assert db.execute("select count(*) from milestones").fetchone()[0] == 240
    assert db.execute("select count(*) from citizens where m_vneid2 is not null and m_wallet is not null"
                      ).fetchone()[0] == 120


def test_erasing_a_person_leaves_no_trace_except_the_audit_line(db, volunteer, official, data_dir):
    name, phone = "Ksor H'Bia Niê", "0912345678"
    citizen_id = auth.save_entry(db, volunteer, citizen=person(db, full_name=name, gender="nữ", phone=phone,
                                                               cccd_last4="4321", ethnicity="Gia Rai"),
                                         milestones={"vneid2": TODAY}, note="nhà gần chợ")
    auth.save_entry(db, volunteer, citizen=person(db, full_name="Người Khác"))
    auth.erase_citizen(db, official, citizen_id)

    assert citizens.get(db, citizen_id) is None
    assert db.execute("select count(*) from milestones where citizen_id = ?", [citizen_id]).fetchone()[0] == 0
    lines = audit.log(db, entity="citizen", entity_id=citizen_id)
    assert lines[0]["action"] == "citizen.erased" and lines[0]["actor"] == "chu.tich"
    store.forget_connections()
    raw = b"".join(p.read_bytes() for p in data_dir.glob("tracker.db*"))
    for trace in (name, text.fold(name), phone, "nhà gần chợ", "Gia Rai"):
        assert trace.encode("utf-8") not in raw, trace
    assert "Người Khác".encode("utf-8") in raw  # the other person is still there


def test_a_backup_is_a_consistent_copy_made_online_and_restores(db, official, volunteer, tmp_path):
    auth.save_entry(db, volunteer, citizen=person(db), milestones={"vneid2": TODAY})
    data = backup.backup_bytes(db, actor="chu.tich")
    copy = tmp_path / "copy.db"
    copy.write_bytes(data)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("select count(*) from citizens").fetchone()[0] == 1
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"

    auth.save_entry(db, volunteer, citizen=person(db, full_name="Sau Sao Lưu"))
    other = store.open_connection(store.db_path(store.TRACKER))  # another session, open during the restore
    result = backup.restore_bytes(db, data, actor="chu.tich")
    assert result["citizens"] == 1
    assert other.execute("select count(*) from citizens").fetchone()[0] == 1
    assert audit.log(db, 1)[0]["action"] == "backup.restored"
    with sqlite3.connect(result["safety"]) as conn:  # the data from before the restore is kept
        assert conn.execute("select count(*) from citizens").fetchone()[0] == 2


@pytest.mark.parametrize("data,key", [(b"not a database at all" * 50, "tracker.backup.error.not_sqlite"),
                                      (b"", "tracker.backup.error.not_tracker")])
def test_a_file_that_is_not_a_tracker_backup_is_refused_and_nothing_changes(db, volunteer, data, key):
    auth.save_entry(db, volunteer, citizen=person(db))
    with pytest.raises(TrackerError) as caught:
        backup.restore_bytes(db, data, actor="chu.tich")
    assert caught.value.key == key
    assert citizens.count(db) == 1


def test_the_sandbox_database_is_refused_as_a_tracker_backup(db, volunteer, sandbox_db, tmp_path):
    copy = tmp_path / "sandbox-copy.db"
    target = sqlite3.connect(copy)
    sandbox_db.conn.backup(target)
    target.close()
    with pytest.raises(TrackerError) as caught:
        backup.restore_bytes(db, copy.read_bytes(), actor="chu.tich")
    assert caught.value.key == "tracker.backup.error.not_tracker"
