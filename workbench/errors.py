"""One base for every refusal the user must read: ``Refusal(key, **params)``.

A refusal is not a bug. It is the sandbox or the tracker saying "no" in the user's language:
``key`` names a locale string and ``params`` fill it in, so pages and the CLI show
``i18n.t(error.key, **error.params)`` and never a stack trace. Each part of the workbench
subclasses it (``EidError``, ``DossierError``, ``TrackerError``…) so a caller can catch just
the refusals it knows how to show.
"""

from __future__ import annotations


class Refusal(Exception):
    """A refused action or bad input. ``key`` names the locale message; ``params`` fill it."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        self.more: list[tuple[str, dict]] = []
        super().__init__(f"{key}: {params}")

    def also(self, key: str, **params) -> "Refusal":
        """Another problem found in the same input, reported at the same time: a person told one
        rule at a time fixes one, sends, and meets the next (issue 14). Returns the refusal."""
        self.more.append((key, params))
        return self

    @property
    def problems(self) -> list[tuple[str, dict]]:
        """Every problem, the first (``key``, ``params``) first."""
        return [(self.key, self.params), *self.more]
