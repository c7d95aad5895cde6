"""The lesson engine: the file schema, messages for broken files, and checks evaluated on
crafted event logs (the shipped lessons are played through in test_lessons_play_through.py)."""

import datetime as dt
import textwrap

import pytest

from workbench import clock, databases, events, i18n
from workbench.sandbox import personas
from workbench.learning.lessons import catalogue, checks, progress
from workbench.learning.lessons.model import LessonError

GOOD = textwrap.dedent('''
    id = "{id}"
    number = {number}
    audience = "citizen"
    duration_minutes = 15
    starting_state = "eid_approved"
    title = {{ vi = "Bài thử", en = "A test lesson" }}
    summary = {{ vi = "Tóm tắt", en = "Summary" }}
    goals = {{ vi = ["Mục tiêu"], en = ["A goal"] }}

    [[steps]]
    id = "otp"
    page = "phone"
    do = {{ vi = "Nhập mã OTP", en = "Enter the OTP" }}
    why = {{ vi = "Vì sao", en = "Why" }}
    mistake = {{ vi = "Nhập sai", en = "Wrong code" }}
    recover = {{ vi = "Gửi lại mã", en = "Resend" }}
    trainer = {{ vi = "Ghi chú", en = "Notes" }}
    check = {{ type = "event", kind = "otp.verified", payload = {{ purpose = "activation" }} }}
    hints = [{{ on = "otp.wrong", text = {{ vi = "Xem lại tin nhắn", en = "Read the SMS again" }} }}]

    [[steps]]
    id = "resend"
    do = {{ vi = "Gửi lại", en = "Resend" }}
    why = {{ vi = "Vì sao", en = "Why" }}
    mistake = {{ vi = "Lỗi", en = "Mistake" }}
    recover = {{ vi = "Sửa", en = "Fix" }}
    trainer = {{ vi = "Ghi chú", en = "Notes" }}
    check = {{ type = "sequence", events = ["otp.expired", "otp.resent"] }}

    [[steps]]
    id = "roleplay"
    do = {{ vi = "Đóng vai", en = "Role-play" }}
    why = {{ vi = "Vì sao", en = "Why" }}
    mistake = {{ vi = "Lỗi", en = "Mistake" }}
    recover = {{ vi = "Sửa", en = "Fix" }}
    trainer = {{ vi = "Ghi chú", en = "Notes" }}
    check = {{ type = "manual" }}

    [[quiz]]
    id = "q1"
    question = {{ vi = "Có nên đưa mã OTP cho người khác?", en = "Should you give the OTP to anyone?" }}
    options = {{ vi = ["Có", "Không"], en = ["Yes", "No"] }}
    answer = 1
    explain = {{ vi = "Không bao giờ.", en = "Never." }}
''')


@pytest.fixture
def folder(tmp_path, monkeypatch):
    path = tmp_path / "lessons"
    path.mkdir()
    (path / "demo.toml").write_text(GOOD.format(id="demo", number=1), encoding="utf-8")
    monkeypatch.setattr(catalogue, "LESSONS_DIR", path)
    return path


@pytest.fixture
def learner(sandbox_db, folder):
    persona = personas.create(sandbox_db, seed=7, starting_state="eid_approved")
    progress.start(sandbox_db, persona["id"], "demo")
    return persona["id"]


def record(db, kind, pid, **payload):
    return events.record(db, kind, persona_id=pid, **payload)


# --- schema -----------------------------------------------------------------------------------

def test_a_good_file_loads_with_both_languages(folder):
    found, problems = catalogue.load_all()
    assert problems == []
    (lesson,) = found
    assert lesson.title == {"vi": "Bài thử", "en": "A test lesson"}
    assert [s.id for s in lesson.steps] == ["otp", "resend", "roleplay"]
    assert lesson.steps[0].check == {"type": "event", "kind": "otp.verified", "payload": {"purpose": "activation"},
                                     "actor": None, "count": 1}
    assert [s.manual for s in lesson.steps] == [False, False, True]
    assert lesson.quiz[0].answer == 1


def test_a_toml_syntax_error_names_the_file_and_line_and_the_others_still_load(folder):
    (folder / "broken.toml").write_text('id = "broken"\nnumber = 2\ntitle = { vi = "x", en = \n', encoding="utf-8")
    found, problems = catalogue.load_all()
    assert [lesson.id for lesson in found] == ["demo"]
    (problem,) = problems
    assert problem.file == "broken.toml" and problem.line == 3
    message = problem.message("vi")
    assert message.startswith("broken.toml, dòng 3: sai cú pháp TOML")
    assert problem.message("en").startswith("broken.toml, line 3: TOML syntax error")


def test_a_missing_language_names_the_step_and_its_line(folder):
    text = GOOD.format(id="nolang", number=2).replace('recover = { vi = "Sửa", en = "Fix" }', 'recover = { vi = "Sửa" }', 1)
    (folder / "nolang.toml").write_text(text, encoding="utf-8")
    found, problems = catalogue.load_all()
    assert [lesson.id for lesson in found] == ["demo"]
    (problem,) = problems
    line = text.splitlines()[problem.line - 1]
    assert line.startswith('recover = { vi = "Sửa" }')
    assert "steps[2].recover" in problem.message("en") and "en" in problem.message("en")


@pytest.mark.parametrize("change,key,field", [
    ('check = { type = "manual" }', 'check = { type = "guess" }', "unknown_check_type"),
    ('starting_state = "eid_approved"', 'starting_state = "sleepy"', "unknown_state"),
    ('answer = 1', 'answer = 5', "bad_answer"),
    ('page = "phone"', 'page = "nowhere"', "unknown_page"),
    ('page = "phone"', 'page = "pages/sandbox/phone.py"', "unknown_page"),  # a URL path, not a file
    ('audience = "citizen"', 'audience = "children"', "bad_value"),
    ('events = ["otp.expired", "otp.resent"]', 'events = ["otp.expired"]', "sequence_too_short"),
    ('kind = "otp.verified"', 'kind = "OTP verified"', "bad_kind"),
])
def test_schema_problems_are_reported_by_key_with_a_line(folder, change, key, field):
    (folder / "bad.toml").write_text(GOOD.format(id="bad", number=3).replace(change[0:0] + change, key, 1),
                                     encoding="utf-8")
    found, problems = catalogue.load_all()
    assert [lesson.id for lesson in found] == ["demo"]
    assert [p.key for p in problems] == [f"lessons.schema.{field}"]
    assert problems[0].file == "bad.toml" and problems[0].line
    assert i18n.has(problems[0].key, "vi") and i18n.has(problems[0].key, "en")


def test_an_unknown_event_kind_is_a_problem_when_kinds_are_checked(folder):
    text = GOOD.format(id="kinds", number=4).replace('kind = "otp.verified"', 'kind = "otp.teleported"')
    (folder / "kinds.toml").write_text(text, encoding="utf-8")
    assert [p.key for p in catalogue.load_all()[1]] == []
    _, problems = catalogue.load_all(known_kinds={"otp.verified", "otp.wrong", "otp.expired", "otp.resent"})
    assert [(p.file, p.key) for p in problems] == [("kinds.toml", "lessons.schema.unknown_kind")]
    assert "otp.teleported" in problems[0].message("vi")


def test_a_duplicate_lesson_id_keeps_the_first(folder):
    (folder / "zz.toml").write_text(GOOD.format(id="demo", number=9), encoding="utf-8")
    found, problems = catalogue.load_all()
    assert [lesson.file for lesson in found] == ["demo.toml"]
    assert {p.key for p in problems} == {"lessons.schema.id_not_file_name"}


# --- checks on crafted logs -------------------------------------------------------------------

def E(id, kind, actor="persona", **payload):
    return {"id": id, "kind": kind, "actor": actor, "payload": payload}


def test_event_check_matches_kind_payload_and_count():
    check = {"type": "event", "kind": "otp.verified", "payload": {"purpose": "activation"}, "actor": None, "count": 1}
    assert checks.evaluate_check(check, [E(1, "otp.verified", purpose="login")]) is None
    assert checks.evaluate_check(check, [E(1, "otp.wrong"), E(2, "otp.verified", purpose="activation")]) == 2
    twice = {**check, "count": 2, "payload": {}}
    assert checks.evaluate_check(twice, [E(1, "otp.verified")]) is None
    assert checks.evaluate_check(twice, [E(1, "otp.verified"), E(5, "otp.verified")]) == 5
    by_desk = {**check, "payload": {}, "actor": "desk"}
    assert checks.evaluate_check(by_desk, [E(1, "otp.verified")]) is None


def test_payload_match_accepts_a_list_of_values():
    check = {"type": "event", "kind": "payment.succeeded", "payload": {"channel": ["portal", "desk_qr"]},
             "actor": None, "count": 1}
    assert checks.evaluate_check(check, [E(1, "payment.succeeded", channel="cash")]) is None
    assert checks.evaluate_check(check, [E(2, "payment.succeeded", channel="desk_qr")]) == 2


def test_sequence_needs_the_events_in_order():
    check = {"type": "sequence", "events": [{"kind": "otp.expired", "payload": {}, "actor": None},
                                            {"kind": "otp.resent", "payload": {}, "actor": None}]}
    assert checks.evaluate_check(check, [E(1, "otp.resent"), E(2, "otp.expired")]) is None
    assert checks.evaluate_check(check, [E(1, "otp.resent"), E(2, "otp.expired"), E(3, "otp.wrong"),
                                          E(4, "otp.resent")]) == 4


def test_dossier_check_reads_status_and_overdue():
    check = {"type": "dossier", "procedure_id": "khai_sinh", "status": ["submitted", "received"], "overdue": None}
    log = [E(3, "dossier.submitted", code="A1", procedure_id="khai_sinh")]
    assert checks.evaluate_check(check, log, [{"code": "A1", "procedure_id": "ket_hon", "status": "submitted"}]) is None
    assert checks.evaluate_check(check, log, [{"code": "A1", "procedure_id": "khai_sinh", "status": "processing"}]) is None
    assert checks.evaluate_check(check, log, [{"code": "A1", "procedure_id": "khai_sinh", "status": "received"}]) == 3
    late = {"type": "dossier", "procedure_id": "khai_sinh", "status": [], "overdue": True}
    assert checks.evaluate_check(late, log, [{"code": "A1", "procedure_id": "khai_sinh", "status": "processing",
                                               "is_overdue": False}]) is None
    assert checks.evaluate_check(late, log, [{"code": "A1", "procedure_id": "khai_sinh", "status": "processing",
                                               "is_overdue": True}]) == 3


def test_all_and_any_combine_checks():
    a = {"type": "event", "kind": "eid.passcode_set", "payload": {}, "actor": None, "count": 1}
    b = {"type": "event", "kind": "eid.security_questions_set", "payload": {}, "actor": None, "count": 1}
    log = [E(1, "eid.passcode_set")]
    assert checks.evaluate_check({"type": "all", "checks": [a, b]}, log) is None
    assert checks.evaluate_check({"type": "any", "checks": [a, b]}, log) == 1
    assert checks.evaluate_check({"type": "all", "checks": [a, b]}, log + [E(4, "eid.security_questions_set")]) == 4


def test_manual_never_holds_by_itself():
    assert checks.evaluate_check({"type": "manual"}, [E(1, "otp.verified")]) is None


# --- progress -------------------------------------------------------------------------------

def test_steps_tick_themselves_from_the_event_log_and_the_state_is_saved(sandbox_db, learner):
    assert progress.step_states(sandbox_db, learner, "demo") == {"otp": "pending", "resend": "pending",
                                                             "roleplay": "pending"}
    record(sandbox_db, "otp.verified", learner, purpose="activation")
    assert progress.step_states(sandbox_db, learner, "demo")["otp"] == "done"
    # Sticky: a later evaluation (a reload, another day) still has it, and records it once.
    assert progress.step_states(sandbox_db, learner, "demo")["otp"] == "done"
    done_events = [e for e in events.for_persona(sandbox_db, learner) if e["kind"] == "lesson.step_done"]
    assert [(e["payload"]["step_id"], e["payload"]["how"]) for e in done_events] == [("otp", "auto")]


def test_events_before_the_lesson_started_do_not_count(sandbox_db, folder):
    persona = personas.create(sandbox_db, seed=8)
    record(sandbox_db, "otp.verified", persona["id"], purpose="activation")
    progress.start(sandbox_db, persona["id"], "demo")
    assert progress.step_states(sandbox_db, persona["id"], "demo")["otp"] == "pending"


def test_another_personas_events_do_not_count(sandbox_db, learner):
    other = personas.create(sandbox_db, seed=9)
    record(sandbox_db, "otp.verified", other["id"], purpose="activation")
    assert progress.step_states(sandbox_db, learner, "demo")["otp"] == "pending"


def test_starting_again_continues_unless_restarted(sandbox_db, learner):
    record(sandbox_db, "otp.verified", learner, purpose="activation")
    progress.step_states(sandbox_db, learner, "demo")
    progress.start(sandbox_db, learner, "demo")
    assert progress.step_states(sandbox_db, learner, "demo")["otp"] == "done"
    progress.start(sandbox_db, learner, "demo", restart=True)
    assert progress.step_states(sandbox_db, learner, "demo")["otp"] == "pending"


def test_a_hint_appears_after_a_wrong_attempt_and_is_recorded_once(sandbox_db, learner):
    state = progress.evaluate(sandbox_db, learner, "demo")
    assert state.current.id == "otp" and state.hints == {}
    record(sandbox_db, "otp.wrong", learner, purpose="activation")
    state = progress.evaluate(sandbox_db, learner, "demo")
    assert state.hints == {"otp": [{"vi": "Xem lại tin nhắn", "en": "Read the SMS again"}]}
    progress.evaluate(sandbox_db, learner, "demo")
    shown = [e for e in events.for_persona(sandbox_db, learner) if e["kind"] == "lesson.hint_shown"]
    assert len(shown) == 1 and shown[0]["payload"]["trigger"] == "otp.wrong"
    record(sandbox_db, "otp.verified", learner, purpose="activation")
    state = progress.evaluate(sandbox_db, learner, "demo")
    assert state.current.id == "resend" and state.hints == {}


def test_manual_steps_are_ticked_by_the_learner_and_checkable_ones_are_refused(sandbox_db, learner):
    with pytest.raises(LessonError) as refused:
        progress.tick_manual(sandbox_db, learner, "demo", "otp")
    assert refused.value.key == "lessons.error.step_checks_itself"
    assert i18n.has(refused.value.key, "en")
    progress.tick_manual(sandbox_db, learner, "demo", "roleplay")
    assert progress.step_states(sandbox_db, learner, "demo")["roleplay"] == "done"
    progress.tick_manual(sandbox_db, learner, "demo", "roleplay", done=False)
    assert progress.step_states(sandbox_db, learner, "demo")["roleplay"] == "pending"


def test_quiz_first_answer_counts_and_completion_gives_a_summary(sandbox_db, learner):
    record(sandbox_db, "otp.wrong", learner, purpose="activation")
    record(sandbox_db, "otp.verified", learner, purpose="activation")
    record(sandbox_db, "otp.expired", learner)
    record(sandbox_db, "otp.resent", learner)
    progress.tick_manual(sandbox_db, learner, "demo", "roleplay")
    assert not progress.evaluate(sandbox_db, learner, "demo").completed
    with pytest.raises(LessonError) as refused:
        progress.answer(sandbox_db, learner, "demo", "q1", 7)
    assert refused.value.key == "lessons.error.choose_an_answer"
    assert progress.answer(sandbox_db, learner, "demo", "q1", 0) is False
    assert progress.answer(sandbox_db, learner, "demo", "q1", 1) is True  # right now, but the first answer counts
    state = progress.evaluate(sandbox_db, learner, "demo")
    assert state.completed
    clock.advance(sandbox_db, dt.timedelta(minutes=1))
    result = progress.summary(sandbox_db, learner, "demo")
    assert result["steps_done"] == 3 and result["quiz_score"] == 0 and result["quiz_total"] == 1
    assert result["mistakes"] == 2 and result["mistakes_recovered"] == 2
    assert result["mistake_kinds"] == ["otp.expired", "otp.wrong"]
    assert result["minutes"] == 0  # completed before the clock moved
    completed = [e for e in events.for_persona(sandbox_db, learner) if e["kind"] == "lesson.completed"]
    assert len(completed) == 1


def test_starting_an_unknown_lesson_or_persona_is_refused(sandbox_db, folder):
    with pytest.raises(LessonError) as refused:
        progress.start(sandbox_db, "nobody", "demo")
    assert refused.value.key == "lessons.error.unknown_persona"
    with pytest.raises(LessonError) as refused:
        catalogue.get("nothing")
    assert refused.value.key == "lessons.error.unknown_lesson"


def test_lesson_event_kinds_are_registered():
    kinds = databases.event_kinds()
    for kind in progress.EVENT_KINDS:
        assert kind in kinds


def test_every_lesson_names_the_bdhvs_skill_areas_it_practises_and_an_unknown_one_is_refused(tmp_path):
    """Issue 13: the catalogue shows which Bình dân học vụ số skill areas each lesson practises."""
    from pathlib import Path
    from workbench.learning.lessons import validator as lesson_validator
    root = Path(__file__).resolve().parents[1]
    known = lesson_validator.bdhvs_area_ids()
    for lesson in catalogue.load_all()[0]:
        assert lesson.bdhvs and set(lesson.bdhvs) <= known, lesson.id
    bad = (root / "lessons" / "sim_check.toml").read_text(encoding="utf-8").replace(
        'bdhvs = ["devices", "safety"]', 'bdhvs = ["devices", "flying"]')
    path = tmp_path / "sim_check.toml"
    path.write_text(bad, encoding="utf-8")
    lesson, problems = catalogue.load_file(path)
    assert lesson is None and any(p.key == "lessons.schema.unknown_bdhvs" for p in problems)
