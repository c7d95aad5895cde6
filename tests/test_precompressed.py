"""Streamlit's bundles gzipped once with Zopfli (scripts/precompressed.py, issue 14): Caddy hands
a phone the ``.gz`` beside each bundle, so each one must be the bundle exactly, and smaller than
what compressing on the fly gives."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import precompressed  # noqa: E402


def fake_streamlit(root: Path) -> Path:
    (root / "static" / "js").mkdir(parents=True)
    (root / "static" / "css").mkdir(parents=True)
    (root / "static" / "js" / "index.AbC123.js").write_text("function hello(){return 'xin chào'}\n" * 200)
    (root / "static" / "js" / "tiny.Zz9.js").write_text("export{}")
    (root / "static" / "js" / "index.AbC123.js.map").write_text("{}")
    (root / "static" / "css" / "index.Qq1.css").write_text(".stApp{color:#31333f}\n" * 300)
    return root


def test_each_gz_is_its_bundle_exactly_and_small_files_are_left_alone(tmp_path):
    static = fake_streamlit(tmp_path / "streamlit")
    folder = precompressed.served_folder(tmp_path / "cache", static)
    for name in ("static/js/index.AbC123.js", "static/css/index.Qq1.css"):
        original = (static / name).read_bytes()
        assert (folder / name).read_bytes() == original  # served to a browser without gzip
        assert gzip.decompress((folder / (name + ".gz")).read_bytes()) == original
    assert not (folder / "static/js/tiny.Zz9.js.gz").exists()
    assert (folder / "static/js/tiny.Zz9.js").exists()
    assert not (folder / "static/js/index.AbC123.js.map").exists()  # source maps are not for phones


def test_the_copy_is_made_once_and_a_new_streamlit_makes_a_new_one(tmp_path):
    static = fake_streamlit(tmp_path / "streamlit")
    first = precompressed.served_folder(tmp_path / "cache", static)
    made = (first / "static/js/index.AbC123.js.gz").stat().st_mtime_ns
    assert precompressed.served_folder(tmp_path / "cache", static) == first
    assert (first / "static/js/index.AbC123.js.gz").stat().st_mtime_ns == made
    (static / "static/js/index.AbC123.js").rename(static / "static/js/index.NeW456.js")
    assert precompressed.served_folder(tmp_path / "cache", static) != first
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".part-")] == []


def test_progress_is_told_for_every_file_compressed(tmp_path):
    static = fake_streamlit(tmp_path / "streamlit")
    told = []
    precompressed.make(tmp_path / "copy", static, progress=lambda done, total: told.append((done, total)), workers=1)
    assert told == [(1, 2), (2, 2)]


def test_zopfli_beats_gzip_on_streamlits_biggest_bundle():
    biggest = max((precompressed.STREAMLIT_STATIC / p for p in precompressed.bundles()
                   if p.suffix == ".js"), key=lambda p: p.stat().st_size)
    data = biggest.read_bytes()[:400_000]
    ours = precompressed.zopfli.gzip.compress(data, numiterations=precompressed.ITERATIONS)
    assert gzip.decompress(ours) == data
    assert len(ours) < len(gzip.compress(data, 9))
