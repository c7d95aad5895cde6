"""The milestone "Hoàn thành Bình dân học vụ số" on the tracker's pages (issue 13): quick entry
offers it in both languages with its help read from the rules in force, and an official can add
it to the commune's definition of a "công dân số" on the administration page."""

import pytest

from tests.pages.apptest import page
from workbench import databases, rules
from workbench.tracker import auth, citizens, demo, places, realtime, settings

NAME = {"vi": "Hoàn thành Bình dân học vụ số",
        "en": "Completed Bình dân học vụ số (national digital-skills course)"}


@pytest.fixture
def register(data_dir):
    db = databases.tracker()
    demo.seed(db, count=0)
    official = auth.create_first_official(db, username="chu.tich", display_name="Chủ tịch xã", secret="matkhau-123")
    village = places.villages(db)[0]["id"]
    volunteer = auth.create_user(db, auth.session_user(db, official), username="tnv.lan", display_name="Hà Thị Lan",
                                 role="volunteer", secret="123456", village_ids=[village])
    return {"db": db, "official": official, "volunteer": volunteer, "village": village}


def new_person(app, name="Y Bhim Mlô"):
    app.button(key="entry_add_new").click().run()
    app.text_input(key="new_full_name").input(name)
    app.text_input(key="new_birth_year").input("1985")
    app.radio(key="new_gender").set_value("nam")
    app.text_input(key="new_ethnicity").input("Ê Đê")
    app.checkbox(key="new_consent").check()
    return app.button(key="entry_new_continue").click().run()


# AppTest formats a select box's or radio's options outside the page's run, where the language
# is Vietnamese: the person is typed in Vietnamese, then the page is switched to each language.
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_quick_entry_offers_bdhvs_with_its_help_from_the_rules(register, lang):
    app = new_person(page("tracker/entry.py", tracker_user_id=register["volunteer"]))
    assert not app.exception and app.session_state["entry_step"] == "milestones"
    app = app.radio(key="language_switch").set_value(lang).run()
    box = app.checkbox(key="ms_bdhvs")
    assert box.label == NAME[lang]
    assert rules.value("bdhvs.platform", realtime.today(), lang) in box.help
    labels = [c.label for c in app.checkbox if c.key.startswith("ms_")]
    assert labels.index(NAME[lang]) == labels.index(app.checkbox(key="ms_wallet").label) + 1


def test_a_volunteer_records_bdhvs(register):
    app = new_person(page("tracker/entry.py", tracker_user_id=register["volunteer"]))
    app.checkbox(key="ms_bdhvs").check().run()
    app.button(key="entry_save").click().run()
    assert not app.exception and app.session_state["entry_step"] == "done"
    [found] = citizens.search(register["db"], "y bhim mlo")
    assert set(citizens.milestones_of(register["db"], found["id"])) == {"bdhvs"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_admin_page_offers_bdhvs_for_the_definition(register, lang):
    app = page("tracker/admin.py", tracker_user_id=register["official"], lang=lang)
    assert not app.exception
    box = app.checkbox(key="admin_def_bdhvs")
    assert box.label == NAME[lang] and not box.value  # offered, not in the default definition
    assert rules.value("bdhvs.platform", realtime.today(), lang) in box.help and "VNeID" in box.help


def test_an_official_adds_bdhvs_to_the_definition(register):
    db = register["db"]
    today = realtime.today().isoformat()
    for name, extra in (("Y Một", {}), ("Y Hai", {"bdhvs": today})):
        citizens.save_entry(db, actor="t", helped_by="Lan", milestones={**dict.fromkeys(settings.DEFAULT_DEFINITION,
                                                                                          today), **extra},
                            citizen={"full_name": name, "birth_year": 1980, "gender": "nam", "ethnicity": "Ê Đê",
                                     "village": register["village"], "consent_by": "Lan", "consent_date": today})
    app = page("tracker/admin.py", tracker_user_id=register["official"])
    app.checkbox(key="admin_def_bdhvs").check()
    [save] = [b for b in app.button if b.key.startswith("FormSubmitter:admin_definition")]
    app = save.click().run()
    assert not app.exception
    assert settings.definition(db) == (*settings.DEFAULT_DEFINITION, "bdhvs")
    assert app.checkbox(key="admin_def_bdhvs").value
    digital = [r[0] for r in db.execute("select full_name from citizens where digital_date is not null")]
    assert digital == ["Y Hai"]
