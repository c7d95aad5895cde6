"""The province's one-page PDF (issue 16): how many communes reported, the province's total
against the sum of the targets, the communes behind schedule and those that have not sent
the week. Made with ``workbench.pdf``, like the commune's weekly report; counts only."""

from __future__ import annotations

import datetime as dt

from workbench import i18n, pdf
from workbench.province import summary

LISTED = 25  # communes listed under each heading: what fits on the page


def _n(value, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


def build(db, province: str, week: str | None, lang: str = "vi") -> bytes:
    rows = summary.summary(db, week)
    totals = summary.totals(rows)
    week = week or summary.latest_week(db) or "—"

    def t(key, **params):
        return i18n.t(f"province.report.{key}", lang, **params)

    doc = pdf.new_document(sandbox=False, title=t("title"))
    doc.heading(t("title"), size=14)
    doc.paragraph(t("subtitle", province=province, week=week))
    percent = round(100 * totals["digital"] / totals["target"]) if totals["target"] else 0
    lagging, missing = summary.lagging(rows), summary.not_reported(rows)

    def names(found: list[dict]) -> str:
        listed = ", ".join(r["commune"] for r in found[:LISTED])
        return (listed + ("…" if len(found) > LISTED else "")) if found else t("none")

    doc.key_values([
        (t("k_reported"), t("v_reported", reported=_n(totals["reported"], lang), communes=_n(totals["communes"], lang))),
        (t("k_digital"), t("v_digital", digital=_n(totals["digital"], lang), target=_n(totals["target"], lang),
                           percent=percent)),
        (t("k_lagging"), f"{_n(len(lagging), lang)}: {names(lagging)}"),
        (t("k_missing"), f"{_n(len(missing), lang)}: {names(missing)}"),
    ], key_width=50)
    doc.ln(3)
    doc.set_font("DejaVu", "B", 11)
    doc.cell(0, 7, t("lowest"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("DejaVu", "", 9)
    col = lambda key: i18n.t(f"province.page.col.{key}", lang)  # noqa: E731
    widths = (20, 70, 30, 25, 35)
    for cells, bold in (((col("code"), col("commune"), col("digital"), col("target"), col("ratio")), True),
                        *(((r["code"], r["commune"], _n(r["digital_citizens"], lang), _n(r["target"], lang),
                            f"{round(100 * r['ratio'])}%"), False)
                          for r in sorted((r for r in rows if r["ratio"] is not None),
                                          key=lambda r: r["ratio"])[:LISTED])):
        doc.set_font("DejaVu", "B" if bold else "", 9)
        for width, cell in zip(widths, cells):
            doc.cell(width, 5.5, str(cell)[:40], border="B")
        doc.ln(5.5)
    doc.ln(3)
    doc.set_font("DejaVu", "", 8)
    doc.cell(0, 5, t("made", when=i18n.format_date(dt.date.today())))
    return pdf.to_bytes(doc)
