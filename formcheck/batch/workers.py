"""Local pool workers that never outlive their batch, and stop in a moment when asked.

A worker asks the kernel for SIGTERM when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``), and a watchdog
thread checks the parent is still there (every :data:`WATCH_S`), for systems without prctl; so even a ``kill -9`` of
the batch takes its workers down. SIGTERM (or SIGHUP) in a worker that is analysing a video raises
:class:`formcheck.errors.Interrupted`, so the analysis deletes its temporary files on the way out, and then the
worker exits; an idle worker exits at once. SIGINT is ignored: a terminal's Ctrl-C reaches the whole process group,
and the parent decides (it stops the workers with SIGTERM).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from formcheck.errors import Interrupted
from formcheck.malloc import limit_arenas

#: How often (s) the watchdog checks that the parent process is alive.
WATCH_S = 0.5
#: Linux prctl option: the signal to get when the parent dies.
PR_SET_PDEATHSIG = 1

_busy = False
_raised = False  # an Interrupted is on its way out (its clean-up must not be interrupted again)
_swallowed = 0  # the signal number of a stop a finalizer swallowed, to be delivered again (0: none)
_in_hook = False
#: Delay (s) before a stop swallowed by a finalizer is delivered again.
REDELIVER_S = 0.01


def _on_stop(signum: int, frame: FrameType | None) -> None:
    global _raised
    if not _busy:
        os._exit(128 + signum)
    if _raised:  # one clean-up, not two
        return
    _raised = True
    raise Interrupted(signum)


def _unraisable(info: Any) -> None:
    """A stop raised while Python ran a finalizer (a weakref callback, ``__del__``) is swallowed there ("Exception
    ignored in ..."), and the worker would go on working: deliver it again, to land in ordinary code.

    The redelivery is a SIGALRM a moment later (:data:`REDELIVER_S`), not a thread: starting a thread waits, and a
    second stop signal arriving in that wait would raise inside this hook and print a traceback. ``_raised`` stays
    set, so further stop signals are ignored until the redelivered one has unwound."""
    global _swallowed, _in_hook
    if isinstance(info.exc_value, Interrupted):
        _in_hook = True
        _swallowed = info.exc_value.signum
        signal.setitimer(signal.ITIMER_REAL, REDELIVER_S)
        _in_hook = False
        return
    sys.__unraisablehook__(info)


def _redeliver(signum: int, frame: FrameType | None) -> None:
    """SIGALRM: raise the stop a finalizer swallowed (again later if this, too, lands in the hook above)."""
    if not _swallowed:
        return
    if _in_hook:
        signal.setitimer(signal.ITIMER_REAL, REDELIVER_S)
        return
    if not _busy:
        os._exit(128 + _swallowed)
    raise Interrupted(_swallowed)


def install_stop_handlers() -> None:
    """SIGINT ignored, SIGTERM and SIGHUP raise :class:`Interrupted` while busy (exit at once while idle), and a
    stop swallowed by a finalizer is delivered again."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_stop)
    signal.signal(signal.SIGALRM, _redeliver)
    sys.unraisablehook = _unraisable


def init_worker(parent_pid: int) -> None:
    """Pool initializer: the C allocator's arenas capped (:mod:`formcheck.malloc`, as the CLI does at start-up),
    the signal handling above, and death with the parent ``parent_pid``."""
    limit_arenas()
    install_stop_handlers()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=_watch, args=(parent_pid,), name="formcheck-parent-watch", daemon=True).start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_S)
    os.kill(os.getpid(), signal.SIGTERM)


def run_in_worker(task: Callable[..., Any], *args: Any) -> Any:
    """Run ``task(*args)`` in a worker; if a stop signal arrives meanwhile, exit the process once the task has
    cleaned up (a pool worker must not go back to waiting for work its dead or stopping parent will never send)."""
    global _busy
    _busy = True
    try:
        return task(*args)
    except Interrupted as stop:
        os._exit(stop.exit_code)
    finally:
        _busy = False


def stop_workers(processes: list[Any], grace_s: float) -> None:
    """SIGTERM every live process of ``processes`` (``multiprocessing.Process``), wait up to ``grace_s`` for them to
    clean up and exit, then SIGKILL the rest."""
    for proc in processes:
        with contextlib.suppress(OSError, ValueError):
            if proc.is_alive():
                proc.terminate()
    deadline = time.monotonic() + grace_s
    for proc in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            proc.join(max(0.0, deadline - time.monotonic()))
    for proc in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            if proc.is_alive():
                proc.kill()
                proc.join(1.0)
