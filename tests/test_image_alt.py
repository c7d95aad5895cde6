"""Every picture has words for a learner who cannot see it (issue 14: axe-core found the QR codes
and the document photos with no text alternative). The browser journeys run axe-core on the
pages; these catch a new ``st.image`` without ``alt`` before a browser starts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from workbench import i18n
from workbench.learning.lessons import catalogue
from workbench.sandbox import documents

ROOT = Path(__file__).resolve().parent.parent


def image_calls_without_alt():
    for path in sorted((ROOT / "pages").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "image"
                    and not any(keyword.arg == "alt" for keyword in node.keywords)):
                yield f"{path.relative_to(ROOT)}:{node.lineno}"


def test_every_image_on_a_page_has_alt_text():
    assert list(image_calls_without_alt()) == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_lesson_picture_has_words_in_both_languages(lang):
    pictures = {step.image for lesson in catalogue.load_all()[0] for step in lesson.steps if step.image}
    assert pictures
    for picture in pictures:
        key = f"lessons.image_alt.{Path(picture).stem}"
        assert i18n.has(key, lang), key


PERSONA = {"full_name": "Hà Thị Lan", "cccd": "066198001234", "village": "Buôn Ea Khăl", "birth_date": "1998-02-01"}


def test_a_clear_photo_is_told_with_its_title_and_lines():
    alt = documents.picture_alt("giay_chung_sinh", "ok", PERSONA, "vi")
    assert "GIẤY CHỨNG SINH" in alt and "Hà Thị Lan" in alt and "Buôn Ea Khăl" in alt


def test_a_blurry_photo_says_only_that_it_cannot_be_read():
    alt = documents.picture_alt("giay_chung_sinh", "blurry", PERSONA, "vi")
    assert "mờ" in alt and "Hà Thị Lan" not in alt
    assert "blurry" in documents.picture_alt("giay_chung_sinh", "blurry", PERSONA, "en")


def test_a_photo_of_the_wrong_paper_names_the_paper_it_shows():
    alt = documents.picture_alt("giay_chung_sinh", "wrong", PERSONA, "vi")
    assert "HÓA ĐƠN TIỀN ĐIỆN" in alt and "GIẤY CHỨNG SINH" not in alt
