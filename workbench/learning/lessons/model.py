"""What a lesson is once loaded: its steps and quiz, and the two ways things go wrong (a
learner action refused, a problem in a lesson file)."""

from __future__ import annotations

import dataclasses

from workbench import i18n
from workbench.errors import Refusal

LANGS = ("vi", "en")


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


@dataclasses.dataclass
class Step:
    id: str
    text: dict  # field -> {lang: str}: do, why, mistake, recover, trainer
    check: dict
    page: str | None = None  # the URL path of the sandbox page where the step is done ("pay")
    image: str | None = None
    hints: list = dataclasses.field(default_factory=list)  # [{"on": kind, "text": {lang: str}}]
    setup: str | None = None  # a name in setups.SETUPS, run once when the step becomes current

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
    bdhvs: tuple = ()  # the Bình dân học vụ số skill areas it practises (rule bdhvs.skill_areas)

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
