"""The docs keep up with the code: every page, CLI command and lesson is documented.

As in datasette's test suite: an undocumented page or command fails here, not in a
trainer's hands.
"""

import re
import tomllib
from pathlib import Path

import pytest

from pages._ui import nav
from workbench import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
URL_PATHS = nav.URL_PATHS


def test_app_py_registers_pages_the_readme_can_name():
    assert len(URL_PATHS) >= 20


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_every_page_has_a_row_in_the_readme(url_path):
    assert f"| `/{url_path}` |" in README, f"add /{url_path} to the README's 'Every page' table"


def test_every_cli_command_is_in_the_readme():
    commands = cli.build_parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert f"python -m workbench {command}" in README, command


@pytest.mark.parametrize("lesson_file", sorted((ROOT / "lessons").glob("*.toml")), ids=lambda p: p.stem)
def test_every_lesson_is_named_in_the_lessons_guide(lesson_file):
    lesson_id = tomllib.loads(lesson_file.read_text(encoding="utf-8"))["id"]
    assert lesson_id in (ROOT / "docs" / "lessons.md").read_text(encoding="utf-8")


def test_every_document_the_readme_links_exists():
    for link in re.findall(r"\]\((docs/[\w./-]+)\)", README):
        assert (ROOT / link).exists(), link
