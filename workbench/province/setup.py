"""Setting an installation up as a province (``python -m workbench init --province "Tỉnh …"``).

A province's data folder holds ``province.db``; its presence is what makes the app show the
province's pages instead of a commune's tracker (pages/_ui/nav.py).
"""

from __future__ import annotations

import re

from workbench import store, text
from workbench.errors import Refusal

NAME_KEY = "province.name"


def is_province() -> bool:
    return store.db_path(store.PROVINCE).exists()


def set_name(db, name: str) -> str:
    name = text.clean(name)
    if not name or len(name) > 100:
        raise Refusal("province.error.bad_name")
    with store.write(db):
        db.execute("insert or replace into settings (key, value) values (?, json_quote(?))", [NAME_KEY, name])
    return name


def name(db) -> str:
    row = db.execute("select json_extract(value, '$') from settings where key = ?", [NAME_KEY]).fetchone()
    return row[0] if row else ""


def same_province(a: str, b: str) -> bool:
    """"Tỉnh Đắk Lắk", "tinh dak lak" and "Đắk Lắk" are one province."""
    def bare(value: str) -> str:
        return re.sub(r"^(tinh|thanh pho|tp\.?)\s+", "", text.fold(value))
    return bool(bare(a)) and bare(a) == bare(b)
