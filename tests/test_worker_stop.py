"""A stop signal that lands inside a finalizer (where Python swallows exceptions) still stops a busy worker."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import os, signal, sys, time, weakref
from formcheck.batch import workers
from formcheck.errors import Interrupted

signal.signal(signal.SIGTERM, workers._on_stop)
sys.unraisablehook = workers._unraisable
workers._busy = True

class Thing:
    pass

def finalizer(_ref):
    os.kill(os.getpid(), signal.SIGTERM)  # the handler runs here, inside the weakref callback
    for _ in range(1000):
        pass

t = Thing()
r = weakref.ref(t, finalizer)
try:
    del t  # the callback runs; its Interrupted is swallowed ("Exception ignored in ...")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        time.sleep(0.01)
    print("not stopped")
except Interrupted as stop:
    print("stopped", stop.signum)
"""


def test_a_stop_swallowed_by_a_finalizer_is_delivered_again():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=30)
    assert proc.stdout.strip() == "stopped 15", (proc.stdout, proc.stderr)
    assert "Exception ignored" not in proc.stderr  # and no traceback of the swallowed one
