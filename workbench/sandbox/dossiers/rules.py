"""The rules a dossier is held to that need no database: working days and due dates, the fee
a dossier owes, one form field's check, and which document pictures exist.

Due dates skip weekends and the holidays of ``sandbox_data/holidays.toml``; a dossier
received after 15:00 or on a day off counts from the next working day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from workbench import data as data_files, fakes
from workbench.sandbox import catalogue, fees
from workbench.text import parse_date

LATE_SUBMISSION_HOUR = 15


# --- working days ------------------------------------------------------------------------

@lru_cache(maxsize=1)  # every due date walks the calendar
def holidays() -> dict[dt.date, str]:
    data = data_files.load("holidays")
    return {day["date"]: day["name"] for day in data["days"]}


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def first_counting_day(at: dt.datetime) -> dt.date:
    """The day the legal time starts: today if a working day before 15:00, else the next one."""
    day = at.date()
    if not is_working_day(day) or at.hour >= LATE_SUBMISSION_HOUR:
        return next_working_day(day)
    return day


def due_date(at: dt.datetime, working_days: int) -> dt.date:
    """The last day to return the result for a dossier received at ``at``.

    0 working days means the same counting day ("trong ngày").
    """
    day = first_counting_day(at)
    for _ in range(working_days):
        day = next_working_day(day)
    return day


def add_working_days(day: dt.date, working_days: int) -> dt.date:
    for _ in range(working_days):
        day = next_working_day(day)
    return day


# --- the fee --------------------------------------------------------------------------------

def _on_time(proc: dict, answers: dict, today: dt.date) -> bool:
    """Birth registration is free within 60 days of the birth, death within 15 days."""
    limits = {"khai_sinh": ("child_birth_date", 60), "khai_tu": ("death_date", 15)}
    if proc["id"] not in limits:
        return True
    field, days = limits[proc["id"]]
    day = parse_date(answers.get(field))
    return day is None or (today - day).days <= days


def fee_for(row: dict, channel: str, today: dt.date) -> tuple[int, str]:
    """(amount in đồng, the rule that set it) for a dossier filed through ``channel`` on
    ``today``, the sandbox date: the fee rule in force that day applies (issue 13)."""
    proc = catalogue.get(row["procedure_id"])
    answers = row["answers"]
    return fees.fee(proc["id"], channel, pages=int(answers.get("pages") or 1),
                    copies=int(answers.get("copies") or 1), on_time=_on_time(proc, answers, today), on=today)


# --- form fields and document pictures ------------------------------------------------------

def validate_field(field: dict, value, today: dt.date) -> tuple[object, str | None]:
    """(clean value, error key or None) for one form field."""
    text = "" if value is None else str(value).strip()
    if not text:
        return "", ("dossiers.error.required" if field.get("required") else None)
    kind = field["type"]
    if kind == "date":
        day = parse_date(text)
        if day is None:
            return text, "dossiers.error.date_format"
        if day > today:
            return text, "dossiers.error.date_future"
        return day.strftime("%d/%m/%Y"), None
    if kind == "number":
        if not text.isdigit():
            return text, "dossiers.error.number"
        number = int(text)
        if number < field.get("min", 0) or number > field.get("max", 10**9):
            return text, "dossiers.error.number_range"
        return number, None
    if kind == "phone":
        try:
            return fakes.normalise_phone(text), None
        except fakes.InvalidPhone as error:
            return text, error.key
    if kind == "select" and text not in field["options"]:
        return text, "dossiers.error.choose_option"
    if field["id"].endswith("_cccd") and not (len(text) == 12 and text.isdigit()):
        return text, "dossiers.error.cccd"
    return text, None


def scenario_variants() -> dict:
    """The pictures a persona has of each paper (ok, blurry, wrong): dossier_scenarios.toml."""
    return data_files.load("dossier_scenarios")["variants"]
