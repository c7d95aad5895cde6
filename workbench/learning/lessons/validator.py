"""One lesson file's TOML turned into a Lesson, or the problems that stop it loading.

Every problem names the line and what is wrong, in words a lesson author understands
(``lessons.schema.*`` in the locales), so a broken file can be fixed without reading code.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from workbench.learning.lessons import setups
from workbench.learning.lessons.model import LANGS, Lesson, Problem, Question, Step
from workbench import rules
from workbench.sandbox import scenarios

AUDIENCES = ("citizen", "volunteer", "official")
CHECK_TYPES = ("event", "sequence", "dossier", "manual", "all", "any")
DOSSIER_STATUSES = ("submitted", "received", "processing", "supplement_requested", "awaiting_payment",
                    "result_ready", "returned", "refused")
STEP_TEXT_REQUIRED = ("do", "why", "mistake", "recover", "trainer")

# The sandbox's pages a step may send the learner to, by URL path (``page = "pay"``): the
# addresses app.py gives them, which never change. Where their files live is the app's
# business (tests/pages/test_lessons_pages.py checks that app.py registers each one).
SANDBOX_PAGES = ("personas", "phone", "police", "vneid-web", "portal", "services", "dossiers", "payment",
                 "wallet", "pay", "desk", "desk-qr", "fees")


def starting_states() -> tuple[str, ...]:
    return tuple(scenarios.STATES)


def bdhvs_area_ids() -> set[str]:
    """Every skill-area id any version of the rule ``bdhvs.skill_areas`` has named: a lesson
    file is not dated, so an id that a later version drops is still known (issue 13)."""
    return {area["id"] for rule in rules.versions("bdhvs.skill_areas") for area in rule.value}


def bdhvs_areas(on, lang: str) -> list[tuple[str, str]]:
    """(id, name) of the skill areas in force on ``on``, in ``lang``."""
    return [(area["id"], area[lang]) for area in rules.value("bdhvs.skill_areas", on)]


class Validator:
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
        bdhvs = data.get("bdhvs", [])
        known = bdhvs_area_ids()
        if not isinstance(bdhvs, list) or any(area not in known for area in bdhvs):
            self.add(self._key_line("bdhvs"), "unknown_bdhvs", value=bdhvs, allowed=", ".join(sorted(known)))
            bdhvs = []
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
            if page is not None and page not in SANDBOX_PAGES:
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
            if setup is not None and setup not in setups.SETUPS:
                self.add(self._key_line("setup", at), "unknown_setup", field=f"{field}.setup", value=setup,
                         allowed=", ".join(sorted(setups.SETUPS)))
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
                      steps=steps, quiz=quiz, bdhvs=tuple(bdhvs))

