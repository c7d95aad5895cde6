"""Filing regardless of administrative boundary within the province (issue 13, Decree
118/2025/NĐ-CP): a persona from another commune of the demo province files here, online and
at the desk; one from another province is told where to file; before 1/7/2025 the commune
took only its own residents' dossiers (the rule in force on the sandbox clock's date)."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench import clock, fakes
from workbench.sandbox import personas, scenarios
from workbench.sandbox.dossiers import desk, jurisdiction, records, samples
from workbench.sandbox.dossiers.schema import DossierError


def make(db, home):
    return scenarios.create(db, "ready", home=home)


def test_a_persona_from_another_commune_of_the_province_files_online_and_the_desk_receives_it(sandbox_db):
    person = make(sandbox_db, "same_province")
    assert person["commune"] == "Xã Cư Sen" and person["province"] == fakes.load_commune().province
    row = samples.file_sample(sandbox_db, person["id"], "chung_thuc_ban_sao")
    assert row["status"] == "submitted"
    assert row["answers"]["requester_address"].endswith("Xã Cư Sen, " + person["province"])
    assert desk.receive(sandbox_db, row["code"])["status"] == "received"


def test_a_persona_from_another_commune_of_the_province_files_at_the_desk(sandbox_db):
    person = make(sandbox_db, "same_province")
    assert desk.file_at_desk(sandbox_db, person["id"], "tam_tru")["status"] == "received"


def test_a_persona_from_another_province_is_told_where_to_file(sandbox_db):
    person = make(sandbox_db, "other_province")
    with pytest.raises(DossierError) as online:
        samples.file_sample(sandbox_db, person["id"], "chung_thuc_ban_sao")
    assert online.value.key == "dossiers.error.other_province"
    assert online.value.params["province"] == "Tỉnh Lâm Sơn"
    with pytest.raises(DossierError) as at_desk:
        desk.file_at_desk(sandbox_db, person["id"], "tam_tru")
    assert at_desk.value.key == "dossiers.error.other_province"
    assert records.for_persona(sandbox_db, person["id"], include_drafts=True) == []


def test_the_demo_communes_own_residents_are_accepted_and_their_address_has_no_district(sandbox_db):
    person = make(sandbox_db, "here")
    assert jurisdiction.refusal(person, clock.now(sandbox_db).date()) is None
    assert "Huyện" not in personas.address(person)


def test_before_the_two_tier_reform_another_commune_was_refused():
    person = {"village": "Thôn 3", "commune": "Xã Cư Sen", "province": fakes.load_commune().province}
    assert jurisdiction.refusal(person, dt.date(2026, 12, 1)) is None
    key, params = jurisdiction.refusal(person, dt.date(2025, 6, 30))
    assert key == "dossiers.error.other_commune" and params["commune"] == "Xã Cư Sen"


def test_an_unknown_home_is_refused(sandbox_db):
    with pytest.raises(personas.UnknownHome):
        personas.create(sandbox_db, home="moon")
