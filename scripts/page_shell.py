"""The first HTML a phone gets, for the hall's slow wifi (issue 14).

Every page of a Streamlit app is the same ``index.html``: an empty ``<div id="root">``, English
words a phone never shows, and a preload of the Source Sans font. On a phone at its share of
the hall's wifi that empty page stays white for six seconds or more while the JavaScript comes
down; people scan the QR again, or give up. This makes, from the installed Streamlit's own
page (so the hashed bundle names are always right), a copy that:

- says at once, in Vietnamese and English, that the page is opening and that the first visit
  is the slow one (React replaces it when the app draws);
- is ``lang="vi"``, titled "Công dân số", with a ``<noscript>`` a learner can act on;
- drops the Source Sans preload when the theme uses the phone's own font
  (``.streamlit/config.toml``: Roboto, SF and Segoe all carry Vietnamese), and points Streamlit's
  text and code fonts at the phone's own: 180 KB a phone no longer downloads.

Caddy serves the copy for page addresses (scripts/Caddyfile); the bundles, the websocket and
everything else still come from Streamlit. When the page no longer looks as this expects (a
Streamlit upgrade), no copy is made and phones get Streamlit's own page.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
import tempfile
import tomllib
from pathlib import Path

import streamlit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench import i18n  # noqa: E402

STREAMLIT_INDEX = Path(streamlit.__file__).parent / "static" / "index.html"
CONFIG = ROOT / ".streamlit" / "config.toml"

FONT_PRELOAD = re.compile(r'\s*<link\s+rel="preload"\s+href="[^"]*SourceSans[^"]*"[^>]*/>')
NOSCRIPT = re.compile(r"<noscript>.*?</noscript>", re.S)
ROOT_DIV = '<div id="root"></div>'

STYLE = """<style>
  #cds-opening { font-family: system-ui, Roboto, "Segoe UI", sans-serif; color: #31333f;
    max-width: 32rem; margin: 0 auto; padding: 4.5rem 1.25rem 2rem; line-height: 1.5; }
  #cds-opening .cds-name { font-size: 1.5rem; font-weight: 700; color: #a50d26; margin: 0 0 .75rem; }
  #cds-opening p { margin: 0 0 .5rem; font-size: 1.05rem; }
  #cds-opening p[lang="en"] { color: #555867; font-size: .95rem; }
  #cds-opening .cds-bar { height: .35rem; background: #f0f2f6; border-radius: .2rem; overflow: hidden;
    margin: 1rem 0; }
  #cds-opening .cds-bar span { display: block; width: 40%; height: 100%; background: #c8102e;
    animation: cds-slide 1.6s ease-in-out infinite; }
  @keyframes cds-slide { from { transform: translateX(-100%); } to { transform: translateX(250%); } }
  @media (prefers-reduced-motion: reduce) { #cds-opening .cds-bar span { animation: none; width: 100%; } }
</style>"""


def _text(key: str, lang: str) -> str:
    return html.escape(i18n.t(f"common.shell.{key}", lang))


def opening_html() -> str:
    """What the phone shows until the app draws: the name, "opening", why it may be slow."""
    return (f'<div id="root"><div id="cds-opening" role="status">'
            f'<p class="cds-name">{_text("name", "vi")}</p>'
            f'<p>{_text("opening", "vi")}</p>'
            f'<div class="cds-bar" aria-hidden="true"><span></span></div>'
            f'<p lang="en">{_text("opening", "en")}</p>'
            f"</div></div>")


def noscript_html() -> str:
    return (f"<noscript><p>{_text('no_javascript', 'vi')}</p>"
            f"<p lang=\"en\">{_text('no_javascript', 'en')}</p></noscript>")


def uses_own_text_font(config: Path = CONFIG) -> bool:
    """True when the theme draws text with a font of its own choosing (not Streamlit's Source Sans)."""
    try:
        font = tomllib.loads(config.read_text(encoding="utf-8")).get("theme", {}).get("font", "")
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return bool(font.strip()) and font.strip().lower() not in ("sans-serif", "source sans")


# Before the app's theme reaches the phone, Streamlit draws its first frame in Source Sans, and
# `code` in Source Code Pro whatever the theme says: 90 KB each. Declared again after Streamlit's
# stylesheet with the same descriptors, each family resolves to the phone's own fonts and is
# never downloaded.
PHONES_OWN = {
    ("Source Sans", "normal"): ["Roboto", "Segoe UI", "Helvetica Neue", "Arial", "DejaVu Sans"],
    ("Source Sans", "italic"): ["Roboto Italic", "Segoe UI Italic", "Helvetica Neue Italic", "Arial Italic",
                                "DejaVu Sans Oblique"],
    ("Source Code Pro", "normal"): ["Roboto Mono", "Menlo", "Consolas", "DejaVu Sans Mono", "Courier New"],
    ("Source Code Pro", "italic"): ["Roboto Mono Italic", "Menlo Italic", "Consolas Italic",
                                    "DejaVu Sans Mono Oblique", "Courier New Italic"],
}


def own_text_fonts() -> str:
    rules = "".join(f'  @font-face {{ font-family: "{family}"; font-style: {style}; font-weight: 100 900; '
                    f'src: {", ".join(f"local({chr(34)}{name}{chr(34)})" for name in names)}; }}\n'
                    for (family, style), names in PHONES_OWN.items())
    return f"<style>\n{rules}</style>"


MODULE_SCRIPT = re.compile(r'\s*<script type="module" crossorigin src="([^"]+)"></script>')
MODULE_PRELOAD = re.compile(r'\s*<link rel="modulepreload" crossorigin href="([^"]+)">')


def after_first_paint(script: str, preloads: list[str]) -> str:
    """Streamlit's bundles, asked for once the "opening" text is on screen: on a congested link
    the text no longer waits behind 650 KB of JavaScript, and the bundles start one frame later.
    The timer is for a tab opened in the background, where frames are not drawn. The app's entry
    is asked for first, then its imports in Streamlit's order. (Asking for the widgets' bundles
    too, or the largest first, measured neutral on the hall's wifi and 1-3 s slower to draw the
    app with Lighthouse's 560 ms round trips: more requests before the app can start.)"""
    return ("<script>\n"
            "  (function () {\n"
            "    var started = false;\n"
            "    function start() {\n"
            "      if (started) return;\n"
            "      started = true;\n"
            "      var app = document.createElement('script');\n"
            f"      app.type = 'module'; app.crossOrigin = 'anonymous'; app.src = {json.dumps(script)};\n"
            "      document.head.appendChild(app);\n"
            f"      {json.dumps(preloads)}.forEach(function (href) {{\n"
            "        var link = document.createElement('link');\n"
            "        link.rel = 'modulepreload'; link.crossOrigin = 'anonymous'; link.href = href;\n"
            "        document.head.appendChild(link);\n"
            "      });\n"
            "    }\n"
            "    requestAnimationFrame(function () { setTimeout(start, 0); });\n"
            "    setTimeout(start, 300);\n"
            "  })();\n"
            "</script>")


def shell(index: str, *, drop_font_preload: bool) -> str:
    """Streamlit's ``index`` page made into ours. Raises ValueError when a part this changes is
    not where it was: better Streamlit's own page than a broken one."""
    for needed, found in (("the root div", ROOT_DIV in index), ("<noscript>", NOSCRIPT.search(index)),
                          ('<html lang="en">', '<html lang="en">' in index), ("<title>", "<title>" in index),
                          ("</head>", "</head>" in index), ("a module script", MODULE_SCRIPT.search(index))):
        if not found:
            raise ValueError(f"Streamlit's index.html has no {needed}")
    [script] = MODULE_SCRIPT.findall(index)
    preloads = MODULE_PRELOAD.findall(index)
    page = MODULE_PRELOAD.sub("", MODULE_SCRIPT.sub("", index))
    page = page.replace("</head>", "  " + after_first_paint(script, preloads) + "\n  </head>", 1)
    page = page.replace('<html lang="en">', '<html lang="vi">', 1)
    page = re.sub(r"<title>.*?</title>", f"<title>{_text('name', 'vi')}</title>", page, count=1)
    page = NOSCRIPT.sub(lambda _: noscript_html(), page, count=1)
    page = page.replace(ROOT_DIV, opening_html(), 1)
    page = page.replace("</head>", STYLE + "\n  </head>", 1)
    if drop_font_preload:
        page = FONT_PRELOAD.sub("", page, count=1)
        page = page.replace("</head>", own_text_fonts() + "\n  </head>", 1)
    return page


def served_folder(cache: Path, index: Path = STREAMLIT_INDEX) -> Path:
    """The folder Caddy serves ``index.html`` from, made when absent; keyed by its content, so a
    new Streamlit, a changed theme or new words make a new copy."""
    page = shell(index.read_text(encoding="utf-8"), drop_font_preload=uses_own_text_font())
    folder = cache / hashlib.sha256(page.encode()).hexdigest()[:16]
    target = folder / "index.html"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".part", delete=False, encoding="utf-8") as part:
            part.write(page)
        os.chmod(part.name, 0o644)
        os.replace(part.name, target)  # two servers starting at once never see half a file
    return folder
