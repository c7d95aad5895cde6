"""The province dashboard's charts (issue 16), Altair, from the summary's small lists of rows.

At a country's 3,321 communes a bar each would not fit a phone: the ranking shows the
``MAX_BARS`` lowest, and the table under it lists every commune.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from workbench import i18n

MAX_BARS = 30
BLUE, RED, GREEN = "#1d70b8", "#d4351c", "#00703c"


def _config(chart: alt.Chart) -> alt.Chart:
    chart.autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    chart.width = "container"
    chart.config = alt.Config(axis=alt.AxisConfig(labelFontSize=13, titleFontSize=13, labelLimit=170),
                              view=alt.ViewConfig(strokeWidth=0))
    return chart


def ranked(rows: list[dict], lang: str = "vi") -> alt.Chart:
    """Each commune's share of its target, the lowest ``MAX_BARS`` first; lagging ones in red."""
    known = sorted((r for r in rows if r["ratio"] is not None), key=lambda r: (r["ratio"], r["commune"]))[:MAX_BARS]
    share = i18n.t("province.page.col.ratio", lang)
    data = pd.DataFrame([{"commune": r["commune"], "share": round(100 * r["ratio"], 1),
                          "late": bool(r["ratio"] < 1 and not r["on_track"])} for r in known])
    if data.empty:
        data = pd.DataFrame({"commune": [], "share": [], "late": []})
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("commune:N", sort=None, title=None),
        x=alt.X("share:Q", title=f"{share} (%)", scale=alt.Scale(domain=[0, max(100, float(data["share"].max() or 0))])),
        color=alt.condition("datum.late", alt.value(RED), alt.value(BLUE)),
        tooltip=[alt.Tooltip("commune:N", title=i18n.t("province.page.col.commune", lang)),
                 alt.Tooltip("share:Q", title=f"{share} (%)")])
    goal = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color=GREEN, strokeWidth=2).encode(x="x:Q")
    chart = alt.layer(bars, goal)
    chart.height = max(120, 22 * len(data))
    return _config(chart)


def trend(points: list[dict], lang: str = "vi") -> alt.Chart:
    """The province's digital citizens (as reported) week by week."""
    data = pd.DataFrame(points or [{"week_start": None, "digital": None, "communes": None}])
    digital = i18n.t("province.page.col.digital", lang)
    chart = alt.Chart(data).mark_line(point=True, color=BLUE).encode(
        x=alt.X("week_start:T", title=i18n.t("province.page.week", lang)),
        y=alt.Y("digital:Q", title=digital),
        tooltip=[alt.Tooltip("week_start:T", title=i18n.t("province.page.week", lang)),
                 alt.Tooltip("digital:Q", title=digital),
                 alt.Tooltip("communes:Q", title=i18n.t("province.page.communes", lang))])
    chart.height = 240
    return _config(chart)
