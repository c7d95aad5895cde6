"""The import page (issue 15, item 6): a team value that is no team's name is a choice under the dry
run, in the reader's language, with a suggestion that is never chosen for them; the import then
writes everybody and remembers the choices."""

import csv
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbench import databases
from workbench.tracker import auth, citizens, demo, places, team_names
from workbench.tracker.importer import TEMPLATE_HEADERS

ROOT = Path(__file__).resolve().parents[2]
NEW_TEAM = "Tổ Thanh niên xung kích"


@pytest.fixture
def users(data_dir):
    db = databases.tracker()
    demo.seed(db, count=0)
    official = auth.create_first_official(db, username="chu.tich", display_name="Chủ tịch xã", secret="matkhau-123")
    volunteer = auth.create_user(db, auth.session_user(db, official), username="tnv.lan", display_name="Hà Thị Lan",
                                 role="volunteer", secret="123456", village_ids=[places.villages(db)[0]["id"]])
    return {"db": db, "official": official, "volunteer": volunteer}


def real_sheet(db) -> bytes:
    village = places.villages(db)[0]["name"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS)
    for name, team in (("Nguyễn Văn An", "Tổ 1"), ("Lê Thị Bình", "tổ 1"), ("Y Bhim Mlô", NEW_TEAM),
                       ("Trần Văn Cường", "Tổ CNS Thôn 2")):
        writer.writerow([name, "1980", "Nam", "Kinh", village, "", "x", "", "", "", "", "15/03/2025", team])
    return out.getvalue().encode("utf-8")


def dry_run(user_id: int, db, lang: str = "vi", monkeypatch=None) -> AppTest:
    if monkeypatch is not None:
        # AppTest formats a radio's or selectbox's value with the page's format_func outside the
        # script run, where the session's language cannot be read: give it the test's language.
        from pages._ui import frame

        monkeypatch.setattr(frame, "current_lang", lambda: lang)
    app = AppTest.from_file(str(ROOT / "pages" / "tracker" / "importer.py"), default_timeout=30)
    app.session_state["lang"] = lang
    app.session_state["tracker_user_id"] = user_id
    app.run()
    app.file_uploader(key="import_file").upload("danh-sach.csv", real_sheet(db), "text/csv")
    app.run()
    app.button(key="import_dry_run").click().run()
    assert not app.exception
    return app


def team_choices(app: AppTest) -> dict:
    """The team choices drawn, by the value they are about (the first words of the label)."""
    return {box.label.split("”")[0].lstrip("“"): box for box in app.selectbox if box.key.startswith("import_team_")}


def commit_button(app: AppTest):
    return next(b for b in app.button if b.key == "import_commit")


@pytest.mark.parametrize("lang,words", [
    ("vi", {"rows": "2 dòng (dòng 2, 3)", "undecided": "— Chưa chọn —", "suggested": "Ghép với Tổ CNS Thôn 1 (gợi ý)",
            "create": f"Tạo tổ mới “{NEW_TEAM}”", "none": "Không ghi tổ cho những người này",
            "title": "Tổ CNS chưa có trong danh sách của xã"}),
    ("en", {"rows": "2 rows (rows 2, 3)", "undecided": "— Not chosen —", "suggested": "Map to Tổ CNS Thôn 1 (suggested)",
            "create": f"Create the new team “{NEW_TEAM}”", "none": "No team for these people",
            "title": "Teams not in the commune's list"}),
])
def test_the_dry_run_shows_a_choice_for_each_unknown_team_in_the_reader_s_language(users, lang, words, monkeypatch):
    app = dry_run(users["official"], users["db"], lang, monkeypatch)
    choices = team_choices(app)
    assert list(choices) == ["Tổ 1", NEW_TEAM]
    tổ_1 = choices["Tổ 1"]
    assert words["rows"] in tổ_1.label
    assert tổ_1.value == "undecided"  # the suggestion is offered, not chosen
    assert tổ_1.options[:4] == [words["undecided"], words["none"], f"{words['create'].split('“')[0]}“Tổ 1”",
                                words["suggested"]]
    assert words["create"] in choices[NEW_TEAM].options
    assert any(words["title"] in m.value for m in app.markdown)
    assert commit_button(app).disabled  # three rows wait for a choice


def test_choosing_then_a_new_dry_run_lets_the_import_write_everybody_and_remember(users):
    db = users["db"]
    app = dry_run(users["official"], db)
    choices = team_choices(app)
    choices["Tổ 1"].set_value(places.resolve_team(db, "Tổ CNS Thôn 1"))
    choices[NEW_TEAM].set_value(team_names.CREATE)
    app.run()
    assert commit_button(app).disabled  # the choices changed since the dry run
    app.button(key="import_dry_run").click().run()
    app.checkbox(key="import_consent_given").check().run()
    assert not commit_button(app).disabled
    commit_button(app).click().run()
    assert not app.exception
    assert citizens.count(db) == 4
    assert set(team_names.remembered(db)) == {"to 1", "to thanh nien xung kich"}


def test_a_volunteer_may_map_or_leave_without_team_but_not_create_a_team(users):
    app = dry_run(users["volunteer"], users["db"])
    options = team_choices(app)[NEW_TEAM].options
    assert not [o for o in options if o.startswith("Tạo tổ mới")]
    assert any("Chỉ cán bộ mới tạo được tổ mới" in c.value for c in app.caption)
