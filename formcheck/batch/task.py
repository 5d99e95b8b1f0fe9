"""The per-video task: one pure, picklable function run by every engine (local processes or Ray)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.batch.plan import Job
from formcheck.batch.state import (
    CACHED_ERRORS,
    JobKey,
    clean_temporaries,
    clear_marker,
    job_key,
    job_lock,
    marker_matches,
    read_marker,
    write_marker,
)
from formcheck.errors import FormcheckError


@dataclass(frozen=True)
class JobResult:
    """The outcome of one job. ``status`` is ``ok`` or ``error``; ``rules`` is ((id, verdict, score), ...);
    ``reused`` says the result came from a matching done-marker (nothing was run)."""

    job_id: str
    athlete: str
    date: str
    source: str
    notes: str
    out_dir: str
    status: str
    error: str = ""
    rules: tuple[tuple[str, str, int | None], ...] = ()
    frames: int = 0
    seconds: float = 0.0
    reused: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def error_result(job: Job, message: str, seconds: float = 0.0) -> JobResult:
    return JobResult(
        job_id=job.id,
        athlete=job.athlete,
        date=job.date,
        source=job.source,
        notes=job.notes,
        out_dir=str(job.out_dir),
        status="error",
        error=_one_line(message),
        seconds=seconds,
    )


def result_from_marker(job: Job, marker: dict[str, Any]) -> JobResult:
    rules = tuple((str(r["id"]), str(r["verdict"]), r.get("score")) for r in marker.get("rules", []))
    return JobResult(
        job_id=job.id,
        athlete=job.athlete,
        date=job.date,
        source=job.source,
        notes=job.notes,
        out_dir=str(job.out_dir),
        status=str(marker["status"]),
        error=str(marker.get("error", "")),
        rules=rules,
        frames=int(marker.get("frames", 0)),
        seconds=0.0,
        reused=True,
    )


def cached_result(job: Job, key: JobKey) -> JobResult | None:
    """The job's finished result if its marker matches ``key``, else None (the job must run)."""
    marker = read_marker(job.out_dir)
    if marker is None or not marker_matches(marker, key, Path(job.out_dir)):
        return None
    return result_from_marker(job, marker)


def _handout(job: Job) -> Any:
    """Writes the athlete's printable handout (``handout.pdf``) with the job's other outputs."""
    from formcheck.report.handout_files import HANDOUT, write_result_handout

    who = job.athlete or Path(job.source).name

    def write(j: Any, seq: Any, annotated: Path, path_for: Any) -> None:
        size = (seq.width, seq.height)
        write_result_handout(j.verdicts, j.pose.xy, size, annotated, path_for(HANDOUT), who=who, date=job.date)

    return write


def run_job(job: Job, config_path: str | os.PathLike[str] | None, model: str) -> JobResult:
    """Analyse one video into ``job.out_dir`` (the same outputs as ``formcheck analyze``) and write its marker.

    Never raises for a bad video or any other exception inside the analysis: the failure becomes an error result.
    """
    from formcheck.analyze import analyze_video
    from formcheck.config import load_config

    t0 = time.perf_counter()
    try:
        out_dir = Path(job.out_dir)
        with job_lock(out_dir):
            clean_temporaries(out_dir)
            try:
                config = load_config(config_path)
                key = job_key(job.video, config, model)
            except OSError as exc:
                return error_result(job, f"cannot read {job.video}: {exc.strerror or exc}", time.perf_counter() - t0)
            done = cached_result(job, key)
            if done is not None:
                return done
            clear_marker(out_dir)
            kind, error, frames = "", "", 0
            rules: tuple[tuple[str, str, int | None], ...] = ()
            try:
                res = analyze_video(
                    job.video, out_dir=out_dir, model=model, config=config, reuse_pose=True, extra_outputs=_handout(job)
                )
                rules = tuple((v.id, v.verdict, v.score) for v in res.judgement.verdicts)
                frames = res.pose.n_frames
            except FormcheckError as exc:
                kind, error = type(exc).__name__, str(exc)
            except Exception as exc:  # noqa: BLE001 - a batch never dies of one bad file
                kind, error = "internal", f"internal error: {type(exc).__name__}: {exc}"
            seconds = time.perf_counter() - t0
            status = "error" if kind else "ok"
            body = {
                "job_id": job.id,
                "athlete": job.athlete,
                "date": job.date,
                "video": job.source,
                "status": status,
                "error": _one_line(error),
                "error_kind": kind,
                "frames": frames,
                "seconds": round(seconds, 3),
                "rules": [{"id": i, "verdict": v, "score": s} for i, v, s in rules],
            }
            if status == "ok" or kind in CACHED_ERRORS:
                write_marker(out_dir, key, body)  # last: everything else of this job is already in place
            return JobResult(
                job_id=job.id,
                athlete=job.athlete,
                date=job.date,
                source=job.source,
                notes=job.notes,
                out_dir=str(out_dir),
                status=status,
                error=_one_line(error),
                rules=rules,
                frames=frames,
                seconds=seconds,
            )
    except FormcheckError as exc:  # e.g. the output folder cannot be written
        return error_result(job, str(exc), time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001
        return error_result(job, f"internal error: {type(exc).__name__}: {exc}", time.perf_counter() - t0)
