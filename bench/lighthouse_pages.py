"""Lighthouse 12.2.3, mobile preset, on the pages a phone in the hall opens first (issue 14):
/join (the workshop's QR), /phone (the simulated phone) and the home page. Prints, per page,
what a first visit transfers, of which JavaScript, the first contentful paint, and when the
largest element is drawn and the page answers (LCP, TTI: the app itself, not the "opening" text).
Targets: /join transfers <= 1 MB; /join's FCP <= 6 s.

Lighthouse is pinned in bench/node/package.json (+ package-lock.json); the first run installs
it there with ``npm ci``. It drives Debian's Chromium (CHROME_PATH). Its mobile preset
simulates a slow 4G phone (150 ms, 1.6 Mbit/s, CPU 4x slower). It asks for gzip, as a phone
on the hall's plain-http LAN does (Chromium would ask loopback for zstd too).

Run: .venv/bin/python bench/lighthouse_pages.py [--no-proxy] [--port 8620]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.util import CHROMIUM, start_app  # noqa: E402

NODE = ROOT / "bench" / "node"
LIGHTHOUSE = NODE / "node_modules" / ".bin" / "lighthouse"
PAGES = ["join", "phone", ""]  # pages/_ui/nav.py's URL paths; "" is the home page
LAN_PHONE = {"Accept-Encoding": "gzip, deflate"}


def ensure_lighthouse() -> str | None:
    """Install the pinned Lighthouse once; None when it cannot run here (and why is printed)."""
    if not shutil.which("npm") or not shutil.which("node"):
        return "node/npm not found"
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM}"
    if not LIGHTHOUSE.exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE, capture_output=True, text=True)
        if done.returncode != 0:
            return "npm ci failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    return None


def measure(url: str, throttling: str = "simulate") -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet", "--only-categories=performance",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
         f"--extra-headers={json.dumps(LAN_PHONE)}", "--max-wait-for-load=90000", f"--throttling-method={throttling}"],
        capture_output=True, text=True, env=env, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-300:])
    report = json.loads(done.stdout)
    audits = report["audits"]
    kinds = {item["resourceType"]: item for item in audits["resource-summary"]["details"]["items"]}
    return {"bytes": audits["total-byte-weight"]["numericValue"], "js": kinds.get("script", {}).get("transferSize", 0),
            "font": kinds.get("font", {}).get("transferSize", 0), "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tti": audits["interactive"]["numericValue"] / 1000,
            "error": report.get("runtimeError", {}).get("message")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-proxy", action="store_true", help="Streamlit alone, as before issue 14")
    parser.add_argument("--port", type=int, default=8620)
    parser.add_argument("--throttling", choices=["simulate", "devtools"], default="simulate",
                        help="simulate: Lighthouse's model (the preset); devtools: the page really loaded "
                             "through the same slow 4G and 4x CPU")
    args = parser.parse_args()
    why = ensure_lighthouse()
    if why:
        print(f"lighthouse: skipped ({why})")
        return 0
    data_dir = Path(tempfile.mkdtemp(prefix="cds-lighthouse-"))
    server, base = start_app(data_dir, port=args.port, proxy=not args.no_proxy)
    route = "Streamlit alone (--no-proxy)" if args.no_proxy else "Caddy in front (make run)"
    print(f"Lighthouse 12.2.3, mobile preset, first visit; {route}; throttling: {args.throttling}")
    print(f"  {'page':<8} {'transfer':>10} {'of it JS':>10} {'fonts':>9} {'FCP':>7} {'LCP':>7} {'TTI':>7}")
    try:
        for path in PAGES:
            found = measure(f"{base}/{path}", args.throttling)
            print(f"  /{path:<7} {found['bytes'] / 1e6:>8.2f} MB {found['js'] / 1e6:>7.2f} MB {found['font'] / 1e6:>6.2f} MB "
                  f"{found['fcp']:>5.1f} s {found['lcp']:>5.1f} s {found['tti']:>5.1f} s"
                  + (f"  ({found['error']})" if found["error"] else ""))
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)
    print("  targets: /join <= 1 MB, FCP on /join <= 6 s")
    print("  FCP is the first text a phone shows: since scripts/page_shell.py, \"Đang mở trang…\";")
    print("  LCP and TTI are when the app itself is drawn and answers taps")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
