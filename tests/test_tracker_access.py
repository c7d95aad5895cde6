"""Who may do what in the tracker (issue 8): officials everything, volunteers their villages with
phone numbers masked, viewers aggregates only; hashed secrets; lockout; everything logged."""

import datetime as dt

import pytest

from workbench import passwords
from workbench.tracker import audit, auth, citizens, demo, places, realtime
from workbench.tracker.errors import TrackerError

TODAY = realtime.today()


@pytest.fixture
def db(tracker_db):
    demo.seed(tracker_db, count=0)
    return tracker_db


@pytest.fixture
def people(db):
    """An official, a volunteer for the first village, a viewer, and a citizen in each of two villages."""
    official_id = auth.create_first_official(db, username="chu.tich", display_name="Chủ tịch xã",
                                             secret="matkhau-123")
    official = auth.session_user(db, official_id)
    first, second = places.villages(db)[:2]
    volunteer_id = auth.create_user(db, official, username="tnv.lan", display_name="Lan", role="volunteer",
                                    secret="123456", village_ids=[first["id"]])
    viewer_id = auth.create_user(db, official, username="xem", display_name="Xem", role="viewer",
                                 secret="12345678")
    mine = citizens.add(db, full_name="Nguyễn Văn An", birth_year=1980, gender="nam", ethnicity="Kinh",
                        village=first["id"], phone="0912345678", consent_by="x", consent_date=TODAY, actor="t")
    other = citizens.add(db, full_name="Lê Thị Bình", birth_year=1975, gender="nữ", ethnicity="Ê Đê",
                         village=second["id"], phone="0987654321", consent_by="x", consent_date=TODAY,
                         actor="t")
    return {"official": official, "volunteer": auth.session_user(db, volunteer_id),
            "viewer": auth.session_user(db, viewer_id), "mine": mine, "other": other,
            "first": first["id"], "second": second["id"]}


def test_secrets_are_stored_only_as_scrypt_hashes(db, people):
    stored = db.execute("select secret_hash from users where username = 'chu.tich'").fetchone()[0]
    assert stored.startswith("scrypt$") and "matkhau-123" not in stored
    assert passwords.check_secret("matkhau-123", stored)
    assert not passwords.check_secret("matkhau-124", stored)


def test_short_secrets_are_refused():
    for weak in ("1234", "abc", "12345", ""):
        with pytest.raises(TrackerError):
            auth.secret_kind(weak)


def test_first_run_set_up_happens_once(db, people):
    assert not auth.needs_setup(db)
    with pytest.raises(TrackerError) as caught:
        auth.create_first_official(db, username="ai.do", display_name="Ai đó", secret="12345678")
    assert caught.value.key == "tracker.error.already_set_up"


def test_five_wrong_attempts_lock_the_account_for_fifteen_minutes(db, people):
    now = dt.datetime(2025, 5, 1, 8, 0)
    for _ in range(4):
        with pytest.raises(TrackerError) as caught:
            auth.login(db, "tnv.lan", "000000", now=now)
        assert caught.value.key == "tracker.error.login_wrong"
    with pytest.raises(TrackerError) as caught:
        auth.login(db, "tnv.lan", "000000", now=now)
    assert caught.value.key == "tracker.error.locked"
    with pytest.raises(TrackerError) as caught:  # even the right PIN, while locked
        auth.login(db, "tnv.lan", "123456", now=now + dt.timedelta(minutes=10))
    assert caught.value.key == "tracker.error.locked"
    assert auth.login(db, "tnv.lan", "123456", now=now + dt.timedelta(minutes=16))["username"] == "tnv.lan"


def test_an_unknown_user_gets_the_same_message_as_a_wrong_secret(db, people):
    with pytest.raises(TrackerError) as caught:
        auth.login(db, "khong.co", "12345678")
    assert caught.value.key == "tracker.error.login_wrong"


@pytest.mark.parametrize("role,allowed", [
    ("official", {"view_aggregates", "view_citizens", "see_phones", "enter", "import", "export", "erase", "reports",
                  "admin"}),
    ("volunteer", {"view_aggregates", "view_citizens", "enter", "import"}),
    ("viewer", {"view_aggregates", "reports"}),
])
def test_what_each_role_may_do(people, role, allowed):
    actions = {"view_aggregates", "view_citizens", "see_phones", "enter", "import", "export", "erase", "reports",
               "admin"}
    assert {a for a in actions if auth.can(people[role], a)} == allowed


def test_nobody_signed_in_may_do_anything():
    assert not any(auth.can(None, a) for a in ("view_aggregates", "view_citizens", "enter", "admin"))


def test_volunteers_see_only_their_villages_with_phones_masked(db, people):
    volunteer = people["volunteer"]
    found = auth.search(db, volunteer, "n")
    assert [r["full_name"] for r in found] == ["Nguyễn Văn An"]
    assert found[0]["phone"] == "0912***678"
    assert auth.citizen_for(db, volunteer, people["mine"])["phone"] == "0912***678"
    with pytest.raises(TrackerError):
        auth.citizen_for(db, volunteer, people["other"])
    assert auth.search(db, people["official"], "le thi binh")[0]["phone"] == "0987654321"


def test_viewers_see_no_citizen_at_all(db, people):
    with pytest.raises(TrackerError):
        auth.search(db, people["viewer"], "nguyen")
    with pytest.raises(TrackerError):
        auth.citizen_for(db, people["viewer"], people["mine"])


def test_volunteers_enter_only_in_their_villages(db, people):
    volunteer = people["volunteer"]
    assert auth.save_entry(db, volunteer, citizen_id=people["mine"], milestones={"vneid2": TODAY})
    with pytest.raises(TrackerError):
        auth.save_entry(db, volunteer, citizen_id=people["other"], milestones={"vneid2": TODAY})
    with pytest.raises(TrackerError):
        auth.save_entry(db, volunteer, citizen={
            "full_name": "Trần Văn Cường", "birth_year": 1990, "gender": "nam", "ethnicity": "Kinh",
            "village": people["second"], "consent_date": TODAY})
    with pytest.raises(TrackerError):
        auth.save_entry(db, people["viewer"], citizen_id=people["mine"], milestones={"dvc": TODAY})


def test_only_officials_export_or_erase_one_person_or_administer(db, people):
    for role in ("volunteer", "viewer"):
        with pytest.raises(TrackerError):
            auth.erase_citizen(db, people[role], people["mine"])
        with pytest.raises(TrackerError):
            auth.export_citizen(db, people[role], people["mine"])
        with pytest.raises(TrackerError):
            auth.create_user(db, people[role], username="moi", display_name="Mới", role="viewer",
                             secret="12345678")
    assert b"Nguy" in auth.export_citizen(db, people["official"], people["mine"])


def test_a_disabled_user_is_signed_out_at_their_next_click(db, people):
    auth.set_active(db, people["official"], people["volunteer"]["id"], False)
    assert auth.session_user(db, people["volunteer"]["id"]) is None
    with pytest.raises(TrackerError):
        auth.login(db, "tnv.lan", "123456")


def test_an_official_cannot_disable_or_demote_themselves(db, people):
    me = people["official"]
    with pytest.raises(TrackerError):
        auth.set_active(db, me, me["id"], False)
    with pytest.raises(TrackerError) as caught:
        auth.set_role(db, me, me["id"], "viewer")
    assert caught.value.key == "tracker.error.self_demote"


def test_changing_a_volunteer_s_villages_changes_what_they_see(db, people):
    auth.set_villages(db, people["official"], people["volunteer"]["id"], [people["second"]])
    volunteer = auth.session_user(db, people["volunteer"]["id"])
    assert [r["full_name"] for r in auth.search(db, volunteer, "n")] == ["Lê Thị Bình"]


def test_the_audit_log_names_who_changed_what_but_holds_no_personal_data(db, people):
    auth.save_entry(db, people["volunteer"], citizen_id=people["mine"], milestones={"vneid2": TODAY})
    last = audit.log(db, 1)[0]
    assert (last["actor"], last["action"], last["entity_id"]) == ("tnv.lan", "milestone.recorded", people["mine"])
    everything = " ".join(str(v) for a in audit.log(db, 1000) for v in a.values())
    for personal in ("Nguyễn Văn An", "Lê Thị Bình", "0912345678", "0987654321", "matkhau-123"):
        assert personal not in everything


def test_every_audit_action_has_a_name_in_both_languages():
    import re

    from tests.conftest import ROOT
    from workbench import i18n

    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "workbench" / "tracker").rglob("*.py"))
    actions = set(re.findall(r'audit\.record\([^,]+, [^,]+, "([a-z_.]+)"', source)) | {"user.disabled"}
    assert len(actions) > 20
    missing = [(lang, a) for a in sorted(actions) for lang in ("vi", "en") if not i18n.has(f"tracker.action.{a}", lang)]
    assert missing == []
