"""After the workshop: attendance, completion per lesson and step, common mistakes, time
taken (charts), CSV and a printable PDF, certificates with verification codes, and the
bridge that adds consenting real citizens to the tracker."""

import altair as alt
import pandas as pd
import streamlit as st

from pages._ui.frame import current_lang, page_setup, sandbox_db, show_refusal, t
from workbench import clock
from workbench.learning import to_tracker
from workbench.learning.lessons import catalogue
from workbench.learning.lessons.model import LessonError
from workbench.learning.workshops import certificates, hall, report
from workbench.learning.workshops.hall import WorkshopError
from workbench.tracker import fields as tracker_fields, places as tracker_places
from workbench.tracker.errors import TrackerError

page_setup(sandbox=False)
lang = current_lang()
st.title(t("workshop.report.title"))
db = sandbox_db()

all_workshops = hall.list_all(db)
if not all_workshops:
    st.info(t("workshop.report.none"), icon=":material/info:")
    st.stop()
by_id = {w["id"]: w for w in all_workshops}
chosen_id = st.query_params.get("w")
if chosen_id not in by_id:
    chosen_id = all_workshops[0]["id"]


def remember_choice() -> None:
    st.query_params["w"] = st.session_state["report_workshop"]


if st.session_state.get("report_workshop") != chosen_id:
    st.session_state["report_workshop"] = chosen_id
st.selectbox(t("workshop.report.choose"), list(by_id), on_change=remember_choice, key="report_workshop",
             format_func=lambda wid: t("workshop.trainer.choose_option", name=by_id[wid]["name"],
                                       code=by_id[wid]["join_code"],
                                       status=t(f"workshop.status.{by_id[wid]['status']}")))

data = report.report(db, chosen_id)
current = data["workshop"]


def lesson_title(lesson_id: str) -> str:
    try:
        return catalogue.get(lesson_id).title[lang]
    except LessonError:
        return lesson_id


st.caption(f"{current['place']} · {current['date'][8:10]}/{current['date'][5:7]}/{current['date'][:4]}")
a, b, c = st.columns(3)
a.metric(t("workshop.report.joined"), data["joined"])
b.metric(t("workshop.report.finished"), data["finished"])
c.metric(t("workshop.report.median_minutes"), "—" if data["median_minutes"] is None else f"{data['median_minutes']:g}")

# --- completion --------------------------------------------------------------------------------------
st.subheader(t("workshop.report.completion_title"))
for row in data["lessons"]:
    st.markdown("- " + t("workshop.report.lesson_completion", title=lesson_title(row["lesson_id"]),
                         completed=row["completed"], total=row["total"]))


def step_label(lesson_id: str, step_id: str, number: int) -> str:
    text = catalogue.get(lesson_id).step(step_id).t("do", lang)
    return f"{number}. {text[:38]}…" if len(text) > 38 else f"{number}. {text}"


steps = pd.DataFrame([{**s, "label": step_label(s["lesson_id"], s["step_id"], s["number"]),
                       "lesson": lesson_title(s["lesson_id"])} for s in data["steps"]])
if data["joined"] and not steps.empty:
    st.altair_chart(alt.Chart(steps).mark_bar(color="#1b7f3b").encode(
        x=alt.X("done:Q", title=t("workshop.report.done_axis"), scale=alt.Scale(domain=[0, data["joined"]]),
                axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("label:N", sort=None, title=t("workshop.report.step_axis")),
        row=alt.Row("lesson:N", title=None) if len(data["lessons"]) > 1 else alt.Undefined,
        tooltip=["lesson", "label", "done", "total"],
    ), width="stretch")

# --- mistakes ----------------------------------------------------------------------------------------
st.subheader(t("workshop.report.mistakes_title"))
if data["mistakes"]:
    mistakes = pd.DataFrame([{"label": report.mistake_label(m["kind"], lang), **m} for m in data["mistakes"]])
    # Each error in words first: the chart's labels were cut at 360 px (issue 14); the chart
    # stays for the laptop and the projector only.
    st.markdown("\n".join(
        f"- **{row['label']}**: {t('workshop.report.times', n=row['count'])} "
        f"({t('workshop.report.people', n=row['participants'])})"
        for row in mistakes.sort_values("count", ascending=False).to_dict("records")))
    st.html("<style>@media (max-width: 640px) { .st-key-report_mistakes_chart { display: none; } }</style>")
    with st.container(key="report_mistakes_chart"):
        st.altair_chart(alt.Chart(mistakes).mark_bar(color="#c62828").encode(
            x=alt.X("count:Q", title=t("workshop.report.count_axis"), axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("label:N", sort="-x", title=t("workshop.report.mistake_axis"),
                    axis=alt.Axis(labelLimit=360)),
            tooltip=["label", "count", "participants"],
        ), width="stretch")
else:
    st.write(t("workshop.report.no_mistakes"))

# --- attendance and time -------------------------------------------------------------------------------
st.subheader(t("workshop.report.attendance_title"))
if data["attendance"]:
    table = pd.DataFrame([{
        t("workshop.dashboard.participant"): a["display_name"],
        t("workshop.field.role"): t(f"workshop.role.{a['role']}"),
        t("workshop.report.col_steps"): f"{a['steps_done']}/{a['steps_total']}",
        t("workshop.status.finished"): "✓" if a["finished"] else "",
        t("workshop.report.col_minutes"): a["minutes"],
        t("workshop.report.col_mistakes"): a["mistakes"],
    } for a in data["attendance"]])
    st.dataframe(table, hide_index=True, width="stretch")
    times = pd.DataFrame([{"name": a["display_name"], "minutes": a["minutes"], "finished": a["finished"]}
                          for a in data["attendance"]])
    st.markdown(f"**{t('workshop.report.time_title')}**")
    st.altair_chart(alt.Chart(times).mark_bar().encode(
        x=alt.X("minutes:Q", title=t("workshop.report.minutes_unit")),
        y=alt.Y("name:N", sort="-x", title=t("workshop.report.name_axis")),
        color=alt.Color("finished:N", legend=None, scale=alt.Scale(domain=[True, False], range=["#1b7f3b", "#9e9e9e"])),
        tooltip=["name", "minutes"],
    ), width="stretch")

left, right = st.columns(2)
left.download_button(t("workshop.report.download_csv"), report.report_csv(db, chosen_id, data).encode("utf-8"),
                     file_name=f"workshop-{current['date']}-{current['join_code']}.csv", mime="text/csv",
                     icon=":material/table:", width="stretch")
right.download_button(t("workshop.report.download_pdf"), report.report_pdf(db, chosen_id, lang, data),
                      file_name=f"workshop-{current['date']}-{current['join_code']}.pdf", mime="application/pdf",
                      icon=":material/print:", width="stretch")

# --- certificates -------------------------------------------------------------------------------------
st.subheader(t("workshop.report.certificates_title"))
if data["finished"]:
    st.write(t("workshop.report.certificates_body", n=data["finished"]))
    cert_lang = st.radio(t("workshop.report.certificate_language"), ["vi", "en"], horizontal=True,
                         format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code], key="cert_lang")
    st.download_button(t("workshop.report.download_certificates"),
                       certificates.certificates_pdf(db, chosen_id, cert_lang),
                       file_name=f"certificates-{current['join_code']}-{cert_lang}.pdf", mime="application/pdf",
                       icon=":material/workspace_premium:", key="download_certificates")
else:
    st.write(t("workshop.error.nobody_finished"))

with st.form("verify_certificate"):
    st.markdown(f"**{t('workshop.report.verify_title')}**")
    typed = st.text_input(t("workshop.report.verify_code"), max_chars=12, key="verify_code")
    check = st.form_submit_button(t("workshop.report.verify_button"))
if check:
    found = certificates.verify_certificate(db, typed)
    if found:
        st.success(t("workshop.report.verify_ok", name=found["display_name"], workshop=found["workshop_name"],
                     date=f"{found['date'][8:10]}/{found['date'][5:7]}/{found['date'][:4]}"),
                   icon=":material/verified:")
    else:
        st.error(t("workshop.report.verify_unknown"), icon=":material/error:")

# --- the bridge to the tracker (last: the tracker sign-in stops the page here) -----------------------
st.divider()
st.subheader(t("workshop.report.tracker_title"))
st.write(t("workshop.report.tracker_body"))
candidates = {a["persona_id"]: a["display_name"] for a in data["attendance"] if not a["tracked"]}
if not candidates:
    st.write(t("workshop.report.tracker_nobody"))
    st.stop()

from pages._ui.tracker_session import require_tracker_user  # noqa: E402  (after the sandbox part on purpose)

tracker_db, user = require_tracker_user("enter")
villages = tracker_places.villages(tracker_db, user.get("village_ids") if user["role"] == "volunteer" else None)
if not villages:
    st.warning(t("workshop.report.tracker_no_villages"), icon=":material/warning:")
    st.stop()
village_names = {v["id"]: v["name"] for v in villages}
with st.form("add_to_tracker"):
    who = st.selectbox(t("workshop.report.tracker_person"), list(candidates), format_func=lambda p: candidates[p],
                       key="tracker_person")
    full_name = st.text_input(t("workshop.report.tracker_full_name"), key="tracker_full_name")
    birth_year = st.text_input(t("workshop.report.tracker_birth_year"), max_chars=4, key="tracker_birth_year")
    gender = st.radio(t("workshop.report.tracker_gender"), tracker_fields.GENDERS, horizontal=True, key="tracker_gender")
    ethnicity = st.text_input(t("workshop.report.tracker_ethnicity"), key="tracker_ethnicity")
    village = st.selectbox(t("workshop.report.tracker_village"), list(village_names),
                           format_func=lambda v: village_names[v], key="tracker_village")
    phone = st.text_input(t("workshop.report.tracker_phone"), key="tracker_phone")
    consent = st.checkbox(t("workshop.report.tracker_consent"), key="tracker_consent")
    consent_by = st.text_input(t("workshop.report.tracker_consent_by"), value=user["display_name"],
                               key="tracker_consent_by")
    consent_date = st.date_input(t("workshop.report.tracker_consent_date"), value=clock.real_now().date(),
                                 format="DD/MM/YYYY", key="tracker_consent_date")
    allow_duplicate = st.checkbox(t("workshop.report.tracker_allow_duplicate"), key="tracker_allow_duplicate")
    add = st.form_submit_button(t("workshop.report.tracker_submit"), type="primary")
if add:
    try:
        citizen_id = to_tracker.add_to_tracker(
            db, tracker_db, user, chosen_id, who, consent=consent, full_name=full_name, birth_year=birth_year,
            gender=gender, ethnicity=ethnicity, village=village, phone=phone or None, consent_by=consent_by,
            consent_date=consent_date.isoformat(), allow_duplicate=allow_duplicate)
    except (WorkshopError, TrackerError) as error:
        show_refusal(error, as_text=True)
    else:
        st.success(t("workshop.report.tracker_added", id=citizen_id), icon=":material/check_circle:")
