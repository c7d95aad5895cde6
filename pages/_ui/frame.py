"""The shared frame every page calls first: language, styles, the sandbox banner, and
store errors shown as a message instead of a stack trace."""

from __future__ import annotations

import contextlib

import streamlit as st

from pages._ui import plain, streamlit_words
from workbench import clock, databases, i18n, names, store
from workbench.errors import Refusal

CSS = """
<style>
/* Phone first: big touch targets, readable text. */
.stButton button, .stDownloadButton button, .stFormSubmitButton button, .stLinkButton a {
  min-height: 3rem; font-size: 1.05rem; }
div[data-testid="stTextInput"] input { font-size: 1.05rem; min-height: 2.8rem; }
.cds-sandbox-banner { background: repeating-linear-gradient(-45deg, #ffd400, #ffd400 14px, #ffb000 14px, #ffb000 28px);
  color: #1a1a1a; border: 3px solid #1a1a1a; border-radius: 6px; padding: .45rem .75rem; margin: 0 0 .9rem 0;
  font-weight: 800; letter-spacing: .04em; font-size: 1.1rem; text-align: center; }
.cds-sandbox-banner small { display:block; font-weight: 500; letter-spacing: 0; font-size: .82rem; }
.cds-sandbox-footer { position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000; background: #ffd400;
  color: #1a1a1a; text-align: center; font-weight: 800; font-size: .8rem; padding: 2px 0; border-top: 2px solid #1a1a1a;
  pointer-events: none; }
/* Captions carry instructions: Streamlit draws them at opacity .6 (3.7:1 on white), below WCAG
   AA's 4.5:1 (axe-core, issue 14); text at 80 % keeps them lighter than body text, at 6.5:1. */
[data-testid="stCaptionContainer"] { opacity: 1; color: rgba(49, 51, 63, 0.8); }
/* Sections are h2 under the page's h1 (headings in order, axe-core, issue 14), drawn at the size
   their h3 had, so a phone shows the same page. */
[data-testid="stMain"] h2 { font-size: 1.75rem; padding: .75rem 0 1rem 0; }
/* Our own markup is drawn by st.html, not Markdown with HTML: that made every phone fetch
   Streamlit's rehype-raw (~63 KB, issue 14). Spaced as Streamlit spaces Markdown (-1rem below). */
[data-testid="stHtml"] { margin-bottom: -1rem; }
/* An address in code type, as Markdown drew it (st.html has no Markdown styles). */
[data-testid="stHtml"] code { font-family: ui-monospace, "Roboto Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .75em; padding: .2em .4em;
  border-radius: .25rem; background: rgb(252, 252, 251); color: rgb(12, 90, 68); overflow-wrap: anywhere; }
/* 4rem: clear of Streamlit's 3.75rem header on a phone (the banner comes first on sandbox pages). */
@media (max-width: 640px) { .block-container { padding-left: .8rem; padding-right: .8rem; padding-top: 4rem; } }
</style>
"""


def current_lang() -> str:
    """The browser session's language: session state, else ``?lang=``, else Vietnamese."""
    lang = st.session_state.get("lang")
    if lang not in i18n.LANGUAGES:
        asked = st.query_params.get("lang")
        lang = asked if asked in i18n.LANGUAGES else i18n.DEFAULT
        st.session_state["lang"] = lang
    return lang


NAMES_ON = "_names_on"


def names_on():
    """The day whose law-dependent names (desk, card, report_to) this run shows: the sandbox
    clock's date on sandbox pages (set by ``page_setup``), else today's real date."""
    return st.session_state.get(NAMES_ON) or clock.real_now().date()


def t(key: str, **params) -> str:
    """``i18n.t`` in this session's language, with the names the law sets (``{desk}``,
    ``{card}``…, ``workbench.names``) filled for ``names_on()`` unless the caller gives them."""
    lang = current_lang()
    return i18n.t(key, lang, **{**names.params(names_on(), lang), **params})


def language_switch() -> None:
    lang = current_lang()
    chosen = st.sidebar.radio(
        i18n.t("common.language", lang),
        i18n.LANGUAGES,
        index=i18n.LANGUAGES.index(lang),
        format_func=i18n.language_name,
        horizontal=True,
        key="language_switch",
    )
    if chosen != lang:
        st.session_state["lang"] = chosen
        st.query_params["lang"] = chosen
        st.rerun()


def sandbox_banner() -> None:
    st.html(
        f'<div class="cds-sandbox-banner" role="note">{t("common.sandbox_banner")}'
        f'<small>{t("common.sandbox_banner_detail")}</small></div>'
        f'<div class="cds-sandbox-footer" aria-hidden="true">{t("common.sandbox_banner")}</div>'
    )


def page_setup(*, sandbox: bool = False, polls: bool = False) -> str:
    """Call once at the top of every page. Returns the language code.

    ``polls``: the page has a timed fragment of its own that also asks
    ``_workshop_nudge.arrived()``; then the trainer's messages get no timer of their own (one
    timer a page: each timed rerun makes the phone redraw the page)."""
    from pages._ui import workshop_nudge as _workshop_nudge

    lang = current_lang()
    st.html(CSS)  # only a style: Streamlit puts it where it takes no room
    streamlit_words.inject(lang)  # Streamlit's English words and the phone menu (issue 14)
    language_switch()
    st.session_state.pop(_workshop_nudge.SEEN, None)  # a poll compares with this run's messages only
    strip_polls = False
    st.session_state[NAMES_ON] = clock.real_now().date()
    if sandbox:
        sandbox_banner()
        # a broken data folder or database shows its message here, then stops
        st.session_state[NAMES_ON] = clock.now(sandbox_db()).date()
        strip_polls = lesson_strip()
    _workshop_nudge.show(poll=not (polls or strip_polls))  # the trainer's messages (issue 7)
    return lang


def lesson_strip() -> bool:
    """The current lesson step of this browser's persona, if it has a lesson going (issue 6).
    True when the strip is drawn (and so polls)."""
    from pages._ui.lesson_strip import draw

    try:
        return draw()
    except Exception as error:  # a lesson problem must never break another team's sandbox page
        print(f"[congdanso] lesson strip: {error!r}", flush=True)
        return False


ERROR_ICON = ":material/error:"


def refusal_text(error: Refusal, *, as_text: bool = False) -> str:
    """A refusal (``EidError``, ``TrackerError``…) in the reader's language: every ``Refusal``
    names its locale string and the values that fill it. ``as_text`` shows the values that
    came from people (names, what they typed) as the text they are, never as Markdown: the
    tracker's pages, whose values are real people's data, always pass it (``pages/_ui/plain``).
    A refusal holding several problems (``Refusal.also``) is a list, one line a problem."""
    messages = [t(key, **(plain.params(params) if as_text else params)) for key, params in error.problems]
    if len(messages) == 1:
        return messages[0]
    return "\n".join(f"- {message}" for message in messages)  # every problem at once (issue 14)


def show_refusal(error: Refusal, *, icon: str | None = ERROR_ICON, hint: str = "", as_text: bool = False) -> None:
    """Show a refused action where the user acted, in their language, never a stack trace.
    ``hint`` follows the message (what to do next, e.g. the tries left); the tracker's pages
    show their refusals with ``icon=None`` and ``as_text=True``."""
    message = refusal_text(error, as_text=as_text)
    st.error(f"{message} {hint}" if hint else message, icon=icon)


def show_store_error(error: store.StoreError) -> None:
    message = refusal_text(error)
    print(f"[congdanso] {message}", flush=True)
    st.error(message, icon=ERROR_ICON)


@contextlib.contextmanager
def store_guard():
    """Turn a StoreError into a clear message and stop the page, never a stack trace."""
    try:
        yield
    except store.StoreError as error:
        show_store_error(error)
        st.stop()


def sandbox_db():
    with store_guard():
        return databases.sandbox()


def tracker_db():
    with store_guard():
        return databases.tracker()


def province_db():
    """A province's database (issue 16): its users sign in as the tracker's do."""
    with store_guard():
        return databases.province()


def placeholder(what_key: str) -> None:
    st.info(t("common.placeholder.body", what=t(what_key)), icon=":material/construction:")


def page_link(page: str, **kwargs) -> None:
    """``st.page_link`` that also works when a page runs alone (AppTest runs a page file as its
    own entry point, where the app's navigation is unknown): then the label is shown as text."""
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(page, **kwargs)
    except StreamlitPageNotFoundError:
        st.markdown(f"→ {kwargs.get('label', page)}")
