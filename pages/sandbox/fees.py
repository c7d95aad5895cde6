"""Bảng phí, lệ phí: every sandbox procedure's fee at the desk and online on the sandbox date,
the rule applied, its source and the dates it is in force, for trainers; and a calculator for
the per-page certified-copy fee. Every amount comes from workbench.sandbox.fees.fee, the
function the filing screens use, with the sandbox clock's date (issue 13: move the clock past
31/12/2026 and the fee cut ends here too)."""

from __future__ import annotations

import streamlit as st

from pages._ui.dossier import money
from pages._ui.frame import page_setup, sandbox_db, t
from workbench import clock, i18n
from workbench.sandbox import catalogue, fees

lang = page_setup(sandbox=True)
today = clock.now(sandbox_db()).date()
st.title(t("fees.title"))
st.write(t("fees.intro"))
st.caption(t("fees.on_date", date=i18n.format_date(today, lang)))
text = lambda value: catalogue.text(value, lang)  # noqa: E731

for row in fees.table(today):
    with st.container(border=True):
        st.markdown(f"**{text(row['name'])}**  \n{text(catalogue.fields()[row['field']])}")
        desk, online = st.columns(2)
        desk.metric(t("fees.col_desk"), money(row["desk"]))
        online.metric(t("fees.col_online"), money(row["online"]))
        if row["desk"] > row["online"]:
            st.caption(t("fees.saving", amount=money(row["desk"] - row["online"])))
        valid = (t("fees.valid", start=i18n.format_date(row["valid_from"], lang),
                   end=i18n.format_date(row["valid_to"], lang)) if row["valid_to"]
                 else t("fees.valid_open", start=i18n.format_date(row["valid_from"], lang)))
        st.markdown(f"**{t('fees.col_rule')}:** {t(row['rule_key'])}  \n"
                    f"**{t('fees.basis')}:** {row['source']} — {valid}")
        if row["note"]:
            st.caption(row["note"])
        if row["confidence"] == "unconfirmed":  # trainers only: this page is the trainers' table
            st.warning(t("fees.unconfirmed"), icon=":material/help:")

st.subheader(t("fees.calculator"))
left, right = st.columns(2)
pages = left.number_input(t("fees.pages"), min_value=1, max_value=500, value=3, step=1, key="fees.pages")
copies = right.number_input(t("fees.copies"), min_value=1, max_value=50, value=1, step=1, key="fees.copies")
amount, rule = fees.fee("chung_thuc_ban_sao", "desk", pages=int(pages), copies=int(copies), on=today)
st.success(t("fees.calculated", amount=money(amount), rule=t(rule)), icon=":material/calculate:")
