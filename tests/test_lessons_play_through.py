"""Every shipped lesson validates and plays through (issue 6).

Each lesson below is played by a script that does what its steps ask, through the same
domain functions the sandbox pages call: a persona is made in the lesson's starting state,
each step is done (with the step's common mistake first where the step has a hint, to
prove the hint appears), the step must tick itself — and not before its action — then the
quiz is answered. A lesson whose check can never be satisfied, or a new lesson without a
script here, fails the suite.
"""

from __future__ import annotations

import datetime as dt

import pytest

from workbench import clock, databases, events
from workbench.sandbox import catalogue, eid, fees, health_book, otp, phone, portal, scams, scenarios
from workbench.sandbox.dossiers import citizen, desk, papers, samples
from workbench.sandbox.payments import desk_qr, gateway, ledger, payables, receipts, scenario_settings, wallet
from workbench.learning.lessons import catalogue as lesson_catalogue, progress, validator

CREDS = scenarios.credentials()
WALLET_PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]
ANSWERS = dict(CREDS["security_answers"])


def refused(action, *args, **kwargs):
    """Do something the sandbox refuses (the learner's mistake); the refusal is the point."""
    with pytest.raises(Exception) as error:
        action(*args, **kwargs)
    assert getattr(error.value, "key", None), f"{action.__name__} refused without a message key"


class Learner:
    """One persona playing one lesson, with the codes a step's setup handed over."""

    def __init__(self, db, lesson_id):
        self.db = db
        self.lesson = lesson_catalogue.get(lesson_id)
        self.person = progress.start_with_new_persona(db, lesson_id, seed=None)
        self.id = self.person["id"]
        self.setup = {}
        self.notes = {}

    def state(self):
        return progress.evaluate(self.db, self.id, self.lesson.id)


def wallet_provider(db, pid):
    wallet.ensure_accounts(db, pid)
    return ledger.account(db, ledger.wallet_id(pid))["provider_id"]


def pay_portal(db, pid, code):
    payable = payables.dossier_payable(db, code)
    gateway.start(db, pid, payable)
    provider = wallet_provider(db, pid)
    return gateway.pay(db, pid, payable, provider_id=provider, passcode=WALLET_PASSCODE,
                       attempt_key=gateway.new_attempt_key())


def portal_vneid_login(db, pid):
    request_id = portal.request_vneid_login(db, pid)
    eid.answer_request(db, pid, request_id, CREDS["passcode"])
    assert portal.complete_vneid_login(db, pid, request_id)


# --- the scripts: step id -> (mistake or None, action) ------------------------------------------
# A mistake is only played where the step has a hint for it; the test checks the hint shows.

def _activation(me, with_mistakes=True):
    p = me.person
    db, pid = me.db, me.id
    return {
        "start": (lambda: refused(eid.start_activation, db, pid, p["cccd"][:9], p["phone"]),
                  lambda: eid.start_activation(db, pid, p["cccd"], p["phone"])),
        "otp": (lambda: refused(eid.confirm_activation_otp, db, pid, otp.ALWAYS_WRONG),
                lambda: eid.confirm_activation_otp(db, pid, otp.latest_code_for_tests(db, pid, "eid_activation"))),
        "password": (lambda: refused(eid.set_password, db, pid, "12345678", "12345678"),
                     lambda: eid.set_password(db, pid, CREDS["vneid_password"], CREDS["vneid_password"])),
        "passcode": (lambda: refused(eid.set_passcode, db, pid, "246810", "246801"),
                     lambda: eid.set_passcode(db, pid, "246810", "246810")),
        "security": (None, lambda: eid.set_security_questions(db, pid, ANSWERS)),
    }


def script_sim_check(me):
    db, pid = me.db, me.id
    return {
        "check_sim": (None, lambda: phone.check_sim(db, pid)),
        "standardise": (None, lambda: phone.standardise_sim(db, pid)),
        "check_again": (None, lambda: phone.check_sim(db, pid)),
    }


def script_vneid_activation(me):
    db, pid, p = me.db, me.id, me.person
    a = _activation(me)
    return {
        "start_activation": a["start"],
        "enter_otp": a["otp"],
        "password": a["password"],
        "passcode": a["passcode"],
        "security_questions": a["security"],
        "first_login": (lambda: refused(eid.login, db, pid, p["cccd"], "Sai@mat1khau"),
                        lambda: eid.login(db, pid, p["cccd"], CREDS["vneid_password"])),
    }


def script_portal_login(me):
    db, pid, p = me.db, me.id, me.person

    def confirm():
        request_id = eid.pending_requests(db, pid)[0]["id"]
        refused(eid.answer_request, db, pid, request_id, "000000")  # a wrong passcode: the hint
        eid.answer_request(db, pid, request_id, CREDS["passcode"])
        me.notes["request_id"] = request_id

    return {
        # The hint of the first step: an old portal account typed instead (issue 13: VNeID only).
        "request_login": (lambda: refused(portal.login_with_old_account, db, pid, p["cccd"], "Sai@2024"),
                          lambda: portal.request_vneid_login(db, pid)),
        "confirm_in_app": (None, confirm),
        "logged_in": (None, lambda: portal.complete_vneid_login(db, pid, me.notes["request_id"])),
    }


def _filing(me, procedure_id):
    """Start, fill, attach: what a learner does on the services pages (sample answers)."""
    db, pid = me.db, me.id
    code = samples.file_sample(db, pid, procedure_id, draft_only=True)["code"]
    me.notes["code"] = code
    return code


def script_birth_registration(me):
    db, pid = me.db, me.id

    def declare():
        code = citizen.start(db, pid, "khai_sinh")
        refused(citizen.save_answers, db, pid, code, "child", {"child_name": ""})  # the red lines: hint
        citizen.attach(db, pid, code, "giay_chung_sinh")
        me.notes["draft"] = code

    def submit():
        refused(citizen.submit, db, pid, me.notes["draft"])  # not filled in yet
        me.notes["code"] = _filing(me, "khai_sinh")
        citizen.submit(db, pid, me.notes["code"])

    def download_too_early():
        pytest.importorskip("workbench.sandbox.documents", reason="the result PDF comes with issue 4 (branch i4)")
        refused(papers.download_result, db, pid, me.notes["code"])

    def desk_resolves_and_download():
        desk.process(db, me.notes["code"])
        desk.approve(db, me.notes["code"])
        return papers.download_result(db, pid, me.notes["code"])

    return {
        "login": (lambda: refused(portal.login_with_old_account, db, pid, me.person["cccd"], "Sai@2024"),
                  lambda: portal_vneid_login(db, pid)),
        "find_procedure": (None, lambda: catalogue.record_view(db, pid, "khai_sinh")),
        "declare": (None, declare),
        "submit": (None, submit),
        "track": (None, lambda: desk.receive(db, me.notes["code"])),
        "download_result": (download_too_early, desk_resolves_and_download),
    }


def script_residence_and_copies(me):
    db, pid = me.db, me.id

    def file_residence():
        code = _filing(me, "tam_tru")
        refused(citizen.submit, db, pid, citizen.start(db, pid, "tam_tru"))  # an empty draft: the hint
        citizen.submit(db, pid, code)

    def pay():
        payable = payables.dossier_payable(db, me.notes["code"])
        provider = wallet_provider(db, pid)
        refused(gateway.pay, db, pid, payable, provider_id=provider, passcode="000000",
                attempt_key=gateway.new_attempt_key())
        pay_portal(db, pid, me.notes["code"])

    return {
        "search": (None, lambda: catalogue.record_search(db, pid, "cu tru", None, catalogue.search("cu tru"))),
        "compare_fees": (None, lambda: catalogue.record_view(db, pid, "thuong_tru")),
        "file_residence": (None, file_residence),
        "pay_fee": (None, pay),
        "certified_copy": (None, lambda: catalogue.record_view(db, pid, "chung_thuc_ban_sao")),
    }


def script_paying_and_receipts(me):
    db, pid = me.db, me.id

    def pay():
        payable = payables.dossier_payable(db, me.setup["code"])
        provider = wallet_provider(db, pid)
        refused(gateway.pay, db, pid, payable, provider_id=provider, passcode="000000",
                attempt_key=gateway.new_attempt_key())
        me.notes["payment"] = pay_portal(db, pid, me.setup["code"])

    def receipt():
        receipts.receipt_pdf(db, me.notes["payment"]["id"], "vi")

    def pay_desk_qr():
        request = desk_qr.scan(db, pid, code=me.setup["qr_code"])
        payable = desk_qr.request_payable(request)
        provider = wallet_provider(db, pid)
        gateway.pay(db, pid, payable, provider_id=provider, passcode=WALLET_PASSCODE,
                    attempt_key=gateway.new_attempt_key())

    return {
        "open_payment": (None, lambda: gateway.start(db, pid, payables.dossier_payable(db, me.setup["code"]))),
        "pay_portal": (None, pay),
        "receipt": (None, receipt),
        "desk_qr": (None, pay_desk_qr),
    }


def script_staying_safe(me):
    db, pid = me.db, me.id

    def refuse_stranger():
        eid.answer_request(db, pid, me.setup["request_id"], None, accept=False)

    def refuse_scam_qr():
        request = desk_qr.scan(db, pid, code=me.setup["qr_code"])
        payable = desk_qr.request_payable(request)
        provider = wallet_provider(db, pid)
        refused(gateway.pay, db, pid, payable, provider_id=provider, passcode=WALLET_PASSCODE,
                attempt_key=gateway.new_attempt_key())  # looked at the amount only: the hint says stop
        desk_qr.refuse_wrong_payee(db, pid, request["id"])

    def type_otp_into_the_fake_page():
        otp.issue(db, pid, "portal_login")  # a real code arrives while the fake page asks for one
        assert scams.flag_otp(db, pid, otp.latest_code_for_tests(db, pid, "portal_login"), where="fake_page")

    return {
        "fake_sms": (type_otp_into_the_fake_page, lambda: scams.recognised(db, pid, me.setup["scam_example"])),
        "stranger_login": (None, refuse_stranger),
        "scam_qr": (None, refuse_scam_qr),
        "fake_police_call": (None, lambda: scams.recognised(db, pid, "call_cong_an")),
    }


def script_guiding_not_doing(me):
    a = _activation(me)

    def secrets():
        a["password"][0]()
        a["password"][1]()
        a["passcode"][1]()

    return {
        "citizen_starts": a["start"],
        "citizen_otp": a["otp"],
        "citizen_secrets": (None, secrets),
        "citizen_finishes": a["security"],
        "checklist": (None, None),
        "swap_roles": (None, None),
    }


def script_desk_official(me):
    db = me.db

    def codes():
        blurry, clear, walk_in = me.setup["codes"]
        return blurry, clear, walk_in

    def supplement():
        blurry = codes()[0]
        refused(desk.request_supplement, db, blurry, "  ")
        desk.request_supplement(db, blurry, "Ảnh Giấy chứng sinh bị mờ, đề nghị chụp lại rõ nét và bổ sung.")

    def approve():
        clear = codes()[1]
        desk.receive(db, clear)
        desk.process(db, clear)
        desk.approve(db, clear)

    def apology():
        walk_in = codes()[2]
        refused(desk.issue_apology, db, walk_in)  # not overdue yet
        clock.advance(db, dt.timedelta(days=30))  # past 3 working days, even across Tết
        desk.issue_apology(db, walk_in)

    return {
        "receive": (None, lambda: desk.receive(db, codes()[0])),
        "request_supplement": (None, supplement),
        "approve": (None, approve),
        "return_result": (None, lambda: desk.return_result(db, codes()[1])),
        "apology_slip": (None, apology),
    }


def script_digital_life(me):
    db, pid = me.db, me.id
    return {
        "health_book": (lambda: refused(health_book.activate, db, pid, "000000"),
                        lambda: health_book.activate(db, pid, CREDS["passcode"])),
        "top_up": (lambda: refused(wallet.top_up, db, pid, 50_000, "000000"),
                   lambda: wallet.top_up(db, pid, 50_000, WALLET_PASSCODE)),
        "link_vneid": (None, lambda: wallet.link_vneid(db, pid)),
    }


SCRIPTS = {name[len("script_"):]: f for name, f in globals().items() if name.startswith("script_")}
SHIPPED = [lesson.id for lesson in lesson_catalogue.load_all()[0]]


def test_every_shipped_lesson_is_valid_and_names_only_real_event_kinds():
    found, problems = lesson_catalogue.load_all(known_kinds=set(databases.event_kinds()))
    assert [str(p) for p in problems] == []
    assert [lesson.number for lesson in found] == list(range(1, 11))
    for lesson in found:
        assert lesson.quiz, lesson.id
        for step in lesson.steps:
            for field in validator.STEP_TEXT_REQUIRED:
                assert step.t(field, "vi") and step.t(field, "en"), (lesson.id, step.id, field)


def test_every_shipped_lesson_has_a_play_script():
    assert sorted(SCRIPTS) == sorted(SHIPPED)


@pytest.mark.parametrize("lesson_id", SHIPPED)
def test_the_lesson_plays_through_with_each_step_ticking_itself(sandbox_db, lesson_id):
    me = Learner(sandbox_db, lesson_id)
    script = SCRIPTS[lesson_id](me)
    assert list(script) == [s.id for s in me.lesson.steps], "the script must follow the lesson's steps"
    mistakes_made = 0
    for step in me.lesson.steps:
        state = me.state()
        assert state.current is not None and state.current.id == step.id, (step.id, state.done)
        assert state.done[step.id] == "pending", f"{step.id} ticked before the learner did it"
        me.setup = state.setup
        assert "error" not in me.setup, me.setup
        mistake, action = script[step.id]
        if step.manual:
            assert action is None, "a manual step has no sandbox action"
            progress.tick_manual(sandbox_db, me.id, lesson_id, step.id)
        else:
            if mistake is not None:
                assert step.hints, f"{step.id}: a scripted mistake needs a hint in the lesson"
                mistake()
                mistakes_made += 1
                assert me.state().hints.get(step.id), f"{step.id}: no hint after the mistake"
            action()
        assert me.state().done[step.id] == "done", f"{step.id} did not tick after its action"
    state = me.state()
    assert state.current is None and not state.completed
    for question in me.lesson.quiz:
        assert progress.answer(sandbox_db, me.id, lesson_id, question.id, question.answer)
    assert me.state().completed
    result = progress.summary(sandbox_db, me.id, lesson_id)
    assert result["steps_done"] == result["steps_total"] == len(me.lesson.steps)
    assert result["quiz_score"] == result["quiz_total"] == len(me.lesson.quiz)
    if mistakes_made:
        assert result["mistakes_recovered"] >= 1, result


def test_a_setup_runs_once_and_its_codes_survive_a_reload(sandbox_db):
    me = Learner(sandbox_db, "paying_and_receipts")
    first = me.state().setup
    again = me.state().setup
    desk_fee = fees.fee("tam_tru", "desk", on=clock.now(sandbox_db).date())[0]  # the rule in force (issue 13)
    assert first == again and first["code"].startswith("DVC-") and first["amount"] == desk_fee > 0
    done = [e for e in events.for_persona(sandbox_db, me.id) if e["kind"] == "lesson.setup_done"]
    assert len(done) == 1


def test_a_stranger_request_confirmed_by_mistake_does_not_tick_the_refuse_step(sandbox_db):
    me = Learner(sandbox_db, "staying_safe")
    scams.recognised(sandbox_db, me.id, me.state().setup["scam_example"])
    request_id = me.state().setup["request_id"]
    refused(eid.answer_request, sandbox_db, me.id, request_id, "000000")  # a wrong passcode is no refusal
    state = me.state()
    assert state.done["stranger_login"] == "pending"
    eid.answer_request(sandbox_db, me.id, request_id, CREDS["passcode"])  # confirmed: the worst answer
    state = me.state()
    assert state.done["stranger_login"] == "pending" and state.hints["stranger_login"]


def test_a_learners_own_persona_fits_only_lessons_at_its_point(sandbox_db):
    approved = scenarios.create(sandbox_db, "eid_approved")
    ready = scenarios.create(sandbox_db, "ready")
    activation, login = lesson_catalogue.get("vneid_activation"), lesson_catalogue.get("portal_login")
    assert progress.persona_fits(sandbox_db, approved["id"], activation)
    assert not progress.persona_fits(sandbox_db, approved["id"], login)
    assert progress.persona_fits(sandbox_db, ready["id"], login)
    assert not progress.persona_fits(sandbox_db, ready["id"], activation)


def test_the_active_lesson_is_the_latest_one_not_completed(sandbox_db):
    me = Learner(sandbox_db, "sim_check")
    assert progress.active(sandbox_db, me.id)["lesson_id"] == "sim_check"
    phone.check_sim(sandbox_db, me.id)
    phone.standardise_sim(sandbox_db, me.id)
    phone.check_sim(sandbox_db, me.id)
    for question in me.lesson.quiz:
        progress.answer(sandbox_db, me.id, "sim_check", question.id, question.answer)
    assert progress.active(sandbox_db, me.id) is None
