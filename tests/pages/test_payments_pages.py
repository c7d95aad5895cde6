"""The payment pages (issue 5) through AppTest: the gateway's steps, the QR landing page,
the desk's QR and the wallet. (The desk's live "Đã nhận tiền" refresh is a fragment: the
browser journey covers it.)"""


import pytest

from tests.pages.apptest import page
from workbench import clock, events, i18n
from workbench.sandbox import fees, personas, scenarios
from workbench.sandbox.dossiers import desk, records
from workbench.sandbox.payments import desk_qr, gateway, providers, scenario_settings, wallet

PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]


def text(app):
    parts = [m.value for m in app.markdown] + [e.value for e in app.error] + [i.value for i in app.info]
    parts += [h.value for h in app.html]  # panels, summaries, SMS: st.html since issue 14
    parts += [s.value for s in app.success] + [w.value for w in app.warning] + [c.value for c in app.caption]
    return "\n".join(str(p) for p in parts)


def desk_fee(db) -> int:
    """The desk fee of a permanent-residence dossier on the sandbox date (issue 13: dated rules)."""
    return fees.fee("thuong_tru", "desk", on=clock.now(db).date())[0]


def button(app, label):
    return next(b for b in app.button if b.label == label)


@pytest.fixture
def ready(sandbox_db):
    return scenarios.create(sandbox_db, "ready", seed=41)


@pytest.fixture
def awaiting(sandbox_db, ready):
    row = desk.file_at_desk(sandbox_db, ready["id"], "thuong_tru")
    desk.process(sandbox_db, row["code"])
    return desk.approve(sandbox_db, row["code"])


def test_the_gateway_asks_for_a_persona_then_for_the_portal_login(sandbox_db, ready):
    assert "chưa chọn nhân vật" in text(page("sandbox/payment.py"))
    assert "đăng nhập Cổng Dịch vụ công" in text(page("sandbox/payment.py", ready["id"]))


def test_the_gateway_lists_dossiers_awaiting_payment_when_opened_without_one(sandbox_db, ready, awaiting):
    app = page("sandbox/payment.py", ready["id"], logged_in=True)
    assert "Quản lý hồ sơ" in text(app)
    assert awaiting["code"] in text(app)


def test_a_dossier_fee_is_paid_step_by_step_through_the_gateway(sandbox_db, ready, awaiting):
    code = awaiting["code"]
    app = page("sandbox/payment.py", ready["id"], logged_in=True, query={"dossier": code})
    assert i18n.format_money(desk_fee(sandbox_db)) in text(app)
    button(app, "Tiếp tục").click().run()
    assert "Hãy chọn một ngân hàng hoặc ví điện tử" in text(app)  # nothing chosen: say what to do
    app.radio(key=f"provider_{code}").set_value("chim_en").run()
    button(app, "Tiếp tục").click().run()
    assert app.header[0].value == "Kiểm tra thông tin thanh toán"
    button(app, "Xác nhận thanh toán").click().run()
    assert "Ví Chim Én (mô phỏng)" in text(app)
    app.text_input(key="gateway_passcode").input("999999")
    app.button[-1].click()  # the form's submit
    app = app.run()
    assert "Mật khẩu không đúng. Bạn còn 2 lần thử." in text(app)
    app.text_input(key="gateway_passcode").input(PASSCODE)
    next(b for b in app.button if b.label == "Xác thực").click().run()
    assert "Giao dịch thành công" in text(app)
    assert records.get(sandbox_db, code)["status"] == "result_ready"
    assert app.get("download_button")  # the biên lai điện tử


def test_insufficient_balance_in_the_gateway_says_how_much_is_missing(sandbox_db, ready, awaiting):
    wallet.arm_scenario(sandbox_db, ready["id"], "insufficient_balance")
    code = awaiting["code"]
    app = page("sandbox/payment.py", ready["id"], logged_in=True, query={"dossier": code})
    app.radio(key=f"provider_{code}").set_value("chim_en").run()
    button(app, "Tiếp tục").click().run()
    button(app, "Xác nhận thanh toán").click().run()
    app.text_input(key="gateway_passcode").input(PASSCODE)
    button(app, "Xác thực").click().run()
    due = desk_fee(sandbox_db)
    assert (f"Số dư không đủ: ví có 5.000 đ, cần {i18n.format_money(due)}, "
            f"còn thiếu {i18n.format_money(due - 5_000)}") in text(app)
    assert records.get(sandbox_db, code)["status"] == "awaiting_payment"


def test_someone_elses_dossier_code_is_not_found(sandbox_db, ready, awaiting):
    stranger = scenarios.create(sandbox_db, "ready", seed=42)
    app = page("sandbox/payment.py", stranger["id"], logged_in=True, query={"dossier": awaiting["code"]})
    assert "Không tìm thấy hồ sơ" in text(app)


def test_a_scanned_qr_opens_with_payee_and_amount_and_pays_with_the_passcode(sandbox_db, ready):
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí chứng thực")
    app = page("sandbox/pay.py", ready["id"], query={"t": request["token"]})
    shown = text(app)
    assert "UBND xã Ea Lành" in shown and "15.000 đ" in shown and "Phí chứng thực" in shown
    app.text_input(key="pay_passcode").input(PASSCODE)
    button(app, "Thanh toán").click().run()
    assert "Giao dịch thành công" in text(app)
    assert desk_qr.request_status(sandbox_db, request["id"])["status"] == "paid"


def test_a_phone_without_a_persona_can_start_practising_from_the_qr(sandbox_db):
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí")
    app = page("sandbox/pay.py", query={"t": request["token"]})
    assert PASSCODE in text(app)
    button(app, "Tập với nhân vật mới").click().run()
    assert "15.000 đ" in text(app)
    assert len(personas.list_all(sandbox_db)) == 1


def test_an_otp_typed_as_a_payment_code_is_flagged(sandbox_db, ready):
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí")
    gateway.send_payment_otp(sandbox_db, ready["id"], desk_qr.request_payable(request), "lua_vang")
    code = gateway.latest_payment_otp_for_tests(sandbox_db, ready["id"])
    app = page("sandbox/pay.py", ready["id"])
    app.text_input(key="typed_code").input(code)
    button(app, "Tìm khoản thanh toán").click().run()
    assert "Dừng lại! Bạn vừa nhập mã OTP" in text(app)
    assert app.text_input(key="typed_code").value == code  # what was typed is kept
    assert events.for_persona(sandbox_db, ready["id"], kinds=["scam.otp_typed_wrong_place"])


def test_a_typed_payment_code_finds_the_desk_request(sandbox_db, ready):
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí chứng thực")
    app = page("sandbox/pay.py", ready["id"])
    app.text_input(key="typed_code").input("zzz")
    button(app, "Tìm khoản thanh toán").click().run()
    assert "Mã thanh toán gồm 6 ký tự" in text(app)
    app.text_input(key="typed_code").input(request["code"].lower())
    button(app, "Tìm khoản thanh toán").click().run()
    assert "15.000 đ" in text(app)


def test_the_wrong_payee_button_ends_the_scam_lesson_without_paying(sandbox_db, ready):
    real = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí")
    fake = desk_qr.issue_scam_qr(sandbox_db, real["id"])
    app = page("sandbox/pay.py", ready["id"], query={"t": fake["token"]})
    assert "ca nhan" in text(app)
    button(app, "Tên người nhận không đúng — dừng lại").click().run()
    assert "Bạn đã làm đúng!" in text(app)
    assert wallet.wallet_balance(sandbox_db, ready["id"]) == 200_000


def test_the_desk_makes_a_big_qr_with_the_typed_code(sandbox_db):
    app = page("sandbox/desk_qr.py")
    app.number_input(key="desk_amount_None").set_value(25_000)
    button(app, "Tạo mã QR").click().run()
    request = sandbox_db.execute("select code, amount from pay_requests").fetchone()
    assert request[1] == 25_000
    assert any(request[0][:3] in h.value for h in app.html)  # the typed code, drawn with st.html


def test_the_desk_refuses_an_empty_reference(sandbox_db):
    app = page("sandbox/desk_qr.py")
    app.text_input(key="desk_reference_None").input("  ")
    button(app, "Tạo mã QR").click().run()
    assert "Hãy nhập nội dung thu" in text(app)


def test_a_fresh_persona_makes_a_wallet_passcode_then_tops_up(sandbox_db):
    pid = personas.create(sandbox_db, seed=5)["id"]
    app = page("sandbox/wallet.py", pid)
    app.text_input(key="wallet_new").input("123456")
    app.text_input(key="wallet_again").input("123457")
    button(app, "Tạo mật khẩu").click().run()
    assert "quá dễ đoán" in text(app) and "không giống nhau" in text(app)  # both at once (issue 14)
    app.text_input(key="wallet_new").input("390271")
    app.text_input(key="wallet_again").input("390271")
    button(app, "Tạo mật khẩu").click().run()
    app.number_input(key="topup_amount").set_value(100_000)
    app.text_input(key="topup_passcode").input("390271")
    button(app, "Nạp tiền").click().run()
    assert "Đã nạp 100.000 đ" in text(app)
    assert wallet.wallet_balance(sandbox_db, pid) == 100_000


def test_linking_to_vneid_below_level_2_says_what_to_do(sandbox_db):
    low = scenarios.create(sandbox_db, "eid_level1", seed=43)
    app = page("sandbox/wallet.py", low["id"])
    button(app, "Liên kết ví với VNeID").click().run()
    assert "mức độ 2" in text(app)


def test_the_wallet_is_english_in_english(sandbox_db, ready):
    app = page("sandbox/wallet.py", ready["id"], lang="en")
    assert app.title[0].value == "E-wallet and bank"
    assert "Top up" in [tab.label for tab in app.tabs]


def test_a_bank_payment_in_the_gateway_shows_the_otp_sms_and_takes_the_code(sandbox_db, ready, awaiting):
    code = awaiting["code"]
    app = page("sandbox/payment.py", ready["id"], logged_in=True, query={"dossier": code})
    app.radio(key=f"provider_{code}").set_value("lua_vang").run()
    button(app, "Tiếp tục").click().run()
    button(app, "Xác nhận thanh toán").click().run()
    otp = gateway.latest_payment_otp_for_tests(sandbox_db, ready["id"])
    assert otp in text(app)  # the SMS on the simulated phone
    app.text_input(key="gateway_otp").input(otp)
    button(app, "Xác thực").click().run()
    assert "Giao dịch thành công" in text(app)
    assert wallet.bank_balance(sandbox_db, ready["id"]) == 2_000_000 - desk_fee(sandbox_db)


def test_a_camera_scan_without_a_persona_keeps_the_payment_through_choosing_one(sandbox_db, ready):
    """Issue 14: the camera opens a fresh tab; choosing a persona on the persona page comes
    back to the same payment instead of asking for the QR again."""
    request = desk_qr.issue_desk_qr(sandbox_db, 15_000, providers.fee_payee_id(), "Phí")
    landing = page("sandbox/pay.py", query={"t": request["token"]})
    assert "Bạn đang tập với nhân vật nào?" in [s.value for s in landing.header]
    waiting = landing.session_state["pay_waiting_token"]
    assert waiting == request["token"]
    chooser = page("sandbox/personas.py", state={"pay_waiting_token": waiting})
    assert "đang chờ" in text(chooser)
    chooser.selectbox(key="persona_pick").set_value(ready["id"])
    chooser.button(key="persona_choose").click().run()
    assert chooser.session_state["pay_return_target"] == {"t": request["token"], "p": ready["id"]}
    back = page("sandbox/pay.py", ready["id"], query=chooser.session_state["pay_return_target"])
    assert "15.000 đ" in text(back) and "Kiểm tra kỹ trước khi thanh toán" in "\n".join(
        s.value for s in back.header)


def test_a_general_qr_for_what_an_unpaid_dossier_owes_is_steered_to_that_dossier(sandbox_db, ready):
    """Issue 14: a general QR paid for a dossier's amount left the dossier unpaid, and the
    portal charged it again. The desk is asked first, and offered the dossier's own QR."""
    row = desk.file_at_desk(sandbox_db, ready["id"], "thuong_tru")  # "Đã tiếp nhận", not yet approved
    fee = records.get(sandbox_db, row["code"])["fee_unpaid"]
    app = page("sandbox/desk_qr.py")
    assert row["code"] in app.selectbox(key="desk_dossier").options[-1]  # chargeable before approval
    app.number_input(key="desk_amount_None").set_value(fee)
    button(app, "Tạo mã QR").click().run()
    assert "chưa nộp phí đúng" in text(app)
    assert sandbox_db.execute("select count(*) from pay_requests").fetchone()[0] == 0
    app.button(key=f"desk_for_{row['code']}").click().run()
    assert sandbox_db.execute("select dossier_code, amount from pay_requests").fetchall() == [(row["code"], fee)]
