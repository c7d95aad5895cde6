"""Limits on signing in to the tracker, and how long an idle session lasts (issue 15, item 9).

Guessing must not pay: wrong tries are counted per username *and* per client (a browser's
address, or its session when the address is unknown), in ``signin_throttle`` in tracker.db so a
reload does not reset them. A username is counted whether an account has it or not, and an
unknown one costs the same hash as a known one, so neither the answer nor its time tells an
attacker which usernames exist. A signed-in session that is left idle ends after a time an
official sets (``idle_minutes``), so a phone left on a table in the hall does not stay signed in.
"""

from __future__ import annotations

import datetime as dt
import json

from workbench import passwords
from workbench.tracker.errors import TrackerError

# (tries, window and lock in minutes): 5 wrong tries on one username, or 10 from one client,
# within 15 minutes lock that username or that client for 15 minutes.
USER_LIMIT = 5
CLIENT_LIMIT = 10
WINDOW_MINUTES = 15
LOCK_MINUTES = 15
LIMITS = {"user": USER_LIMIT, "client": CLIENT_LIMIT}

IDLE_KEY = "session_idle_minutes"
IDLE_DEFAULT = 30
IDLE_RANGE = (5, 720)

_dummy_hashes: dict[tuple, str] = {}


def dummy_hash() -> str:
    """A hash of a secret nobody knows, made at the tracker's cost: an unknown username is checked
    against it, so a wrong try on it takes as long as one on a real account."""
    cost = tuple(sorted(passwords.TRACKER.items()))
    if cost not in _dummy_hashes:
        _dummy_hashes[cost] = passwords.hash_secret("no such user", dict(cost))
    return _dummy_hashes[cost]


def _minutes_left(until: str, now: dt.datetime) -> int:
    seconds = (dt.datetime.fromisoformat(until) - now).total_seconds()
    return max(1, int(-(-seconds // 60)))


def lock_refusal(db, name: str, client: str | None, now: dt.datetime) -> TrackerError | None:
    """The refusal to give when this client or this username is locked now, else None."""
    checks = [("client", client, "tracker.error.client_locked"), ("user", name, "tracker.error.locked")]
    for scope, key, message in checks:
        if key is None:
            continue
        row = db.execute("select locked_until from signin_throttle where scope = ? and key = ?",
                         [scope, key]).fetchone()
        if row and row[0] and row[0] > now.isoformat():
            return TrackerError(message, field="secret", minutes=_minutes_left(row[0], now))
    return None


def count_failure(db, name: str, client: str | None, now: dt.datetime) -> TrackerError:
    """Count one wrong try for the username and the client (inside the caller's write) and say
    what to show: a lock, or how many tries are left before one."""
    _forget_old(db, now)
    left = {}
    for scope, key in (("client", client), ("user", name)):
        if key is None:
            continue
        row = db.execute("select failures, since from signin_throttle where scope = ? and key = ?",
                         [scope, key]).fetchone()
        window_start = (now - dt.timedelta(minutes=WINDOW_MINUTES)).isoformat()
        failures, since = (row[0] + 1, row[1]) if row and row[1] > window_start else (1, now.isoformat())
        locked = None
        if failures >= LIMITS[scope]:
            locked = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat(timespec="seconds")
            failures, since = 0, now.isoformat()
        db.execute("insert or replace into signin_throttle (scope, key, failures, since, locked_until) "
                   "values (?, ?, ?, ?, ?)", [scope, key, failures, since, locked])
        left[scope] = 0 if locked else LIMITS[scope] - failures
    if left.get("client") == 0:
        return TrackerError("tracker.error.client_locked", field="secret", minutes=LOCK_MINUTES)
    if left.get("user") == 0:
        return TrackerError("tracker.error.locked", field="secret", minutes=LOCK_MINUTES)
    return TrackerError("tracker.error.login_wrong", field="secret", left=min(left.values()))


def forget_user(db, name: str) -> None:
    """A new secret or a re-enabled account starts with no wrong tries (inside the caller's write)."""
    db.execute("delete from signin_throttle where scope = 'user' and key = ?", [name])


def _forget_old(db, now: dt.datetime) -> None:
    """Rows whose window and lock are both over count nothing: drop them, so guessing at made-up
    usernames does not grow the table."""
    window_start = (now - dt.timedelta(minutes=WINDOW_MINUTES)).isoformat()
    db.execute("delete from signin_throttle where since <= ? and (locked_until is null or locked_until <= ?)",
               [window_start, now.isoformat()])


# --- idle sessions ---------------------------------------------------------------------------

def idle_minutes(db) -> int:
    """Minutes without a click after which a signed-in session ends (a setting; default 30)."""
    row = db.execute("select value from settings where key = ?", [IDLE_KEY]).fetchone()
    try:
        minutes = int(json.loads(row[0])) if row else IDLE_DEFAULT
    except (TypeError, ValueError):
        return IDLE_DEFAULT
    low, high = IDLE_RANGE
    return minutes if low <= minutes <= high else IDLE_DEFAULT


def parse_idle_minutes(value) -> int:
    """Whole minutes within ``IDLE_RANGE``, or a refusal saying the range."""
    low, high = IDLE_RANGE
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        raise TrackerError("tracker.error.idle_minutes", field="idle_minutes", low=low, high=high) from None
    if not low <= minutes <= high:
        raise TrackerError("tracker.error.idle_minutes", field="idle_minutes", low=low, high=high)
    return minutes


def save_idle_minutes(db, minutes: int) -> None:
    """Store the setting (inside the caller's write)."""
    db.execute("insert or replace into settings (key, value) values (?, ?)", [IDLE_KEY, json.dumps(minutes)])


def idle_expired(db, last_active: dt.datetime | None, now: dt.datetime) -> bool:
    """True when a session last used at ``last_active`` has been idle too long by ``now``."""
    if last_active is None:
        return False
    return now - last_active >= dt.timedelta(minutes=idle_minutes(db))

