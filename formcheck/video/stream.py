"""A three-stage streaming pipeline: produce (thread) -> process (caller's thread) -> consume (thread).

Decoding, pose inference and drawing/encoding overlap on separate threads; bounded queues keep memory flat no
matter how long the video is. An exception in any stage stops the others and is re-raised in the caller.
"""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
U = TypeVar("U")

_END = object()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def _put(q: queue.Queue[Any], item: Any, stop: threading.Event) -> bool:
    """Put ``item`` on ``q``, waiting while it is full; False (not put) once ``stop`` is set."""
    while not stop.is_set():
        try:
            q.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def _get(q: queue.Queue[Any], stop: threading.Event) -> Any:
    """The next item of ``q``, waiting while it is empty; the end marker once ``stop`` is set."""
    while not stop.is_set():
        try:
            return q.get(timeout=0.1)
        except queue.Empty:
            continue
    return _END


def _feed(source: Iterable[Any], inbox: queue.Queue[Any], put: Callable[[queue.Queue[Any], Any], bool]) -> None:
    """Producer thread body: every item of ``source`` onto ``inbox``, then the end marker (or the failure)."""
    try:
        for item in source:
            if not put(inbox, item):
                return
        put(inbox, _END)
    except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
        put(inbox, _Failure(exc))


def run_streaming(
    source: Iterable[T], process: Callable[[T], U], consume: Callable[[U], None] | None = None, depth: int = 4
) -> int:
    """Feed every item of ``source`` through ``process`` then ``consume``; return the number of items.

    ``source`` is iterated on a producer thread, ``process`` runs on the calling thread, ``consume`` on a consumer
    thread. ``depth`` bounds each queue (items in flight).
    """
    inbox: queue.Queue[Any] = queue.Queue(maxsize=depth)
    outbox: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    errors: list[BaseException] = []

    put = functools.partial(_put, stop=stop)

    def drain() -> None:
        try:
            while True:
                try:
                    item = outbox.get(timeout=0.1)
                except queue.Empty:
                    if stop.is_set():
                        return
                    continue
                if item is _END:
                    return
                if consume is not None:
                    consume(item)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            errors.append(exc)
            stop.set()

    producer = threading.Thread(target=_feed, args=(source, inbox, put), name="formcheck-decode", daemon=True)
    consumer = threading.Thread(target=drain, name="formcheck-encode", daemon=True)
    producer.start()
    consumer.start()
    count = 0
    try:
        while True:
            item = _get(inbox, stop)  # a failed consumer sets stop: never wait for a producer that has stopped
            if item is _END:
                break
            if isinstance(item, _Failure):
                raise item.exc
            result = process(item)
            count += 1
            if not put(outbox, result):
                break
    except BaseException:
        stop.set()
        raise
    finally:
        if not stop.is_set():
            put(outbox, _END)
            consumer.join()
        stop.set()
        producer.join(timeout=5)
        consumer.join(timeout=5)
    if errors:
        raise errors[0]
    return count


def map_chunks(sources: Sequence[Iterable[T]], workers: Sequence[Callable[[T], U]], depth: int = 4) -> Iterator[U]:
    """Yield ``workers[k](item)`` for every item of ``sources[0]``, then of ``sources[1]``, ... in order, with every
    chunk running at once: chunk k is iterated on its own thread and processed by ``workers[k]`` on another.

    Each worker sees its own chunk's items in order, so a stateful worker (a video-mode landmarker that needs
    consecutive frames with rising timestamps) keeps its state within the chunk. Items in flight are bounded by
    ``depth`` per chunk; the results of later chunks wait, unbounded, until the earlier chunks are yielded, so
    results should be small (landmarks, not pixels). An exception anywhere stops every thread and is raised here;
    closing the generator early stops them too.
    """
    if len(sources) != len(workers) or not workers:
        raise ValueError("map_chunks needs one worker per source, and at least one")
    inboxes: list[queue.Queue[Any]] = [queue.Queue(maxsize=depth) for _ in workers]
    outboxes: list[queue.Queue[Any]] = [queue.Queue(maxsize=depth if k == 0 else 0) for k in range(len(workers))]
    stop = threading.Event()
    put = functools.partial(_put, stop=stop)
    get = functools.partial(_get, stop=stop)

    def work(k: int) -> None:
        while True:
            item = get(inboxes[k])
            if item is _END or isinstance(item, _Failure):
                put(outboxes[k], item)
                return
            try:
                result = workers[k](item)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                put(outboxes[k], _Failure(exc))
                return
            if not put(outboxes[k], result):
                return

    threads = []
    for k in range(len(workers)):
        threads.append(
            threading.Thread(
                target=_feed, args=(sources[k], inboxes[k], put), name=f"formcheck-decode-{k}", daemon=True
            )
        )
        threads.append(threading.Thread(target=work, args=(k,), name=f"formcheck-worker-{k}", daemon=True))
    for t in threads:
        t.start()
    try:
        for outbox in outboxes:
            while True:
                item = get(outbox)
                if item is _END:
                    break
                if isinstance(item, _Failure):
                    raise item.exc
                yield item
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=5)
