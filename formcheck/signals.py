"""Stop signals as exceptions: SIGINT, SIGTERM and SIGHUP all raise :class:`formcheck.errors.Interrupted`.

``timeout``, systemd and a dropped ssh session send SIGTERM or SIGHUP, a terminal Ctrl-C sends SIGINT. Turning each
into an exception in the main thread lets every ``with``/``finally`` on the way out delete its temporary files, so a
stopped run leaves nothing behind, exactly like a failed one.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from formcheck.errors import Interrupted

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


_deferring = 0
_pending: list[int] = []


def _raise(signum: int, frame: FrameType | None) -> None:
    # a second signal while the first one's clean-up runs must not cut that clean-up short
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    if _deferring:
        _pending.append(signum)
        return
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_signals_deferred() -> Iterator[None]:
    """A stop signal that arrives within the block is raised when the block ends (main thread), so a resource made
    inside it (a native graph) is always assigned, and can be closed, before :class:`Interrupted` unwinds."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        if not _deferring and _pending:
            raise Interrupted(_pending.pop())


def install(signals: tuple[signal.Signals, ...] = STOP_SIGNALS) -> None:
    """Make ``signals`` raise :class:`Interrupted` in the main thread (no-op elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in signals:
        signal.signal(sig, _raise)


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Within the block, SIGINT/SIGTERM/SIGHUP raise :class:`Interrupted`; the previous handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    install()
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
