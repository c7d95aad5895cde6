"""The trainer's home and Settings pages say how fresh the content is (issue 13): the day it was
last checked, the rule in force on the sandbox date that ends within 30 days (named, with its end
day), the unconfirmed rules; and the fee table follows the sandbox clock past the end of the cut."""

import datetime as dt

import pytest

from tests.pages.apptest import page, text
from workbench import clock


def sandbox_day(monkeypatch, day: str) -> None:
    monkeypatch.setattr(clock, "real_now", lambda: dt.datetime.fromisoformat(f"{day}T09:00:00+07:00"))


def shown(app) -> str:
    return text(app) + "\n" + "\n".join(e.label for e in app.expander)


@pytest.mark.parametrize("name", ["home.py", "settings.py"])
def test_on_1_december_2026_the_trainer_is_told_the_fee_cut_ends_on_31_december(monkeypatch, sandbox_db, name):
    sandbox_day(monkeypatch, "2026-12-01")
    app = page(name)
    assert not app.exception, [e.value for e in app.exception]
    says = shown(app)
    assert "Nội dung cập nhật đến ngày 01/12/2026" in says
    warning = "\n".join(w.value for w in app.warning)
    assert "Thông tư 64/2025/TT-BTC" in warning and "31/12/2026" in warning and "30 ngày" in warning
    assert "phí, lệ phí Đăng ký thường trú" in warning  # the rule by its name, not its id
    assert "chưa xác nhận" in says and "fee.xac_nhan_hon_nhan" in says


@pytest.mark.parametrize("name", ["home.py", "settings.py"])
def test_in_english_too(monkeypatch, sandbox_db, name):
    sandbox_day(monkeypatch, "2026-12-01")
    app = page(name, lang="en")
    says = shown(app)
    assert "Content checked up to 01/12/2026" in says and "ends after 31/12/2026" in says
    assert "unconfirmed rules (trainers only)" in says


@pytest.mark.parametrize("name", ["home.py", "settings.py"])
def test_once_the_cut_has_ended_it_is_not_shown_as_current(monkeypatch, sandbox_db, name):
    sandbox_day(monkeypatch, "2027-01-02")
    app = page(name)
    assert "64/2025" not in "\n".join(w.value for w in app.warning)


def test_the_fee_table_follows_the_sandbox_clock_with_the_source_for_the_date(monkeypatch, sandbox_db):
    sandbox_day(monkeypatch, "2026-12-01")
    during = text(page("sandbox/fees.py"))
    assert "Thông tư 64/2025/TT-BTC" in during and "31/12/2026" in during
    sandbox_day(monkeypatch, "2027-01-02")
    app = page("sandbox/fees.py")
    after = text(app)
    assert "Thông tư 64/2025/TT-BTC" not in after and "Thông tư 75/2022/TT-BTC" in after
    metrics = {m.label + str(i): m.value for i, m in enumerate(app.metric)}
    assert "20.000 đ" in metrics.values()


def test_a_phone_playing_a_persona_on_the_home_page_sees_no_trainer_panel(monkeypatch, sandbox_db):
    sandbox_day(monkeypatch, "2026-12-01")
    app = page("home.py", query={"p": "a-participants-persona"})
    assert not app.warning and "chưa xác nhận" not in shown(app) and "Nội dung cập nhật" not in shown(app)


def test_citizen_screens_never_show_unconfirmed(monkeypatch, sandbox_db):
    sandbox_day(monkeypatch, "2026-12-01")
    app = page("sandbox/services.py")
    assert "chưa xác nhận" not in text(app).lower()
