"""Every lesson in ``lessons/``: loaded once (again only when a file changes) and found by id.

A broken lesson file never stops the others loading: ``load_all()`` returns the good lessons
and a list of problems, each naming the file, the line and what is wrong.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from workbench import data as data_files
from workbench.learning.lessons.model import Lesson, LessonError, Problem
from workbench.learning.lessons.validator import Validator

LESSONS_DIR = data_files.LESSONS


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
    validator = Validator(path, text, known_kinds)
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

