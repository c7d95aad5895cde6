"""Công an xã: take a level-2 registration (checklist), approve it, and the SMS arrives."""

from tests.pages.apptest import click, errors, page, text
from workbench.sandbox import eid, phone, scenarios


def test_registration_needs_the_checklist_then_approval_sends_the_sms(sandbox_db):
    pid = scenarios.create(sandbox_db, "fresh", seed=None)["id"]
    app = page("sandbox/police.py", pid)
    assert "chưa đăng ký mức độ 2" in text(app)
    app = click(app, "police_submit")
    assert errors(app) == ["Hãy đánh dấu đủ ba mục: thẻ căn cước, ảnh chân dung và vân tay."]
    for item in ("chip_card", "photo", "fingerprints"):
        app.checkbox(key=f"police_check_{item}").check()
    app = click(app, "police_submit")
    assert eid.account(sandbox_db, pid)["registration"] == "submitted"
    assert "Đã tiếp nhận hồ sơ đăng ký mức độ 2." in text(app)
    app = click(app, "police_approve")
    assert eid.account(sandbox_db, pid)["registration"] == "approved"
    assert "da duoc phe duyet" in phone.inbox(sandbox_db, pid)[0]["text"]


def test_the_queue_approves_registrations_of_other_personas(sandbox_db):
    pid = scenarios.create(sandbox_db, "fresh", seed=None)["id"]
    eid.submit_registration(sandbox_db, pid)
    app = page("sandbox/police.py")
    assert "Chưa chọn nhân vật mô phỏng" in text(app)
    click(app, f"police_approve_{pid}")
    assert eid.account(sandbox_db, pid)["registration"] == "approved"


def test_an_active_account_is_shown_as_such_in_english(sandbox_db):
    pid = scenarios.create(sandbox_db, "ready", seed=None)["id"]
    assert "level 2 activated" in text(page("sandbox/police.py", pid, lang="en"))
