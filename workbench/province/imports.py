"""Importing communes' weekly packages into the province (issue 16).

Each file is read with the format's caps, its signature checked, its province compared with
this one, and its key with the key the commune registered. The first package from a commune
the province does not know is held until an official has heard the commune read out its
fingerprint words and confirms them (``confirm_new`` or ``confirm_held``). A week received
again replaces the one before, so importing the same folder twice changes nothing.
Files are written in batches of ``BATCH``, one transaction each: a whole country's week
(3,321 communes) imports in seconds (bench/province_scale.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Iterable

from workbench import i18n, keys, store, weekly_package
from workbench.province import setup, summary
from workbench.weekly_package import PackageRefused

BATCH = 500


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def read_files(paths: Iterable[str | Path], max_bytes: int = weekly_package.MAX_BYTES):
    """(name, bytes or a refusal) per path: a file over the cap is refused before a byte is read."""
    for path in map(Path, paths):
        try:
            size = path.stat().st_size
            if size > max_bytes:
                yield path.name, PackageRefused("province.refused.too_big", size_mb=round(size / 2**20, 1),
                                                limit_mb=round(max_bytes / 2**20, 1))
                continue
            yield path.name, path.read_bytes()
        except OSError as error:
            yield path.name, PackageRefused("province.refused.cannot_read", reason=error.strerror or str(error))


def _check(db, province: str, data: bytes) -> tuple[dict, dict]:
    """(package, payload) when its signature holds and it is for this province."""
    package = weekly_package.read(data)
    body = weekly_package.verified_payload(package)
    if not setup.same_province(body["commune"]["province"], province):
        raise PackageRefused("province.refused.other_province", theirs=body["commune"]["province"], ours=province)
    return package, body


def _store(db, package: dict, body: dict) -> bool:
    """Write one verified package; True when it replaced the commune's package of that week."""
    head = body["headline"]
    payload = dict(body, report_pdf=None)
    pdf = base64.b64decode(body["report_pdf"]) if body.get("report_pdf") else None
    week_start = weekly_package.parse_week(body["week"])[0].isoformat()
    code = body["commune"]["code"]
    replaced = db.execute("select 1 from province_packages where code = ? and week_start = ?",
                          [code, week_start]).fetchone() is not None
    db.execute("insert or replace into province_packages (code, week, week_start, made_at, imported_at, digital, "
               "recorded, target, deadline, projected_date, on_track, new_digital, payload, report_pdf) "
               "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [code, body["week"], week_start, body["made_at"], _now(), head["digital"], head["recorded"],
                head["target"], head["deadline"], head["projected_date"], int(head["on_track"]),
                body["week_activity"]["new_digital"], json.dumps(payload, ensure_ascii=False), pdf])
    db.execute("update province_communes set name = ? where code = ?", [body["commune"]["name"], code])
    return replaced


def _register(db, body: dict, public_key: str, actor: str) -> None:
    db.execute("insert into province_communes (code, name, province, public_key, fingerprint, confirmed_by, "
               "confirmed_at) values (?, ?, ?, ?, ?, ?, ?)",
               [body["commune"]["code"], body["commune"]["name"], body["commune"]["province"], public_key,
                keys.fingerprint(public_key), actor, _now()])
    db.execute("delete from province_held where code = ? and public_key = ?", [body["commune"]["code"], public_key])


def _hold(db, file: str, package: dict, body: dict, data: bytes) -> dict:
    fingerprint = keys.fingerprint(package["public_key"])
    db.execute("insert or replace into province_held (file, code, name, public_key, fingerprint, week, package, "
               "received_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
               [file, body["commune"]["code"], body["commune"]["name"], package["public_key"], fingerprint,
                body["week"], data, _now()])
    return {"file": file, "code": body["commune"]["code"], "commune": body["commune"]["name"],
            "week": body["week"], "fingerprint": fingerprint}


def import_packages(db, files: Iterable[tuple[str, bytes | PackageRefused]], *, confirm_new: bool = False,
                    actor: str = "cli", lang: str = "vi", progress=None) -> dict:
    """Import ``(file name, bytes)`` pairs; returns ``{"imported", "replaced", "refused": [{"file",
    "reason"}], "held": [{"file", "code", "commune", "week", "fingerprint"}]}`` (reasons in ``lang``)."""
    province = setup.name(db)
    report = {"imported": 0, "replaced": 0, "refused": [], "held": []}
    batch: list = []

    def refuse(file: str, error: PackageRefused) -> None:
        report["refused"].append({"file": file, "key": error.key, "reason": i18n.t(error.key, lang, **error.params)})

    def flush() -> None:
        with store.write(db):
            known = {}
            for file, package, body, data in batch:
                code = body["commune"]["code"]
                if code not in known:
                    row = db.execute("select public_key from province_communes where code = ?", [code]).fetchone()
                    known[code] = row[0] if row else None
                if known[code] is None and not confirm_new:
                    report["held"].append(_hold(db, file, package, body, data))
                    continue
                if known[code] is None:
                    _register(db, body, package["public_key"], actor)
                    known[code] = package["public_key"]
                if known[code] != package["public_key"]:
                    refuse(file, PackageRefused("province.refused.unknown_key", commune=body["commune"]["name"],
                                                fingerprint=keys.fingerprint(package["public_key"])))
                    continue
                report["replaced" if _store(db, package, body) else "imported"] += 1
            summary.bump_version(db)
        batch.clear()

    done = 0
    for file, data in files:
        done += 1
        if isinstance(data, PackageRefused):
            refuse(file, data)
            continue
        try:
            package, body = _check(db, province, data)
        except PackageRefused as error:
            refuse(file, error)
            continue
        batch.append((file, package, body, data))
        if len(batch) >= BATCH:
            flush()
            if progress:
                progress(done)
    if batch:
        flush()
    return report


def held(db) -> list[dict]:
    """Packages waiting for an official to confirm their commune's fingerprint."""
    return list(db.query("select id, file, code, name, fingerprint, week, received_at from province_held "
                         "order by received_at, id"))


def confirm_held(db, held_id: int, actor: str, lang: str = "vi") -> dict:
    """The official heard the commune read these words: register its key, import what it sent."""
    row = db.execute("select code, public_key from province_held where id = ?", [held_id]).fetchone()
    if row is None:
        return {"imported": 0, "replaced": 0, "refused": [], "held": []}
    code, public_key = row
    rows = db.execute("select id, file, package from province_held where code = ? and public_key = ? order by id",
                      [code, public_key]).fetchall()
    report = import_packages(db, [(file, data) for _, file, data in rows], confirm_new=True, actor=actor, lang=lang)
    with store.write(db):
        db.execute("delete from province_held where code = ?", [code])
    return report


def forget_held(db, held_id: int) -> None:
    """A package whose words did not match: thrown away, never imported."""
    with store.write(db):
        db.execute("delete from province_held where id = ?", [held_id])
