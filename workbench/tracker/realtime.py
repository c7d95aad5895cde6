"""Real dates and times for the tracker's records.

The tracker records real events, so it reads the computer's clock; the sandbox's clock
(``workbench.clock``) is not involved.
"""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()


def now_iso() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")
