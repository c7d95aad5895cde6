"""Names are shown as text on every tracker page, never as Markdown (issue 15, item 8).

A citizen named ``**X**`` showed in bold, and one named ``![i](http://…)`` made the browser of
everyone who opened the page fetch that address. Here every kind of name the tracker holds
(citizen, village, team, team member, target, display name, username, who recorded consent) and
values typed into a form or a file are made hostile, every tracker page is drawn with AppTest,
and no text that Streamlit reads as Markdown may carry an image, an address or the formatting.
"""

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui.plain import md
from workbench import databases
from workbench.tracker import auth, backup, citizens, demo, places, realtime, targets

ROOT = Path(__file__).resolve().parents[2]

CITIZEN = "Zyx **Đậm** ![c](http://evil.example/c.png) <img src=x onerror=alert(1)>"
VILLAGE = "**Buôn Đậm** ![v](http://evil.example/v.png)"
TEAM = "**Tổ Đậm** ![t](http://evil.example/t.png)"
MEMBER = "**Thành Viên Đậm** ![m](http://evil.example/m.png)"
OFFICIAL = "**Cán Bộ Đậm** ![o](http://evil.example/o.png)"
VOLUNTEER = "**TNV Đậm** ![u](http://evil.example/u.png)"
VOLUNTEER_USERNAME = "__dam__"  # bold in Markdown, and a valid username
TARGET = "**Chỉ Tiêu Đậm** ![g](http://evil.example/g.png)"
CONSENT_BY = "**Người Ghi Đậm** ![b](http://evil.example/b.png)"
TYPED = "![y](http://evil.example/y.png)"

# What must never reach Markdown: an image, an address, an HTML tag, or the data's formatting.
FORBIDDEN = ["![", "http://", "<img", "**Đậm**", "**Buôn Đậm**", "**Tổ Đậm**", "**Thành Viên Đậm**",
             "**Cán Bộ Đậm**", "**TNV Đậm**", "**Chỉ Tiêu Đậm**", "**Người Ghi Đậm**", "**Giới tính**",
             VOLUNTEER_USERNAME]
# Elements whose value Streamlit renders as Markdown (tables, select-box options, charts and the
# values inside text inputs are plain text, and may hold the names as they are).
MARKDOWN_VALUES = {"markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success",
                   "toast", "exception"}


@pytest.fixture
def register(data_dir):
    db = databases.tracker()
    demo.seed(db, count=40)
    official = auth.create_first_official(db, username="chu.tich", display_name=OFFICIAL, secret="matkhau-123")
    by = auth.session_user(db, official)
    first = places.villages(db)[0]
    places.save_village(db, name=VILLAGE, code=first["code"], population=first["population"],
                        households=first["households"], actor="t", village_id=first["id"])
    team = places.team_for_village(db, first["id"])
    places.save_team(db, name=TEAM, village_id=first["id"], actor="t", team_id=team)
    places.add_team_member(db, team, MEMBER, actor="t")
    volunteer = auth.create_user(db, by, username=VOLUNTEER_USERNAME, display_name=VOLUNTEER, role="volunteer",
                                 secret="123456", village_ids=[first["id"]])
    targets.add(db, name=TARGET, metric="digital", kind="number", value=1000, deadline=dt.date(2030, 12, 31),
                actor="t")
    person = citizens.add(db, full_name=CITIZEN, birth_year=1970, gender="nữ", ethnicity="Gia Rai",
                          village=first["id"], phone="0912345678", consent_by=CONSENT_BY,
                          consent_date=realtime.today(), actor="t")
    citizens.record_milestone(db, person, "vneid2", realtime.today(), helped_by="t", actor="t")
    return {"db": db, "official": official, "volunteer": volunteer, "village": first["id"], "team": team,
            "person": person}


def run_page(name: str, user_id: int) -> AppTest:
    app = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)
    app.session_state["lang"] = "vi"
    app.session_state["tracker_user_id"] = user_id
    return app.run()


def markdown_texts(node) -> list[str]:
    """Every text of the page that Streamlit reads as Markdown: bodies, labels, help, radio options,
    progress texts, in the main area and the sidebar."""
    texts = []
    kind = getattr(node, "type", "")
    if kind in MARKDOWN_VALUES:
        texts.append(str(node.value))
    for attribute in ("label", "help"):
        value = getattr(node, attribute, None)
        if isinstance(value, str):
            texts.append(value)
    if kind == "radio":
        texts.extend(str(option) for option in node.proto.options)
    if kind == "progress":
        texts.append(node.proto.text)
    for child in (getattr(node, "children", None) or {}).values():
        texts.extend(markdown_texts(child))
    return texts


def assert_shown_as_text(app: AppTest, *expected: str) -> None:
    assert not app.exception, [e.value for e in app.exception]
    texts = markdown_texts(app._tree)
    for text in texts:
        for bad in FORBIDDEN:
            assert bad not in text, (bad, text)
    everything = "\n".join(texts)
    for name in expected:  # the data is there, escaped: the test looked at the right page
        assert md(name) in everything, name


def test_the_dashboard_shows_names_as_text(register):
    assert_shown_as_text(run_page("tracker/dashboard.py", register["official"]), OFFICIAL, TARGET)
    assert_shown_as_text(run_page("tracker/dashboard.py", register["volunteer"]), VOLUNTEER, VILLAGE)


def test_quick_entry_shows_names_and_typed_values_as_text(register):
    app = run_page("tracker/entry.py", register["volunteer"])
    app.text_input(key="entry_query").input("zyx").run()
    assert_shown_as_text(app, CITIZEN, VILLAGE)
    app.button(key=f"entry_pick_{register['person']}").click().run()
    assert_shown_as_text(app, CITIZEN)
    app.checkbox(key="ms_dvc").check().run()
    app.button(key="entry_save").click().run()
    assert_shown_as_text(app, CITIZEN)  # the "saved" step

    app = run_page("tracker/entry.py", register["volunteer"])
    app.button(key="entry_add_new").click().run()
    app.text_input(key="new_full_name").input(CITIZEN)
    app.text_input(key="new_birth_year").input("![y]")
    app.text_input(key="new_phone").input(TYPED)
    app.button(key="entry_new_continue").click().run()
    assert_shown_as_text(app, "![y]", TYPED)  # each typed value echoed in its error, as text

    app = run_page("tracker/entry.py", register["volunteer"])
    app.text_input(key="entry_query").input(TYPED).run()
    assert_shown_as_text(app, TYPED)  # "nobody found for …"


def test_the_importer_shows_the_file_s_headings_and_cells_as_text(register):
    sheet = ("Họ và tên,Năm sinh,**Giới tính**,Dân tộc,Thôn/Buôn\n"
             f"Người Một,1980,{TYPED},Kinh,{VILLAGE}\n"
             "Người Hai,1981,Nam,Kinh,**Thôn Đậm Không Có**\n")
    app = run_page("tracker/importer.py", register["official"])
    app.file_uploader(key="import_file").upload("so.csv", sheet.encode("utf-8"), "text/csv").run()
    app.button(key="import_dry_run").click().run()
    assert_shown_as_text(app, "**Giới tính**", TYPED, "**Thôn Đậm Không Có**")


def test_the_reports_page_shows_names_as_text(register):
    assert_shown_as_text(run_page("tracker/reports.py", register["official"]), OFFICIAL)


def test_the_admin_page_shows_names_as_text(register):
    app = run_page("tracker/admin.py", register["official"])
    app.selectbox(key="admin_members_of").set_value(register["team"]).run()
    assert_shown_as_text(app, OFFICIAL, MEMBER, TARGET)
    app.text_input(key="admin_citizen_query").input("zyx").run()
    assert_shown_as_text(app, CITIZEN, VILLAGE, CONSENT_BY)
    app.text_input(key="admin_new_display").input(VOLUNTEER)
    app.text_input(key="admin_new_username").input(VOLUNTEER_USERNAME)
    app.text_input(key="admin_new_secret").input("12345678")
    app.selectbox(key="admin_new_role").set_value("viewer")
    next(b for b in app.button if b.label == "Thêm tài khoản").click().run()
    assert_shown_as_text(app, VOLUNTEER_USERNAME)  # "that username is taken", as text


def test_settings_shows_the_restore_and_its_copies_as_text(register):
    data = backup.backup_bytes(register["db"], actor="chu.tich")
    app = run_page("settings.py", register["official"])
    app.file_uploader(key="tracker_restore_file").upload("sao-luu.db", data, "application/vnd.sqlite3")
    app.checkbox(key="tracker_restore_sure").check().run()
    app.button(key="tracker_restore").click().run()
    assert app.success, "the restore did not run"
    assert_shown_as_text(app, OFFICIAL)
    copies = app.dataframe[-1].value
    assert len(copies) == 1 and list(copies.iloc[0])[1:] == ["41", backup.safety_copies()[0]["name"]]


@pytest.mark.parametrize("typed,escaped", [
    ("Nguyễn Văn A", "Nguyễn Văn A"), ("Ksor H'Bia Niê", "Ksor H'Bia Niê"),
    ("**Đậm**", r"\*\*Đậm\*\*"), ("![i](http://x.vn/a.png)", r"\!\[i\](http\://x.vn/a.png)"),
    ("<img src=x>", "&lt;img src=x&gt;"), ("A & B", "A &amp; B"), (":red[Đỏ] $x$", r"\:red\[Đỏ\] \$x\$"),
    ("# Tiêu đề", r"\# Tiêu đề"), ("- Mục", r"\- Mục"), ("1. Mục", r"1\. Mục"), ("Dòng một\nDòng hai", "Dòng một Dòng hai"),
    (None, ""), (1985, "1985")])
def test_md_escapes_what_markdown_would_read_and_nothing_else(typed, escaped):
    assert md(typed) == escaped
