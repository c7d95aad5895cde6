"""The filing pages, Quản lý hồ sơ, the desk and the fee table, driven with AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from workbench import clock, dossiers, personas, store


def page(name: str, persona_id: str | None = None, logged_in: bool = True, lang: str = "vi") -> AppTest:
    app = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)
    app.session_state["lang"] = lang
    if persona_id:
        app.session_state["persona_id"] = persona_id
        if logged_in:
            app.session_state["portal_login"] = persona_id
    return app


def text_of(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [e.value for e in app.error] + [w.value for w in app.warning]
    parts += [c.value for c in app.caption] + [s.value for s in app.success] + [i.value for i in app.info]
    return "\n".join(parts)


def button(app: AppTest, label: str):
    found = [b for b in app.button if label in b.label]
    assert found, f"no button {label!r} in {[b.label for b in app.button]}"
    return found[0]


@pytest.fixture
def persona(sandbox_db):
    return personas.create(sandbox_db, seed=7)


def test_filing_needs_a_portal_login(persona):
    app = page("sandbox_services.py", persona["id"], logged_in=False).run()
    assert not app.exception
    assert "Đăng nhập Cổng Dịch vụ công" in text_of(app) + "".join(str(p) for p in app.get("page_link"))
    assert not app.text_input


def test_birth_registration_from_search_to_confirmation(persona, sandbox_db):
    app = page("sandbox_services.py", persona["id"]).run()
    app.text_input(key="svc.query").input("khai sinh")
    app.button[0].click().run()  # Tìm kiếm (form submit)
    assert "Đăng ký khai sinh" in text_of(app)
    button(app, "Xem thủ tục").click().run()
    assert app.title[0].value == "Đăng ký khai sinh"
    button(app, "Nộp hồ sơ trực tuyến").click().run()
    code = app.session_state["svc.code"]
    # page 1: the applicant, pre-filled from the population database
    assert app.text_input(key=f"ans.{code}.requester_name").value == persona["full_name"]
    assert app.text_input(key=f"ans.{code}.requester_name").disabled
    button(app, "Tiếp tục").click().run()
    # page 2: the child; bad input gets a message and keeps what was typed
    app.text_input(key=f"ans.{code}.child_name").input("Nguyễn Thị Mai")
    app.text_input(key=f"ans.{code}.child_birth_date").input("31/02/2025")
    button(app, "Tiếp tục").click().run()
    assert "Ngày chưa đúng dạng" in text_of(app)
    assert app.text_input(key=f"ans.{code}.child_name").value == "Nguyễn Thị Mai"
    today = clock.now(sandbox_db).date()
    app.text_input(key=f"ans.{code}.child_birth_date").input(today.strftime("%d/%m/%Y"))
    app.text_input(key=f"ans.{code}.child_birth_place").input("Trạm y tế xã")
    app.radio(key=f"ans.{code}.child_gender").set_value("nữ")
    app.radio(key=f"ans.{code}.relationship").set_value("mẹ")
    button(app, "Tiếp tục").click().run()
    assert not app.exception
    assert app.title[0].value == "Đính kèm giấy tờ"
    button(app, "Tiếp tục").click().run()
    assert "Còn thiếu giấy tờ bắt buộc" in text_of(app)
    button(app, "Chọn ảnh 1").click().run()
    assert "Đã đính kèm ảnh" in text_of(app)
    button(app, "Tiếp tục").click().run()
    app.radio(key=f"delivery.{code}").set_value("online")
    button(app, "Tiếp tục").click().run()
    assert app.title[0].value == "Kiểm tra lại thông tin trước khi nộp"
    assert "Nguyễn Thị Mai" in text_of(app)
    button(app, "Nộp hồ sơ").click().run()
    assert not app.exception
    assert code in text_of(app)
    assert dossiers.get(sandbox_db, code)["status"] == "submitted"
