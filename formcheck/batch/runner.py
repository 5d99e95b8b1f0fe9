"""``run_batch``: plan the jobs, skip the finished ones, run the rest on an engine, write summary.csv and index.html."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from formcheck.atomic import check_writable_dir
from formcheck.batch.engines import ENGINES, require_ray, run_local, run_ray
from formcheck.batch.plan import Job, plan_jobs
from formcheck.batch.state import JobKey, config_sha256, file_sha256
from formcheck.batch.task import JobResult, cached_result, error_result
from formcheck.config import MODEL_NAMES, load_config
from formcheck.errors import ConfigError, Interrupted

MODELS = MODEL_NAMES
#: (result, finished so far, total): called as each video finishes (or is found already finished).
OnProgress = Callable[[JobResult, int, int], None]


@dataclass(frozen=True)
class BatchResult:
    """Every job's result (sorted by athlete, date, video), the two index files and the wall time."""

    results: tuple[JobResult, ...]
    summary_path: Path
    index_path: Path
    seconds: float

    @property
    def failed(self) -> tuple[JobResult, ...]:
        return tuple(r for r in self.results if not r.ok)

    @property
    def reused(self) -> int:
        return sum(r.reused for r in self.results)


def run_batch(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    workers: int = 2,
    engine: str = "local",
    address: str | None = None,
    model: str = "full",
    config_path: str | os.PathLike[str] | None = None,
    progress: OnProgress | None = None,
) -> BatchResult:
    """Analyse every video of ``source`` (a folder or a CSV manifest) into ``out``. Bad videos become error rows;
        only bad batch input (or an unusable engine) raises :class:`formcheck.errors.FormcheckError`: bad options and
    config raise ``ConfigError`` (exit 6), a bad folder or manifest ``BatchError`` (exit 2), both before ``out`` is
    created."""
    from formcheck.batch.index import write_index
    from formcheck.batch.summary import sort_key, write_summary

    t0 = time.perf_counter()
    if engine not in ENGINES:
        raise ConfigError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if model not in MODELS:
        raise ConfigError(f"--model must be one of {', '.join(MODELS)}, got {model!r}")
    if workers < 1:
        raise ConfigError(f"--workers must be 1 or more, got {workers}")
    if engine == "ray":
        require_ray()  # before --out is created: a missing engine leaves nothing behind
    config = load_config(config_path)  # a bad config fails the batch at once, not each video
    cfg_hash = config_sha256(config)
    jobs = plan_jobs(source, out)  # bad input fails before anything is created
    out = check_writable_dir(out)
    config_path = str(Path(config_path).resolve()) if config_path is not None else None
    results: list[JobResult] = []

    def finished(result: JobResult) -> None:
        results.append(result)
        if progress is not None:
            progress(result, len(results), len(jobs))

    todo: list[Job] = []
    from formcheck import __version__

    for job in jobs:
        try:
            key = JobKey(file_sha256(job.video), cfg_hash, __version__, model)
        except OSError as exc:
            finished(error_result(job, f"cannot read {job.video}: {exc.strerror or exc}"))
            continue
        done = cached_result(job, key)
        if done is not None:
            finished(done)
        else:
            todo.append(job)
    try:
        if engine == "ray":
            run_ray(todo, config_path, model, address, finished)
        else:
            run_local(todo, config_path, model, workers, finished)
    except Interrupted as stop:
        kept = f"{len(results)} of {len(jobs)} videos finished (kept); run the same command again to resume"
        raise Interrupted(stop.signum, kept) from None
    results.sort(key=sort_key)
    summary = write_summary(results, out)
    index = write_index(results, out)
    return BatchResult(tuple(results), summary, index, time.perf_counter() - t0)
