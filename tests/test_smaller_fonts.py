"""The smaller fonts phones download (scripts/smaller_fonts.py, issue 14): the icon font keeps every
icon the app names and those of Streamlit's own chrome; the text font keeps every Vietnamese letter."""

import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import smaller_fonts  # noqa: E402


@pytest.fixture(scope="module")
def smaller(tmp_path_factory):
    folder = smaller_fonts.served_folder(tmp_path_factory.mktemp("icons"))
    [made] = (folder / smaller_fonts.MEDIA).glob("MaterialSymbols-*.woff2")
    return made


def test_the_copy_sits_at_the_originals_address(smaller):
    assert smaller.name == smaller_fonts.original().name  # Caddy serves it in the original's place


def test_every_icon_our_pages_name_is_kept(smaller):
    kept = set(smaller_fonts.ligatures(TTFont(smaller)))
    assert smaller_fonts.our_icon_names() - kept == set()
    assert len(smaller_fonts.our_icon_names()) > 30


def test_streamlits_own_chrome_icons_are_kept(smaller):
    kept = set(smaller_fonts.ligatures(TTFont(smaller)))
    assert {"keyboard_double_arrow_left", "keyboard_double_arrow_right", "more_vert", "close"} <= kept
    assert {"check", "error"} <= kept  # st.status's, sent from Python
    assert {"audio_file", "video_file"} <= kept  # the data grid's canvas
    in_the_font = set(smaller_fonts.ligatures(TTFont(smaller_fonts.original())))
    assert smaller_fonts.streamlit_icon_names() & in_the_font <= kept


def test_the_icon_streamlit_writes_by_its_code_point_is_kept(smaller):
    copy = TTFont(smaller)
    assert 0xE89E in smaller_fonts.streamlit_code_points()  # the grid's link column: open_in_new
    assert copy.getBestCmap()[0xE89E] == smaller_fonts.ligatures(copy)["open_in_new"]


def test_words_of_streamlits_javascript_that_are_never_drawn_are_not_kept(smaller):
    """The copy used to keep every word of the bundles that is also an icon's name (704 icons)."""
    kept = set(smaller_fonts.ligatures(TTFont(smaller)))
    assert {"bathtub", "helicopter", "10k"} & kept == set()
    assert len(smaller_fonts.kept_names(TTFont(smaller_fonts.original()))) < 250


def test_a_new_icon_makes_a_new_copy(tmp_path, monkeypatch):
    """The cache folder is keyed by every name kept: a copy made before an icon was added is not reused."""
    monkeypatch.setattr(smaller_fonts, "make", lambda source, target: [])
    monkeypatch.setattr(smaller_fonts, "text_fonts", lambda: [])
    before = smaller_fonts.served_folder(tmp_path)
    monkeypatch.setattr(smaller_fonts, "CANVAS_ICONS", smaller_fonts.CANVAS_ICONS | {"bathtub"})
    assert smaller_fonts.served_folder(tmp_path) != before


def test_the_copy_is_a_fraction_of_the_whole(smaller):
    assert smaller.stat().st_size < smaller_fonts.original().stat().st_size / 3


def test_the_text_fonts_keep_every_vietnamese_letter(smaller):
    vietnamese = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA)) + "₫–—…“”‘’"
    copies = sorted(smaller.parent.glob("SourceSansVF-*.woff2"))
    assert [c.name for c in copies] == [f.name for f in smaller_fonts.text_fonts()]
    for copy in copies:
        assert set(map(ord, vietnamese)) <= set(TTFont(copy).getBestCmap())
        assert copy.stat().st_size < 0.7 * (smaller_fonts.STREAMLIT_STATIC / smaller_fonts.MEDIA / copy.name).stat().st_size
