"""The weekly package a commune sends its province: format v1, signing, and the checks on import (issue 16).

One JSON file per commune per week (``<commune code>-<YYYY-Www>.congdanso.json``)::

    {"format": "congdanso.weekly-package", "version": 1, "payload": {...},
     "public_key": "<base64 Ed25519>", "signature": "<base64>"}

The signature covers the payload's canonical bytes (``canonical``): JSON with sorted keys, no
spaces, UTF-8 text as is. ``docs/schemas/weekly-package-v1.json`` (JSON Schema 2020-12) says
what the payload holds, and its size caps are what an import enforces, so a file from a USB
stick or a chat app cannot hold anything the province does not expect. Both ends use this
module; neither the tracker nor the province owns the format.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re

import fastjsonschema

from workbench import keys
from workbench.data import ROOT
from workbench.errors import Refusal

FORMAT = "congdanso.weekly-package"
VERSION = 1
SUFFIX = ".congdanso.json"
SCHEMA_FILE = ROOT / "docs" / "schemas" / "weekly-package-v1.json"
MAX_BYTES = 5 * 2**20  # a week's figures are a few KB and its one-page PDF a few hundred
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
# Walked before the schema is asked: a schema validator reports every error of a 500,000-item
# array one by one (minutes); a plain walk stops at the first cap.
MAX_DEPTH = 8
MAX_ITEMS = 1200  # in any one list or object (the schema's own caps are lower)
MAX_NODES = 60_000  # values in the whole payload: a commune of 1,000 villages needs about 20,000


class PackageRefused(Refusal):
    """A package the province will not take; ``key`` says why in the official's language."""


# --- weeks -------------------------------------------------------------------------------

def parse_week(week: str) -> tuple[dt.date, dt.date]:
    """(Monday, Sunday) of an ISO week written ``YYYY-Www``; a Refusal naming the format otherwise."""
    match = WEEK_RE.match((week or "").strip())
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1) if match else None
    except ValueError:
        monday = None
    if monday is None:
        raise PackageRefused("province.error.bad_week", value=str(week)[:20])
    return monday, monday + dt.timedelta(days=6)


def week_label(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def file_name(commune_code: str, week: str) -> str:
    safe = re.sub(r"[^0-9A-Za-z_-]", "", commune_code) or "xa"
    return f"{safe}-{week}{SUFFIX}"


# --- making ------------------------------------------------------------------------------

def canonical(payload: dict) -> bytes:
    """The bytes the signature covers: one spelling of the payload, whoever wrote the file."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def pack(payload: dict, key=None) -> bytes:
    """The file's bytes: the payload, the public key and the signature (``key``: the installation's)."""
    key = key or keys.private_key()
    package = {"format": FORMAT, "version": VERSION, "payload": payload,
               "public_key": keys.public_key_b64(key), "signature": keys.sign(canonical(payload), key)}
    return json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- reading -----------------------------------------------------------------------------

def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@functools.cache
def validator():
    """The committed schema compiled to Python (fastjsonschema): a third of jsonschema's time a
    package, which a country's 345,000 packages feel (bench/province_scale.py). It knows drafts
    up to 7; the schema uses no keyword whose meaning changed in 2020-12, and
    tests/test_weekly_package.py checks every package made against 2020-12 with jsonschema."""
    return fastjsonschema.compile(dict(schema(), **{"$schema": "http://json-schema.org/draft-07/schema#"}))


def _no_duplicate_keys(pairs):
    """Two values for one key would let a reader and the signature see different figures."""
    out = {}
    for name, value in pairs:
        if name in out:
            raise PackageRefused("province.refused.not_json", detail=f"duplicate key {name[:40]!r}")
        out[name] = value
    return out


def _no_constant(name):
    raise PackageRefused("province.refused.not_json", detail=name)


def _within_caps(package) -> None:
    """Refuse a structure deeper, wider or larger than any package can be, before the schema."""
    stack, nodes = [(package, 1)], 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise PackageRefused("province.refused.too_deep")
        if isinstance(value, (dict, list)):
            if len(value) > MAX_ITEMS or nodes + len(value) > MAX_NODES:
                raise PackageRefused("province.refused.too_many", limit=MAX_ITEMS)
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))


def read(data: bytes) -> dict:
    """The package in ``data``, its shape checked against the schema; not yet its signature."""
    if len(data) > MAX_BYTES:
        raise PackageRefused("province.refused.too_big", size_mb=round(len(data) / 2**20, 1),
                             limit_mb=round(MAX_BYTES / 2**20, 1))
    try:
        package = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicate_keys,
                             parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise PackageRefused("province.refused.not_json", detail="not UTF-8") from None
    except RecursionError:  # a JSON bomb of nested brackets
        raise PackageRefused("province.refused.too_deep") from None
    except ValueError as error:
        raise PackageRefused("province.refused.not_json", detail=str(error)[:80]) from None
    if not isinstance(package, dict) or package.get("format") != FORMAT:
        raise PackageRefused("province.refused.wrong_format")
    if package.get("version") != VERSION:
        raise PackageRefused("province.refused.wrong_version", version=str(package.get("version"))[:10])
    _within_caps(package)
    try:
        validator()(package)
    except fastjsonschema.JsonSchemaException as problem:
        where = "/".join(str(p) for p in (problem.path or [])[1:]) or "/"
        raise PackageRefused("province.refused.schema", where=where[:80], detail=str(problem.message)[:120]) from None
    return package


def verified_payload(package: dict) -> dict:
    """The payload, when the signature is the package's key's over exactly these figures."""
    if not keys.verify(package["public_key"], package["signature"], canonical(package["payload"])):
        raise PackageRefused("province.refused.bad_signature")
    return package["payload"]
