"""The tracker's settings, and the one that matters most: what makes a "công dân số".

Settings are JSON values by key in the ``settings`` table; changing one is audited. The
definition (which milestones a citizen must reach) also decides every citizen's
``digital_date``, so changing it recomputes them all and the dashboard's running totals.
"""

from __future__ import annotations

import json

from workbench import store
from workbench.tracker import audit
from workbench.tracker.errors import TrackerError
from workbench.tracker.schema import MILESTONES, fill_dashboard_totals

# Seed 004 (Ea Yông): VNeID level 2, public-service account, e-health book, bank account,
# e-wallet payment make a "công dân số".
DEFAULT_DEFINITION = ("vneid2", "dvc", "health_book", "bank", "wallet")


def get(db, key: str, default=None):
    row = db.execute("select value from settings where key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def save(db, key: str, value, actor: str = "system") -> None:
    with store.write(db):
        db.execute("insert or replace into settings (key, value) values (?, ?)",
                   [key, json.dumps(value, ensure_ascii=False)])
        audit.record(db, actor, "setting.changed", "setting", None, key=key)


def definition(db) -> tuple[str, ...]:
    """The milestones that make a "công dân số" (a setting; default: the five of seed 004)."""
    chosen = get(db, "digital_definition", list(DEFAULT_DEFINITION))
    return tuple(m for m in MILESTONES if m in chosen) or DEFAULT_DEFINITION


def digital_expr(milestones) -> str:
    """SQL for a citizen's ``digital_date`` under a definition: the day they reached its last
    milestone, NULL until they reached them all."""
    # SQLite's multi-argument max() is NULL when any argument is NULL: exactly "all reached".
    columns = [f"m_{m}" for m in milestones]
    return columns[0] if len(columns) == 1 else f"max({', '.join(columns)})"


def set_definition(db, milestones, actor: str) -> int:
    """Change the definition and recompute every citizen's date of becoming digital."""
    chosen = [m for m in MILESTONES if m in set(milestones)]
    if not chosen:
        raise TrackerError("tracker.error.definition_empty", field="definition")
    with store.write(db):
        db.execute("insert or replace into settings (key, value) values ('digital_definition', ?)",
                   [json.dumps(chosen)])
        db.execute(f"update citizens set digital_date = {digital_expr(chosen)}")
        fill_dashboard_totals(db)  # everyone's date may have moved: recount
        audit.record(db, actor, "definition.changed", "setting", None, milestones=chosen)
    return db.execute("select count(*) from citizens where digital_date is not null").fetchone()[0]
