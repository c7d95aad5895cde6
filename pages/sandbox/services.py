"""Nộp hồ sơ trực tuyến: find a procedure, read what it needs, and file it one page at a time
(GOV.UK style: a back link, a question page, Continue; check your answers with "Sửa"; a
confirmation panel with the dossier code). Every rule is in workbench.sandbox.dossiers."""

from __future__ import annotations

import streamlit as st

from pages._ui import glossary
from pages._ui.dossier import (CSS, date, document_picker, money, scroll_to_top_on_change,
                               show_document_notices)
from pages._ui import steps
from pages._ui.frame import page_link, page_setup, refusal_text, sandbox_db, show_refusal, t
from pages._ui.persona import require_portal_persona
from workbench import clock
from workbench.sandbox import catalogue, fees
from workbench.sandbox.dossiers import citizen, records, rules, schema as dossier_schema

lang = page_setup(sandbox=True)
st.html(CSS)
db = sandbox_db()
persona = require_portal_persona(db, "catalogue.title")
pid = persona["id"]
text = lambda value: catalogue.text(value, lang)  # noqa: E731

state = st.session_state
state.setdefault("svc.step", "search")


def go(step: str, **values) -> None:
    state["svc.nav"] = state.get("svc.nav", 0) + 1  # a new step starts at the top (scroll_to_top_on_change)
    steps.go("svc.step", step, forget=("svc.errors",), **{f"svc.{k}": v for k, v in values.items()})


def back_link(step: str, **values) -> None:
    if st.button("‹ " + t("dossiers.back"), type="tertiary", key=f"back.{state['svc.step']}"):
        go(step, **values)


def draft() -> dict | None:
    """The dossier this browser is filing, if it is still this persona's."""
    code = state.get("svc.code")
    if not code:
        return None
    try:
        return records.get_own(db, pid, code)
    except dossier_schema.DossierError:
        state.pop("svc.code", None)
        return None


def after_page(proc: dict, index: int) -> None:
    if state.get("svc.back_to_check"):
        go("check")
    if index + 1 < len(proc["form_pages"]):
        go("page", page=index + 1)
    go("documents")


step = state["svc.step"]
scroll_to_top_on_change("svc", state.get("svc.nav", 0))
row = draft()
if step not in ("search", "procedure") and (row is None or (row["status"] != "draft" and step != "done")):
    step = state["svc.step"] = "search" if row is None else "done"

# --- search ---------------------------------------------------------------------------------
if step == "search":
    st.title(t("catalogue.title"))
    st.caption(t("catalogue.logged_in_as", name=persona["full_name"]))
    st.write(t("catalogue.intro"))
    glossary.explain("online_full", "online_partial")
    field_ids = [""] + list(catalogue.fields())
    with st.form("search"):
        query = st.text_input(t("catalogue.search.label"), placeholder=t("catalogue.search.placeholder"),
                              key="svc.query")
        field_labels = {f: text(catalogue.fields()[f]) if f else t("catalogue.search.all_fields") for f in field_ids}
        field = st.selectbox(t("catalogue.search.field"), field_ids, key="svc.field", format_func=field_labels.get)
        searched = st.form_submit_button(t("catalogue.search.button"), type="primary", width="stretch")
    results = catalogue.search(query, field or None)
    if searched:
        catalogue.record_search(db, pid, query, field or None, results)
    if not results:
        st.warning(t("catalogue.search.none"), icon=":material/search_off:")
    else:
        st.caption(t("catalogue.search.results", count=len(results)))
    for proc in results:
        with st.container(border=True):
            st.markdown(f"**{text(proc['name'])}**")
            st.caption(f"{text(catalogue.fields()[proc['field']])} · "
                       f"{text(catalogue.online_levels()[proc['online_level']])}")
            if st.button(t("catalogue.search.open"), key=f"open.{proc['id']}", width="stretch"):
                catalogue.record_view(db, pid, proc["id"])
                go("procedure", proc=proc["id"])

# --- the procedure's page -------------------------------------------------------------------
elif step == "procedure":
    proc = catalogue.get(state["svc.proc"])
    back_link("search")
    st.title(text(proc["name"]))
    st.markdown(f"**{t('catalogue.procedure.field')}:** {text(catalogue.fields()[proc['field']])}  \n"
                f"**{t('catalogue.procedure.online_level')}:** {text(catalogue.online_levels()[proc['online_level']])}")
    glossary.explain(f"online_{proc['online_level']}")
    if proc["online_level"] == "partial":
        st.info(t("catalogue.procedure.partial_note"), icon=":material/info:")
    st.header(t("catalogue.procedure.documents"))
    st.markdown("\n".join(f"- {text(d['name'])}" + ("" if d["required"] else f" ({t('catalogue.procedure.optional')})")
                          for d in proc["documents"]))
    st.header(t("catalogue.procedure.time"))
    st.write(text(proc["legal_time"]))
    st.header(t("catalogue.procedure.fee"))
    today = clock.now(db).date()  # the fee rule in force on the sandbox date (issue 13)
    online, rule = fees.fee(proc["id"], "online", on=today)
    desk, _ = fees.fee(proc["id"], "desk", on=today)
    st.markdown(f"- {t('catalogue.procedure.fee_online', amount=money(online))}\n"
                f"- {t('catalogue.procedure.fee_desk', amount=money(desk))}")
    st.caption(f"{t(rule)}. {t('fees.source', source=fees.source_text(fees.rule(proc['id'], today)))}")
    st.header(t("catalogue.procedure.result"))
    st.write(text(proc["result"]))
    if st.button(t("catalogue.procedure.start"), type="primary", width="stretch", icon=":material/send:"):
        if row is None or row["procedure_id"] != proc["id"] or row["status"] != "draft":
            try:
                state["svc.code"] = citizen.start(db, pid, proc["id"])
            except dossier_schema.DossierError as error:
                show_refusal(error)  # e.g. a resident of another province (issue 13)
                st.stop()
        go("page", page=0, back_to_check=False)

# --- one form page --------------------------------------------------------------------------
elif step == "page":
    proc = catalogue.get(row["procedure_id"])
    index = min(state.get("svc.page", 0), len(proc["form_pages"]) - 1)
    page = proc["form_pages"][index]
    total = len(proc["form_pages"]) + 3
    if index == 0:
        back_link("check" if state.get("svc.back_to_check") else "procedure")
    else:
        back_link("check" if state.get("svc.back_to_check") else "page", page=index - 1)
    st.caption(t("dossiers.step", n=index + 1, total=total) + " · " + text(proc["name"]))
    st.title(text(page["title"]))
    if page.get("hint"):
        st.write(text(page["hint"]))
    errors = state.get("svc.errors", {})
    if errors:
        labels = {f["id"]: text(f["label"]) for f in page["fields"]}
        st.error(t("dossiers.form.error_summary") + "\n" + "\n".join(
            f"- {labels.get(f, f)}: {t(key)}" for f, key in errors.items()), icon=":material/error:")
    answers = row["answers"]
    with st.form(f"form.{page['id']}"):
        values = {}
        for field in page["fields"]:
            key = f"ans.{row['code']}.{field['id']}"
            label = text(field["label"]) + ("" if field.get("required") else f" ({t('dossiers.optional')})")
            saved = answers.get(field["id"])
            if field["type"] == "select":
                if key not in state and saved in field["options"]:
                    state[key] = saved
                unset = {} if key in state else {"index": None}
                values[field["id"]] = st.radio(label, field["options"], key=key, **unset)
            else:
                if key not in state:
                    state[key] = "" if saved is None else str(saved)
                values[field["id"]] = st.text_input(
                    label, key=key, disabled=bool(field.get("locked")),
                    placeholder=t("dossiers.date_placeholder") if field["type"] == "date" else None)
                if field["type"] == "date":
                    st.caption(t("dossiers.date_hint"))
                if field.get("locked"):
                    st.caption(":material/lock: " + t("dossiers.locked"))
                elif field.get("prefill"):
                    st.caption(":material/database: " + t("dossiers.prefilled"))
            if field["id"] in errors:
                st.markdown(f":red[**{t(errors[field['id']])}**]")
        sent = st.form_submit_button(t("dossiers.continue"), type="primary", width="stretch")
    if sent:
        try:
            citizen.save_answers(db, pid, row["code"], page["id"], values)
        except dossier_schema.DossierError as error:
            state["svc.errors"] = error.errors or {"_": error.key}
            state["svc.nav"] = state.get("svc.nav", 0) + 1  # up to the error summary
            st.rerun()
        after_page(proc, index)

# --- documents ------------------------------------------------------------------------------
elif step == "documents":
    proc = catalogue.get(row["procedure_id"])
    pages = len(proc["form_pages"])
    back_link("check" if state.get("svc.back_to_check") else "page", page=pages - 1)
    st.caption(t("dossiers.step", n=pages + 1, total=pages + 3) + " · " + text(proc["name"]))
    st.title(t("dossiers.documents.title"))
    st.write(t("dossiers.documents.hint"))
    show_document_notices()
    if state.get("svc.errors"):
        st.error(state["svc.errors"]["_"], icon=":material/error:")
    for document in proc["documents"]:
        document_picker(db, persona, row, document, key_prefix="svc")
    if st.button(t("dossiers.continue"), type="primary", width="stretch", key="docs.continue"):
        gaps = citizen.missing(db, records.get_own(db, pid, row["code"]))["documents"]
        if gaps:
            names = ", ".join(text(d["name"]) for d in proc["documents"] if d["id"] in gaps)
            state["svc.errors"] = {"_": t("dossiers.documents.missing", documents=names)}
            st.rerun()
        go("check" if state.get("svc.back_to_check") else "delivery")

# --- how to receive the result ----------------------------------------------------------------
elif step == "delivery":
    proc = catalogue.get(row["procedure_id"])
    pages = len(proc["form_pages"])
    back_link("check" if state.get("svc.back_to_check") else "documents")
    st.caption(t("dossiers.step", n=pages + 2, total=pages + 3) + " · " + text(proc["name"]))
    st.title(t("dossiers.delivery.title"))
    if state.get("svc.errors"):
        st.error(t("dossiers.error.delivery"), icon=":material/error:")
    key = f"delivery.{row['code']}"
    if key not in state and row.get("delivery"):
        state[key] = row["delivery"]
    with st.form("delivery"):
        unset = {} if key in state else {"index": None}
        choice = st.radio(t("dossiers.delivery.title"), dossier_schema.DELIVERY, key=key, **unset,
                          format_func={d: t(f"dossiers.delivery.{d}") for d in dossier_schema.DELIVERY}.get,
                          label_visibility="collapsed")
        sent = st.form_submit_button(t("dossiers.continue"), type="primary", width="stretch")
    if sent:
        try:
            citizen.set_delivery(db, pid, row["code"], choice)
        except dossier_schema.DossierError:
            state["svc.errors"] = {"_": "dossiers.error.delivery"}
            st.rerun()
        go("check")

# --- check your answers ---------------------------------------------------------------------
elif step == "check":
    proc = catalogue.get(row["procedure_id"])
    pages = len(proc["form_pages"])
    back_link("delivery")
    st.caption(t("dossiers.step", n=pages + 3, total=pages + 3) + " · " + text(proc["name"]))
    st.title(t("dossiers.check.title"))
    if state.get("svc.errors"):
        st.error(state["svc.errors"]["_"], icon=":material/error:")

    def section(title: str, lines: list[str], change_key: str, **target) -> None:
        with st.container(border=True):
            st.header(title)
            st.markdown("  \n".join(lines) if lines else "—")
            if st.button(t("dossiers.change"), key=change_key, type="secondary"):
                go(target.pop("step"), back_to_check=True, **target)

    for index, page in enumerate(proc["form_pages"]):
        lines = [f"**{text(f['label'])}:** {row['answers'].get(f['id']) or '—'}" for f in page["fields"]]
        section(text(page["title"]), lines, f"change.page.{index}", step="page", page=index)
    attached = {d["document"] for d in records.documents_of(db, row["code"])}
    lines = [f"{':material/check_circle:' if d['id'] in attached else ':material/cancel:'} {text(d['name'])}"
             for d in proc["documents"]]
    section(t("dossiers.check.documents"), lines, "change.documents", step="documents")
    delivery = t(f"dossiers.delivery.{row['delivery']}") if row.get("delivery") else "—"
    section(t("dossiers.check.delivery"), [delivery], "change.delivery", step="delivery")

    now = clock.now(db)
    amount, rule = rules.fee_for(row, "online", now.date())
    st.markdown(f"**{t('dossiers.check.fee')}:** {money(amount) if amount else t('dossiers.check.fee_none')}  \n"
                f"{t(rule)}")
    st.markdown(f"**{t('dossiers.check.due')}:** {date(rules.due_date(now, proc['processing_days']))}")
    st.write(t("dossiers.check.declaration"))
    if st.button(t("dossiers.check.submit"), type="primary", width="stretch", icon=":material/send:"):
        try:
            citizen.submit(db, pid, row["code"])
        except dossier_schema.DossierError as error:
            state["svc.errors"] = {"_": refusal_text(error)}
            st.rerun()
        go("done")

# --- confirmation ---------------------------------------------------------------------------
elif step == "done":
    proc = catalogue.get(row["procedure_id"])
    st.html(f'<div class="cds-panel" role="status"><h2>{t("dossiers.done.title")}</h2>'
            f'<div>{t("dossiers.done.code")}</div><div class="cds-code">{row["code"]}</div></div>')
    st.markdown(f"**{text(proc['name'])}**  \n{t('dossiers.done.due', date=date(row['due_date']))}")
    # No "Thanh toán" here: on the portal one pays once the desk has asked (issue 13).
    if row["fee_unpaid"] > 0:
        st.info(t("dossiers.done.fee_later", amount=money(row["fee_unpaid"])), icon=":material/payments:")
    st.header(t("dossiers.done.next_title"))
    st.write(t("dossiers.done.next"))
    page_link("pages/sandbox/dossiers.py", label=t("dossiers.done.manage"), icon=":material/folder_open:",
                 query_params={"code": row["code"]})
    if st.button(t("dossiers.done.another"), width="stretch"):
        state.pop("svc.code", None)
        go("search")
