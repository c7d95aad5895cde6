"""Run ``streamlit run app.py`` noting how long the server takes to answer each tap: from the
moment it reads a person's rerun request off the websocket (not a fragment's own timer) to the
moment it queues the "run finished" message for that browser. One line per answer, appended to
$CDS_TIMING_OUT: the seconds, then the page the tap was on. Used by bench/workshop_load.py to
tell the laptop's share of a step from the time 30 phones' Chromium, sharing the same 2 cores
here, take to draw it.

With $CDS_TRACE_OUT set, every rerun request (its page, fragment, the buttons it presses, the
text values it carries) and every run's end is also written there, one line each: that is how a
tap that never produced the next screen (a "lost tap") is followed through the server."""

import os
import sys
import threading
import time

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.app_session import AppSession

OUT = os.environ.get("CDS_TIMING_OUT", "timings.txt")
TRACE = os.environ.get("CDS_TRACE_OUT")
_asked: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()
_start = time.perf_counter()
_original_handle = AppSession.handle_backmsg
_original_enqueue = AppSession._enqueue_forward_msg


def trace(session_id: str, line: str) -> None:
    if TRACE:
        with _lock, open(TRACE, "a") as out:
            out.write(f"{time.perf_counter() - _start:9.3f} {session_id[:8]} {line}\n")


def pressed(states) -> list[str]:
    """The buttons a rerun request presses (their widget ids end with the key)."""
    return [w.id.rsplit("-", 1)[-1][:40] for w in states.widgets
            if w.WhichOneof("value") == "trigger_value" and w.trigger_value]


def handle_backmsg(self, msg):
    if msg.WhichOneof("type") == "rerun_script":
        rerun = msg.rerun_script
        if not rerun.is_auto_rerun:
            _asked[self.id] = (time.perf_counter(), rerun.page_name or "-")
        if TRACE:
            typed = [w.string_value[:16] for w in rerun.widget_states.widgets if w.WhichOneof("value") == "string_value"]
            trace(self.id, f"asks page={rerun.page_name or '-'} fragment={rerun.fragment_id[:8] or '-'} "
                           f"auto={rerun.is_auto_rerun} presses={pressed(rerun.widget_states)} typed={typed[:4]}")
    return _original_handle(self, msg)


def enqueue_forward_msg(self, msg):
    if msg.WhichOneof("type") == "script_finished":
        trace(self.id, f"finished {ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)}")
        if msg.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
            asked = _asked.pop(self.id, None)
            if asked is not None:
                with _lock, open(OUT, "a") as out:
                    out.write(f"{time.perf_counter() - asked[0]:.4f} {asked[1]}\n")
    return _original_enqueue(self, msg)


AppSession.handle_backmsg = handle_backmsg
AppSession._enqueue_forward_msg = enqueue_forward_msg

from streamlit.web.cli import main  # noqa: E402

sys.argv = ["streamlit", *sys.argv[1:]]
main()
