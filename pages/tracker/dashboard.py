"""Tracker dashboard (issue 8): where the commune stands on its "1.000 công dân số" target, by
village, team and group. Signed-in users only; volunteers see their own villages' figures.

Every figure is aggregated in SQL (``dashboard.figures``) and cached per data version, so a
province's 320,000 citizens cost one query run per change, not one per click.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from pages._ui import plain
from pages._ui.frame import page_setup, t
from pages._ui.tracker_session import require_tracker_user
from workbench import databases, i18n, store
from workbench.tracker import audit, auth, charts, dashboard, places, realtime

lang = page_setup(sandbox=False)
st.title(t("common.nav.tracker_dashboard"))
db, user = require_tracker_user("view_aggregates")


STYLED_ROWS = 300  # colouring a province's 1,292 table rows costs more than it shows


@st.cache_data(max_entries=64, show_spinner=False)
def dashboard_view(path: str, version: int, start, end, village_ids, team_id, lang: str) -> tuple[dict, dict]:
    """The figures and the charts' Vega-Lite specs, keyed on the database file and
    ``audit.data_version`` (moved by every write that can change a figure, not by a login):
    one computation per change, not per click."""
    figures = dashboard.figures(databases.tracker(), dashboard.Filters(start, end, village_ids, team_id))
    if not figures["headline"]["recorded"]:
        return figures, {}
    return figures, {name: charts.spec(chart) for name, chart in charts.all_charts(figures, lang).items()}


def day(iso: str | None) -> str:
    return i18n.format_date(dt.date.fromisoformat(iso)) if iso else ""


def number(value) -> str:
    return charts.number(value, lang)


allowed = auth.dashboard_villages(user)  # None: the whole commune
village_rows = places.villages(db, allowed)
team_rows = places.teams(db, allowed)
village_names = {v["id"]: v["name"] for v in village_rows}
team_names = {tm["id"]: tm["name"] for tm in team_rows}

if allowed is not None:
    st.caption(t("tracker_dashboard.scope_volunteer", villages=", ".join(map(plain.md, village_names.values())) or "—"))

with st.expander(t("tracker_dashboard.filters.title"), icon=":material/filter_list:"):
    start = st.date_input(t("tracker_dashboard.filters.start"), value=None, format="DD/MM/YYYY",
                          key="dash_start", help=t("tracker_dashboard.filters.start_help"))
    end = st.date_input(t("tracker_dashboard.filters.end"), value=realtime.today(), format="DD/MM/YYYY",
                        key="dash_end", max_value=realtime.today())
    chosen = st.multiselect(t("tracker_dashboard.filters.villages"), list(village_names),
                            format_func=village_names.get, key="dash_villages",
                            placeholder=t("tracker_dashboard.filters.all_villages"))
    team = st.selectbox(t("tracker_dashboard.filters.team"), [None, *team_names],
                        format_func=lambda i: t("tracker_dashboard.filters.all_teams") if i is None else team_names[i],
                        key="dash_team")

end = end or realtime.today()
if start and start > end:
    st.error(t("tracker_dashboard.filters.start_after_end", start=day(start.isoformat()), end=day(end.isoformat())),
             icon=":material/error:")
    st.stop()

village_ids = tuple(sorted(chosen)) if chosen else allowed
if allowed is not None:  # a volunteer's view never leaves their villages, whatever the widget holds
    village_ids = tuple(v for v in village_ids if v in allowed)
figures, specs = dashboard_view(str(store.db_path(store.TRACKER)), audit.data_version(db),
                                start.isoformat() if start else None, end.isoformat(), village_ids, team, lang)
head = figures["headline"]

# --- headline -------------------------------------------------------------------------------
st.subheader(t("tracker_dashboard.headline.title", name=plain.md(head["target_name"])))
left, right = st.columns(2)
left.metric(t("tracker_dashboard.headline.digital"), number(head["digital"]),
            help=t("tracker_dashboard.headline.digital_help",
                   milestones=", ".join(t(f"tracker.milestone.{m}") for m in figures["definition"])))
right.metric(t("tracker_dashboard.headline.goal"), number(head["goal"]))
st.progress(head["ratio"], text=t("tracker_dashboard.headline.progress", percent=round(100 * head["ratio"]),
                                  deadline=day(head["deadline"])))
if head["goal_share"] < 1:
    st.caption(t("tracker_dashboard.headline.goal_share", goal=number(head["goal"]), commune_goal=number(head["commune_goal"])))
if head["digital"] >= head["goal"]:
    st.success(t("tracker_dashboard.headline.reached"), icon=":material/check_circle:")
elif head["projected"]:
    message = t("tracker_dashboard.headline.projection", per_week=number(float(head["per_week"])), date=day(head["projected"]))
    if head["on_track"]:
        st.success(message + " " + t("tracker_dashboard.headline.on_track"), icon=":material/trending_up:")
    else:
        st.warning(message + " " + t("tracker_dashboard.headline.late", needed=number(head["needed_per_week"] or 0),
                                     deadline=day(head["deadline"])), icon=":material/schedule:")
else:
    st.warning(t("tracker_dashboard.headline.no_projection"), icon=":material/schedule:")
st.caption(t("tracker_dashboard.headline.recorded", recorded=number(head["recorded"])))

if not head["recorded"]:
    st.info(t("tracker_dashboard.empty"), icon=":material/info:")
    st.stop()

st.vega_lite_chart(spec=specs["cumulative"], width="stretch")

st.subheader(t("tracker_dashboard.funnel.title"))
st.vega_lite_chart(spec=specs["funnel"], width="stretch")

# --- villages -------------------------------------------------------------------------------
st.subheader(t("tracker_dashboard.villages.title"))
lagging = [v["name"] for v in figures["villages"] if v["lagging"]]
if lagging:
    st.warning(t("tracker_dashboard.villages.lagging", count=len(lagging), names=", ".join(map(plain.md, lagging[:12])),
                 threshold=number(float(figures["lag_threshold"]))), icon=":material/flag:")
if len(figures["villages"]) > charts.MAX_BARS:
    st.caption(t("tracker_dashboard.villages.chart_capped", shown=charts.MAX_BARS,
                 total=len(figures["villages"])))
st.vega_lite_chart(spec=specs["villages"], width="stretch")
table = pd.DataFrame(figures["villages"], columns=["name", "population", "recorded", "digital", "per_100", "lagging"])
table["lagging"] = ["⚠" if lag else "" for lag in table["lagging"]]
if len(table) <= STYLED_ROWS:
    table = table.style.apply(lambda row: ["background-color: #fde2dc" if row["lagging"] else "" for _ in row], axis=1)
st.dataframe(
    table, hide_index=True, width="stretch",
    column_config={
        "name": st.column_config.TextColumn(t("tracker_dashboard.villages.name")),
        "population": st.column_config.NumberColumn(t("tracker_dashboard.villages.population"), format="%d"),
        "recorded": st.column_config.NumberColumn(t("tracker_dashboard.villages.recorded"), format="%d"),
        "digital": st.column_config.NumberColumn(t("tracker_dashboard.villages.digital"), format="%d"),
        "per_100": st.column_config.NumberColumn(t("tracker_dashboard.villages.per_100"), format="%.1f"),
        "lagging": st.column_config.TextColumn(t("tracker_dashboard.villages.lagging_column"), width="small"),
    })

# --- teams, groups, weeks -------------------------------------------------------------------
st.subheader(t("tracker_dashboard.teams.title"))
st.vega_lite_chart(spec=specs["teams"], width="stretch")

st.subheader(t("tracker_dashboard.groups.title"))
if any(g["population_share"] is None for g in figures["groups"]):
    st.caption(t("tracker_dashboard.groups.no_population_share"))
st.vega_lite_chart(spec=specs["groups"], width="stretch")

st.subheader(t("tracker_dashboard.weekly.title"))
st.vega_lite_chart(spec=specs["weekly"], width="stretch")
st.caption(t("tracker_dashboard.updated", time=figures["computed_at"][11:16], date=day(figures["computed_at"][:10])))
