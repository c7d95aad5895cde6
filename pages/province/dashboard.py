"""The province's dashboard (issue 16): every commune against its target for a week, the ones
behind schedule, the ones that have not reported, the province's total week by week; the
table as CSV and a one-page PDF. Figures come only from the communes' signed packages."""

import pandas as pd
import streamlit as st

from pages._ui import plain
from pages._ui.frame import page_setup, t
from pages._ui.tracker_session import require_province_user
from workbench import databases, i18n, store
from workbench.province import charts, report, setup, summary



@st.cache_data(max_entries=32, show_spinner=False)
def province_view(path: str, version: int, week: str, lang: str) -> tuple[list, dict, bytes, pd.DataFrame]:
    """The week's rows, the charts' Vega-Lite specs, the CSV and the table, keyed on the database file and
    ``summary.data_version`` (moved by every import): a country's 3,321 communes are summed once
    per import, not once per click (bench/province_scale.py)."""
    pdb = databases.province()
    rows = summary.summary(pdb, week)
    specs = {"ranked": charts.ranked(rows, lang).to_dict(validate=False),
             "trend": charts.trend(summary.trend(pdb), lang).to_dict(validate=False)}

    def col(key):
        return i18n.t(f"province.page.col.{key}", lang)

    yes, no = i18n.t("province.page.yes", lang), i18n.t("province.page.no", lang)
    table = pd.DataFrame([{col("code"): r["code"], col("commune"): r["commune"], col("digital"): r["digital_citizens"],
                           col("target"): r["target"], col("ratio"): None if r["ratio"] is None else round(100 * r["ratio"], 1),
                           col("projected"): r["projected_date"], col("reported"): yes if r["reported"] else no}
                          for r in summary.ranked(rows)])
    return rows, specs, summary.to_csv(rows), table


lang = page_setup(sandbox=False)
st.title(t("common.nav.province_dashboard"))
db, user = require_province_user("reports")
province = setup.name(db)
st.caption(plain.md(province))

weeks = summary.weeks(db)
if not weeks:
    st.info(t("province.page.empty"), icon=":material/move_to_inbox:")
    st.stop()
week = st.selectbox(t("province.page.week"), weeks, key="province_week")
rows, specs, csv_bytes, table = province_view(str(store.db_path(store.PROVINCE)), summary.data_version(db), week, lang)
totals = summary.totals(rows)

first, second = st.columns(2)
first.metric(t("province.page.reported"), f"{totals['reported']}/{totals['communes']}")
second.metric(t("province.page.digital"), f"{totals['digital']:,}".replace(",", "." if lang == "vi" else ","),
              help=f"{t('province.page.col.target')}: {totals['target']:,}")
third, fourth = st.columns(2)
third.metric(t("province.page.lagging"), totals["lagging"])
fourth.metric(t("province.page.communes"), totals["communes"])

st.subheader(t("province.page.ranked_title"))
shown = min(charts.MAX_BARS, sum(r["ratio"] is not None for r in rows))
st.caption(t("province.page.ranked_caption", shown=shown, total=len(rows)))
st.vega_lite_chart(spec=specs["ranked"], width="stretch")

st.subheader(t("province.page.lagging_title"))
late = summary.lagging(rows)
if late:
    st.markdown("\n".join(f"- {plain.md(r['commune'])} ({round(100 * r['ratio'])}%)" for r in late[:50]))
else:
    st.success(t("province.page.lagging_none"), icon=":material/check_circle:")

st.subheader(t("province.page.missing_title", week=week))
missing = summary.not_reported(rows)
if missing:
    st.markdown("\n".join(f"- {plain.md(r['commune'])}" for r in missing[:50]) + ("\n- …" if len(missing) > 50 else ""))
else:
    st.success(t("province.page.missing_none"), icon=":material/check_circle:")

st.subheader(t("province.page.trend_title"))
st.vega_lite_chart(spec=specs["trend"], width="stretch")

st.subheader(t("province.page.table_title"))
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(t("province.page.csv"), csv_bytes, file_name=f"cong-dan-so-tinh-{week}.csv",
                   mime="text/csv", icon=":material/table:", key="province_csv")
if st.button(t("province.page.pdf"), key="province_pdf_make", icon=":material/picture_as_pdf:"):
    st.session_state["province_pdf"] = (user["id"], week, report.build(db, province, week, lang))
made = st.session_state.get("province_pdf")
if made and made[0] == user["id"] and made[1] == week:
    st.download_button(t("province.page.pdf_download"), made[2], file_name=f"bao-cao-tinh-{week}.pdf",
                       mime="application/pdf", type="primary", icon=":material/download:", key="province_pdf")
