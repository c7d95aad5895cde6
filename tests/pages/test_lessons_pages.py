"""The lesson player, the handouts page and the lesson strip on sandbox pages (AppTest).

The player's watcher is a fragment AppTest cannot drive, so these tests act on
the sandbox through the domain (as the sandbox pages would) and run the page again.
"""


from html.parser import HTMLParser

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import page
from workbench import databases
from workbench.learning.lessons import progress, validator
from workbench.sandbox import phone, scenarios
from pages._ui import nav
from tests.conftest import ROOT
import tomllib



def hrefs(markup: str) -> list[str]:
    """The links in ``markup`` as a browser reads them (``&amp;`` in an attribute is ``&``)."""
    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                found.append(dict(attrs).get("href"))

    Links().feed(markup)
    return found


def text_of(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [h.value for h in app.html]  # st.html: the strip, the step (issue 14)
    parts += [c.value for c in app.caption] + [s.value for s in app.header]
    parts += [e.value for e in app.warning] + [e.value for e in app.info] + [e.value for e in app.success]
    return "\n".join(parts)


def button(app: AppTest, key: str):
    return next(b for b in app.button if b.key == key)


def test_the_list_shows_every_lesson_in_both_languages():
    for lang, heading in (("vi", "Học từng bước"), ("en", "Step-by-step lessons")):
        app = page("learning/lessons.py", lang=lang)
        assert not app.exception
        assert app.title[0].value == heading
        assert len([s for s in app.header]) == 10
        assert sum(1 for b in app.button if b.key.startswith("pick_")) == 10


def test_picking_a_lesson_makes_a_persona_in_its_starting_state_and_shows_step_one():
    app = page("learning/lessons.py")
    button(app, "pick_sim_check").click().run()
    assert "SIM đứng tên người khác" in button(app, "lesson_new_persona").label
    button(app, "lesson_new_persona").click().run()
    assert not app.exception
    persona_id = app.session_state["persona_id"]
    assert app.query_params["p"] == persona_id
    assert "Bước 1/3" in text_of(app) and "TTTB" in text_of(app)
    assert not phone.is_standardised(databases.sandbox(), persona_id)
    # No "I did it" button for a step the sandbox can check.
    assert not [b for b in app.button if b.key.startswith("tick_")]


def test_a_step_ticks_itself_when_the_learner_does_it_and_a_reload_continues():
    db = databases.sandbox()
    person = progress.start_with_new_persona(db, "sim_check")
    phone.check_sim(db, person["id"])  # what the phone page does when TTTB is sent to 1414
    app = page("learning/lessons.py", query={"p": person["id"]})  # a reload with only ?p=: resumes the lesson
    assert not app.exception
    assert "Đã xong 1/3 bước" in [p.proto.text for p in app.get("progress")][0]
    assert "Bước 2/3" in text_of(app)


def test_the_resume_link_is_plain_text_so_a_phone_loads_no_code_highlighter():
    db = databases.sandbox()
    person = progress.start_with_new_persona(db, "vneid_activation")
    app = page("learning/lessons.py", query={"p": person["id"]})
    assert not app.exception
    # The link a person taps, as the browser reads it (attributes unescaped): no "&amp;" left in it.
    links = [href for h in app.html if "cds-resume-link" in h.value for href in hrefs(h.value)]
    assert [link.rsplit("/", 1)[-1] for link in links] == [f"lessons?p={person['id']}&lesson=vneid_activation"]
    assert not app.get("code")  # st.code makes every phone fetch a 1.5 MB highlighter


def test_a_hint_appears_after_a_wrong_attempt_seen_in_the_events():
    db = databases.sandbox()
    person = progress.start_with_new_persona(db, "vneid_activation")
    with pytest.raises(Exception):
        from workbench.sandbox import eid

        eid.start_activation(db, person["id"], "123", person["phone"])
    app = page("learning/lessons.py", query={"p": person["id"]})
    assert "Số định danh cá nhân phải đủ 12 chữ số" in text_of(app)


def test_a_manual_step_is_ticked_by_a_button_then_the_quiz_and_the_summary():
    db = databases.sandbox()
    person = progress.start_with_new_persona(db, "guiding_not_doing")
    for step in ("citizen_starts", "citizen_otp", "citizen_secrets", "citizen_finishes"):
        db.execute("insert into lesson_steps values (?, ?, ?, ?, ?, ?)",
                   [person["id"], "guiding_not_doing", step, "2025-01-01T00:00:00", "auto", 0])
    app = page("learning/lessons.py", query={"p": person["id"]})
    assert "Bước 5/6" in text_of(app)
    button(app, "tick_checklist").click().run()
    button(app, "tick_swap_roles").click().run()
    assert "Câu hỏi ôn tập" in text_of(app)
    button(app, "lesson_quiz_submit").click().run()
    assert app.error[0].value == "Hãy chọn một câu trả lời."  # nothing chosen: a clear message
    app.radio(key="quiz_guiding_not_doing_q1").set_value(1)
    button(app, "lesson_quiz_submit").click().run()
    assert app.success[0].value == "Đúng rồi!"
    button(app, "lesson_quiz_next").click().run()
    app.radio(key="quiz_guiding_not_doing_q2").set_value(0)
    button(app, "lesson_quiz_submit").click().run()
    assert "Chưa đúng" in app.error[0].value
    button(app, "lesson_quiz_next").click().run()
    assert not app.exception
    assert "Tổng kết bài học" in text_of(app) and "Câu hỏi: đúng 1/2" in text_of(app)


def test_the_learners_own_persona_is_offered_only_when_it_fits_the_lesson():
    db = databases.sandbox()
    ready = scenarios.create(db, "ready")
    app = page("learning/lessons.py", query={"p": ready["id"], "lesson": "portal_login"})
    assert [b for b in app.button if b.key == "lesson_keep_persona"]
    button(app, "lesson_keep_persona").click().run()
    assert progress.run(db, ready["id"], "portal_login") is not None
    app = page("learning/lessons.py", query={"p": ready["id"], "lesson": "vneid_activation"})
    assert not [b for b in app.button if b.key == "lesson_keep_persona"]
    assert "không ở đúng điểm bắt đầu" in text_of(app)


def test_setup_codes_are_shown_on_the_practice_card():
    db = databases.sandbox()
    person = progress.start_with_new_persona(db, "paying_and_receipts")
    app = page("learning/lessons.py", lang="en", query={"p": person["id"]})
    code = progress.evaluate(db, person["id"], "paying_and_receipts").setup["code"]
    assert f"Dossier with a fee to pay: **{code}**" in text_of(app)


def test_an_unknown_lesson_in_the_link_says_so_and_shows_the_list():
    app = page("learning/lessons.py", query={"lesson": "nothing_here"})
    assert "Không tìm thấy bài học" in app.error[0].value
    assert sum(1 for b in app.button if b.key.startswith("pick_")) == 10


def test_sandbox_pages_show_the_current_step_and_a_link_back():
    db = databases.sandbox()
    person = progress.start_with_new_persona(db, "sim_check")
    app = page("sandbox/phone.py", query={"p": person["id"]})
    assert not app.exception
    assert "Bài 1 · Bước 1/3" in text_of(app)
    phone.check_sim(db, person["id"])
    app = page("sandbox/phone.py", query={"p": person["id"]})
    assert "Bài 1 · Bước 2/3" in text_of(app)


STEP_PAGES = sorted({(path.name, step["page"]) for path in (ROOT / "lessons").glob("*.toml")
                     for step in tomllib.loads(path.read_text(encoding="utf-8")).get("steps", []) if "page" in step})


@pytest.mark.parametrize("lesson_file, url_path", STEP_PAGES)
def test_every_steps_page_is_a_url_path_app_py_registers(lesson_file, url_path):
    assert url_path in nav.URL_PATHS, f"{lesson_file}: page = {url_path!r} is no URL path of pages/_ui/nav.py"
    assert (ROOT / nav.file_for(url_path)).is_file()


def test_the_pages_a_lesson_may_name_are_all_registered():
    assert len(STEP_PAGES) >= 10  # the parametrised test above is not vacuous
    assert set(validator.SANDBOX_PAGES) <= set(nav.URL_PATHS)


def test_a_steps_page_becomes_a_link_to_that_page_in_the_app():
    person = progress.start_with_new_persona(databases.sandbox(), "sim_check")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    app.session_state["lang"] = "vi"
    app.run()  # st.navigation registers the pages; only then can a link find one
    app.switch_page("pages/learning/lessons.py")
    app.query_params["p"] = person["id"]
    app.query_params["lesson"] = "sim_check"
    app.run()
    assert not app.exception
    (link,) = [e.proto for e in app.get("page_link") if e.proto.label == "Mở trang để làm bước này"]
    assert link.page == "phone" and link.query_string == f"p={person['id']}"


def test_sandbox_pages_show_no_strip_without_a_lesson():
    person = scenarios.create(databases.sandbox(), "fresh")
    app = page("sandbox/phone.py", query={"p": person["id"]})
    assert "cds-lesson-strip" not in text_of(app)


def test_the_handouts_page_offers_both_copies_in_the_chosen_language():
    app = page("learning/handouts.py", lang="en")
    assert not app.exception
    assert app.title[0].value == "Printable handouts"
    labels = [e.proto.label for e in app.get("download_button")]
    assert labels == ["Download the A4 card (PDF)", "Download the trainer's copy (PDF)"]
    app.selectbox(key="handout_lesson").set_value("desk_official").run()
    assert "For officials" in text_of(app)
