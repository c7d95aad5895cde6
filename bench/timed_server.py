"""Run ``streamlit run app.py`` noting how long the server takes to answer each tap: from the
moment it reads a person's rerun request off the websocket (not a fragment's own timer) to the
moment it queues the "run finished" message for that browser. One line per answer, in seconds,
appended to $CDS_TIMING_OUT. Used by bench/workshop_load.py to tell the laptop's share of a
step from the time 30 phones' Chromium, sharing the same 2 cores here, take to draw it."""

import os
import sys
import threading
import time

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.app_session import AppSession

OUT = os.environ.get("CDS_TIMING_OUT", "timings.txt")
_asked: dict[str, float] = {}
_lock = threading.Lock()
_original_handle = AppSession.handle_backmsg
_original_enqueue = AppSession._enqueue_forward_msg


def handle_backmsg(self, msg):
    if msg.WhichOneof("type") == "rerun_script" and not msg.rerun_script.is_auto_rerun:
        _asked[self.id] = time.perf_counter()
    return _original_handle(self, msg)


def enqueue_forward_msg(self, msg):
    if msg.WhichOneof("type") == "script_finished" and \
            msg.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
        asked = _asked.pop(self.id, None)
        if asked is not None:
            with _lock, open(OUT, "a") as out:
                out.write(f"{time.perf_counter() - asked:.4f}\n")
    return _original_enqueue(self, msg)


AppSession.handle_backmsg = handle_backmsg
AppSession._enqueue_forward_msg = enqueue_forward_msg

from streamlit.web.cli import main  # noqa: E402

sys.argv = ["streamlit", *sys.argv[1:]]
main()
