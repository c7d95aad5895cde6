"""The tracker dashboard's charts (issue 8), built once for the page, the PDF report and the
notebook, from the small aggregated lists ``dashboard.figures()`` returns: Altair never sees a
citizen row.

Phone first: horizontal bars (long village and team names read across a 360-px screen),
legends under the chart, few ticks, dd/mm dates, 13-px text. ``width="container"`` fills the
page; the PDF and the notebook pass a number.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import altair as alt
import pandas as pd
import vl_convert

from workbench import i18n

BLUE, ORANGE, GREY, GREEN, RED = "#1d70b8", "#d4351c", "#b1b4b6", "#00703c", "#d4351c"
MAX_BARS = 40  # a phone can show 40 bars; more become a list in the table below


def _t(lang: str):
    return lambda key, **params: i18n.t(key, lang, **params)


VI_NUMBERS = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " đ"]}


def number(value, lang: str) -> str:
    """1.234 and 19,5 in Vietnamese; 1,234 and 19.5 in English."""
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def _theme(chart: alt.Chart, width, lang: str = "vi") -> alt.Chart:
    """Size, fonts, legends under the chart, Vietnamese numbers. Set in place on a chart built
    just now: each ``.properties()``/``.configure_*()`` would deep-copy it (and its data)."""
    if width == "container":
        # Fit the page's width only: Streamlit's default "fit" squeezes the height of a chart
        # with a legend under it until bars overlap and labels vanish.
        chart.autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    chart.width = width
    chart.config = _config(lang)
    return chart


@lru_cache(maxsize=4)
def _config(lang: str) -> alt.Config:
    """Built once per language (a few ms each time, six charts a view); never changed after."""
    return alt.Config(
        locale=alt.Locale(number=VI_NUMBERS) if lang == "vi" else alt.Undefined,
        axis=alt.AxisConfig(labelFontSize=13, titleFontSize=13, labelLimit=170),
        legend=alt.LegendConfig(orient="bottom", labelFontSize=13, titleFontSize=13, columns=1, labelLimit=300),
        title=alt.TitleConfig(fontSize=15, anchor="start"),
        view=alt.ViewConfig(strokeWidth=0))


def spec(chart: alt.Chart) -> dict:
    """The Vega-Lite spec, without Altair's JSON-schema validation (a third of the time of a
    dashboard view; the tests validate every chart)."""
    return chart.to_dict(validate=False)


def cumulative(figures: dict, lang: str = "vi", width="container", height: int = 260) -> alt.Chart:
    """Digital citizens over time, the target as a horizontal line and the deadline as a vertical
    one; a dashed line to the projected date when there is one."""
    t = _t(lang)
    head = figures["headline"]
    series = t("tracker_dashboard.chart.digital")
    data = pd.DataFrame(figures["cumulative"] or [{"week": figures["filters"]["end"], "digital": 0}])
    data["series"] = series
    x = alt.X("week:T", title=None, axis=alt.Axis(format="%d/%m/%y", labelAngle=0, tickCount=4))
    y = alt.Y("digital:Q", title=t("tracker_dashboard.chart.citizens"),
              scale=alt.Scale(domain=[0, max(head["goal"], int(data["digital"].max() or 0)) * 1.05]))
    layers = [alt.Chart(data).mark_line(strokeWidth=3, color=BLUE).encode(
        x=x, y=y, tooltip=[alt.Tooltip("week:T", title=t("tracker_dashboard.chart.week"), format="%d/%m/%Y"),
                           alt.Tooltip("digital:Q", title=series)])]
    goal = pd.DataFrame([{"goal": head["goal"], "label": t("tracker_dashboard.chart.goal_label", goal=number(head["goal"], lang))}])
    layers.append(alt.Chart(goal).mark_rule(color=RED, strokeDash=[6, 4], strokeWidth=2).encode(y=alt.Y("goal:Q")))
    layers.append(alt.Chart(goal).mark_text(align="left", dx=4, dy=-8, color=RED, fontSize=13).encode(
        y=alt.Y("goal:Q"), x=alt.XValue(0), text=alt.Text("label:N")))
    deadline = pd.DataFrame([{"week": head["deadline"],
                              "label": t("tracker_dashboard.chart.deadline_label",
                                         date=i18n.format_date(dt.date.fromisoformat(head["deadline"])))}])
    layers.append(alt.Chart(deadline).mark_rule(color=RED, strokeWidth=2).encode(x=alt.X("week:T")))
    layers.append(alt.Chart(deadline).mark_text(align="right", dx=-4, y=height - 10, color=RED, fontSize=13).encode(
        x=alt.X("week:T"), text=alt.Text("label:N")))
    if head["projected"] and head["digital"] < head["goal"]:
        end = figures["filters"]["end"]
        path = pd.DataFrame([{"week": end, "digital": head["digital"]}, {"week": head["projected"], "digital": head["goal"]}])
        layers.append(alt.Chart(path).mark_line(strokeDash=[3, 3], color=GREY, strokeWidth=2).encode(x=alt.X("week:T"), y=alt.Y("digital:Q")))
    chart = alt.layer(*layers).properties(height=height, title=t("tracker_dashboard.chart.cumulative_title"))
    return _theme(chart, width, lang)


def funnel(figures: dict, lang: str = "vi", width="container") -> alt.Chart:
    """Citizens who reached each milestone, in the order people usually reach them."""
    t = _t(lang)
    data = pd.DataFrame(figures["funnel"])
    data["label"] = [t(f"tracker.milestone.{m}") for m in data["milestone"]]
    data["digital"] = [m in figures["definition"] for m in data["milestone"]]
    order = list(data["label"])
    y = alt.Y("label:N", sort=order, title=None)
    bars = alt.Chart(data).mark_bar(height=22).encode(
        x=alt.X("citizens:Q", title=t("tracker_dashboard.chart.citizens")), y=y,
        color=alt.Color("digital:N", scale=alt.Scale(domain=[True, False], range=[BLUE, GREY]),
                        legend=alt.Legend(title=None, labelExpr=(
                            f"datum.value ? '{t('tracker_dashboard.chart.in_definition')}' : "
                            f"'{t('tracker_dashboard.chart.not_in_definition')}'"))),
        tooltip=[alt.Tooltip("label:N", title=t("tracker_dashboard.chart.milestone")),
                 alt.Tooltip("citizens:Q", title=t("tracker_dashboard.chart.citizens"), format=",")])
    text = alt.Chart(data).mark_text(align="left", dx=3, fontSize=13).encode(x=alt.X("citizens:Q"), y=y, text=alt.Text("citizens:Q", format=","))
    return _theme((bars + text).properties(height=len(data) * 30, title=t("tracker_dashboard.chart.funnel_title")),
                  width, lang)


def villages(figures: dict, lang: str = "vi", width="container", limit: int = MAX_BARS) -> alt.Chart:
    """Digital citizens per 100 people by village, lowest first (capped at ``limit`` bars), the
    lagging ones in orange, with the lag threshold as a line."""
    t = _t(lang)
    rows = sorted(figures["villages"], key=lambda r: (r["per_100"], r["name"]))[:limit]
    data = pd.DataFrame(rows or [{"name": "", "per_100": 0.0, "lagging": False, "digital": 0, "population": 0}])
    data["status"] = [t("tracker_dashboard.chart.lagging") if lag else t("tracker_dashboard.chart.not_lagging")
                      for lag in data["lagging"]]
    y = alt.Y("name:N", sort=list(data["name"]), title=None)
    bars = alt.Chart(data).mark_bar(height=16).encode(
        x=alt.X("per_100:Q", title=t("tracker_dashboard.chart.per_100")), y=y,
        color=alt.Color("status:N", title=None, scale=alt.Scale(
            domain=[t("tracker_dashboard.chart.lagging"), t("tracker_dashboard.chart.not_lagging")],
            range=[ORANGE, BLUE])),
        tooltip=[alt.Tooltip("name:N", title=t("tracker_dashboard.chart.village")),
                 alt.Tooltip("digital:Q", title=t("tracker_dashboard.chart.digital"), format=","),
                 alt.Tooltip("population:Q", title=t("tracker_dashboard.chart.population"), format=","),
                 alt.Tooltip("per_100:Q", title=t("tracker_dashboard.chart.per_100"), format=".1f")])
    layers = [bars]
    threshold = figures.get("lag_threshold")
    if threshold:
        layers.append(alt.Chart(pd.DataFrame([{"x": threshold}])).mark_rule(color=RED, strokeDash=[4, 3]).encode(x=alt.X("x:Q")))
    chart = alt.layer(*layers).properties(height=max(80, len(data) * 22),
                                          title=t("tracker_dashboard.chart.villages_title"))
    return _theme(chart, width, lang)


def teams(figures: dict, lang: str = "vi", width="container", limit: int = MAX_BARS) -> alt.Chart:
    """Citizens each team helped in the date range, most first."""
    t = _t(lang)
    data = pd.DataFrame(figures["teams"][:limit] or [{"name": "", "citizens": 0, "milestones": 0}])
    y = alt.Y("name:N", sort="-x", title=None)
    bars = alt.Chart(data).mark_bar(height=16, color=BLUE).encode(
        x=alt.X("citizens:Q", title=t("tracker_dashboard.chart.helped")), y=y,
        tooltip=[alt.Tooltip("name:N", title=t("tracker_dashboard.chart.team")),
                 alt.Tooltip("citizens:Q", title=t("tracker_dashboard.chart.helped"), format=","),
                 alt.Tooltip("milestones:Q", title=t("tracker_dashboard.chart.milestones"), format=",")])
    text = alt.Chart(data).mark_text(align="left", dx=3, fontSize=12).encode(x=alt.X("citizens:Q"), y=y, text=alt.Text("citizens:Q", format=","))
    return _theme((bars + text).properties(height=max(80, len(data) * 22), title=t("tracker_dashboard.chart.teams_title")),
                  width, lang)


def groups(figures: dict, lang: str = "vi", width="container") -> alt.Chart:
    """Women, ethnic minorities and people 60+: share of digital citizens, of citizens recorded,
    and of the population, side by side."""
    t = _t(lang)
    measures = [("digital_share", t("tracker_dashboard.chart.share_digital")),
                ("recorded_share", t("tracker_dashboard.chart.share_recorded")),
                ("population_share", t("tracker_dashboard.chart.share_population"))]
    rows = []
    for group in figures["groups"]:
        for key, label in measures:
            if group[key] is not None:
                rows.append({"group": t(f"tracker.group.{group['group']}"), "measure": label, "order": len(rows),
                             "share": float(group[key])})
    data = pd.DataFrame(rows)
    labels = [label for _, label in measures]
    y = alt.Y("group:N", title=None, sort=[t(f"tracker.group.{g['group']}") for g in figures["groups"]])
    encode = dict(y=y, yOffset=alt.YOffset("measure:N", sort=labels))
    bars = alt.Chart(data).mark_bar(height=12).encode(
        x=alt.X("share:Q", title=t("tracker_dashboard.chart.share"), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("measure:N", title=None, sort=labels, scale=alt.Scale(domain=labels, range=[BLUE, "#5694ca", GREY])),
        tooltip=[alt.Tooltip("group:N", title=t("tracker_dashboard.chart.group")), alt.Tooltip("measure:N", title=" "),
                 alt.Tooltip("share:Q", title=t("tracker_dashboard.chart.share"), format=".0%")], **encode)
    text = alt.Chart(data).mark_text(align="left", dx=3, fontSize=11).encode(
        x=alt.X("share:Q"), text=alt.Text("share:Q", format=".0%"), **encode)
    return _theme((bars + text).properties(height=len(figures["groups"]) * 50,
                                           title=t("tracker_dashboard.chart.groups_title")), width, lang)


def weekly(figures: dict, lang: str = "vi", width="container", height: int = 200) -> alt.Chart:
    """Milestones recorded per week, and of them the citizens who became digital that week."""
    t = _t(lang)
    rows = []
    for row in figures["weekly"]:
        rows.append({"week": row["week"], "measure": t("tracker_dashboard.chart.milestones"), "value": row["milestones"]})
        rows.append({"week": row["week"], "measure": t("tracker_dashboard.chart.new_digital"), "value": row["digital"]})
    data = pd.DataFrame(rows or [{"week": figures["filters"]["end"], "measure": "", "value": 0}])
    labels = [t("tracker_dashboard.chart.milestones"), t("tracker_dashboard.chart.new_digital")]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("week:T", title=None, axis=alt.Axis(format="%d/%m", labelAngle=0, tickCount=4)),
        y=alt.Y("value:Q", title=t("tracker_dashboard.chart.per_week"), stack=None),
        color=alt.Color("measure:N", title=None, sort=labels, scale=alt.Scale(domain=labels, range=["#9cc3e5", BLUE])),
        order=alt.Order("measure:N", sort="descending"),
        tooltip=[alt.Tooltip("week:T", title=t("tracker_dashboard.chart.week"), format="%d/%m/%Y"),
                 alt.Tooltip("measure:N", title=" "), alt.Tooltip("value:Q", title=" ", format=",")],
    ).properties(height=height, title=t("tracker_dashboard.chart.weekly_title"))
    return _theme(chart, width, lang)


def all_charts(figures: dict, lang: str = "vi", width="container") -> dict[str, alt.Chart]:
    return {"cumulative": cumulative(figures, lang, width), "funnel": funnel(figures, lang, width),
            "villages": villages(figures, lang, width), "teams": teams(figures, lang, width),
            "groups": groups(figures, lang, width), "weekly": weekly(figures, lang, width)}


def to_png(chart: alt.Chart, scale: float = 2.0) -> bytes:
    """A chart as a PNG, rendered offline by vl-convert (no browser, nothing fetched)."""
    return vl_convert.vegalite_to_png(spec(chart), scale=scale)
