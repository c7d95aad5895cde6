"""VNeID e-ID level 2 (định danh điện tử mức độ 2) as an explicit state machine.

Two machines per persona (issue 3):

registration (commune police, in person — simulated as a desk step)::

    none --submit_registration--> submitted --approve_registration--> approved

activation (in the VNeID app, or on vneid.gov.vn for people without a smartphone)::

    (approved) --start_activation(cccd, phone)--> otp
    otp --confirm_activation_otp--> password   (no VNeID account yet)
    otp --confirm_activation_otp--> passcode   (level-1 account: it has a password already)
    password --set_password--> passcode --set_passcode--> security
    security --set_security_questions--> done   (level 2, eid.activated)

``REFUSALS`` lists the error each refused transition gives. Every action, success or
refusal, records an event. Passwords, passcodes and security answers are stored only as
scrypt hashes (``otp.hash_secret``). Refusals are committed before the error is raised.
"""

from __future__ import annotations

import json
import re
import unicodedata

from sqlite_utils.migrations import Migrations

from workbench import clock, events, fakes, i18n, passwords, store
from workbench.sandbox import otp, phone
from workbench.sandbox.phone import IdentityError

migrations = Migrations("eid")

SMS_SENDER = "BoCongAn"
DEFAULT_DEVICE = "sandbox-phone"
SECURITY_QUESTIONS = ("q1", "q2", "q3", "q4", "q5", "q6")  # text in locales: eid.questions.<id>
PASSWORD_SPECIALS = "!@#$%^&*()-_=+[]{};:'\",.<>/?\\|`~"

REGISTRATION_STATES = ("none", "submitted", "approved")
REGISTRATION_DOCUMENTS = ("chip_card", "photo", "fingerprints")  # labels in locales: police.check.<id>
ACTIVATION_STEPS = ("otp", "password", "passcode", "security", "done")
TRANSITIONS = {
    ("none", "submit_registration"): "submitted",
    ("submitted", "approve_registration"): "approved",
    ("approved", "start_activation"): "otp",
    ("otp", "confirm_activation_otp"): "password | passcode",
    ("password", "set_password"): "passcode",
    ("passcode", "set_passcode"): "security",
    ("security", "set_security_questions"): "done",
}
REFUSALS = {
    "eid.error.cccd_format": "CCCD is not 12 digits",
    "eid.error.cccd_mismatch": "the personal ID number is not the one of the approved dossier",
    "eid.error.phone_mismatch": "the phone number is not the one given in the approved dossier",
    "eid.error.not_approved": "level-2 registration not approved by the police yet",
    "eid.error.already_active": "the account is already activated",
    "eid.error.already_submitted": "a registration is already at the police",
    "police.error.checklist": "the police desk did not tick chip CCCD, portrait photo and fingerprints",
    "eid.error.wrong_step": "that screen is not the current activation step",
    "eid.error.password_length": "password not 8–20 characters",
    "eid.error.password_digit": "password without a digit",
    "eid.error.password_upper": "password without an upper-case letter",
    "eid.error.password_lower": "password without a lower-case letter",
    "eid.error.password_special": "password without a special character",
    "eid.error.password_confirm": "the two passwords differ",
    "eid.error.passcode_format": "passcode not 6 digits",
    "eid.error.passcode_mismatch": "the two passcodes differ",
    "eid.error.passcode_wrong": "wrong passcode when confirming",
    "eid.error.security_two_questions": "not two different questions",
    "eid.error.security_answer_empty": "an empty answer",
    "eid.error.security_wrong": "wrong answers when resetting the passcode",
    "eid.error.no_account": "no VNeID account to log in to",
    "eid.error.login_failed": "wrong CCCD or password",
    "eid.error.level2_required": "a level-2 feature used with a level-1 account",
    "eid.error.no_request": "the confirmation request is gone or already answered",
}

EVENT_KINDS = {
    "eid.registration_submitted": "level-2 registration taken at the commune police (CCCD, photo, fingerprints)",
    "eid.registration_refused": "the police desk refused a registration with a document missing (payload: missing)",
    "eid.logout": "logged out of the VNeID app or website",
    "eid.registration_approved": "the police approved level 2; the approval SMS is in the inbox",
    "eid.activation_started": "CCCD + phone accepted (Gửi yêu cầu); an OTP was sent",
    "eid.activation_refused": "activation refused because the registration is not approved yet",
    "eid.cccd_invalid": "activation with a CCCD that is not 12 digits (or a bad phone number)",
    "eid.pair_mismatch": "CCCD/phone pair does not match the approved dossier (payload: fields, the wrong ones)",
    "eid.already_active": "activation tried on an account that is already active",
    "eid.password_weak": "a password failing a rule (payload: rule, the first; rules, every one)",
    "eid.password_set": "the account password was set",
    "eid.passcode_mismatch": "the passcode was entered differently the second time (or not 6 digits)",
    "eid.passcode_set": "the 6-digit passcode was set",
    "eid.security_questions_set": "two security questions answered",
    "eid.activated": "VNeID level 2 is active",
    "eid.login": "logged in to VNeID (payload: level, device)",
    "eid.login_failed": "VNeID log-in refused (payload: reason)",
    "eid.new_device_prompted": "log-in on a new device: confirmation by OTP asked (one-device rule)",
    "eid.new_device_confirmed": "the new device was confirmed and is now the account's device",
    "eid.passcode_reset": "forgotten passcode replaced after answering the security questions",
    "eid.passcode_reset_failed": "passcode reset refused (wrong answers)",
    "eid.upgrade_prompted": "a level-1 account was asked to upgrade before a level-2 feature (payload: feature)",
    "eid.request_confirmed": "the persona confirmed a request in the VNeID app (payload: requester)",
    "eid.request_rejected": "the persona refused a request in the VNeID app, or typed a wrong passcode",
}


class EidError(IdentityError):
    pass


@migrations()
def m001_eid(db):
    db["eid_accounts"].create(
        {
            "persona_id": str,
            "registration": str,  # none | submitted | approved
            "level": int,  # 0 none, 1 level 1, 2 level 2
            "step": str,  # activation step, see ACTIVATION_STEPS; null when not activating
            "channel": str,  # app | web
            "password_hash": str,
            "passcode_hash": str,
            "security": str,  # JSON [{"q": id, "a": scrypt hash}]
            "device_id": str,
            "pending_device": str,
            "submitted_at": str,
            "approved_at": str,
            "activated_at": str,
        },
        pk="persona_id",
    )
    db["eid_requests"].create(
        {"id": int, "persona_id": str, "requester": str, "status": str, "created_at": str, "decided_at": str},
        pk="id",
    )
    db["eid_requests"].create_index(["persona_id", "status"])


# --- state ----------------------------------------------------------------------------

def account(db, persona_id: str) -> dict:
    row = next(iter(db["eid_accounts"].rows_where("persona_id = ?", [persona_id])), None)
    if row:
        return row
    phone.persona_or_raise(db, persona_id)
    return {"persona_id": persona_id, "registration": "none", "level": 0, "step": None, "channel": None,
            "password_hash": None, "passcode_hash": None, "security": None, "device_id": None,
            "pending_device": None, "submitted_at": None, "approved_at": None, "activated_at": None}


def _save(db, persona_id: str, **fields) -> dict:
    with store.write(db):
        row = {**account(db, persona_id), **fields}
        db["eid_accounts"].upsert(row, pk="persona_id")
    return row


def level(db, persona_id: str) -> int:
    return int(account(db, persona_id)["level"] or 0)


def step(db, persona_id: str) -> str | None:
    return account(db, persona_id)["step"]


def _refuse(db, persona_id: str, kind: str | None, key: str, **payload) -> EidError:
    if kind:
        events.record(db, kind, persona_id=persona_id, reason=key.rsplit(".", 1)[-1], **payload)
    return EidError(key, **{k: v for k, v in payload.items() if k not in ("channel", "fields", "rules")})


def _refuse_all(db, persona_id: str, kind: str, keys: list[str], **payload) -> EidError:
    """One refusal naming every problem found at once (issue 14), recorded as one event."""
    error = _refuse(db, persona_id, kind, keys[0], **payload)
    for key in keys[1:]:
        error.also(key)
    return error


# --- registration at the commune police ---------------------------------------------

def approval_sms(full_name: str) -> str:
    """The real approval SMS, unaccented like the real one (issue 3 gives the text): the
    Vietnamese ``eid.sms_text.approved``, whatever language the learner reads."""
    return i18n.t("eid.sms_text.approved", "vi", name=phone._ascii(full_name).upper())


def submit_registration(db, persona_id: str, actor: str = "desk", documents=None) -> None:
    """The commune police take the level-2 registration. ``documents`` (when the desk page passes
    what it ticked) must hold all of ``REGISTRATION_DOCUMENTS``: chip CCCD, portrait, fingerprints."""
    acc = account(db, persona_id)
    if acc["level"] == 2:
        raise _refuse(db, persona_id, "eid.already_active", "eid.error.already_active")
    if acc["registration"] != "none":
        raise EidError("eid.error.already_submitted")
    missing = [d for d in REGISTRATION_DOCUMENTS if documents is not None and d not in documents]
    if missing:
        events.record(db, "eid.registration_refused", persona_id=persona_id, actor=actor, missing=missing)
        raise EidError("police.error.checklist")
    with store.write(db):
        _save(db, persona_id, registration="submitted", submitted_at=clock.now(db).isoformat())
        events.record(db, "eid.registration_submitted", persona_id=persona_id, actor=actor)


def approve_registration(db, persona_id: str, actor: str = "desk") -> None:
    """Police approval. A persona with no registration yet is registered first (the desk does both)."""
    acc = account(db, persona_id)
    if acc["level"] == 2:
        raise _refuse(db, persona_id, "eid.already_active", "eid.error.already_active")
    if acc["registration"] == "approved":
        return
    with store.write(db):
        if acc["registration"] == "none":
            submit_registration(db, persona_id, actor=actor)
        persona = phone.persona_or_raise(db, persona_id)
        _save(db, persona_id, registration="approved", approved_at=clock.now(db).isoformat())
        phone.receive_sms(db, persona_id, SMS_SENDER, approval_sms(persona["full_name"]))
        events.record(db, "eid.registration_approved", persona_id=persona_id, actor=actor)


LEVEL2_STEPS = ("register", "wait", "activate", "done")
STAGES = ("none", "submitted", "approved", "activating", "level1", "active")  # words: workshop.eid_stage.<stage>


def stage_of(acc: dict) -> str:
    """Where an account stands, one of ``STAGES``, for a trainer to read in plain words instead
    of "mức 0" (issue 14)."""
    if int(acc.get("level") or 0) == 2:
        return "active"
    if acc.get("step") in ACTIVATION_STEPS:
        return "activating"
    if acc.get("registration") in ("submitted", "approved"):
        return acc["registration"]
    return "level1" if int(acc.get("level") or 0) == 1 else "none"


def level2_next_step(db, persona_id: str) -> str:
    """What the persona does next toward level 2, one of ``LEVEL2_STEPS``: after approval it is
    activating in the app, never "go to the police" again (issue 14)."""
    acc = account(db, persona_id)
    if int(acc["level"] or 0) == 2:
        return "done"
    return {"approved": "activate", "submitted": "wait"}.get(acc["registration"], "register")


def awaiting_approval(db) -> list[str]:
    """Persona ids whose level-2 registration waits at the commune police, oldest first."""
    return [r[0] for r in db.execute("select persona_id from eid_accounts where registration = 'submitted' "
                                     "and coalesce(level, 0) < 2 order by submitted_at")]


# --- activation -------------------------------------------------------------------------

def _require_step(db, persona_id: str, expected: str) -> dict:
    acc = account(db, persona_id)
    if acc["step"] != expected:
        raise EidError("eid.error.wrong_step")
    return acc


def start_activation(db, persona_id: str, cccd: str, phone_number: str, channel: str = "app") -> None:
    """"Kích hoạt tài khoản định danh điện tử" → CCCD + phone → "Gửi yêu cầu"."""
    persona = phone.persona_or_raise(db, persona_id)
    # Each field's own message, both at once (issue 14: a wrong ID number was blamed on the phone).
    cccd = re.sub(r"\s", "", cccd or "")
    wrong_form = {} if len(cccd) == 12 and cccd.isdigit() else {"cccd": "eid.error.cccd_format"}
    try:
        number = fakes.normalise_phone(phone_number)
    except fakes.InvalidPhone as error:
        number, wrong_form["phone"] = None, error.key
    if wrong_form:
        raise _refuse_all(db, persona_id, "eid.cccd_invalid", list(wrong_form.values()), channel=channel,
                          fields=list(wrong_form))
    mismatched = [field for field, typed in (("cccd", cccd), ("phone", number)) if typed != persona[field]]
    if mismatched:
        raise _refuse_all(db, persona_id, "eid.pair_mismatch", [f"eid.error.{f}_mismatch" for f in mismatched],
                          channel=channel, fields=mismatched)
    acc = account(db, persona_id)
    if acc["level"] == 2:
        raise _refuse(db, persona_id, "eid.already_active", "eid.error.already_active", channel=channel)
    if acc["registration"] != "approved":
        raise _refuse(db, persona_id, "eid.activation_refused", "eid.error.not_approved", channel=channel)
    otp.issue(db, persona_id, "eid_activation")
    with store.write(db):
        _save(db, persona_id, step="otp", channel=channel)
        events.record(db, "eid.activation_started", persona_id=persona_id, channel=channel)


def resend_activation_otp(db, persona_id: str) -> None:
    _require_step(db, persona_id, "otp")
    otp.resend(db, persona_id, "eid_activation")


def confirm_activation_otp(db, persona_id: str, code: str) -> str:
    """Returns the next step: ``password`` for a new account, ``passcode`` for a level-1 one."""
    acc = _require_step(db, persona_id, "otp")
    otp.verify(db, persona_id, "eid_activation", code)
    next_step = "passcode" if acc["password_hash"] else "password"
    _save(db, persona_id, step=next_step)
    return next_step


def password_problems(password: str) -> list[str]:
    """Every rule the password breaks (locale keys under ``eid.error.``), in the order the
    screen lists them: all at once, so one try shows everything to fix (issue 14)."""
    password = password or ""
    rules = {
        "password_length": 8 <= len(password) <= 20,
        "password_digit": any(c.isdigit() for c in password),
        "password_upper": any(c.isupper() for c in password),
        "password_lower": any(c.islower() for c in password),
        "password_special": any(not c.isalnum() and not c.isspace() for c in password),
    }
    return [rule for rule, kept in rules.items() if not kept]


def password_problem(password: str) -> str | None:
    """The first rule the password breaks, or None."""
    return next(iter(password_problems(password)), None)


def set_password(db, persona_id: str, password: str, confirm: str) -> None:
    _require_step(db, persona_id, "password")
    problems = password_problems(password) + (["password_confirm"] if password != confirm else [])
    if problems:
        first = "confirm" if problems[0] == "password_confirm" else problems[0]
        raise _refuse_all(db, persona_id, "eid.password_weak", [f"eid.error.{p}" for p in problems],
                          rule=first, rules=problems)
    password_hash = passwords.hash_secret(password, passwords.SANDBOX)  # before the write lock (see otp.issue)
    with store.write(db):
        _require_step(db, persona_id, "password")
        _save(db, persona_id, password_hash=password_hash, step="passcode")
        events.record(db, "eid.password_set", persona_id=persona_id)


def _passcode_problem(passcode: str) -> str | None:
    return None if passwords.is_passcode(passcode) else "eid.error.passcode_format"


def _new_passcode_hash(db, persona_id: str, passcode: str, confirm: str) -> str:
    """The hash of a new passcode typed twice, or the refusal that says what to fix (set and reset
    both ask the same). Hashed before any write lock is taken (see otp.issue)."""
    problems = [p for p in (_passcode_problem(passcode),
                            "eid.error.passcode_mismatch" if passcode != confirm else None) if p]
    if problems:
        raise _refuse_all(db, persona_id, "eid.passcode_mismatch", problems)
    return passwords.hash_secret(passcode, passwords.SANDBOX)


def set_passcode(db, persona_id: str, passcode: str, confirm: str) -> None:
    _require_step(db, persona_id, "passcode")
    passcode_hash = _new_passcode_hash(db, persona_id, passcode, confirm)
    with store.write(db):
        _require_step(db, persona_id, "passcode")
        _save(db, persona_id, passcode_hash=passcode_hash, step="security")
        events.record(db, "eid.passcode_set", persona_id=persona_id)


def _norm_answer(answer: str) -> str:
    return " ".join(unicodedata.normalize("NFC", answer or "").lower().split())


def _security_problem(answers: dict) -> str | None:
    if len(answers) != 2 or not set(answers) <= set(SECURITY_QUESTIONS):
        return "eid.error.security_two_questions"
    if any(not _norm_answer(a) for a in answers.values()):
        return "eid.error.security_answer_empty"
    return None


def set_security_questions(db, persona_id: str, answers: dict[str, str]) -> None:
    """Two different questions with answers; completes activation: level 2."""
    acc = _require_step(db, persona_id, "security")
    problem = _security_problem(answers)
    if problem:
        raise EidError(problem)
    stored = json.dumps([{"q": q, "a": passwords.hash_secret(_norm_answer(a), passwords.SANDBOX)} for q, a in answers.items()])
    with store.write(db):
        device = DEFAULT_DEVICE if acc["channel"] != "web" else (acc["device_id"] or None)
        _save(db, persona_id, security=stored, step="done", level=2, activated_at=clock.now(db).isoformat(),
              device_id=device)
        if acc["channel"] != "web":
            phone.install_app(db, persona_id, "vneid")
        events.record(db, "eid.security_questions_set", persona_id=persona_id)
        events.record(db, "eid.activated", persona_id=persona_id, channel=acc["channel"] or "app")


def security_questions_of(db, persona_id: str) -> list[str]:
    raw = account(db, persona_id)["security"]
    return [item["q"] for item in json.loads(raw)] if raw else []


# --- using the account --------------------------------------------------------------------

def login(db, persona_id: str, cccd: str, password: str, device_id: str = DEFAULT_DEVICE, channel: str = "app") -> str:
    """Log in to VNeID. Returns ``"ok"``, or ``"new_device"`` when an OTP confirmation is needed.

    The one-device rule is the app's: on the website (``channel="web"``) no device is bound."""
    persona = phone.persona_or_raise(db, persona_id)
    acc = account(db, persona_id)
    if not acc["password_hash"] or acc["level"] < 1:
        raise _refuse(db, persona_id, "eid.login_failed", "eid.error.no_account")
    if re.sub(r"\s", "", cccd or "") != persona["cccd"] or not passwords.check_secret(password or "", acc["password_hash"]):
        raise _refuse(db, persona_id, "eid.login_failed", "eid.error.login_failed")
    if channel == "web":
        events.record(db, "eid.login", persona_id=persona_id, level=acc["level"], channel="web")
        return "ok"
    if acc["device_id"] and device_id != acc["device_id"]:
        otp.issue(db, persona_id, "eid_new_device")
        with store.write(db):
            _save(db, persona_id, pending_device=device_id)
            events.record(db, "eid.new_device_prompted", persona_id=persona_id, device=device_id)
        return "new_device"
    with store.write(db):
        if not acc["device_id"]:
            _save(db, persona_id, device_id=device_id)
        events.record(db, "eid.login", persona_id=persona_id, level=acc["level"], device=device_id)
    return "ok"


def logout(db, persona_id: str, channel: str = "app") -> None:
    events.record(db, "eid.logout", persona_id=persona_id, channel=channel)


def unlock(db, persona_id: str, passcode: str, device_id: str = DEFAULT_DEVICE) -> None:
    """Open the app on the phone it is registered to with the 6-digit passcode (no password)."""
    acc = account(db, persona_id)
    if not acc["passcode_hash"] or not acc["device_id"] or acc["device_id"] != device_id:
        raise _refuse(db, persona_id, "eid.login_failed", "eid.error.no_account")
    if not verify_passcode(db, persona_id, passcode):
        raise _refuse(db, persona_id, "eid.login_failed", "eid.error.passcode_wrong")
    events.record(db, "eid.login", persona_id=persona_id, level=acc["level"], device=device_id, method="passcode")


def can_unlock(db, persona_id: str, device_id: str = DEFAULT_DEVICE) -> bool:
    acc = account(db, persona_id)
    return bool(acc["passcode_hash"] and acc["device_id"] == device_id and acc["level"] == 2)


def confirm_new_device(db, persona_id: str, code: str) -> None:
    acc = account(db, persona_id)
    if not acc["pending_device"]:
        raise EidError("eid.error.wrong_step")
    otp.verify(db, persona_id, "eid_new_device", code)
    with store.write(db):
        _save(db, persona_id, device_id=acc["pending_device"], pending_device=None)
        events.record(db, "eid.new_device_confirmed", persona_id=persona_id, device=acc["pending_device"])
        events.record(db, "eid.login", persona_id=persona_id, level=acc["level"], device=acc["pending_device"])


def verify_passcode(db, persona_id: str, passcode: str) -> bool:
    return passwords.check_secret(passcode or "", account(db, persona_id)["passcode_hash"])


def reset_passcode(db, persona_id: str, answers: dict[str, str], new_passcode: str, confirm: str) -> None:
    """Forgotten passcode: answer the two security questions, then choose a new passcode."""
    acc = account(db, persona_id)
    if acc["level"] < 2 or not acc["security"]:
        raise EidError("eid.error.no_account")
    stored = {item["q"]: item["a"] for item in json.loads(acc["security"])}
    if set(answers) != set(stored) or not all(passwords.check_secret(_norm_answer(answers[q]), h) for q, h in stored.items()):
        raise _refuse(db, persona_id, "eid.passcode_reset_failed", "eid.error.security_wrong")
    passcode_hash = _new_passcode_hash(db, persona_id, new_passcode, confirm)
    with store.write(db):
        _save(db, persona_id, passcode_hash=passcode_hash)
        events.record(db, "eid.passcode_reset", persona_id=persona_id)


def require_level2(db, persona_id: str, feature: str) -> None:
    """Level-1 (or no) accounts are told to upgrade before a level-2 feature."""
    if level(db, persona_id) < 2:
        events.record(db, "eid.upgrade_prompted", persona_id=persona_id, feature=feature)
        raise EidError("eid.error.level2_required")


# --- confirmations asked of the VNeID app (portal log-in, health book) ---------------------

def request_confirmation(db, persona_id: str, requester: str) -> int:
    with store.write(db):
        db.execute("update eid_requests set status = 'expired' where persona_id = ? and requester = ? "
                   "and status = 'pending'", [persona_id, requester])
        cursor = db.execute(
            "insert into eid_requests (persona_id, requester, status, created_at) values (?, ?, 'pending', ?)",
            [persona_id, requester, clock.now(db).isoformat()])
        return cursor.lastrowid


def pending_requests(db, persona_id: str) -> list[dict]:
    return list(db["eid_requests"].rows_where("persona_id = ? and status = 'pending'", [persona_id], order_by="id desc"))


def request_status(db, request_id: int) -> str | None:
    row = db.execute("select status from eid_requests where id = ?", [request_id]).fetchone()
    return row[0] if row else None


def answer_request(db, persona_id: str, request_id: int, passcode: str | None, accept: bool = True) -> None:
    """Confirm (with the passcode) or refuse a request shown in the VNeID app."""
    row = db.execute("select requester, status from eid_requests where id = ? and persona_id = ?",
                     [request_id, persona_id]).fetchone()
    if not row or row[1] != "pending":
        raise EidError("eid.error.no_request")
    requester = row[0]
    if accept and not verify_passcode(db, persona_id, passcode or ""):
        raise _refuse(db, persona_id, "eid.request_rejected", "eid.error.passcode_wrong", requester=requester)
    with store.write(db):
        db.execute("update eid_requests set status = ?, decided_at = ? where id = ?",
                   ["confirmed" if accept else "rejected", clock.now(db).isoformat(), request_id])
        events.record(db, "eid.request_confirmed" if accept else "eid.request_rejected", persona_id=persona_id,
                      requester=requester)
