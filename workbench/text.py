"""Text as people type it: one way to clean it, fold it for search, and read a date from it.

Volunteers type names in NFD on one phone and NFC on another, with double spaces; a search for
"nguyen van a" must find "Nguyễn Văn A"; a date arrives as "23/11/2026", "2026-11-23" or, from a
spreadsheet, as an Excel serial number. Each of those is decided here, once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata


def clean(value) -> str:
    """NFC, trimmed, single spaces: "Nguyễn  Văn A " typed in NFD is the same as in NFC."""
    # str.split() and re's \s agree on what whitespace is; split/join is the faster of the two.
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


# Every combining mark of the Basic Multilingual Plane, removed in one str.translate (the
# importer folds tens of thousands of names a second); marks beyond it take the slow path.
_COMBINING = {cp: None for cp in range(0x300, 0x10000) if unicodedata.combining(chr(cp))}


def fold(value) -> str:
    """Lower case without diacritics, so "nguyen van a" finds "Nguyễn Văn A"."""
    text = unicodedata.normalize("NFD", str(value or "").lower()).replace("đ", "d")
    text = text.translate(_COMBINING)
    if not text.isascii() and any(ord(ch) > 0xFFFF for ch in text):
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("\u0111", "d").split())


_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_EXCEL_SERIAL = re.compile(r"\d{4,5}(?:\.0+)?")


def parse_date(value, *, excel_serials: bool = False) -> dt.date | None:
    """The date in ``value``, or None when it holds none.

    Reads a ``date``/``datetime``, "23/11/2026" (also with "." or "-"), "2026-11-23" (with or
    without a time) and, with ``excel_serials``, a spreadsheet's day number for 1954–2119.
    Callers raise their own refusal on None, naming the field the person must fix.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean(value)
    try:
        if match := _DAY_FIRST.fullmatch(text):
            day, month, year = match.groups()
            return dt.date(int(year), int(month), int(day))
        if match := _ISO.fullmatch(text):
            year, month, day = match.groups()
            return dt.date(int(year), int(month), int(day))
        if excel_serials and _EXCEL_SERIAL.fullmatch(text):
            serial = int(float(text))
            if 20000 <= serial <= 80000:
                return dt.date(1899, 12, 30) + dt.timedelta(days=serial)
    except ValueError:
        pass
    return None
