"""Nhân vật mô phỏng: create a persona in a starting state, or choose one."""

from tests.pages.apptest import click, page, text
from workbench.sandbox import personas, scenarios


def test_creating_a_persona_in_a_state_selects_it_and_shows_its_profile(sandbox_db):
    app = page("sandbox/personas.py")
    assert not app.exception
    app.radio(key="persona_state").set_value("ready")
    app = click(app, "persona_create_submit")
    persona_id = app.session_state["persona_id"]
    made = personas.get(sandbox_db, persona_id)
    assert made["starting_state"] == "ready"
    shown = text(app)
    assert f"Bạn đang là: {made['full_name']}" in shown
    assert "VNeID mức độ 2" in shown and "Có tài khoản Dịch vụ công" in shown


def test_choosing_an_existing_persona_and_changing_it(sandbox_db):
    person = scenarios.create(sandbox_db, "sim_unverified", seed=None)
    app = page("sandbox/personas.py")
    app.selectbox(key="persona_pick").set_value(person["id"])
    app = click(app, "persona_choose")
    assert app.session_state["persona_id"] == person["id"]
    assert "Thuê bao chưa chuẩn hóa" in text(app)
    app = click(app, "persona_change")
    assert "persona_id" not in app.session_state


def test_search_narrows_the_list_and_says_when_nothing_matches(sandbox_db):
    scenarios.create(sandbox_db, "fresh", seed=None)
    app = page("sandbox/personas.py")
    app.text_input(key="persona_search").input("không có ai tên này").run()
    assert "Không tìm thấy nhân vật nào." in text(app)


def test_trainer_section_lists_every_fixed_failure_case_in_english_too(sandbox_db):
    """One card a case (issue 14: the three-column table was cut off at 360 px)."""
    app = page("sandbox/personas.py", lang="en")
    assert not app.dataframe
    said = text(app)
    assert all(case["en"] in said for case in scenarios.cases())
    assert "Congdan@2024" in said


def test_the_persona_card_offers_the_right_next_step_toward_level_2(sandbox_db):
    """Issue 14: "Đến công an xã (đăng ký mức độ 2)" was still offered after the approval."""
    go_police = "Đến công an xã (đăng ký mức độ 2)"
    activate = "Công an xã đã duyệt mức độ 2. Việc tiếp theo: kích hoạt tài khoản trên ứng dụng VNeID"
    expected = {"fresh": (go_police, activate), "eid_approved": (activate, go_police), "ready": (None, go_police)}
    for state, (shown, hidden) in expected.items():
        person = scenarios.create(sandbox_db, state, seed=None)
        said = text(page("sandbox/personas.py", person["id"]))
        assert hidden not in said, state
        assert shown is None or shown in said, state
    assert activate not in text(page("sandbox/personas.py", scenarios.create(sandbox_db, "ready", seed=None)["id"]))
