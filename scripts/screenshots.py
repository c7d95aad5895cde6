"""Save every page at phone width (360×740) and laptop width (1366×768).

Starts the app on a free port with fresh demo data, visits each page of pages/_ui/nav.py,
and writes PNGs to screenshots/ (git-ignored). Run: make screenshots
"""

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from pages._ui import nav  # noqa: E402
from tests.browser.util import CHROMIUM, CHROMIUM_ARGS, LAPTOP, PHONE, start_app, wait_for_app  # noqa: E402

OUT = ROOT / "screenshots"


def url_paths() -> list[str]:
    return list(nav.URL_PATHS)


def main() -> int:
    OUT.mkdir(exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="cds-shots-"))
    process, base = start_app(data)
    paths = url_paths()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width_name, viewport in (("phone", PHONE), ("laptop", LAPTOP)):
                context = browser.new_context(viewport=viewport, locale="vi-VN")
                page = context.new_page()
                for n, path in enumerate(paths, 1):
                    page.goto(f"{base}/{path}")
                    wait_for_app(page)
                    page.screenshot(path=str(OUT / f"{path}-{width_name}.png"), full_page=True)
                    print(f"\r{width_name}: {n}/{len(paths)} {path:<20}", end="", file=sys.stderr, flush=True)
                print(file=sys.stderr)
                context.close()
            browser.close()
    finally:
        process.terminate()
        shutil.rmtree(data, ignore_errors=True)
    print(f"{2 * len(paths)} screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
