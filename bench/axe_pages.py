"""Accessibility of the citizen pages at 360 px, as axe-core 4.14.1 counts it (issue 14).

Starts the app, visits the pages a citizen passes through on a 360×740 phone (home, the persona
page, the simulated phone, the police, VNeID on the web, the portal before and after log-in,
filing, a dossier asking for a clear photo, the payment gateway, the wallet, scan-to-pay,
lessons, joining a workshop) and the desk's and trainer's pages a citizen looks at (the fee QR,
the join QR), runs axe-core on each (tags wcag2a, wcag2aa, wcag21a, wcag21aa, best-practice)
and prints, per page, the count of violating nodes by impact in the app's own markup, then
Streamlit's own (tests/browser/axe.py, STREAMLIT_OWN). ``--detail`` lists each violation.
No figure is asserted: the journeys fail on a new critical or serious one.

Needs tests/browser/axe/node_modules (``make test`` installs it; or ``npm ci --prefix tests/browser/axe``).
Run: .venv/bin/python bench/axe_pages.py [--port 8850] [--detail]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import axe  # noqa: E402
from tests.browser.journeys import close_page_not_found, new_persona, portal_login  # noqa: E402
from tests.browser.util import CHROMIUM, CHROMIUM_ARGS, PHONE, app_sandbox, start_app, wait_for_app  # noqa: E402
from workbench import clock  # noqa: E402
from workbench.learning.workshops import hall  # noqa: E402
from workbench.sandbox.dossiers import desk, samples  # noqa: E402


def open_in_app(page, url_path: str) -> None:
    """The app's own navigation: keeps the session (and the portal log-in)."""
    page.locator(f"[data-testid='stSidebarNav'] a[href$='/{url_path}']").first.dispatch_event("click")
    wait_for_app(page)


def goto(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    close_page_not_found(page)


def setup(data_dir: Path) -> dict:
    """Personas and dossiers in the states the pages show most: a fresh persona, a ready one with
    a dossier whose fee is asked for and one whose photo the desk asked to take again."""
    fresh = new_persona(data_dir, "fresh")
    ready = new_persona(data_dir, "ready")
    with app_sandbox(data_dir) as db:
        paying = desk.file_at_desk(db, ready, "thuong_tru")
        desk.process(db, paying["code"])
        desk.approve(db, paying["code"])
        birth = samples.file_sample(db, ready, "khai_sinh")
        desk.receive(db, birth["code"])
        desk.request_supplement(db, birth["code"], "Ảnh Giấy chứng sinh bị mờ.")
        workshop = hall.create(db, name="Buổi tập đo axe", place="Nhà văn hóa thôn 1",
                               date=clock.now(db).date(), lessons_planned=["vneid_activation"])
    return {"fresh": fresh, "ready": ready, "birth": birth["code"], "workshop": workshop}


def visits(page, base: str, made: dict):
    """(name, action) in order; each action leaves the page where it is to be checked."""
    fresh, ready = made["fresh"], made["ready"]
    yield "home", lambda: goto(page, f"{base}/home")
    yield "join (no code)", lambda: goto(page, f"{base}/join")
    yield "lessons", lambda: goto(page, f"{base}/lessons?p={fresh}")
    yield "personas (choosing)", lambda: goto(page, f"{base}/personas")
    yield "personas", lambda: goto(page, f"{base}/personas?p={fresh}")
    for path in ("phone", "police", "vneid-web", "portal", "wallet", "pay"):
        yield path, (lambda path=path: open_in_app(page, path))
    yield "portal (logged in)", lambda: portal_login(page, base, ready)
    yield "services", lambda: open_in_app(page, "services")
    yield "dossiers", lambda: open_in_app(page, "dossiers")

    def supplement():
        page.get_by_role("button", name="Xem chi tiết").first.click()
        wait_for_app(page)
        page.get_by_text("Ảnh trong máy").first.wait_for()
    yield "dossier asking for a photo", supplement
    yield "payment", lambda: open_in_app(page, "payment")
    yield "desk-qr (shown to citizens)", lambda: goto(page, f"{base}/desk-qr")
    yield "join (with the code)", lambda: goto(page, f"{base}/join?code={made['workshop']['join_code']}")
    yield "workshop (join QR)", lambda: goto(page, f"{base}/workshop?w={made['workshop']['id']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8850)
    parser.add_argument("--detail", action="store_true")
    args = parser.parse_args()
    if not axe.installed():
        sys.exit(axe.missing_message())
    axe.check = lambda page, where: []  # the shared log-in steps check as they go; here we only count
    data_dir = Path(tempfile.mkdtemp(prefix="cds-axe-"))
    process, base = start_app(data_dir, port=args.port)
    totals = {"ours": {i: 0 for i in axe.IMPACTS}, "streamlit": {i: 0 for i in axe.IMPACTS}}
    try:
        made = setup(data_dir)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
            page.set_default_timeout(60_000)
            print(f"axe-core 4.14.1, {', '.join(axe.TAGS)}; 360×740; violating nodes by impact")
            print(f"{'page':34} {'app: crit ser mod min':>24}   {'Streamlit: crit ser mod min':>28}")
            for name, action in visits(page, base, made):
                action()
                ours, theirs = axe.split(axe.run(page))
                mine, upstream = axe.counts(ours), axe.counts(theirs)
                for impact in axe.IMPACTS:
                    totals["ours"][impact] += mine[impact]
                    totals["streamlit"][impact] += upstream[impact]
                print(f"{name:34} {'':>5}" + "".join(f"{mine[i]:>5}" for i in axe.IMPACTS)
                      + f"   {'':>10}" + "".join(f"{upstream[i]:>5}" for i in axe.IMPACTS))
                if args.detail:
                    for label, entries in (("app", ours), ("streamlit", theirs)):
                        for e in (entries if label == "app" else entries[:1]):
                            print(f"    {label} [{e['impact']}] {e['rule']}: {e['target']}  {e['html'][:110]}")
            print(f"{'total':34} {'':>5}" + "".join(f"{totals['ours'][i]:>5}" for i in axe.IMPACTS)
                  + f"   {'':>10}" + "".join(f"{totals['streamlit'][i]:>5}" for i in axe.IMPACTS))
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
