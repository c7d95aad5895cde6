"""Quản lý hồ sơ: the persona's own dossiers, their status and the desk's messages; answer a
supplement request by attaching the paper again; pay a fee due (the payments page, with
``?dossier=<code>``); download the electronic result; rate the service at the end."""

from __future__ import annotations

import streamlit as st

from pages._ui.dossier import (CSS, badge, date, document_name, document_picker, money,
                               procedure_name, scroll_to_top_on_change, show_document_notices, show_messages)
from pages._ui.frame import page_link, page_setup, refusal_text, sandbox_db, show_refusal, t
from pages._ui.persona import require_portal_persona
from pages._ui import pay as pay_ui
from workbench import clock, rules
from workbench.sandbox import catalogue
from workbench.sandbox.payments import payables
from workbench.sandbox.dossiers import citizen
from workbench.sandbox.dossiers import papers
from workbench.sandbox.dossiers import records
from workbench.sandbox.dossiers import schema as dossier_schema

lang = page_setup(sandbox=True)
st.html(CSS)
db = sandbox_db()
persona = require_portal_persona(db, "dossiers.manage.title")
pid = persona["id"]
state = st.session_state

# A link from the confirmation or the payment page opens one dossier: ?code=<code>.
asked = st.query_params.get("code")
if asked and state.get("dos.opened_from_url") != asked:
    state["dos.opened_from_url"] = asked
    state["dos.code"] = asked


def open_dossier(code: str | None) -> None:
    state["dos.code"] = code
    if code is None:
        st.query_params.pop("code", None)
    st.rerun()


def record_download(code: str) -> None:
    # A callback runs in the next script run's thread: use that thread's connection (issue 6 fix).
    papers.record_download(sandbox_db(), pid, code)


code = state.get("dos.code")
scroll_to_top_on_change("dos", code)
row = None
if code:
    try:
        row = records.get_own(db, pid, code)
    except dossier_schema.DossierError as error:
        show_refusal(error)
        state["dos.code"] = None

# --- the list -------------------------------------------------------------------------------
if row is None:
    st.title(t("dossiers.manage.title"))
    st.write(t("dossiers.manage.intro"))
    mine = records.for_persona(db, pid)
    if not mine:
        st.info(t("dossiers.manage.none"), icon=":material/folder_off:")
        page_link("pages/sandbox/services.py", label=t("dossiers.manage.file_link"), icon=":material/edit_document:")
    for item in mine:
        with st.container(border=True):
            st.markdown(f"**{procedure_name(item['procedure_id'])}**  \n{badge(item)}")
            st.caption(f"{t('dossiers.manage.code')}: {item['code']} · {t('dossiers.manage.submitted')}: "
                       f"{date(item['submitted_at'])} · {t('dossiers.manage.due')}: "
                       f"{date(item.get('apology_due_date') or item['due_date'])}")
            if st.button(t("dossiers.manage.open"), key=f"open.{item['code']}", width="stretch"):
                open_dossier(item["code"])
    st.stop()

# --- one dossier ----------------------------------------------------------------------------
proc = catalogue.get(row["procedure_id"])
code = row["code"]
if st.button("‹ " + t("dossiers.manage.back"), type="tertiary", key="back.list"):
    open_dossier(None)
st.title(procedure_name(row["procedure_id"]))
show_document_notices()
notice = state.pop("dos.notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")
if state.get("dos.error"):
    st.error(state.pop("dos.error"), icon=":material/error:")

lines = [f"**{t('dossiers.manage.code')}:** {code}",
         f"**{t('dossiers.manage.status')}:** {badge(row)}",
         f"**{t('dossiers.manage.submitted')}:** {date(row['submitted_at'])}",
         f"**{t('dossiers.manage.due')}:** {date(row['due_date'])}"]
if row.get("apology_due_date"):
    lines.append(f"**{t('dossiers.manage.new_due')}:** {date(row['apology_due_date'])}")
if int(row.get("fee") or 0) > 0:
    paid = t("dossiers.manage.paid", amount=money(row["fee"])) if row.get("paid_at") else \
        t("dossiers.manage.to_pay", amount=money(row["fee"]))
    lines.append(f"**{t('dossiers.manage.fee')}:** {paid}")
st.markdown("  \n".join(lines))

# Pay: only once the desk has asked ("Yêu cầu thanh toán", the portal's path, issue 13); the
# payments page takes it from there (records.amount_due / record_payment).
if row["amount_due"] > 0:
    with st.container(border=True):
        st.header(t("dossiers.manage.payment_request_title"))
        st.write(t("dossiers.manage.payment_request_body", amount=money(row["amount_due"]),
                   platform=rules.value("portal.payment_platform", clock.now(db).date(), lang)))
        if st.button(t("dossiers.manage.pay"), type="primary", width="stretch", icon=":material/credit_card:",
                     key="pay"):
            st.switch_page("pages/sandbox/payment.py", query_params={"dossier": code})
elif row["fee_unpaid"] > 0:
    st.caption(t("dossiers.manage.fee_not_requested", amount=money(row["fee_unpaid"])))
paid = payables.paid_payment(db, f"dossier:{code}")
if paid and paid["status"] == "succeeded":
    with st.container(border=True):
        st.header(t("dossiers.manage.paid_title"))
        pay_ui.receipt_button(db, paid["id"], key="dos.receipt")

if row.get("apology_due_date"):
    st.warning(t("dossiers.manage.apology", date=date(row["apology_due_date"])), icon=":material/schedule:")
    st.download_button(t("dossiers.manage.apology_download"), papers.apology_slip(db, code, lang),
                       file_name=f"phieu-xin-loi-{code}.pdf", mime="application/pdf", width="stretch",
                       key="apology.pdf")

# A supplement request: attach the paper again, then send.
if row["status"] == "supplement_requested":
    with st.container(border=True):
        st.header(t("dossiers.manage.supplement_title"))
        st.warning(row.get("supplement_note") or "", icon=":material/assignment_late:")
        st.write(t("dossiers.manage.supplement_hint"))
        for document in proc["documents"]:
            document_picker(db, persona, row, document, key_prefix="dos")
        if st.button(t("dossiers.manage.supplement_send"), type="primary", width="stretch", key="supplement"):
            try:
                citizen.supplement(db, pid, code)
            except dossier_schema.DossierError as error:
                state["dos.error"] = refusal_text(error)
            else:
                state["dos.notice"] = t("dossiers.manage.supplement_sent")
            st.rerun()

# The electronic result.
if row["status"] in ("result_ready", "returned"):
    st.success(t("dossiers.manage.result_ready"), icon=":material/task:")
    st.download_button(t("dossiers.manage.download"), papers.result_pdf(db, pid, code, lang),
                       file_name=f"ket-qua-{code}.pdf", mime="application/pdf", type="primary", width="stretch",
                       icon=":material/download:", on_click=record_download, args=(code,), key="result.pdf")

# Satisfaction, once the dossier is finished.
if row["status"] in ("returned", "refused"):
    with st.container(border=True):
        st.header(t("dossiers.manage.rate_title"))
        if row.get("rating"):
            st.write(t("dossiers.manage.rated", stars="★" * int(row["rating"]) + "☆" * (5 - int(row["rating"]))))
        else:
            with st.form("rate"):
                rating = st.radio(t("dossiers.manage.rate_label"), [5, 4, 3, 2, 1], index=None, key="rate.value",
                                  format_func={n: t(f"dossiers.manage.rating_{n}") for n in range(1, 6)}.get)
                comment = st.text_area(t("dossiers.manage.rate_comment"), key="rate.comment", max_chars=500)
                sent = st.form_submit_button(t("dossiers.manage.rate_send"), type="primary", width="stretch")
            if sent:
                if rating is None:
                    st.error(t("dossiers.manage.rate_choose"), icon=":material/error:")
                else:
                    try:
                        citizen.rate(db, pid, code, int(rating), comment)
                    except dossier_schema.DossierError as error:
                        state["dos.error"] = refusal_text(error)
                    st.rerun()

st.header(t("dossiers.manage.messages"))
show_messages(records.messages(db, code))

st.header(t("dossiers.manage.documents"))
for document in records.documents_of(db, code):
    st.markdown(f"- {document_name(proc, document['document'])}")
