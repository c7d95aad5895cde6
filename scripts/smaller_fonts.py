"""Smaller copies of Streamlit's fonts, for the phones in the hall (issue 14).

Streamlit ships Material Symbols whole (375 KB of woff2, already compressed: 4,300 icons) and
every phone downloads it on its first visit to draw a handful of them: a third of what /join
costs. This makes, once per Streamlit version, a copy that keeps only the icons that can be
drawn: every ``:material/name:`` in our pages, locales and data, and every icon Streamlit's own
screens draw with the font (``streamlit_icon_names``). Caddy serves the copy at the original's
hashed address (scripts/Caddyfile); when anything goes wrong here, phones get the original.

How Streamlit 1.5x draws with the font (read from its bundles, checked in Chromium by
tests/browser/test_hall_proxy.py): one component, DynamicIcon, turns an ``iconValue`` string
``:material/name:`` into a span whose text is the name; every icon of its chrome (menu, sidebar
chevrons, expander arrows, status, toast, dialog close, file uploader, date input, "View more")
is such a literal in its JavaScript. The rest: st.status and st.text_input(type=…) send
``:material/…:`` strings from Python; the data grid draws a few names on its canvas
(``CANVAS_ICONS``) and one icon by its code point (U+E89E, open_in_new). Every other word of
the bundles that happens to be an icon's name ("10k", "bathtub") is never drawn: the copy used
to keep them all (704 icons, 69 KB).

Icons are ligatures (the letters "home" drawn as one glyph), so the copy keeps the letters and
each kept icon's ligature, without the layout closure that would pull every icon back in.

The text font, Source Sans (170 KB upright, 138 KB italic), is cut to what Vietnamese and
English need: Latin with its extensions and combining marks, the Vietnamese block, punctuation,
currency (₫), arrows, maths and shapes: 90 KB and 74 KB. A rarer character falls back to the
phone's own font.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import tempfile
from pathlib import Path

import streamlit
from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"
MEDIA = "static/media"
OUR_FILES = ("app.py", "pages/**/*.py", "locales/**/*.toml", "sandbox_data/**/*.toml", "lessons/**/*.toml")


TEXT_FONTS = "SourceSansVF-*.woff2"
TEXT_RANGES = [(0x20, 0x24F), (0x300, 0x36F), (0x1EA0, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF),
               (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x25A0, 0x25FF)]


def original() -> Path | None:
    found = sorted((STREAMLIT_STATIC / MEDIA).glob("MaterialSymbols-Rounded.*.woff2"))
    return found[0] if found else None


def text_fonts() -> list[Path]:
    return sorted((STREAMLIT_STATIC / MEDIA).glob(TEXT_FONTS))


def our_icon_names(root: Path = ROOT) -> set[str]:
    """Every ``:material/name:`` the app can draw."""
    names: set[str] = set()
    for pattern in OUR_FILES:
        for path in root.glob(pattern):
            names |= set(re.findall(r"material/([a-z0-9_]+)", path.read_text(encoding="utf-8", errors="ignore")))
    return names


# Names the data grid (DataFrame chunk) draws on its canvas with the icon font, not through
# DynamicIcon: "more_vert" (a row's menu), Zd={audio:`audio_file`,video:`video_file`} (media cells).
CANVAS_ICONS = {"more_vert", "audio_file", "video_file"}
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # where Material Symbols puts each icon's code point


def _scripts() -> list[Path]:
    return sorted((STREAMLIT_STATIC / "static" / "js").glob("*.js"))


def _python_icon_names() -> set[str]:
    """``:material/name:`` strings Streamlit's Python sends the browser itself (st.status's check
    and error, st.text_input's type icons), not those in its docstrings or its demo app."""
    package = Path(streamlit.__file__).parent
    names: set[str] = set()
    for path in package.rglob("*.py"):
        if {"hello", ".agents"} & set(path.relative_to(package).parts):
            continue
        source = path.read_text(encoding="utf-8", errors="ignore")
        if ":material/" not in source:
            continue
        tree = ast.parse(source)
        docstrings = {id(node.value) for node in ast.walk(tree)
                      if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                names |= set(re.findall(r":material/([a-z0-9_]+):", node.value))
    return names


def streamlit_icon_names() -> set[str]:
    """Every icon name Streamlit's own screens can draw with the font: the ``material/name``
    literals of its JavaScript, the names its Python sends, and the data grid's canvas icons."""
    names = set(CANVAS_ICONS) | _python_icon_names()
    for script in _scripts():
        names |= set(re.findall(r"material/([a-z0-9_]+)", script.read_text(encoding="utf-8", errors="ignore")))
    return names


def streamlit_code_points() -> set[int]:
    """Icons Streamlit writes as the font's code point (the grid's link column writes
    open_in_new as U+E89E), from the scripts that use the icon font; KaTeX's own code points
    in the same range are for KaTeX's fonts and are left out."""
    points: set[int] = set()
    for script in _scripts():
        text = script.read_text(encoding="utf-8", errors="ignore")
        if "iconFont" in text:
            points |= {ord(c) for c in PRIVATE_USE.findall(text)}
    return points


def ligatures(font: TTFont) -> dict[str, str]:
    """Icon name -> its glyph, read from the font's ligature table."""
    char_of = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    found: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            if lookup.LookupType == 7:  # an extension wraps the real table
                table = table.ExtSubTable
            for first, ligs in getattr(table, "ligatures", {}).items():
                for lig in ligs:
                    found["".join(char_of.get(g, "\0") for g in [first, *lig.Component])] = lig.LigGlyph
    return found


def wanted_names(root: Path = ROOT) -> set[str]:
    """Every icon name that can be drawn: ours and Streamlit's (before checking the font has it)."""
    return our_icon_names(root) | streamlit_icon_names()


def kept_names(font: TTFont, root: Path = ROOT) -> list[str]:
    wanted = wanted_names(root)
    return sorted(name for name in ligatures(font) if name in wanted)


def _options() -> subset.Options:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    return options


def _save(font: TTFont, target: Path) -> None:
    font.flavor = "woff2"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as part:
        font.save(part)
    os.chmod(part.name, 0o644)
    os.replace(part.name, target)  # two servers starting at once never see half a file


def make(source: Path, target: Path, root: Path = ROOT) -> list[str]:
    """Write the smaller copy of the icon font ``source`` to ``target``; return the icon names kept."""
    font = TTFont(source)
    glyph_of = ligatures(font)
    names = kept_names(font, root)
    options = _options()
    options.layout_closure = False  # letters would otherwise bring every ligature back
    subsetter = subset.Subsetter(options)
    cmap = font.getBestCmap()
    subsetter.populate(text="".join(sorted({c for name in names for c in name})),
                       unicodes=[point for point in streamlit_code_points() if point in cmap],
                       glyphs=[glyph_of[name] for name in names])
    subsetter.subset(font)
    _save(font, target)
    return names


def make_text(source: Path, target: Path) -> None:
    """Write the copy of a text font cut to ``TEXT_RANGES``."""
    font = TTFont(source)
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes=[code for first, last in TEXT_RANGES for code in range(first, last + 1)])
    subsetter.subset(font)
    _save(font, target)


def served_folder(cache: Path) -> Path:
    """The folder Caddy serves the copies from: ``<cache>/…/static/media/<each original's name>``,
    made when absent. Keyed by Streamlit's font file (its hash changes with a new version) and
    by every icon name that can be drawn, so a new icon in a page, or in Streamlit, makes a new copy."""
    source = original()
    if source is None:
        raise FileNotFoundError("Streamlit's Material Symbols font was not found")
    wanted = " ".join(sorted(wanted_names())) + " " + " ".join(map(str, sorted(streamlit_code_points())))
    key = hashlib.sha256(wanted.encode()).hexdigest()[:12]
    folder = cache / f"{source.name}-{key}"
    target = folder / MEDIA / source.name
    if not target.exists():
        make(source, target)
    for text_font in text_fonts():
        if not (folder / MEDIA / text_font.name).exists():
            make_text(text_font, folder / MEDIA / text_font.name)
    return folder
