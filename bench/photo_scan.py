"""The wallet's "Quét mã QR" from a photo (issue 14): how long the laptop takes to read a
phone photo of a desk QR, and to refuse photos over the limits (a decompression-bomb PNG is
refused from its header). Prints milliseconds per photo (median of 5) and the bytes sent.
Run: .venv/bin/python bench/photo_scan.py
"""

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from workbench import qr  # noqa: E402
from workbench.sandbox.payments import photo_scan  # noqa: E402
from workbench.sandbox.payments.schema import PaymentError  # noqa: E402

PAYLOAD = "http://192.168.1.10:8630/pay?t=" + "A" * 16 + "." + "B" * 24


def phone_photo(width: int, height: int, fmt: str = "JPEG") -> bytes:
    code = Image.open(io.BytesIO(qr.png(PAYLOAD, box_size=max(4, width // 300)))).convert("L").rotate(7, expand=True,
                                                                                                   fillcolor=255)
    scene = Image.new("L", (width, height), 110)
    scene.paste(code, (width // 4, height // 5))
    out = io.BytesIO()
    scene.save(out, format=fmt, quality=85)
    return out.getvalue()


def bomb(side: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (side, side), 1).save(out, format="PNG", optimize=True)
    return out.getvalue()


def timed(data: bytes) -> tuple[float, str]:
    runs, outcome = [], ""
    for _ in range(5):
        start = time.perf_counter()
        try:
            outcome = "read " + next(iter(photo_scan.payment_from_photo(data)))
        except PaymentError as error:
            outcome = "refused " + error.key.rsplit(".", 1)[-1]
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), outcome


CASES = {
    "phone photo 4000x3000 JPEG (12 MP)": lambda: phone_photo(4000, 3000),
    "phone photo 1600x1200 JPEG": lambda: phone_photo(1600, 1200),
    "screenshot-like 1080x2340 PNG": lambda: phone_photo(1080, 2340, "PNG"),
    "bomb PNG 7000x7000 (49 MP)": lambda: bomb(7000),
    "bomb PNG 20000x20000 (400 MP)": lambda: bomb(20000),
}

if __name__ == "__main__":
    for name, make in CASES.items():
        data = make()
        ms, outcome = timed(data)
        print(f"{name:38s} {len(data) / 1024:9.1f} kB  {ms:8.1f} ms  {outcome}")
