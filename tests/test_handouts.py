"""Printable A4 step cards: every lesson, both languages, learner's and trainer's copy."""

import re

import pytest

from workbench.learning import handouts
from workbench.learning.lessons import catalogue


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_lesson_renders_an_a4_card(lang):
    cards = handouts.all_handouts_pdf(lang)
    assert len(cards) == len(catalogue.load_all()[0])
    for name, data in cards:
        assert data.startswith(b"%PDF") and name.endswith(f"-{lang}.pdf")
        assert b"/MediaBox [0 0 595.28 841.89]" in data  # A4 portrait
        assert 1 <= pages(data) <= 4, name


def test_the_trainers_copy_adds_notes_and_answers():
    lesson = catalogue.get("staying_safe")
    learner = handouts.handout_pdf(lesson, "vi")
    trainer = handouts.handout_pdf(lesson, "vi", trainer=True)
    assert len(trainer) > len(learner)
