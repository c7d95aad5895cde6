"""Tracker reports (issue 8): the one-page weekly PDF for the district, in Vietnamese.

Officials and viewers (``reports`` permission). The report holds counts only, never a name.
"""

import datetime as dt

import streamlit as st

from pages._ui.frame import page_setup, show_refusal, t
from pages._ui.tracker_session import require_tracker_user
from workbench import i18n, weekly_package
from workbench.errors import Refusal
from workbench.tracker import package as tracker_package, realtime, report

lang = page_setup(sandbox=False)
st.title(t("common.nav.tracker_reports"))
db, user = require_tracker_user("reports")

st.subheader(t("tracker_dashboard.reports.weekly_title"))
st.write(t("tracker_dashboard.reports.weekly_body"))
end = st.date_input(t("tracker_dashboard.reports.end"), value=realtime.today(), max_value=realtime.today(),
                    format="DD/MM/YYYY", key="report_end", help=t("tracker_dashboard.reports.end_help"))
author = st.text_input(t("tracker_dashboard.reports.author"), value=user["display_name"], key="report_author")
report_lang = st.radio(t("tracker_dashboard.reports.language"), ["vi", "en"], format_func=i18n.language_name,
                       horizontal=True, key="report_lang")

if st.button(t("tracker_dashboard.reports.make"), type="primary", key="report_make",
             icon=":material/picture_as_pdf:"):
    if not author.strip():
        st.error(t("tracker_dashboard.reports.author_missing"), icon=":material/error:")
    else:
        with st.spinner(t("tracker_dashboard.reports.making")):
            data = report.build(db, end=end or realtime.today(), author=author.strip(), lang=report_lang)
        st.session_state["report_pdf"] = (user["id"], data, (end or realtime.today()).isoformat())

made = st.session_state.get("report_pdf")
if made and made[0] == user["id"]:  # a report made by someone who signed out since is not offered
    _, data, end_iso = made
    week_end = i18n.format_date(dt.date.fromisoformat(end_iso))
    st.success(t("tracker_dashboard.reports.ready", end=week_end), icon=":material/check_circle:")
    st.download_button(t("tracker_dashboard.reports.download"), data, file_name=f"bao-cao-cong-dan-so-{end_iso}.pdf",
                       mime="application/pdf", type="primary", icon=":material/download:", key="report_download")
    st.caption(t("tracker_dashboard.reports.print_hint"))

# --- the signed weekly package to the province (issue 16) --------------------------------------
st.divider()
st.subheader(t("province.package.title"))
st.write(t("province.package.body"))
weeks = [weekly_package.week_label(realtime.today() - dt.timedelta(weeks=n)) for n in range(8)]


def _week_label(week: str) -> str:
    monday, sunday = weekly_package.parse_week(week)
    return f"{week} ({i18n.format_date(monday)} – {i18n.format_date(sunday)})"


week = st.selectbox(t("province.package.week"), weeks, format_func=_week_label, key="package_week")
if st.button(t("province.package.make"), key="package_make", icon=":material/verified:"):
    try:
        with st.spinner(t("province.package.making")):
            name, data, made = tracker_package.make(db, week, lang="vi")
    except Refusal as error:
        show_refusal(error, as_text=True)
    else:
        st.session_state["package_made"] = (user["id"], name, data, made)

package_made = st.session_state.get("package_made")
if package_made and package_made[0] == user["id"]:
    _, name, data, made = package_made
    st.success(t("province.package.ready", week=made["week"], digital=made["digital_citizens"]),
               icon=":material/check_circle:")
    st.download_button(t("province.package.download"), data, file_name=name, mime="application/json",
                       type="primary", icon=":material/download:", key="package_download")
    st.caption(t("province.package.words", words=made["fingerprint"]))
