"""The law-dependent names locale strings take as parameters: ``{desk}``, ``{card}``,
``{report_to}`` (issue 13).

The commune's desk became the "Trung tâm Phục vụ hành chính công" on 1/7/2025, the card the
"thẻ căn cước" on 1/7/2024, and a commune has reported to the province since districts ended.
A locale string that wrote those words down would teach an ended name the day the law moves
again, so strings hold placeholders and this module fills them from the rules in force on
the day asked for (the sandbox clock's date on sandbox screens). ``pages/_ui/frame.t`` passes
these as defaults to every string; code that renders outside a page (PDFs) calls ``params``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from workbench import rules

# placeholder → the rule that fills it
NAMES = {"desk": "desk.name", "card": "card.name", "report_to": "government.report_to"}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=64)
def _params(on: dt.date, lang: str) -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for placeholder, rule_id in NAMES.items():
        try:
            value = str(rules.value(rule_id, on, lang))
        except rules.RuleMissing:
            continue  # a day before any version: the string shows its placeholder, never a wrong name
        out[placeholder] = value
        out[f"{placeholder}_cap"] = _capitalised(value)  # at the start of a sentence
    return tuple(out.items())


def params(on: dt.date, lang: str = "vi") -> dict[str, str]:
    """``{"desk": …, "desk_cap": …, "card": …, "card_cap": …, "report_to": …, …}`` on ``on``."""
    return dict(_params(on, lang))


def tiers(on: dt.date) -> list[str]:
    """The tiers of local government on ``on``, top first: ``["province", "commune"]`` today."""
    return list(rules.value("government.tiers", on))


def has_district(on: dt.date) -> bool:
    """Whether a huyện existed on ``on`` (a page asks this before showing a district)."""
    return "district" in tiers(on)
