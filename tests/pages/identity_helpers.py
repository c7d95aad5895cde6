"""Small helpers for the identity pages' AppTests (persona, phone, police, portal)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def page(name: str, persona_id: str | None = None, lang: str = "vi", **state) -> AppTest:
    app = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=30)
    app.session_state["lang"] = lang
    if persona_id:
        app.session_state["persona_id"] = persona_id
    for key, value in state.items():
        app.session_state[key] = value
    return app.run()


def text(app: AppTest) -> str:
    """Everything the page says: markdown, captions, titles, alerts, as one string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success"):
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
