"""Start the workbench's Streamlit server, wait until it answers, and warm it up.

Why the warm-up: with ``st.navigation``, the very first browser session after a server start
that opens a deep link (a phone scanning the workshop's join QR to ``/join``) gets Streamlit's
"Page not found" dialog over the right page, because the server learns the page list only
when ``app.py`` first runs (streamlit/streamlit#9992). One scripted session that runs
``app.py`` before anyone connects makes every later deep link resolve cleanly.

    python scripts/serve.py [--port 8501] [--address 0.0.0.0]

Used by ``make run``, ``scripts/run-windows.bat`` and the browser tests.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wait_healthy(base: str, process: subprocess.Popen | None = None, seconds: float = 90) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


async def _run_app_once(ws_url: str, seconds: float) -> None:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None) as socket:
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = ""
        await socket.send(message.SerializeToString())
        deadline = time.time() + seconds
        while time.time() < deadline:
            raw = await asyncio.wait_for(socket.recv(), timeout=max(0.1, deadline - time.time()))
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            if forward.WhichOneof("type") == "script_finished":
                return


def warm_up(base: str, seconds: float = 60) -> bool:
    """Run ``app.py`` once through a scripted session. Returns False (and says so) on failure:
    the app still works, only the first deep link may show the dialog."""
    ws_url = base.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
    failure: list[Exception] = []

    def run() -> None:  # a thread of its own: the caller may already run an event loop (Playwright)
        try:
            asyncio.run(_run_app_once(ws_url, seconds))
        except Exception as error:  # the server still serves; never stop the start-up for this
            failure.append(error)

    worker = threading.Thread(target=run, name="warm-up")
    worker.start()
    worker.join()
    if failure:
        print(f"[congdanso] warm-up skipped: {failure[0]!r}", file=sys.stderr, flush=True)
    return not failure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="0.0.0.0")
    args = parser.parse_args(argv)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", args.address,
         "--server.port", str(args.port), "--server.headless", "true"],
        cwd=ROOT,
    )
    try:
        if wait_healthy(f"http://127.0.0.1:{args.port}", process):
            warm_up(f"http://127.0.0.1:{args.port}")
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            return 1


if __name__ == "__main__":
    raise SystemExit(main())
