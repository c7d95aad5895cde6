"""Helpers for browser journeys: start the app, wait for Streamlit, save screenshots."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import serve  # noqa: E402  (scripts/serve.py: the warm-up `make run` does)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("CDS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 768}


def free_port() -> int:
    """A free port: the first free one of ``CDS_TEST_PORTS`` ("8750-8799") when set (a shared
    machine gives each person a range), else any the system offers."""
    wanted = os.environ.get("CDS_TEST_PORTS", "")
    if "-" in wanted:
        low, high = (int(n) for n in wanted.split("-", 1))
        for port in range(low, high + 1):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                    return port
                except OSError:
                    continue
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(data_dir: Path, port: int | None = None, extra_env: dict | None = None,
              launcher: list[str] | None = None, proxy: bool = True):
    """Start the app as ``make run`` does (``scripts/serve.py``: Caddy on ``port`` in front of
    Streamlit) with demo data in ``data_dir``; return (server, base_url). ``server`` stops and
    waits like a process; its ``pid`` is Streamlit's.

    ``launcher`` replaces ``python -m streamlit`` (the benches run the server under a timer or a
    profiler that way); ``proxy=False`` is Streamlit alone, as before issue 14."""
    port = port or free_port()
    env = {**os.environ, "CDS_DATA_DIR": str(data_dir), "CDS_PUBLIC_URL": f"http://127.0.0.1:{port}",
           **(extra_env or {})}
    subprocess.run([sys.executable, "-m", "workbench", "init", "--port", str(port)], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    log = open(data_dir / f"streamlit-{port}.log", "w")
    server = serve.start(port, "127.0.0.1", proxy=proxy, env=env, launcher=launcher, log=log)
    # as `make run` does: healthy through the proxy, then warmed up (no "Page not found" on the first deep link)
    if not serve.wait_ready(server, 90):
        server.terminate()
        server.wait(timeout=20)
        raise RuntimeError(f"the app did not become healthy in 90 s; see {log.name}")
    return server, server.url


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit is connected and the script has finished its run."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_timeout(150)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextlib.contextmanager
def _app_database(data_dir: Path, kind: str):
    from workbench import databases, store

    before = os.environ.get(store.DATA_DIR_ENV)
    os.environ[store.DATA_DIR_ENV] = str(data_dir)
    store.forget_connections()
    try:
        yield databases.sandbox() if kind == store.SANDBOX else databases.tracker()
    finally:
        store.forget_connections()
        if before is None:
            os.environ.pop(store.DATA_DIR_ENV, None)
        else:
            os.environ[store.DATA_DIR_ENV] = before


def app_sandbox(data_dir: Path):
    """The running app's sandbox database, opened from the test process.

    A journey that starts mid-way (a persona already at level 2, a dossier awaiting payment)
    sets that state up through the domain functions here, then drives the browser. The test's
    own data folder is restored afterwards.
    """
    return _app_database(data_dir, "sandbox")


def app_tracker(data_dir: Path):
    """The running app's tracker database, opened from the test process (like ``app_sandbox``)."""
    return _app_database(data_dir, "tracker")


def metric_value(page, label: str):
    """The value of the ``st.metric`` labelled ``label``: found by its label, not its position,
    because while Streamlit reruns a page the metrics of the run before may still be showing."""
    metric = page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
    return metric.get_by_test_id("stMetricValue")
