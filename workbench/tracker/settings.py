"""The tracker's settings, and the one that matters most: what makes a "công dân số".

Settings are JSON values by key in the ``settings`` table; changing one is audited. The
definition (which milestones a citizen must reach) also decides every citizen's
``digital_date``, so changing it recomputes them all and the dashboard's running totals.
"""

from __future__ import annotations

import datetime as dt
import json

from workbench import i18n, rules, store
from workbench.tracker import audit
from workbench.tracker.errors import TrackerError
from workbench.tracker.schema import MILESTONES, fill_dashboard_totals

# Seed 004 (Ea Yông): VNeID level 2, public-service account, e-health book, bank account,
# e-wallet payment make a "công dân số". Completing Bình dân học vụ số ("bdhvs", issue 13) is
# offered, never assumed: an official adds it on the admin page if the commune counts it.
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


def milestone_help(milestone: str, on: dt.date, lang: str = "vi") -> str:
    """What reaching a milestone means, for the help beside its tick box ("" when its name says
    it all). Bình dân học vụ số's platform and where completion shows are rules of the law,
    read for the day ``on`` from ``sandbox_data/rules/bdhvs.toml``, never written here (issue 13)."""
    if milestone != "bdhvs":
        return ""
    try:
        platform = rules.get("bdhvs.platform", on)
    except rules.RuleMissing:  # before the movement's platform opened
        return ""
    parts = [i18n.t("tracker.milestone_help.bdhvs", lang, platform=platform.text(lang))]
    try:
        on_vneid = rules.get("bdhvs.completion_on_vneid", on)
    except rules.RuleMissing:
        on_vneid = None
    if on_vneid is not None and on_vneid.value is True:
        parts.append(i18n.t("tracker.milestone_help.bdhvs_on_vneid", lang))
        if on_vneid.confidence == "unconfirmed":  # officials and volunteers, not learners: say so
            parts.append(i18n.t("tracker.milestone_help.unconfirmed", lang,
                                source=on_vneid.source.get("document", "?")))
    return " ".join(parts)
