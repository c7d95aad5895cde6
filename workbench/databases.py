"""What each of the two databases holds, and the connections to them.

Every module that has tables is imported here, plainly, and its migration set listed in the
order it is applied; every module that records sandbox events is listed for its
``EVENT_KINDS``. A module missing from these lists has no tables and its kinds are unknown to
the lesson validator, and ``tests/test_shape.py`` fails. Nothing is looked up by name, so a
misspelt module stops the import with its own error instead of being skipped.

This module sits above the three parts of the workbench (it imports them all); ``store``
below them knows only how to open, migrate and write.
"""

from __future__ import annotations

from workbench import clock, events, store
from workbench.learning.lessons import progress as lesson_progress
from workbench.learning.workshops import hall as workshop_hall
from workbench.province import schema as province_schema
from workbench.sandbox import catalogue, eid, health_book, otp, personas, phone, portal, scams, scenarios
from workbench.sandbox.dossiers import schema as dossier_schema
from workbench.sandbox.payments import schema as payment_schema
from workbench.tracker import schema as tracker_schema

# Applied in this order; names of sets and migrations are stored in each database, so a
# module may move freely as long as its ``Migrations("name")`` and function names stay.
SANDBOX_MIGRATIONS = (
    events.migrations,
    clock.migrations,
    personas.migrations,
    phone.migrations,
    otp.migrations,
    eid.migrations,
    portal.migrations,
    health_book.migrations,
    dossier_schema.migrations,
    payment_schema.migrations,
    lesson_progress.migrations,
    workshop_hall.migrations,
)
TRACKER_MIGRATIONS = (tracker_schema.migrations,)
# A province's database: the tracker's tables for its users, sign-in and audit (the same
# sign-in and roles, issue 16; its citizen tables stay empty), and the packages received.
PROVINCE_MIGRATIONS = (tracker_schema.migrations, province_schema.migrations)

# Modules that record sandbox events, each with ``EVENT_KINDS = {"kind": "meaning"}``.
EVENT_SOURCES = (
    events, phone, otp, eid, portal, health_book, dossier_schema, payment_schema, lesson_progress, workshop_hall,
    scenarios, scams, catalogue,
)


def sandbox() -> store.StoreDatabase:
    """This thread's connection to the disposable ``sandbox.db``, migrated on first use."""
    return store.connect(store.SANDBOX, SANDBOX_MIGRATIONS)


def tracker() -> store.StoreDatabase:
    """This thread's connection to the precious ``tracker.db``, migrated on first use."""
    return store.connect(store.TRACKER, TRACKER_MIGRATIONS)


def province() -> store.StoreDatabase:
    """This thread's connection to ``province.db``, made by ``init --province`` (issue 16)."""
    return store.connect(store.PROVINCE, PROVINCE_MIGRATIONS)


def event_kinds() -> dict[str, str]:
    """Every event kind the sandbox can record, with what it means.

    Lesson files are validated against this union, so a check can only name a kind that exists.
    """
    kinds: dict[str, str] = {}
    for module in EVENT_SOURCES:
        kinds.update(module.EVENT_KINDS)
    return kinds
