"""Run ``streamlit run app.py`` with a sampling profiler (no dependency): every 10 ms, note
which functions are on the stack of each thread running a page script; every 5 s write the functions that were on
the stack most often (inclusive time) to $CDS_PROFILE_OUT. Used by bench/workshop_load.py
--profile to see where the laptop's time goes while a hall works."""

import collections
import os
import sys
import threading
import time

INTERVAL = 0.01
counts: collections.Counter = collections.Counter()
samples = 0


def sample() -> None:
    global samples
    me = threading.get_ident()
    last_dump = time.monotonic()
    while True:
        time.sleep(INTERVAL)
        if time.monotonic() - last_dump > 5:  # Streamlit owns SIGTERM: write as we go
            write()
            last_dump = time.monotonic()
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            stack = []
            while frame is not None:
                code = frame.f_code
                stack.append(f"{code.co_filename.split('site-packages/')[-1]}:{code.co_name}")
                frame = frame.f_back
            # Only the threads running a page script: the event loop and the watchers mostly
            # sleep inside C calls, which a Python-level sampler cannot tell from work.
            if any(w.endswith("script_runner.py:_run_script_thread") for w in stack):
                samples += 1
                counts.update(set(stack))


def write() -> None:
    out = os.environ.get("CDS_PROFILE_OUT", "profile.txt")
    with open(out, "w") as f:
        f.write(f"{samples} busy samples of {INTERVAL * 1000:.0f} ms\n")
        for where, n in counts.most_common(80):
            f.write(f"{n:>7} {n / max(1, samples) * 100:5.1f}%  {where}\n")


threading.Thread(target=sample, daemon=True).start()
from streamlit.web.cli import main  # noqa: E402

sys.argv = ["streamlit", *sys.argv[1:]]
main()
