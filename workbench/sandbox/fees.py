"""Every fee (phí, lệ phí) of the sandbox, computed by one function from the dated rules.

The law sets the amounts and changes them: a 50% cut of residence fees runs from 1/7/2025 to
31/12/2026 (issue 13). So the amounts live in ``sandbox_data/rules/fees.toml`` as the rule
``fee.<procedure_id>``, one version a period with its source, and ``fee(…, on=day)`` applies
the version in force on ``day`` — callers pass the sandbox date (``clock.now(db).date()``), so a
trainer who moves the clock past 31/12/2026 sees and charges the amount after the cut.

``fee`` returns the amount in integer đồng and the locale key of the way it was worked out;
``rule(procedure_id, on)`` is the version applied, with its source, dates and confidence.
"""

from __future__ import annotations

import datetime as dt

from workbench import rules
from workbench.errors import Refusal
from workbench.sandbox import catalogue

CHANNELS = ("online", "desk")


class FeeError(Refusal, ValueError):
    """A fee asked for an unknown channel, rule or a count of pages/copies out of range."""


def rule_id(procedure_id: str, late: bool = False) -> str:
    return f"fee.{procedure_id}" + (".late" if late else "")


def rule(procedure_id: str, on: dt.date, late: bool = False) -> rules.Rule:
    """The fee rule of a procedure in force on ``on`` (RuleMissing when none is)."""
    catalogue.get(procedure_id)  # an unknown procedure is refused as such, not as a missing rule
    return rules.get(rule_id(procedure_id, late), on)


def _flat(value: dict, channel: str) -> tuple[int, str]:
    amount = int(value[channel])
    if amount == 0:
        return 0, "fees.rule.free"
    if value["online"] < value["desk"]:
        return amount, f"fees.rule.flat_{channel}"
    return amount, "fees.rule.flat"


def fee(procedure_id: str, channel: str = "online", pages: int = 1, copies: int = 1,
        on_time: bool = True, *, on: dt.date) -> tuple[int, str]:
    """(amount in đồng, rule text key) on the day ``on``. Rule keys live in ``locales/*/fees.toml``."""
    if channel not in CHANNELS:
        raise FeeError("fees.error.channel", channel=channel)
    value = rule(procedure_id, on).value
    method = value["method"]
    if method == "free":
        return 0, "fees.rule.free"
    if method == "free_on_time":
        if on_time:
            return 0, "fees.rule.free_on_time"
        amount, _ = _flat(rule(procedure_id, on, late=True).value, channel)
        return amount, "fees.rule.late"
    if method == "flat":
        return _flat(value, channel)
    if method == "per_page":
        pages, copies = int(pages), int(copies)
        if pages < 1:
            raise FeeError("fees.error.pages", pages=pages)
        if copies < 1:
            raise FeeError("fees.error.copies", copies=copies)
        first = min(pages, value["first_pages"])
        per_copy = first * value["first_price"] + (pages - first) * value["later_price"]
        capped = min(per_copy, value["max_per_copy"])
        return capped * copies, ("fees.rule.per_page_capped" if capped < per_copy else "fees.rule.per_page")
    raise FeeError("fees.error.unknown_rule", rule=method)


def source_text(found: rules.Rule) -> str:
    """"Thông tư 75/2022/TT-BTC, Bộ Tài chính, 22/12/2022": what a screen cites for an amount."""
    source = found.source
    day = source.get("date")
    parts = [source["document"], source["issuer"]] + ([day.strftime("%d/%m/%Y")] if day else [])
    return ", ".join(parts)


def table(on: dt.date) -> list[dict]:
    """One row a procedure for the trainers' fee table on ``on``: desk and online amounts, the
    rule version applied (its dates, source, confidence, note)."""
    rows = []
    for proc in catalogue.load():
        desk, rule_key = fee(proc["id"], "desk", on=on)
        online, _ = fee(proc["id"], "online", on=on)
        if rule_key == "fees.rule.flat_desk":
            rule_key = "fees.rule.flat_both"  # the table shows both amounts: name the online reduction
        found = rule(proc["id"], on)
        rows.append({"procedure_id": proc["id"], "name": proc["name"], "field": proc["field"],
                     "desk": desk, "online": online, "rule_key": rule_key, "rule": found,
                     "valid_from": found.valid_from, "valid_to": found.valid_to,
                     "source": source_text(found), "confidence": found.confidence, "note": found.note})
    return rows
