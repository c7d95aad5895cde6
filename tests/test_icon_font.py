"""The smaller icon font phones download (scripts/icon_font.py, issue 14) keeps every icon the app
names and the icons of Streamlit's own chrome, and is a small part of the whole."""

import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import icon_font  # noqa: E402


@pytest.fixture(scope="module")
def smaller(tmp_path_factory):
    folder = icon_font.served_folder(tmp_path_factory.mktemp("icons"))
    [made] = (folder / icon_font.MEDIA).glob("*.woff2")
    return made


def test_the_copy_sits_at_the_originals_address(smaller):
    assert smaller.name == icon_font.original().name  # Caddy serves it in the original's place


def test_every_icon_our_pages_name_is_kept(smaller):
    kept = set(icon_font.ligatures(TTFont(smaller)))
    assert icon_font.our_icon_names() - kept == set()
    assert len(icon_font.our_icon_names()) > 30


def test_streamlits_own_chrome_icons_are_kept(smaller):
    kept = set(icon_font.ligatures(TTFont(smaller)))
    assert {"keyboard_double_arrow_left", "keyboard_double_arrow_right", "more_vert", "close"} <= kept


def test_the_copy_is_a_fraction_of_the_whole(smaller):
    assert smaller.stat().st_size < icon_font.original().stat().st_size / 3
