"""Signing in to the tracker under hostile input (issue 15, item 9): usernames cannot be
enumerated, wrong tries are limited per client across usernames, idle sessions end."""

import datetime as dt

import pytest

from workbench import databases, passwords, store
from workbench.tracker import auth, signin
from workbench.tracker.errors import TrackerError

NOW = dt.datetime(2025, 5, 1, 8, 0)
CLIENT = "ip:192.0.2.7"


@pytest.fixture
def db(tracker_db):
    return tracker_db


@pytest.fixture
def people(db):
    official_id = auth.create_first_official(db, username="chu.tich", display_name="Chủ tịch xã",
                                             secret="matkhau-123")
    official = auth.session_user(db, official_id)
    viewer_id = auth.create_user(db, official, username="tnv.lan", display_name="Lan", role="viewer",
                                    secret="123456")
    return {"official": official, "viewer": auth.session_user(db, viewer_id)}


def answer(db, username, secret, now=NOW, client=None):
    """What a sign-in says: the message key and its parameters, or "signed in"."""
    try:
        auth.login(db, username, secret, now=now, client=client)
    except TrackerError as error:
        return error.key, error.params
    return "signed in"


def test_a_known_and_an_unknown_username_get_the_same_answers_try_after_try(db, people):
    known = [answer(db, "tnv.lan", "000000", client="session:a") for _ in range(6)]
    unknown = [answer(db, "khong.co", "000000", client="session:b") for _ in range(6)]
    assert known == unknown
    assert known[0] == ("tracker.error.login_wrong", {"left": 4})
    assert known[4][0] == known[5][0] == "tracker.error.locked"


def test_a_malformed_username_gets_the_same_answer_too(db, people):
    assert answer(db, "Tên đăng nhập quá dài và có dấu!" * 5, "000000") == \
        answer(db, "tnv.lan", "000000") == ("tracker.error.login_wrong", {"left": 4})


def test_an_unknown_username_costs_one_hash_at_the_trackers_cost_like_a_known_one(db, people, monkeypatch):
    checked = []
    real_check = passwords.check_secret
    monkeypatch.setattr(passwords, "check_secret", lambda secret, stored: checked.append(stored)
                        or real_check(secret, stored))
    known_hash = db.execute("select secret_hash from users where username = 'tnv.lan'").fetchone()[0]
    answer(db, "tnv.lan", "000000")
    answer(db, "khong.co", "000000")
    assert len(checked) == 2
    cost = lambda stored: stored.split("$")[1:4]  # noqa: E731
    assert cost(checked[1]) == cost(known_hash) and checked[1] != known_hash


def test_ten_wrong_tries_from_one_client_lock_it_whatever_usernames_it_tries(db, people):
    names = ["an", "binh", "chi", "dung", "em", "giang", "ha", "khanh", "tnv.lan"]
    for name in names:  # nine different usernames: no username reaches its own limit
        assert answer(db, name, "sai-mat-khau", client=CLIENT)[0] == "tracker.error.login_wrong"
    assert answer(db, "long", "sai-mat-khau", client=CLIENT) == ("tracker.error.client_locked", {"minutes": 15})
    # Locked: even the right secret of a real account is refused from that client…
    assert answer(db, "chu.tich", "matkhau-123", now=NOW + dt.timedelta(minutes=5), client=CLIENT) == \
        ("tracker.error.client_locked", {"minutes": 10})
    # …while another client signs in, and the locked one may again after 15 minutes.
    assert answer(db, "chu.tich", "matkhau-123", client="ip:192.0.2.8") == "signed in"
    assert answer(db, "chu.tich", "matkhau-123", now=NOW + dt.timedelta(minutes=16), client=CLIENT) == "signed in"


def test_tries_left_count_down_for_the_client_too(db, people):
    for name in ["an", "binh", "chi", "dung", "em", "giang", "ha"]:
        answer(db, name, "sai-mat-khau", client=CLIENT)
    assert answer(db, "khanh", "sai-mat-khau", client=CLIENT) == ("tracker.error.login_wrong", {"left": 2})


def test_wrong_tries_spread_over_more_than_the_window_do_not_lock_the_client(db, people):
    for i in range(9):
        answer(db, f"ten.{i}", "sai-mat-khau", client=CLIENT)
    later = NOW + dt.timedelta(minutes=16)
    assert answer(db, "ten.9", "sai-mat-khau", now=later, client=CLIENT) == \
        ("tracker.error.login_wrong", {"left": 4})


def test_a_clients_lock_is_kept_in_tracker_db_across_connections(db, people):
    for i in range(10):
        answer(db, f"ten.{i}", "sai-mat-khau", client=CLIENT)
    store.forget_connections()
    again = databases.tracker()
    assert answer(again, "chu.tich", "matkhau-123", client=CLIENT)[0] == "tracker.error.client_locked"


def test_a_new_secret_clears_a_locked_username(db, people):
    for _ in range(5):
        answer(db, "tnv.lan", "000000")
    assert answer(db, "tnv.lan", "123456")[0] == "tracker.error.locked"
    auth.set_secret(db, people["official"], people["viewer"]["id"], "654321")
    assert answer(db, "tnv.lan", "654321") == "signed in"


def test_made_up_usernames_do_not_pile_up_once_their_window_is_over(db, people):
    for i in range(8):
        answer(db, f"bua.{i}", "sai-mat-khau", client=f"session:{i}")
    answer(db, "bua.x", "sai-mat-khau", now=NOW + dt.timedelta(minutes=20), client="session:x")
    assert db.execute("select count(*) from signin_throttle").fetchone()[0] == 2  # bua.x and its client


# --- idle sessions -----------------------------------------------------------------------------

def test_an_idle_session_ends_after_30_minutes_by_default(db, people):
    user_id = people["viewer"]["id"]
    assert signin.idle_minutes(db) == 30
    assert auth.session_user(db, user_id, last_active=NOW, now=NOW + dt.timedelta(minutes=29)) is not None
    assert auth.session_user(db, user_id, last_active=NOW, now=NOW + dt.timedelta(minutes=30)) is None


def test_an_official_sets_the_idle_time(db, people):
    user_id = people["viewer"]["id"]
    assert auth.set_idle_minutes(db, people["official"], "10") == 10
    assert signin.idle_minutes(db) == 10
    assert auth.session_user(db, user_id, last_active=NOW, now=NOW + dt.timedelta(minutes=9)) is not None
    assert auth.session_user(db, user_id, last_active=NOW, now=NOW + dt.timedelta(minutes=11)) is None


@pytest.mark.parametrize("bad", ["4", "721", "mười", "", None, "2.5"])
def test_an_idle_time_out_of_range_is_refused_with_the_range(db, people, bad):
    with pytest.raises(TrackerError) as caught:
        auth.set_idle_minutes(db, people["official"], bad)
    assert (caught.value.key, caught.value.params) == ("tracker.error.idle_minutes", {"low": 5, "high": 720})
    assert signin.idle_minutes(db) == 30


def test_only_an_official_sets_the_idle_time(db, people):
    with pytest.raises(TrackerError) as caught:
        auth.set_idle_minutes(db, people["viewer"], 60)
    assert caught.value.key == "tracker.error.forbidden"
