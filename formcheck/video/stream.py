"""A three-stage streaming pipeline: produce (thread) -> process (caller's thread) -> consume (thread).

Decoding, pose inference and drawing/encoding overlap on separate threads; bounded queues keep memory flat no
matter how long the video is. An exception in any stage stops the others and is re-raised in the caller.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")
U = TypeVar("U")

_END = object()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def run_streaming(source: Iterable[T], process: Callable[[T], U], consume: Callable[[U], None] | None = None,
                  depth: int = 4) -> int:
    """Feed every item of ``source`` through ``process`` then ``consume``; return the number of items.

    ``source`` is iterated on a producer thread, ``process`` runs on the calling thread, ``consume`` on a consumer
    thread. ``depth`` bounds each queue (items in flight).
    """
    inbox: queue.Queue[Any] = queue.Queue(maxsize=depth)
    outbox: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    errors: list[BaseException] = []

    def put(q: queue.Queue[Any], item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in source:
                if not put(inbox, item):
                    return
            put(inbox, _END)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            put(inbox, _Failure(exc))

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

    producer = threading.Thread(target=produce, name="formcheck-decode", daemon=True)
    consumer = threading.Thread(target=drain, name="formcheck-encode", daemon=True)
    producer.start()
    consumer.start()
    count = 0
    try:
        while True:
            item = inbox.get()
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
