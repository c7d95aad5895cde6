"""A workshop of 40 phones activating VNeID level 2 at once: how long the domain takes.

40 threads, each a persona in "eid_approved", walk the whole activation (start, OTP, password,
passcode, security questions) and then a portal log-in with VNeID, on one sandbox file through
``store.write``. Prints the per-step latency (median, p95, max), total time, and the cost of one
scrypt hash (every password, passcode, answer and OTP is hashed). No figure is asserted.
Run: .venv/bin/python bench/identity_workshop.py
"""

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["CDS_DATA_DIR"] = tempfile.mkdtemp(prefix="cds-bench-")

from workbench import databases, passwords  # noqa: E402
from workbench.sandbox import eid, otp, portal, scenarios

PHONES = 40
timings: dict[str, list[float]] = {}
lock = threading.Lock()


def timed(step: str, call, *args, **kwargs):
    start = time.perf_counter()
    result = call(*args, **kwargs)
    with lock:
        timings.setdefault(step, []).append(time.perf_counter() - start)
    return result


def learner(person: dict, errors: list) -> None:
    db = databases.sandbox()  # this thread's own connection
    pid = person["id"]
    try:
        timed("start_activation", eid.start_activation, db, pid, person["cccd"], person["phone"])
        code = otp.latest_code_for_tests(db, pid, "eid_activation")
        timed("confirm_otp", eid.confirm_activation_otp, db, pid, code)
        timed("set_password", eid.set_password, db, pid, "Congdan@2024", "Congdan@2024")
        timed("set_passcode", eid.set_passcode, db, pid, "482913", "482913")
        timed("set_security_questions", eid.set_security_questions, db, pid, {"q1": "Kim Đồng", "q5": "Vàng"})
        request = timed("portal_request", portal.request_vneid_login, db, pid, cccd=person["cccd"],
                        password="Congdan@2024")
        timed("answer_on_phone", eid.answer_request, db, pid, request, "482913")
        timed("portal_complete", portal.complete_vneid_login, db, pid, request)
    except Exception as error:  # noqa: BLE001 - counted and printed, never hidden
        errors.append(repr(error))


def main() -> None:
    start = time.perf_counter()
    for _ in range(20):
        passwords.hash_secret("123456", passwords.SANDBOX)
    hash_ms = (time.perf_counter() - start) / 20 * 1000
    db = databases.sandbox()
    people = [scenarios.create(db, "eid_approved", seed=None) for _ in range(PHONES)]
    errors: list = []
    threads = [threading.Thread(target=learner, args=(person, errors)) for person in people]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = time.perf_counter() - start
    level2 = sum(eid.level(db, p["id"]) == 2 for p in people)
    print(f"scrypt hash (n={passwords.SANDBOX['n']}): {hash_ms:.1f} ms")
    print(f"{PHONES} phones, {level2} at level 2 with a portal log-in, errors: {len(errors)} {errors[:3]}")
    print(f"total wall time: {total:.2f} s")
    print(f"{'step':<24}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}")
    for step, values in timings.items():
        values.sort()
        p95 = values[int(0.95 * (len(values) - 1))]
        print(f"{step:<24}{statistics.median(values) * 1000:>10.1f}{p95 * 1000:>9.1f}{values[-1] * 1000:>9.1f}")


if __name__ == "__main__":
    main()
