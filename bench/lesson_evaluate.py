"""What one lesson check costs: ``lessons.progress.evaluate`` is what the lesson page runs every 3 s and
the lesson strip on every sandbox page every 4 s, for each phone in the hall.

Prints the median and 95th-percentile time of one evaluation for a learner midway through
lesson 2, in a sandbox holding 40 learners' events, and the implied load for 40 phones.
Run: .venv/bin/python bench/lesson_evaluate.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["CDS_DATA_DIR"] = tempfile.mkdtemp()

from workbench import databases  # noqa: E402
from workbench.sandbox import eid, otp
from workbench.learning.lessons import progress

PHONES, RUNS = 40, 200


def main() -> None:
    db = databases.sandbox()
    learners = []
    for _ in range(PHONES):
        person = progress.start_with_new_persona(db, "vneid_activation")
        eid.start_activation(db, person["id"], person["cccd"], person["phone"])
        try:
            eid.confirm_activation_otp(db, person["id"], otp.ALWAYS_WRONG)
        except otp.OtpError:
            pass
        eid.confirm_activation_otp(db, person["id"], otp.latest_code_for_tests(db, person["id"], "eid_activation"))
        learners.append(person["id"])
    events = db.execute("select count(*) from events").fetchone()[0]
    times = []
    for n in range(RUNS):
        started = time.perf_counter()
        progress.evaluate(db, learners[n % PHONES], "vneid_activation")
        times.append(time.perf_counter() - started)
    median = statistics.median(times) * 1000
    p95 = sorted(times)[int(RUNS * 0.95)] * 1000
    per_second = PHONES / 3 + PHONES / 4  # lesson page every 3 s, strip every 4 s, worst case both open
    print(f"sandbox events: {events}, learners: {PHONES}")
    print(f"lessons.progress.evaluate: median {median:.2f} ms, p95 {p95:.2f} ms over {RUNS} runs")
    print(f"{PHONES} phones: ~{per_second:.0f} evaluations/s -> ~{per_second * median / 1000:.2f} s of CPU per s")


if __name__ == "__main__":
    main()
