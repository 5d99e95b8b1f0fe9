"""The overlapped decode -> process -> encode pipeline: order, counts, bounded buffering, errors."""

from __future__ import annotations

import threading
import time

import pytest

from formcheck.video.stream import run_streaming


def test_items_flow_in_order_through_all_stages():
    seen: list[int] = []
    n = run_streaming(iter(range(100)), lambda x: x * 2, seen.append)
    assert n == 100 and seen == [2 * i for i in range(100)]


def test_buffering_is_bounded():
    produced = 0
    lock = threading.Lock()
    max_ahead = 0
    consumed = 0

    def source():
        nonlocal produced
        for i in range(200):
            with lock:
                produced += 1
            yield i

    def consume(_: int) -> None:
        nonlocal consumed, max_ahead
        time.sleep(0.001)
        with lock:
            consumed += 1
            max_ahead = max(max_ahead, produced - consumed)

    run_streaming(source(), lambda x: x, consume, depth=4)
    assert consumed == 200
    assert max_ahead <= 2 * 4 + 3  # two queues of depth 4, plus one item held by each stage


@pytest.mark.parametrize("stage", ["source", "process", "consume"])
def test_an_error_in_any_stage_reaches_the_caller(stage: str):
    def source():
        for i in range(50):
            if stage == "source" and i == 10:
                raise ValueError("bad frame")
            yield i

    def process(x: int) -> int:
        if stage == "process" and x == 10:
            raise ValueError("bad frame")
        return x

    def consume(x: int) -> None:
        if stage == "consume" and x == 10:
            raise ValueError("bad frame")

    with pytest.raises(ValueError, match="bad frame"):
        run_streaming(source(), process, consume)
    # no stage thread is left running
    assert not [t for t in threading.enumerate() if t.name.startswith("formcheck-") and t.is_alive()]
