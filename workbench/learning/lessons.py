"""Guided lessons (issue 6): load lesson files, check each step against what the learner did.

A lesson is one TOML file in ``lessons/`` (Vietnamese and English in the same file, no code;
the format is in docs/lessons.md). Each step carries a declarative ``check`` over the sandbox
event log, so a step ticks itself when the learner really did it on the sandbox pages, never
because someone pressed "I did it". Only steps that cannot be seen in the sandbox (the
volunteers' role-play checklist) are ``manual``.

Checks only look at events recorded *after* the learner started the lesson (a watermark on
the event id), so a learner who keeps their own persona must do each step again, and a
persona's starting state (applied by ``scenarios.apply`` before the start) never ticks a step.

A broken lesson file never stops the others loading: ``load_all()`` returns the good lessons
and a list of problems, each naming the file, the line and what is wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
import unicodedata
from pathlib import Path

from sqlite_utils.migrations import Migrations

from workbench import clock, data as data_files, events, i18n, store
from workbench.errors import Refusal
from workbench.sandbox import eid, personas, portal, scams, scenarios
from workbench.sandbox.dossiers import desk, records, samples
from workbench.sandbox.payments import desk_qr, providers, tokens

ROOT = data_files.ROOT
LESSONS_DIR = data_files.LESSONS
PAGES_DIR = ROOT / "pages"

LANGS = ("vi", "en")
AUDIENCES = ("citizen", "volunteer", "official")
CHECK_TYPES = ("event", "sequence", "dossier", "manual", "all", "any")
DOSSIER_STATUSES = ("submitted", "received", "processing", "supplement_requested", "awaiting_payment",
                    "result_ready", "returned", "refused")
# Events that mean the learner made a mistake the sandbox caught. A mistake followed by a
# step ticking is a mistake recovered from (the lesson summary counts them).
MISTAKE_KINDS = (
    "otp.wrong", "otp.expired", "otp.locked", "eid.cccd_invalid", "eid.pair_mismatch", "eid.password_weak",
    "eid.passcode_mismatch", "eid.login_failed", "portal.register_refused", "portal.login_failed",
    "dossier.document_rejected", "payment.failed", "scam.otp_typed_wrong_place",
    "dossier.action_refused", "health_book.login_failed", "wallet.topup_failed", "wallet.link_refused",
    "portal.password_weak",
)

EVENT_KINDS = {
    "lesson.started": "a learner started a lesson (payload: lesson_id, steps)",
    "lesson.step_done": "a lesson step ticked (payload: lesson_id, step_id, how: auto|manual)",
    "lesson.hint_shown": "a hint was shown after a wrong attempt (payload: lesson_id, step_id, trigger)",
    "lesson.quiz_answered": "a quiz question answered (payload: lesson_id, question_id, choice, correct)",
    "lesson.completed": "every step done and every quiz question answered (payload: lesson_id, score, total)",
    "lesson.setup_done": "a step's setup ran when it became current (payload: lesson_id, step_id, setup, and what "
                         "the learner needs: a dossier code, a payment code…)",
}

migrations = Migrations("lessons")


@migrations()
def m001_lesson_progress(db):
    db["lesson_runs"].create(
        {
            "persona_id": str,
            "lesson_id": str,
            "started_at": str,  # sandbox clock
            "watermark": int,  # checks only see events with a larger id
            "completed_at": str,
            "quiz_score": int,
            "quiz_total": int,
        },
        pk=("persona_id", "lesson_id"),
    )
    db["lesson_steps"].create(
        {"persona_id": str, "lesson_id": str, "step_id": str, "done_at": str, "how": str, "event_id": int},
        pk=("persona_id", "lesson_id", "step_id"),
    )
    db["lesson_answers"].create(
        {"persona_id": str, "lesson_id": str, "question_id": str, "choice": int, "correct": int,
         "answered_at": str},
        pk=("persona_id", "lesson_id", "question_id"),
    )


# --- errors -------------------------------------------------------------------------------

class LessonError(Refusal):
    """A learner action the lesson engine refuses."""


@dataclasses.dataclass(frozen=True)
class Problem:
    """What is wrong with a lesson file, where. ``key`` is a locale string under lessons.schema."""

    file: str
    line: int | None
    key: str
    params: dict

    def message(self, lang: str = "vi") -> str:
        problem = i18n.t(self.key, lang, **self.params)
        return i18n.t("lessons.schema.where", lang, file=self.file, line=self.line or "?", problem=problem)

    def __str__(self) -> str:
        return self.message("en")


# --- the lesson model ---------------------------------------------------------------------

@dataclasses.dataclass
class Step:
    id: str
    text: dict  # field -> {lang: str}: do, why, mistake, recover, trainer
    check: dict
    page: str | None = None
    image: str | None = None
    hints: list = dataclasses.field(default_factory=list)  # [{"on": kind, "text": {lang: str}}]
    setup: str | None = None  # a name in SETUPS, run once when the step becomes current

    @property
    def manual(self) -> bool:
        return self.check["type"] == "manual"

    def t(self, field: str, lang: str) -> str:
        return self.text.get(field, {}).get(lang, "")


@dataclasses.dataclass
class Question:
    id: str
    question: dict
    options: dict  # lang -> [str]
    answer: int
    explain: dict


@dataclasses.dataclass
class Lesson:
    id: str
    number: int
    file: str
    title: dict
    summary: dict
    audience: str
    duration_minutes: int
    starting_state: str
    goals: dict  # lang -> [str]
    steps: list[Step]
    quiz: list[Question]

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise LessonError("lessons.error.unknown_step", step=step_id)

    def question(self, question_id: str) -> Question:
        for question in self.quiz:
            if question.id == question_id:
                return question
        raise LessonError("lessons.error.unknown_question", question=question_id)


# --- loading and validation ----------------------------------------------------------------

STEP_TEXT_REQUIRED = ("do", "why", "mistake", "recover", "trainer")


class _Validator:
    """Turns one file's parsed TOML into a Lesson, collecting problems with line numbers.

    tomllib gives no positions, so a problem's line is found in the raw text: the n-th
    ``[[steps]]`` header, then the first ``key =`` line after it. Good enough to send an
    author to the right place.
    """

    def __init__(self, path: Path, text: str, known_kinds: set[str] | None):
        self.path = path
        self.name = path.name
        self.lines = text.splitlines()
        self.known_kinds = known_kinds
        self.problems: list[Problem] = []

    # where things are
    def _header_line(self, header: str, index: int) -> int | None:
        pattern = re.compile(r"^\s*\[\[\s*" + re.escape(header) + r"\s*\]\]\s*(#.*)?$")
        seen = -1
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                seen += 1
                if seen == index:
                    return number
        return None

    def _key_line(self, key: str, after: int | None = None) -> int | None:
        start = after or 0
        pattern = re.compile(r"^\s*(\[+\s*)?([\w.]*\.)?" + re.escape(key) + r"(\s*=|\s*\]|\.)")
        for number in range(start, len(self.lines)):
            if pattern.match(self.lines[number]):
                return number + 1
        return after

    def add(self, line, key, **params):
        self.problems.append(Problem(self.name, line, f"lessons.schema.{key}", params))

    # value checks
    def text(self, value, field: str, line) -> dict:
        if not isinstance(value, dict):
            self.add(line, "wrong_type", field=field, expected="{vi = \"…\", en = \"…\"}")
            return {lang: "" for lang in LANGS}
        out = {}
        for lang in LANGS:
            item = value.get(lang)
            if not isinstance(item, str) or not item.strip():
                self.add(line, "missing_language", field=field, language=lang)
                item = ""
            out[lang] = unicodedata.normalize("NFC", item.strip())
        return out

    def text_list(self, value, field: str, line) -> dict:
        if not isinstance(value, dict):
            self.add(line, "wrong_type", field=field, expected="{vi = [\"…\"], en = [\"…\"]}")
            return {lang: [] for lang in LANGS}
        out = {}
        for lang in LANGS:
            items = value.get(lang)
            if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
                self.add(line, "missing_language", field=field, language=lang)
                items = []
            out[lang] = [unicodedata.normalize("NFC", i.strip()) for i in items]
        lengths = {len(v) for v in out.values() if v}
        if len(lengths) > 1:
            self.add(line, "languages_differ", field=field)
        return out

    def kind(self, kind, field: str, line) -> None:
        if not isinstance(kind, str) or not re.fullmatch(r"[a-z_]+\.[a-z_]+", kind):
            self.add(line, "bad_kind", field=field, kind=kind)
        elif self.known_kinds is not None and kind not in self.known_kinds:
            self.add(line, "unknown_kind", field=field, kind=kind)

    def matcher(self, value, field: str, line) -> dict | None:
        if isinstance(value, str):
            value = {"kind": value}
        if not isinstance(value, dict) or "kind" not in value:
            self.add(line, "wrong_type", field=field, expected="{kind = \"…\"}")
            return None
        self.kind(value["kind"], field, line)
        payload = value.get("payload", {})
        if not isinstance(payload, dict):
            self.add(line, "wrong_type", field=f"{field}.payload", expected="{key = value}")
            payload = {}
        actor = value.get("actor")
        if actor is not None and actor not in ("persona", "desk", "trainer", "system"):
            self.add(line, "bad_value", field=f"{field}.actor", value=actor)
        absent = value.get("absent", [])
        if not isinstance(absent, list) or not all(isinstance(a, str) for a in absent):
            self.add(line, "wrong_type", field=f"{field}.absent", expected="[\"key\", …]")
            absent = []
        matcher = {"kind": value["kind"], "payload": payload, "actor": actor}
        if absent:
            matcher["absent"] = absent
        return matcher

    def check(self, value, field: str, line) -> dict:
        if not isinstance(value, dict):
            self.add(line, "missing_field", field=field)
            return {"type": "manual"}
        kind = value.get("type")
        if kind not in CHECK_TYPES:
            self.add(line, "unknown_check_type", field=f"{field}.type", value=kind, allowed=", ".join(CHECK_TYPES))
            return {"type": "manual"}
        if kind == "event":
            matcher = self.matcher(value, field, line) or {"kind": "", "payload": {}, "actor": None}
            count = value.get("count", 1)
            if not isinstance(count, int) or count < 1:
                self.add(line, "bad_value", field=f"{field}.count", value=count)
                count = 1
            return {"type": "event", **matcher, "count": count}
        if kind == "sequence":
            items = value.get("events")
            if not isinstance(items, list) or len(items) < 2:
                self.add(line, "sequence_too_short", field=f"{field}.events")
                return {"type": "sequence", "events": []}
            matchers = [self.matcher(item, f"{field}.events[{n}]", line) for n, item in enumerate(items)]
            return {"type": "sequence", "events": [m for m in matchers if m]}
        if kind == "dossier":
            procedure = value.get("procedure_id")
            if not isinstance(procedure, str) or not procedure:
                self.add(line, "missing_field", field=f"{field}.procedure_id")
            status = value.get("status")
            statuses = [status] if isinstance(status, str) else status
            if status is None:
                statuses = []
            if not isinstance(statuses, list) or any(s not in DOSSIER_STATUSES for s in statuses):
                self.add(line, "bad_value", field=f"{field}.status", value=status)
                statuses = []
            overdue = value.get("overdue")
            if overdue is not None and not isinstance(overdue, bool):
                self.add(line, "bad_value", field=f"{field}.overdue", value=overdue)
                overdue = None
            if not statuses and overdue is None:
                self.add(line, "missing_field", field=f"{field}.status")
            return {"type": "dossier", "procedure_id": procedure, "status": statuses, "overdue": overdue}
        if kind in ("all", "any"):
            items = value.get("checks")
            if not isinstance(items, list) or not items:
                self.add(line, "missing_field", field=f"{field}.checks")
                return {"type": kind, "checks": []}
            inner = [self.check(item, f"{field}.checks[{n}]", line) for n, item in enumerate(items)]
            if any(c["type"] == "manual" for c in inner):
                self.add(line, "bad_value", field=f"{field}.checks", value="manual")
            return {"type": kind, "checks": inner}
        return {"type": "manual"}

    def lesson(self, data: dict) -> Lesson | None:
        required = ("id", "number", "title", "summary", "audience", "duration_minutes", "starting_state", "goals")
        for field in required:
            if field not in data:
                self.add(self._key_line(field) or 1, "missing_field", field=field)
        lesson_id = data.get("id", "")
        if not isinstance(lesson_id, str) or not re.fullmatch(r"[a-z0-9_]+", lesson_id or ""):
            self.add(self._key_line("id"), "bad_value", field="id", value=lesson_id)
        if lesson_id and isinstance(lesson_id, str) and self.path.stem != lesson_id:
            self.add(self._key_line("id"), "id_not_file_name", id=lesson_id, stem=self.path.stem)
        number = data.get("number", 0)
        if not isinstance(number, int):
            self.add(self._key_line("number"), "wrong_type", field="number", expected="integer")
            number = 0
        audience = data.get("audience")
        if audience is not None and audience not in AUDIENCES:
            self.add(self._key_line("audience"), "bad_value", field="audience", value=audience)
        duration = data.get("duration_minutes", 0)
        if not isinstance(duration, int) or duration <= 0:
            self.add(self._key_line("duration_minutes"), "bad_value", field="duration_minutes", value=duration)
            duration = 0
        state = data.get("starting_state")
        if state is not None and state not in starting_states():
            self.add(self._key_line("starting_state"), "unknown_state", value=state,
                     allowed=", ".join(starting_states()))
        title = self.text(data.get("title", {}), "title", self._key_line("title"))
        summary = self.text(data.get("summary", {}), "summary", self._key_line("summary"))
        goals = self.text_list(data.get("goals", {}), "goals", self._key_line("goals"))

        steps = []
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            self.add(self._key_line("steps") or 1, "missing_field", field="[[steps]]")
            raw_steps = []
        seen_ids = set()
        for index, raw in enumerate(raw_steps):
            at = self._header_line("steps", index)
            field = f"steps[{index + 1}]"
            if not isinstance(raw, dict):
                self.add(at, "wrong_type", field=field, expected="[[steps]]")
                continue
            step_id = raw.get("id")
            if not isinstance(step_id, str) or not step_id:
                self.add(at, "missing_field", field=f"{field}.id")
                step_id = f"step{index + 1}"
            if step_id in seen_ids:
                self.add(at, "duplicate_id", field=f"{field}.id", value=step_id)
            seen_ids.add(step_id)
            texts = {}
            for name in STEP_TEXT_REQUIRED:
                if name not in raw:
                    self.add(at, "missing_field", field=f"{field}.{name}")
                    texts[name] = {lang: "" for lang in LANGS}
                else:
                    texts[name] = self.text(raw[name], f"{field}.{name}", self._key_line(name, at))
            page = raw.get("page")
            if page is not None and (not isinstance(page, str) or not (ROOT / page).is_file()
                                     or not page.startswith("pages/")):
                self.add(self._key_line("page", at), "unknown_page", field=f"{field}.page", value=page)
                page = None
            image = raw.get("image")
            if image is not None and (not isinstance(image, str) or not (self.path.parent / image).is_file()):
                self.add(self._key_line("image", at), "image_missing", field=f"{field}.image", value=image)
                image = None
            check = self.check(raw.get("check"), f"{field}.check", self._key_line("check", at) or at)
            hints = []
            for n, hint in enumerate(raw.get("hints", []) or []):
                hint_line = self._key_line("hints", at) or at
                if not isinstance(hint, dict) or "on" not in hint:
                    self.add(hint_line, "missing_field", field=f"{field}.hints[{n}].on")
                    continue
                self.kind(hint["on"], f"{field}.hints[{n}].on", hint_line)
                hints.append({"on": hint["on"], "text": self.text(hint.get("text"), f"{field}.hints[{n}].text",
                                                                  hint_line)})
            setup = raw.get("setup")
            if setup is not None and setup not in SETUPS:
                self.add(self._key_line("setup", at), "unknown_setup", field=f"{field}.setup", value=setup,
                         allowed=", ".join(sorted(SETUPS)))
                setup = None
            steps.append(Step(id=step_id, text=texts, check=check, page=page, image=image, hints=hints,
                              setup=setup))

        quiz = []
        raw_quiz = data.get("quiz")
        if not isinstance(raw_quiz, list) or not raw_quiz:
            self.add(self._key_line("quiz") or 1, "missing_field", field="[[quiz]]")
            raw_quiz = []
        for index, raw in enumerate(raw_quiz):
            at = self._header_line("quiz", index)
            field = f"quiz[{index + 1}]"
            if not isinstance(raw, dict):
                continue
            question_id = raw.get("id") or f"q{index + 1}"
            options = self.text_list(raw.get("options", {}), f"{field}.options", self._key_line("options", at))
            answer = raw.get("answer")
            size = len(options["vi"])
            if not isinstance(answer, int) or not (0 <= answer < max(size, 1)):
                self.add(self._key_line("answer", at) or at, "bad_answer", field=f"{field}.answer", value=answer,
                         count=size)
                answer = 0
            quiz.append(Question(
                id=question_id,
                question=self.text(raw.get("question"), f"{field}.question", self._key_line("question", at)),
                options=options, answer=answer,
                explain=self.text(raw.get("explain"), f"{field}.explain", self._key_line("explain", at)),
            ))
        if self.problems:
            return None
        return Lesson(id=lesson_id, number=number, file=self.name, title=title, summary=summary,
                      audience=audience, duration_minutes=duration, starting_state=state, goals=goals,
                      steps=steps, quiz=quiz)


def starting_states() -> tuple[str, ...]:
    return tuple(scenarios.STATES)


def load_file(path: Path, known_kinds: set[str] | None = None) -> tuple[Lesson | None, list[Problem]]:
    """One lesson file: the lesson, or None and the problems that stop it loading."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(path.name, None, "lessons.schema.unreadable", {"reason": str(error)})]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line = int(found.group(1)) if found else getattr(error, "lineno", None)
        detail = re.sub(r"\s*\(at line.*\)$", "", str(error))
        return None, [Problem(path.name, line, "lessons.schema.toml_syntax", {"detail": detail})]
    validator = _Validator(path, text, known_kinds)
    lesson = validator.lesson(data)
    return lesson, validator.problems


def load_all(folder: Path | None = None, known_kinds: set[str] | None = None) -> tuple[list[Lesson], list[Problem]]:
    """Every lesson in ``lessons/`` by number, and the problems of files that did not load.

    ``known_kinds``: when given, a check naming any other event kind is a problem (the test
    suite passes ``databases.event_kinds()``; the app does not, so a module still being built
    never hides a lesson).
    """
    folder = Path(folder or LESSONS_DIR)
    files = sorted(folder.glob("*.toml"))
    stamp = (str(folder), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files),
             frozenset(known_kinds) if known_kinds is not None else None)
    cached = _cache.get(stamp[0])
    if cached and cached[0] == stamp:
        return list(cached[1]), list(cached[2])
    lessons, problems, ids = [], [], {}
    for path in files:
        lesson, found = load_file(path, known_kinds)
        problems += found
        if lesson is None:
            continue
        if lesson.id in ids:
            problems.append(Problem(path.name, 1, "lessons.schema.duplicate_id",
                                    {"field": "id", "value": f"{lesson.id} ({ids[lesson.id]})"}))
            continue
        ids[lesson.id] = path.name
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.number, lesson.id))
    _cache[stamp[0]] = (stamp, lessons, problems)
    return list(lessons), list(problems)


# Lesson files are re-read only when one changes (the player evaluates every 3 s).
_cache: dict = {}


def get(lesson_id: str, folder: Path | None = None) -> Lesson:
    for lesson in load_all(folder)[0]:
        if lesson.id == lesson_id:
            return lesson
    raise LessonError("lessons.error.unknown_lesson", lesson=lesson_id)


def kinds_used(lesson: Lesson) -> set[str]:
    """Every event kind a lesson's checks and hints name."""
    found = set()

    def walk(check):
        if check["type"] == "event":
            found.add(check["kind"])
        elif check["type"] == "sequence":
            found.update(m["kind"] for m in check["events"])
        elif check["type"] in ("all", "any"):
            for inner in check["checks"]:
                walk(inner)

    for step in lesson.steps:
        walk(step.check)
        found.update(h["on"] for h in step.hints)
    return found


# --- evaluating checks ---------------------------------------------------------------------

def _payload_matches(payload: dict, wanted: dict) -> bool:
    for key, value in wanted.items():
        have = payload.get(key)
        if isinstance(value, list):
            if have not in value:
                return False
        elif have != value:
            return False
    return True


def _matches(event: dict, matcher: dict) -> bool:
    return (event["kind"] == matcher["kind"]
            and (matcher.get("actor") is None or event["actor"] == matcher["actor"])
            and _payload_matches(event["payload"], matcher.get("payload") or {})
            and not any(key in event["payload"] for key in matcher.get("absent", ())))


def evaluate_check(check: dict, log: list[dict], dossiers: list[dict] | None = None) -> int | None:
    """The id of the event that satisfied ``check`` in ``log`` (oldest first), else None.

    ``dossiers`` is the persona's dossiers (``records.for_persona``) restricted to those the
    learner touched during the lesson; a dossier check holds on the latest event naming it.
    A manual check never holds here: only the learner's tick does it.
    """
    kind = check["type"]
    if kind == "event":
        hits = [e for e in log if _matches(e, check)]
        if len(hits) >= check.get("count", 1):
            return hits[check.get("count", 1) - 1]["id"]
        return None
    if kind == "sequence":
        position = 0
        for event in log:
            if _matches(event, check["events"][position]):
                position += 1
                if position == len(check["events"]):
                    return event["id"]
        return None
    if kind == "dossier":
        for dossier in dossiers or []:
            if check.get("procedure_id") and dossier.get("procedure_id") != check["procedure_id"]:
                continue
            if check["status"] and dossier.get("status") not in check["status"]:
                continue
            if check.get("overdue") is not None and bool(dossier.get("is_overdue")) != check["overdue"]:
                continue
            touching = [e["id"] for e in log if e["payload"].get("code") == dossier.get("code")]
            return touching[-1] if touching else (log[-1]["id"] if log else 0)
        return None
    if kind in ("all", "any"):
        found = [evaluate_check(inner, log, dossiers) for inner in check["checks"]]
        if kind == "all":
            return None if any(f is None for f in found) or not found else max(found)
        hits = [f for f in found if f is not None]
        return min(hits) if hits else None
    return None


def _uses_dossiers(check: dict) -> bool:
    if check["type"] == "dossier":
        return True
    return any(_uses_dossiers(c) for c in check.get("checks", []))


def _lesson_dossiers(db, persona_id: str, log: list[dict]) -> list[dict]:
    """The persona's dossiers that an event during the lesson names (by payload ``code``)."""
    codes = {e["payload"].get("code") for e in log if e["payload"].get("code")}
    return [d for d in records.for_persona(db, persona_id) if d.get("code") in codes]


# --- step setups -----------------------------------------------------------------------------
# Some steps need something in the sandbox that the learner cannot make alone: a scam SMS in
# the inbox, a stranger's log-in request in the VNeID app, a dossier with a fee to pay, a desk
# QR when no trainer projects one. A step names its setup (``setup = "scam_sms"``); it runs once,
# when the step becomes current, and returns what the player must show (a payment code…).
# Setup events are recorded by "system" or under the learner's persona as a citizen, so no
# check that asks for the learner's own action can be satisfied by a setup.

def _setup_fee_dossier(db, persona_id: str) -> dict:
    """A temporary-residence dossier filed at the desk, its fee still to pay through the portal."""
    row = desk.file_at_desk(db, persona_id, "tam_tru", actor="system")
    return {"code": row["code"], "amount": row["amount_due"]}


def _qr_output(request: dict) -> dict:
    return {"qr_request": request["id"], "qr_code": tokens.format_typed_code(request["code"]),
            "qr_token": request["token"], "amount": request["amount"]}


def _setup_desk_qr(db, persona_id: str) -> dict:
    """A desk QR for a certified-copy fee, for learners with no trainer projecting one."""
    request = desk_qr.issue_desk_qr(db, 4000, providers.fee_payee_id(), "Chung thuc ban sao", actor="system")
    return _qr_output(request)


def _setup_scam_qr(db, persona_id: str) -> dict:
    """A 'scammer's' copy of a desk QR: the same reference, a look-alike payee, more money."""
    original = desk_qr.issue_desk_qr(db, 4000, providers.fee_payee_id(), "Chung thuc ban sao", actor="system")
    return _qr_output(desk_qr.issue_scam_qr(db, original["id"], actor="system"))


SCAM_SMS_EXAMPLE = "sms_hoan_tien"  # sandbox_data/scam_examples.toml (issue 5)


def _setup_scam_sms(db, persona_id: str) -> dict:
    """A practice scam SMS ("a refund, tap this link and enter the OTP") lands in the inbox."""
    scams.send_sms(db, persona_id, SCAM_SMS_EXAMPLE, actor="system")
    return {"scam_example": SCAM_SMS_EXAMPLE}


def _setup_stranger_login(db, persona_id: str) -> dict:
    """Someone else tries to log in to the portal as the learner: VNeID asks the learner to confirm."""
    return {"request_id": eid.request_confirmation(db, persona_id, "portal")}


def _setup_desk_practice(db, persona_id: str) -> dict:
    """Tonight's queue for the desk lesson, filed under the learner's persona (so the desk's
    actions land in the learner's event log): two birth registrations filed online, one with a
    blurry birth certificate, and a walk-in temporary-residence dossier already received."""
    blurry = samples.file_sample(db, persona_id, "khai_sinh", variants={"giay_chung_sinh": "blurry"})["code"]
    clear = samples.file_sample(db, persona_id, "khai_sinh")["code"]
    walk_in = desk.file_at_desk(db, persona_id, "tam_tru", actor="system")["code"]
    return {"codes": [blurry, clear, walk_in]}


SETUPS = {
    "fee_dossier": _setup_fee_dossier,
    "desk_qr": _setup_desk_qr,
    "scam_qr": _setup_scam_qr,
    "scam_sms": _setup_scam_sms,
    "stranger_login": _setup_stranger_login,
    "desk_practice": _setup_desk_practice,
}


# --- who can play a lesson ---------------------------------------------------------------------

def persona_fits(db, persona_id: str, lesson: Lesson) -> bool:
    """Whether a learner's own persona is at the lesson's starting point, so every step can
    still happen (a persona already at level 2 can never tick "activate VNeID" again)."""
    try:
        profile = portal.profile(db, persona_id)
    except Exception:
        return False
    state = lesson.starting_state
    if state == "fresh":
        return profile["eid_level"] == 0 and profile["eid_registration"] == "none"
    if state == "sim_unverified":
        return not profile["sim_standardised"]
    if state == "eid_level1":
        return profile["eid_level"] == 1
    if state == "eid_approved":
        return profile["eid_registration"] == "approved" and profile["eid_level"] < 2
    if state == "ready":
        return profile["eid_level"] == 2 and profile["portal_account"]
    return False


def active(db, persona_id: str | None) -> dict | None:
    """The persona's lesson in progress (started most recently, not completed), or None."""
    if not persona_id or not db["lesson_runs"].exists():
        return None
    rows = list(db["lesson_runs"].rows_where("persona_id = ? and completed_at is null", [persona_id],
                                             order_by="started_at desc, rowid desc", limit=1))
    return rows[0] if rows else None


# --- progress --------------------------------------------------------------------------------

def run(db, persona_id: str, lesson_id: str) -> dict | None:
    if not db["lesson_runs"].exists():
        return None
    rows = list(db["lesson_runs"].rows_where("persona_id = ? and lesson_id = ?", [persona_id, lesson_id]))
    return rows[0] if rows else None


def start(db, persona_id: str, lesson_id: str, *, restart: bool = False) -> dict:
    """Start (or, with ``restart``, start again) a lesson for a persona; returns the run.

    Starting an already started lesson continues it: a reload never loses progress.
    """
    lesson = get(lesson_id)
    if personas.get(db, persona_id) is None:
        raise LessonError("lessons.error.unknown_persona")
    with store.write(db):
        existing = run(db, persona_id, lesson_id)
        if existing and not restart:
            return existing
        if existing:
            for table in ("lesson_steps", "lesson_answers"):
                db.execute(f"delete from {table} where persona_id = ? and lesson_id = ?", [persona_id, lesson_id])
        watermark = db.execute("select coalesce(max(id), 0) from events").fetchone()[0]
        row = {"persona_id": persona_id, "lesson_id": lesson_id, "started_at": clock.now(db).isoformat(),
               "watermark": watermark, "completed_at": None, "quiz_score": 0, "quiz_total": len(lesson.quiz)}
        db["lesson_runs"].upsert(row, pk=("persona_id", "lesson_id"))
        events.record(db, "lesson.started", persona_id=persona_id, lesson_id=lesson_id,
                      steps=len(lesson.steps), restart=bool(existing))
    return row


def start_with_new_persona(db, lesson_id: str, *, workshop_id: str | None = None,
                           display_name: str | None = None, seed: int | None = None) -> dict:
    """Make a persona in the lesson's starting state (personas.create + scenarios.apply), start it.

    Returns the persona.
    """
    lesson = get(lesson_id)
    persona = personas.create(db, seed=seed, workshop_id=workshop_id, display_name=display_name,
                              starting_state=lesson.starting_state)
    scenarios.apply(db, persona["id"], lesson.starting_state)
    start(db, persona["id"], lesson_id)
    return persona


@dataclasses.dataclass
class State:
    """Where a learner is in a lesson, after evaluating every check."""

    lesson: Lesson
    started: bool
    done: dict  # step_id -> "done" | "pending"
    current: Step | None  # the first step not done, None when all are
    hints: dict  # step_id -> [hint text dict] triggered by the learner's mistakes
    answers: dict  # question_id -> {"choice", "correct"}
    completed: bool
    setup: dict = dataclasses.field(default_factory=dict)  # the current step's setup output (codes to show)

    @property
    def steps_done(self) -> int:
        return sum(1 for v in self.done.values() if v == "done")

    @property
    def quiz_pending(self) -> list[Question]:
        return [q for q in self.lesson.quiz if q.id not in self.answers]


def evaluate(db, persona_id: str, lesson_id: str, lesson: Lesson | None = None) -> State:
    """Re-check every pending step against the event log, save what ticked, return the state.

    Called on every rerun of the player (and every 3 s by its fragment), by the workshop
    dashboard through ``progress()``, and by the tests after each scripted action.
    """
    lesson = lesson or get(lesson_id)
    current_run = run(db, persona_id, lesson_id)
    if current_run is None:
        return State(lesson, False, {s.id: "pending" for s in lesson.steps}, lesson.steps[0] if lesson.steps else None,
                     {}, {}, False)
    # Most calls (the player's and the strip's fragments every few seconds, on every phone in a
    # workshop hall) change nothing: answer them from a read, without queueing for the write
    # lock; only when a step ticks, a hint or setup is due or the lesson completes, do it again
    # under the lock (issue 7 load bench).
    try:
        return _evaluate(db, persona_id, lesson, current_run, dry=True)
    except _WouldWrite:
        pass
    with store.write(db):
        current_run = run(db, persona_id, lesson_id)
        if current_run is None:  # reset meanwhile
            return State(lesson, False, {s.id: "pending" for s in lesson.steps}, lesson.steps[0], {}, {}, False)
        return _evaluate(db, persona_id, lesson, current_run, dry=False)


class _WouldWrite(Exception):
    """Raised by a dry evaluation at the first thing it would have to save."""


def _evaluate(db, persona_id: str, lesson: Lesson, current_run: dict, *, dry: bool) -> State:
    lesson_id = lesson.id
    log = events.for_persona(db, persona_id, since_id=current_run["watermark"])
    saved = {row["step_id"]: row for row in db["lesson_steps"].rows_where(
        "persona_id = ? and lesson_id = ?", [persona_id, lesson_id])}
    needs_dossiers = any(_uses_dossiers(s.check) for s in lesson.steps if s.id not in saved)
    dossier_rows = _lesson_dossiers(db, persona_id, log) if needs_dossiers else []
    now = clock.now(db).isoformat()
    for step in lesson.steps:
        if step.id in saved or step.manual:
            continue
        event_id = evaluate_check(step.check, log, dossier_rows)
        if event_id is not None:
            if dry:
                raise _WouldWrite
            saved[step.id] = {"step_id": step.id, "done_at": now, "how": "auto", "event_id": event_id}
            db["lesson_steps"].insert({"persona_id": persona_id, "lesson_id": lesson_id, **saved[step.id]})
            events.record(db, "lesson.step_done", persona_id=persona_id, actor="system",
                          lesson_id=lesson_id, step_id=step.id, how="auto")
    done = {s.id: ("done" if s.id in saved else "pending") for s in lesson.steps}
    current = next((s for s in lesson.steps if done[s.id] == "pending"), None)
    hints = _hints(db, persona_id, lesson, current, log, dry=dry)
    setup = _run_setup(db, persona_id, lesson, current, log, dry=dry)
    answers = {row["question_id"]: {"choice": row["choice"], "correct": bool(row["correct"])}
               for row in db["lesson_answers"].rows_where("persona_id = ? and lesson_id = ?",
                                                          [persona_id, lesson_id])}
    completed = bool(current_run["completed_at"])
    if not completed and current is None and len(answers) >= len(lesson.quiz):
        if dry:
            raise _WouldWrite
        score = sum(1 for a in answers.values() if a["correct"])
        db["lesson_runs"].update((persona_id, lesson_id), {"completed_at": now, "quiz_score": score,
                                                            "quiz_total": len(lesson.quiz)})
        events.record(db, "lesson.completed", persona_id=persona_id, actor="system", lesson_id=lesson_id,
                      score=score, total=len(lesson.quiz))
        completed = True
    return State(lesson, True, done, current, hints, answers, completed, setup)


def _run_setup(db, persona_id: str, lesson: Lesson, current: Step | None, log: list[dict], *,
               dry: bool = False) -> dict:
    """Run the current step's setup once per run (a scam SMS, a dossier to pay…); return what
    every setup of this run handed over so far (later steps still need the codes).

    The outputs are kept in ``lesson.setup_done`` events, so a reload shows the same codes.
    """
    handed, ran = {}, set()
    for event in log:
        if event["kind"] == "lesson.setup_done" and event["payload"].get("lesson_id") == lesson.id:
            ran.add(event["payload"].get("step_id"))
            handed.update({k: v for k, v in event["payload"].items() if k not in ("lesson_id", "step_id", "setup")})
    if current is None or not current.setup or current.id in ran:
        return handed
    if dry:
        raise _WouldWrite
    try:
        with store.write(db):
            output = SETUPS[current.setup](db, persona_id) or {}
    except Exception as error:  # a sandbox module refusing must not break the lesson page
        print(f"[congdanso] lesson setup {current.setup} failed: {error!r}", flush=True)
        return {**handed, "error": "lessons.error.setup_failed"}
    events.record(db, "lesson.setup_done", persona_id=persona_id, actor="system", lesson_id=lesson.id,
                  step_id=current.id, setup=current.setup, **output)
    return {**handed, **output}


def _hints(db, persona_id, lesson: Lesson, current: Step | None, log: list[dict], *, dry: bool = False) -> dict:
    """Hints of the current step whose trigger event happened since the previous step ticked."""
    if current is None or not current.hints:
        return {}
    index = lesson.steps.index(current)
    previous_done = [row["event_id"] or 0 for row in db["lesson_steps"].rows_where(
        "persona_id = ? and lesson_id = ?", [persona_id, lesson.id])
        if row["step_id"] in {s.id for s in lesson.steps[:index]}]
    since = max(previous_done, default=0)
    recent = [e for e in log if e["id"] > since]
    shown = {(e["payload"].get("step_id"), e["payload"].get("trigger")) for e in log if e["kind"] == "lesson.hint_shown"
             and e["payload"].get("lesson_id") == lesson.id}
    found = []
    for hint in current.hints:
        trigger = next((e for e in recent if e["kind"] == hint["on"]), None)
        if trigger is None:
            continue
        found.append(hint["text"])
        if (current.id, hint["on"]) not in shown:
            if dry:
                raise _WouldWrite
            events.record(db, "lesson.hint_shown", persona_id=persona_id, actor="system", lesson_id=lesson.id,
                          step_id=current.id, trigger=hint["on"])
    return {current.id: found} if found else {}


def progress(db, persona_id: str, lesson_id: str) -> dict[str, str]:
    """Per-step state, ``{step_id: "done" | "pending"}`` (the workshop dashboard's contract)."""
    return evaluate(db, persona_id, lesson_id).done


def tick_manual(db, persona_id: str, lesson_id: str, step_id: str, done: bool = True) -> None:
    """The learner ticks (or unticks) a manual step. Refused for a step the sandbox can check."""
    lesson = get(lesson_id)
    step = lesson.step(step_id)
    if not step.manual:
        raise LessonError("lessons.error.step_checks_itself", step=step_id)
    if run(db, persona_id, lesson_id) is None:
        raise LessonError("lessons.error.not_started")
    with store.write(db):
        db.execute("delete from lesson_steps where persona_id = ? and lesson_id = ? and step_id = ?",
                   [persona_id, lesson_id, step_id])
        if done:
            event_id = events.record(db, "lesson.step_done", persona_id=persona_id, lesson_id=lesson_id,
                                     step_id=step_id, how="manual")
            db["lesson_steps"].insert({"persona_id": persona_id, "lesson_id": lesson_id, "step_id": step_id,
                                       "done_at": clock.now(db).isoformat(), "how": "manual",
                                       "event_id": event_id})


def answer(db, persona_id: str, lesson_id: str, question_id: str, choice: int) -> bool:
    """Record a quiz answer (the first answer counts for the score); returns whether it is right."""
    lesson = get(lesson_id)
    question = lesson.question(question_id)
    if run(db, persona_id, lesson_id) is None:
        raise LessonError("lessons.error.not_started")
    if not isinstance(choice, int) or not 0 <= choice < len(question.options["vi"]):
        raise LessonError("lessons.error.choose_an_answer")
    correct = choice == question.answer
    with store.write(db):
        if db.execute("select 1 from lesson_answers where persona_id = ? and lesson_id = ? and question_id = ?",
                      [persona_id, lesson_id, question_id]).fetchone():
            return correct
        db["lesson_answers"].insert({"persona_id": persona_id, "lesson_id": lesson_id, "question_id": question_id,
                                     "choice": choice, "correct": int(correct),
                                     "answered_at": clock.now(db).isoformat()})
        events.record(db, "lesson.quiz_answered", persona_id=persona_id, lesson_id=lesson_id,
                      question_id=question_id, choice=choice, correct=correct)
    evaluate(db, persona_id, lesson_id, lesson)
    return correct


def quiz_score(db, persona_id: str, lesson_id: str) -> tuple[int, int]:
    lesson = get(lesson_id)
    rows = list(db["lesson_answers"].rows_where("persona_id = ? and lesson_id = ?", [persona_id, lesson_id]))
    return sum(r["correct"] for r in rows), len(lesson.quiz)


def summary(db, persona_id: str, lesson_id: str) -> dict:
    """Time taken (sandbox clock), steps done, mistakes seen and recovered from, hints, quiz score."""
    lesson = get(lesson_id)
    current_run = run(db, persona_id, lesson_id)
    if current_run is None:
        raise LessonError("lessons.error.not_started")
    log = events.for_persona(db, persona_id, since_id=current_run["watermark"])
    done_ids = sorted(row["event_id"] or 0 for row in db["lesson_steps"].rows_where(
        "persona_id = ? and lesson_id = ?", [persona_id, lesson_id]))
    mistakes = [e for e in log if e["kind"] in MISTAKE_KINDS]
    recovered = [e for e in mistakes if any(i > e["id"] for i in done_ids)]
    started = dt.datetime.fromisoformat(current_run["started_at"])
    ended = dt.datetime.fromisoformat(current_run["completed_at"]) if current_run["completed_at"] else clock.now(db)
    score, total = quiz_score(db, persona_id, lesson_id)
    return {
        "lesson_id": lesson_id,
        "started_at": current_run["started_at"],
        "completed_at": current_run["completed_at"],
        "minutes": max(0, round((ended - started).total_seconds() / 60)),
        "steps_done": len(done_ids),
        "steps_total": len(lesson.steps),
        "mistakes": len(mistakes),
        "mistakes_recovered": len(recovered),
        "mistake_kinds": sorted({e["kind"] for e in recovered}),
        "hints_shown": sum(1 for e in log if e["kind"] == "lesson.hint_shown"),
        "quiz_score": score,
        "quiz_total": total,
    }


def runs_for_persona(db, persona_id: str) -> list[dict]:
    if not db["lesson_runs"].exists():
        return []
    return list(db["lesson_runs"].rows_where("persona_id = ?", [persona_id]))
