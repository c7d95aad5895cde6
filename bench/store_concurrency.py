"""8 threads × 500 read-then-write operations on one SQLite file, through ``store.write``
(BEGIN IMMEDIATE) and, for contrast, through a plain deferred transaction.

Prints rows written, "database is locked" errors, lost rows, throughput and latency.
Run: .venv/bin/python bench/store_concurrency.py
"""

import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench import store  # noqa: E402

THREADS, OPS = 8, 500


def run(mode: str) -> dict:
    path = Path(tempfile.mkdtemp()) / "bench.db"
    setup = store.open_connection(path)
    setup.execute("create table counter (id integer primary key, n integer, thread integer)")
    setup.close()
    errors, latencies = [], []
    lock = threading.Lock()

    def worker(thread_id):
        db = store.open_connection(path)
        mine = []
        for _ in range(OPS):
            start = time.perf_counter()
            try:
                if mode == "immediate":
                    with store.write(db):
                        n = db.execute("select coalesce(max(n), 0) from counter").fetchone()[0]
                        db.execute("insert into counter (n, thread) values (?, ?)", [n + 1, thread_id])
                else:
                    db.execute("BEGIN")
                    try:
                        n = db.execute("select coalesce(max(n), 0) from counter").fetchone()[0]
                        db.execute("insert into counter (n, thread) values (?, ?)", [n + 1, thread_id])
                        db.execute("COMMIT")
                    except BaseException:
                        db.execute("ROLLBACK")
                        raise
            except sqlite3.OperationalError as error:
                with lock:
                    errors.append(str(error))
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
        db.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    db = store.open_connection(path)
    rows, distinct = db.execute("select count(*), count(distinct n) from counter").fetchone()
    latencies.sort()
    return {
        "mode": mode, "rows": rows, "locked": sum("locked" in e for e in errors),
        "lost": THREADS * OPS - rows, "duplicate_reads": rows - distinct, "seconds": elapsed,
        "ops_per_s": THREADS * OPS / elapsed,
        "p50_ms": statistics.median(latencies) * 1000, "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
    }


if __name__ == "__main__":
    print(f"{THREADS} threads x {OPS} read-then-write operations on one WAL database")
    for mode in ("immediate", "deferred"):
        r = run(mode)
        print(f"{r['mode']:>9}: rows={r['rows']} locked={r['locked']} lost={r['lost']} "
              f"duplicate_reads={r['duplicate_reads']} time={r['seconds']:.2f}s "
              f"throughput={r['ops_per_s']:.0f} ops/s p50={r['p50_ms']:.2f}ms p95={r['p95_ms']:.2f}ms")
