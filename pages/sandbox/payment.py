"""The portal's payment gateway (issue 5), opened from "Quản lý hồ sơ" as ``?dossier=<code>``.

One thing per page: choose a bank or e-wallet → check the details → authorise in the
simulated app (passcode, or the OTP a fake bank texts) → "Giao dịch thành công" with the
receipt. The flow's step lives in session state per dossier; the money lives in
``workbench.sandbox.payments``, which makes paying twice impossible.
"""

from functools import partial

import streamlit as st

from pages._ui import glossary
from pages._ui import pay as ui, secrets, steps
from pages._ui.frame import current_lang, page_link, page_setup, sandbox_db, t
from pages._ui.persona import require_persona, require_portal_login
from workbench import clock, passwords, rules
from workbench.sandbox import catalogue, phone
from workbench.sandbox.dossiers import records
from workbench.sandbox.payments import gateway, payables, providers, receipts, schema as payment_schema
from workbench.sandbox import otp

page_setup(sandbox=True)
ui.style()
st.title(t("payments.gateway.title"))
glossary.explain("payee", "passcode")
db = sandbox_db()
persona = require_persona(db)
require_portal_login(db, persona)
pid = persona["id"]
DOSSIERS_PAGE = "pages/sandbox/dossiers.py"
KIND_KEYS = {"bank": "payments.gateway.kind_bank", "wallet": "payments.gateway.kind_wallet"}

code = (st.query_params.get("dossier") or "").strip().upper()
if not code:
    st.info(t("payments.gateway.no_dossier"), icon=":material/info:")
    st.header(t("payments.gateway.unpaid_title"))
    unpaid = [d for d in records.for_persona(db, pid) if d["amount_due"] > 0]
    for row in unpaid:
        page_link("pages/sandbox/payment.py", query_params={"dossier": row["code"], "p": pid},
                     label=t("payments.gateway.pay_link", code=row["code"], amount=ui.money(row["amount_due"])),
                     icon=":material/credit_card:")
    if not unpaid:
        st.write(t("payments.gateway.unpaid_none"))
    page_link(DOSSIERS_PAGE, label=t("payments.gateway.dossiers_link"), icon=":material/arrow_back:")
    st.stop()

try:
    payable = payables.dossier_payable(db, code, persona_id=pid)
except payment_schema.PaymentError as error:
    ui.show_error(error)
    page_link(DOSSIERS_PAGE, label=t("payments.gateway.dossiers_link"), icon=":material/arrow_back:")
    st.stop()

flow_key = f"payflow:{code}"
if flow_key not in st.session_state:
    st.session_state[flow_key] = {"step": "choose", "provider": None, "attempt": gateway.new_attempt_key(),
                                  "payment_id": None}
    gateway.start(db, pid, payable)
flow = st.session_state[flow_key]

existing = payables.paid_payment(db, payable.ref)
if existing and existing["status"] == "succeeded":
    flow.update(step="done", payment_id=existing["id"])
elif existing and existing["status"] == "pending" and existing["persona_id"] == pid:
    flow.update(step="pending", payment_id=existing["id"])


go = partial(steps.go, "step", state=flow)


def facts(with_provider: bool = False) -> list[tuple[str, str]]:
    proc = catalogue.get(payable.procedure_id) if payable.procedure_id else None
    rows = [(t("payments.dossier"), code)]
    if proc:
        rows.append((t("payments.procedure"), catalogue.text(proc["name"], current_lang())))
    rows += [(t("payments.payee"), providers.payee(payable.payee_id)["name"]),
             (t("payments.content"), payable.reference),
             (t("payments.amount"), ui.money(payable.amount))]
    if with_provider and flow["provider"]:
        rows.append((t("payments.provider"), providers.provider(flow["provider"])["name"]))
    return rows


step = flow["step"]

if step == "choose":
    page_link(DOSSIERS_PAGE, label=t("payments.back"), icon=":material/arrow_back:", query_params={"code": code})
    st.markdown("**" + t("payments.gateway.platform", platform=rules.value(
        "portal.payment_platform", clock.now(db).date(), current_lang())) + "**")
    st.caption(t("payments.gateway.intro"))
    ui.summary(facts(), big=t("payments.amount"))
    st.header(t("payments.gateway.choose_title"))
    options = [p["id"] for p in providers.providers()]
    chosen = st.radio(
        t("payments.gateway.choose_label"), options, index=options.index(flow["provider"]) if flow["provider"] else None,
        format_func=lambda pid_: f'{providers.provider(pid_)["name"]} — {t(KIND_KEYS[providers.provider(pid_)["kind"]])}',
        key=f"provider_{code}")
    st.caption(t("payments.fictional_note"))
    if st.button(t("payments.continue"), type="primary", width="stretch", key="choose_continue"):
        if not chosen:
            st.error(t("payments.gateway.choose_error"), icon=":material/error:")
        else:
            try:
                gateway.choose_provider(db, pid, payable, chosen)
            except payment_schema.PaymentError as error:
                ui.show_error(error)
            else:
                flow["provider"] = chosen
                go("check")

elif step == "check":
    if st.button(t("payments.back"), icon=":material/arrow_back:", type="tertiary", key="check_back"):
        go("choose")
    st.header(t("payments.gateway.check_title"))
    st.caption(t("payments.gateway.check_hint"))
    ui.summary(facts(with_provider=True), big=t("payments.amount"))
    if st.button(t("payments.change") + " — " + t("payments.provider"), key="change_provider", icon=":material/edit:"):
        go("choose")
    if st.button(t("payments.gateway.confirm"), type="primary", width="stretch", key="check_confirm"):
        if providers.authorise_method(flow["provider"]) == "otp":
            gateway.send_payment_otp(db, pid, payable, flow["provider"])
        go("authorise")

elif step == "authorise":
    chosen = providers.provider(flow["provider"])
    method = providers.authorise_method(chosen["id"])
    if st.button(t("payments.back"), icon=":material/arrow_back:", type="tertiary", key="auth_back"):
        go("check")
    st.header(t("payments.gateway.authorise_title"))
    st.write(t("payments.gateway.authorise_hint", provider=chosen["name"]))
    ui.app_frame(chosen, persona)
    secrets.persona_card(db, pid)
    ui.summary([(t("payments.payee"), providers.payee(payable.payee_id)["name"]),
                (t("payments.content"), payable.reference),
                (t("payments.amount"), ui.money(payable.amount))], big=t("payments.amount"))
    ready = True
    if method == "otp":
        inbox = [m for m in phone.inbox(db, pid) if m["sender"] == chosen["short"]]
        if inbox:
            st.caption(t("payments.gateway.otp_sms_title"))
            ui.sms(inbox[0]["sender"], inbox[0]["text"])
    else:
        ready = ui.passcode_setup(db, persona, key="gateway")
    if ready:
        with st.form("authorise"):
            if method == "otp":
                secret = st.text_input(t("payments.gateway.otp"), max_chars=otp.CODE_LENGTH, help=t("payments.gateway.otp_help"),
                                       key="gateway_otp")
            else:
                secret = st.text_input(t("payments.gateway.passcode"), type="password",
                                       max_chars=passwords.PASSCODE_DIGITS, help=t("payments.gateway.passcode_help"),
                                       key="gateway_passcode")
            submitted = st.form_submit_button(t("payments.gateway.authorise"), type="primary",
                                              width="stretch")
        if submitted:
            secret = (secret or "").strip()
            if not passwords.is_passcode(secret):  # a bank's OTP has the passcode's six digits too
                st.error(t("payments.error.otp_format" if method == "otp" else "payments.error.passcode_empty"),
                         icon=":material/error:")
            else:
                try:
                    payment = gateway.pay(db, pid, payable, provider_id=chosen["id"], attempt_key=flow["attempt"],
                                          **({"otp_code": secret} if method == "otp" else {"passcode": secret}))
                except payment_schema.PaymentPending as pending:
                    flow["payment_id"] = pending.payment_id
                    go("pending")
                except payment_schema.PaymentError as error:
                    ui.show_payment_refused(error, pid)
                else:
                    flow["payment_id"] = payment["id"]
                    go("done")
        if method == "otp" and st.button(t("payments.gateway.otp_resend"), key="otp_resend",
                                         icon=":material/sms:"):
            gateway.send_payment_otp(db, pid, payable, chosen["id"])
            st.rerun()

elif step == "pending":
    ui.panel(t("payments.gateway.pending_title"), t("payments.gateway.pending_body"), warn=True)
    if st.button(t("payments.gateway.check_again"), type="primary", width="stretch", key="check_again"):
        payment = gateway.check_pending(db, flow["payment_id"], payable)
        if payment["status"] == "succeeded":
            go("done")

elif step == "done":
    payment = payables.get_payment(db, flow["payment_id"])
    ui.panel(t("payments.gateway.success_title"),
             t("payments.gateway.success_body", payment_id=payment["id"], amount=ui.money(payment["amount"])))
    st.write(t("payments.gateway.dossier_next", code=code))
    st.header(t("payments.gateway.receipt_title"))
    ui.summary(receipts.receipt_rows(db, payment["id"], current_lang()), big=t("payments.receipt.amount"))
    ui.receipt_button(db, payment["id"], key="gateway_receipt")
    page_link(DOSSIERS_PAGE, label=t("payments.gateway.dossiers_link"), icon=":material/folder_open:",
              query_params={"code": code})
