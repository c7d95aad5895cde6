"""The province's end (issue 16): packages from two demo communes imported, verified and summed;
what is refused and why; a week received twice; the first package from a new commune held
until its fingerprint is confirmed; the CLI's JSON."""

import json

import pytest

from tests import province_builders as build
from workbench import cli, keys, weekly_package
from workbench.province import imports, summary
from workbench.tracker import dashboard, package


@pytest.fixture
def two_communes(tmp_path, monkeypatch):
    """Two communes' packages for last week, and each commune's own dashboard figures."""
    week = package.last_full_week()
    end = min(weekly_package.parse_week(week)[1], dashboard.realtime.today()).isoformat()
    made = {}
    for name, code, seed in (("Xã Ea Lành", "24469", 1), ("Xã Cư Pơng", "24470", 2)):
        db = build.commune(tmp_path, monkeypatch, name=name, code=code, seed=seed, count=250 + 50 * seed)
        file, data = build.make_package(db, week)
        made[code] = {"file": file, "data": data, "figures": dashboard.figures(db, dashboard.Filters(end=end)),
                      "fingerprint": keys.fingerprint(keys.public_key_b64())}
    return week, made


def test_the_summary_equals_each_communes_own_dashboard(tmp_path, monkeypatch, two_communes):
    week, made = two_communes
    db = build.province(tmp_path, monkeypatch)
    report = build.import_all(db, [(m["file"], m["data"]) for m in made.values()])
    assert report == {"imported": 2, "replaced": 0, "refused": [], "held": []}
    rows = {row["code"]: row for row in summary.summary(db, week)}
    assert set(rows) == set(made)
    for code, m in made.items():
        head = m["figures"]["headline"]
        assert rows[code]["reported"] is True and rows[code]["week"] == week
        assert rows[code]["digital_citizens"] == head["digital"] and head["digital"] > 0
        assert rows[code]["target"] == head["goal"]
        assert rows[code]["projected_date"] == head["projected"]
        assert rows[code]["on_track"] == head["on_track"]
        body = json.loads(db.execute("select payload from province_packages where code = ?", [code]).fetchone()[0])
        assert body["milestones"] == {r["milestone"]: r["citizens"] for r in m["figures"]["funnel"]}
        assert [(v["name"], v["digital"]) for v in body["villages"]] == [(v["name"], v["digital"])
                                                                        for v in m["figures"]["villages"]]
    assert summary.totals(list(rows.values()))["digital"] == sum(m["figures"]["headline"]["digital"]
                                                                 for m in made.values())


def test_a_commune_that_has_not_sent_the_week_is_not_reported(tmp_path, monkeypatch, two_communes):
    week, made = two_communes
    db = build.province(tmp_path, monkeypatch)
    build.import_all(db, [(m["file"], m["data"]) for m in made.values()])
    next_week = weekly_package.week_label(weekly_package.parse_week(week)[0] + dashboard.dt.timedelta(days=7))
    rows = summary.summary(db, next_week)
    assert [r["reported"] for r in rows] == [False, False]
    assert {r["figures_week"] for r in rows} == {week}  # the last figures each commune sent
    assert [r["code"] for r in summary.not_reported(rows)] == [r["code"] for r in rows]


def test_reimporting_a_week_replaces_it(tmp_path, monkeypatch, two_communes):
    week, made = two_communes
    db = build.province(tmp_path, monkeypatch)
    files = [(m["file"], m["data"]) for m in made.values()]
    build.import_all(db, files)
    again = build.import_all(db, files)
    assert again == {"imported": 0, "replaced": 2, "refused": [], "held": []}
    assert db.execute("select count(*) from province_packages").fetchone()[0] == 2


def test_a_changed_byte_another_province_and_an_unknown_key_are_each_refused_with_a_reason(
        tmp_path, monkeypatch, two_communes):
    week, made = two_communes
    first = made["24469"]
    digital = first["figures"]["headline"]["digital"]
    changed = first["data"].replace(f'"digital":{digital},'.encode(), f'"digital":{digital + 100},'.encode(), 1)
    assert changed != first["data"]
    elsewhere = build.commune(tmp_path, monkeypatch, name="Xã Khác", code="30001", seed=3, province="Tỉnh Lâm Xanh")
    _, other_province = build.make_package(elsewhere, week)
    # the same commune code, signed on another laptop: a key the province never heard read out
    impostor = build.commune(tmp_path, monkeypatch, name="Xã Ea Lành", code="24469", seed=4)
    _, unknown_key = build.make_package(impostor, week)

    db = build.province(tmp_path, monkeypatch)
    build.import_all(db, [(first["file"], first["data"])])
    report = imports.import_packages(db, [("changed.json", changed), ("other.json", other_province),
                                          ("impostor.json", unknown_key)], confirm_new=True, lang="en")
    reasons = {r["file"]: r for r in report["refused"]}
    assert reasons["changed.json"]["key"] == "province.refused.bad_signature"
    assert "changed after the commune signed it" in reasons["changed.json"]["reason"]
    assert reasons["other.json"]["key"] == "province.refused.other_province"
    assert "Tỉnh Lâm Xanh" in reasons["other.json"]["reason"] and "Tỉnh Đắk Sen" in reasons["other.json"]["reason"]
    assert reasons["impostor.json"]["key"] == "province.refused.unknown_key"
    assert "Xã Ea Lành" in reasons["impostor.json"]["reason"]
    assert report["imported"] == report["replaced"] == 0
    vi = imports.import_packages(db, [("changed.json", changed)], lang="vi")["refused"][0]["reason"]
    assert vi.startswith("Chữ ký không khớp")


def test_the_first_package_from_a_new_commune_waits_for_its_fingerprint(tmp_path, monkeypatch, two_communes):
    week, made = two_communes
    first = made["24469"]
    db = build.province(tmp_path, monkeypatch)
    report = build.import_all(db, [(first["file"], first["data"])], confirm_new=False)
    assert report["imported"] == 0 and report["held"][0]["fingerprint"] == first["fingerprint"]
    assert summary.summary(db, week) == []
    [waiting] = imports.held(db)
    assert waiting["fingerprint"] == first["fingerprint"]
    confirmed = imports.confirm_held(db, waiting["id"], actor="cán bộ tỉnh")
    assert confirmed["imported"] == 1 and imports.held(db) == []
    assert summary.summary(db, week)[0]["reported"] is True


def test_the_cli_makes_imports_and_sums_up_with_one_json_object_each(tmp_path, monkeypatch, capsys):
    week = package.last_full_week()
    build.commune(tmp_path, monkeypatch, name="Xã Ea Lành", code="24469", seed=5)
    out = tmp_path / "packages"
    out.mkdir()
    assert cli.main(["tracker", "package", "--week", week, "--out", str(out), "--no-pdf"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert {"file", "commune", "week", "digital_citizens", "fingerprint"} <= set(made)
    assert made["week"] == week and made["commune"] == "Xã Ea Lành"

    build.use(tmp_path / "province", monkeypatch)
    assert cli.main(["init", "--province", "Tỉnh Đắk Sen"]) == 0
    capsys.readouterr()
    assert cli.main(["province", "import", made["file"], "--json"]) == 1  # held: nobody heard the words yet
    held = json.loads(capsys.readouterr().out)
    assert held["imported"] == 0 and held["held"][0]["fingerprint"] == made["fingerprint"]
    assert cli.main(["province", "import", made["file"], "--json", "--confirm-new"]) == 0
    assert json.loads(capsys.readouterr().out) == {"imported": 1, "replaced": 0, "refused": [], "held": []}
    assert cli.main(["province", "summary", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["commune"] == "Xã Ea Lành" and row["week"] == week and row["reported"] is True
    assert row["digital_citizens"] == made["digital_citizens"]
    assert {"target", "projected_date"} <= set(row)


def test_the_cli_says_what_to_set_when_the_commune_code_is_missing(tmp_path, monkeypatch, capsys, tracker_db):
    from workbench.tracker import demo

    demo.seed(tracker_db, count=30)
    assert cli.main(["tracker", "package", "--week", package.last_full_week(), "--out", str(tmp_path)]) == 1
    said = capsys.readouterr()
    assert said.out == "" and "--commune-code" in said.err and "Quản trị" in said.err


def test_a_province_cli_in_a_commune_folder_says_how_to_set_up(capsys):
    assert cli.main(["province", "summary", "--json"]) == 2
    assert "init --province" in capsys.readouterr().err


def test_the_province_pdf_is_one_page_and_the_csv_opens_in_a_spreadsheet(tmp_path, monkeypatch, two_communes):
    from tests.test_tracker_report import pages
    from workbench.province import report

    week, made = two_communes
    db = build.province(tmp_path, monkeypatch)
    build.import_all(db, [(m["file"], m["data"]) for m in made.values()])
    for lang in ("vi", "en"):
        pdf = report.build(db, build.PROVINCE, week, lang)
        assert pdf.startswith(b"%PDF") and pages(pdf) == 1
    rows = summary.summary(db, week)
    text = summary.to_csv(rows).decode("utf-8")
    assert text.startswith("\ufeffcode,commune,week,reported")
    assert "Xã Cư Pơng" in text and "Xã Ea Lành" in text
