"""A hall full of phones against one laptop (issue 7): N participants as Playwright browser
contexts (Debian's Chromium) against a real ``streamlit run``, each joining the workshop and
doing the VNeID activation lesson on the simulated phone, while the trainer's dashboard
refreshes itself. Each participant also reloads half-way (a phone that slept) and must find
its activation where it left it.

Prints, for each N, latencies of a step, p50/p95/max:
- on the phone: the tap until the next screen is drawn (what the person sees), timed in the
  page from the click event's time stamp to a frame after the next screen's element appears;
- the test robot's wall clock around the same step, which adds Playwright's own work (finding
  the button, waiting until it is stable, polling for the next screen every half second);
- the laptop's answer: from the server reading the tap's rerun request to it queueing the
  "run finished" message (bench/timed_server.py; what the laptop costs, without the drawing);
then errors (a Streamlit exception on a page, or a step that timed out), lost (a tap that never
produced the next screen: idle on the same screen 60 s later, what was typed still there; a
reload that did not resume; a step done in the browser that the database does not have),
CPU of the server and of the phones' Chromium, and the server's peak memory.
Target: N = 30 with p95 < 2 s, 0 errors, 0 lost; the laptop's answer p95 < 0.5 s at N = 40 (issue 14).

The 30 phones' Chromium runs on the same 2 cores as the server; in a hall each phone draws on
its own CPU. So the phones run below the laptop's own work (``--phones-nice``, default 19: the
idle scheduling class, see ``niced_chromium``) and the latencies are printed apart. People act at a hall's pace (``--read``, ``--typing``: reading a
screen, then typing what it asks, at 150 characters a minute); ``--read 1.5 --typing 0`` is a
stress pace no hall reaches.

Run: .venv/bin/python bench/workshop_load.py [N ...]   (default 10 20 30 40)
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.util import CHROMIUM, CHROMIUM_ARGS, LAPTOP, PHONE, app_sandbox, start_app  # noqa: E402
from workbench.learning.lessons import progress as lesson_progress  # noqa: E402
from workbench.learning.workshops import hall, progress as workshop_progress  # noqa: E402
from workbench.sandbox import eid, personas, scenarios  # noqa: E402

VNEID = "vneid_activation"
OPEN_STEP_PAGE = "Mở trang để làm bước này"
STEP_TIMEOUT_MS = 60_000  # generous: the phones' Chromium shares the 2 cores with the server


class Participant:
    def __init__(self, n: int):
        self.n = n

        self.name = f"Người {n + 1:02d}"
        self.token: str | None = None
        self.latencies: list[tuple[str, float]] = []
        self.robot: list[float] = []  # the same steps as Playwright's wall clock saw them
        self.errors: list[str] = []
        self.lost: list[str] = []
        self.done_steps = 0


async def wait_idle(page) -> None:
    await page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                                 timeout=STEP_TIMEOUT_MS)


# Timed in the page, as a person sees it: from the tap (the click event's own time stamp, when
# the phone's browser got the finger) until a frame after the next screen's element appears.
# Playwright's own work around a click (finding the element, waiting until it is stable,
# polling for the next screen every half second) is not the person's wait; it is kept apart
# as the robot's time.
WATCH_NEXT_SCREEN = """(selector) => {
  window.__cdsTap = null;
  window.__cdsDrawn = new Promise((resolve) => {
    document.addEventListener("click", (e) => { window.__cdsTap = e.timeStamp; }, {capture: true, once: true});
    const look = () => {
      const el = document.querySelector(selector);
      if (window.__cdsTap === null || !el || !el.getClientRects().length) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve((performance.now() - window.__cdsTap) / 1000));
    };
    const observer = new MutationObserver(look);
    observer.observe(document, {subtree: true, childList: true, attributes: true});
  });
}"""


class LostTap(Exception):
    """A tap that never produced the next screen: the page is idle, connected, and still shows
    the screen the tap was on (what was typed is still there). A person taps once and waits."""


async def still_on_the_same_screen(page, url_before: str) -> bool:
    """After a step timed out: is the browser idle on the screen it tapped on (a lost tap), rather
    than still busy, disconnected or somewhere else (slow, or an error)?"""
    try:
        app = page.locator("[data-testid='stApp']")
        return (page.url == url_before and await app.get_attribute("data-test-script-state") == "notRunning"
                and await app.get_attribute("data-test-connection-state") == "CONNECTED"
                and not await page.locator("[data-testid='stException']").count())
    except Exception:
        return False


async def step(person: Participant, page, name: str, action, expect: str) -> None:
    """Do ``action`` and time it until ``expect`` (a selector of the next screen) is drawn."""
    await page.evaluate(WATCH_NEXT_SCREEN, expect)
    url_before = page.url
    start = time.perf_counter()
    tapped = False
    try:
        await action()  # Playwright's click: fails when the button never became clickable
        tapped = True
        await page.wait_for_selector(expect, state="visible", timeout=STEP_TIMEOUT_MS)
    except Exception:
        await page.screenshot(path=str(ROOT / "test-artifacts" / f"bench-{person.n}-{name.replace(' ', '_')}.png"),
                              full_page=True)
        if tapped and await still_on_the_same_screen(page, url_before):
            raise LostTap(f"the tap of step {name!r} never produced the next screen "
                          f"({STEP_TIMEOUT_MS // 1000} s; idle on the same screen)") from None
        raise RuntimeError(f"step {name!r}: {'no next screen' if tapped else 'could not tap'}") from None
    robot = time.perf_counter() - start
    try:
        drawn = await asyncio.wait_for(page.evaluate("window.__cdsDrawn"), timeout=10)
    except asyncio.TimeoutError:  # the observer missed it (never seen so far): count the robot's time
        drawn = robot
    person.latencies.append((name, drawn))
    person.robot.append(robot)
    if await page.locator("[data-testid='stException']").count():
        shown = await page.locator("[data-testid='stException']").first.inner_text()
        await page.screenshot(path=str(ROOT / "test-artifacts" / f"bench-{person.n}-{name.replace(' ', '_')}-exception.png"))
        person.errors.append(f"{name}: exception on the page: {' '.join(shown.split())[:160]}")


def key(name: str, tag: str = "button") -> str:
    return f".st-key-{name} {tag}"


@dataclass
class Pace:
    """How fast a person in the hall goes: ``read`` mean seconds to read a screen and decide,
    plus ``typing`` seconds per character typed (0.4 s: 150 characters a minute, a practised
    phone typist; first-timers in a commune hall are slower, so this overstates the load)."""

    read: float = 4.0
    typing: float = 0.4


async def think(rng: random.Random, pace: Pace, typed: str = "") -> None:
    await asyncio.sleep(rng.uniform(0.5 * pace.read, 1.5 * pace.read) + len(typed) * pace.typing)


async def close_page_not_found(page) -> None:
    dialog = page.get_by_role("dialog").filter(has_text="Page not found")
    if await dialog.count():
        await page.keyboard.press("Escape")


async def run_participant(person: Participant, browser, base: str, join_url: str, details: dict,
                          pace: Pace, start_delay: float) -> None:
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
        await think(rng, pace, person.name)  # reading the join page and typing a name take time too
        # Joined: the first lesson's step is drawn, with its "open the page" link.
        await step(person, page, "join", lambda: page.get_by_role("button", name="Vào buổi tập").click(),
                   "[data-testid='stPageLink'] a[href*='phone']")
        await page.wait_for_url(re.compile(r".*/lessons\?.*"), timeout=STEP_TIMEOUT_MS)
        await wait_idle(page)
        person.token = re.search(r"[?&]p=([^&]+)", page.url).group(1)
        cccd, number = details[person.token] if person.token in details else (None, None)
        if cccd is None:  # the bench process learns the fake CCCD the way a participant reads it on screen
            with app_sandbox(Path(details["__data_dir"])) as db:
                row = personas.get(db, person.token)
            cccd, number = row["cccd"], row["phone"]
        await think(rng, pace)

        # The lesson's "open the page for this step" link, as a person taps it: Streamlit moves
        # to the phone page inside the same session, without loading the app again.
        await step(person, page, "open phone", lambda: page.get_by_role("link", name=OPEN_STEP_PAGE).click(),
                   key("phone_open_vneid"))
        await think(rng, pace)
        await step(person, page, "open VNeID", lambda: page.click(key("phone_open_vneid")), key("vneid_go_activate"))
        await think(rng, pace)
        await step(person, page, "activate", lambda: page.click(key("vneid_go_activate")),
                   key("vneid_act_cccd", "input"))
        await page.fill(key("vneid_act_cccd", "input"), cccd)
        await page.fill(key("vneid_act_phone", "input"), number)
        await think(rng, pace, cccd + number)
        await step(person, page, "send CCCD", lambda: page.click(key("vneid_activate_form_submit")),
                   key("vneid_act_otp", "input"))
        person.done_steps = 1
        notify = await page.locator(".cds-notify", has_text="OTP").first.inner_text()
        code = re.search(r"\b(\d{6})\b", notify).group(1)
        await page.fill(key("vneid_act_otp", "input"), code)
        await think(rng, pace, code)
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
        await think(rng, pace, 2 * creds["vneid_password"])
        await step(person, page, "password", lambda: page.click(key("vneid_password_form_submit")),
                   key("vneid_pc", "input"))
        person.done_steps = 3
        await page.fill(key("vneid_pc", "input"), creds["passcode"])
        await page.fill(key("vneid_pc2", "input"), creds["passcode"])
        await think(rng, pace, 2 * creds["passcode"])
        await step(person, page, "passcode", lambda: page.click(key("vneid_passcode_form_submit")),
                   key("vneid_a1", "input"))
        person.done_steps = 4
        answers = list(creds["security_answers"].values())
        await page.fill(key("vneid_a1", "input"), answers[0])
        await page.fill(key("vneid_a2", "input"), answers[1])
        await think(rng, pace, answers[0] + answers[1])
        await step(person, page, "security", lambda: page.click(key("vneid_security_form_submit")),
                   key("vneid_after_activation"))
        person.done_steps = 5
        await think(rng, pace)
        await step(person, page, "to login", lambda: page.click(key("vneid_after_activation")),
                   key("vneid_login_cccd", "input"))
        await page.fill(key("vneid_login_cccd", "input"), cccd)
        await page.fill(key("vneid_login_pw", "input"), creds["vneid_password"])
        await think(rng, pace, cccd + creds["vneid_password"])
        await step(person, page, "login", lambda: page.click(key("vneid_login_form_submit")), key("vneid_logout"))
        person.done_steps = 6
    except LostTap as lost:
        person.lost.append(str(lost))
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


def niced_chromium(niceness: int) -> str:
    """A launcher running Chromium below the laptop's own work: in a hall the phones draw their
    screens on their own CPUs, so here the server must not queue behind 30 renderers for its 2
    cores. ``nice`` alone does not hold: Chromium sets its processes' priorities itself
    (renderers back to 0, and as root its browser and GPU processes up to -8, above the
    server). The idle scheduling class (``chrt --idle``) is inherited and Chromium leaves it."""
    if niceness <= 0:
        return CHROMIUM
    launcher = Path(tempfile.mkdtemp(prefix="cds-phones-")) / "chromium"
    launcher.write_text(f"#!/bin/sh\nexec chrt --idle 0 nice -n {niceness} {CHROMIUM} \"$@\"\n")
    launcher.chmod(0o755)
    return str(launcher)


async def run_hall(n: int, base: str, data_dir: Path, pace: Pace, args_stagger: float = 1.0,
                   phones_nice: int = 10) -> dict:
    from playwright.async_api import async_playwright

    with app_sandbox(data_dir) as db:
        evening = hall.create(db, name=f"Bench {n}", place="Hội trường", date="2026-11-25", lessons_planned=[VNEID])
    join_url = f"{base}/{hall.join_path(evening)}"
    people = [Participant(i) for i in range(n)]
    trainer_errors: list[str] = []
    stop = asyncio.Event()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=niced_chromium(phones_nice), args=CHROMIUM_ARGS,
                                                   headless=True)
        # The trainer's browser is on the laptop for real (the projector): its own, at normal priority.
        laptop = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        trainer = asyncio.create_task(run_trainer(laptop, base, evening["id"], stop, trainer_errors))
        started = time.perf_counter()
        await asyncio.gather(*(run_participant(p, browser, base, join_url, {"__data_dir": str(data_dir)},
                                               pace, start_delay=i * args_stagger) for i, p in enumerate(people)))
        elapsed = time.perf_counter() - started
        stop.set()
        await trainer
        await browser.close()
        await laptop.close()

    lost = [f"{p.name}: {m}" for p in people for m in p.lost]
    with app_sandbox(data_dir) as db:
        for p in people:
            if not p.token:
                continue
            done = sum(1 for v in lesson_progress.step_states(db, p.token, VNEID).values() if v == "done")
            if done < p.done_steps:
                lost.append(f"{p.name}: browser finished {p.done_steps} steps, the database has {done}")
            if p.done_steps == 6 and eid.level(db, p.token) != 2:
                lost.append(f"{p.name}: finished but VNeID is not level 2")
        board = workshop_progress.dashboard(db, evening["id"])
    latencies = sorted(s for p in people for _, s in p.latencies)
    robot = sorted(s for p in people for s in p.robot)
    by_step: dict[str, list[float]] = {}
    for p in people:
        for name, seconds in p.latencies:
            by_step.setdefault(name, []).append(seconds)
    errors = [f"{p.name}: {e}" for p in people for e in p.errors] + trainer_errors
    return {
        "n": n, "steps": len(latencies), "elapsed": elapsed,
        "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "max": max(latencies, default=0),
        "robot_p50": percentile(robot, 50), "robot_p95": percentile(robot, 95),
        "errors": errors, "lost": lost, "finished": board["totals"]["finished"],
        "by_step": {k: (percentile(sorted(v), 50), percentile(sorted(v), 95)) for k, v in by_step.items()},
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to see what the server itself costs."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        import os

        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def peak_rss_mb(pid: int) -> float:
    """The server's peak resident memory (VmHWM), to see that memory stays flat over a workshop."""
    try:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration, ValueError):
        return float("nan")


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine (/proc/stat): is the laptop out of CPU?"""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def descends_from_us(pid: int) -> bool:
    """Is ``pid`` a child, grandchild… of this process (our Chromium, not another one on the machine)?"""
    import os

    me = os.getpid()
    while pid > 1:
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            return False
        if pid == me:
            return True
    return False


SCHED_IDLE = 5


def in_idle_class(pid: int) -> bool:
    """Is the process scheduled in the idle class (the phones' Chromium, see niced_chromium)?"""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[38]) == SCHED_IDLE
    except (OSError, IndexError, ValueError):
        return False


class BrowserCPU:
    """CPU time of our Chromium's processes, sampled from /proc each half second while the hall
    runs (a renderer that exits between two samples loses at most half a second of its time).
    Chromium's renderers are not reaped into our rusage, so this is the only honest count.
    The phones' Chromium runs in the idle class and the trainer's does not: that tells them apart."""

    def __init__(self):
        import threading

        self.seen: dict[int, float] = {}
        self.idle: set[int] = set()
        self.start = self._sample_once(record=False)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _sample_once(self, record: bool = True) -> dict[int, float]:
        found = {}
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                if "chrom" not in (proc / "comm").read_text() or not descends_from_us(int(proc.name)):
                    continue
                seconds = cpu_seconds(int(proc.name))
                if seconds == seconds:  # NaN: the process exited while we read it
                    found[int(proc.name)] = seconds
                    if in_idle_class(int(proc.name)):
                        self.idle.add(int(proc.name))
            except OSError:
                continue
        if record:
            for pid, seconds in found.items():
                self.seen[pid] = max(seconds, self.seen.get(pid, 0.0))
        return found

    def _run(self) -> None:
        while not self._done.wait(0.5):
            self._sample_once()

    def stop(self) -> tuple[float, float]:
        """(the phones' Chromium, the trainer's Chromium) CPU seconds."""
        self._done.set()
        self._thread.join()
        used = {pid: seconds - self.start.get(pid, 0.0) for pid, seconds in self.seen.items()}
        phones = sum(v for pid, v in used.items() if pid in self.idle)
        return phones, sum(used.values()) - phones


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 20, 30, 40])
    parser.add_argument("--read", type=float, default=Pace.read,
                        help="mean seconds a person takes to read a screen before acting (default %(default)s)")
    parser.add_argument("--typing", type=float, default=Pace.typing,
                        help="seconds per character a person types (default %(default)s; 0 with --read 1.5 is "
                             "the old stress pace)")
    parser.add_argument("--phones-nice", type=int, default=19,
                        help="above 0: run the phones' Chromium in the idle scheduling class at this niceness (0: same "
                             "priority as the server)")
    parser.add_argument("--stagger", type=float, default=2.0,
                        help="seconds between two phones joining (default %(default)s: a hall scans the QR over a minute)")
    parser.add_argument("--port", type=int, default=0,
                        help="serve on this port (default: a free one); each N uses it in turn")
    parser.add_argument("--trace", action="store_true",
                        help="the server writes every rerun request and run end (bench/timed_server.py); kept in "
                             "test-artifacts/ when a tap is lost")
    parser.add_argument("--profile", metavar="FILE", help="sample the server's stacks; write the hottest functions here")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}")
        return 1
    results = []
    for n in args.sizes:
        data_dir = Path(tempfile.mkdtemp(prefix="cds-bench-"))
        timings = data_dir / "answers.txt"
        if args.profile:  # bench/profile_server.py: where the server's time goes
            process, base = start_app(data_dir, port=args.port or None, extra_env={"CDS_PROFILE_OUT": str(Path(f"{args.profile}.{n}").resolve())},
                                      launcher=[sys.executable, str(ROOT / "bench" / "profile_server.py")])
        else:  # bench/timed_server.py: how long the server takes to answer each tap
            traced = {"CDS_TRACE_OUT": str(data_dir / "trace.txt")} if args.trace else {}
            process, base = start_app(data_dir, port=args.port or None,
                                      extra_env={"CDS_TIMING_OUT": str(timings), **traced},
                                      launcher=[sys.executable, str(ROOT / "bench" / "timed_server.py")])
        try:
            cpu_before = cpu_seconds(process.pid)
            browsers = BrowserCPU()
            machine_before = machine_busy()
            result = asyncio.run(run_hall(n, base, data_dir, Pace(args.read, args.typing), args.stagger,
                                          args.phones_nice))
            result["server_cpu"] = cpu_seconds(process.pid) - cpu_before
            result["server_peak_mb"] = peak_rss_mb(process.pid)
            busy, total = (a - b for a, b in zip(machine_busy(), machine_before))
            result["machine_busy"] = busy / max(1, total)
            result["browser_cpu"], result["trainer_cpu"] = browsers.stop()
            answers = sorted(float(line.split()[0]) for line in timings.read_text().splitlines()
                             if line.strip()) if timings.exists() else []
            result.update(server_p50=percentile(answers, 50), server_p95=percentile(answers, 95),
                          server_max=max(answers, default=0), server_answers=len(answers))
        finally:
            process.terminate()
            process.wait(timeout=20)
        results.append(result)
        print(f"N={n:>3}  on the phone (tap → next screen drawn): p50={result['p50']:.2f}s "
              f"p95={result['p95']:.2f}s max={result['max']:.2f}s over {result['steps']} steps", flush=True)
        print(f"       the test robot's wall clock (find, wait until clickable, tap, poll): "
              f"p50={result['robot_p50']:.2f}s p95={result['robot_p95']:.2f}s")
        print(f"       the laptop's answer (request read → run finished, {result['server_answers']} taps): "
              f"p50={result['server_p50']:.2f}s p95={result['server_p95']:.2f}s max={result['server_max']:.2f}s")
        print(f"       errors={len(result['errors'])}  lost={len(result['lost'])}  finished={result['finished']}/{n}  "
              f"wall={result['elapsed']:.0f}s  machine busy={result['machine_busy'] * 100:.0f}%")
        print(f"       server CPU={result['server_cpu']:.0f}s ({result['server_cpu'] / max(1, result['steps']) * 1000:.0f} "
              f"ms/step, {result['server_cpu'] / max(1, result['elapsed']) * 100:.0f}% of a core), peak RSS="
              f"{result['server_peak_mb']:.0f} MB")
        print(f"       phones' Chromium CPU={result['browser_cpu']:.0f}s "
              f"({result['browser_cpu'] / max(1, n):.1f} s a phone, {result['browser_cpu'] / max(1, result['elapsed']):.2f} "
              f"cores);  the trainer's Chromium CPU={result['trainer_cpu']:.0f}s "
              f"({result['trainer_cpu'] / max(1, result['elapsed']):.2f} cores)")
        for name, (p50, p95) in result["by_step"].items():
            print(f"        {name:<12} p50={p50:.2f}s p95={p95:.2f}s")
        for line in (result["lost"] + result["errors"])[:8]:
            print(f"        ! {line}")
        if result["errors"] or result["lost"]:  # keep the server's console: the stack traces are there
            kept = ROOT / "test-artifacts" / f"bench-streamlit-N{n}.log"
            kept.parent.mkdir(exist_ok=True)
            for log in data_dir.glob("streamlit-*.log"):
                shutil.copy(log, kept)
                print(f"        the server's console: {kept}")
            if (data_dir / "trace.txt").exists():
                shutil.copy(data_dir / "trace.txt", kept.with_suffix(".trace.txt"))
                print(f"        the server's trace: {kept.with_suffix('.trace.txt')}")
        shutil.rmtree(data_dir, ignore_errors=True)
    worst = next((r for r in results if r["n"] == 30), None)
    if worst:
        clean = not worst["errors"] and not worst["lost"]
        for label, p95 in (("on the phone", worst["p95"]), ("the laptop's answer", worst["server_p95"])):
            ok = p95 < 2 and clean
            print(f"target N=30, {label}: p95 < 2 s, 0 errors, 0 lost → {'met' if ok else 'NOT met'}")
    hall_of_40 = next((r for r in results if r["n"] == 40), None)
    if hall_of_40:
        ok = hall_of_40["server_p95"] < 0.5 and not hall_of_40["errors"] and not hall_of_40["lost"]
        print(f"target N=40, the laptop's answer: p95 < 0.5 s, 0 errors, 0 lost → {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
