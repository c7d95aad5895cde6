"""The filing pages, Quản lý hồ sơ, the desk and the fee table, driven with AppTest."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.pages.apptest import page
from workbench import clock, i18n
from workbench.sandbox import fees, personas
from workbench.sandbox.dossiers import citizen, desk, records, samples


def text_of(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [e.value for e in app.error] + [w.value for w in app.warning]
    parts += [h.value for h in app.html]  # the confirmation panel: st.html since issue 14
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
    app = page("sandbox/services.py", persona["id"])
    assert not app.exception
    assert "Đăng nhập Cổng Dịch vụ công" in text_of(app) + "".join(str(p) for p in app.get("page_link"))
    assert not app.text_input


def test_birth_registration_from_search_to_confirmation(persona, sandbox_db):
    app = page("sandbox/services.py", persona["id"], logged_in=True)
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
    app.text_input(key=f"ans.{code}.child_ethnicity").input("Kinh")
    app.text_input(key=f"ans.{code}.child_nationality").input("Việt Nam")
    app.text_input(key=f"ans.{code}.child_home_town").input("Xã Ea Lành, Tỉnh Đắk Sen")
    app.radio(key=f"ans.{code}.relationship").set_value("mẹ")
    button(app, "Tiếp tục").click().run()
    # page 3: the mother, as the real Tờ khai đăng ký khai sinh asks (issue 13)
    assert app.title[0].value == "Thông tin người mẹ"
    button(app, "Tiếp tục").click().run()
    assert app.title[0].value == "Thông tin người mẹ"  # required: still here, with messages
    for field, value in (("mother_name", "Nguyễn Thị Hoa"), ("mother_birth_date", "01/02/1998"),
                         ("mother_ethnicity", "Kinh"), ("mother_nationality", "Việt Nam"),
                         ("mother_cccd", "000198001234"), ("mother_address", "Thôn 1, Xã Ea Lành")):
        app.text_input(key=f"ans.{code}.{field}").input(value)
    button(app, "Tiếp tục").click().run()
    # page 4: the father, which may stay empty when the father is not yet known
    assert app.title[0].value == "Thông tin người cha"
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
    assert records.get(sandbox_db, code)["status"] == "submitted"


def test_the_fee_table_cites_every_rule_and_computes_a_certified_copy():
    app = page("sandbox/fees.py")
    assert not app.exception
    shown = text_of(app)
    assert "Thông tư 75/2022/TT-BTC" in shown and "Thông tư 226/2016/TT-BTC" in shown
    app.number_input(key="fees.pages").set_value(250).run()
    assert "200.000 đ" in text_of(app)  # capped a copy


def test_the_desk_shows_the_queue_and_the_kpis(persona, sandbox_db):
    samples.file_sample(sandbox_db, persona["id"], "thuong_tru")
    app = page("sandbox/desk.py")
    assert not app.exception
    assert "Nộp trực tuyến" in text_of(app) and "Trễ hạn" in text_of(app)
    assert persona["full_name"] in text_of(app)


def test_the_desk_receives_asks_for_a_supplement_and_the_citizen_answers_it(persona, sandbox_db):
    filed = samples.file_exercise(sandbox_db, persona["id"], "khai_sinh_giay_chung_sinh_mo")
    desk = page("sandbox/desk.py")
    button(desk, "Mở hồ sơ").click().run()
    assert filed["code"] in text_of(desk)
    button(desk, "Tiếp nhận hồ sơ").click().run()
    assert "Đã tiếp nhận" in text_of(desk)
    desk.text_area(key="supplement.note").input("").run()
    button(desk, "Yêu cầu bổ sung").click().run()
    assert "Hãy ghi rõ giấy tờ nào cần bổ sung" in text_of(desk)  # refused, nothing changed
    desk.text_area(key="supplement.note").input("Ảnh Giấy chứng sinh bị mờ.")
    button(desk, "Yêu cầu bổ sung").click().run()
    assert records.get(sandbox_db, filed["code"])["status"] == "supplement_requested"

    citizen = page("sandbox/dossiers.py", persona["id"], logged_in=True)
    button(citizen, "Xem chi tiết").click().run()
    assert "Ảnh Giấy chứng sinh bị mờ." in text_of(citizen)
    button(citizen, "Gửi bổ sung").click().run()
    assert "Hãy đính kèm lại giấy tờ" in text_of(citizen)
    ok = [b for b in citizen.button if b.key and b.key.endswith(".giay_chung_sinh.ok")][0]
    ok.click().run()
    button(citizen, "Gửi bổ sung").click().run()
    assert "Đã gửi bổ sung" in text_of(citizen)
    assert records.get(sandbox_db, filed["code"])["status"] == "received"


def test_the_citizen_downloads_the_result_and_rates_the_service(persona, sandbox_db):
    code = samples.file_sample(sandbox_db, persona["id"], "khai_sinh")["code"]
    for action in (desk.receive, desk.process, desk.approve, desk.return_result):
        action(sandbox_db, code)
    app = page("sandbox/dossiers.py", persona["id"], logged_in=True, query={"code": code})
    assert not app.exception
    assert app.get("download_button"), "no download button for the result"
    app.radio(key="rate.value").set_value(5)
    app.button[-1].click().run()  # Gửi đánh giá (the form's submit)
    assert "Bạn đã đánh giá" in text_of(app)
    assert records.get(sandbox_db, code)["rating"] == 5


def test_someone_elses_dossier_code_answers_not_found(persona, sandbox_db):
    other = personas.create(sandbox_db, seed=8)
    code = samples.file_sample(sandbox_db, other["id"], "khai_sinh")["code"]
    app = page("sandbox/dossiers.py", persona["id"], logged_in=True, query={"code": code})
    assert not app.exception
    assert "Không tìm thấy hồ sơ" in text_of(app)
    assert other["full_name"] not in text_of(app)


def test_a_fee_due_offers_the_payment_page_with_the_dossier_code(persona, sandbox_db):
    code = samples.file_sample(sandbox_db, persona["id"], "thuong_tru")["code"]
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    app.session_state["persona_id"] = persona["id"]
    app.session_state["portal_login"] = persona["id"]
    app.session_state["dos.code"] = code
    app.switch_page("pages/sandbox/dossiers.py").run()
    online_fee = fees.fee("thuong_tru", "online", on=clock.now(sandbox_db).date())[0]  # dated rule (issue 13)
    assert i18n.format_money(online_fee) in text_of(app)
    assert not [b for b in app.button if b.label == "Thanh toán"]  # not before the desk asks (issue 13)
    desk.receive(sandbox_db, code)
    desk.request_payment(sandbox_db, code)
    app.run()
    assert "Yêu cầu thanh toán" in text_of(app)
    button(app, "Thanh toán").click().run()
    assert not app.exception
    assert app.query_params.get("dossier") in (code, [code])


RAW_KEY = re.compile(r"\b(?:dossiers|catalogue|desk|fees)\.[a-z_]+\.[a-z_.]+")


@pytest.mark.parametrize("step", ["procedure", "check"])
def test_the_filing_screens_are_complete_in_english(persona, sandbox_db, step):
    code = citizen.start(sandbox_db, persona["id"], "chung_thuc_ban_sao")
    app = page("sandbox/services.py", persona["id"], logged_in=True, lang="en",
               state={"svc.step": step, "svc.proc": "chung_thuc_ban_sao", "svc.code": code})
    assert not app.exception
    shown = text_of(app) + " ".join(t.value for t in app.title) + " ".join(b.label for b in app.button)
    assert RAW_KEY.findall(shown) == []
    assert "Certified copy of an original document" in shown
    assert "Chứng thực" not in shown.replace("Chứng thực bản sao", "")  # no Vietnamese left on an English page


def test_the_desk_in_english_has_no_raw_keys(persona, sandbox_db):
    samples.file_exercise(sandbox_db, persona["id"], "thuong_tru_sai_giay_to")
    app = page("sandbox/desk.py", lang="en")
    button(app, "Open the dossier").click().run()
    shown = text_of(app) + " ".join(b.label for b in app.button)
    assert not app.exception
    assert RAW_KEY.findall(shown) == []
    assert "Receive the dossier" in shown
