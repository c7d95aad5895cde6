"""Bảng phí, lệ phí: every sandbox procedure's fee at the desk and online, the rule applied
and its legal basis, for trainers; and a calculator for the per-page certified-copy fee.
Every amount comes from workbench.sandbox.fees.fee, the function the filing screens use."""

from __future__ import annotations

import streamlit as st

from pages._ui.dossier import money
from pages._ui.frame import page_setup, t
from workbench.sandbox import catalogue, fees

lang = page_setup(sandbox=True)
st.title(t("fees.title"))
st.write(t("fees.intro"))
text = lambda value: catalogue.text(value, lang)  # noqa: E731

for row in fees.table():
    with st.container(border=True):
        st.markdown(f"**{text(row['name'])}**  \n{text(catalogue.fields()[row['field']])}")
        desk, online = st.columns(2)
        desk.metric(t("fees.col_desk"), money(row["desk"]))
        online.metric(t("fees.col_online"), money(row["online"]))
        if row["desk"] > row["online"]:
            st.caption(t("fees.saving", amount=money(row["desk"] - row["online"])))
        st.markdown(f"**{t('fees.col_rule')}:** {t(row['rule_key'])}  \n**{t('fees.basis')}:** {text(row['basis'])}")

st.subheader(t("fees.calculator"))
left, right = st.columns(2)
pages = left.number_input(t("fees.pages"), min_value=1, max_value=500, value=3, step=1, key="fees.pages")
copies = right.number_input(t("fees.copies"), min_value=1, max_value=50, value=1, step=1, key="fees.copies")
amount, rule = fees.fee("chung_thuc_ban_sao", "desk", pages=int(pages), copies=int(copies))
st.success(t("fees.calculated", amount=money(amount), rule=t(rule)), icon=":material/calculate:")
