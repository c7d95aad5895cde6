"""The fake commune: Vietnamese names, CCCD numbers that can never be real, mobile numbers."""

import collections
import csv
import io
import subprocess
import sys
import unicodedata

import pytest

from workbench import fakes
from tests.conftest import ROOT


def test_kinh_names_are_surname_middle_given_with_gender_consistent_middle_names(fake):
    men = [fake.vn_full_name("nam", "Kinh") for _ in range(300)]
    women = [fake.vn_full_name("nữ", "Kinh") for _ in range(300)]
    assert all(len(n.split()) == 3 for n in men + women)
    assert all(n.split()[0] in fakes.KINH_SURNAMES for n in men + women)
    assert not any(n.split()[1] == "Thị" for n in men)
    assert not any(n.split()[1] == "Văn" for n in women)
    assert sum(n.split()[1] == "Thị" for n in women) > 100


def test_surnames_follow_realistic_frequencies(fake):
    counts = collections.Counter(fake.vn_full_name(ethnicity="Kinh").split()[0] for _ in range(3000))
    assert counts.most_common(1)[0][0] == "Nguyễn"
    assert 0.30 < counts["Nguyễn"] / 3000 < 0.46
    assert len(counts) > 15  # far more than Faker vi_VN's ten


def test_ede_names_use_y_or_h_and_a_clan_name(fake):
    for _ in range(50):
        man, woman = fake.vn_full_name("nam", "Ê Đê"), fake.vn_full_name("nữ", "Ê Đê")
        assert man.startswith("Y ") and woman.startswith("H' ")
        assert any(man.endswith(clan) for clan in fakes.EDE_CLANS)


@pytest.mark.parametrize("ethnicity", ["Tày", "Thái", "H'Mông", "Mường", "Ca Dong"])
def test_minority_names_use_the_groups_surnames(fake, ethnicity):
    names = [fake.vn_full_name("nữ", ethnicity) for _ in range(30)]
    assert all(n.split()[0] in fakes.MINORITY[ethnicity]["surnames"] for n in names)


def test_names_are_nfc(fake):
    for _ in range(200):
        name = fake.vn_person().full_name
        assert unicodedata.normalize("NFC", name) == name


def test_cccd_has_the_real_structure_with_the_never_issued_province_000(fake):
    for _ in range(200):
        person = fake.vn_person()
        assert fakes.is_valid_cccd(person.cccd) and fakes.is_sandbox_cccd(person.cccd)
        year, gender = fakes.cccd_birth_year_and_gender(person.cccd)
        assert year == int(person.birth_date[:4]) and gender == person.gender


@pytest.mark.parametrize("year,gender,digit", [(1985, "nam", "0"), (1985, "nữ", "1"), (2005, "nam", "2"), (2005, "nữ", "3")])
def test_century_and_gender_digit(year, gender, digit):
    assert fakes.cccd_century_gender_digit(year, gender) == digit


@pytest.mark.parametrize("value", ["", "12345678901", "1234567890123", "00109012345a"])
def test_cccd_validator_rejects_wrong_shapes(value):
    assert not fakes.is_valid_cccd(value)


def test_mobiles_have_ten_digits_on_real_operator_prefixes(fake):
    for _ in range(300):
        phone = fake.vn_mobile()
        assert len(phone) == 10 and phone[:3] in fakes.ALL_PREFIXES
        assert fakes.normalise_phone(phone) == phone


@pytest.mark.parametrize("typed", ["0912345678", "+84 912 345 678", "84912345678", "0912.345.678", "912345678", "(091) 234-5678"])
def test_phone_normaliser_accepts_how_people_type_numbers(typed):
    assert fakes.normalise_phone(typed) == "0912345678"


@pytest.mark.parametrize("typed,key", [
    ("", "phone.error.empty"), ("+1 202 555 0100", "phone.error.not_vietnamese"),
    ("09123abc78", "phone.error.not_digits"), ("091234567", "phone.error.length"),
    ("0112345678", "phone.error.prefix"),
])
def test_phone_normaliser_says_what_is_wrong(typed, key):
    with pytest.raises(fakes.InvalidPhone) as caught:
        fakes.normalise_phone(typed)
    assert caught.value.key == key


def test_same_seed_same_people_different_seed_different_people():
    assert fakes.people(20, seed=7) == fakes.people(20, seed=7)
    assert fakes.people(20, seed=7) != fakes.people(20, seed=8)


def test_demo_commune_is_fictional_with_12_to_20_villages_and_teams_of_five():
    commune = fakes.load_commune()
    assert 12 <= len(commune.villages) <= 20
    assert commune.members_per_team == 5
    assert commune.population > 15000
    assert all(abs(sum(v.ethnic_mix.values()) - 1) < 1e-9 for v in commune.villages)
    assert len({v.code for v in commune.villages}) == len(commune.villages)


def test_personas_cli_writes_csv_with_the_documented_columns():
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "personas", "--count", "5", "--seed", "3", "--format", "csv"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5
    assert set(["full_name", "gender", "birth_date", "ethnicity", "cccd", "phone", "village"]) <= set(rows[0])
    assert all(r["gender"] in ("nam", "nữ") and r["cccd"].startswith("000") for r in rows)
    again = subprocess.run(
        [sys.executable, "-m", "workbench", "personas", "--count", "5", "--seed", "3"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    assert again.stdout == result.stdout


@pytest.mark.parametrize("count", [2000, 10000])
def test_a_generated_set_never_repeats_an_id_number_or_a_phone_number(count):
    """Issue 14: ``personas --count 2000 --seed 7`` printed one CCCD twice."""
    people = fakes.people(count, seed=7)
    assert len(people) == count
    assert len({p.cccd for p in people}) == count
    assert len({p.phone for p in people}) == count
    assert [p.cccd for p in people[:50]] == [p.cccd for p in fakes.people(50, seed=7)]
