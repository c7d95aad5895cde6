"""The home page's QR, the lesson's "Lưu liên kết" and the workshop projector show the address
phones use, with the port ``make run`` printed (issue 14), whatever port Streamlit itself
listens on behind the proxy."""

import pytest

from tests.pages.apptest import page, text
from workbench import databases, network
from workbench.learning.lessons import progress
from workbench.learning.workshops import hall


@pytest.fixture(autouse=True)
def hall_on_8630(monkeypatch):
    monkeypatch.delenv("CDS_PUBLIC_URL", raising=False)
    monkeypatch.setenv("CDS_PUBLIC_PORT", "8630")
    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.10"])


def test_the_home_page_shows_the_served_port_as_plain_large_text(data_dir):
    app = page("home.py")
    assert not app.exception
    assert "http://192.168.1.10:8630" in text(app)
    assert ":8501" not in text(app)
    assert not app.get("code")  # st.code makes every phone fetch Streamlit's 1.5 MB highlighter


def test_the_lessons_save_link_carries_the_served_port(data_dir):
    person = progress.start_with_new_persona(databases.sandbox(), "vneid_activation")
    app = page("learning/lessons.py", query={"p": person["id"]})
    assert not app.exception
    assert f"http://192.168.1.10:8630/lessons?p={person['id']}" in text(app)


def test_the_workshop_projector_uses_the_served_port_not_streamlits(data_dir):
    made = hall.create(databases.sandbox(), name="Tối thứ Tư", place="Nhà văn hóa thôn 3", date="2026-11-25",
                       lessons_planned=["vneid_activation"], starting_state="fresh")
    app = page("learning/workshop_trainer.py", query={"w": made["id"]})
    assert not app.exception
    shown = text(app) + "\n".join(c.value for c in app.code)
    assert f"http://192.168.1.10:8630/join?code={made['join_code']}" in shown
    assert "http://192.168.1.10:8630/join" in text(app)
    assert not app.code  # a scrolling <pre> cannot take focus (axe)


def test_the_settings_page_shows_the_served_port(data_dir):
    app = page("settings.py")
    assert not app.exception
    shown = text(app) + "\n".join(str(element.value) for element in app.text)
    assert "http://192.168.1.10:8630" in shown
    assert ":8501" not in shown
