"""The tracker's dashboard and reports pages (issue 8), signed in as each role, and signed out.

The commune is the small one of tests/hand_counted.py, whose numbers are known by hand.
"""

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import page
from workbench.tracker import auth

NAMES = ("Lê Thị Một", "Y Hai Niê", "H'Ba Mlô", "Trần Văn Bốn")


@pytest.fixture
def users(commune):
    db = commune["db"]
    official = auth.create_first_official(db, username="can.bo", display_name="Chị Cán Bộ", secret="12345678")
    by = auth.session_user(db, official)
    volunteer = auth.create_user(db, by, username="tnv", display_name="Anh TNV", role="volunteer",
                                 secret="654321", village_ids=[commune["b"]])
    viewer = auth.create_user(db, by, username="xem", display_name="Người Xem", role="viewer",
                              secret="24681357")
    return {"official": official, "volunteer": volunteer, "viewer": viewer}


def everything_shown(app: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "warning", "success", "info", "error", "subheader")
             for e in getattr(app, kind)]
    parts += [m.value for m in app.metric]
    parts += [c.proto.spec for c in app.get("vega_lite_chart")]
    parts += [df.value.to_string() for df in app.dataframe]
    return "\n".join(str(p) for p in parts)


def charts(app: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]


@pytest.mark.parametrize("name", ["tracker/dashboard.py", "tracker/reports.py"])
def test_nothing_is_shown_to_someone_not_signed_in(commune, users, name):
    app = page(name)
    assert not app.exception
    assert app.metric == [] and app.get("vega_lite_chart") == [] and app.dataframe == []
    assert app.get("download_button") == []
    assert "Thôn A" not in everything_shown(app)
    assert app.subheader[0].value == "Đăng nhập sổ theo dõi"


def test_an_official_sees_the_whole_commune(commune, users):
    app = page("tracker/dashboard.py", tracker_user_id=users["official"])
    assert not app.exception, [e.value for e in app.exception]
    assert [m.value for m in app.metric] == ["3", "10"]
    assert len(app.get("vega_lite_chart")) == 6
    table = app.dataframe[0].value
    table = table.data if hasattr(table, "data") else table  # a Styler when the lagging rows are coloured
    assert list(table["name"]) == ["Thôn A", "Thôn B"]
    assert list(table["lagging"]) == ["", "⚠"]
    assert any("Thôn B" in w.value for w in app.warning)  # the lagging village, named
    shown = everything_shown(app)
    for name in NAMES:
        assert name not in shown


def test_a_volunteer_sees_only_their_villages(commune, users):
    app = page("tracker/dashboard.py", tracker_user_id=users["volunteer"])
    assert not app.exception
    assert app.multiselect(key="dash_villages").options == ["Thôn B"]
    assert app.selectbox(key="dash_team").options == ["Tất cả các tổ", "Tổ B"]
    assert app.metric[0].value == "1"
    assert any("Thôn B" in c.value for c in app.caption)
    assert "Thôn A" not in everything_shown(app)
    assert "Tổ A" not in everything_shown(app)


def test_a_viewer_sees_the_aggregates(commune, users):
    app = page("tracker/dashboard.py", tracker_user_id=users["viewer"])
    assert not app.exception
    assert app.metric[0].value == "3"
    assert len(app.get("vega_lite_chart")) == 6


def test_filters_narrow_the_figures(commune, users):
    app = page("tracker/dashboard.py", tracker_user_id=users["official"])
    app.multiselect(key="dash_villages").select(commune["a"]).run()
    assert not app.exception
    assert app.metric[0].value == "2"
    app.selectbox(key="dash_team").select(commune["tb"]).run()  # team B within village A: nobody
    assert app.metric[0].value == "0"
    assert app.info, "an empty scope says so"


def test_a_start_date_after_the_end_date_is_explained(commune, users):
    import datetime as dt

    app = page("tracker/dashboard.py", tracker_user_id=users["official"])
    app.date_input(key="dash_end").set_value(dt.date(2025, 3, 1)).run()
    app.date_input(key="dash_start").set_value(dt.date(2025, 3, 31)).run()
    assert not app.exception
    assert "31/03/2025" in app.error[0].value and "01/03/2025" in app.error[0].value
    assert app.date_input(key="dash_start").value == dt.date(2025, 3, 31)  # what was chosen is kept
    assert app.metric == []


def test_the_dashboard_in_english(commune, users):
    app = page("tracker/dashboard.py", tracker_user_id=users["official"], lang="en")
    assert not app.exception
    assert app.metric[0].label == "Digital citizens"
    specs = json.dumps(charts(app), ensure_ascii=False)
    assert "People who reached each milestone" in specs and "VNeID level 2" in specs


# --- reports ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["official", "viewer"])
def test_officials_and_viewers_make_the_weekly_pdf(commune, users, role):
    app = page("tracker/reports.py", tracker_user_id=users[role])
    assert not app.exception
    assert app.text_input(key="report_author").value == {"official": "Chị Cán Bộ", "viewer": "Người Xem"}[role]
    app.button(key="report_make").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.success
    download = app.get("download_button")
    assert len(download) == 1


def test_the_report_needs_an_author(commune, users):
    app = page("tracker/reports.py", tracker_user_id=users["official"])
    app.text_input(key="report_author").set_value("  ").run()
    app.button(key="report_make").click().run()
    assert "người lập báo cáo" in app.error[0].value
    assert app.get("download_button") == []


def test_volunteers_do_not_make_district_reports(commune, users):
    app = page("tracker/reports.py", tracker_user_id=users["volunteer"])
    assert not app.exception
    assert "không có quyền" in app.warning[0].value
    assert [b for b in app.button if b.key == "report_make"] == []
