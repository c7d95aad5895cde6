"""How long a wrong sign-in takes for a known and an unknown username (issue 15, item 9).

    python bench/tracker_signin_timing.py [TRIES]

At the tracker's real scrypt cost, in a temporary data folder: TRIES wrong tries (default 40)
on a real account and as many on a made-up username, alternated, each from its own client,
the clock moved on an hour every four tries of each so no lock cuts them short. Prints the median and spread of
each; the two should agree within noise, since an unknown username is checked against a
dummy hash of the same cost. Asserts nothing about time.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(tries: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        from workbench import databases, store
        from workbench.tracker import auth
        from workbench.tracker.errors import TrackerError

        os.environ[store.DATA_DIR_ENV] = folder
        store.forget_connections()
        db = databases.tracker()
        auth.create_first_official(db, username="chu.tich", display_name="Chủ tịch xã", secret="matkhau-123")
        times = {"known": [], "unknown": []}
        now = dt.datetime(2025, 5, 1, 8, 0)
        for i in range(tries * 2):
            kind = "known" if i % 2 == 0 else "unknown"
            name = "chu.tich" if kind == "known" else "khong.co"
            when = now + dt.timedelta(hours=i // 8)  # past every window and lock before a limit
            start = time.perf_counter()
            try:
                auth.login(db, name, "sai-mat-khau", now=when, client=f"bench:{i}")
            except TrackerError:
                pass
            times[kind].append(time.perf_counter() - start)
        for kind, values in times.items():
            values = values[1:]  # the first of each warms up (the dummy hash is made once)
            print(f"{kind:8} wrong try: median {statistics.median(values) * 1000:6.1f} ms, "
                  f"min {min(values) * 1000:6.1f} ms, max {max(values) * 1000:6.1f} ms ({len(values)} tries)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
