"""Where the workbench's data files live, and one cached reader for them.

``sandbox_data/`` holds the procedures, dated rules, the demo commune and the scenarios as TOML:
data, not code (DESIGN.md). Every module reads them through ``load``, which parses each file
once per process: a page rerun on every tap must not re-read the disk. The parsed dicts are
shared, so callers treat them as read-only.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANDBOX_DATA = ROOT / "sandbox_data"
LESSONS = ROOT / "lessons"
LOCALES = ROOT / "locales"


def load(name: str) -> dict:
    """``sandbox_data/<name>.toml``, parsed once."""
    return load_file(SANDBOX_DATA / f"{name}.toml")


@lru_cache(maxsize=64)
def load_file(path: Path | str) -> dict:
    """Any TOML file, parsed once per path (tests pass their own files)."""
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))
