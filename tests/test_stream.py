"""The overlapped decode -> process -> encode pipeline: order, counts, bounded buffering, errors."""

from __future__ import annotations

import threading
import time

import pytest

from formcheck.video.stream import map_round_robin, run_streaming


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


def test_round_robin_keeps_source_order_and_deals_items_to_workers_in_turn():
    seen: dict[int, list[int]] = {0: [], 1: [], 2: []}

    def worker(k: int):
        def fn(x: int) -> tuple[int, int]:
            seen[k].append(x)
            time.sleep(0.002 * ((x * 7) % 3))  # workers finish out of step
            return k, x * 10
        return fn

    out = list(map_round_robin(iter(range(50)), [worker(0), worker(1), worker(2)], depth=2))
    assert [x for _, x in out] == [10 * i for i in range(50)]
    assert [k for k, _ in out] == [i % 3 for i in range(50)]
    assert seen == {k: list(range(k, 50, 3)) for k in range(3)}  # each worker sees its items in order


@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_round_robin_short_sources(n: int):
    assert list(map_round_robin(iter(range(n)), [lambda x: x, lambda x: -x])) == [(-1) ** i * i for i in range(n)]


@pytest.mark.parametrize("stage", ["source", "worker"])
def test_round_robin_errors_reach_the_caller_and_threads_stop(stage: str):
    def source():
        for i in range(100):
            if stage == "source" and i == 7:
                raise ValueError("bad frame")
            yield i

    def fn(x: int) -> int:
        if stage == "worker" and x == 7:
            raise ValueError("bad frame")
        return x

    before = threading.active_count()
    got: list[int] = []
    with pytest.raises(ValueError, match="bad frame"):
        for x in map_round_robin(source(), [fn, fn]):
            got.append(x)
    assert got == list(range(7))
    time.sleep(0.3)
    assert threading.active_count() == before


def test_round_robin_stops_when_the_caller_stops_early():
    before = threading.active_count()
    gen = map_round_robin(iter(range(10_000)), [lambda x: x, lambda x: x])
    assert [next(gen) for _ in range(5)] == [0, 1, 2, 3, 4]
    gen.close()
    time.sleep(0.3)
    assert threading.active_count() == before
