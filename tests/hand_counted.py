"""A small commune whose every dashboard number is known by hand (issue 8): the fixture
``commune`` (tests/conftest.py) builds it for the figures, charts, report and dashboard tests.

Two villages: A (100 people) and B (200 people), one team each. Four citizens; the default
definition of a "công dân số" is VNeID level 2, public-service account, e-health book, bank
account and e-wallet payment (seed 004). The figures are read "as of" 31/03/2025.

    c1  A  nữ   Kinh   1950  sim + vneid2 06/01 (Mon), the other four 08/01  → digital 08/01
    c2  A  nam  Ê Đê   1990  the five on 10/03 (a Monday)                     → digital 10/03
    c3  B  nữ   Ê Đê   1980  sim + vneid2 on 03/02                            → not digital
    c4  B  nam  kinh   1960  sim + the five on 20/03, first dossier 25/03     → digital 20/03
"""

from workbench.tracker import citizens, places, targets

END = "2025-03-31"
FIVE = ("vneid2", "dvc", "health_book", "bank", "wallet")


def commune(db) -> dict:
    """Build it in ``db`` (an empty tracker): the ids of its villages, teams and citizens."""
    places.set_commune(db, "Xã Thử", "Tỉnh Thử", actor="test")
    a = places.save_village(db, name="Thôn A", code="A", population=100, households=25, actor="test")
    b = places.save_village(db, name="Thôn B", code="B", population=200, households=50, actor="test")
    ta = places.save_team(db, name="Tổ A", village_id=a, actor="test")
    tb = places.save_team(db, name="Tổ B", village_id=b, actor="test")

    def citizen(name, village, gender, ethnicity, year, milestones):
        citizen_id = citizens.add(db, full_name=name, birth_year=year, gender=gender, ethnicity=ethnicity,
                                         village=village, consent_by="Tổ trưởng", consent_date="2025-01-02",
                                         actor="test")
        for milestone, day in milestones.items():
            citizens.record_milestone(db, citizen_id, milestone, day, helped_by="Tổ trưởng", actor="test")
        return citizen_id

    ids = {
        "c1": citizen("Lê Thị Một", a, "nữ", "Kinh", 1950,
                      {"sim": "2025-01-06", "vneid2": "2025-01-06", **{m: "2025-01-08" for m in FIVE[1:]}}),
        "c2": citizen("Y Hai Niê", a, "nam", "Ê Đê", 1990, {m: "2025-03-10" for m in FIVE}),
        "c3": citizen("H'Ba Mlô", b, "nữ", "Ê Đê", 1980, {"sim": "2025-02-03", "vneid2": "2025-02-03"}),
        "c4": citizen("Trần Văn Bốn", b, "nam", "kinh", 1960,
                      {"sim": "2025-03-20", **{m: "2025-03-20" for m in FIVE}, "dossier": "2025-03-25"}),
    }
    targets.add(db, name="10 công dân số", metric="digital", kind="number", value=10,
                       deadline="2025-12-31", actor="test")
    return {"db": db, "a": a, "b": b, "ta": ta, "tb": tb, **ids}
