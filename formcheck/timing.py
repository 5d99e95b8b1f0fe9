"""Where the time goes: an optional stage clock the long stages report into (for ``bench/``; nothing reads it).

A :class:`StageClock` adds up wall seconds per named stage. Whole passes (``pose pass``, ``judgement``,
``reports``, ``render pass``) are timed once each; within a pass, the busy time of each thread's step (e.g.
``render.decode``, ``render.draw``, ``render.encode``) is added frame by frame, so steps that overlap on threads
can sum to more than their pass. Without a clock (``None``, the default everywhere) nothing is timed.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


class StageClock:
    """Wall seconds per stage name, safe to add to from several threads."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, name: str, seconds: float) -> None:
        """Add ``seconds`` (s) to stage ``name``."""
        with self._lock:
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as (part of) stage ``name``."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - t0)


def stage(clock: StageClock | None, name: str) -> contextlib.AbstractContextManager[None]:
    """``clock.stage(name)``, or a no-op without a clock."""
    return clock.stage(name) if clock is not None else contextlib.nullcontext()


def timed_iter(clock: StageClock | None, name: str, items: Iterable[T]) -> Iterable[T]:
    """``items``, with the time spent producing each one (the source's own work) added to stage ``name``;
    ``items`` itself without a clock."""
    if clock is None:
        return items
    return _timed(clock, name, iter(items))


def _timed(clock: StageClock, name: str, it: Iterator[T]) -> Iterator[T]:
    try:
        while True:
            t0 = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                clock.add(name, time.perf_counter() - t0)
            yield item
    finally:
        close = getattr(it, "close", None)
        if close is not None:
            close()
