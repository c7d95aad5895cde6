"""The dashboard's figures (issue 8) on the hand-counted commune of tests/hand_counted.py."""

import datetime as dt
import math

import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.hand_counted import END
from workbench.tracker import audit, auth, citizens, dashboard, settings, targets
from workbench.tracker.dashboard import Filters
from workbench.tracker.errors import TrackerError


def test_headline_counts_digital_citizens_against_the_target(commune):
    head = dashboard.headline(commune["db"], Filters(end=END))
    assert (head["digital"], head["recorded"], head["goal"]) == (3, 4, 10)
    assert head["deadline"] == "2025-12-31"
    assert head["ratio"] == pytest.approx(0.3)


def test_the_projection_extends_the_pace_of_the_last_four_weeks(commune):
    head = dashboard.headline(commune["db"], Filters(end=END))
    # c2 and c4 became digital in the 28 days before 31/03: 0.5 a week; 7 more need 98 days.
    assert head["per_week"] == 0.5
    assert head["projected"] == "2025-07-07"
    assert head["on_track"] is True
    assert head["needed_per_week"] == 1  # 7 people in 275 days


def test_no_projection_without_recent_progress(commune):
    head = dashboard.headline(commune["db"], Filters(end="2025-03-05"))
    assert head["digital"] == 1
    assert head["projected"] is None
    assert head["on_track"] is False


def test_a_target_already_reached_is_projected_on_the_end_date(commune):
    db = commune["db"]
    for target in targets.saved(db):
        targets.delete(db, target["id"], actor="test")
    targets.add(db, name="3 công dân số", metric="digital", kind="number", value=3, deadline="2025-06-30",
                actor="test")
    head = dashboard.headline(db, Filters(end=END))
    assert (head["goal"], head["projected"], head["on_track"], head["needed_per_week"]) == (3, END, True, None)


def test_a_projection_past_the_deadline_is_late(commune):
    db = commune["db"]
    targets.add(db, name="Sớm", metric="digital", kind="number", value=10, deadline="2025-05-31", actor="test")
    head = dashboard.headline(db, Filters(end=END))
    assert head["deadline"] == "2025-05-31"  # the earliest commune target is the headline
    assert head["on_track"] is False
    assert head["needed_per_week"] == math.ceil(7 / (61 / 7))  # 7 people in 61 days


def test_cumulative_has_every_week_and_counts_a_monday_in_its_own_week(commune):
    weeks = dashboard.cumulative(commune["db"], Filters(end=END))
    assert weeks[0] == {"week": "2025-01-06", "digital": 1}
    assert len(weeks) == 13  # 06/01 … 31/03, Mondays
    by_week = {w["week"]: w["digital"] for w in weeks}
    assert by_week["2025-03-03"] == 1
    assert by_week["2025-03-10"] == 2  # c2, digital on Monday 10/03
    assert by_week["2025-03-17"] == 3
    assert weeks[-1] == {"week": "2025-03-31", "digital": 3}


def test_cumulative_from_a_start_date_keeps_the_earlier_total(commune):
    weeks = dashboard.cumulative(commune["db"], Filters(start="2025-03-01", end=END))
    assert weeks[0] == {"week": "2025-02-24", "digital": 1}
    assert weeks[-1]["digital"] == 3


def test_funnel_counts_each_milestone(commune):
    rows = dashboard.funnel(commune["db"], Filters(end=END))
    assert {r["milestone"]: r["citizens"] for r in rows} == {
        "sim": 3, "vneid2": 4, "dvc": 3, "health_book": 3, "bank": 3, "wallet": 3, "bdhvs": 0, "dossier": 1}
    assert [r["order"] for r in rows] == list(range(8))


def test_funnel_within_a_date_range(commune):
    rows = dashboard.funnel(commune["db"], Filters(start="2025-03-01", end=END))
    assert {r["milestone"]: r["citizens"] for r in rows} == {
        "sim": 1, "vneid2": 2, "dvc": 2, "health_book": 2, "bank": 2, "wallet": 2, "bdhvs": 0, "dossier": 1}


def test_villages_rate_per_100_people_and_the_lagging_one(commune):
    rows = {r["name"]: r for r in dashboard.by_village(commune["db"], Filters(end=END))}
    assert (rows["Thôn A"]["recorded"], rows["Thôn A"]["digital"], rows["Thôn A"]["per_100"]) == (2, 2, 2.0)
    assert (rows["Thôn B"]["recorded"], rows["Thôn B"]["digital"], rows["Thôn B"]["per_100"]) == (2, 1, 0.5)
    # the commune: 3 per 300 people = 1.0 per 100; lagging below 75% of that
    assert dashboard.lag_threshold(list(rows.values())) == 0.75
    assert (rows["Thôn A"]["lagging"], rows["Thôn B"]["lagging"]) == (False, True)


def test_teams_who_helped_how_many(commune):
    rows = dashboard.by_team(commune["db"], Filters(end=END))
    assert [(r["name"], r["citizens"], r["milestones"]) for r in rows] == [("Tổ A", 2, 11), ("Tổ B", 2, 9)]


def test_groups_compared_with_their_share_of_the_population(commune):
    db = commune["db"]
    settings.save(db, "population_share.minorities", 0.55, actor="test")
    rows = {r["group"]: r for r in dashboard.groups(db, Filters(end=END))}
    assert rows["women"]["digital_share"] == pytest.approx(1 / 3)  # c1 of c1, c2, c4
    assert rows["minorities"]["digital_share"] == pytest.approx(1 / 3)  # c2: "kinh" typed in lower case is Kinh
    assert rows["elders"]["digital_share"] == pytest.approx(2 / 3)  # c1 (1950) and c4 (1960) are 60+ in 2025
    assert [rows[g]["recorded_share"] for g in ("women", "minorities", "elders")] == [0.5, 0.5, 0.5]
    assert rows["minorities"]["population_share"] == 0.55
    assert rows["women"]["population_share"] == 0.5


def test_weekly_activity_has_every_week(commune):
    rows = dashboard.weekly(commune["db"], Filters(end=END))
    by_week = {r["week"]: (r["milestones"], r["digital"]) for r in rows}
    assert len(rows) == 13
    assert by_week["2025-01-06"] == (6, 1)
    assert by_week["2025-01-13"] == (0, 0)
    assert by_week["2025-02-03"] == (2, 0)
    assert by_week["2025-03-10"] == (5, 1)
    assert by_week["2025-03-17"] == (6, 1)
    assert by_week["2025-03-24"] == (1, 0)


def test_a_village_filter_narrows_every_figure_and_scales_the_target(commune):
    f = Filters(end=END, village_ids=(commune["a"],))
    figures = dashboard.figures(commune["db"], f)
    head = figures["headline"]
    assert (head["digital"], head["recorded"]) == (2, 2)
    assert (head["goal"], head["commune_goal"]) == (3, 10)  # 100 of 300 people: a third of 10
    assert [v["name"] for v in figures["villages"]] == ["Thôn A"]
    assert [(t["name"], t["citizens"]) for t in figures["teams"]] == [("Tổ A", 2)]
    assert sum(w["milestones"] for w in figures["weekly"]) == 11


def test_a_team_filter(commune):
    figures = dashboard.figures(commune["db"], Filters(end=END, team_id=commune["tb"]))
    assert (figures["headline"]["digital"], figures["headline"]["recorded"]) == (1, 2)
    assert [v["name"] for v in figures["villages"]] == ["Thôn B"]
    assert {r["milestone"]: r["citizens"] for r in figures["funnel"]}["dossier"] == 1


def test_an_empty_village_choice_shows_nothing(commune):
    figures = dashboard.figures(commune["db"], Filters(end=END, village_ids=()))
    assert figures["headline"]["recorded"] == 0
    assert figures["villages"] == [] and figures["weekly"] == [] and figures["cumulative"] == []


def test_the_definition_setting_changes_who_counts(commune):
    db = commune["db"]
    settings.set_definition(db, ["vneid2"], actor="test")
    assert dashboard.headline(db, Filters(end=END))["digital"] == 4


def test_figures_change_with_the_data_version(commune):
    db = commune["db"]
    before = audit.data_version(db)
    citizens.record_milestone(db, commune["c3"], "dvc", "2025-03-30", helped_by="x", actor="test")
    assert audit.data_version(db) > before


# --- who sees which figures ---------------------------------------------------------------------

def _users(db, village):
    official = auth.create_first_official(db, username="can.bo", display_name="Cán bộ", secret="12345678")
    by = auth.session_user(db, official)
    volunteer = auth.create_user(db, by, username="tnv", display_name="TNV", role="volunteer",
                                 secret="654321", village_ids=[village])
    viewer = auth.create_user(db, by, username="xem", display_name="Xem", role="viewer", secret="24681357")
    return [auth.session_user(db, i) for i in (official, volunteer, viewer)]


def test_volunteers_see_their_villages_officials_and_viewers_the_commune(commune):
    db = commune["db"]
    official, volunteer, viewer = _users(db, commune["b"])
    assert auth.dashboard_villages(official) is None
    assert auth.dashboard_villages(viewer) is None
    assert auth.dashboard_villages(volunteer) == (commune["b"],)
    mine = dashboard.figures(db, Filters(end=END, village_ids=auth.dashboard_villages(volunteer)))
    assert (mine["headline"]["digital"], mine["headline"]["recorded"]) == (1, 2)
    assert [v["name"] for v in mine["villages"]] == ["Thôn B"]


def test_nobody_signed_out_sees_figures(commune):
    with pytest.raises(TrackerError):
        auth.dashboard_villages(None)


def test_the_dashboard_holds_aggregates_only(commune):
    """No name, birth year or phone of any citizen reaches the charts."""
    figures = repr(dashboard.figures(commune["db"], Filters(end=END)))
    for name in ("Lê Thị Một", "Y Hai Niê", "H'Ba Mlô", "Trần Văn Bốn", "1950", "1990"):
        assert name not in figures


# --- weeks ---------------------------------------------------------------------------------------

@hypothesis.settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_python_and_sql_agree_on_the_monday_of_a_week(day):
    import sqlite3

    sql = sqlite3.connect(":memory:").execute(f"select {dashboard._week('?')}", [day.isoformat()]).fetchone()[0]
    assert sql == dashboard.week_of(day)
    assert dt.date.fromisoformat(sql).weekday() == 0
    assert 0 <= (day - dt.date.fromisoformat(sql)).days <= 6


def test_tracker_connections_keep_a_large_page_cache(tracker_db, sandbox_db):
    """A province's tracker.db is hundreds of MB: 64 MB of cache halves a big import's write."""
    from workbench import store

    assert tracker_db.execute("pragma cache_size").fetchone()[0] == -store.TRACKER_CACHE_KIB
    assert sandbox_db.execute("pragma cache_size").fetchone()[0] == -2000  # the sandbox keeps SQLite's default
