"""Installations for the province's tests (issue 16): demo communes, each in its own data folder
with its own key, and a province, as the laptops in two communes and at the province are."""

from __future__ import annotations

from pathlib import Path

from workbench import databases, store
from workbench.province import imports, setup
from workbench.tracker import demo, package, places

PROVINCE = "Tỉnh Đắk Sen"


def use(folder: Path, monkeypatch) -> None:
    """Work in ``folder`` from now on, as if the app ran on that laptop."""
    monkeypatch.setenv(store.DATA_DIR_ENV, str(folder))
    store.forget_connections()


def commune(root: Path, monkeypatch, *, name: str, code: str, seed: int, count: int = 300,
            province: str = PROVINCE):
    """A demo commune's tracker in ``root/<code>``; returns its connection (its folder is in use)."""
    use(root / f"commune-{code}-{seed}", monkeypatch)
    db = databases.tracker()
    demo.seed(db, count=count, seed=seed)
    places.set_commune(db, name, province, actor="test")
    package.set_commune_code(db, code, actor="test")
    return db


def make_package(db, week: str | None = None, with_pdf: bool = False) -> tuple[str, bytes]:
    name, data, _ = package.make(db, week or package.last_full_week(), with_pdf=with_pdf)
    return name, data


def province(root: Path, monkeypatch, name: str = PROVINCE):
    use(root / "province", monkeypatch)
    db = databases.province()
    setup.set_name(db, name)
    return db


def import_all(db, files, confirm_new: bool = True) -> dict:
    return imports.import_packages(db, files, confirm_new=confirm_new, actor="test")
