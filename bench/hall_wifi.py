"""Thirty phones join a workshop at once over the hall's wifi (issue 14): one access point of
about 20 Mbit/s in all, a hall's latency. Prints the time from scanning the QR until each phone
shows its persona's first lesson (p50, p95, max) and the bytes each phone downloaded.
Target: p95 <= 10 s.

The shared link: each phone's Chromium throttles itself to its share (DevTools'
``Network.emulateNetworkConditions``: 20/N Mbit/s down, 10/N up, 60 ms latency; a hall's access
point under load). Chosen over a network namespace with ``tc netem`` because it needs no root
and runs the same on a trainer's laptop and in CI; a fixed share is slightly pessimistic (a real
link gives a phone more while others are idle), and it throttles HTTP, not the websocket's
small messages. Each phone asks for gzip as a phone on the plain-http LAN does (Chromium asks
loopback for zstd too). The phones' Chromium runs below the server's priority
(bench/workshop_load.py's ``niced_chromium``): in a hall each phone has its own CPU.

This laptop is the server and all N phones at once: thirty Chromiums starting Streamlit's
JavaScript on two cores wait for the CPU, which in a hall each phone has for itself. The run
prints how busy the CPU was. ``--at-once K`` runs at most K phones at the same time, each still
at its 1/N share of the link (the share does not depend on who else is running): the hall's
wifi with each phone on a CPU of its own. The server's side of N phones at once is measured by
bench/workshop_load.py.

Only loopback; N phones, each bounded by ``--timeout`` seconds.

Run: .venv/bin/python bench/hall_wifi.py [--phones 30] [--at-once 30] [--mbit 20] [--latency 60] [--no-proxy]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.workshop_load import close_page_not_found, niced_chromium, percentile  # noqa: E402
from tests.browser.util import CHROMIUM_ARGS, PHONE, app_sandbox, start_app  # noqa: E402
from workbench.learning.workshops import hall  # noqa: E402

LAN_PHONE = {"Accept-Encoding": "gzip, deflate"}  # what a phone asks a plain-http LAN address for
JOINED = "[data-testid='stPageLink'] a[href*='phone']"  # the first lesson's step, drawn for the persona
NAME_BOX = ".st-key-join_display_name input"  # /join's "Tên của bạn"


async def drawn(page, selector: str) -> None:
    """Until ``selector`` is on screen, checked at every frame the phone draws. Playwright's own
    waits retry at growing intervals (up to half a second late), which timed the bench, not the hall."""
    await page.wait_for_function("s => { const e = document.querySelector(s); return !!e && e.getBoundingClientRect().height > 0 }",
                                 arg=selector, polling="raf")


async def join_one(browser, n: int, join_url: str, share: dict, timeout_ms: int, received: dict) -> dict:
    """One phone: scan (open the join URL), type a name, tap "Vào buổi tập", until the persona's
    first lesson is drawn. Typing is instant here: the wait measured is the hall's, not the person's."""
    context = await browser.new_context(viewport=PHONE, locale="vi-VN", extra_http_headers=LAN_PHONE)
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    cdp = await context.new_cdp_session(page)
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]))
    await cdp.send("Network.enable")
    await cdp.send("Network.emulateNetworkConditions", share)
    started = time.perf_counter()
    try:
        await page.goto(join_url, wait_until="commit")
        await drawn(page, NAME_BOX)
        await close_page_not_found(page)
        await page.locator(NAME_BOX).fill(f"Người {n + 1:02d}")
        await page.get_by_role("button", name="Vào buổi tập").click()
        await drawn(page, JOINED)
        return {"seconds": time.perf_counter() - started, "bytes": sum(received.values()), "error": None}
    except Exception as error:  # a phone that never got there: counted, never hidden
        return {"seconds": None, "bytes": sum(received.values()),
                "error": f"phone {n + 1}: {type(error).__name__}: {str(error).splitlines()[0][:120]}"}
    finally:
        await context.close()


async def bounded(browser, n: int, join_url: str, share: dict, seconds: float) -> dict:
    """One phone's whole join, cut off after ``seconds``: the bench always ends."""
    received: dict[str, int] = {}  # request id -> bytes, kept when the phone is cut off
    try:
        return await asyncio.wait_for(join_one(browser, n, join_url, share, seconds * 1000, received), seconds)
    except asyncio.TimeoutError:
        return {"seconds": None, "bytes": sum(received.values()),
                "error": f"phone {n + 1}: not there after {seconds:.0f} s"}


async def run(args, base: str, data_dir: Path) -> list[dict]:
    from playwright.async_api import async_playwright

    with app_sandbox(data_dir) as db:
        evening = hall.create(db, name="Hall wifi", place="Hội trường", date="2026-11-25",
                              lessons_planned=["vneid_activation"])
    join_url = f"{base}/{hall.join_path(evening)}"
    share = {"offline": False, "latency": args.latency,
             "downloadThroughput": args.mbit * 1e6 / 8 / args.phones,
             "uploadThroughput": args.mbit * 1e6 / 16 / args.phones}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=niced_chromium(args.phones_nice),
                                                   args=CHROMIUM_ARGS, headless=True)
        turns = asyncio.Semaphore(args.at_once or args.phones)

        async def phone(n: int) -> dict:
            async with turns:
                return await bounded(browser, n, join_url, share, args.timeout)

        try:
            return await asyncio.gather(*(phone(n) for n in range(args.phones)))
        finally:
            await browser.close()


def cpu_times() -> tuple[int, int] | None:
    """(busy, total) jiffies of the whole machine, from /proc/stat; None where there is none."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def cpu_busy(before, after) -> float | None:
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=30, choices=range(1, 61), metavar="N (1-60)")
    parser.add_argument("--mbit", type=float, default=20.0, help="the access point's Mbit/s, shared (default 20)")
    parser.add_argument("--latency", type=float, default=60.0, help="ms added to every request (default 60)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds a phone may take before it counts as failed")
    parser.add_argument("--at-once", type=int, default=0, metavar="K",
                        help="at most K phones at the same time, each at its 1/N share (default: all N)")
    parser.add_argument("--port", type=int, default=8610)
    parser.add_argument("--phones-nice", type=int, default=19)
    parser.add_argument("--no-proxy", action="store_true", help="Streamlit alone, as before issue 14")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="cds-hall-wifi-"))
    server, base = start_app(data_dir, port=args.port, proxy=not args.no_proxy)
    try:
        busy_before = cpu_times()
        results = asyncio.run(run(args, base, data_dir))
        busy = cpu_busy(busy_before, cpu_times())
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)
    times = sorted(r["seconds"] for r in results if r["seconds"] is not None)
    sizes = [r["bytes"] for r in results]
    route = "Streamlit alone (--no-proxy)" if args.no_proxy else "Caddy in front (make run)"
    at_once = args.at_once or args.phones
    print(f"hall wifi: {args.phones} phones join, {args.mbit:g} Mbit/s shared ({args.mbit / args.phones:.2f} a phone), "
          f"{args.latency:g} ms; {route}")
    print(f"  on this laptop at the same time: {min(at_once, args.phones)} phone(s); its CPU busy "
          + (f"{busy:.0%}" if busy is not None else "(unknown)") + f" of the run ({os.cpu_count()} cores)")
    if times:
        print(f"  scan -> persona's lesson drawn: p50 {percentile(times, 50):.1f} s  p95 {percentile(times, 95):.1f} s  "
              f"max {times[-1]:.1f} s  (target p95 <= 10 s)")
    print(f"  bytes per phone: median {statistics.median(sizes) / 1e6:.2f} MB  max {max(sizes) / 1e6:.2f} MB")
    errors = [r["error"] for r in results if r["error"]]
    print(f"  phones that did not get there: {len(errors)}")
    for error in errors[:5]:
        print(f"    {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
