"""The one-page weekly report to the province (issue 8; issue 13: no districts since 1/7/2025): printable A4, in Vietnamese.

Built from the same aggregated figures as the dashboard (``dashboard.figures``) and the same
chart builders (``charts``), rendered to PNG offline by vl-convert. Real data: no sandbox
stamp, and no citizen's name, only counts.
"""

from __future__ import annotations

import datetime as dt
import io

from workbench import i18n, names, pdf
from workbench.tracker import charts, dashboard, realtime

TABLE_ROWS = 20  # villages listed, lowest rate first: what fits on the page with the charts
REPORT_DAYS = 7


def report_filters(end: dt.date | str | None = None, village_ids=None) -> tuple[dashboard.Filters, dashboard.Filters]:
    """(the whole period up to ``end``, the 7 days ending on ``end``)."""
    end_day = dt.date.fromisoformat(end) if isinstance(end, str) else (end or realtime.today())
    week_start = end_day - dt.timedelta(days=REPORT_DAYS - 1)
    return (dashboard.Filters(end=end_day.isoformat(), village_ids=village_ids),
            dashboard.Filters(start=week_start.isoformat(), end=end_day.isoformat(), village_ids=village_ids))


def report_figures(db, end=None, village_ids=None) -> dict:
    """Everything the report states, as numbers: the dashboard to date, and this week's."""
    overall, week = report_filters(end, village_ids)
    figures = dashboard.figures(db, overall)
    this_week = dashboard.weekly(db, week)
    figures["week"] = {
        "start": week.start, "end": week.end,
        "milestones": sum(w["milestones"] for w in this_week),
        "new_digital": sum(w["digital"] for w in this_week),
        "funnel": dashboard.funnel(db, week),
    }
    return figures


def _date(iso: str) -> str:
    return i18n.format_date(dt.date.fromisoformat(iso))


_n = charts.number


def _key_values(doc, rows: list[tuple[str, str]], key_width: float) -> None:
    """Label and value side by side, left-aligned (justified Vietnamese text gapes)."""
    for key, value in rows:
        y = doc.get_y()
        doc.set_font("DejaVu", "B", 9.5)
        doc.multi_cell(key_width, 5, key, align="L", new_x="LMARGIN", new_y="NEXT")
        bottom = doc.get_y()
        doc.set_xy(15 + key_width, y)
        doc.set_font("DejaVu", "", 9.5)
        doc.multi_cell(0, 5, str(value), align="L", new_x="LMARGIN", new_y="NEXT")
        doc.set_y(max(doc.get_y(), bottom))


def build(db, *, end=None, village_ids=None, author: str = "", lang: str = "vi") -> bytes:
    """The PDF's bytes."""
    figures = report_figures(db, end, village_ids)
    return render(figures, author=author, lang=lang)


def render(figures: dict, *, author: str = "", lang: str = "vi") -> bytes:
    head, week = figures["headline"], figures["week"]
    # the level the report goes to is the one of the report's week (issue 13: the province)
    law_names = names.params(dt.date.fromisoformat(week["end"]), lang)

    def t(key, **params):
        return i18n.t(f"tracker_dashboard.report.{key}", lang, **{**law_names, **params})

    commune = figures.get("commune") or {}
    doc = pdf.new_document(sandbox=False, title=t("title"))
    doc.set_auto_page_break(auto=False)
    doc.set_margins(15, 12, 15)
    doc.set_y(12)

    # The heading of a Vietnamese administrative report: issuer on the left, the motto on the right.
    doc.set_font("DejaVu", "B", 9)
    left_w, right_w = 75, 105
    y = doc.get_y()
    doc.multi_cell(left_w, 4.5, t("issuer", commune=(commune.get("name") or "").upper()), align="C",
                   new_x="RIGHT", new_y="TOP")
    doc.set_xy(15 + left_w, y)
    doc.multi_cell(right_w, 4.5, t("motto"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 9)
    doc.set_x(15 + left_w)
    doc.cell(right_w, 5, t("place_date", place=commune.get("name") or "", date=_date(week["end"])), align="C",
             new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    doc.set_font("DejaVu", "B", 14)
    doc.cell(0, 7, t("title"), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 10)
    doc.cell(0, 5, t("period", start=_date(week["start"]), end=_date(week["end"])), align="C",
             new_x="LMARGIN", new_y="NEXT")
    if commune.get("province"):  # two tiers: a commune reports to its province, never to a huyện
        doc.cell(0, 5, t("to", recipient=commune["province"]), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)

    # Key figures.
    percent = round(100 * head["ratio"])
    if head["digital"] >= head["goal"]:
        outlook = t("reached")
    elif head["projected"]:
        outlook = t("projection", per_week=_n(float(head["per_week"]), lang), date=_date(head["projected"]),
                    verdict=t("on_track") if head["on_track"] else t("late", needed=_n(head["needed_per_week"] or 0, lang)))
    else:
        outlook = t("no_projection")
    lagging = [v["name"] for v in figures["villages"] if v["lagging"]]
    rows = [
        (t("k_digital"), t("v_digital", digital=_n(head["digital"], lang), goal=_n(head["goal"], lang),
                           percent=percent, deadline=_date(head["deadline"]))),
        (t("k_week"), t("v_week", new=_n(week["new_digital"], lang), milestones=_n(week["milestones"], lang))),
        (t("k_recorded"), _n(head["recorded"], lang)),
        (t("k_outlook"), outlook),
        (t("k_lagging"), t("v_lagging", count=len(lagging), total=len(figures["villages"]),
                           names=", ".join(lagging[:8]) + ("…" if len(lagging) > 8 else "")) if lagging else t("none")),
        (t("k_groups"), "; ".join(
            t("v_group", group=i18n.t(f"tracker.group.{g['group']}", lang), digital=round(100 * g["digital_share"]),
              population=("—" if g["population_share"] is None else round(100 * g["population_share"])))
            for g in figures["groups"])),
    ]
    _key_values(doc, rows, key_width=42)
    doc.ln(1)

    # Two charts side by side.
    y = doc.get_y()
    cumulative = charts.cumulative(figures, lang, width=300, height=170)
    funnel = charts.funnel(figures, lang, width=230)
    doc.image(io.BytesIO(charts.to_png(cumulative)), x=15, y=y, w=92)
    doc.image(io.BytesIO(charts.to_png(funnel)), x=110, y=y, w=85)
    doc.set_y(y + 66)

    # Villages, lowest rate first.
    villages = sorted(figures["villages"], key=lambda v: (v["per_100"], v["name"]))
    shown = villages[:TABLE_ROWS]
    doc.set_font("DejaVu", "B", 10)
    title = t("villages_title") if len(villages) <= TABLE_ROWS else t("villages_title_capped", shown=len(shown),
                                                                         total=len(villages))
    doc.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 8.5)
    widths = (62, 24, 26, 26, 26, 16)
    header = (t("col_village"), t("col_population"), t("col_recorded"), t("col_digital"), t("col_per_100"),
              t("col_lagging"))
    with doc.table(col_widths=widths, line_height=4.6, text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "CENTER"),
                   first_row_as_headings=True, width=180) as table:
        table.row(header)
        for v in shown:
            table.row((v["name"], _n(v["population"] or 0, lang), _n(v["recorded"], lang), _n(v["digital"], lang),
                       _n(float(v["per_100"]), lang), "!" if v["lagging"] else ""))

    # Who made it, and when.
    doc.set_y(268)
    doc.set_font("DejaVu", "", 8)
    doc.multi_cell(0, 4, t("definition", milestones=", ".join(i18n.t(f"tracker.milestone.{m}", lang)
                                                             for m in figures["definition"])), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    doc.multi_cell(0, 4, t("made_by", author=author or "—", at=_date(figures["computed_at"][:10])), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    return pdf.to_bytes(doc)
