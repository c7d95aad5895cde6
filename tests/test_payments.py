"""Paying fees without cash in the sandbox (issue 5): the gateway, the wallet, desk QR codes,
every documented failure scenario, and money that moves exactly once."""

import datetime as dt
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import clock, databases, events, passwords
from workbench.sandbox import fees, scenarios
from workbench.sandbox.dossiers import desk, records
from workbench.sandbox.payments import desk_qr, gateway, ledger, payables, providers, scenario_settings, wallet
from workbench.sandbox.payments import schema as payment_schema

PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]
START = scenario_settings.scenario_defaults()["scenario_wallet_balance"]


@pytest.fixture
def persona(sandbox_db):
    return scenarios.create(sandbox_db, "ready", seed=7)


def awaiting_payment(db, persona_id, procedure_id="thuong_tru"):
    row = desk.file_at_desk(db, persona_id, procedure_id)
    desk.process(db, row["code"])
    return desk.approve(db, row["code"])


def kinds(db, persona_id):
    return [e["kind"] for e in events.for_persona(db, persona_id)]


def desk_fee(db, procedure_id="thuong_tru"):
    """The desk fee on the sandbox date: the dated rule in force decides (issue 13)."""
    return fees.fee(procedure_id, "desk", on=clock.now(db).date())[0]


def reasons(db, persona_id):
    return [e["payload"].get("reason") for e in events.for_persona(db, persona_id, kinds=["payment.failed"])]


def pay_wallet(db, persona_id, payable, key=None, passcode=PASSCODE):
    return gateway.pay(db, persona_id, payable, provider_id="chim_en", passcode=passcode,
                       attempt_key=key or gateway.new_attempt_key())


# --- the portal gateway ---------------------------------------------------------------------

def test_paying_a_dossier_fee_moves_the_money_once_and_the_dossier_on(sandbox_db, persona):
    dossier = awaiting_payment(sandbox_db, persona["id"])
    due = desk_fee(sandbox_db)
    assert dossier["status"] == "awaiting_payment" and dossier["amount_due"] == due > 0
    payable = payables.dossier_payable(sandbox_db, dossier["code"], persona_id=persona["id"])
    gateway.start(sandbox_db, persona["id"], payable)
    gateway.choose_provider(sandbox_db, persona["id"], payable, "chim_en")

    payment = pay_wallet(sandbox_db, persona["id"], payable)

    assert payment["status"] == "succeeded" and payment["amount"] == due
    assert wallet.wallet_balance(sandbox_db, persona["id"]) == START - due
    after = records.get(sandbox_db, dossier["code"])
    assert after["status"] == "result_ready" and after["payment_id"] == payment["id"]
    assert {"payment.started", "payment.provider_chosen", "payment.authorised", "payment.succeeded",
            "dossier.paid"} <= set(kinds(sandbox_db, persona["id"]))
    assert ledger.ledger_problems(sandbox_db) == []


def test_a_double_click_returns_the_same_payment_and_a_second_attempt_is_refused(sandbox_db, persona):
    payable = payables.dossier_payable(sandbox_db, awaiting_payment(sandbox_db, persona["id"])["code"])
    key = gateway.new_attempt_key()
    first = pay_wallet(sandbox_db, persona["id"], payable, key)
    assert pay_wallet(sandbox_db, persona["id"], payable, key)["id"] == first["id"]
    with pytest.raises(payment_schema.PaymentError) as refused:
        pay_wallet(sandbox_db, persona["id"], payable)
    # A dossier says when and how it was paid (issue 14: "Hồ sơ … đã nộp phí lúc … qua …").
    assert (refused.value.key, refused.value.reason) == ("payments.error.dossier_paid_portal", "already_paid")
    assert wallet.wallet_balance(sandbox_db, persona["id"]) == START - desk_fee(sandbox_db)


def test_someone_elses_dossier_answers_not_found(sandbox_db, persona):
    other = scenarios.create(sandbox_db, "ready", seed=8)
    code = awaiting_payment(sandbox_db, other["id"])["code"]
    with pytest.raises(payment_schema.PaymentError) as missing:
        payables.dossier_payable(sandbox_db, code, persona_id=persona["id"])
    assert missing.value.key == "payments.error.no_dossier"


def test_a_bank_payment_is_authorised_with_the_otp_texted_to_the_simulated_phone(sandbox_db, persona):
    from workbench.sandbox import phone

    payable = payables.dossier_payable(sandbox_db, awaiting_payment(sandbox_db, persona["id"])["code"])
    gateway.send_payment_otp(sandbox_db, persona["id"], payable, "lua_vang")
    assert phone.inbox(sandbox_db, persona["id"])[0]["sender"] == "Lúa Vàng"
    with pytest.raises(payment_schema.PaymentError) as wrong:
        gateway.pay(sandbox_db, persona["id"], payable, provider_id="lua_vang", otp_code="000000",
                    attempt_key="a")
    assert wrong.value.key == "payments.error.wrong_otp" and wrong.value.params == {"left": 2}
    code = gateway.latest_payment_otp_for_tests(sandbox_db, persona["id"])
    payment = gateway.pay(sandbox_db, persona["id"], payable, provider_id="lua_vang", otp_code=code,
                          attempt_key="b")
    assert payment["account_id"] == ledger.bank_id(persona["id"])
    assert wallet.bank_balance(sandbox_db, persona["id"]) == 2_000_000 - desk_fee(sandbox_db)


def test_an_expired_payment_otp_is_refused(sandbox_db, persona):
    payable = payables.dossier_payable(sandbox_db, awaiting_payment(sandbox_db, persona["id"])["code"])
    gateway.send_payment_otp(sandbox_db, persona["id"], payable, "lua_vang")
    code = gateway.latest_payment_otp_for_tests(sandbox_db, persona["id"])
    clock.advance(sandbox_db, dt.timedelta(minutes=gateway.OTP_MINUTES + 1))
    with pytest.raises(payment_schema.PaymentError) as late:
        gateway.pay(sandbox_db, persona["id"], payable, provider_id="lua_vang", otp_code=code, attempt_key="a")
    assert late.value.key == "payments.error.otp_expired"


def test_a_provider_without_an_account_is_refused_by_name(sandbox_db, persona):
    payable = payables.dossier_payable(sandbox_db, awaiting_payment(sandbox_db, persona["id"])["code"])
    with pytest.raises(payment_schema.PaymentError) as refused:
        gateway.choose_provider(sandbox_db, persona["id"], payable, "hoa_ban")
    assert refused.value.key == "payments.error.no_account"
    assert refused.value.params["provider"] == "Ngân hàng Hoa Ban (mô phỏng)"


# --- the failure scenarios of sandbox_data/payment_scenarios.toml -------------------------

def test_insufficient_balance_moves_nothing_then_a_top_up_lets_the_payment_through(sandbox_db, persona):
    pid = persona["id"]
    payable = payables.dossier_payable(sandbox_db, awaiting_payment(sandbox_db, pid)["code"])
    wallet.arm_scenario(sandbox_db, pid, "insufficient_balance")
    assert wallet.wallet_balance(sandbox_db, pid) == 5_000
    with pytest.raises(payment_schema.PaymentError) as short:
        pay_wallet(sandbox_db, pid, payable)
    assert short.value.key == "payments.error.insufficient_balance"
    due = desk_fee(sandbox_db)  # 10,000 đ during the 50% cut, 20,000 đ before and after
    assert short.value.params == {"balance": 5_000, "amount": due, "missing": due - 5_000}
    assert wallet.wallet_balance(sandbox_db, pid) == 5_000
    assert wallet.top_up(sandbox_db, pid, 50_000, PASSCODE) == 55_000
    pay_wallet(sandbox_db, pid, payable)
    assert wallet.wallet_balance(sandbox_db, pid) == 55_000 - due
    assert "insufficient_balance" in reasons(sandbox_db, pid)


def test_three_wrong_passcodes_lock_the_wallet_until_the_trainer_unlocks_it(sandbox_db, persona):
    pid = persona["id"]
    payable = payables.dossier_payable(sandbox_db, awaiting_payment(sandbox_db, pid)["code"])
    seen = []
    for _ in range(3):
        with pytest.raises(payment_schema.PaymentError) as wrong:
            pay_wallet(sandbox_db, pid, payable, passcode="999999")
        seen.append((wrong.value.key, wrong.value.params))
    assert seen == [("payments.error.wrong_passcode", {"left": 2}), ("payments.error.wrong_passcode", {"left": 1}),
                    ("payments.error.locked", {"minutes": 30})]
    with pytest.raises(payment_schema.PaymentError) as locked:  # even the right passcode, while locked
        pay_wallet(sandbox_db, pid, payable)
    assert locked.value.key == "payments.error.locked"
    wallet.unlock(sandbox_db, pid)
    assert pay_wallet(sandbox_db, pid, payable)["status"] == "succeeded"


def test_the_lock_ends_when_the_sandbox_clock_moves_on(sandbox_db, persona):
    pid = persona["id"]
    for _ in range(3):
        with pytest.raises(payment_schema.PaymentError):
            wallet.verify_passcode(sandbox_db, pid, "999999")
    assert wallet.is_locked(sandbox_db, pid)
    clock.advance(sandbox_db, dt.timedelta(minutes=31))
    wallet.verify_passcode(sandbox_db, pid, PASSCODE)


def test_an_expired_desk_qr_is_refused_and_nothing_moves(sandbox_db, persona):
    request = desk_qr.issue_desk_qr(sandbox_db, 10_000, providers.fee_payee_id(), "Phí chứng thực", minutes=1)
    clock.advance(sandbox_db, dt.timedelta(minutes=2))
    with pytest.raises(payment_schema.PaymentError) as expired:
        desk_qr.scan(sandbox_db, persona["id"], token=request["token"])
    assert expired.value.key == "payments.error.expired"
    with pytest.raises(payment_schema.PaymentError):
        pay_wallet(sandbox_db, persona["id"], desk_qr.request_payable(request))
    assert wallet.wallet_balance(sandbox_db, persona["id"]) == START
    assert desk_qr.request_status(sandbox_db, request["id"])["expired"] is True


def test_a_paid_desk_qr_scanned_again_says_already_paid(sandbox_db, persona):
    request = desk_qr.issue_desk_qr(sandbox_db, 10_000, providers.fee_payee_id(), "Phí chứng thực")
    found = desk_qr.scan(sandbox_db, persona["id"], token=request["token"])
    pay_wallet(sandbox_db, persona["id"], desk_qr.request_payable(found))
    status = desk_qr.request_status(sandbox_db, request["id"])
    assert status["status"] == "paid" and status["payer"] == persona["display_name"]
    with pytest.raises(payment_schema.PaymentError) as again:
        desk_qr.scan(sandbox_db, persona["id"], code=request["code"])
    assert again.value.key == "payments.error.already_paid"
    assert "qr.paid" in kinds(sandbox_db, persona["id"])


def test_a_scammers_qr_names_another_payee_and_authorising_it_moves_nothing(sandbox_db, persona):
    real = desk_qr.issue_desk_qr(sandbox_db, 10_000, providers.fee_payee_id(), "Phí chứng thực")
    fake = desk_qr.issue_scam_qr(sandbox_db, real["id"])
    found = desk_qr.scan(sandbox_db, persona["id"], token=fake["token"])
    assert providers.payee(found["payee_id"])["name"] != providers.payee(real["payee_id"])["name"]
    assert found["amount"] > real["amount"]
    with pytest.raises(payment_schema.PaymentError) as stopped:
        pay_wallet(sandbox_db, persona["id"], desk_qr.request_payable(found))
    assert stopped.value.key == "payments.error.payee_mismatch"
    assert wallet.wallet_balance(sandbox_db, persona["id"]) == START
    desk_qr.refuse_wrong_payee(sandbox_db, persona["id"], found["id"])
    assert "scam.reported" in kinds(sandbox_db, persona["id"])


def test_a_network_timeout_leaves_one_pending_payment_that_resolves_without_paying_twice(sandbox_db, persona):
    pid = persona["id"]
    payable = payables.dossier_payable(sandbox_db, awaiting_payment(sandbox_db, pid)["code"])
    wallet.arm_scenario(sandbox_db, pid, "timeout")
    with pytest.raises(payment_schema.PaymentPending) as pending:
        pay_wallet(sandbox_db, pid, payable, key="first")
    assert payables.get_payment(sandbox_db, pending.value.payment_id)["status"] == "pending"
    retried = pay_wallet(sandbox_db, pid, payable, key="a-new-tab")  # paying again resolves the same one
    assert retried["id"] == pending.value.payment_id and retried["status"] == "succeeded"
    assert gateway.check_pending(sandbox_db, retried["id"], payable)["status"] == "succeeded"
    assert wallet.wallet_balance(sandbox_db, pid) == START - desk_fee(sandbox_db)
    assert records.get(sandbox_db, payable.dossier_code)["status"] == "result_ready"


def test_every_documented_scenario_has_what_the_learner_sees_in_both_languages():
    for item in scenario_settings.scenarios_file()["scenarios"]:
        assert item["reason"] in payment_schema.FAILURE_REASONS, item["id"]
        for field in ("title", "trigger", "learner_sees"):
            assert item[f"{field}_vi"].strip() and item[f"{field}_en"].strip(), (item["id"], field)


# --- the wallet ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["12345", "1234567", "12a456", "\u0661\u0662\u0663\u0664\u0665\u0666", "123 456", ""])
def test_one_passcode_rule_refuses_what_is_not_six_ascii_digits(typed):
    """The wallet, VNeID and the pages all ask ``passwords.is_passcode`` (issue 12)."""
    assert not passwords.is_passcode(typed)
    with pytest.raises(payment_schema.PaymentError) as refused:
        wallet.validate_passcode(typed)
    assert refused.value.key == "wallet.error.passcode_format"
    assert passwords.is_passcode("390271")


def test_a_fresh_persona_sets_a_passcode_weak_ones_are_refused(sandbox_db):
    from workbench.sandbox import personas

    pid = personas.create(sandbox_db, seed=3)["id"]
    assert not wallet.has_passcode(sandbox_db, pid)
    for bad, key in [("12345", "wallet.error.passcode_format"), ("123456", "wallet.error.passcode_weak"),
                     ("111111", "wallet.error.passcode_weak")]:
        with pytest.raises(payment_schema.PaymentError) as refused:
            wallet.set_passcode(sandbox_db, pid, bad, bad)
        assert refused.value.key == key
    with pytest.raises(payment_schema.PaymentError) as mismatch:
        wallet.set_passcode(sandbox_db, pid, "390271", "390272")
    assert mismatch.value.key == "wallet.error.passcode_mismatch"
    with pytest.raises(payment_schema.PaymentError) as both:  # every problem at once (issue 14)
        wallet.set_passcode(sandbox_db, pid, "111111", "111112")
    assert [key for key, _ in both.value.problems] == ["wallet.error.passcode_weak", "wallet.error.passcode_mismatch"]
    wallet.set_passcode(sandbox_db, pid, "390271", "390271")
    wallet.verify_passcode(sandbox_db, pid, "390271")


def test_a_benefit_needs_a_vneid_link_and_linking_needs_level_2(sandbox_db, persona):
    low = scenarios.create(sandbox_db, "eid_level1", seed=11)
    with pytest.raises(payment_schema.PaymentError) as refused:
        wallet.link_vneid(sandbox_db, low["id"])
    assert refused.value.key == "wallet.error.needs_level2"
    with pytest.raises(payment_schema.PaymentError) as not_linked:
        wallet.receive_benefit(sandbox_db, persona["id"])
    assert not_linked.value.key == "wallet.error.not_linked"
    wallet.link_vneid(sandbox_db, persona["id"])
    assert wallet.receive_benefit(sandbox_db, persona["id"]) == START + wallet.BENEFIT_AMOUNT
    assert "wallet.benefit_received" in kinds(sandbox_db, persona["id"])


def test_a_top_up_larger_than_the_bank_account_is_refused_with_what_it_holds(sandbox_db, persona):
    with pytest.raises(payment_schema.PaymentError) as refused:
        wallet.top_up(sandbox_db, persona["id"], 5_000_000, PASSCODE)
    assert refused.value.key == "wallet.error.bank_insufficient"
    assert refused.value.params["balance"] == 2_000_000


def test_money_is_integer_dong(sandbox_db, persona):
    for amount in (10.5, "1000", True, 0, -5):
        with pytest.raises(payment_schema.PaymentError):
            wallet.top_up(sandbox_db, persona["id"], amount, PASSCODE)


# --- paid once, even under concurrency -------------------------------------------------------

def test_concurrent_attempts_on_one_desk_qr_move_the_money_once(sandbox_db, data_dir, persona):
    pid = persona["id"]
    wallet.ensure_accounts(sandbox_db, pid)
    request = desk_qr.issue_desk_qr(sandbox_db, 10_000, providers.fee_payee_id(), "Phí chứng thực")
    payable = desk_qr.request_payable(request)
    results, barrier = [], threading.Barrier(6, timeout=60)

    def attempt(n):
        db = databases.sandbox()  # each thread its own connection, like each browser tab's session
        barrier.wait()
        try:
            results.append(gateway.pay(db, pid, payable, provider_id="chim_en", passcode=PASSCODE,
                                       attempt_key=f"tab-{n % 3}")["id"])
        except payment_schema.PaymentError as error:
            results.append(error.key)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    paid = [r for r in results if r.startswith("GD-")]
    assert len(set(paid)) == 1
    assert set(results) - set(paid) <= {"payments.error.already_paid"}
    assert wallet.wallet_balance(sandbox_db, pid) == START - 10_000
    assert sandbox_db.execute("select count(*) from payments where payable_ref = ?", [payable.ref]).fetchone()[0] == 1
    assert ledger.ledger_problems(sandbox_db) == []


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["topup", "qr", "benefit", "low", "transfer"]), st.integers(0, 1),
              st.integers(1, 3_000_000)),
    min_size=1, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPERATIONS)
def test_the_ledger_sums_to_every_balance_and_no_balance_goes_negative(sandbox_db, operations):
    people = [row[0] for row in sandbox_db.execute("select id from personas order by created_at limit 2").fetchall()]
    while len(people) < 2:
        people.append(scenarios.create(sandbox_db, "ready")["id"])
        wallet.link_vneid(sandbox_db, people[-1])
    for op, who, amount in operations:
        pid = people[who]
        try:
            if op == "topup":
                wallet.top_up(sandbox_db, pid, amount, PASSCODE)
            elif op == "qr":
                request = desk_qr.issue_desk_qr(sandbox_db, amount, providers.fee_payee_id(), "Phí")
                pay_wallet(sandbox_db, pid, desk_qr.request_payable(request))
            elif op == "benefit":
                wallet.receive_benefit(sandbox_db, pid, amount=amount)
            elif op == "low":
                wallet.arm_scenario(sandbox_db, pid, "insufficient_balance")
            else:
                ledger.transfer(sandbox_db, "adjustment", ledger.wallet_id(pid),
                                ledger.wallet_id(people[1 - who]), amount)
        except payment_schema.PaymentError as error:
            assert error.reason == "insufficient_balance" or error.key == "wallet.error.bank_insufficient"
        assert ledger.ledger_problems(sandbox_db) == []
        negative = sandbox_db.execute(
            "select count(*) from pay_accounts where balance < 0 and allow_negative = 0").fetchone()[0]
        assert negative == 0
