"""Fake people for the sandbox: Vietnamese names, CCCD numbers, mobile numbers, a demo commune.

Faker's ``vi_VN`` locale is not enough for a commune: its first names are English, it has
ten surnames, it puts the given name first and its phone numbers are not Vietnamese mobiles.
This provider gives names in Vietnamese order with realistic frequencies, ethnic-minority
naming (Ê Đê "Y …"/"H' …" with clan names), CCCD numbers that can never belong to a real
person (province code ``000`` is never issued), and mobile numbers on real operator prefixes.
Deterministic under ``Faker.seed_instance``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from faker import Faker
from faker.providers import BaseProvider

from workbench import data as data_files

# Province code 000 is never issued: no sandbox CCCD can be a real person's.
SANDBOX_PROVINCE_CODE = "000"

# Kinh surnames with their approximate share of the population.
KINH_SURNAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 3, "Huỳnh": 2, "Phan": 4.5,
    "Vũ": 2, "Võ": 2, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1,
    "Lý": 0.5, "Đinh": 0.6, "Trịnh": 0.5, "Lương": 0.4, "Mai": 0.4, "Đào": 0.4, "Cao": 0.3,
    "Lâm": 0.3, "Hà": 0.4, "Tạ": 0.2, "Tô": 0.2, "Chu": 0.2, "Quách": 0.1, "Triệu": 0.1,
}
MIDDLE = {
    "nam": {"Văn": 45, "Đức": 8, "Minh": 8, "Quang": 6, "Hữu": 6, "Công": 5, "Thanh": 4,
            "Xuân": 3, "Ngọc": 3, "Anh": 3, "Hoàng": 3, "Trung": 2, "Tiến": 2, "Thành": 2},
    "nữ": {"Thị": 55, "Ngọc": 7, "Thu": 5, "Thanh": 5, "Thúy": 3, "Phương": 4, "Minh": 3,
           "Kim": 4, "Mỹ": 3, "Hồng": 4, "Bảo": 2, "Khánh": 2, "Diệu": 1},
}
GIVEN = {
    "nam": ["Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh",
            "Long", "Minh", "Nam", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Thành",
            "Tuấn", "Tùng", "Việt", "Vinh", "Hoàng", "Trung", "Đức", "Lâm", "Khoa", "Lộc",
            "Toàn", "Thịnh", "Hưng", "Kiên", "Quang", "Tài", "Trí", "Bảo", "Duy", "Nghĩa"],
    "nữ": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền",
           "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương",
           "Quyên", "Thảo", "Thu", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Xuân", "Hiền",
           "Nhàn", "Lụa", "Hậu", "Duyên", "My", "Trinh", "Diệp", "Ánh", "Hòa", "Thơm"],
}

# Ê Đê: "Y" (men) or "H'" (women), a given name, then the clan name.
EDE_CLANS = ["Niê", "Niê Kdăm", "Mlô", "Mlô Duôn Du", "Êban", "Ayŭn", "Byă", "Hđơk", "Ktla",
             "Knul", "Buôn Yă", "Adrơng", "Êñuôl", "Kpă", "Hmok", "Êya", "Bkrông", "Nay"]
EDE_GIVEN = {
    "nam": ["Ngông", "Bhin", "Djhang", "Jao", "Kông", "Rin", "Thuột", "Blưk", "Khuê", "Sanh",
            "Yơn", "Wưn", "Duen", "Hlơi", "Suôn", "Kuêh", "Mjak", "Nguê", "Bliêng", "Tlam"],
    "nữ": ["Hen", "Linh", "Yơn", "Bla", "Nhi", "Brenh", "Duôn", "Mai", "Nay", "Dơk", "Ngăm",
           "Hlen", "Rin", "Juel", "Blim", "Đuê", "Ni", "Lim", "Wiên", "Mươn"],
}
# Other minorities: surnames typical of the group, middle names by gender, given names.
MINORITY = {
    "Tày": {"surnames": ["Hoàng", "Nông", "Lý", "Lương", "Bế", "Ma", "Đàm", "Lục", "Triệu", "Hà", "La", "Vi"],
            "middle": {"nam": ["Văn", "Đức", "Minh"], "nữ": ["Thị", "Thu"]},
            "given": GIVEN},
    "Thái": {"surnames": ["Lò", "Cầm", "Lường", "Quàng", "Hà", "Vi", "Tòng", "Điêu", "Mè"],
             "middle": {"nam": ["Văn"], "nữ": ["Thị"]},
             "given": {"nam": ["Pọm", "Chiến", "Tịnh", "Xôm", "Pản", "Khăm", "Bun", "Nọi", "Sương", "Phanh"],
                       "nữ": ["Ún", "Éo", "Ón", "Xuân", "Mai", "Pua", "Ỏn", "Hom", "Lả", "Biên"]}},
    "H'Mông": {"surnames": ["Giàng", "Vàng", "Sùng", "Thào", "Lầu", "Mùa", "Hờ", "Lý", "Vừ", "Hạng", "Sình"],
               "middle": {"nam": ["A", "Seo", "Văn"], "nữ": ["Thị", "Mỷ"]},
               "given": {"nam": ["Páo", "Chứ", "Dìa", "Lử", "Sử", "Pó", "Phử", "Súa", "Tú", "Chống"],
                         "nữ": ["Mỷ", "Dợ", "Dua", "Chở", "Pằng", "Sua", "Mai", "Dế", "Cở", "Say"]}},
    "Mường": {"surnames": ["Bùi", "Đinh", "Quách", "Hà", "Xa", "Bạch", "Cao"],
              "middle": {"nam": ["Văn", "Công"], "nữ": ["Thị"]},
              "given": GIVEN},
    "Ca Dong": {"surnames": ["Hồ", "Đinh", "Võ", "Phạm", "Nguyễn"],
                "middle": {"nam": ["Văn"], "nữ": ["Thị"]},
                "given": {"nam": ["Ngọ", "Rum", "Mức", "Vinh", "Bốn", "Mười", "Rin", "Dũng", "Giáo", "Phon"],
                          "nữ": ["Nga", "Mai", "Hoa", "Dêu", "Ní", "Lan", "Thơ", "Vi", "Hiền", "Nhung"]}},
}
ETHNICITIES = ["Kinh", "Ê Đê", *MINORITY]

# Mobile prefixes in use (after the 2018 renumbering), by operator.
MOBILE_PREFIXES = {
    "Viettel": ["086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039"],
    "VinaPhone": ["088", "091", "094", "081", "082", "083", "084", "085"],
    "MobiFone": ["089", "090", "093", "070", "076", "077", "078", "079"],
    "Vietnamobile": ["092", "056", "058"],
    "Gmobile": ["099", "059"],
}
ALL_PREFIXES = {p for prefixes in MOBILE_PREFIXES.values() for p in prefixes}


class InvalidPhone(ValueError):
    """The text is not a Vietnamese mobile number; ``key`` names the message to show."""

    def __init__(self, key: str, value: str):
        self.key = key
        self.value = value
        super().__init__(f"{key}: {value!r}")


def normalise_phone(value: str) -> str:
    """``"+84 912.345.678"`` → ``"0912345678"``. Raises ``InvalidPhone`` saying what is wrong.

    Everything that takes a phone number goes through here, so a number typed with
    spaces, dots, ``+84`` or without its leading zero is the same number everywhere.
    """
    text = (value or "").strip()
    if not text:
        raise InvalidPhone("phone.error.empty", value)
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("84"):
            raise InvalidPhone("phone.error.not_vietnamese", value)
    if not digits.isdigit():
        raise InvalidPhone("phone.error.not_digits", value)
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif len(digits) == 9 and not digits.startswith("0"):
        digits = "0" + digits
    if len(digits) != 10:
        raise InvalidPhone("phone.error.length", value)
    if digits[:3] not in ALL_PREFIXES:
        raise InvalidPhone("phone.error.prefix", value)
    return digits


def spaced_cccd(cccd: str) -> str:
    """``"000185123456"`` → ``"0001 8512 3456"``: twelve digits in fours, easy to read off a
    screen and type (the VNeID screens accept the spaces)."""
    return " ".join(cccd[i:i + 4] for i in range(0, len(cccd), 4))


def spaced_phone(phone: str) -> str:
    """``"0912345678"`` → ``"0912 345 678"``, the way Vietnamese numbers are said aloud."""
    return f"{phone[:4]} {phone[4:7]} {phone[7:]}" if len(phone) == 10 else phone


def operator_of(phone: str) -> str | None:
    prefix = normalise_phone(phone)[:3]
    return next((name for name, prefixes in MOBILE_PREFIXES.items() if prefix in prefixes), None)


def cccd_century_gender_digit(birth_year: int, gender: str) -> str:
    century = (birth_year // 100) - 19  # 1900s → 0, 2000s → 1, 2100s → 2
    if not 0 <= century <= 4:
        raise ValueError(f"birth year {birth_year} outside the CCCD scheme")
    return str(century * 2 + (1 if gender == "nữ" else 0))


def is_valid_cccd(value: str) -> bool:
    """The 12-digit structure: province (3), century/gender (1), birth year (2), serial (6)."""
    return bool(value) and len(value) == 12 and value.isdigit() and value[3] in "0123456789"


def is_sandbox_cccd(value: str) -> bool:
    return is_valid_cccd(value) and value.startswith(SANDBOX_PROVINCE_CODE)


def cccd_birth_year_and_gender(value: str) -> tuple[int, str]:
    digit = int(value[3])
    return 1900 + (digit // 2) * 100 + int(value[4:6]), ("nữ" if digit % 2 else "nam")


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    population: int
    households: int
    ethnic_mix: dict


@dataclass(frozen=True)
class Commune:
    name: str
    district: str
    province: str
    villages: tuple[Village, ...]
    members_per_team: int

    @property
    def population(self) -> int:
        return sum(v.population for v in self.villages)


@lru_cache(maxsize=4)
def load_commune(path: Path | None = None) -> Commune:
    """The demo commune from ``sandbox_data/commune.toml``."""
    data = data_files.load_file(path) if path else data_files.load("commune")
    villages = tuple(Village(**v) for v in data["villages"])
    info = data["commune"]
    # No huyện since 1/7/2025 (sandbox_data/rules/government.toml): an old data file's
    # district is read but nothing current shows it.
    return Commune(info["name"], info.get("district", ""), info["province"], villages,
                   data["teams"]["members_per_team"])


@dataclass
class Person:
    full_name: str
    gender: str  # "nam" | "nữ"
    birth_date: str  # ISO
    ethnicity: str
    cccd: str
    phone: str
    village: str

    def as_dict(self) -> dict:
        return asdict(self)


def _weighted(random, table: dict):
    names = list(table)
    return random.choices(names, weights=[table[n] for n in names], k=1)[0]


class CommuneProvider(BaseProvider):
    """Faker provider for a rural Vietnamese commune. Add it to any ``Faker`` instance."""

    def vn_gender(self) -> str:
        return self.generator.random.choice(["nam", "nữ"])

    def vn_full_name(self, gender: str | None = None, ethnicity: str = "Kinh") -> str:
        random = self.generator.random
        gender = gender or self.vn_gender()
        if ethnicity == "Ê Đê":
            prefix = "Y" if gender == "nam" else "H'"
            return f"{prefix} {random.choice(EDE_GIVEN[gender])} {random.choice(EDE_CLANS)}"
        if ethnicity in MINORITY:
            group = MINORITY[ethnicity]
            return " ".join([
                random.choice(group["surnames"]),
                random.choice(group["middle"][gender]),
                random.choice(group["given"][gender]),
            ])
        return " ".join([
            _weighted(random, KINH_SURNAMES),
            _weighted(random, MIDDLE[gender]),
            random.choice(GIVEN[gender]),
        ])

    def vn_birth_date(self, min_age: int = 16, max_age: int = 85, today: dt.date | None = None) -> dt.date:
        random = self.generator.random
        today = today or dt.date(2026, 1, 1)
        age = min(max_age, max(min_age, int(random.triangular(min_age, max_age, 32))))
        start = dt.date(today.year - age - 1, today.month, 1)
        return start + dt.timedelta(days=random.randrange(0, 365))

    def vn_cccd(self, birth_date: dt.date | None = None, gender: str | None = None) -> str:
        random = self.generator.random
        birth_date = birth_date or self.vn_birth_date()
        gender = gender or self.vn_gender()
        serial = "".join(random.choice("0123456789") for _ in range(6))
        return (
            SANDBOX_PROVINCE_CODE
            + cccd_century_gender_digit(birth_date.year, gender)
            + f"{birth_date.year % 100:02d}"
            + serial
        )

    def vn_mobile(self) -> str:
        random = self.generator.random
        operator = _weighted(random, {"Viettel": 50, "VinaPhone": 22, "MobiFone": 20, "Vietnamobile": 5, "Gmobile": 3})
        prefix = random.choice(MOBILE_PREFIXES[operator])
        return prefix + "".join(random.choice("0123456789") for _ in range(7))

    def vn_village(self, commune: Commune | None = None) -> Village:
        commune = commune or load_commune()
        return self.generator.random.choices(
            commune.villages, weights=[v.population for v in commune.villages], k=1
        )[0]

    def vn_person(self, commune: Commune | None = None, **overrides) -> Person:
        random = self.generator.random
        village = self.vn_village(commune)
        ethnicity = overrides.get("ethnicity") or _weighted(random, village.ethnic_mix)
        gender = overrides.get("gender") or self.vn_gender()
        birth = self.vn_birth_date()
        if overrides.get("birth_date"):
            birth = dt.date.fromisoformat(str(overrides["birth_date"]))
        return Person(
            full_name=overrides.get("full_name") or self.vn_full_name(gender, ethnicity),
            gender=gender,
            birth_date=birth.isoformat(),
            ethnicity=ethnicity,
            cccd=self.vn_cccd(birth, gender),
            phone=self.vn_mobile(),
            village=overrides.get("village") or village.name,
        )


def make_faker(seed: int | None = None) -> Faker:
    """A ``vi_VN`` Faker with the commune provider, seeded when ``seed`` is given."""
    fake = Faker("vi_VN")
    fake.add_provider(CommuneProvider)
    if seed is not None:
        fake.seed_instance(seed)
    return fake


def people(count: int, seed: int = 0) -> list[Person]:
    """``count`` people, the same for the same seed, no two sharing an ID number or a phone
    number (issue 14: 2,000 people of seed 7 held one CCCD twice). A person whose number is
    taken is drawn again from the same seeded generator, so the set stays deterministic."""
    fake = make_faker(seed)
    found: list[Person] = []
    cccds: set[str] = set()
    phones: set[str] = set()
    while len(found) < count:
        person = fake.vn_person()
        if person.cccd in cccds or person.phone in phones:
            continue
        cccds.add(person.cccd)
        phones.add(person.phone)
        found.append(person)
    return found
