"""Workshop pages (issue 7) in AppTest: the trainer creates and controls a workshop, a phone
joins and lands in the lesson, the report offers its downloads. The live dashboard is an
``st.fragment``; clicks inside it are covered by the browser journey."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import page
from workbench import databases
from workbench.sandbox import eid, personas
from workbench.learning.workshops import certificates, hall, nudges, simulate

ROOT = Path(__file__).resolve().parents[2]
VNEID = "vneid_activation"


def through_app(name: str, **params) -> AppTest:
    """Run the whole app (navigation included), so ``st.switch_page`` can land somewhere."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    app.session_state["lang"] = "vi"
    app.run()  # st.navigation registers the pages; only then does a file path find its url_path
    app.switch_page(f"pages/{name}")
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def texts(app: AppTest) -> str:
    return "\n".join([m.value for m in app.markdown] + [e.value for e in app.error] + [s.value for s in app.success]
                     + [i.value for i in app.info] + [c.value for c in app.caption]
                     + [h.value for h in app.html])  # the join code, the grid: st.html since issue 14


@pytest.fixture
def db(data_dir):
    return databases.sandbox()


@pytest.fixture
def workshop(db):
    return hall.create(db, name="Tối thứ Tư", place="Nhà văn hóa thôn 3", date="2026-11-25",
                           lessons_planned=[VNEID], starting_state="fresh")


# --- trainer ---------------------------------------------------------------------------------------

def test_with_no_workshop_the_trainer_sees_the_create_form(db):
    app = page("learning/workshop_trainer.py")
    assert not app.exception
    assert "Chưa có buổi tập huấn nào" in texts(app)
    assert app.text_input(key="new_name")


def test_creating_without_a_name_says_what_to_fix_and_keeps_the_place(db):
    app = page("learning/workshop_trainer.py")
    app.text_input(key="new_place").input("Nhà văn hóa thôn 3")
    app.button[0].click().run()  # the form's only submit button
    assert "Hãy nhập tên buổi tập huấn." in texts(app)
    assert app.text_input(key="new_place").value == "Nhà văn hóa thôn 3"
    assert hall.list_all(db) == []


def test_creating_a_workshop_shows_its_join_code_on_the_projector(db):
    app = page("learning/workshop_trainer.py")
    app.text_input(key="new_name").input("Tối thứ Tư")
    app.text_input(key="new_place").input("Nhà văn hóa thôn 3")
    app.button[0].click().run()
    [made] = hall.list_all(db)
    assert app.query_params["w"] == made["id"]
    shown = texts(app)
    assert made["join_code"][:3] in shown and made["join_code"][3:] in shown
    assert "http" in shown and f"join?code={made['join_code']}" in shown


def test_the_trainer_approves_vneid_for_the_whole_workshop(db, workshop):
    ids = [hall.join(db, workshop["join_code"], n)["persona_id"] for n in ("Bà Lan", "Ông Tư")]
    app = page("learning/workshop_trainer.py", query={"w": workshop["id"]})
    app.button(key="bulk_approve").click().run()
    assert "Đã duyệt cho 2 người." in texts(app)
    assert all(eid.account(db, i)["registration"] == "approved" for i in ids)


def test_reset_asks_for_confirmation_then_wipes_only_this_workshop(db, workshop):
    other = hall.create(db, name="Khác", place="Trường", date="2026-11-26", lessons_planned=[VNEID])
    mine = hall.join(db, workshop["join_code"], "Bà Lan")["persona_id"]
    theirs = hall.join(db, other["join_code"], "Em Thảo")["persona_id"]
    app = page("learning/workshop_trainer.py", query={"w": workshop["id"]})
    app.button(key="reset_workshop").click().run()
    assert "Hãy đánh dấu ô xác nhận" in texts(app)
    assert personas.get(db, mine)
    app.checkbox(key="reset_confirm").check().run()
    app.button(key="reset_workshop").click().run()
    assert personas.get(db, mine) is None and personas.get(db, theirs)
    assert "Đã xóa 1 nhân vật" in texts(app)


def test_ending_stops_the_join_code(db, workshop):
    app = page("learning/workshop_trainer.py", query={"w": workshop["id"]})
    app.button(key="end_workshop").click().run()
    assert hall.get(db, workshop["id"])["status"] == "ended"
    assert "đã kết thúc" in texts(app)


def test_the_trainer_page_speaks_english(db, workshop):
    app = page("learning/workshop_trainer.py", lang="en", query={"w": workshop["id"]})
    assert app.title[0].value == "Run a workshop"
    assert not app.exception


# --- join ------------------------------------------------------------------------------------------

def test_a_phone_joins_and_lands_in_the_first_lesson_with_its_token(db, workshop):
    app = through_app("learning/workshop_join.py", code=workshop["join_code"])
    assert "Tối thứ Tư" in texts(app)
    app.text_input(key="join_display_name").input("Bà Lan")
    app.button[0].click().run()
    assert not app.exception
    [person] = hall.participants(db, workshop["id"])
    assert app.query_params["p"] == person["persona_id"]
    assert app.query_params["lesson"] == VNEID
    assert person["display_name"] == "Bà Lan" and person["role"] == "citizen"


def test_joining_without_a_name_says_so_and_makes_nobody(db, workshop):
    app = through_app("learning/workshop_join.py", code=workshop["join_code"])
    app.button[0].click().run()
    assert "Hãy nhập tên của bạn" in texts(app)
    assert hall.participants(db, workshop["id"]) == []


def test_a_typed_wrong_code_is_explained_and_kept(db, workshop):
    app = page("learning/workshop_join.py")
    app.text_input(key="join_code_typed").input("12 34")
    app.button[0].click().run()
    assert "đúng 6 chữ số" in texts(app)
    assert app.text_input(key="join_code_typed").value == "12 34"


def test_a_typed_right_code_goes_on_to_the_name(db, workshop):
    app = page("learning/workshop_join.py")
    app.text_input(key="join_code_typed").input(f"{workshop['join_code'][:3]} {workshop['join_code'][3:]}")
    app.button[0].click().run()
    assert app.query_params["code"] == workshop["join_code"]
    assert app.text_input(key="join_display_name")


def test_reopening_the_token_link_resumes_in_the_lesson(db, workshop):
    joined = hall.join(db, workshop["join_code"], "Bà Lan")
    app = through_app("learning/workshop_join.py", p=joined["persona_id"])
    assert not app.exception
    assert app.query_params["lesson"] == VNEID and app.query_params["p"] == joined["persona_id"]


def test_an_unknown_token_is_explained(db, workshop):
    app = page("learning/workshop_join.py", query={"p": "not-a-real-token"})
    assert "không còn dùng được" in texts(app)


def test_the_persona_chooser_never_offers_a_participants_persona(db, workshop):
    joined = hall.join(db, workshop["join_code"], "Bà Lan")
    demo = personas.create(db, seed=3)
    app = page("sandbox/personas.py")
    options = app.selectbox(key="persona_pick").options
    assert any(demo["full_name"] in o for o in options)
    assert not any(personas.get(db, joined["persona_id"])["full_name"] in o for o in options)


def test_a_trainer_message_shows_on_the_participants_phone_and_can_be_dismissed(db, workshop):
    joined = hall.join(db, workshop["join_code"], "Bà Lan")
    nudges.nudge(db, workshop["id"], joined["persona_id"], "Bác mở tin nhắn mới nhất nhé")
    app = page("home.py", query={"p": joined["persona_id"]})
    assert "Bác mở tin nhắn mới nhất nhé" in "\n".join(w.value for w in app.warning)
    other = page("home.py")  # the trainer's laptop may warn of a rule ending soon (issue 13), never this message
    assert "Bác mở tin nhắn mới nhất nhé" not in "\n".join(w.value for w in other.warning)


# --- report ----------------------------------------------------------------------------------------

def test_the_report_offers_csv_pdf_and_certificates(db, workshop):
    simulate.simulate(db, workshop["id"], participants_count=6, seed=3)
    app = page("learning/workshop_report.py", query={"w": workshop["id"]})
    assert not app.exception
    assert app.metric[0].value == "6"
    assert len(app.get("download_button")) >= 2
    assert "Chọn buổi tập huấn" in [s.label for s in app.selectbox]


def test_a_certificate_code_can_be_checked(db, workshop):
    joined = hall.join(db, workshop["join_code"], "Anh Minh")
    simulate.simulate(db, workshop["id"], participants_count=3, seed=1)
    issued = certificates.issue_certificates(db, workshop["id"])
    app = page("learning/workshop_report.py", query={"w": workshop["id"]})
    if issued:
        app.text_input(key="verify_code").input(issued[0]["code"].lower())
        app.button[0].click().run()
        assert "Mã hợp lệ" in texts(app)
    app.text_input(key="verify_code").input("ZZZZ-ZZZZ")
    app.button[0].click().run()
    assert "Không tìm thấy mã này" in texts(app)
    assert joined


def test_the_report_page_asks_for_a_tracker_sign_in_before_the_bridge(db, workshop):
    hall.join(db, workshop["join_code"], "Bà Lan")
    app = page("learning/workshop_report.py", query={"w": workshop["id"]})
    assert "Thêm người dân thật" in "\n".join(s.value for s in app.subheader)
    assert not any(t.key == "tracker_full_name" for t in app.text_input)  # nothing real before sign-in


def test_the_trainer_sees_who_plays_whom_and_progress_in_plain_words(db, workshop):
    """Issue 14: the trainer saw "Bà Lan" beside nothing, and "mức 0"."""
    joined = hall.join(db, workshop["join_code"], "Bà Lan")
    played = personas.get(db, joined["persona_id"])["full_name"]
    app = page("learning/workshop_trainer.py", query={"w": workshop["id"]})
    assert not app.exception
    chooser = app.selectbox(key="help_persona")
    assert chooser.options == [f"Bà Lan (đóng vai {played})"]
    said = texts(app)
    assert "mức 0" not in said and "bước None" not in said
    assert "chưa có tài khoản định danh; chưa đăng ký ở công an xã" in said
    eid.approve_registration(db, joined["persona_id"])
    said = texts(page("learning/workshop_trainer.py", query={"w": workshop["id"]}))
    assert "công an đã duyệt, chưa kích hoạt trên điện thoại" in said


def test_the_participant_sees_the_name_they_typed_and_the_persona_they_play(db, workshop):
    joined = hall.join(db, workshop["join_code"], "Bà Lan")
    played = personas.get(db, joined["persona_id"])["full_name"]
    app = page("learning/lessons.py", joined["persona_id"], query={"p": joined["persona_id"], "lesson": VNEID})
    assert f"Bà Lan ơi, bạn đang đóng vai nhân vật **{played}**" in texts(app)


def test_the_report_names_each_error_in_words_readable_on_a_phone(db, workshop):
    """Issue 14: the errors' chart cut their names at 360 px; each is a line of words now."""
    lan = hall.join(db, workshop["join_code"], "Bà Lan")["persona_id"]
    for _ in range(3):
        with pytest.raises(eid.EidError):
            eid.start_activation(db, lan, "123", "0900000000")
    app = page("learning/workshop_report.py", query={"w": workshop["id"]})
    assert not app.exception
    assert "- **Số định danh cá nhân hoặc số điện thoại sai dạng**: 3 lần (1 người)" in texts(app)
