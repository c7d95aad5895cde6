"""The first HTML a phone gets (scripts/page_shell.py, issue 14): made from the installed
Streamlit's own page, it says "opening" at once in both languages, asks for every bundle
Streamlit's page asks for (after the first paint), and leaves the text font to the phone."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import page_shell  # noqa: E402

from workbench import i18n  # noqa: E402

STREAMLITS_PAGE = page_shell.STREAMLIT_INDEX.read_text(encoding="utf-8")


def bundles_named(page: str) -> list[str]:
    return re.findall(r'"(\./static/js/[^"]+\.js)"', page)


@pytest.fixture(scope="module")
def ours() -> str:
    return page_shell.shell(STREAMLITS_PAGE, drop_font_preload=True)


def test_every_bundle_streamlits_page_names_is_still_asked_for_in_the_same_order(ours):
    theirs = bundles_named(STREAMLITS_PAGE)
    assert len(theirs) > 10
    [script] = re.findall(r'<script type="module" crossorigin src="([^"]+)"', STREAMLITS_PAGE)
    asked = bundles_named(ours)
    assert asked[1:] == [bundle for bundle in theirs if bundle != script]  # in Streamlit's order
    assert asked[0] == script  # the app's entry is asked for first, then what it imports
    assert ours.index("app.src") < ours.index("forEach")


def test_the_bundles_wait_for_the_first_paint_not_the_parser(ours):
    assert 'type="module"' not in ours and 'rel="modulepreload"' not in ours
    assert "requestAnimationFrame" in ours and "setTimeout(start, 300)" in ours  # a background tab starts too


def test_the_phone_reads_opening_in_vietnamese_then_english(ours):
    for lang in ("vi", "en"):
        words = i18n.t("common.shell.opening", lang)
        assert words in ours.replace("&#x27;", "'")
        assert unicodedata.is_normalized("NFC", words)
    assert '<html lang="vi">' in ours and "<title>Công dân số</title>" in ours
    opening = ours.replace("&#x27;", "'")
    assert opening.index(i18n.t("common.shell.opening", "vi")) < opening.index(i18n.t("common.shell.opening", "en"))
    assert 'role="status"' in ours


def test_without_javascript_the_phone_says_what_to_do_in_vietnamese(ours):
    noscript = re.search(r"<noscript>(.*?)</noscript>", ours, re.S).group(1)
    assert i18n.t("common.shell.no_javascript", "vi") in noscript
    assert "You need to enable JavaScript" not in ours


def test_the_text_font_is_left_to_the_phone_only_when_the_theme_says_so():
    assert "SourceSans" in page_shell.shell(STREAMLITS_PAGE, drop_font_preload=False)
    ours = page_shell.shell(STREAMLITS_PAGE, drop_font_preload=True)
    assert 'rel="preload"' not in ours
    assert re.search(r"@font-face { font-family: \"Source Sans\"; font-style: normal;[^}]*src: local\(\"Roboto\"\)", ours)
    assert re.search(r"@font-face { font-family: \"Source Code Pro\"; font-style: normal;[^}]*src: local\(\"Roboto Mono\"\)", ours)
    assert "url(" not in ours  # nothing to download for the text


def test_the_apps_theme_uses_the_phones_own_font():
    assert page_shell.uses_own_text_font()


@pytest.mark.parametrize("font, own", [("", False), ("sans-serif", False), ("Source Sans", False),
                                       ("system-ui, Roboto", True)])
def test_which_theme_fonts_count_as_the_phones_own(tmp_path, font, own):
    config = tmp_path / "config.toml"
    config.write_text(f'[theme]\nfont = "{font}"\n', encoding="utf-8")
    assert page_shell.uses_own_text_font(config) is own


def test_a_page_that_no_longer_looks_as_expected_is_left_to_streamlit():
    with pytest.raises(ValueError, match="root div"):
        page_shell.shell(STREAMLITS_PAGE.replace('<div id="root"></div>', '<main id="app"></main>'),
                         drop_font_preload=True)


def test_the_served_copy_is_made_once_and_a_new_streamlit_makes_a_new_one(tmp_path):
    index = tmp_path / "index.html"
    index.write_text(STREAMLITS_PAGE, encoding="utf-8")
    first = page_shell.served_folder(tmp_path / "cache", index)
    assert page_shell.served_folder(tmp_path / "cache", index) == first
    assert "cds-opening" in (first / "index.html").read_text(encoding="utf-8")
    index.write_text(STREAMLITS_PAGE.replace("index.", "index2.", 1), encoding="utf-8")
    assert page_shell.served_folder(tmp_path / "cache", index) != first
