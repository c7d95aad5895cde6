"""The import page (issue 15, item 5): whatever goes wrong with a file, the page says so in a
message and never shows a stack trace. AppTest has no file uploader, so the upload is faked."""

from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from tests import hostile_files as hostile
from workbench import databases
from workbench.tracker import auth, citizens, demo, importer

ROOT = Path(__file__).resolve().parents[2]


class Upload:
    def __init__(self, path: Path):
        self.name, self._data = path.name, path.read_bytes()

    def getvalue(self) -> bytes:
        return self._data


@pytest.fixture
def official(data_dir):
    db = databases.tracker()
    demo.seed(db, count=0)
    return auth.create_first_official(db, username="chu.tich", display_name="Chủ tịch xã", secret="matkhau-123")


def dry_run(monkeypatch, official, path: Path) -> AppTest:
    monkeypatch.setattr(streamlit, "file_uploader", lambda *args, **kwargs: Upload(path))
    app = AppTest.from_file(str(ROOT / "pages" / "tracker" / "importer.py"), default_timeout=30)
    app.session_state["lang"] = "vi"
    app.session_state["tracker_user_id"] = official
    app.run()
    app.button(key="import_dry_run").click().run()
    return app


def test_an_unclosed_quote_is_a_message_with_its_row(monkeypatch, official, tmp_path):
    app = dry_run(monkeypatch, official, hostile.unclosed_quote_csv(tmp_path / "quote.csv"))
    assert not app.exception
    assert [e.value for e in app.error] == [importer.i18n.t("tracker.import.error.csv_unclosed_quote", "vi", row=3)]


def test_an_unexpected_failure_is_a_message_never_a_stack_trace(monkeypatch, official, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(importer, "plan", broken)
    app = dry_run(monkeypatch, official, hostile.long_name_csv(tmp_path / "list.csv", length=20))
    assert not app.exception
    assert app.error[0].value == importer.i18n.t("tracker.import.error.unexpected", "vi")
    assert citizens.count(databases.tracker()) == 0
