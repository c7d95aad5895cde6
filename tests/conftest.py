"""Small fixtures: an empty data folder per test, the two databases in it, a seeded Faker."""

from pathlib import Path

import pytest

from workbench import fakes, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv(store.DATA_DIR_ENV, str(folder))
    store.forget_connections()
    yield folder
    store.forget_connections()


@pytest.fixture
def sandbox_db(data_dir):
    return store.sandbox()


@pytest.fixture
def tracker_db(data_dir):
    return store.tracker()


@pytest.fixture
def fake():
    return fakes.make_faker(seed=1234)
