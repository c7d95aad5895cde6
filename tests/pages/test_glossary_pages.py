"""Every citizen page that shows a hard word of the real screens ("Toàn trình", "mức độ 2",
"passcode"…) also shows its plain explanation from the one glossary (issue 14, item 8).

The pages are run in AppTest for each persona's starting state and both languages, and
everything they draw is read: text, labels, help, options, expander titles."""

import pytest
from google.protobuf import text_format

from pages._ui import glossary
from tests.pages.apptest import page
from workbench import i18n
from workbench.sandbox import scenarios

CITIZEN_PAGES = ["home.py", "sandbox/personas.py", "sandbox/phone.py", "sandbox/police.py", "sandbox/vneid_web.py",
                 "sandbox/portal_account.py", "sandbox/services.py", "sandbox/dossiers.py", "sandbox/payment.py",
                 "sandbox/wallet.py", "sandbox/pay.py", "sandbox/desk.py", "sandbox/desk_qr.py", "sandbox/fees.py",
                 "learning/lessons.py", "learning/workshop_join.py"]
STATES = [None, "sim_unverified", "eid_approved", "ready"]
PHONE_SCREENS = ["shop", "vneid", "health"]


def everything_shown(app) -> str:
    """All the words a page drew, as one lower-case string."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(app._tree)
    return "\n".join(parts).lower()


def unexplained(app, lang: str) -> list[str]:
    shown = everything_shown(app)
    return [term for term in glossary.TERMS
            if any(form in shown for form in glossary.forms(term, lang))
            and i18n.t(f"glossary.{term}.plain", lang).lower() not in shown]


def runs(sandbox_db, name, state):
    pid = scenarios.create(sandbox_db, state, seed=None)["id"] if state else None
    yield {}, pid
    if name == "sandbox/phone.py" and pid:
        for screen in PHONE_SCREENS:
            yield {"phone_screen": screen}, pid


@pytest.mark.parametrize("name", CITIZEN_PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_hard_word_shown_is_explained_in_plain_words(sandbox_db, name, lang):
    missing = {}
    for state in STATES:
        for session, pid in runs(sandbox_db, name, state):
            app = page(name, pid, lang=lang, logged_in=state == "ready", state=session)
            assert not app.exception, [e.value for e in app.exception]
            if found := unexplained(app, lang):
                missing[f"{state} {session}"] = found
    assert not missing, f"{name} shows these words without their plain explanation: {missing}"


def test_the_glossary_has_every_word_in_both_languages():
    for lang in i18n.LANGUAGES:
        for term in glossary.TERMS:
            assert glossary.forms(term, lang) and i18n.t(f"glossary.{term}.plain", lang)
