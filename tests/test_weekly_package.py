"""The weekly package's format (issue 16): its schema, its key and fingerprint words, what it
never holds, and the limits an import enforces before trusting a byte."""

import base64
import json
import re
import stat

import pytest
from jsonschema import Draft202012Validator

from tests import province_builders as build
from workbench import keys, key_words, store, text, weekly_package
from workbench.province import imports
from workbench.tracker import package
from workbench.weekly_package import PackageRefused


def test_every_package_the_code_makes_validates_against_the_committed_schema(tmp_path, monkeypatch):
    db = build.commune(tmp_path, monkeypatch, name="Xã Ea Lành", code="24469", seed=7)
    for with_pdf, week in ((True, package.last_full_week()), (False, package.current_week())):
        _, data = build.make_package(db, week, with_pdf=with_pdf)
        found = json.loads(data)
        assert list(Draft202012Validator(weekly_package.schema()).iter_errors(found)) == []
        assert (found["payload"]["report_pdf"] is not None) == with_pdf
        assert weekly_package.verified_payload(weekly_package.read(data)) == found["payload"]


def test_the_installation_key_is_made_once_readable_by_its_owner_only_and_outside_git(data_dir):
    path = keys.ensure_key()
    assert path.parent == store.data_dir() == data_dir
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = keys.public_key_b64()
    keys.ensure_key()
    assert keys.public_key_b64() == first  # never replaced: the province knows it


def test_the_fingerprint_is_eight_words_of_the_list():
    words = keys.fingerprint_words(keys.public_key_b64())
    assert len(words) == 8 and set(words) <= set(key_words.WORDS)
    assert keys.fingerprint(keys.public_key_b64()) == " · ".join(words)


def heard(word: str) -> str:
    """A word as a phone line and a regional accent may blur it: no tones, and the sounds that
    merge (tr/ch, s/x, gi/d/r/v, l/n, final ng/n and c/t, y/i)."""
    out = []
    for syllable in text.fold(word).split():
        syllable = re.sub(r"^tr", "ch", syllable)
        syllable = re.sub(r"^s", "x", syllable)
        syllable = re.sub(r"^(gi|r|v)", "d", syllable)
        syllable = re.sub(r"^l", "n", syllable)
        syllable = re.sub(r"ng$", "n", syllable)
        syllable = re.sub(r"c$", "t", syllable).replace("y", "i")
        out.append(syllable)
    return " ".join(out)


def test_the_256_words_are_distinct_even_when_heard_badly():
    import unicodedata

    words = key_words.WORDS
    assert len(words) == 256 == len(set(words))
    assert all(unicodedata.normalize("NFC", w) == w and len(w.split()) == 2 for w in words)
    assert len({heard(w) for w in words}) == 256


def test_no_package_holds_a_citizens_personal_data_or_a_small_group_count(tmp_path, monkeypatch):
    """Every citizen's name, phone and ID digits, every helper's name: none is in the file's
    bytes; every string of the payload is a place, a team, a milestone or a date; a group within
    a village counted under 5 is "< 5"."""
    db = build.commune(tmp_path, monkeypatch, name="Xã Ea Lành", code="24469", seed=11, count=120)
    _, data = build.make_package(db, with_pdf=True)
    people = list(db.query("select full_name, phone, cccd_last4, birth_year, consent_by from citizens"))
    members = [r[0] for r in db.execute("select full_name from team_members")]
    for person in people:
        assert person["full_name"].encode() not in data
        assert person["full_name"].encode("unicode_escape") not in data
        if person["phone"]:
            assert person["phone"].encode() not in data
    for name in members:
        assert name.encode() not in data
    body = json.loads(data)["payload"]
    pdf = base64.b64decode(body.pop("report_pdf"))
    assert pdf.startswith(b"%PDF")
    allowed = {r[0] for r in db.execute("select name from villages")} | {r[0] for r in db.execute("select code from villages")}
    allowed |= {r[0] for r in db.execute("select name from teams")}

    def strings(value, path=""):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from strings(v, f"{path}/{k}")
        elif isinstance(value, list):
            for v in value:
                yield from strings(v, path)
        elif isinstance(value, str):
            yield path, value

    iso = re.compile(r"^\d{4}-\d{2}-\d{2}(T[\d:]+)?$")
    for path, value in strings(body):
        assert (value in allowed or iso.match(value) or value == "< 5" or path.startswith("/commune/")
                or path in ("/week", "/headline/target_name", "/definition", "/groups/group")), (path, value)
    small, shown = 0, 0
    for village in body["villages"]:
        for counts in village["groups"].values():
            for n in counts.values():
                assert n == "< 5" or n >= 5
                small += n == "< 5"
                shown += n != "< 5"
    assert small and shown  # both happen in a commune of 120: the test saw suppression at work


def test_a_two_gigabyte_file_is_refused_before_a_byte_is_read(tmp_path, monkeypatch):
    huge = tmp_path / "huge.congdanso.json"
    with open(huge, "wb") as out:
        out.truncate(2 * 2**30)  # sparse: 2 GB on paper

    def never(self):
        raise AssertionError("the file was read")

    monkeypatch.setattr(type(huge), "read_bytes", never)
    [(name, refusal)] = list(imports.read_files([huge]))
    assert isinstance(refusal, PackageRefused) and refusal.key == "province.refused.too_big"
    assert refusal.params["size_mb"] == 2048.0
    with pytest.raises(PackageRefused, match="too_big"):
        weekly_package.read(b" " * (weekly_package.MAX_BYTES + 1))


@pytest.mark.parametrize("bomb, key", [
    (b"[" * 1_000_000 + b"]" * 1_000_000, "province.refused.too_deep"),
    (b'{"format": "congdanso.weekly-package", "version": 1, "payload": {"villages": [' + b"{}," * 500_000 + b"{}]}}",
     "province.refused.too_many"),
    (b'{"format": "congdanso.weekly-package", "version": 1, "payload": {"villages": [' + b"{}," * 900 + b"{}]}}",
     "province.refused.schema"),
    (b'{"a": 1, "a": 2}', "province.refused.not_json"),
    (b'{"format": "congdanso.weekly-package", "version": 1, "payload": NaN}', "province.refused.not_json"),
    (b"\xff\xfe not utf-8", "province.refused.not_json"),
    (b'{"format": "something else"}', "province.refused.wrong_format"),
    (b'{"format": "congdanso.weekly-package", "version": 2}', "province.refused.wrong_version"),
])
def test_a_json_bomb_or_a_stranger_file_is_refused_with_its_reason(bomb, key):
    with pytest.raises(PackageRefused) as refused:
        weekly_package.read(bomb)
    assert refused.value.key == key


def test_a_week_is_written_year_dash_w_week():
    assert weekly_package.parse_week("2025-W27")[0].isoformat() == "2025-06-30"
    for bad in ("2025-27", "2025-W54", "W27", ""):
        with pytest.raises(PackageRefused):
            weekly_package.parse_week(bad)


def test_the_key_file_is_never_in_the_repository():
    from tests.conftest import ROOT

    assert not list(ROOT.glob("**/" + keys.KEY_FILE))
    assert keys.KEY_FILE in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_the_import_refuses_what_the_committed_schema_refuses(tmp_path, monkeypatch):
    """The import's compiled validator and JSON Schema 2020-12 agree on changed packages."""
    db = build.commune(tmp_path, monkeypatch, name="Xã Ea Lành", code="24469", seed=7, count=60)
    _, data = build.make_package(db)
    strict = Draft202012Validator(weekly_package.schema())
    changes = [("villages", 0, "groups", "women", "digital", 3), ("headline", "digital", -1),
               ("commune", "code", "24 469"), ("week", "2025-27"), ("headline", "extra", 1), ("definition", ["sms"])]
    for *path, value in changes:
        package = json.loads(data)
        node = package["payload"]
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
        assert list(strict.iter_errors(package)), path
        with pytest.raises(PackageRefused) as refused:
            weekly_package.read(json.dumps(package, ensure_ascii=False).encode())
        assert refused.value.key == "province.refused.schema", path
