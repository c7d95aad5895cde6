"""A workshop evening, end to end: the trainer creates a workshop on the laptop, three phones
join through the QR's URL, each does part of the VNeID lesson, the live dashboard shows who
is done, working or stuck, one phone reloads and resumes, a nudge reaches a phone, the report
gives a certificate, and a reset leaves the tracker and the other workshop as they were."""

from __future__ import annotations

import hashlib
import re
import sqlite3

import pytest

from tests.browser import axe
from tests.browser.util import LAPTOP, PHONE, app_sandbox, screenshot, wait_for_app
from tests.vneid_lesson import activate_up_to
from workbench.sandbox import eid, personas
from workbench.learning.workshops import certificates, hall, progress

VNEID = "vneid_activation"




def dismiss_cold_start_dialog(page) -> None:
    """Streamlit shows a spurious "Page not found" modal over the right page on the first load
    of a non-default page after the server starts (streamlit/streamlit#9992); close it."""
    dialog = page.get_by_role("dialog").filter(has_text="Page not found")
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")


def tracker_fingerprint(data_dir) -> str:
    path = data_dir / "tracker.db"
    if not path.exists():
        return "absent"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = [conn.execute(f"select * from [{name}] order by 1").fetchall()
                for (name,) in conn.execute("select name from sqlite_master where type = 'table' order by name")]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.browser
def test_a_workshop_evening(app_url, app_data_dir, new_page):
    # --- the trainer creates the workshop ------------------------------------------------------
    trainer = new_page(LAPTOP)
    trainer.goto(f"{app_url}/workshop")
    wait_for_app(trainer)
    dismiss_cold_start_dialog(trainer)
    if not trainer.get_by_label("Tên buổi tập huấn").is_visible():
        trainer.get_by_text("Tạo buổi tập huấn mới").click()
    trainer.get_by_label("Tên buổi tập huấn").fill("Tối thứ Tư — kích hoạt VNeID")
    trainer.get_by_label("Địa điểm").fill("Nhà văn hóa thôn 3")
    trainer.get_by_role("button", name="Tạo buổi tập huấn").click()
    wait_for_app(trainer)
    trainer.get_by_text("Đã tạo buổi").wait_for()
    workshop_id = re.search(r"[?&]w=([^&]+)", trainer.url).group(1)
    code = trainer.get_by_test_id("join-code").inner_text().replace("\xa0", "").replace(" ", "")
    join_url = trainer.locator("code.cds-join-url").first.inner_text().strip()
    assert join_url.endswith(f"join?code={code}")
    screenshot(trainer, "workshop-projector-laptop")

    # --- three phones join through the QR's URL -------------------------------------------------
    phones, tokens = {}, {}
    for name in ("Bà Lan", "Ông Tư", "Chị Hoa"):
        phone = new_page(PHONE)
        phone.goto(join_url)
        wait_for_app(phone)
        phone.get_by_role("textbox", name="Tên của bạn").fill(name)
        phone.get_by_role("button", name="Vào buổi tập").click()
        phone.wait_for_url(re.compile(r".*/lessons\?.*lesson=" + VNEID))
        wait_for_app(phone)
        tokens[name] = re.search(r"[?&]p=([^&]+)", phone.url).group(1)
        phones[name] = phone
    screenshot(phones["Bà Lan"], "workshop-joined-phone")
    axe.check(phones["Bà Lan"], "a participant's phone, joined")
    assert len(set(tokens.values())) == 3

    # --- each does part of the lesson (the VNeID phone pages' domain calls) ------------------------
    with app_sandbox(app_data_dir) as db:
        activate_up_to(db, tokens["Bà Lan"], 2)
        activate_up_to(db, tokens["Ông Tư"], 6)
        person = personas.get(db, tokens["Chị Hoa"])
        for _ in range(progress.STUCK_MISTAKES):
            with pytest.raises(eid.EidError):
                eid.start_activation(db, tokens["Chị Hoa"], person["cccd"][:9], person["phone"])
        other = hall.create(db, name="Buổi khác", place="Trường THCS", date="2026-11-26", lessons_planned=[VNEID])
        outsider = hall.join(db, other["join_code"], "Em Thảo")["persona_id"]
        activate_up_to(db, outsider, 1)
        other_events = db.execute("select count(*) from events where workshop_id = ?", [other["id"]]).fetchone()[0]
    tracker_before = tracker_fingerprint(app_data_dir)

    # --- the live dashboard shows the right states, refreshing by itself --------------------------
    trainer.get_by_role("tab", name="Theo dõi trực tiếp").click()
    for name, status in (("Bà Lan", "working"), ("Ông Tư", "finished"), ("Chị Hoa", "stuck")):
        trainer.locator(f"tr[data-participant='{name}'][data-status='{status}']").wait_for(timeout=20_000)
    lan_row = trainer.locator("tr[data-participant='Bà Lan'] td")
    assert [lan_row.nth(i).get_attribute("data-state") for i in range(4)] == ["done", "done", "working", "todo"]
    assert trainer.get_by_text("Số định danh cá nhân hoặc số điện thoại sai dạng ×3").is_visible()
    screenshot(trainer, "workshop-dashboard-laptop")

    # --- a nudge reaches Bà Lan's phone --------------------------------------------------------------
    trainer.get_by_label("Lời nhắn").fill("Bác mở tin nhắn mới nhất nhé")
    trainer.get_by_role("button", name="Gửi lời nhắn").click()
    trainer.get_by_text("Đã gửi lời nhắn tới Bà Lan.").wait_for()
    lan = phones["Bà Lan"]
    lan.get_by_text("Bác mở tin nhắn mới nhất nhé").wait_for(timeout=45_000)  # polled every 20 s
    screenshot(lan, "workshop-nudge-phone")
    lan.get_by_role("button", name="Đã hiểu").click()
    lan.get_by_text("Bác mở tin nhắn mới nhất nhé").wait_for(state="detached", timeout=15_000)

    # --- a phone reloads and resumes where it was ------------------------------------------------------
    lan.reload()
    wait_for_app(lan)
    assert f"p={tokens['Bà Lan']}" in lan.url and f"lesson={VNEID}" in lan.url
    lan.goto(f"{app_url}/join?p={tokens['Bà Lan']}")
    lan.wait_for_url(re.compile(r".*/lessons\?.*p=" + re.escape(tokens["Bà Lan"])))
    with app_sandbox(app_data_dir) as db:
        assert hall.current_lesson(db, tokens["Bà Lan"]) == VNEID
        board = progress.dashboard(db, workshop_id)
        assert {r["display_name"]: r["steps_done"] for r in board["rows"]} == {"Bà Lan": 2, "Ông Tư": 6, "Chị Hoa": 0}

    # --- the report and a certificate ------------------------------------------------------------------
    trainer.goto(f"{app_url}/workshop-report?w={workshop_id}")
    wait_for_app(trainer)
    trainer.get_by_text("Kích hoạt VNeID mức 2 sau tin nhắn duyệt của công an: 1/3 người xong").wait_for()
    with trainer.expect_download() as csv_download:
        trainer.get_by_role("button", name="Tải bảng (CSV)").click()
    assert "Ông Tư" in open(csv_download.value.path(), encoding="utf-8-sig").read()
    with trainer.expect_download() as certificates_download:
        trainer.get_by_role("button", name="Tải chứng nhận (PDF)").click()
    assert open(certificates_download.value.path(), "rb").read(4) == b"%PDF"
    screenshot(trainer, "workshop-report-laptop")
    with app_sandbox(app_data_dir) as db:
        issued = certificates.issue_certificates(db, workshop_id)
        assert [c["display_name"] for c in issued] == ["Ông Tư"]

    # --- reset: this workshop only ------------------------------------------------------------------------
    trainer.goto(f"{app_url}/workshop?w={workshop_id}")
    wait_for_app(trainer)
    trainer.get_by_role("tab", name="Điều khiển").click()
    trainer.get_by_text("Tôi hiểu: xóa dữ liệu tập của buổi này").click()
    trainer.get_by_role("button", name="Làm mới buổi này").click()
    trainer.get_by_text("Đã xóa 3 nhân vật của buổi này.").wait_for()
    with app_sandbox(app_data_dir) as db:
        assert all(personas.get(db, token) is None for token in tokens.values())
        assert db.execute("select count(*) from events where workshop_id = ?", [workshop_id]).fetchone()[0] == 0
        assert personas.get(db, outsider) is not None
        assert db.execute("select count(*) from events where workshop_id = ?", [other["id"]]).fetchone()[0] == other_events
        assert certificates.verify_certificate(db, issued[0]["code"]) is not None
    assert tracker_fingerprint(app_data_dir) == tracker_before
