"""A hall full of phones against one laptop (issue 7): N participants as Playwright browser
contexts (Debian's Chromium) against a real ``streamlit run``, each joining the workshop and
doing the VNeID activation lesson on the simulated phone, while the trainer's dashboard
refreshes itself. Each participant also reloads half-way (a phone that slept) and must find
its activation where it left it.

Prints, for each N: p50/p95/max latency of a step (click → the next screen is there), errors
(a Streamlit exception on a page, or a step that timed out) and lost progress (a reload that
did not resume, or a step done in the browser that the database does not have at the end).
Target: N = 30 with p95 < 2 s, 0 errors, 0 lost.

The participants' browsers run on the same machine as the server, so the figures include
Chromium's own CPU use: on a real evening the phones do that work, not the laptop.

Run: .venv/bin/python bench/workshop_load.py [N ...]   (default 10 20 30 40)
     --think 1.5   mean seconds a person waits between steps (default 1.5)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.util import CHROMIUM, CHROMIUM_ARGS, LAPTOP, PHONE, app_sandbox, start_app  # noqa: E402
from workbench import eid, lessons, personas, scenarios, workshop  # noqa: E402

VNEID = "vneid_activation"
STEP_TIMEOUT_MS = 60_000  # generous: the phones' Chromium shares the 2 cores with the server


class Participant:
    def __init__(self, n: int):
        self.n = n
        self.name = f"Người {n + 1:02d}"
        self.token: str | None = None
        self.latencies: list[tuple[str, float]] = []
        self.errors: list[str] = []
        self.lost: list[str] = []
        self.done_steps = 0


async def wait_idle(page) -> None:
    await page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                                 timeout=STEP_TIMEOUT_MS)


async def step(person: Participant, page, name: str, action, expect: str) -> None:
    """Do ``action`` and time it until ``expect`` (a selector of the next screen) is visible."""
    start = time.perf_counter()
    try:
        await action()
        await page.wait_for_selector(expect, state="visible", timeout=STEP_TIMEOUT_MS)
    except Exception:
        await page.screenshot(path=str(ROOT / "test-artifacts" / f"bench-{person.n}-{name.replace(' ', '_')}.png"),
                              full_page=True)
        raise RuntimeError(f"step {name!r}") from None
    person.latencies.append((name, time.perf_counter() - start))
    if await page.locator("[data-testid='stException']").count():
        person.errors.append(f"{name}: exception on the page")


def key(name: str, tag: str = "button") -> str:
    return f".st-key-{name} {tag}"


async def think(rng: random.Random, mean: float) -> None:
    await asyncio.sleep(rng.uniform(0.5 * mean, 1.5 * mean))


async def close_page_not_found(page) -> None:
    dialog = page.get_by_role("dialog").filter(has_text="Page not found")
    if await dialog.count():
        await page.keyboard.press("Escape")


async def run_participant(person: Participant, browser, base: str, join_url: str, details: dict,
                          think_mean: float, start_delay: float) -> None:
    rng = random.Random(person.n)
    creds = scenarios.credentials()
    context = await browser.new_context(viewport=PHONE, locale="vi-VN")
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        await asyncio.sleep(start_delay)
        await page.goto(join_url, wait_until="commit")
        await page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']")
        await wait_idle(page)
        await close_page_not_found(page)
        await page.get_by_role("textbox", name="Tên của bạn").fill(person.name)
        start = time.perf_counter()
        await page.get_by_role("button", name="Vào buổi tập").click()
        await page.wait_for_url(re.compile(r".*/lessons\?.*"), timeout=STEP_TIMEOUT_MS)
        await wait_idle(page)
        person.latencies.append(("join", time.perf_counter() - start))
        person.token = re.search(r"[?&]p=([^&]+)", page.url).group(1)
        cccd, number = details[person.token] if person.token in details else (None, None)
        if cccd is None:  # the bench process learns the fake CCCD the way a participant reads it on screen
            with app_sandbox(Path(details["__data_dir"])) as db:
                row = personas.get(db, person.token)
            cccd, number = row["cccd"], row["phone"]
        await think(rng, think_mean)

        await step(person, page, "open phone", lambda: page.goto(f"{base}/phone?p={person.token}", wait_until="commit"),
                   key("phone_open_vneid"))
        await think(rng, think_mean)
        await step(person, page, "open VNeID", lambda: page.click(key("phone_open_vneid")), key("vneid_go_activate"))
        await think(rng, think_mean)
        await step(person, page, "activate", lambda: page.click(key("vneid_go_activate")),
                   key("vneid_act_cccd", "input"))
        await page.fill(key("vneid_act_cccd", "input"), cccd)
        await page.fill(key("vneid_act_phone", "input"), number)
        await think(rng, think_mean)
        await step(person, page, "send CCCD", lambda: page.click(key("vneid_activate_form_submit")),
                   key("vneid_act_otp", "input"))
        person.done_steps = 1
        notify = await page.locator(".cds-notify", has_text="OTP").first.inner_text()
        code = re.search(r"\b(\d{6})\b", notify).group(1)
        await page.fill(key("vneid_act_otp", "input"), code)
        await think(rng, think_mean)
        await step(person, page, "OTP", lambda: page.click(key("vneid_act_otp_form_submit")), key("vneid_pw", "input"))
        person.done_steps = 2

        # The phone sleeps; the browser reloads: the activation must still be at the password step.
        await page.reload(wait_until="commit")
        await page.wait_for_selector(key("phone_open_vneid"), timeout=STEP_TIMEOUT_MS)
        await page.click(key("phone_open_vneid"))
        try:
            await page.wait_for_selector(key("vneid_pw", "input"), timeout=STEP_TIMEOUT_MS)
        except Exception:
            with app_sandbox(Path(details["__data_dir"])) as db:
                kept = eid.step(db, person.token) == "password"
            if kept:  # the database kept it: the page was only slow to show it
                person.errors.append("reload: the password step took over 60 s to show")
            else:
                person.lost.append("reload did not resume at the password step")
            return

        await page.fill(key("vneid_pw", "input"), creds["vneid_password"])
        await page.fill(key("vneid_pw2", "input"), creds["vneid_password"])
        await think(rng, think_mean)
        await step(person, page, "password", lambda: page.click(key("vneid_password_form_submit")),
                   key("vneid_pc", "input"))
        person.done_steps = 3
        await page.fill(key("vneid_pc", "input"), creds["passcode"])
        await page.fill(key("vneid_pc2", "input"), creds["passcode"])
        await think(rng, think_mean)
        await step(person, page, "passcode", lambda: page.click(key("vneid_passcode_form_submit")),
                   key("vneid_a1", "input"))
        person.done_steps = 4
        answers = list(creds["security_answers"].values())
        await page.fill(key("vneid_a1", "input"), answers[0])
        await page.fill(key("vneid_a2", "input"), answers[1])
        await think(rng, think_mean)
        await step(person, page, "security", lambda: page.click(key("vneid_security_form_submit")),
                   key("vneid_after_activation"))
        person.done_steps = 5
        await think(rng, think_mean)
        await step(person, page, "to login", lambda: page.click(key("vneid_after_activation")),
                   key("vneid_login_cccd", "input"))
        await page.fill(key("vneid_login_cccd", "input"), cccd)
        await page.fill(key("vneid_login_pw", "input"), creds["vneid_password"])
        await think(rng, think_mean)
        await step(person, page, "login", lambda: page.click(key("vneid_login_form_submit")), key("vneid_logout"))
        person.done_steps = 6
    except Exception as error:  # a timeout or a missing element: an error for this participant
        person.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:160]}")
    finally:
        await context.close()


async def run_trainer(browser, base: str, workshop_id: str, stop: asyncio.Event, errors: list) -> None:
    context = await browser.new_context(viewport=LAPTOP, locale="vi-VN")
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        await page.goto(f"{base}/workshop?w={workshop_id}", wait_until="commit")
        await page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']")
        await wait_idle(page)
        await close_page_not_found(page)
        await page.get_by_role("tab", name="Theo dõi trực tiếp").click()
        while not stop.is_set():  # the fragment refreshes by itself; just watch for exceptions
            await asyncio.sleep(2)
            if await page.locator("[data-testid='stException']").count():
                errors.append("trainer: exception on the dashboard")
                break
    except Exception as error:
        errors.append(f"trainer: {type(error).__name__}: {str(error).splitlines()[0][:160]}")
    finally:
        await context.close()


async def run_hall(n: int, base: str, data_dir: Path, think_mean: float, args_stagger: float = 1.0) -> dict:
    from playwright.async_api import async_playwright

    with app_sandbox(data_dir) as db:
        hall = workshop.create(db, name=f"Bench {n}", place="Hội trường", date="2026-11-25", lessons_planned=[VNEID])
    join_url = f"{base}/{workshop.join_path(hall)}"
    people = [Participant(i) for i in range(n)]
    trainer_errors: list[str] = []
    stop = asyncio.Event()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        trainer = asyncio.create_task(run_trainer(browser, base, hall["id"], stop, trainer_errors))
        started = time.perf_counter()
        await asyncio.gather(*(run_participant(p, browser, base, join_url, {"__data_dir": str(data_dir)},
                                               think_mean, start_delay=i * args_stagger) for i, p in enumerate(people)))
        elapsed = time.perf_counter() - started
        stop.set()
        await trainer
        await browser.close()

    lost = [f"{p.name}: {m}" for p in people for m in p.lost]
    with app_sandbox(data_dir) as db:
        for p in people:
            if not p.token:
                continue
            done = sum(1 for v in lessons.progress(db, p.token, VNEID).values() if v == "done")
            if done < p.done_steps:
                lost.append(f"{p.name}: browser finished {p.done_steps} steps, the database has {done}")
            if p.done_steps == 6 and eid.level(db, p.token) != 2:
                lost.append(f"{p.name}: finished but VNeID is not level 2")
        board = workshop.dashboard(db, hall["id"])
    latencies = sorted(s for p in people for _, s in p.latencies)
    by_step: dict[str, list[float]] = {}
    for p in people:
        for name, seconds in p.latencies:
            by_step.setdefault(name, []).append(seconds)
    errors = [f"{p.name}: {e}" for p in people for e in p.errors] + trainer_errors
    return {
        "n": n, "steps": len(latencies), "elapsed": elapsed,
        "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "max": max(latencies, default=0),
        "errors": errors, "lost": lost, "finished": board["totals"]["finished"],
        "by_step": {k: (percentile(sorted(v), 50), percentile(sorted(v), 95)) for k, v in by_step.items()},
    }


def start_profiled_app(data_dir: Path, out: str):
    """``start_app`` with the server run under bench/profile_server.py's sampler."""
    import os
    import subprocess
    import urllib.request

    from tests.browser.util import free_port

    port = free_port()
    env = {**os.environ, "CDS_DATA_DIR": str(data_dir), "CDS_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "CDS_PROFILE_OUT": str(Path(out).resolve())}
    subprocess.run([sys.executable, "-m", "workbench", "init", "--port", str(port)], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "profile_server.py"), "run", "app.py",
                                "--server.port", str(port), "--server.address", "127.0.0.1",
                                "--server.headless", "true"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("profiled streamlit did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to see what the server itself costs."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        import os

        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 20, 30, 40])
    parser.add_argument("--think", type=float, default=1.5)
    parser.add_argument("--stagger", type=float, default=1.0, help="seconds between two phones joining")
    parser.add_argument("--profile", metavar="FILE", help="sample the server's stacks; write the hottest functions here")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}")
        return 1
    results = []
    for n in args.sizes:
        data_dir = Path(tempfile.mkdtemp(prefix="cds-bench-"))
        if args.profile:
            process, base = start_profiled_app(data_dir, f"{args.profile}.{n}")
        else:
            process, base = start_app(data_dir)
        try:
            cpu_before = cpu_seconds(process.pid)
            result = asyncio.run(run_hall(n, base, data_dir, args.think, args.stagger))
            result["server_cpu"] = cpu_seconds(process.pid) - cpu_before
        finally:
            process.terminate()
            process.wait(timeout=20)
        results.append(result)
        print(f"N={n:>3}  steps={result['steps']:>4}  p50={result['p50']:.2f}s  p95={result['p95']:.2f}s  "
              f"max={result['max']:.2f}s  errors={len(result['errors'])}  lost={len(result['lost'])}  "
              f"finished={result['finished']}/{n}  wall={result['elapsed']:.0f}s  "
              f"server CPU={result['server_cpu']:.0f}s ({result['server_cpu'] / max(1, result['steps']) * 1000:.0f} ms/step, "
              f"{result['server_cpu'] / max(1, result['elapsed']) * 100:.0f}% of a core)", flush=True)
        for name, (p50, p95) in result["by_step"].items():
            print(f"        {name:<12} p50={p50:.2f}s p95={p95:.2f}s")
        for line in (result["lost"] + result["errors"])[:8]:
            print(f"        ! {line}")
        shutil.rmtree(data_dir, ignore_errors=True)
    worst = next((r for r in results if r["n"] == 30), None)
    if worst:
        ok = worst["p95"] < 2 and not worst["errors"] and not worst["lost"]
        print(f"target N=30: p95 < 2 s, 0 errors, 0 lost → {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
