"""Every fee (phí, lệ phí) of the sandbox, computed by one function from the catalogue.

``fee(procedure_id, channel=…, pages=…, copies=…, on_time=…)`` returns the amount in
integer đồng and the locale key of the rule applied, so every screen that shows an amount
can say why. The legal basis is in the catalogue (``procedure["basis"]``).
"""

from __future__ import annotations

from workbench.errors import Refusal
from workbench.sandbox import catalogue

CHANNELS = ("online", "desk")


class FeeError(Refusal, ValueError):
    """A fee asked for an unknown channel, rule or a count of pages/copies out of range."""


def fee(procedure_id: str, channel: str = "online", pages: int = 1, copies: int = 1,
        on_time: bool = True) -> tuple[int, str]:
    """(amount in đồng, rule text key). Rule keys live in ``locales/*/fees.toml``."""
    if channel not in CHANNELS:
        raise FeeError("fees.error.channel", channel=channel)
    proc = catalogue.get(procedure_id)
    rule = proc["fee"]
    kind = rule["rule"]
    if kind == "free":
        return 0, "fees.rule.free"
    if kind == "free_on_time":
        if on_time:
            return 0, "fees.rule.free_on_time"
        return int(rule[f"late_{channel}"]), "fees.rule.late"
    if kind == "flat":
        amount = int(rule[channel])
        if amount == 0:
            return 0, "fees.rule.free"
        if rule["online"] < rule["desk"]:
            return amount, f"fees.rule.flat_{channel}"
        return amount, "fees.rule.flat"
    if kind == "per_page":
        pages, copies = int(pages), int(copies)
        if pages < 1:
            raise FeeError("fees.error.pages", pages=pages)
        if copies < 1:
            raise FeeError("fees.error.copies", copies=copies)
        first = min(pages, rule["first_pages"])
        per_copy = first * rule["first_price"] + (pages - first) * rule["later_price"]
        capped = min(per_copy, rule["max_per_copy"])
        return capped * copies, ("fees.rule.per_page_capped" if capped < per_copy else "fees.rule.per_page")
    raise FeeError("fees.error.unknown_rule", rule=kind)


def table() -> list[dict]:
    """One row a procedure for the trainers' fee table: desk and online amounts, the basis."""
    rows = []
    for proc in catalogue.load():
        desk, rule_key = fee(proc["id"], "desk")
        online, _ = fee(proc["id"], "online")
        if rule_key == "fees.rule.flat_desk":
            rule_key = "fees.rule.flat_both"  # the table shows both amounts: name the online reduction
        rows.append({"procedure_id": proc["id"], "name": proc["name"], "field": proc["field"],
                     "desk": desk, "online": online, "rule_key": rule_key, "rule": proc["fee"],
                     "basis": proc["basis"]})
    return rows
