"""The tracker's refusals: what a volunteer or official must fix, named by field.

A form shows each message beside the input it is about, GOV.UK style, so a refusal carries the
``field`` to fix; a possible duplicate carries the records it may be, so the volunteer chooses
(never a silent merge).
"""

from __future__ import annotations

from workbench.errors import Refusal


class TrackerError(Refusal):
    """Bad input or a refused action; ``field`` names the input to fix."""

    def __init__(self, key: str, field: str | None = None, **params):
        super().__init__(key, **params)
        self.field = field


class DuplicateCitizen(TrackerError):
    def __init__(self, matches: list[dict]):
        super().__init__("tracker.error.duplicate", field="full_name", count=len(matches))
        self.matches = matches


class ImportFileError(TrackerError):
    """A file the import cannot read at all (its encoding, its format, its size): nothing was
    written, and the message says what the file is or where it went wrong."""
