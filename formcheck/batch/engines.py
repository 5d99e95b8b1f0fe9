"""Engines run :func:`formcheck.batch.task.run_job` over jobs: local processes, or tasks on a Ray cluster."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from formcheck.batch.plan import Job
from formcheck.batch.task import JobResult, error_result, run_job
from formcheck.batch.workers import init_worker, run_in_worker, stop_workers
from formcheck.errors import BatchError

#: Called once per finished job, in completion order.
OnResult = Callable[[JobResult], None]
ENGINES = ("local", "ray")
#: Longest wait (s) for interrupted workers to delete their temporary files and exit before they are killed.
STOP_GRACE_S = 2.0


def run_local(
    jobs: Sequence[Job],
    config_path: str | os.PathLike[str] | None,
    model: str,
    workers: int,
    on_result: OnResult,
    task: Callable[..., JobResult] = run_job,
) -> None:
    """Run ``jobs`` in up to ``workers`` spawned processes (MediaPipe's threads and fork do not mix).

    A worker that dies (a native crash on some video) breaks the pool: the jobs it took down are then re-run one
    per fresh process, so only the culprit becomes an error row. ``task`` is for tests (a picklable stand-in).
    Workers die with this process (see :mod:`formcheck.batch.workers`); if this process is interrupted, the
    workers are stopped within :data:`STOP_GRACE_S` (their unfinished videos leave no files) and the interruption
    is re-raised; finished videos stay finished.
    """
    if not jobs:
        return
    suspects: list[Job] = []
    with _pool(max(1, min(workers, len(jobs)))) as pool:
        futures: dict[Future, Job] = {pool.submit(run_in_worker, task, job, config_path, model): job for job in jobs}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                try:
                    on_result(fut.result())
                except BrokenProcessPool:
                    suspects.append(futures[fut])
    for job in sorted(suspects, key=lambda j: j.id):
        with _pool(1) as alone:
            try:
                on_result(alone.submit(run_in_worker, task, job, config_path, model).result())
            except BrokenProcessPool:
                on_result(error_result(job, "the worker process crashed while analysing this video"))


@contextlib.contextmanager
def _pool(size: int) -> Iterator[ProcessPoolExecutor]:
    """A spawn-context pool whose workers die with this process; on any exception (a stop signal included) the
    workers are stopped at once rather than waited for."""
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=size, mp_context=ctx, initializer=init_worker, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        stop_workers(procs, STOP_GRACE_S)
        raise
    pool.shutdown(wait=True)


def require_ray() -> Any:
    """The ``ray`` module, or :class:`BatchError` naming the install command."""
    try:
        import ray
    except ImportError as exc:
        raise BatchError("the ray engine needs Ray: pip install 'formcheck[ray]'") from exc
    return ray


def run_ray(
    jobs: Sequence[Job],
    config_path: str | os.PathLike[str] | None,
    model: str,
    address: str | None,
    on_result: OnResult,
) -> None:
    """Run ``jobs`` as Ray tasks: on the cluster at ``address`` (HOST:PORT, or ``auto``), on the Ray instance this
    process already joined, or else on a new local one. Videos, config and ``--out`` must be at the same paths on
    every node (a shared file system)."""
    if not jobs:
        return
    ray = require_ray()
    started = False
    if not ray.is_initialized():
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False)
        except Exception as exc:  # noqa: BLE001 - ConnectionError and Ray's own errors
            raise BatchError(f"cannot start or join Ray{f' at {address}' if address else ''}: {exc}") from exc
        started = True
    try:
        task = ray.remote(num_cpus=1, max_retries=1)(run_job)
        refs = {task.remote(job, config_path, model): job for job in jobs}
        pending = list(refs)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for ref in done:
                try:
                    on_result(ray.get(ref))
                except Exception as exc:  # noqa: BLE001 - a crashed worker or node: one error row
                    on_result(error_result(refs[ref], f"ray task failed: {type(exc).__name__}: {exc}"))
    finally:
        if started:
            ray.shutdown()
