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


def _raise(signum: int, frame: FrameType | None) -> None:
    # a second signal while the first one's clean-up runs must not cut that clean-up short
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signum)


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
