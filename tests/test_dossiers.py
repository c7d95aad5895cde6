"""Dossiers: the state machine (every transition, who may make it, the refusals), due dates
in working days on the sandbox clock, overdue and the apology slip, privacy of codes, the
documents, and the KPIs on a known set of dossiers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings, strategies as st

from tests.source import module_source
from workbench import clock, databases, events, i18n
from workbench.sandbox import documents, personas, photos
from workbench.sandbox.dossiers import citizen, desk, kpis, papers, records, rules, samples
from workbench.sandbox.dossiers import schema as dossier_schema
from workbench.sandbox.payments import payables
from workbench.sandbox.payments import schema as payment_schema

VN = clock.VN_TZ


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture
def frozen(monkeypatch):
    """Sandbox time starts at the given moment; ``clock.advance`` still moves it forward."""
    def freeze(text: str) -> None:
        monkeypatch.setattr(clock, "real_now", lambda: at(text))
    freeze("2026-11-24T09:00:00")  # a Tuesday morning
    return freeze


@pytest.fixture
def persona(sandbox_db):
    return personas.create(sandbox_db, seed=11)


def kinds(db, persona_id) -> list[str]:
    return [e["kind"] for e in events.for_persona(db, persona_id)]


def filed(db, persona, procedure="khai_sinh", **kwargs) -> str:
    return samples.file_sample(db, persona["id"], procedure, **kwargs)["code"]


# --- working days --------------------------------------------------------------------------

@pytest.mark.parametrize("received, days, due", [
    ("2026-11-27T10:00", 0, "2026-11-27"),  # Friday morning, same day
    ("2026-11-27T14:59", 0, "2026-11-27"),
    ("2026-11-27T15:00", 0, "2026-11-30"),  # from 15:00 it counts from Monday
    ("2026-11-28T09:00", 3, "2026-12-03"),  # a Saturday counts from Monday
    ("2026-04-29T10:00", 3, "2026-05-06"),  # 30/4 and 1/5 are holidays, then a weekend
    ("2026-02-13T10:00", 1, "2026-02-23"),  # Tết: 16–20/2/2026 off
    ("2026-11-24T09:00", 7, "2026-12-03"),
])
def test_due_dates_count_working_days_skipping_weekends_and_holidays(received, days, due):
    assert rules.due_date(at(received), days) == dt.date.fromisoformat(due)


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2028, 12, 1)), st.integers(0, 20))
def test_a_due_date_is_always_a_working_day_and_never_before_filing(moment, days):
    due = rules.due_date(moment.replace(tzinfo=VN), days)
    assert rules.is_working_day(due)
    assert due >= moment.date()
    assert sum(rules.is_working_day(moment.date() + dt.timedelta(n))
               for n in range(1, (due - moment.date()).days + 1)) >= days


# --- filing ----------------------------------------------------------------------------------

def test_starting_a_dossier_prefills_the_applicant_from_the_population_database(sandbox_db, persona):
    code = citizen.start(sandbox_db, persona["id"], "khai_sinh")
    row = records.get_own(sandbox_db, persona["id"], code)
    assert row["status"] == "draft"
    assert row["answers"]["requester_name"] == persona["full_name"]
    assert row["answers"]["requester_cccd"] == persona["cccd"]
    assert re.fullmatch(r"DVC-\d{6}-[A-HJ-NP-Z2-9]{8}", code)


def test_a_locked_prefilled_field_cannot_be_changed_on_the_form(sandbox_db, persona):
    code = citizen.start(sandbox_db, persona["id"], "khai_sinh")
    answers = citizen.save_answers(sandbox_db, persona["id"], code, "requester", {
        "requester_name": "Someone Else", "requester_cccd": "000000000000", "requester_phone": persona["phone"],
        "requester_address": "Thôn 9"})
    assert answers["requester_name"] == persona["full_name"]
    assert answers["requester_address"] == "Thôn 9"


def test_bad_answers_name_each_field_and_keep_nothing_half_saved(sandbox_db, persona, frozen):
    code = citizen.start(sandbox_db, persona["id"], "chung_thuc_ban_sao")
    with pytest.raises(dossier_schema.DossierError) as refused:
        citizen.save_answers(sandbox_db, persona["id"], code, "copies",
                             {"document_name": "Bằng", "pages": "ba", "copies": "0"})
    assert refused.value.errors == {"pages": "dossiers.error.number", "copies": "dossiers.error.number_range"}
    assert "pages" not in records.get_own(sandbox_db, persona["id"], code)["answers"]
    assert "dossier.action_refused" in kinds(sandbox_db, persona["id"])


@pytest.mark.parametrize("value, error", [
    ("31/02/2025", "dossiers.error.date_format"), ("01/01/2099", "dossiers.error.date_future"),
    ("", "dossiers.error.required"), ("05/03/2025", None), ("2025-03-05", None),
])
def test_dates_are_typed_day_month_year(value, error):
    field = {"id": "child_birth_date", "type": "date", "required": True}
    assert rules.validate_field(field, value, dt.date(2026, 1, 1))[1] == error


def test_a_dossier_cannot_be_submitted_with_a_required_paper_missing(sandbox_db, persona):
    code = citizen.start(sandbox_db, persona["id"], "khai_sinh")
    with pytest.raises(dossier_schema.DossierError) as refused:
        citizen.submit(sandbox_db, persona["id"], code)
    assert refused.value.key == "dossiers.error.missing_fields"


def test_submitting_fixes_the_fee_and_the_due_date(sandbox_db, persona, frozen):
    row = records.get(sandbox_db, filed(sandbox_db, persona, "thuong_tru"))
    # 24/11/2026: the 50% cut of Thông tư 64/2025/TT-BTC is in force (10,000 đ online before and after it)
    assert (row["status"], row["fee"], row["due_date"]) == ("submitted", 5000, "2026-12-03")
    # Nothing to pay before the desk asks (the portal's path, issue 13).
    assert (row["fee_unpaid"], row["amount_due"]) == (5000, 0)
    assert "dossier.submitted" in kinds(sandbox_db, persona["id"])


def test_the_citizen_can_pay_only_once_the_desk_has_asked(sandbox_db, persona):
    code = filed(sandbox_db, persona, "thuong_tru")
    with pytest.raises(payment_schema.PaymentError) as refused:
        payables.dossier_payable(sandbox_db, code, persona_id=persona["id"])
    assert refused.value.key == "payments.error.nothing_due"
    with pytest.raises(dossier_schema.DossierError) as early:
        desk.request_payment(sandbox_db, code)  # not received yet
    assert early.value.key == "dossiers.error.not_allowed"
    desk.receive(sandbox_db, code)
    row = desk.request_payment(sandbox_db, code)
    assert row["amount_due"] == 5000 and row["payment_requested_at"]  # the 2026 cut (Thông tư 64/2025/TT-BTC)
    assert records.messages(sandbox_db, code)[-1]["key"] == "dossiers.message.payment_requested"
    assert payables.dossier_payable(sandbox_db, code, persona_id=persona["id"]).amount == 5000
    with pytest.raises(dossier_schema.DossierError) as twice:
        desk.request_payment(sandbox_db, code)
    assert twice.value.key == "dossiers.error.payment_already_requested"


def test_a_free_dossier_has_no_payment_to_ask_for(sandbox_db, persona):
    code = filed(sandbox_db, persona)
    desk.receive(sandbox_db, code)
    with pytest.raises(dossier_schema.DossierError) as refused:
        desk.request_payment(sandbox_db, code)
    assert refused.value.key == "dossiers.error.nothing_to_pay"


def test_an_upload_that_is_not_a_picture_is_refused_with_a_reason(sandbox_db, persona):
    code = citizen.start(sandbox_db, persona["id"], "khai_sinh")
    with pytest.raises(dossier_schema.DossierError) as refused:
        citizen.attach(sandbox_db, persona["id"], code, "giay_chung_sinh", upload=b"%PDF-1.4 not a picture")
    assert refused.value.key == "dossiers.error.not_an_image"
    assert "dossier.document_rejected" in kinds(sandbox_db, persona["id"])
    picture = documents.sample_picture("giay_chung_sinh", "ok", persona)
    citizen.attach(sandbox_db, persona["id"], code, "giay_chung_sinh", upload=picture, filename="gcs.png")
    assert records.documents_of(sandbox_db, code)[0]["source"] == "upload"


def test_the_persona_has_a_clear_a_blurry_and_a_wrong_photo_of_each_paper(persona):
    clear, blurry, wrong = (documents.sample_picture("giay_chung_sinh", v, persona) for v in ("ok", "blurry", "wrong"))
    assert clear[:8] == b"\x89PNG\r\n\x1a\n"
    assert len({clear, blurry, wrong}) == 3
    assert sorted(documents.sample_variants(persona["id"], "giay_chung_sinh")) == ["blurry", "ok", "wrong"]


# --- the state machine -----------------------------------------------------------------------

def test_the_happy_path_through_every_desk_step(sandbox_db, persona):
    code = filed(sandbox_db, persona)
    assert desk.receive(sandbox_db, code)["status"] == "received"
    assert desk.process(sandbox_db, code)["status"] == "processing"
    assert desk.approve(sandbox_db, code)["status"] == "result_ready"
    assert papers.download_result(sandbox_db, persona["id"], code)[:5] == b"%PDF-"
    assert desk.return_result(sandbox_db, code)["status"] == "returned"
    citizen.rate(sandbox_db, persona["id"], code, 5)
    assert kinds(sandbox_db, persona["id"])[-7:] == [
        "dossier.received", "dossier.processing", "dossier.approved", "dossier.result_ready",
        "dossier.result_downloaded", "dossier.result_returned", "dossier.rated"]


def test_a_fee_due_waits_for_payment_then_the_result_is_ready(sandbox_db, persona, frozen):
    code = filed(sandbox_db, persona, "tam_tru")
    for action in (desk.receive, desk.process):
        action(sandbox_db, code)
    assert desk.approve(sandbox_db, code)["status"] == "awaiting_payment"
    assert records.amount_due(sandbox_db, code) == 3500  # 7,000 đ online, halved to 31/12/2026
    row = desk.record_payment(sandbox_db, code, payment_id="pay-1", channel="portal")
    assert (row["status"], row["amount_due"]) == ("result_ready", 0)
    assert desk.record_payment(sandbox_db, code, payment_id="pay-1")["paid_at"]  # the same payment again: fine
    with pytest.raises(dossier_schema.DossierError) as refused:
        desk.record_payment(sandbox_db, code, payment_id="pay-2")
    assert refused.value.key == "dossiers.error.already_paid"


def test_paying_before_approval_lets_approval_go_straight_to_the_result(sandbox_db, persona):
    code = filed(sandbox_db, persona, "tam_tru")
    desk.record_payment(sandbox_db, code, payment_id="early", channel="portal")
    for action in (desk.receive, desk.process):
        action(sandbox_db, code)
    assert desk.approve(sandbox_db, code)["status"] == "result_ready"


def test_nothing_to_pay_on_a_free_dossier(sandbox_db, persona):
    code = filed(sandbox_db, persona)
    assert records.amount_due(sandbox_db, code) == 0
    with pytest.raises(dossier_schema.DossierError) as refused:
        desk.record_payment(sandbox_db, code, payment_id="x")
    assert refused.value.key == "dossiers.error.nothing_to_pay"


@pytest.mark.parametrize("action, args", [
    ("process", ()), ("approve", ()), ("return_result", ()),
])
def test_a_step_out_of_order_is_refused_and_recorded(sandbox_db, persona, action, args):
    code = filed(sandbox_db, persona)
    with pytest.raises(dossier_schema.DossierError) as refused:
        getattr(desk, action)(sandbox_db, code, *args)
    assert refused.value.key == "dossiers.error.not_allowed"
    assert records.get(sandbox_db, code)["status"] == "submitted"
    last = events.for_persona(sandbox_db, persona["id"])[-1]
    assert (last["kind"], last["payload"]["action"]) == ("dossier.action_refused", action)


def test_only_the_desk_may_take_desk_actions(sandbox_db, persona):
    code = filed(sandbox_db, persona)
    with pytest.raises(dossier_schema.DossierError) as refused:
        desk.receive(sandbox_db, code, actor="persona")
    assert refused.value.key == "dossiers.error.desk_only"
    assert desk.receive(sandbox_db, code, actor="trainer")["status"] == "received"


def test_refusing_needs_a_reason_and_ends_the_dossier(sandbox_db, persona):
    code = filed(sandbox_db, persona)
    with pytest.raises(dossier_schema.DossierError) as refused:
        desk.refuse(sandbox_db, code, "  ")
    assert refused.value.key == "dossiers.error.reason_required"
    row = desk.refuse(sandbox_db, code, "Không thuộc thẩm quyền của xã")
    assert (row["status"], row["refuse_reason"]) == ("refused", "Không thuộc thẩm quyền của xã")
    with pytest.raises(dossier_schema.DossierError):
        desk.receive(sandbox_db, code)
    citizen.rate(sandbox_db, persona["id"], code, 2)


def test_a_supplement_needs_a_new_attachment_and_restarts_the_clock(sandbox_db, persona, frozen):
    code = filed(sandbox_db, persona, "thuong_tru", variants={"giay_to_nha": "wrong"})
    desk.receive(sandbox_db, code)
    desk.process(sandbox_db, code)
    with pytest.raises(dossier_schema.DossierError) as refused:
        desk.request_supplement(sandbox_db, code, "")
    assert refused.value.key == "dossiers.error.note_required"
    desk.request_supplement(sandbox_db, code, "Bổ sung giấy tờ chỗ ở hợp pháp")
    with pytest.raises(dossier_schema.DossierError) as refused:
        citizen.supplement(sandbox_db, persona["id"], code)
    assert refused.value.key == "dossiers.error.nothing_supplemented"
    clock.advance(sandbox_db, dt.timedelta(days=2))  # Thursday
    citizen.attach(sandbox_db, persona["id"], code, "giay_to_nha", variant="ok")
    row = citizen.supplement(sandbox_db, persona["id"], code)
    assert (row["status"], row["due_date"]) == ("processing", "2026-12-07")  # 7 working days from Thursday
    assert [m["key"] for m in records.messages(sandbox_db, code)][-2:] == [
        "dossiers.message.supplement_requested", "dossiers.message.supplemented"]


def test_rating_is_once_and_between_one_and_five(sandbox_db, persona):
    code = filed(sandbox_db, persona)
    with pytest.raises(dossier_schema.DossierError):
        citizen.rate(sandbox_db, persona["id"], code, 5)  # not finished yet
    desk.refuse(sandbox_db, code, "Sai thủ tục")
    with pytest.raises(dossier_schema.DossierError) as refused:
        citizen.rate(sandbox_db, persona["id"], code, 6)
    assert refused.value.key == "dossiers.error.rating_range"
    citizen.rate(sandbox_db, persona["id"], code, 4)
    with pytest.raises(dossier_schema.DossierError) as refused:
        citizen.rate(sandbox_db, persona["id"], code, 5)
    assert refused.value.key == "dossiers.error.already_rated"


def test_no_result_to_download_before_approval(sandbox_db, persona):
    code = filed(sandbox_db, persona)
    with pytest.raises(dossier_schema.DossierError) as refused:
        papers.download_result(sandbox_db, persona["id"], code)
    assert refused.value.key == "dossiers.error.no_result_yet"


# --- overdue, the apology slip and the sandbox clock -------------------------------------------

def test_moving_the_clock_makes_an_open_dossier_overdue_once(sandbox_db, persona, frozen):
    code = filed(sandbox_db, persona, "tam_tru")  # due Friday 27/11
    desk.receive(sandbox_db, code)
    clock.advance(sandbox_db, dt.timedelta(days=3))  # Friday: due today, not late
    assert not records.get(sandbox_db, code)["is_overdue"]
    clock.advance(sandbox_db, dt.timedelta(days=3))  # Monday
    row = records.get(sandbox_db, code)
    assert (row["display_status"], row["needs_apology"]) == ("overdue", True)
    assert desk.mark_overdue(sandbox_db) == 1
    assert desk.mark_overdue(sandbox_db) == 0
    assert kinds(sandbox_db, persona["id"]).count("dossier.overdue") == 1


def test_the_apology_slip_sets_a_new_working_day_and_can_fall_due_again(sandbox_db, persona, frozen):
    code = filed(sandbox_db, persona, "tam_tru")
    with pytest.raises(dossier_schema.DossierError) as refused:
        desk.issue_apology(sandbox_db, code)
    assert refused.value.key == "dossiers.error.not_overdue"
    clock.advance(sandbox_db, dt.timedelta(days=6))  # Monday 30/11
    for bad in ("2026-11-30", "2026-12-05", "not a date"):  # today, a Saturday, nonsense
        with pytest.raises(dossier_schema.DossierError) as refused:
            desk.issue_apology(sandbox_db, code, bad)
        assert refused.value.key == "dossiers.error.new_date_invalid"
    row = desk.issue_apology(sandbox_db, code, "2026-12-02")
    assert (row["apology_due_date"], row["needs_apology"], row["is_overdue"]) == ("2026-12-02", False, True)
    assert papers.apology_slip(sandbox_db, code)[:5] == b"%PDF-"
    clock.advance(sandbox_db, dt.timedelta(days=3))
    assert records.get(sandbox_db, code)["needs_apology"]


def test_a_default_apology_date_is_the_processing_time_again(sandbox_db, persona, frozen):
    code = filed(sandbox_db, persona, "tam_tru")
    clock.advance(sandbox_db, dt.timedelta(days=6))
    assert desk.issue_apology(sandbox_db, code)["apology_due_date"] == "2026-12-03"


# --- privacy ---------------------------------------------------------------------------------

def test_one_persona_cannot_open_or_act_on_anothers_dossier(sandbox_db, persona):
    other = personas.create(sandbox_db, seed=12)
    code = filed(sandbox_db, other)
    with pytest.raises(dossier_schema.DossierError) as refused:
        records.get_own(sandbox_db, persona["id"], code)
    assert refused.value.key == "dossiers.error.not_found"
    with pytest.raises(dossier_schema.DossierError) as refused:
        citizen.attach(sandbox_db, persona["id"], code, "giay_chung_sinh")
    assert refused.value.key == "dossiers.error.not_found"
    assert records.for_persona(sandbox_db, persona["id"]) == []


def test_codes_are_unique_and_not_sequential(sandbox_db, persona):
    codes = {records.new_code(sandbox_db, clock.now(sandbox_db)) for _ in range(500)}
    assert len(codes) == 500


# --- the desk's list and the KPIs --------------------------------------------------------------

def test_the_desk_queue_pages_and_filters_in_sql(sandbox_db, persona):
    codes = [filed(sandbox_db, persona, "tam_tru") for _ in range(5)]
    desk.receive(sandbox_db, codes[0])
    rows, total = desk.desk_queue(sandbox_db, limit=2)
    assert (len(rows), total) == (2, 5)
    rows, total = desk.desk_queue(sandbox_db, status="received")
    assert [r["code"] for r in rows] == [codes[0]]
    rows, _ = desk.desk_queue(sandbox_db, code=codes[3][-8:].lower())
    assert [r["code"] for r in rows] == [codes[3]]
    assert desk.status_counts(sandbox_db)["submitted"] == 4


def test_kpis_on_a_known_set_of_dossiers(sandbox_db, persona, frozen):
    # 4 online (3 fully online, 1 partly), 1 typed in at the desk
    early = filed(sandbox_db, persona, "thuong_tru")     # a fee, paid online, resolved early
    on_time = filed(sandbox_db, persona, "khai_sinh")    # free, resolved on the due day
    late = filed(sandbox_db, persona, "tam_tru")         # a fee, paid in cash, resolved late
    filed(sandbox_db, persona, "chung_thuc_chu_ky")      # partly online, fee 10,000, unpaid, open
    desk.file_at_desk(sandbox_db, persona["id"], "tach_ho", digitised=False)
    desk.record_payment(sandbox_db, early, payment_id="p1", channel="portal")
    desk.record_payment(sandbox_db, late, payment_id="p2", channel="cash")
    for code in (early, on_time):
        for action in (desk.receive, desk.process, desk.approve, desk.return_result):
            action(sandbox_db, code)
    citizen.rate(sandbox_db, persona["id"], early, 5)
    citizen.rate(sandbox_db, persona["id"], on_time, 3)
    clock.advance(sandbox_db, dt.timedelta(days=6))
    for action in (desk.receive, desk.process, desk.approve):
        action(sandbox_db, late)

    k = kpis.kpis(sandbox_db)
    assert (k["total"], k["online"], k["online_full"], k["online_partial"]) == (5, 4, 3, 1)
    assert k["share_online"] == pytest.approx(0.8)
    assert (k["fee_bearing"], k["paid_online"]) == (4, 1)  # thuong_tru, tam_tru, chu_ky, tach_ho
    assert k["share_paid_online"] == pytest.approx(0.25)
    assert (k["resolved"], k["early"], k["on_time"], k["late"]) == (3, 1, 1, 1)
    assert k["share_digitised"] == pytest.approx(0.8)
    assert (k["rated"], k["rating_avg"], k["share_satisfied"]) == (2, 4.0, 0.5)
    assert k["overdue_open"] == 1  # chứng thực chữ ký, due the day it was filed


def test_kpis_on_an_empty_sandbox_are_blank_not_zero_division(sandbox_db):
    k = kpis.kpis(sandbox_db)
    assert k["total"] == 0 and k["share_online"] is None and k["rating_avg"] is None


def test_kpis_for_one_workshop_only(sandbox_db):
    a = personas.create(sandbox_db, seed=21, workshop_id="w1")
    b = personas.create(sandbox_db, seed=22, workshop_id="w2")
    filed(sandbox_db, a)
    filed(sandbox_db, b)
    filed(sandbox_db, b)
    assert kpis.kpis(sandbox_db, workshop_id="w2")["total"] == 2


def test_a_trainer_exercise_files_the_blurry_paper(sandbox_db, persona):
    row = samples.file_exercise(sandbox_db, persona["id"], "khai_sinh_giay_chung_sinh_mo")
    variants = {d["document"]: d["variant"] for d in records.documents_of(sandbox_db, row["code"])}
    assert variants["giay_chung_sinh"] == "blurry"
    with pytest.raises(dossier_schema.DossierError):
        samples.file_exercise(sandbox_db, persona["id"], "no_such_exercise")


# --- words ------------------------------------------------------------------------------------

def test_every_message_key_the_domain_can_raise_exists_in_both_languages():
    source = module_source("workbench.sandbox.dossiers")
    keys = set(re.findall(r'"(dossiers\.(?:error|message)\.[a-z_]+)"', source))
    keys |= {f"dossiers.error.{reason}" for reason in photos.REASONS}
    keys |= {f"dossiers.status.{s}" for s in dossier_schema.STATUSES + ["overdue", "draft"]}
    keys |= {f"dossiers.delivery.{d}" for d in dossier_schema.DELIVERY}
    keys |= {f"dossiers.actor.{a}" for a in ("persona", "desk", "trainer", "system")}
    assert len(keys) > 50
    for lang in ("vi", "en"):
        assert sorted(k for k in keys if not i18n.has(k, lang)) == []


def test_every_event_kind_recorded_is_declared():
    source = module_source("workbench.sandbox.dossiers")
    used = set(re.findall(r'"(dossier\.[a-z_]+)"', source))
    assert used <= set(dossier_schema.EVENT_KINDS)
    assert set(dossier_schema.EVENT_KINDS) <= set(databases.event_kinds())


def test_the_desk_finds_a_dossier_by_the_beginning_of_its_code_or_of_its_token(sandbox_db, persona):
    code = filed(sandbox_db, persona)
    filed(sandbox_db, persona)
    for typed in (code, code[:14].lower(), code[-8:], code[-8:-4].lower(), f" {code[-8:-5]} "):
        assert [r["code"] for r in desk.desk_queue(sandbox_db, code=typed)[0]] == [code], typed
    assert desk.desk_queue(sandbox_db, code="DVC-000000")[1] == 0


def test_the_overdue_list_shows_the_longest_overdue_first(sandbox_db, persona, frozen):
    older = filed(sandbox_db, persona, "tam_tru")  # due Friday 27/11
    clock.advance(sandbox_db, dt.timedelta(days=1))
    newer = filed(sandbox_db, persona, "tam_tru")  # due Monday 30/11
    done = filed(sandbox_db, persona, "khai_sinh")
    desk.refuse(sandbox_db, done, "Trùng hồ sơ")  # closed: never overdue
    clock.advance(sandbox_db, dt.timedelta(days=10))
    rows, total = desk.desk_queue(sandbox_db, overdue_only=True)
    assert ([r["code"] for r in rows], total) == ([older, newer], 2)
    assert desk.status_counts(sandbox_db)["overdue"] == 2


def test_the_kpi_fingerprint_changes_with_any_dossier_change_and_the_date(sandbox_db, persona, frozen):
    code = filed(sandbox_db, persona, "tam_tru")
    before = kpis.kpi_fingerprint(sandbox_db)
    assert kpis.kpi_fingerprint(sandbox_db) == before
    desk.receive(sandbox_db, code)
    after_receive = kpis.kpi_fingerprint(sandbox_db)
    assert after_receive != before
    clock.advance(sandbox_db, dt.timedelta(days=1))
    assert kpis.kpi_fingerprint(sandbox_db) != after_receive
