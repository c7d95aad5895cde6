"""Run a page in AppTest as a browser would reach it, and read what it shows.

One ``page()`` for every page test: a language, a persona (and its portal log-in), a tracker
user, the URL's query parameters and session state are keyword arguments."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def page(name: str, persona_id: str | None = None, *, lang: str = "vi", logged_in: bool = False,
         tracker_user_id: int | None = None, query: dict | None = None, state: dict | None = None) -> AppTest:
    """Run ``pages/<name>`` once. ``logged_in``: the persona is logged in to the portal
    (``portal_login``); ``tracker_user_id``: signed in to the tracker; ``query``: the URL's
    ``?key=value``; ``state``: anything else the browser session already holds."""
    app = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)  # the dashboard's first run is slow
    app.session_state["lang"] = lang
    if persona_id:
        app.session_state["persona_id"] = persona_id
        if logged_in:
            app.session_state["portal_login"] = persona_id
    if tracker_user_id is not None:
        app.session_state["tracker_user_id"] = tracker_user_id
    for key, value in (state or {}).items():
        app.session_state[key] = value
    for key, value in (query or {}).items():
        app.query_params[key] = value
    return app.run()


def text(app: AppTest) -> str:
    """Everything the page says: markdown, our own markup (st.html), captions, titles, alerts,
    as one string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "html", "caption", "error", "warning", "info",
                 "success"):
        parts += [str(element.value) for element in getattr(app, kind)]
    return "\n".join(parts)


def errors(app: AppTest) -> list[str]:
    return [e.value for e in app.error]


def click(app: AppTest, key: str) -> AppTest:
    return app.button(key=key).click().run()


def type_in(app: AppTest, **values) -> AppTest:
    for key, value in values.items():
        app.text_input(key=key).input(value)
    return app
