"""Streamlit's own English on our screens (issue 14, item 6), as far as AppTest sees it: the
photo uploader states and applies the limit the domain enforces, a date field's placeholder
is in the reader's language, and every page carries the one style and script that say
Streamlit's words in ours (what a browser shows is in tests/browser/test_phone_menu_and_words.py)."""

import pytest

from pages._ui import streamlit_words
from tests.pages.apptest import page
from workbench import i18n
from workbench.sandbox import personas, photos
from workbench.sandbox.dossiers import citizen


@pytest.fixture
def filing(sandbox_db):
    persona = personas.create(sandbox_db, seed=7)
    return persona["id"], citizen.start(sandbox_db, persona["id"], "khai_sinh")


def uploaders(app):
    return [node.proto for node in app.get("file_uploader")]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_photo_uploader_states_and_applies_the_domains_limit(filing, lang):
    persona_id, code = filing
    app = page("sandbox/services.py", persona_id, logged_in=True, lang=lang,
               state={"svc.step": "documents", "svc.proc": "khai_sinh", "svc.code": code})
    assert not app.exception
    limit_mb = photos.MAX_BYTES // (1024 * 1024)
    found = uploaders(app)
    assert found
    for uploader in found:
        assert uploader.max_upload_size_mb == limit_mb  # not the server's 20 MB
        assert f"{limit_mb} MB" in uploader.label


@pytest.mark.parametrize("lang, placeholder", [("vi", "ngày/tháng/năm"), ("en", "dd/mm/yyyy")])
def test_a_date_field_says_its_format_in_the_readers_language(filing, lang, placeholder):
    persona_id, code = filing
    app = page("sandbox/services.py", persona_id, logged_in=True, lang=lang,
               state={"svc.step": "page", "svc.page": 1, "svc.proc": "khai_sinh", "svc.code": code})
    assert not app.exception
    dates = [field for field in app.text_input if field.placeholder]
    assert dates and {field.placeholder for field in dates} == {placeholder}


@pytest.mark.parametrize("name", ["home.py", "sandbox/phone.py", "learning/workshop_join.py"])
def test_every_page_carries_the_style_and_script(name):
    app = page(name)
    bodies = [node.proto.body for node in app.get("html")]
    assert streamlit_words.style("vi") in bodies
    assert streamlit_words.script("vi") in bodies


def test_the_style_says_upload_in_the_readers_language():
    assert '"Chọn tệp"' in streamlit_words.style("vi")
    assert '"Choose a file"' in streamlit_words.style("en")
    assert i18n.t("common.streamlit.skip_to_content", "vi") in streamlit_words.script("vi")
