"""User-visible strings by key, Vietnamese first, English complete.

Strings live in ``locales/<lang>/<area>.toml``; a key is ``<area>.<dotted.path>``, so
``locales/vi/eid.toml`` holding ``[otp] expired = "…"`` answers ``t("eid.otp.expired")``.
One file per area lets each capability own its words. A missing English string falls back
to Vietnamese and a missing key shows the key itself, never an exception: the locale tests
catch both before a user can.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from functools import lru_cache

from workbench import data as data_files, names

LOCALES = data_files.LOCALES
LANGUAGES = ("vi", "en")
DEFAULT = "vi"


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, inner, out)
    else:
        out[prefix] = value


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Every string of one language, by full key. Text is normalised to NFC."""
    strings: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        flat: dict = {}
        _flatten(path.stem, data, flat)
        for key, value in flat.items():
            strings[key] = unicodedata.normalize("NFC", value) if isinstance(value, str) else value
    return strings


def t(key: str, lang: str = DEFAULT, **params) -> str:
    """The string for ``key`` in ``lang``, with ``{name}`` placeholders filled from params and
    the law-dependent names (``workbench.names``) filled for today unless params give them."""
    text = catalogue(lang).get(key)
    if text is None and lang != DEFAULT:
        text = catalogue(DEFAULT).get(key)
    if text is None:
        return key
    if "{" in text:
        # The names the law sets ({desk}, {card}, {report_to}) as in force today, unless the
        # caller gives its own (pages/_ui/frame.t passes the sandbox clock's day).
        params = {**names.params(dt.date.today(), lang), **params}
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has(key: str, lang: str = DEFAULT) -> bool:
    return key in catalogue(lang)


def language_name(lang: str) -> str:
    return {"vi": "Tiếng Việt", "en": "English"}[lang]


def format_money(amount: int, lang: str = DEFAULT) -> str:
    """Integer đồng with Vietnamese grouping: 20000 → "20.000 đ"."""
    grouped = f"{int(amount):,}"
    if lang == "vi":
        grouped = grouped.replace(",", ".")
    return f"{grouped} đ"


def format_date(value, lang: str = DEFAULT) -> str:
    """dd/mm/yyyy in Vietnamese (as on every form in Vietnam), ISO-like in English."""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)
