"""Is the content still true? The trainer's questions about the dated rules, answered from them.

A training tool that teaches an ended rule is confidently wrong (issue 13), and the rules end on
known days: the 50% fee cut ends on 31/12/2026. So the workbench itself says, from the data,
which rules end soon, which nobody has checked for a long time, which do not say where they
were read, and the day the content was last checked. ``python -m workbench content check`` and
the trainer's home and Settings pages ask here; nothing here knows a page or a parser.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbench import rules

EXPIRING_DAYS = 60    # content check: rules that end within this many days
STALE_DAYS = 180      # content check: rules nobody has read again for this long
WARN_DAYS = 30        # the trainer's pages: a rule in force today that ends within this many days


def _source_line(rule: rules.Rule) -> str:
    source = rule.source
    return ", ".join(str(source[key]) for key in ("document", "issuer", "date") if source.get(key))


def _where_read(rule: rules.Rule) -> bool:
    """A source names where it was read (a title or an address), not only a document number."""
    return bool(rule.source.get("title") or rule.source.get("url"))


def expiring(today: dt.date, within: int = EXPIRING_DAYS, folder: Path | str = rules.RULES_DIR) -> list[rules.Rule]:
    """Versions that end between ``today`` and ``within`` days after it, soonest first."""
    last = today + dt.timedelta(days=within)
    found = [r for r in rules.load(folder) if r.valid_to is not None and today <= r.valid_to <= last]
    return sorted(found, key=lambda r: (r.valid_to, r.id))


def stale(today: dt.date, days: int = STALE_DAYS, folder: Path | str = rules.RULES_DIR) -> list[rules.Rule]:
    """Versions still in force or to come whose source nobody has read for ``days`` days."""
    oldest = today - dt.timedelta(days=days)
    return [r for r in rules.load(folder)
            if r.checked_on < oldest and (r.valid_to is None or r.valid_to >= today)]


def unsourced(folder: Path | str = rules.RULES_DIR) -> list[rules.Rule]:
    """Versions whose source says no title and no address: nobody could read it again."""
    return [r for r in rules.load(folder) if not _where_read(r)]


def check(today: dt.date, within: int = EXPIRING_DAYS, folder: Path | str = rules.RULES_DIR) -> dict:
    """The content check as plain data: ``{"expiring": [...], "stale": [...], "unsourced": [...]}``,
    each entry with ``id``, ``valid_to`` or ``checked_on``, and ``source``."""
    def entry(rule: rules.Rule, field: str) -> dict:
        day = getattr(rule, field)
        return {"id": rule.id, field: day.isoformat() if day else None, "valid_from": rule.valid_from.isoformat(),
                "source": _source_line(rule), "confidence": rule.confidence}
    return {"expiring": [entry(r, "valid_to") for r in expiring(today, within, folder)],
            "stale": [entry(r, "checked_on") for r in stale(today, folder=folder)],
            "unsourced": [entry(r, "valid_to") for r in unsourced(folder)]}


def checked_until(folder: Path | str = rules.RULES_DIR) -> dt.date | None:
    """The latest day someone read a source: "Nội dung cập nhật đến ngày …"."""
    days = [r.checked_on for r in rules.load(folder)]
    return max(days) if days else None


def ending_soon(on: dt.date, within: int = WARN_DAYS, folder: Path | str = rules.RULES_DIR) -> list[dict]:
    """Rules in force on ``on`` (the sandbox date) that end within ``within`` days, grouped by
    the document and the end day, so a trainer reads "Thông tư 64/2025/TT-BTC ends on
    31/12/2026 (3 rules)" once, not three times."""
    last = on + dt.timedelta(days=within)
    groups: dict[tuple, dict] = {}
    for rule in rules.in_force(on, folder):
        if rule.valid_to is not None and rule.valid_to <= last:
            key = (rule.valid_to, rule.source["document"])
            group = groups.setdefault(key, {"document": rule.source["document"], "valid_to": rule.valid_to,
                                            "ids": [], "days_left": (rule.valid_to - on).days})
            group["ids"].append(rule.id)
    return [groups[key] for key in sorted(groups)]


def unconfirmed(on: dt.date, folder: Path | str = rules.RULES_DIR) -> list[rules.Rule]:
    """Rules in force on ``on`` that nobody could confirm in a published source: the trainer
    is told (never a citizen's screen)."""
    return [r for r in rules.in_force(on, folder) if r.confidence == "unconfirmed"]
