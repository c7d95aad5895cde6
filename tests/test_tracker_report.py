"""The weekly report to the province (issue 8; no districts since 1/7/2025, issue 13): one A4 page, from the dashboard's figures."""

import re

from workbench.tracker import report, synthetic


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_the_week_is_the_seven_days_ending_on_the_chosen_day(commune):
    figures = report.report_figures(commune["db"], end="2025-03-24")
    week = figures["week"]
    assert (week["start"], week["end"]) == ("2025-03-18", "2025-03-24")
    assert (week["milestones"], week["new_digital"]) == (6, 1)  # c4's sim and five on 20/03
    assert figures["headline"]["digital"] == 3


def test_the_last_week_of_march(commune):
    week = report.report_figures(commune["db"], end="2025-03-31")["week"]
    assert (week["milestones"], week["new_digital"]) == (1, 0)  # c4's first dossier on 25/03
    assert {r["milestone"]: r["citizens"] for r in week["funnel"]}["dossier"] == 1


def test_the_report_is_one_a4_page(commune):
    pdf = report.build(commune["db"], end="2025-03-31", author="Nguyễn Thị Hoa")
    assert pdf.startswith(b"%PDF")
    assert pages(pdf) == 1
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf  # A4 portrait


def test_a_province_still_fits_on_one_page(tracker_db):
    """1,292 villages: the table lists the lowest rates and says how many it leaves out."""
    synthetic.generate(tracker_db, 3000)
    figures = report.report_figures(tracker_db)
    assert len(figures["villages"]) == 1292
    pdf = report.render(figures, author="Sở", lang="en")
    assert pages(pdf) == 1
