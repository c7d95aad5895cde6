"""What checking an uploaded photo costs (issue 14: blurred, dark, small and huge photos are
refused at upload): ``photos.problem`` on generated photos of a paper, sharp and blurred, from a
small PNG to a 12-megapixel JPEG, with the sharpness each measures.

Run: .venv/bin/python bench/photo_check.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_photos import paper  # noqa: E402  (the tests' generated photo of a paper)
from workbench.sandbox import photos  # noqa: E402

CASES = [("1600×1000 JPEG sharp", {}), ("1600×1000 JPEG blur 6", {"blur": 6}),
         ("1600×1000 PNG sharp", {"fmt": "PNG"}), ("4000×3000 JPEG sharp (12 MP)", {"size": (4000, 3000)}),
         ("4000×3000 JPEG blur 12", {"size": (4000, 3000), "blur": 12}), ("1600×1000 JPEG dark", {"light": 30})]


def main(repeats: int = 7) -> None:
    print(f"{'photo':34} {'bytes':>9} {'sharpness':>10} {'verdict':>15} {'median ms':>10} {'max ms':>8}")
    for label, args in CASES:
        data = paper(**args)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            verdict = photos.problem(data)
            times.append((time.perf_counter() - start) * 1000)
        sharp = photos.measured(data)["sharpness"]
        print(f"{label:34} {len(data):>9,} {sharp:>10.1f} {verdict or 'accepted':>15} "
              f"{statistics.median(times):>10.1f} {max(times):>8.1f}")


if __name__ == "__main__":
    main()
