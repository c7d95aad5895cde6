"""The laptop's own share of a phone's taps, without any browser (issue 14): the VNeID activation
taps on the simulated phone (open the app, activate, send CCCD, OTP, password, passcode) run in
Streamlit's AppTest for ROUNDS fresh workshop participants. Prints the median and p95 per tap and
the median per step. AppTest compiles the page on every run, which a server does once, so the
figures overstate the server's; compare two checkouts on the same machine, one after the other.

Run: .venv/bin/python bench/phone_taps.py [ROOT] [ROUNDS]   (ROOT: a checkout, default this one)
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 6
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ["CDS_DATA_DIR"] = tempfile.mkdtemp(prefix="cds-taps-")
subprocess.run([sys.executable, "-m", "workbench", "init"], check=True, capture_output=True, cwd=ROOT)

from streamlit.testing.v1 import AppTest  # noqa: E402

from workbench import databases  # noqa: E402
from workbench.learning.workshops import hall  # noqa: E402
from workbench.sandbox import personas, scenarios  # noqa: E402

db = databases.sandbox()
evening = hall.create(db, name="Bench", place="Hội trường", date="2026-11-25", lessons_planned=["vneid_activation"])
creds = scenarios.credentials()
seconds: dict[str, list[float]] = {}


def tap(app: AppTest, step: str, key: str, **typed) -> None:
    """Type ``typed`` (widget key → text), press the button ``key``, time the rerun."""
    for field, text in typed.items():
        app.text_input(key=field).input(text)
    start = time.perf_counter()
    app.button(key=key).click().run()
    seconds.setdefault(step, []).append(time.perf_counter() - start)
    assert not app.exception, app.exception


def latest_code(persona_id: str) -> str:
    row = next(db.query("select text from sms where persona_id = ? order by id desc limit 1", [persona_id]))
    return re.search(r"\b(\d{6})\b", row["text"]).group(1)


for n in range(ROUNDS):
    persona_id = hall.join(db, evening["join_code"], f"Người {n + 1}")["persona_id"]
    person = personas.get(db, persona_id)
    app = AppTest.from_file(str(ROOT / "pages/sandbox/phone.py"), default_timeout=60)
    app.session_state["lang"] = "vi"
    app.session_state["persona_id"] = persona_id
    app.query_params["p"] = persona_id
    app.run()
    tap(app, "open VNeID", "phone_open_vneid")
    tap(app, "activate", "vneid_go_activate")
    tap(app, "send CCCD", "vneid_activate_form_submit", vneid_act_cccd=person["cccd"], vneid_act_phone=person["phone"])
    tap(app, "OTP", "vneid_act_otp_form_submit", vneid_act_otp=latest_code(persona_id))
    tap(app, "password", "vneid_password_form_submit", vneid_pw=creds["vneid_password"], vneid_pw2=creds["vneid_password"])
    tap(app, "passcode", "vneid_passcode_form_submit", vneid_pc=creds["passcode"], vneid_pc2=creds["passcode"])

every = sorted(s for values in seconds.values() for s in values)
print(f"{ROOT.name}: {len(every)} taps, median {statistics.median(every) * 1000:.0f} ms, "
      f"p95 {statistics.quantiles(every, n=20)[-1] * 1000:.0f} ms;  "
      + "  ".join(f"{step} {statistics.median(values) * 1000:.0f}" for step, values in seconds.items()))
