"""Resumability: a small done-marker per job, written atomically and last in that job's folder.

A job is skipped when its marker holds the same video content hash (sha256 of the whole file), the same hash of
the effective configuration, the same formcheck version and the same pose model. Results that failed for a reason
tied to the video's content (not a video, truncated, nobody in view) are remembered too; any other failure
(an internal error, an unwritable folder, a crashed worker) leaves no marker and is retried by the next run.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck import __version__
from formcheck.atomic import write_json
from formcheck.config import Config, load_config

MARKER = "batch_done.json"
MARKER_SCHEMA = "formcheck.batch-done/1"
LOCK = ".batch.lock"
#: What ``analyze`` writes for a video (formcheck.analyze's names; not imported: it pulls in OpenCV/MediaPipe).
OUTPUTS = ("annotated.mp4", "pose.npz", "report.json", "report.html", "frames.csv", "steps.csv", "handout.pdf")
#: Failures that depend only on the video's content (and config/version/model), so are worth remembering.
CACHED_ERRORS = frozenset({"InputVideoError", "NoPersonError"})


@dataclass(frozen=True)
class JobKey:
    """What a finished result depends on."""

    content_sha256: str
    config_sha256: str
    formcheck_version: str
    model: str

    def as_dict(self) -> dict[str, str]:
        return {
            "content_sha256": self.content_sha256,
            "config_sha256": self.config_sha256,
            "formcheck_version": self.formcheck_version,
            "model": self.model,
        }


def file_sha256(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """sha256 of the whole file, streamed. Raises OSError (also for a pipe, device or socket: reading a FIFO would
    block for ever)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "not a regular file (a pipe, device or socket)", str(path))
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def config_sha256(config: Config) -> str:
    """sha256 of the effective configuration (defaults + overrides), canonical JSON."""
    text = json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def job_key(video: str | os.PathLike[str], config: Config | str | os.PathLike[str] | None, model: str) -> JobKey:
    """The key of a job. Raises OSError (video unreadable) or ConfigError."""
    cfg = config if isinstance(config, Config) else load_config(config)
    return JobKey(file_sha256(video), config_sha256(cfg), __version__, model)


def read_marker(out_dir: Path) -> dict[str, Any] | None:
    """The job's marker, or None if missing or unreadable."""
    try:
        data = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("schema") == MARKER_SCHEMA else None


def marker_matches(marker: dict[str, Any] | None, key: JobKey, out_dir: Path | None = None) -> bool:
    """True when ``marker`` is a finished result for exactly this key (and, given ``out_dir``, a successful
    result's outputs are all still there)."""
    if marker is None or marker.get("status") not in ("ok", "error"):
        return False
    if not all(marker.get(k) == v for k, v in key.as_dict().items()):
        return False
    return out_dir is None or marker["status"] != "ok" or all((out_dir / name).is_file() for name in OUTPUTS)


def write_marker(out_dir: Path, key: JobKey, body: dict[str, Any]) -> Path:
    """Write the marker (atomically): call it last, after every other output of the job is in place."""
    return write_json(out_dir / MARKER, {"schema": MARKER_SCHEMA, **key.as_dict(), **body})


def clear_marker(out_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (out_dir / MARKER).unlink()


def clean_temporaries(out_dir: Path) -> int:
    """Delete temporary files a killed run left in ``out_dir`` (hidden ``.<name>.tmp-*``); return how many."""
    n = 0
    for tmp in out_dir.glob(".*.tmp-*"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            n += 1
    return n


@contextlib.contextmanager
def job_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the job's folder (released by the OS if the process dies): a worker orphaned by
    a killed batch and the next run never write the same job at once. A folder this call made and that holds
    nothing but the lock at the end is removed, also when a stop signal lands while the folder is being made
    (between the athlete's folder and the job's, say)."""
    created, parent_created = not out_dir.exists(), not out_dir.parent.exists()
    fd = -1
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if created:
            _remove_bare(out_dir, parent_created)
        if fd >= 0:
            os.close(fd)


def _remove_bare(out_dir: Path, parent_too: bool) -> None:
    """Remove ``out_dir`` if it holds nothing but the lock (a job that made nothing: stopped, or failed uncached),
    and then its parent if ``parent_too`` and empty (the athlete's folder, unless another job wrote there)."""
    with contextlib.suppress(OSError):
        if out_dir.is_dir() and {p.name for p in out_dir.iterdir()} <= {LOCK}:
            with contextlib.suppress(FileNotFoundError):
                (out_dir / LOCK).unlink()
            out_dir.rmdir()
    if parent_too:
        with contextlib.suppress(OSError):
            out_dir.parent.rmdir()
