"""Small fixtures: an empty data folder per test, the two databases in it, a seeded Faker,
the hand-counted commune."""

from pathlib import Path

import pytest

from tests import hand_counted
from workbench import databases, fakes, passwords, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv(store.DATA_DIR_ENV, str(folder))
    store.forget_connections()
    yield folder
    store.forget_connections()


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """scrypt at its lowest cost: a test checks that a secret is hashed and checked, not how
    long that takes (40 ms a hash at the tracker's real cost)."""
    cheap = {"n": 2, "r": 1, "p": 1}
    monkeypatch.setattr(passwords, "SANDBOX", cheap)
    monkeypatch.setattr(passwords, "TRACKER", cheap)


@pytest.fixture
def sandbox_db(data_dir):
    return databases.sandbox()


@pytest.fixture
def tracker_db(data_dir):
    return databases.tracker()


@pytest.fixture
def fake():
    return fakes.make_faker(seed=1234)


@pytest.fixture
def commune(tracker_db):
    """The small commune of tests/hand_counted.py, whose every dashboard number is known by hand."""
    return hand_counted.commune(tracker_db)
