"""The desk's QR code for a fee (issue 5), big enough to scan from the back of a hall on a
projector. The code is a link to this laptop with a signed token, never a bank payload; the
screen turns to "Đã nhận tiền" by itself (a fragment re-run every 2 seconds)."""

import datetime as dt

import streamlit as st

from pages._ui import glossary
from pages._ui import pay as ui
from pages._ui.frame import page_setup, sandbox_db, t
from workbench import qr
from workbench.sandbox.payments import desk_qr, providers, scenario_settings, schema as payment_schema, tokens

page_setup(sandbox=True)
ui.style()
st.title(t("payments.desk.title"))
glossary.explain("payee")
db = sandbox_db()
st.caption(t("payments.desk.intro"))

STATE = "desk_qr_request"
GENERAL = "desk_qr_general_held"  # a general QR waiting for the desk to confirm it


def issue_form() -> None:
    st.header(t("payments.desk.form_title"))
    # Any unpaid dossier, whatever its state (issue 14): an online dossier that is "Mới" or
    # "Đã tiếp nhận" can be charged at the desk too.
    unpaid = {row["code"]: row for row in desk_qr.unpaid_dossiers(db)}
    options = [None, *unpaid]
    chosen = st.selectbox(t("payments.desk.from_dossier"), options, key="desk_dossier",
                          format_func=lambda c: t("payments.desk.no_dossier") if c is None
                          else t("payments.desk.dossier_option", code=c, name=unpaid[c]["full_name"] or "",
                                 amount=ui.money(unpaid[c]["fee_unpaid"]),
                                 status=t(f"dossiers.status.{unpaid[c]['status']}")))
    payee_ids = [p["id"] for p in providers.payees()]
    with st.form("desk_issue"):
        payee_id = st.selectbox(t("payments.desk.payee"), payee_ids, key="desk_payee",
                                format_func=lambda p: providers.payee(p)["name"])
        amount = st.number_input(t("payments.desk.amount"), min_value=1000, max_value=50_000_000, step=1000,
                                 value=int(unpaid[chosen]["fee_unpaid"] if chosen else 10_000),
                                 disabled=chosen is not None, key=f"desk_amount_{chosen}")
        if chosen:
            st.caption(t("payments.desk.amount_fixed"))
        reference = st.text_input(t("payments.desk.reference"), value=chosen or t("payments.desk.reference_default"),
                                  max_chars=120, key=f"desk_reference_{chosen}")
        minutes = st.radio(t("payments.desk.minutes"), [scenario_settings.scenario_defaults()["qr_minutes"], 1],
                           horizontal=True, key="desk_minutes",
                           format_func=lambda m: t("payments.desk.minutes_option", minutes=m))
        submitted = st.form_submit_button(t("payments.desk.issue"), type="primary", width="stretch")
    if submitted:
        if not (reference or "").strip():
            st.error(t("payments.desk.reference_empty"), icon=":material/error:")
            return
        st.session_state[GENERAL] = None
        if chosen is None:
            # A general QR for the amount an unpaid dossier owes would leave that dossier unpaid,
            # and the portal would charge it again (issue 14): ask first.
            same = desk_qr.unpaid_dossiers_for_amount(db, int(amount))
            if same:
                st.session_state[GENERAL] = {"amount": int(amount), "payee_id": payee_id, "reference": reference,
                                             "minutes": int(minutes), "codes": [row["code"] for row in same][:3]}
                st.rerun()
        issue(int(amount), payee_id, reference, int(minutes), chosen)
    general_warning(unpaid)


def issue(amount: int, payee_id: str, reference: str, minutes: int, dossier_code: str | None) -> None:
    try:
        request = desk_qr.issue_desk_qr(db, amount, payee_id, reference, minutes=minutes, dossier_code=dossier_code)
    except payment_schema.PaymentError as error:
        ui.show_error(error)
    else:
        st.session_state[STATE] = request["id"]
        st.session_state[GENERAL] = None
        st.rerun()


def general_warning(unpaid: dict) -> None:
    """The general QR waits here when its amount is what an unpaid dossier owes."""
    held = st.session_state.get(GENERAL)
    if not held:
        return
    st.warning(t("payments.desk.same_amount", amount=ui.money(held["amount"]), count=len(held["codes"])),
               icon=":material/warning:")
    for code in held["codes"]:
        row = unpaid.get(code)
        if row and st.button(t("payments.desk.for_dossier", code=code, name=row["full_name"] or ""),
                             key=f"desk_for_{code}", type="primary", width="stretch"):
            issue(row["fee_unpaid"], held["payee_id"], code, held["minutes"], code)
    if st.button(t("payments.desk.general_anyway"), key="desk_general_anyway", width="stretch"):
        issue(held["amount"], held["payee_id"], held["reference"], held["minutes"], None)


@st.fragment(run_every=dt.timedelta(seconds=2))
def live_status(request_id: str) -> None:
    """Re-drawn every 2 s: the QR while waiting, "Đã nhận tiền" once paid."""
    db = sandbox_db()  # a fragment re-run may be on another thread: use that thread's connection
    request = desk_qr.get_request(db, request_id)
    status = desk_qr.request_status(db, request_id)
    if status["status"] == "paid":
        ui.panel(t("payments.desk.received"), t("payments.desk.received_body", amount=ui.money(request["amount"]),
                                                 payer=status["payer"] or "", time=(status["paid_at"] or "")[11:16]))
        return
    if status["expired"]:
        ui.panel(t("payments.desk.expired"), warn=True)
        return
    payload = desk_qr.qr_payload(request)
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.image(qr.png(payload, box_size=16, border=4), caption=t("payments.desk.scan_me"), width=520,
                 alt=t("payments.desk.qr_alt", amount=ui.money(request["amount"]), reference=request["reference"],
                       payee=providers.payee(request["payee_id"])["name"]))
    with right:
        # big, not a heading: headings stay in order (axe)
        st.html(f"<p style='font-size:2rem;font-weight:700;margin:0'>{ui.money(request['amount'])}</p>")
        # A scammer's sticker changes the code, not the office's sign: the desk shows the real payee.
        shown = desk_qr.get_request(db, request["scam_of"]) if request["scam_of"] else request
        ui.summary([(t("payments.payee"), providers.payee(shown["payee_id"])["name"]),
                    (t("payments.content"), request["reference"]),
                    (t("payments.expires"), request["expires_at"][11:16])])
        st.markdown(f"**{t('payments.desk.typed_code')}**")
        st.html(f'<div class="cds-typed-code">{tokens.format_typed_code(request["code"])}</div>')
        if payload.startswith("http"):
            st.caption(t("payments.desk.open_link", url=payload))
        else:
            st.caption(t("payments.desk.no_lan"))
        st.caption(t("payments.desk.waiting"))


request_id = st.session_state.get(STATE)
if request_id and desk_qr.get_request(db, request_id):
    request = desk_qr.get_request(db, request_id)
    if request["scam_of"]:
        st.warning(t("payments.desk.scam_caption"), icon=":material/gpp_bad:")
    live_status(request_id)
    one, two = st.columns(2)
    if one.button(t("payments.desk.clear"), key="desk_clear", icon=":material/refresh:", width="stretch"):
        st.session_state.pop(STATE, None)
        st.rerun()
    if not request["scam_of"] and request["status"] == "open" and two.button(t("payments.desk.scam"), key="desk_scam", icon=":material/gpp_bad:",
                                             width="stretch"):
        st.session_state[STATE] = desk_qr.issue_scam_qr(db, request_id)["id"]
        st.rerun()
else:
    issue_form()
