"""A hall of phones paying desk QR codes at once (issue 5).

40 personas (a big workshop) each pay their own desk QR from 8 threads, then 8 threads all try
to pay one QR (a double-click storm). Prints payments per second, latency, how many times the
contested QR was paid (must be 1), ledger problems (must be 0), and the time to draw and decode
the projector-size QR PNG.
Run: .venv/bin/python bench/payments.py
"""

import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["CDS_DATA_DIR"] = tempfile.mkdtemp(prefix="cds-bench-pay-")
os.environ.setdefault("CDS_PUBLIC_URL", "http://192.168.1.10:8501")

from workbench import databases, qr  # noqa: E402
from workbench.sandbox import personas
from workbench.sandbox.payments import desk_qr, gateway, ledger, providers, scenario_settings, wallet
from workbench.sandbox.payments import schema as payment_schema

PEOPLE, THREADS = 40, 8
PASSCODE = scenario_settings.scenario_defaults()["scenario_passcode"]


def main() -> None:
    db = databases.sandbox()
    people = [personas.create(db, seed=n, starting_state="ready")["id"] for n in range(PEOPLE)]
    for pid in people:
        wallet.ensure_accounts(db, pid)
    requests = [desk_qr.issue_desk_qr(db, 10_000, providers.fee_payee_id(), f"Phí {n}") for n in range(PEOPLE)]
    latencies, lock = [], threading.Lock()

    def worker(slice_):
        conn = databases.sandbox()
        for pid, request in slice_:
            start = time.perf_counter()
            gateway.pay(conn, pid, desk_qr.request_payable(request), provider_id="chim_en", passcode=PASSCODE,
                        attempt_key=gateway.new_attempt_key())
            with lock:
                latencies.append(time.perf_counter() - start)

    pairs = list(zip(people, requests))
    threads = [threading.Thread(target=worker, args=(pairs[n::THREADS],)) for n in range(THREADS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    print(f"{PEOPLE} payments from {THREADS} threads: {elapsed:.2f} s, {PEOPLE / elapsed:.1f}/s, "
          f"median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")

    contested = desk_qr.issue_desk_qr(db, 10_000, providers.fee_payee_id(), "Phí tranh chấp")
    outcomes = []

    def storm(n):
        conn = databases.sandbox()
        try:
            outcomes.append(gateway.pay(conn, people[0], desk_qr.request_payable(contested), provider_id="chim_en",
                                        passcode=PASSCODE, attempt_key=f"k{n}")["id"])
        except payment_schema.PaymentError as error:
            outcomes.append(error.key)

    threads = [threading.Thread(target=storm, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    paid = db.execute("select count(*) from payments where payable_ref = ?", [f"qr:{contested['id']}"]).fetchone()[0]
    print(f"{THREADS} simultaneous attempts on one QR: paid {paid} time(s); "
          f"refused {sum(1 for o in outcomes if o == 'payments.error.already_paid')} as already paid")
    print(f"ledger problems: {len(ledger.ledger_problems(db))}")

    import zxingcpp
    from PIL import Image

    start = time.perf_counter()
    png = qr.png(requests[0]["payload"], box_size=16)
    drawn = time.perf_counter() - start
    image = Image.open(io.BytesIO(png))
    start = time.perf_counter()
    text = zxingcpp.read_barcodes(image)[0].text
    decoded = time.perf_counter() - start
    print(f"desk QR: {image.width}x{image.height} px, {len(requests[0]['payload'])} characters, "
          f"drawn in {drawn * 1000:.0f} ms, decoded in {decoded * 1000:.0f} ms, round trip "
          f"{'equal' if text == requests[0]['payload'] else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
