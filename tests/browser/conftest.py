"""Browser journeys: a real ``streamlit run`` on a free port, driven by Debian's Chromium.

In CI (``CI=true``) these tests must run: a missing Chromium fails the run instead of
skipping. Nothing is downloaded: Playwright drives /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import axe
from tests.browser.util import CHROMIUM, CHROMIUM_ARGS, PHONE, start_app


# A rerun on a busy 2-core CI machine can take seconds: let ``expect(…)`` wait as long as a locator does.
expect.set_options(timeout=30_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def app_data_dir():
    folder = Path(tempfile.mkdtemp(prefix="cds-browser-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def app_url(app_data_dir):
    # CDS_TEST_PORT: a port of one's own when several people share the machine (issue 14)
    process, base = start_app(app_data_dir, port=int(os.environ["CDS_TEST_PORT"]) if os.environ.get("CDS_TEST_PORT") else None)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must run the browser tests (.ci/run installs it)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    if not axe.installed():
        # The journeys check accessibility with axe-core (issue 14): without it they would pass unchecked.
        if os.environ.get("CI") == "true":
            pytest.fail(axe.missing_message())
        pytest.skip(axe.missing_message())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Factory: ``new_page(PHONE)`` opens a fresh browser context (its own session) at that size."""
    contexts = []

    def make(viewport=PHONE):
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield make
    for context in contexts:
        context.close()


