"""The tracker's sign-in screen (issue 15, item 9): it says how long an idle session lasts, an
idle session shows it again, and a wrong username reads exactly like a wrong secret."""

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbench import databases
from workbench.tracker import auth, signin

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def accounts(data_dir):
    db = databases.tracker()
    official = auth.create_first_official(db, username="chu.tich", display_name="Chủ tịch xã",
                                          secret="matkhau-123")
    return {"db": db, "official": official}


def open_page(name="tracker/dashboard.py", lang="vi", **state) -> AppTest:
    app = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)
    app.session_state["lang"] = lang
    for key, value in state.items():
        app.session_state[key] = value
    return app.run()


def texts(app: AppTest, kind: str) -> str:
    return "\n".join(str(element.value) for element in getattr(app, kind))


@pytest.mark.parametrize("lang,said", [("vi", "Phiên đăng nhập tự kết thúc sau 30 phút không dùng"),
                                       ("en", "ends by itself after 30 minutes without use")])
def test_the_sign_in_screen_says_how_long_an_idle_session_lasts(accounts, lang, said):
    app = open_page(lang=lang)
    assert not app.exception
    assert said in texts(app, "caption")


def test_the_sign_in_screen_says_the_time_an_official_set(accounts):
    auth.set_idle_minutes(accounts["db"], auth.session_user(accounts["db"], accounts["official"]), 45)
    assert "sau 45 phút không dùng" in texts(open_page(), "caption")


def test_an_idle_session_shows_the_sign_in_form_again_and_says_why(accounts):
    long_ago = dt.datetime.now() - dt.timedelta(minutes=31)
    app = open_page(tracker_user_id=accounts["official"], tracker_active_at=long_ago)
    assert not app.exception
    assert app.text_input(key="login_username") is not None
    assert "tracker_user_id" not in app.session_state
    assert "30 phút không dùng" in texts(app, "info")


def test_a_session_in_use_stays_signed_in(accounts):
    recently = dt.datetime.now() - dt.timedelta(minutes=5)
    app = open_page(tracker_user_id=accounts["official"], tracker_active_at=recently)
    assert not app.exception
    assert not [w for w in app.text_input if w.key == "login_username"]
    assert app.session_state["tracker_active_at"] > recently  # the click counts as use


def sign_in(app: AppTest, username: str, secret: str) -> AppTest:
    app.text_input(key="login_username").input(username)
    app.text_input(key="login_secret").input(secret)
    return app.button(key="FormSubmitter:tracker_login-Đăng nhập").click().run()


def test_a_wrong_username_reads_exactly_like_a_wrong_secret(accounts):
    known = sign_in(open_page(), "chu.tich", "sai-mat-khau")
    unknown = sign_in(open_page(), "khong.co", "sai-mat-khau")
    assert not known.exception and not unknown.exception
    assert texts(known, "error") == texts(unknown, "error")
    assert "Còn 4 lần thử" in texts(known, "error")


def test_signing_in_on_the_page_starts_the_idle_clock(accounts):
    app = sign_in(open_page(), "chu.tich", "matkhau-123")
    assert not app.exception
    assert app.session_state["tracker_user_id"] == accounts["official"]
    assert isinstance(app.session_state["tracker_active_at"], dt.datetime)


def test_an_official_sets_the_idle_time_on_the_admin_page(accounts):
    app = open_page("tracker/admin.py", tracker_user_id=accounts["official"])
    app.number_input(key="admin_idle_minutes").set_value(60)
    app.button(key="FormSubmitter:admin_idle-Lưu").click().run()
    assert not app.exception
    assert signin.idle_minutes(accounts["db"]) == 60
