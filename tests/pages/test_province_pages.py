"""The province's pages and the commune's package button (issue 16), in AppTest."""

import json

import pytest

from tests import province_builders as build
from tests.pages.apptest import click, page, text
from workbench import databases, keys
from workbench.province import imports, summary
from workbench.tracker import auth, package


@pytest.fixture
def province_with_a_commune(tmp_path, monkeypatch):
    db = build.commune(tmp_path, monkeypatch, name="Xã Ea Lành", code="24469", seed=8)
    _, data = build.make_package(db)
    words = keys.fingerprint(keys.public_key_b64())
    pdb = build.province(tmp_path, monkeypatch)
    official = auth.create_first_official(pdb, username="tinh", display_name="Cán bộ tỉnh", secret="12345678")
    return {"db": pdb, "official": official, "data": data, "words": words}


def test_the_province_dashboard_ranks_the_commune_and_offers_the_csv(province_with_a_commune):
    p = province_with_a_commune
    build.import_all(p["db"], [("a.congdanso.json", p["data"])])
    for lang in ("vi", "en"):
        app = page("province/dashboard.py", lang=lang, tracker_user_id=p["official"])
        assert not app.exception, [e.value for e in app.exception]
        shown = text(app) + "\n".join(df.value.to_string() for df in app.dataframe)
        assert "Xã Ea Lành" in shown
        assert [m.value for m in app.metric][0] == "1/1"
        specs = [c.proto.spec for c in app.get("vega_lite_chart")]
        assert len(specs) == 2 and "layer" in specs[0]  # the ranking (its data travels apart) and the trend


def test_the_province_pages_ask_for_a_sign_in_first(province_with_a_commune):
    build.import_all(province_with_a_commune["db"], [("a.congdanso.json", province_with_a_commune["data"])])
    for name in ("province/dashboard.py", "province/imports.py"):
        app = page(name)
        assert not app.exception
        assert "Xã Ea Lành" not in text(app)
        assert app.text_input(key="login_username")


def test_a_new_commune_is_confirmed_on_the_import_page_after_reading_its_words(province_with_a_commune):
    p = province_with_a_commune
    report = imports.import_packages(p["db"], [("a.congdanso.json", p["data"])])
    assert report["held"]
    app = page("province/imports.py", tracker_user_id=p["official"])
    shown = text(app)
    for word in p["words"].split(" · "):
        assert word in shown
    [waiting] = imports.held(p["db"])
    app = click(app, f"confirm_{waiting['id']}")
    assert not app.exception
    assert imports.held(p["db"]) == [] and summary.summary(p["db"])[0]["reported"] is True


def test_a_commune_makes_its_weekly_package_on_the_reports_page(tmp_path, monkeypatch):
    db = build.commune(tmp_path, monkeypatch, name="Xã Ea Lành", code="24469", seed=9, count=80)
    official = auth.create_first_official(db, username="can.bo.xa", display_name="Cán bộ xã", secret="12345678")
    app = page("tracker/reports.py", tracker_user_id=official)
    app.selectbox(key="package_week").set_value(package.last_full_week())
    app = click(app, "package_make")
    assert not app.exception, [e.value for e in app.exception]
    assert keys.fingerprint(keys.public_key_b64()) in text(app)
    made = app.session_state["package_made"]
    body = json.loads(made[2])["payload"]
    assert body["week"] == package.last_full_week() and body["commune"]["code"] == "24469"


def test_the_reports_page_says_what_to_set_when_the_code_is_missing(tmp_path, monkeypatch):
    db = databases.tracker()
    official = auth.create_first_official(db, username="can.bo.xa", display_name="Cán bộ xã", secret="12345678")
    app = click(page("tracker/reports.py", tracker_user_id=official), "package_make")
    assert not app.exception
    assert any("mã xã" in e.value for e in app.error)


def test_settings_show_the_installation_fingerprint_as_words():
    app = page("settings.py")
    shown = text(app)
    for word in keys.fingerprint_words(keys.public_key_b64()):
        assert word in shown
