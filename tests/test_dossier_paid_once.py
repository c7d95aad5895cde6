"""Money for a dossier moves once, whatever the route (issue 14, "A dossier can be charged
twice"): every ordered pair of the routes that can pay a dossier's fee, the second refused
with "Hồ sơ này đã nộp phí lúc … qua …" and the balance moved once; the desk can charge an
unpaid dossier in any state; a general QR for an unpaid dossier's amount is steered to it."""

import itertools

import pytest

from workbench import i18n, qr
from workbench.sandbox import scenarios
from workbench.sandbox.dossiers import desk, records, samples
from workbench.sandbox.dossiers.schema import DossierError
from workbench.sandbox.payments import desk_qr, gateway, ledger, payables, providers, scenario_settings, wallet
from workbench.sandbox.payments.schema import PaymentError

PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]


def online_dossier_asked_to_pay(db, persona_id) -> str:
    """An online dossier, received ("Đã tiếp nhận"), its fee asked for: every route can pay it."""
    code = samples.file_sample(db, persona_id, "thuong_tru")["code"]
    desk.receive(db, code)
    desk.request_payment(db, code)
    return code


def portal_wallet(db, persona_id, code):
    payable = payables.dossier_payable(db, code, persona_id=persona_id)
    gateway.pay(db, persona_id, payable, provider_id="chim_en", passcode=PASSCODE,
                attempt_key=gateway.new_attempt_key())


def portal_bank_otp(db, persona_id, code):
    payable = payables.dossier_payable(db, code, persona_id=persona_id)
    gateway.send_payment_otp(db, persona_id, payable, "lua_vang")
    gateway.pay(db, persona_id, payable, provider_id="lua_vang", attempt_key=gateway.new_attempt_key(),
                otp_code=gateway.latest_payment_otp_for_tests(db, persona_id))


def _pay_desk_qr(db, persona_id, request):
    gateway.pay(db, persona_id, desk_qr.request_payable(request), provider_id="chim_en", passcode=PASSCODE,
                attempt_key=gateway.new_attempt_key())


def _desk_qr_for(db, code):
    return desk_qr.issue_desk_qr(db, records.get(db, code)["fee_unpaid"] or 1000, providers.fee_payee_id(), code,
                                 dossier_code=code)


def desk_qr_camera_link(db, persona_id, code):
    request = _desk_qr_for(db, code)
    _pay_desk_qr(db, persona_id, desk_qr.scan(db, persona_id, token=request["token"]))


def desk_qr_typed_code(db, persona_id, code):
    request = _desk_qr_for(db, code)
    _pay_desk_qr(db, persona_id, desk_qr.scan(db, persona_id, code=request["code"]))


def wallet_photo_scan(db, persona_id, code):
    request = _desk_qr_for(db, code)
    photo = qr.png(desk_qr.qr_payload(request), box_size=8)
    _pay_desk_qr(db, persona_id, desk_qr.scan_photo(db, persona_id, photo))


def desk_cash(db, persona_id, code):
    desk.record_payment(db, code, payment_id="TIEN-MAT-1", channel="cash", actor="desk")


ROUTES = {
    "portal_wallet": portal_wallet,            # Quản lý hồ sơ → Thanh toán → a wallet's passcode
    "portal_bank_otp": portal_bank_otp,        # the same gateway, a bank that texts an OTP
    "desk_qr_camera_link": desk_qr_camera_link,  # the desk's QR opened by the phone's camera
    "desk_qr_typed_code": desk_qr_typed_code,  # the desk's 6-character code typed on /pay
    "wallet_photo_scan": wallet_photo_scan,    # the wallet's own "Quét mã QR" from a photo
    "desk_cash": desk_cash,                    # cash recorded by the desk (the domain's channel)
}


def money_of(db, persona_id) -> int:
    return ledger.balance(db, ledger.wallet_id(persona_id)) + ledger.balance(db, ledger.bank_id(persona_id))


@pytest.fixture(params=[False, True], ids=["typed-code-qr", "lan-link-qr"])
def lan(request, monkeypatch):
    """A desk QR holds the LAN link when the laptop has a network, the typed code when not."""
    if request.param:
        monkeypatch.setattr("workbench.network.public_url", lambda path="", port=None: f"http://192.168.1.10:8630/{path}")
    return request.param


@pytest.mark.parametrize("first, second", list(itertools.permutations(ROUTES, 2)))
def test_a_dossier_paid_by_one_route_is_refused_by_every_other_and_money_moves_once(sandbox_db, first, second, lan):
    db = sandbox_db
    persona_id = scenarios.create(db, "ready", seed=14)["id"]
    code = online_dossier_asked_to_pay(db, persona_id)
    fee = records.get(db, code)["fee_unpaid"]
    assert fee > 0
    wallet.ensure_accounts(db, persona_id)
    payee = ledger.payee_account(db, providers.fee_payee_id())
    before, payee_before = money_of(db, persona_id), ledger.balance(db, payee)

    ROUTES[first](db, persona_id, code)
    paid = records.get(db, code)
    assert paid["paid_at"], first
    moved = 0 if first == "desk_cash" else fee
    assert money_of(db, persona_id) == before - moved
    assert ledger.balance(db, payee) == payee_before + moved

    with pytest.raises((PaymentError, DossierError)) as refused:
        ROUTES[second](db, persona_id, code)
    if isinstance(refused.value, PaymentError):
        channel = paid["paid_channel"]
        assert refused.value.key == f"payments.error.dossier_paid_{channel}"
        text = i18n.t(refused.value.key, "vi", **refused.value.params)
        assert text.startswith(f"Hồ sơ {code} đã nộp phí lúc ") and " qua " in text or "bằng tiền mặt" in text
    else:  # the desk's cash book refuses a second payment itself
        assert refused.value.key == "dossiers.error.already_paid"
    assert money_of(db, persona_id) == before - moved
    assert ledger.balance(db, payee) == payee_before + moved
    assert records.get(db, code)["payment_id"] == paid["payment_id"]
    assert ledger.ledger_problems(db) == []


def test_the_database_itself_holds_one_payment_per_dossier(sandbox_db):
    """The last line of defence: even code that skipped the checks cannot store a second one."""
    db = sandbox_db
    persona_id = scenarios.create(db, "ready", seed=15)["id"]
    code = online_dossier_asked_to_pay(db, persona_id)
    portal_wallet(db, persona_id, code)
    first = db.execute("select * from payments where dossier_code = ?", [code]).fetchone()
    cursor = db.execute("select * from payments limit 0")
    row = dict(zip([c[0] for c in cursor.description], first))
    row.update(id="GD-OTHER", payable_ref="qr:QR-OTHER", idempotency_key="other", txn_id=None)
    with pytest.raises(Exception, match="UNIQUE"):
        db["payments"].insert(row)


def test_the_desk_can_charge_an_online_dossier_that_is_new_or_received(sandbox_db):
    db = sandbox_db
    persona_id = scenarios.create(db, "ready", seed=16)["id"]
    new = samples.file_sample(db, persona_id, "thuong_tru")["code"]            # "Mới"
    received = samples.file_sample(db, persona_id, "thuong_tru")["code"]
    desk.receive(db, received)                                                  # "Đã tiếp nhận"
    chargeable = {row["code"]: row for row in desk_qr.unpaid_dossiers(db)}
    assert {new, received} <= set(chargeable)
    assert chargeable[new]["full_name"]
    request = desk_qr.issue_desk_qr(db, 1, providers.fee_payee_id(), new, dossier_code=new)
    assert request["amount"] == records.get(db, new)["fee_unpaid"]  # the dossier's fee, not what was typed
    _pay_desk_qr(db, persona_id, desk_qr.scan(db, persona_id, token=request["token"]))
    assert records.get(db, new)["paid_channel"] == "desk_qr"
    assert new not in {row["code"] for row in desk_qr.unpaid_dossiers(db)}
    with pytest.raises(PaymentError) as refused:
        desk_qr.issue_desk_qr(db, 1000, providers.fee_payee_id(), new, dossier_code=new)
    assert refused.value.key == "payments.error.dossier_paid_desk_qr"


def test_a_general_qr_naming_a_dossier_is_that_dossiers_qr_and_its_amount_is_flagged(sandbox_db):
    db = sandbox_db
    persona_id = scenarios.create(db, "ready", seed=17)["id"]
    code = online_dossier_asked_to_pay(db, persona_id)
    fee = records.get(db, code)["fee_unpaid"]
    assert [row["code"] for row in desk_qr.unpaid_dossiers_for_amount(db, fee)] == [code]
    assert desk_qr.unpaid_dossiers_for_amount(db, fee + 1000) == []
    typed = desk_qr.issue_desk_qr(db, fee + 5000, providers.fee_payee_id(), code.lower())
    assert typed["dossier_code"] == code and typed["amount"] == fee


def test_a_desk_qr_for_a_dossier_paid_meanwhile_is_refused_when_scanned(sandbox_db):
    db = sandbox_db
    persona_id = scenarios.create(db, "ready", seed=18)["id"]
    code = online_dossier_asked_to_pay(db, persona_id)
    request = _desk_qr_for(db, code)
    portal_wallet(db, persona_id, code)
    with pytest.raises(PaymentError) as refused:
        desk_qr.scan(db, persona_id, token=request["token"])
    assert refused.value.key == "payments.error.dossier_paid_portal"
