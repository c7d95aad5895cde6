"""Where a scanned desk QR lands (issue 5): ``/pay?t=<token>`` opens the sandbox wallet with
payee and amount filled in; the learner checks the payee, then authorises with the wallet
passcode. Without a token (a phone that cannot scan), the typed payment code is the way in.
A live OTP typed into the code box is flagged as a scam lesson (``workbench.sandbox.scams``).
"""

import streamlit as st

from pages._ui import glossary
from pages._ui import pay as ui, pay_return, secrets
from pages._ui.frame import current_lang, page_link, page_setup, sandbox_db, t
from pages._ui.persona import current_persona, set_persona
from workbench import passwords
from workbench.sandbox import persona_secrets, scams
from workbench.sandbox.payments import desk_qr, gateway, ledger, payables, providers, receipts, wallet
from workbench.sandbox.payments import schema as payment_schema

page_setup(sandbox=True)
ui.style()
st.title(t("payments.pay.title"))
glossary.explain("payee", "passcode")
db = sandbox_db()
token = (st.query_params.get("t") or "").strip()

persona = current_persona(db)
if persona is None:
    # A camera opens the QR in a fresh tab that knows no persona (issue 14): the payment waits
    # here and on the persona page, which comes back to it once a persona is chosen.
    if token:
        st.session_state[pay_return.WAITING] = token
    st.header(t("payments.pay.who_title"))
    st.write(t("payments.pay.who_body", passcode=persona_secrets.documented()["wallet_passcode"]))
    if token:
        st.info(t("payments.pay.kept"), icon=":material/qr_code_2:")
    if st.button(t("payments.pay.new_persona"), type="primary", width="stretch", key="new_persona"):
        set_persona(wallet.new_practice_persona(db)["id"])
        st.session_state.pop(pay_return.WAITING, None)
        st.rerun()
    page_link("pages/sandbox/personas.py", label=t("payments.pay.choose_mine"), icon=":material/group:",
              query_params={"t": token} if token else None)
    st.stop()
pid = persona["id"]
st.session_state.pop(pay_return.WAITING, None)

state = st.session_state.setdefault("qrpay", {})
if state.get("token") != token:  # a new scan starts afresh
    state.clear()
    state.update(token=token, request_id=None, attempt=gateway.new_attempt_key(), payment_id=None, refused=False)
    if token:
        try:
            state["request_id"] = desk_qr.scan(db, pid, token=token)["id"]
        except payment_schema.PaymentError as error:
            state["scan_error"] = error

if state.get("scan_error"):
    ui.show_error(state["scan_error"])

request = desk_qr.get_request(db, state["request_id"]) if state.get("request_id") else None

if request is None:
    st.caption(t("payments.pay.intro"))
    st.header(t("payments.pay.code_title"))
    with st.form("typed_code"):
        typed = st.text_input(t("payments.pay.code_label"), max_chars=12, key="typed_code")
        find = st.form_submit_button(t("payments.pay.code_submit"), type="primary", width="stretch")
    if find:
        if not (typed or "").strip():
            st.error(t("payments.pay.code_empty"), icon=":material/error:")
        elif scams.flag_otp(db, pid, typed, where="pay_code"):
            st.error(t("payments.pay.otp_flag"), icon=":material/gpp_maybe:")
        else:
            try:
                found = desk_qr.scan(db, pid, code=typed)
            except payment_schema.PaymentError as error:
                ui.show_error(error)
            else:
                state.update(request_id=found["id"], attempt=gateway.new_attempt_key(), payment_id=None,
                             refused=False, scan_error=None)
                st.rerun()
    st.stop()

payable = desk_qr.request_payable(request)
wallet_provider = providers.provider(ledger.account(db, ledger.wallet_id(pid))["provider_id"])

if state.get("payment_id"):
    payment = payables.get_payment(db, state["payment_id"])
    ui.panel(t("payments.gateway.success_title"), t("payments.pay.success_body", payment_id=payment["id"]))
    ui.summary(receipts.receipt_rows(db, payment["id"], current_lang()), big=t("payments.receipt.amount"))
    ui.receipt_button(db, payment["id"], key="pay_receipt")
elif state.get("refused"):
    st.success(t("payments.pay.wrong_payee_done"), icon=":material/verified_user:")
else:
    ui.app_frame(wallet_provider, persona)
    st.metric(t("payments.balance"), ui.money(wallet.wallet_balance(db, pid)))
    st.header(t("payments.pay.check_title"))
    ui.summary([(t("payments.payee"), providers.payee(request["payee_id"])["name"]),
                (t("payments.amount"), ui.money(request["amount"])),
                (t("payments.content"), request["reference"]),
                (t("payments.expires"), request["expires_at"][11:16])], big=t("payments.payee"))
    st.warning(t("payments.pay.check_payee"), icon=":material/visibility:")
    secrets.persona_card(db, pid)
    if ui.passcode_setup(db, persona, key="pay"):
        with st.form("pay_authorise"):
            secret = st.text_input(t("payments.gateway.passcode"), type="password",
                                   max_chars=passwords.PASSCODE_DIGITS, help=t("payments.gateway.passcode_help"),
                                   key="pay_passcode")
            submitted = st.form_submit_button(t("payments.pay.pay_button"), type="primary", width="stretch")
        if submitted:
            secret = (secret or "").strip()
            if not passwords.is_passcode(secret):
                st.error(t("payments.error.passcode_empty"), icon=":material/error:")
            else:
                try:
                    payment = gateway.pay(db, pid, payable, provider_id=wallet_provider["id"], passcode=secret,
                                          attempt_key=state["attempt"])
                except payment_schema.PaymentPending as pending:
                    st.warning(t("payments.gateway.pending_body"), icon=":material/hourglass_top:")
                    state["pending"] = pending.payment_id
                except payment_schema.PaymentError as error:
                    ui.show_payment_refused(error, pid)
                else:
                    state["payment_id"] = payment["id"]
                    st.rerun()
        if state.get("pending") and st.button(t("payments.gateway.check_again"), key="pay_check_again",
                                              width="stretch"):
            state["payment_id"] = gateway.check_pending(db, state["pending"], payable)["id"]
            st.rerun()
    if st.button(t("payments.pay.wrong_payee"), key="wrong_payee", icon=":material/report:",
                 width="stretch"):
        desk_qr.refuse_wrong_payee(db, pid, request["id"])
        state["refused"] = True
        st.rerun()

if st.button(t("payments.pay.another"), key="pay_another", type="tertiary", icon=":material/qr_code_scanner:"):
    st.query_params.pop("t", None)
    st.session_state.pop("qrpay", None)
    st.rerun()
