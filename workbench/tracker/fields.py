"""A person's fields as volunteers type them, read into what the tracker stores.

Each ``parse_*`` returns the clean value or raises a ``TrackerError`` naming the field and
saying what to fix, so a form can show the message beside its input and the importer can
report it with the row's number. Text is cleaned and folded by ``workbench.text``, the one
place that decides how.
"""

from __future__ import annotations

import datetime as dt
import re

from workbench import fakes, text
from workbench.tracker import realtime
from workbench.tracker.errors import TrackerError

GENDERS = ("nam", "nữ")

# Characters a free-text field may hold (issue 15: a 5,242,880-character name was stored and
# tracker.db grew by 16 MB). Generous for what people really write: the longest Vietnamese
# names run to about 40 characters, the notes are a sentence or two.
MAX_LENGTH = {
    "full_name": 100, "ethnicity": 50, "village": 100, "team": 100, "name": 100, "consent_by": 100,
    "helped_by": 100, "note": 500,
}
SHORT_LENGTH = 40  # any other cell or field: a year, a gender, a phone number, a date, a tick


def check_length(name: str, value: str) -> str:
    """``value`` if it fits the field's limit; otherwise a refusal naming the limit and the length."""
    limit = MAX_LENGTH.get(name, SHORT_LENGTH)
    if len(value) > limit:
        key = f"tracker.error.too_long.{name if name in MAX_LENGTH else 'other'}"
        raise TrackerError(key, field=name, limit=limit, length=len(value))
    return value


def parse_gender(value) -> str:
    folded = text.fold(value)
    if folded in ("nam", "m", "male", "trai", "1"):
        return "nam"
    if folded in ("nu", "f", "female", "gai", "2", "0"):
        return "nữ"
    raise TrackerError("tracker.error.gender", field="gender", value=text.clean(value))


def parse_birth_year(value, on: dt.date | None = None) -> int:
    try:
        year = int(float(str(value).strip()))
    except (TypeError, ValueError):
        raise TrackerError("tracker.error.birth_year", field="birth_year", value=text.clean(value)) from None
    if not 1900 <= year <= (on or realtime.today()).year:
        raise TrackerError("tracker.error.birth_year", field="birth_year", value=str(year))
    return year


def parse_date(value) -> str:
    """ISO date from a date, "dd/mm/yyyy", "yyyy-mm-dd" or an Excel serial number."""
    day = text.parse_date(value, excel_serials=True)
    if day is not None:
        return day.isoformat()
    typed = text.clean(value)
    if not typed:
        raise TrackerError("tracker.error.date_missing", field="date")
    raise TrackerError("tracker.error.date", field="date", value=typed)


def parse_cccd_last4(value) -> str | None:
    typed = text.clean(value)
    if not typed:
        return None
    if not re.fullmatch(r"\d{4}", typed):
        raise TrackerError("tracker.error.cccd_last4", field="cccd_last4")
    return typed


def parse_phone(value) -> str | None:
    typed = text.clean(value)
    if not typed:
        return None
    try:
        return fakes.normalise_phone(typed)
    except fakes.InvalidPhone as error:
        raise TrackerError("tracker.error.phone", field="phone", value=typed, reason=error.key) from None
