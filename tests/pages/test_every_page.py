"""Every page renders with no exception, in both languages; sandbox pages carry the banner,
tracker pages never do."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import page
from pages._ui import nav

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT / "pages").as_posix() for p in (ROOT / "pages").rglob("*.py")
               if not p.name.startswith("_") and "_ui" not in p.parts)


def markdown_text(app: AppTest) -> str:
    """Markdown and our own markup (``st.html``, which the banner uses since issue 14)."""
    return "\n".join([m.value for m in app.markdown] + [h.value for h in app.html])


def test_every_page_file_is_registered_in_app_py():
    registered = {page.file for page in nav.PAGES}  # app.py builds its navigation from this table
    for name in PAGES:
        assert f"pages/{name}" in registered, name


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_page_renders_without_exception(name, lang):
    app = page(name, lang=lang)
    assert not app.exception, [e.value for e in app.exception]
    assert app.title or app.header or app.subheader, f"{name} has no title"


@pytest.mark.parametrize("name", [p for p in PAGES if p.startswith("sandbox/")])
def test_sandbox_pages_show_the_banner(name):
    assert "MÔ PHỎNG — SANDBOX" in markdown_text(page(name))


@pytest.mark.parametrize("name", [p for p in PAGES if not p.startswith("sandbox/")])
def test_other_pages_never_show_the_banner(name):
    assert 'class="cds-sandbox-banner"' not in markdown_text(page(name))


def test_language_switch_turns_the_home_page_english():
    app = page("home.py")
    assert app.title[0].value == "Công dân số Workbench"
    app.sidebar.radio(key="language_switch").set_value("en").run()
    assert app.title[0].value == "Digital Citizen Workbench"
    assert app.session_state["lang"] == "en"


def test_a_broken_data_folder_shows_a_clear_message_not_a_traceback(tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("CDS_DATA_DIR", str(blocker / "data"))
    from workbench import store

    store.forget_connections()
    app = page("sandbox/phone.py")
    assert not app.exception
    assert "CDS_DATA_DIR" in app.error[0].value
    store.forget_connections()
