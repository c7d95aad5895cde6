"""Who may see and change the tracker (issue 8).

Three roles: officials (everything), volunteers (enter citizens and see their own villages,
phone numbers masked) and viewers (aggregates only). Passwords and PINs are stored only as
scrypt hashes; wrong tries are limited per username and per client, and idle sessions end
(``signin``). The first official is created by the first-run set-up, when the tracker has no
user at all.
"""

from __future__ import annotations

import datetime as dt
import re

from workbench import passwords, store, text
from workbench.tracker import audit, citizens, export, fields, places, realtime, signin
from workbench.tracker.errors import TrackerError

ROLES = ("official", "volunteer", "viewer")
MAX_FAILURES = signin.USER_LIMIT
LOCK_MINUTES = signin.LOCK_MINUTES

# What each role may do. Volunteers act only within their villages (see ``allowed``).
PERMISSIONS = {
    "official": {"view_aggregates", "view_citizens", "see_phones", "enter", "import", "export", "erase",
                 "reports", "admin"},
    "volunteer": {"view_aggregates", "view_citizens", "enter", "import"},
    "viewer": {"view_aggregates", "reports"},
}


def secret_kind(secret: str) -> str:
    """A PIN of 6 digits (easy on a phone in the field) or a password of at least 8 characters."""
    if re.fullmatch(r"\d{6,}", secret or ""):
        return "pin"
    if len(secret or "") >= 8:
        return "password"
    raise TrackerError("tracker.error.weak_secret", field="secret")


def _clean_username(username: str) -> str:
    name = text.fold(username).replace(" ", ".")
    if not re.fullmatch(r"[a-z0-9._\-]{3,40}", name):
        raise TrackerError("tracker.error.username", field="username")
    return name


def needs_setup(db) -> bool:
    return db.execute("select count(*) from users").fetchone()[0] == 0


def _insert_user(db, *, username, display_name, role, secret, village_ids=(), team_id=None) -> int:
    if role not in ROLES:
        raise TrackerError("tracker.error.role", field="role")
    username = _clean_username(username)
    display_name = text.clean(display_name) or username
    kind = secret_kind(secret)
    if db.execute("select 1 from users where username = ?", [username]).fetchone():
        raise TrackerError("tracker.error.username_taken", field="username", username=username)
    user_id = db["users"].insert({
        "username": username, "display_name": display_name, "role": role, "secret_hash": passwords.hash_secret(secret, passwords.TRACKER),
        "secret_kind": kind, "team_id": team_id, "failed_count": 0, "locked_until": None, "active": 1,
        "created_at": realtime.now_iso()}).last_pk
    for village_id in village_ids or ():
        db["user_villages"].insert({"user_id": user_id, "village_id": int(village_id)}, ignore=True)
    return user_id


def create_first_official(db, *, username: str, display_name: str, secret: str) -> int:
    """First-run set-up: only while the tracker has no user."""
    with store.write(db):
        if not needs_setup(db):
            raise TrackerError("tracker.error.already_set_up")
        user_id = _insert_user(db, username=username, display_name=display_name, role="official", secret=secret)
        audit.record(db, _clean_username(username), "user.created", "user", user_id, role="official", first=True)
    return user_id


def create_user(db, by: dict, *, username, display_name, role, secret, village_ids=(), team_id=None) -> int:
    require(by, "admin")
    if role == "volunteer" and not village_ids:
        raise TrackerError("tracker.error.volunteer_villages", field="village_ids")
    with store.write(db):
        user_id = _insert_user(db, username=username, display_name=display_name, role=role, secret=secret,
                               village_ids=village_ids, team_id=team_id)
        audit.record(db, by["username"], "user.created", "user", user_id, role=role)
    return user_id


def set_secret(db, by: dict, user_id: int, secret: str) -> None:
    if by["id"] != user_id:
        require(by, "admin")
    kind = secret_kind(secret)
    with store.write(db):
        db.execute("update users set secret_hash = ?, secret_kind = ?, failed_count = 0, locked_until = null "
                   "where id = ?", [passwords.hash_secret(secret, passwords.TRACKER), kind, user_id])
        _forget_tries(db, user_id)
        audit.record(db, by["username"], "user.secret_changed", "user", user_id)


def set_active(db, by: dict, user_id: int, active: bool) -> None:
    require(by, "admin")
    if user_id == by["id"] and not active:
        raise TrackerError("tracker.error.self_disable")
    with store.write(db):
        db.execute("update users set active = ?, failed_count = 0, locked_until = null where id = ?",
                   [int(active), user_id])
        _forget_tries(db, user_id)
        audit.record(db, by["username"], "user.enabled" if active else "user.disabled", "user", user_id)


def _forget_tries(db, user_id: int) -> None:
    row = db.execute("select username from users where id = ?", [user_id]).fetchone()
    if row:
        signin.forget_user(db, row[0])


def users(db) -> list[dict]:
    rows = list(db.query("select id, username, display_name, role, team_id, active, failed_count, locked_until, "
                         "created_at from users order by role, username"))
    for row in rows:
        row["village_ids"] = village_ids_of(db, row["id"])
    return rows


def village_ids_of(db, user_id: int) -> tuple[int, ...]:
    return tuple(r[0] for r in db.execute("select village_id from user_villages where user_id = ? order by village_id",
                                          [user_id]))


def session_user(db, user_id: int, *, last_active: dt.datetime | None = None,
                 now: dt.datetime | None = None) -> dict | None:
    """The signed-in user as pages keep it: id, username, name, role, villages. None if disabled,
    or if the session was last used at ``last_active`` and has been idle longer than an official
    allows (``signin.idle_minutes``, default 30)."""
    if signin.idle_expired(db, last_active, now or dt.datetime.now()):
        return None
    rows = list(db.query("select id, username, display_name, role, team_id, active from users where id = ?", [user_id]))
    if not rows or not rows[0]["active"]:
        return None
    user = rows[0]
    user["village_ids"] = village_ids_of(db, user_id)
    return user


def set_idle_minutes(db, by: dict, minutes) -> int:
    """How long a signed-in session may stay idle before it ends: officials only."""
    require(by, "admin")
    minutes = signin.parse_idle_minutes(minutes)
    with store.write(db):
        signin.save_idle_minutes(db, minutes)
        audit.record(db, by["username"], "auth.idle_minutes_changed", "setting", None, minutes=minutes)
    return minutes


def _throttle_name(username: str) -> str:
    """The username as wrong tries are counted: cleaned when it could be an account's, else
    folded and cut short, so every name typed (real, made up or malformed) is counted alike."""
    try:
        return _clean_username(username)
    except TrackerError:
        return text.fold(str(username or ""))[:80]


def login(db, username: str, secret: str, now: dt.datetime | None = None, client: str | None = None) -> dict:
    """Check a password or PIN. The same answer, after the same work, whether the username
    exists or not: an unknown one is checked against a dummy hash and counted like a real one,
    so usernames cannot be enumerated. Five wrong tries on a username, or ten from one
    ``client`` (a browser's address or session), within 15 minutes lock it for 15 minutes
    (``signin``).

    The secret is hashed outside the write (a guessing client must not hold tracker.db's write
    lock); the locks are checked again inside it, so parallel tries cannot slip past one. A
    refusal is written (counts, audit line) and committed *before* the error is raised:
    raising inside ``store.write`` would roll the count back and nobody would ever be locked.
    """
    now = now or dt.datetime.now()
    name = _throttle_name(username)
    refusal = signin.lock_refusal(db, name, client, now)
    user, right = None, False
    if refusal is None:
        rows = list(db.query("select id, secret_hash, active from users where username = ?", [name]))
        user = rows[0] if rows and rows[0]["active"] else None
        right = passwords.check_secret(secret or "", user["secret_hash"] if user else signin.dummy_hash())
    with store.write(db):
        refusal = signin.lock_refusal(db, name, client, now)
        user_id = user["id"] if user else None
        if refusal is not None:
            audit.record(db, name, "auth.login_refused", "user", user_id, reason=refusal.key.rsplit(".", 1)[-1])
        elif user is None or not right:
            refusal = signin.count_failure(db, name, client, now)
            audit.record(db, name, "auth.login_failed", "user", user_id, locked="left" not in refusal.params,
                         **({} if user else {"reason": "unknown"}))
        else:
            signin.forget_user(db, name)
            audit.record(db, name, "auth.login", "user", user_id)
    if refusal is not None:
        raise refusal
    return session_user(db, user["id"])


# --- permissions -----------------------------------------------------------------------------

def can(user: dict | None, action: str, village_id: int | None = None) -> bool:
    if not user or action not in PERMISSIONS.get(user.get("role"), set()):
        return False
    if user["role"] == "volunteer" and village_id is not None:
        return village_id in user.get("village_ids", ())
    return True


def require(user: dict | None, action: str, village_id: int | None = None) -> None:
    if not can(user, action, village_id):
        raise TrackerError("tracker.error.forbidden", action=action)


def scope(user: dict | None) -> citizens.Scope:
    """Which citizens a user may see, and whether phone numbers are masked."""
    require(user, "view_citizens")
    if user["role"] == "official":
        return citizens.Scope()
    return citizens.Scope(village_ids=tuple(user.get("village_ids", ())), mask_phones=True)


def dashboard_villages(user: dict | None) -> tuple[int, ...] | None:
    """Volunteers see the figures of their villages; officials and viewers the whole commune."""
    require(user, "view_aggregates")
    return tuple(user.get("village_ids", ())) if user["role"] == "volunteer" else None


def search(db, user: dict, query: str, limit: int = 20) -> list[dict]:
    return citizens.search(db, query, scope(user), limit)


def add_citizen(db, user: dict, **person) -> int:
    """``citizens.add`` for a signed-in user, within the villages they may enter for."""
    village_id = places.resolve_village(db, person["village"])
    require(user, "enter", village_id)
    person["village"] = village_id
    return citizens.add(db, actor=user["username"], **person)


def record_milestone(db, user: dict, citizen_id: int, milestone: str, date, note: str = "") -> bool:
    citizen = citizens.get(db, citizen_id)
    if citizen is None:
        raise TrackerError("tracker.error.unknown_citizen")
    require(user, "enter", citizen["village_id"])
    return citizens.record_milestone(db, citizen_id, milestone, date, helped_by=user["display_name"],
                                     actor=user["username"], note=note)


def citizen_for(db, user: dict, citizen_id: int) -> dict:
    citizen = citizens.get(db, citizen_id)
    if citizen is None:
        raise TrackerError("tracker.error.unknown_citizen")
    require(user, "view_citizens", citizen["village_id"])
    if not can(user, "see_phones"):
        citizen["phone"] = citizens.mask_phone(citizen["phone"])
    return citizen


def save_entry(db, user: dict, *, citizen_id: int | None = None, citizen: dict | None = None,
               milestones: dict | None = None, note: str = "", allow_duplicate: bool = False) -> int:
    """``citizens.save_entry`` for a signed-in user, within the villages they may enter for; the
    user is recorded as who helped, and (for a new person) as who took the consent unless the
    entry names someone else."""
    if citizen_id is not None:
        found = citizens.get(db, citizen_id)
        if found is None:
            raise TrackerError("tracker.error.unknown_citizen")
        require(user, "enter", found["village_id"])
    elif citizen is not None:
        citizen = dict(citizen)
        citizen["village"] = places.resolve_village(db, citizen["village"])
        require(user, "enter", citizen["village"])
        citizen.setdefault("consent_by", user["display_name"])
    else:
        require(user, "enter")
    return citizens.save_entry(db, actor=user["username"], helped_by=user["display_name"], citizen_id=citizen_id,
                               citizen=citizen, milestones=milestones, note=note, allow_duplicate=allow_duplicate)


def duplicates_for(db, user: dict, full_name: str, birth_year, village) -> list[dict]:
    """Possible duplicates of a person about to be added (same name, birth year and village),
    shown before saving so the volunteer chooses: never a silent merge."""
    require(user, "enter")
    try:
        year = fields.parse_birth_year(birth_year)
        village_id = places.resolve_village(db, village)
    except TrackerError:
        return []
    rows = citizens.find_duplicates(db, full_name, year, village_id)
    return [citizen_for(db, user, row["id"]) for row in rows]


def erase_citizen(db, user: dict, citizen_id: int) -> None:
    """Delete a person on their request (Decree 13/2023, Law 91/2025): officials only."""
    require(user, "erase")
    citizens.delete(db, citizen_id, actor=user["username"])


def export_citizen(db, user: dict, citizen_id: int) -> bytes:
    """Everything held about one person, for them to take away: officials only."""
    require(user, "export")
    return export.citizen_json(db, citizen_id, actor=user["username"])


def set_villages(db, by: dict, user_id: int, village_ids) -> None:
    """Which villages a volunteer enters for and sees."""
    require(by, "admin")
    with store.write(db):
        db.execute("delete from user_villages where user_id = ?", [user_id])
        for village_id in village_ids or ():
            db["user_villages"].insert({"user_id": user_id, "village_id": int(village_id)}, ignore=True)
        audit.record(db, by["username"], "user.villages_changed", "user", user_id,
                     villages=sorted(int(v) for v in village_ids or ()))


def set_role(db, by: dict, user_id: int, role: str) -> None:
    require(by, "admin")
    if role not in ROLES:
        raise TrackerError("tracker.error.role", field="role")
    if user_id == by["id"] and role != "official":
        raise TrackerError("tracker.error.self_demote", field="role")
    with store.write(db):
        db.execute("update users set role = ? where id = ?", [role, user_id])
        audit.record(db, by["username"], "user.role_changed", "user", user_id, role=role)
