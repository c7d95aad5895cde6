"""Today's names on the pages (issue 13): the desk is the commune's Trung tâm Phục vụ hành
chính công, the card the thẻ căn cước, in Vietnamese and English, filled from the rules in
force on the sandbox date — never a leftover ``{desk}`` placeholder."""

import pytest

from tests.pages.apptest import page, text
from workbench.sandbox import scenarios

NAMES = {
    "vi": ("Trung tâm Phục vụ hành chính công xã", "thẻ căn cước"),
    "en": ("Commune Public Administration Service Centre", "ID card (thẻ căn cước)"),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_desk_page_is_the_communes_public_service_centre(sandbox_db, lang):
    shown = text(page("sandbox/desk.py", lang=lang))
    assert NAMES[lang][0] in shown
    assert "{desk" not in shown and "một cửa" not in shown.lower() and "one-stop" not in shown.lower()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_police_page_names_the_card_of_today(sandbox_db, lang):
    pid = scenarios.create(sandbox_db, "fresh", seed=None)["id"]
    shown = text(page("sandbox/police.py", pid, lang=lang))
    assert NAMES[lang][1] in shown
    assert "{card" not in shown
