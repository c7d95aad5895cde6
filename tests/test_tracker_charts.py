"""The dashboard's charts (issue 8): valid Vega-Lite, fed aggregated rows only, labelled in the
user's language, sized for a phone."""

import json

import pytest

from tests.hand_counted import END
from workbench.tracker import charts
from workbench.tracker import dashboard


@pytest.fixture
def figures(commune):
    return dashboard.figures(commune["db"], dashboard.Filters(end=END))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_chart_is_valid_vega_lite(figures, lang):
    for name, chart in charts.all_charts(figures, lang).items():
        spec = chart.to_dict()  # validates against the Vega-Lite schema
        assert spec == charts.spec(chart), name


def test_charts_hold_aggregated_rows_only(figures):
    """At most one row a week, a village, a team, a milestone or a group (×3): never a citizen."""
    for name, chart in charts.all_charts(figures, "vi").items():
        spec = charts.spec(chart)
        rows = sum(len(values) for values in spec.get("datasets", {}).values())
        assert rows <= 2 * 14 + 16, (name, rows)
        assert "Lê Thị Một" not in json.dumps(spec, ensure_ascii=False)


def test_vietnamese_labels_and_numbers(figures):
    spec = json.dumps(charts.spec(charts.funnel(figures, "vi")), ensure_ascii=False)
    assert "Số người đạt từng mốc" in spec and "Sổ sức khỏe điện tử" in spec
    assert '"thousands": "."' in spec
    english = json.dumps(charts.spec(charts.funnel(figures, "en")), ensure_ascii=False)
    assert "People who reached each milestone" in english and '"thousands"' not in english


def test_the_cumulative_chart_shows_the_target_and_the_deadline(figures):
    spec = json.dumps(charts.spec(charts.cumulative(figures, "vi")), ensure_ascii=False)
    assert "Chỉ tiêu 10" in spec and "Hạn 31/12/2025" in spec


def test_on_the_page_charts_fill_the_width_and_keep_their_height(figures):
    spec = charts.spec(charts.villages(figures, "vi"))
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["height"] >= 80
    assert spec["config"]["legend"]["orient"] == "bottom"


def test_numbers_the_vietnamese_way():
    assert charts.number(1234567, "vi") == "1.234.567"
    assert charts.number(19.5, "vi") == "19,5"
    assert charts.number(1234, "en") == "1,234"


def test_a_chart_renders_to_png_offline(figures):
    png = charts.to_png(charts.funnel(figures, "vi", width=300), scale=1)
    assert png.startswith(b"\x89PNG")
