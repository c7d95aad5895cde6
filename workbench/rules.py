"""The rules the law sets, as dated data: which one is in force on a given day, and why.

Vietnam's rules move (VNeID-only portal log-in from 1/7/2024, two tiers of government from
1/7/2025, a fee cut that ends on 31/12/2026…), and a training tool that teaches an ended rule
is confidently wrong. So every fact a legal document sets lives in ``sandbox_data/rules/*.toml``
with its dates, its source and how sure we are, and code asks this module for the version in
force on the sandbox clock's date (``clock.now(db).date()``), never a constant. The model is
OpenFisca's dated parameters: one id, several versions, each valid from one day to another.

A file holds ``[[rule]]`` tables::

    [[rule]]
    id = "desk.name"                       # what the rule is about; versions share it
    kind = "name"                          # name, route, fee, tier, time, …
    value = { vi = "…", en = "…" }         # any TOML value; {vi, en} for words people read
    valid_from = 2025-07-01
    valid_to = 2026-12-31                  # optional: open-ended when absent
    checked_on = 2026-12-01                # when someone last read the source
    confidence = "confirmed"               # or "unconfirmed": the trainer is told, not the learner
    source = { document = "…", date = 2025-…, issuer = "…", title = "…", url = "…" }
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path

from workbench import data as data_files
from workbench.errors import Refusal

RULES_DIR = data_files.SANDBOX_DATA / "rules"
CONFIDENCE = ("confirmed", "unconfirmed")
REQUIRED = ("id", "kind", "value", "valid_from", "checked_on", "confidence", "source")
SOURCE_REQUIRED = ("document", "issuer")


class RuleMissing(Refusal):
    """No version of a rule is in force on the day asked for."""


class RulesFileError(ValueError):
    """A rules file the workbench cannot trust: says which file, which rule and what is wrong."""


@dataclasses.dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    value: object
    valid_from: dt.date
    valid_to: dt.date | None
    checked_on: dt.date
    confidence: str
    source: dict
    note: str = ""
    file: str = ""

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def text(self, lang: str = "vi"):
        """The value in ``lang`` when it is words people read ({vi, en}), else the value."""
        if isinstance(self.value, dict) and lang in self.value and set(self.value) <= {"vi", "en"}:
            return self.value[lang]
        return self.value

    def as_dict(self) -> dict:
        out = dataclasses.asdict(self)
        for key in ("valid_from", "valid_to", "checked_on"):
            out[key] = out[key].isoformat() if out[key] else None
        out["source"] = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in self.source.items()}
        return out


def _date(value, where: str, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise RulesFileError(f"{where}: {field} must be a TOML date (YYYY-MM-DD), not {value!r}")


def _rule(raw: dict, path: Path, number: int) -> Rule:
    where = f"{path.name}, rule {number} ({raw.get('id', '?')})"
    missing = [field for field in REQUIRED if field not in raw]
    if missing:
        raise RulesFileError(f"{where}: missing {', '.join(missing)}")
    if raw["confidence"] not in CONFIDENCE:
        raise RulesFileError(f"{where}: confidence must be one of {CONFIDENCE}")
    source = dict(raw["source"])
    if any(not source.get(field) for field in SOURCE_REQUIRED):
        raise RulesFileError(f"{where}: source needs at least {', '.join(SOURCE_REQUIRED)}")
    valid_from = _date(raw["valid_from"], where, "valid_from")
    valid_to = _date(raw["valid_to"], where, "valid_to") if raw.get("valid_to") is not None else None
    if valid_to is not None and valid_to < valid_from:
        raise RulesFileError(f"{where}: valid_to is before valid_from")
    return Rule(id=raw["id"], kind=raw["kind"], value=raw["value"], valid_from=valid_from, valid_to=valid_to,
                checked_on=_date(raw["checked_on"], where, "checked_on"), confidence=raw["confidence"],
                source=source, note=raw.get("note", ""), file=path.name)


@lru_cache(maxsize=4)
def load(folder: Path | str = RULES_DIR) -> tuple[Rule, ...]:
    """Every version of every rule, checked: dates, confidence, a source, and no two versions
    of one rule in force on the same day."""
    found: list[Rule] = []
    for path in sorted(Path(folder).glob("*.toml")):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        found += [_rule(item, path, n) for n, item in enumerate(raw.get("rule", []), start=1)]
    by_id: dict[str, list[Rule]] = {}
    for rule in found:
        by_id.setdefault(rule.id, []).append(rule)
    for rule_id, versions in by_id.items():
        versions.sort(key=lambda r: r.valid_from)
        for before, after in zip(versions, versions[1:]):
            if before.valid_to is None or before.valid_to >= after.valid_from:
                raise RulesFileError(f"{after.file}: {rule_id} has two versions in force on {after.valid_from}")
    return tuple(sorted(found, key=lambda r: (r.id, r.valid_from)))


def versions(rule_id: str, folder: Path | str = RULES_DIR) -> list[Rule]:
    """Every version of one rule, oldest first (a trainer sees what changed, and when)."""
    return [rule for rule in load(folder) if rule.id == rule_id]


def in_force(on: dt.date, folder: Path | str = RULES_DIR) -> list[Rule]:
    """The version of each rule in force on ``on``; rules with none that day are left out."""
    return [rule for rule in load(folder) if rule.in_force(on)]


def get(rule_id: str, on: dt.date, folder: Path | str = RULES_DIR) -> Rule:
    for rule in versions(rule_id, folder):
        if rule.in_force(on):
            return rule
    raise RuleMissing("rules.error.missing", rule=rule_id, on=on.isoformat())


def value(rule_id: str, on: dt.date, lang: str | None = None, folder: Path | str = RULES_DIR):
    """The value of ``rule_id`` on ``on`` (in ``lang`` when it is words people read)."""
    rule = get(rule_id, on, folder)
    return rule.text(lang) if lang else rule.value
