"""Streamlit's bundles compressed once, as tightly as gzip allows, for the phones in the hall
(issue 14).

Over the hall's plain-http LAN a phone's browser accepts only gzip. Caddy's on-the-fly gzip
sends Streamlit's protobuf bundle as 110 KB; Zopfli, which writes ordinary gzip that every
browser reads, makes it 93 KB, and /join's JavaScript about a tenth smaller in all. Doing it
once means the laptop no longer compresses 2 MB for each of thirty phones joining at once.

This copies Streamlit's ``static/js`` and ``static/css`` into a cache folder with a ``.gz``
beside each file worth compressing; Caddy's ``file_server`` with ``precompressed gzip`` serves
them (scripts/Caddyfile). The folder is keyed by Streamlit's file names, which carry content
hashes, so a new Streamlit makes a new copy. About 15 s on two cores, once per install.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

import streamlit
import zopfli.gzip

STREAMLIT_STATIC = Path(streamlit.__file__).parent / "static"
FOLDERS = ("static/js", "static/css")
WORTH_IT = 1024  # bytes: a smaller file gains nothing from gzip
ITERATIONS = 1  # Zopfli's default of 15 saves another 1 % for ten times the wait


def bundles(static: Path = STREAMLIT_STATIC) -> list[Path]:
    """Streamlit's JavaScript and CSS, relative to its static folder."""
    return sorted(path.relative_to(static) for folder in FOLDERS for path in (static / folder).glob("*")
                  if path.is_file() and not path.name.endswith(".map"))


def key(static: Path = STREAMLIT_STATIC) -> str:
    names = "\n".join(str(path) for path in bundles(static))
    return hashlib.sha256(f"zopfli-{ITERATIONS}\n{names}".encode()).hexdigest()[:16]


def _compress(job: tuple[str, str]) -> None:
    source, target = job
    data = Path(source).read_bytes()
    Path(target).write_bytes(zopfli.gzip.compress(data, numiterations=ITERATIONS))


def make(target: Path, static: Path = STREAMLIT_STATIC, progress: Callable[[int, int], None] | None = None,
         workers: int | None = None) -> None:
    """Write the copy with its ``.gz`` files to ``target`` (a new folder)."""
    jobs = []
    for relative in bundles(static):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(static / relative, target / relative)
        if (static / relative).stat().st_size >= WORTH_IT:
            jobs.append((str(static / relative), str(target / relative) + ".gz"))
    jobs.sort(key=lambda job: -os.path.getsize(job[0]))  # the biggest first: the workers end together
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for done, _ in enumerate(pool.map(_compress, jobs, chunksize=4), start=1):
            if progress:
                progress(done, len(jobs))


def served_folder(cache: Path, static: Path = STREAMLIT_STATIC,
                  progress: Callable[[int, int], None] | None = None) -> Path:
    """The folder Caddy serves Streamlit's bundles from, made when absent (atomically: two
    servers starting at once never see half a copy)."""
    folder = cache / key(static)
    if folder.exists():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=cache, prefix=".part-"))
    building.chmod(0o755)
    try:
        make(building, static, progress)
        os.replace(building, folder)
    except OSError:
        if not folder.exists():
            raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return folder
