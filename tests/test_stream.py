"""The overlapped decode -> process -> encode pipeline: order, counts, bounded buffering, errors."""

from __future__ import annotations

import threading
import time

import pytest

from formcheck.video.stream import map_chunks, run_streaming


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


def test_chunks_come_out_in_order_each_worker_seeing_only_its_own_chunk():
    seen: dict[int, list[int]] = {0: [], 1: [], 2: []}

    def worker(k: int):
        def fn(x: int) -> tuple[int, int]:
            seen[k].append(x)
            time.sleep(0.002 * ((x * 7) % 3))  # chunks finish out of step
            return k, x * 10

        return fn

    chunks = [range(0, 20), range(20, 35), range(35, 50)]
    out = list(map_chunks([iter(c) for c in chunks], [worker(0), worker(1), worker(2)], depth=2))
    assert [x for _, x in out] == [10 * i for i in range(50)]
    assert seen == {k: list(c) for k, c in enumerate(chunks)}
    assert [k for k, _ in out] == [0] * 20 + [1] * 15 + [2] * 15


def test_later_chunks_run_while_the_first_is_still_going():
    first_done = threading.Event()
    later_before_first: list[bool] = []

    def slow(x: int) -> int:
        time.sleep(0.01)
        if x == 9:
            first_done.set()
        return x

    def fast(x: int) -> int:
        later_before_first.append(not first_done.is_set())
        return x

    assert list(map_chunks([iter(range(10)), iter(range(10, 20))], [slow, fast])) == list(range(20))
    assert all(later_before_first) and len(later_before_first) == 10  # not held back by depth


@pytest.mark.parametrize("sizes", [(0, 0), (1, 0), (0, 3), (2, 5)])
def test_chunks_of_any_length(sizes):
    a, b = sizes
    assert list(map_chunks([iter(range(a)), iter(range(100, 100 + b))], [lambda x: x, lambda x: -x])) == list(
        range(a)
    ) + [-x for x in range(100, 100 + b)]


@pytest.mark.parametrize("stage", ["source", "worker"])
@pytest.mark.parametrize("chunk", [0, 1])
def test_chunk_errors_reach_the_caller_and_threads_stop(stage: str, chunk: int):
    def source(k: int):
        for i in range(k * 100, k * 100 + 50):
            if stage == "source" and k == chunk and i % 100 == 7:
                raise ValueError("bad frame")
            yield i

    def fn(x: int) -> int:
        if stage == "worker" and x // 100 == chunk and x % 100 == 7:
            raise ValueError("bad frame")
        return x

    before = threading.active_count()
    got: list[int] = []
    with pytest.raises(ValueError, match="bad frame"):
        for x in map_chunks([source(0), source(1)], [fn, fn]):
            got.append(x)
    assert got == [x for x in range(chunk * 100 + 7) if x % 100 < 50]
    time.sleep(0.3)
    assert threading.active_count() == before


def test_chunks_stop_when_the_caller_stops_early():
    before = threading.active_count()
    gen = map_chunks([iter(range(10_000)), iter(range(10_000))], [lambda x: x, lambda x: x])
    assert [next(gen) for _ in range(5)] == [0, 1, 2, 3, 4]
    gen.close()
    time.sleep(0.3)
    assert threading.active_count() == before
