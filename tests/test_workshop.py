"""Workshops (issue 7): create, join by code, live dashboard, trainer controls, report,
certificates, the tracker bridge, and a reset that touches only one workshop."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vneid_lesson import activate_up_to
from workbench import clock, events, store
from workbench.sandbox import eid, otp, personas, scenarios
from workbench.learning import to_tracker
from workbench.learning.lessons import catalogue, progress as lesson_progress
from workbench.learning.workshops import (certificates, hall, nudges, progress as workshop_progress, report, simulate,
                                          trainer)
from workbench.tracker import auth, citizens, places

VNEID = "vneid_activation"


@pytest.fixture
def workshop(sandbox_db):
    return hall.create(sandbox_db, name="Tối thứ Tư — VNeID", place="Nhà văn hóa thôn 3", date="25/11/2026",
                           lessons_planned=[VNEID])


# --- creating -------------------------------------------------------------------------------------

def test_a_new_workshop_is_open_with_a_six_digit_code_and_the_lessons_in_order(sandbox_db, workshop):
    assert workshop["status"] == "open"
    assert len(workshop["join_code"]) == 6 and workshop["join_code"].isdigit()
    assert workshop["date"] == "2026-11-25"
    assert hall.planned_lessons(workshop) == [VNEID]


@pytest.mark.parametrize("fields, field", [
    ({"name": "  "}, "name"),
    ({"place": ""}, "place"),
    ({"date": "31/02/2026"}, "date"),
    ({"lessons_planned": []}, "lessons"),
    ({"lessons_planned": ["no_such_lesson"]}, "lessons"),
    ({"starting_state": "half_asleep"}, "starting_state"),
    ({"stuck_minutes": 0}, "stuck_minutes"),
])
def test_creating_says_which_field_to_fix(sandbox_db, fields, field):
    good = {"name": "Buổi tối", "place": "Hội trường", "date": "2026-11-25", "lessons_planned": [VNEID]}
    with pytest.raises(hall.WorkshopError) as caught:
        hall.create(sandbox_db, **{**good, **fields})
    assert caught.value.params["field"] == field


# --- joining ----------------------------------------------------------------------------------------

def test_joining_makes_a_fresh_persona_in_the_lessons_state_and_starts_the_first_lesson(sandbox_db, workshop):
    joined = hall.join(sandbox_db, workshop["join_code"], "  Bà   Lan ", "citizen")
    persona = personas.get(sandbox_db, joined["persona_id"])
    assert persona["workshop_id"] == workshop["id"]
    assert persona["display_name"] == "Bà Lan"
    assert persona["starting_state"] == catalogue.get(VNEID).starting_state == "eid_approved"
    assert eid.account(sandbox_db, joined["persona_id"])["registration"] == "approved"
    assert joined["lesson_id"] == VNEID
    assert lesson_progress.run(sandbox_db, joined["persona_id"], VNEID) is not None


def test_a_planned_starting_state_overrides_the_lessons_own(sandbox_db):
    planned = hall.create(sandbox_db, name="A", place="B", date="2026-11-25", lessons_planned=[VNEID],
                              starting_state="fresh")
    joined = hall.join(sandbox_db, planned["join_code"], "Ông Tư")
    assert eid.account(sandbox_db, joined["persona_id"])["registration"] == "none"


def test_each_phone_gets_its_own_persona_even_with_the_same_name(sandbox_db, workshop):
    first = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    second = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    assert first["persona_id"] != second["persona_id"]
    assert len(first["persona_id"]) >= 20  # the resume token must not be guessable


@pytest.mark.parametrize("code, key", [
    ("12345", "workshop.error.code_format"),
    ("abcdef", "workshop.error.code_format"),
    ("000000", "workshop.error.code_unknown"),
])
def test_a_wrong_code_says_what_is_wrong(sandbox_db, workshop, code, key):
    if code == workshop["join_code"]:
        pytest.skip("the random code happened to be this one")
    with pytest.raises(hall.WorkshopError) as caught:
        hall.join(sandbox_db, code, "Bà Lan")
    assert caught.value.key == key


@settings(max_examples=40, deadline=None)
@given(digits=st.text(alphabet="0123456789", min_size=6, max_size=6),
       spaces=st.lists(st.sampled_from([" ", "-", ""]), min_size=7, max_size=7))
def test_a_typed_code_forgives_spaces_and_dashes(digits, spaces):
    typed = "".join(s + d for s, d in zip(spaces, digits)) + spaces[-1]
    assert hall.normalise_code(typed) == digits


def test_a_name_is_required_and_short(sandbox_db, workshop):
    with pytest.raises(hall.WorkshopError) as caught:
        hall.join(sandbox_db, workshop["join_code"], "   ")
    assert caught.value.key == "workshop.error.display_name_required"
    with pytest.raises(hall.WorkshopError) as caught:
        hall.join(sandbox_db, workshop["join_code"], "x" * 41)
    assert caught.value.key == "workshop.error.too_long"


def test_an_ended_workshop_refuses_new_phones(sandbox_db, workshop):
    trainer.end(sandbox_db, workshop["id"])
    with pytest.raises(hall.WorkshopError) as caught:
        hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    assert caught.value.key == "workshop.error.ended"


def test_only_participants_of_an_open_workshop_poll_for_messages(sandbox_db, workshop):
    joined = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    outsider = personas.create(sandbox_db, seed=9)
    assert hall.is_participant(sandbox_db, joined["persona_id"], open_only=True)
    assert not hall.is_participant(sandbox_db, outsider["id"])
    trainer.end(sandbox_db, workshop["id"])
    assert not hall.is_participant(sandbox_db, joined["persona_id"], open_only=True)
    assert hall.is_participant(sandbox_db, joined["persona_id"])


def test_reopening_the_link_resumes_at_the_current_lesson(sandbox_db, workshop):
    joined = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    activate_up_to(sandbox_db, joined["persona_id"], 2)
    assert hall.resume(sandbox_db, joined["persona_id"]) == VNEID
    assert lesson_progress.step_states(sandbox_db, joined["persona_id"], VNEID)["enter_otp"] == "done"
    activate_up_to_rest(sandbox_db, joined["persona_id"])
    assert hall.resume(sandbox_db, joined["persona_id"]) is None


def activate_up_to_rest(db, persona_id):
    person = personas.get(db, persona_id)
    creds = scenarios.credentials()
    eid.set_password(db, persona_id, creds["vneid_password"], creds["vneid_password"])
    eid.set_passcode(db, persona_id, creds["passcode"], creds["passcode"])
    eid.set_security_questions(db, persona_id, dict(list(creds["security_answers"].items())[:2]))
    eid.login(db, persona_id, person["cccd"], creds["vneid_password"])


def test_an_unknown_token_is_refused(sandbox_db, workshop):
    with pytest.raises(hall.WorkshopError) as caught:
        hall.resume(sandbox_db, "not-a-token")
    assert caught.value.key == "workshop.error.unknown_token"


# --- the live dashboard ---------------------------------------------------------------------------

def test_the_dashboard_colours_done_working_and_todo(sandbox_db, workshop):
    joined = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    activate_up_to(sandbox_db, joined["persona_id"], 2)
    board = workshop_progress.dashboard(sandbox_db, workshop["id"])
    [row] = board["rows"]
    assert [row["cells"][(VNEID, s)] for s in ("start_activation", "enter_otp", "password", "passcode")] == [
        "done", "done", "working", "todo"]
    assert row["status"] == "working"
    assert len(board["columns"]) == len(catalogue.get(VNEID).steps)


def test_repeated_errors_mark_a_participant_stuck_and_are_counted(sandbox_db, workshop):
    joined = hall.join(sandbox_db, workshop["join_code"], "Ông Tư")
    person = personas.get(sandbox_db, joined["persona_id"])
    for _ in range(workshop_progress.STUCK_MISTAKES):
        with pytest.raises(eid.EidError):
            eid.start_activation(sandbox_db, joined["persona_id"], person["cccd"][:9], person["phone"])
    [row] = workshop_progress.dashboard(sandbox_db, workshop["id"])["rows"]
    assert row["status"] == "stuck"
    assert row["cells"][(VNEID, "start_activation")] == "stuck"
    assert row["mistakes"] == {"eid.cccd_invalid": workshop_progress.STUCK_MISTAKES}


def test_no_progress_for_the_set_minutes_is_stuck(sandbox_db, workshop):
    hall.join(sandbox_db, workshop["join_code"], "Chị Hoa")
    assert workshop_progress.dashboard(sandbox_db, workshop["id"])["rows"][0]["status"] == "working"
    clock.advance(sandbox_db, dt.timedelta(minutes=workshop["stuck_minutes"]))
    assert workshop_progress.dashboard(sandbox_db, workshop["id"])["rows"][0]["status"] == "stuck"


def test_finishing_every_step_is_finished(sandbox_db, workshop):
    joined = hall.join(sandbox_db, workshop["join_code"], "Anh Minh")
    activate_up_to(sandbox_db, joined["persona_id"], 6)
    board = workshop_progress.dashboard(sandbox_db, workshop["id"])
    assert board["rows"][0]["status"] == "finished"
    assert board["totals"] == {"finished": 1, "working": 0, "stuck": 0}


def test_the_dashboard_only_shows_its_own_workshop(sandbox_db, workshop):
    other = hall.create(sandbox_db, name="Khác", place="Trường", date="2026-11-26", lessons_planned=[VNEID])
    hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    hall.join(sandbox_db, other["join_code"], "Em Thảo")
    assert [r["display_name"] for r in workshop_progress.dashboard(sandbox_db, workshop["id"])["rows"]] == ["Bà Lan"]


def test_the_trainer_sees_one_participants_phone_state(sandbox_db, workshop):
    joined = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    activate_up_to(sandbox_db, joined["persona_id"], 1)
    state = workshop_progress.participant_state(sandbox_db, workshop["id"], joined["persona_id"])
    assert state["eid"]["step"] == "otp"
    assert "OTP" in state["latest_sms"]["text"]
    assert state["progress"][VNEID]["start_activation"] == "done"


# --- nudges ---------------------------------------------------------------------------------------

def test_a_nudge_reaches_only_its_participant_until_dismissed(sandbox_db, workshop):
    lan = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")["persona_id"]
    tu = hall.join(sandbox_db, workshop["join_code"], "Ông Tư")["persona_id"]
    nudge_id = nudges.nudge(sandbox_db, workshop["id"], lan, "Bác mở tin nhắn mới nhất nhé")
    assert [n["text"] for n in nudges.pending_nudges(sandbox_db, lan)] == ["Bác mở tin nhắn mới nhất nhé"]
    assert nudges.pending_nudges(sandbox_db, tu) == []
    nudges.dismiss_nudge(sandbox_db, tu, nudge_id)  # someone else cannot dismiss it
    assert len(nudges.pending_nudges(sandbox_db, lan)) == 1
    nudges.dismiss_nudge(sandbox_db, lan, nudge_id)
    assert nudges.pending_nudges(sandbox_db, lan) == []


def test_a_nudge_needs_text_and_a_participant_of_this_workshop(sandbox_db, workshop):
    other = hall.create(sandbox_db, name="Khác", place="Trường", date="2026-11-26", lessons_planned=[VNEID])
    stranger = hall.join(sandbox_db, other["join_code"], "Em Thảo")["persona_id"]
    with pytest.raises(hall.WorkshopError) as caught:
        nudges.nudge(sandbox_db, workshop["id"], stranger, "Xin chào")
    assert caught.value.key == "workshop.error.not_participant"
    mine = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")["persona_id"]
    with pytest.raises(hall.WorkshopError) as caught:
        nudges.nudge(sandbox_db, workshop["id"], mine, "   ")
    assert caught.value.key == "workshop.error.nudge_required"


# --- trainer controls -----------------------------------------------------------------------------

def test_bulk_approval_approves_everyone_waiting_once(sandbox_db):
    fresh = hall.create(sandbox_db, name="A", place="B", date="2026-11-25", lessons_planned=[VNEID],
                            starting_state="fresh")
    ids = [hall.join(sandbox_db, fresh["join_code"], name)["persona_id"] for name in ("Bà Lan", "Ông Tư")]
    assert trainer.bulk_approve(sandbox_db, fresh["id"]) == 2
    assert all(eid.account(sandbox_db, i)["registration"] == "approved" for i in ids)
    assert trainer.bulk_approve(sandbox_db, fresh["id"]) == 0


def test_the_clock_moves_forward_only_by_sensible_minutes(sandbox_db, workshop):
    before = clock.now(sandbox_db)
    after = trainer.move_clock(sandbox_db, workshop["id"], 6)
    assert dt.timedelta(minutes=6) <= after - before < dt.timedelta(minutes=7)
    with pytest.raises(hall.WorkshopError):
        trainer.move_clock(sandbox_db, workshop["id"], 0)


# --- reset ----------------------------------------------------------------------------------------

def test_reset_wipes_this_workshop_only(sandbox_db, tracker_db, workshop):
    other = hall.create(sandbox_db, name="Khác", place="Trường", date="2026-11-26", lessons_planned=[VNEID])
    outsider = personas.create(sandbox_db, seed=5)
    mine = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")["persona_id"]
    activate_up_to(sandbox_db, mine, 3)
    theirs = hall.join(sandbox_db, other["join_code"], "Em Thảo")["persona_id"]
    activate_up_to(sandbox_db, theirs, 2)
    places.save_village(tracker_db, name="Thôn 3", population=500, households=120, actor="test")
    tracker_before = tracker_db.execute("select count(*) from villages").fetchone()[0]
    their_events = len(events.for_workshop(sandbox_db, other["id"]))

    assert trainer.reset(sandbox_db, workshop["id"]) == 1

    assert personas.get(sandbox_db, mine) is None
    for table in ("events", "sms", "otp_codes", "eid_accounts", "lesson_runs", "lesson_steps", "sims"):
        assert sandbox_db.execute(f"select count(*) from {table} where persona_id = ?", [mine]).fetchone()[0] == 0
    assert events.for_workshop(sandbox_db, workshop["id"]) == []
    assert personas.get(sandbox_db, theirs) and personas.get(sandbox_db, outsider["id"])
    assert len(events.for_workshop(sandbox_db, other["id"])) == their_events
    assert lesson_progress.step_states(sandbox_db, theirs, VNEID)["enter_otp"] == "done"
    assert tracker_db.execute("select count(*) from villages").fetchone()[0] == tracker_before
    # the workshop can run again with the same code
    assert hall.join(sandbox_db, workshop["join_code"], "Bà Lan")


# --- report and certificates ----------------------------------------------------------------------

def test_the_report_counts_completion_mistakes_and_attendance(sandbox_db, workshop):
    done = hall.join(sandbox_db, workshop["join_code"], "Anh Minh")["persona_id"]
    half = hall.join(sandbox_db, workshop["join_code"], "Ông Tư")["persona_id"]
    activate_up_to(sandbox_db, done, 6)
    with pytest.raises(otp.OtpError):
        activate_up_to(sandbox_db, half, 1)
        eid.confirm_activation_otp(sandbox_db, half, "000000")
    data = report.report(sandbox_db, workshop["id"])
    assert data["joined"] == 2 and data["finished"] == 1
    assert data["lessons"] == [{"lesson_id": VNEID, "completed": 1, "total": 2, "share": 0.5}]
    first = data["steps"][0]
    assert (first["step_id"], first["done"]) == ("start_activation", 2)
    assert data["mistakes"] == [{"kind": "otp.wrong", "count": 1, "participants": 1}]
    csv_text = report.report_csv(sandbox_db, workshop["id"])
    assert csv_text.startswith("\ufeffdisplay_name,role")
    assert "Anh Minh,citizen" in csv_text
    assert report.report_pdf(sandbox_db, workshop["id"], "vi").startswith(b"%PDF")


def test_certificates_go_to_those_who_finished_with_stable_verifiable_codes(sandbox_db, workshop):
    done = hall.join(sandbox_db, workshop["join_code"], "Anh Minh")["persona_id"]
    hall.join(sandbox_db, workshop["join_code"], "Ông Tư")
    with pytest.raises(hall.WorkshopError):
        certificates.certificates_pdf(sandbox_db, workshop["id"])
    activate_up_to(sandbox_db, done, 6)
    [cert] = certificates.issue_certificates(sandbox_db, workshop["id"])
    assert cert["display_name"] == "Anh Minh"
    assert certificates.issue_certificates(sandbox_db, workshop["id"])[0]["code"] == cert["code"]
    assert certificates.verify_certificate(sandbox_db, cert["code"].lower().replace("-", " "))["persona_id"] == done
    assert certificates.verify_certificate(sandbox_db, "AAAA-AAAA") is None
    for lang in ("vi", "en"):
        assert certificates.certificates_pdf(sandbox_db, workshop["id"], lang).startswith(b"%PDF")
    trainer.reset(sandbox_db, workshop["id"])
    assert certificates.verify_certificate(sandbox_db, cert["code"]) is not None


# --- the bridge to the tracker --------------------------------------------------------------------

@pytest.fixture
def official(tracker_db):
    user_id = auth.create_first_official(tracker_db, username="canbo", display_name="Cán bộ Hà",
                                         secret="Matkhau@2024")
    places.save_village(tracker_db, name="Thôn 3", population=500, households=120, actor="canbo")
    return auth.session_user(tracker_db, user_id)


REAL = dict(full_name="Nguyễn Thị Lan", birth_year=1961, gender="nữ", ethnicity="Kinh", village="Thôn 3",
            consent_by="Cán bộ Hà", consent_date="2026-11-20")


def test_a_consenting_real_citizen_goes_to_the_tracker_with_consent_recorded(sandbox_db, tracker_db, official,
                                                                             workshop):
    lan = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")["persona_id"]
    fake = personas.get(sandbox_db, lan)
    citizen_id = to_tracker.add_to_tracker(sandbox_db, tracker_db, official, workshop["id"], lan, consent=True, **REAL)
    citizen = citizens.get(tracker_db, citizen_id)
    assert (citizen["full_name"], citizen["consent_by"], citizen["consent_date"], citizen["source"]) == (
        "Nguyễn Thị Lan", "Cán bộ Hà", "2026-11-20", "workshop")
    # nothing of the fake persona went to the tracker, nothing real came back to the sandbox
    assert fake["full_name"] not in str(citizen.values())
    assert "Nguyễn Thị Lan" not in str(list(sandbox_db.query("select * from workshop_participants")))
    with pytest.raises(hall.WorkshopError) as caught:
        to_tracker.add_to_tracker(sandbox_db, tracker_db, official, workshop["id"], lan, consent=True, **REAL)
    assert caught.value.key == "workshop.error.already_tracked"


def test_no_consent_no_tracker(sandbox_db, tracker_db, official, workshop):
    lan = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")["persona_id"]
    with pytest.raises(hall.WorkshopError) as caught:
        to_tracker.add_to_tracker(sandbox_db, tracker_db, official, workshop["id"], lan, consent=False, **REAL)
    assert caught.value.key == "workshop.error.consent_required"
    assert citizens.count(tracker_db) == 0


def test_the_simulated_workshop_gives_a_plausible_evening(sandbox_db, workshop):
    made = simulate.simulate(sandbox_db, workshop["id"], participants_count=8, seed=3, minutes=True)
    data = report.report(sandbox_db, workshop["id"])
    assert data["joined"] == len(made) == 8
    assert 0 < data["finished"] <= 8
    assert data["mistakes"]
    assert store.db_path(store.TRACKER).exists() is False  # a sandbox simulation never opens the tracker


def test_looking_at_progress_that_did_not_change_takes_no_write_lock(sandbox_db, data_dir, workshop):
    """Issue 7 bench: 40 phones re-check their lesson every few seconds; only a tick may queue
    for the write lock, a look must not."""
    joined = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    activate_up_to(sandbox_db, joined["persona_id"], 1)
    lesson_progress.evaluate(sandbox_db, joined["persona_id"], VNEID)  # the tick happens here
    other = store.open_connection(store.db_path(store.SANDBOX))
    other.execute("BEGIN IMMEDIATE")  # someone else is writing
    sandbox_db.execute("PRAGMA busy_timeout = 50")
    try:
        state = lesson_progress.evaluate(sandbox_db, joined["persona_id"], VNEID)
        board = workshop_progress.dashboard(sandbox_db, workshop["id"])
    finally:
        other.execute("ROLLBACK")
        other.close()
        sandbox_db.execute(f"PRAGMA busy_timeout = {store.BUSY_TIMEOUT_MS}")
    assert state.done["start_activation"] == "done"
    assert board["rows"][0]["cells"][(VNEID, "enter_otp")] == "working"


@pytest.mark.parametrize("typed,gender", [("Bà Lan", "nữ"), ("chị Hoa", "nữ"), ("H'Hen", "nữ"),
                                          ("Ông Tư", "nam"), ("Anh Tuấn", "nam"), ("Y Bhin", "nam")])
def test_a_participants_persona_is_a_woman_or_a_man_as_their_title_says(sandbox_db, workshop, typed, gender):
    """Issue 14: "Bà Lan" got the persona "Y Suôn Kpă", a man's name."""
    for _ in range(8):
        joined = hall.join(sandbox_db, workshop["join_code"], typed)
        assert personas.get(sandbox_db, joined["persona_id"])["gender"] == gender


def test_the_dashboard_names_the_participant_and_the_persona_they_play(sandbox_db, workshop):
    joined = hall.join(sandbox_db, workshop["join_code"], "Bà Lan")
    [row] = workshop_progress.dashboard(sandbox_db, workshop["id"])["rows"]
    assert row["display_name"] == "Bà Lan"
    assert row["persona_name"] == personas.get(sandbox_db, joined["persona_id"])["full_name"]
