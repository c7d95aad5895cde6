"""Bộ phận tiếp nhận và trả kết quả: the one-stop desk's queue, played by the trainer or a
learner. Receive or refuse, ask for a supplement, process, approve, return the result; the
apology slip for an overdue dossier; the sandbox clock; the KPIs the seeds report.

The queue is one SQL page at a time (``desk.desk_queue``) and the KPIs one aggregate
(``kpis.kpis``), so the page stays quick at 100,000 dossiers (bench/dossiers_scale.py)."""

from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from pages._ui import glossary
from pages._ui.dossier import (CSS, badge, date, document_name, money, procedure_name,
                               scroll_to_top_on_change, show_messages)
from pages._ui.frame import page_setup, refusal_text, sandbox_db, t
from workbench import clock, databases, store
from workbench.sandbox import catalogue, personas
from workbench.sandbox.dossiers import desk, kpis, papers, records, rules, samples, transitions
from workbench.sandbox.dossiers import schema as dossier_schema

PAGE_SIZE = 20
KPI_CSS = """<style>
.cds-kpis { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: .5rem; margin-bottom: 1rem; }
@media (max-width: 640px) { .cds-kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.cds-kpi { border: 1px solid #d0d0d0; border-radius: 6px; padding: .4rem .6rem; }
.cds-kpi-label { font-size: .85rem; color: #444; }
.cds-kpi-value { font-size: 1.6rem; font-weight: 800; line-height: 1.2; }
.cds-kpi-help { font-size: .72rem; color: #666; }
</style>"""

lang = page_setup(sandbox=True)
st.html(CSS)
db = sandbox_db()
state = st.session_state
st.title(t("desk.title"))
st.caption(t("desk.intro"))
glossary.explain("online_full", "online_partial", "digitised")
desk.mark_overdue(db)


def act(function, code: str, *args, **kwargs) -> None:
    """Run one desk action; its outcome is shown after the rerun."""
    try:
        row = function(db, code, *args, actor="desk", **kwargs)
    except dossier_schema.DossierError as error:
        state["desk.error"] = refusal_text(error)
    else:
        state["desk.notice"] = t("desk.action.done", code=code, status=t(f"dossiers.status.{row['status']}"))
    st.rerun()


@st.cache_data(ttl=120, max_entries=8, show_spinner=False)
def cached_figures(data_dir: str, fingerprint: tuple) -> dict:
    """The KPIs and the count by status: aggregates over every dossier (~0.1 s at 100,000),
    computed again only when the fingerprint says a dossier, the count or the date changed."""
    db = databases.sandbox()
    return {"kpis": kpis.kpis(db), "counts": desk.status_counts(db)}


def percent(value) -> str:
    return t("desk.kpi.none") if value is None else f"{value * 100:.0f}%"


notice = state.pop("desk.notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")
if state.get("desk.error"):
    st.error(state.pop("desk.error"), icon=":material/error:")

code = state.get("desk.code")
scroll_to_top_on_change("desk", code)
row = records.get(db, code) if code else None

# --- one dossier ----------------------------------------------------------------------------
if row is not None:
    proc = catalogue.get(row["procedure_id"])
    person = personas.get(db, row["persona_id"]) or {}
    if st.button("‹ " + t("desk.back"), type="tertiary", key="desk.back"):
        state["desk.code"] = None
        st.rerun()
    st.subheader(f"{procedure_name(row['procedure_id'])}")
    channel = t("desk.detail.channel_online") if row["channel"] == "online" else t("desk.detail.channel_desk")
    fee = money(row["fee"])
    if int(row.get("fee") or 0) > 0:
        paid = t("desk.detail.paid", channel=row["paid_channel"]) if row.get("paid_at") else t("desk.detail.unpaid")
        fee = f"{fee} — {paid}"
    delivery = t(f"dossiers.delivery.{row.get('delivery') or 'desk'}")
    due = date(row["due_date"])
    if row.get("apology_due_date"):
        due += " · " + t("desk.new_due", date=date(row["apology_due_date"]))
    st.markdown("  \n".join([
        f"**{row['code']}** {badge(row)}",
        f"**{t('desk.detail.applicant')}:** {person.get('full_name', '')}",
        f"**{t('desk.detail.residence')}:** {personas.address(person) if person else '—'}",  # issue 13
        f"**{t('desk.detail.channel')}:** {channel} · {catalogue.text(catalogue.online_levels()[row['online_level']], lang)}",
        f"**{t('desk.detail.submitted')}:** {date(row['submitted_at'])}",
        f"**{t('desk.detail.due')}:** {due}",
        f"**{t('desk.detail.fee')}:** {fee}",
        f"**{t('desk.detail.delivery')}:** {delivery}",
    ]))
    if row["needs_apology"]:
        st.error(t("desk.needs_apology"), icon=":material/schedule:")
    if row["status"] == "supplement_requested":
        st.warning(t("desk.detail.supplement_note", note=row.get("supplement_note") or ""))
    if row["status"] == "refused":
        st.info(t("desk.detail.refuse_reason", note=row.get("refuse_reason") or ""))

    with st.expander(t("desk.detail.answers"), expanded=False):
        st.markdown("  \n".join(f"**{catalogue.text(f['label'], lang)}:** {row['answers'].get(f['id']) or '—'}"
                                for f in proc["fields_all"]))

    st.markdown(f"#### {t('desk.detail.documents')}")
    variants = rules.scenario_variants()
    for document in records.documents_of(db, row["code"], include_superseded=True):
        caption = document_name(proc, document["document"])
        if document["superseded"]:
            caption += f" ({t('desk.detail.superseded')})"
        st.image(records.document_picture(db, document), caption=caption, width=300,
                 alt=records.document_picture_alt(db, document, lang, document_name(proc, document["document"])))
        hint = variants.get(document["variant"], {}).get("desk_hint")
        if hint and not document["superseded"]:
            with st.expander(t("desk.detail.trainer_hint")):
                st.write(catalogue.text(hint, lang))

    # The actions this status allows (the state machine refuses the others anyway).
    status = row["status"]
    st.markdown("---")
    if status == "submitted":
        if st.button(t("desk.action.receive"), type="primary", width="stretch", key="act.receive"):
            act(desk.receive, row["code"])
    if status == "received":
        if st.button(t("desk.action.process"), type="primary", width="stretch", key="act.process"):
            act(desk.process, row["code"])
    if status == "processing":
        if st.button(t("desk.action.approve"), type="primary", width="stretch", key="act.approve"):
            act(desk.approve, row["code"])
    if status in ("received", "processing") and row["fee_unpaid"] > 0:
        if row.get("payment_requested_at"):
            st.info(t("desk.action.payment_requested", amount=money(row["fee_unpaid"])), icon=":material/payments:")
        elif st.button(t("desk.action.request_payment"), width="stretch", key="act.request_payment",
                       icon=":material/request_quote:"):
            act(desk.request_payment, row["code"])
    if status == "awaiting_payment":
        st.info(t("desk.action.awaiting_payment", amount=money(row["amount_due"])), icon=":material/payments:")
    if status == "result_ready":
        if st.button(t("desk.action.return_result"), type="primary", width="stretch", key="act.return"):
            act(desk.return_result, row["code"])
    if status in ("result_ready", "returned"):
        st.download_button(t("desk.action.result_download"), papers.desk_result_pdf(db, row["code"], lang),
                           file_name=f"ket-qua-{row['code']}.pdf", mime="application/pdf", width="stretch",
                           key="desk.result.pdf")
    if row["needs_apology"]:
        with st.form("apology"):
            proposed = rules.due_date(clock.now(db), max(1, proc["processing_days"]))
            new_date = st.date_input(t("desk.action.apology_date"), value=proposed, format="DD/MM/YYYY",
                                     key="apology.date")
            if st.form_submit_button(t("desk.action.apology"), type="primary", width="stretch"):
                act(desk.issue_apology, row["code"], new_date)
    if row.get("apology_due_date"):
        st.download_button(t("desk.action.apology_download"), papers.apology_slip(db, row["code"], lang),
                           file_name=f"phieu-xin-loi-{row['code']}.pdf", mime="application/pdf", width="stretch",
                           key="desk.apology.pdf")
    if status in transitions.TRANSITIONS["request_supplement"][1]:
        with st.form("supplement"):
            note = st.text_area(t("desk.action.supplement_note"), key="supplement.note")
            if st.form_submit_button(t("desk.action.request_supplement"), width="stretch"):
                act(desk.request_supplement, row["code"], note)
        with st.form("refuse"):
            reason = st.text_area(t("desk.action.refuse_reason"), key="refuse.reason")
            if st.form_submit_button(t("desk.action.refuse"), width="stretch"):
                act(desk.refuse, row["code"], reason)

    st.markdown(f"#### {t('desk.detail.messages')}")
    show_messages(records.messages(db, row["code"]))
    st.stop()

# --- the sandbox clock ----------------------------------------------------------------------
with st.expander(t("desk.clock.title"), expanded=False, icon=":material/schedule:"):
    st.write(t("desk.clock.now", time=clock.now(db).strftime("%H:%M %d/%m/%Y")))
    st.caption(t("desk.clock.hint"))
    steps = {"hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1), "week": dt.timedelta(days=7)}
    for column, (name, delta) in zip(st.columns(3), steps.items()):
        if column.button(t(f"desk.clock.{name}"), key=f"clock.{name}", width="stretch"):
            moved = clock.advance(db, delta)
            desk.mark_overdue(db)
            state["desk.notice"] = t("desk.clock.moved", time=moved.strftime("%H:%M %d/%m/%Y"))
            st.rerun()

# --- the KPIs -------------------------------------------------------------------------------
st.subheader(t("desk.kpi.title"))
figures = cached_figures(str(store.data_dir()), kpis.kpi_fingerprint(db))
k = figures["kpis"]
resolved_help = t("desk.kpi.resolved_help", count=k["resolved"])
tiles = [
    (t("desk.kpi.online"), percent(k["share_online"]),
     t("desk.kpi.online_help", full=percent(k["share_online_full"]), partial=percent(k["share_online_partial"]))),
    (t("desk.kpi.paid_online"), percent(k["share_paid_online"]), t("desk.kpi.paid_online_help")),
    (t("desk.kpi.digitised"), percent(k["share_digitised"]), t("desk.total", count=k["total"])),
    (t("desk.kpi.early"), percent(k["share_early"]), resolved_help),
    (t("desk.kpi.on_time"), percent(k["share_on_time"]), resolved_help),
    (t("desk.kpi.late"), percent(k["share_late"]), resolved_help),
    (t("desk.kpi.satisfaction"), percent(k["share_satisfied"]),
     t("desk.kpi.satisfaction_help", count=k["rated"], avg=k["rating_avg"] or "—")),
    (t("desk.kpi.overdue"), str(k["overdue_open"]), ""),
]
st.html(KPI_CSS)  # only a style: Streamlit puts it where it takes no room
st.html('<div class="cds-kpis">' + "".join(
    f'<div class="cds-kpi"><div class="cds-kpi-label">{html.escape(label)}</div>'
    f'<div class="cds-kpi-value">{html.escape(value)}</div><div class="cds-kpi-help">{html.escape(help_text)}</div></div>'
    for label, value, help_text in tiles) + "</div>")

# --- the queue ------------------------------------------------------------------------------
counts = figures["counts"]
filters = [""] + dossier_schema.STATUSES + ["overdue"]
left, right = st.columns(2)
# Labels without the counts: an option's text must not change when a count does, or the
# selectbox would forget the choice. Plain dicts as format_func (AppTest calls it outside the run).
filter_labels = {s: t(f"dossiers.status.{s}") if s else t("desk.all_statuses") for s in filters}
chosen = left.selectbox(t("desk.filter_status"), filters, key="desk.filter", format_func=filter_labels.get)
search = right.text_input(t("desk.search_code"), key="desk.search", placeholder="DVC-…")
if state.get("desk.last_filter") != (chosen, search):
    state["desk.last_filter"] = (chosen, search)
    state["desk.page"] = 0
page_no = state.get("desk.page", 0)
rows, total = desk.desk_queue(db, status=chosen if chosen not in ("", "overdue") else None,
                              overdue_only=chosen == "overdue", code=search or None,
                              limit=PAGE_SIZE, offset=page_no * PAGE_SIZE)
pages = max(1, -(-total // PAGE_SIZE))
st.caption(" · ".join(f"{filter_labels[s]} {counts.get(s, 0)}" for s in filters if s and counts.get(s)))
st.caption(t("desk.total", count=total) + " · " + t("desk.page", page=page_no + 1, pages=pages))
if not rows:
    st.info(t("desk.none"), icon=":material/inbox:")
for n, item in enumerate(rows):
    if n % 2 == 0:
        pair = st.columns(2)  # two cards a row on a laptop; on a phone they stack in order
    with pair[n % 2].container(border=True):
        due = t("desk.due", date=date(item["due_date"]))
        if item.get("apology_due_date"):
            due += " · " + t("desk.new_due", date=date(item["apology_due_date"]))
        st.markdown(f"**{item['code']}** {badge(item)}  \n{item.get('full_name') or ''} · "
                    f"{procedure_name(item['procedure_id'])}  \n{due}")
        if st.button(t("desk.open"), key=f"desk.open.{item['code']}", width="stretch"):
            state["desk.code"] = item["code"]
            st.rerun()
previous, following = st.columns(2)
if previous.button(t("desk.previous"), disabled=page_no == 0, key="desk.prev", width="stretch"):
    state["desk.page"] = page_no - 1
    st.rerun()
if following.button(t("desk.next"), disabled=page_no + 1 >= pages, key="desk.next", width="stretch"):
    state["desk.page"] = page_no + 1
    st.rerun()

# --- trainer: a ready-made exercise ---------------------------------------------------------
with st.expander(t("desk.trainer.title"), icon=":material/school:"):
    st.caption(t("desk.trainer.hint"))
    people = personas.list_all(db, limit=200)
    if not people:
        st.info(t("desk.trainer.no_personas"))
    else:
        with st.form("exercise"):
            names = {p["id"]: p["display_name"] for p in people}
            labels = {e["id"]: catalogue.text(e["label"], lang) for e in samples.exercises()}
            who = st.selectbox(t("desk.trainer.persona"), list(names), key="exercise.persona", format_func=names.get)
            which = st.selectbox(t("desk.trainer.exercise"), list(labels), key="exercise.id", format_func=labels.get)
            if st.form_submit_button(t("desk.trainer.file"), width="stretch"):
                try:
                    made = samples.file_exercise(db, who, which)
                except dossier_schema.DossierError as error:
                    state["desk.error"] = refusal_text(error)
                else:
                    state["desk.notice"] = t("desk.trainer.filed", code=made["code"], name=names[who])
                st.rerun()
