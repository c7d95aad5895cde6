"""The formula guard: no cell the tracker exports is ever run by a spreadsheet as a formula.

A name typed as ``=HYPERLINK(…)`` or ``+1-2`` would be a formula in Excel or LibreOffice; the
export writes such a cell with a leading apostrophe (OWASP's "CSV injection" guard) and the
import takes it off again, so a file goes out and comes back unchanged.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A value that itself starts with the guard's apostrophe is guarded too, so "'=x" survives a round trip.
GUARDED_START = (*FORMULA_START, "'")
# Spreadsheets fold look-alikes to these before deciding a cell is a formula (issue 15): the
# full-width ＝ ＋ － ＠ of East Asian keyboards, the small ﹦ ﹢ ﹣ ﹫, super- and subscript ⁺ ₊ ⁼ ₌
# (all of which NFKC folds), and the minus signs − ⁻ ₋ (which it folds to "−", not "-").
MINUS_SIGNS = frozenset("\u2212\u207b\u208b")


@lru_cache(maxsize=256)
def _guarded_char(first: str) -> bool:
    if first in GUARDED_START:
        return True
    return not first.isascii() and (unicodedata.normalize("NFKC", first)[:1] in GUARDED_START
                                    or first in MINUS_SIGNS)


def needs_guard(value) -> bool:
    """Whether an exported cell starting like ``value`` gets the formula guard's apostrophe:
    it starts like a formula (= + - @ tab CR, or a look-alike a spreadsheet folds to one) or
    with the apostrophe itself."""
    return isinstance(value, str) and value != "" and _guarded_char(value[0])


def unneutralise(value):
    """An exported cell "'=…" (formula injection guard) reads back as "=…"."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and _guarded_char(value[1]):
        return value[1:]
    return value


def neutralise(value):
    """A cell value that no spreadsheet will run as a formula."""
    if needs_guard(value):
        return "'" + value
    return value
