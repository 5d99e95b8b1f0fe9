"""The batch job lock leaves no empty folder behind, also when a stop signal lands while it makes the folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.batch.state import LOCK, job_lock
from formcheck.errors import Interrupted


def test_a_job_that_made_nothing_leaves_neither_its_folder_nor_the_athletes(tmp_path: Path) -> None:
    job = tmp_path / "out" / "a2" / "2026-01-03"
    with pytest.raises(RuntimeError), job_lock(job):
        assert (job / LOCK).exists()
        raise RuntimeError("stopped")
    assert not (tmp_path / "out" / "a2").exists()
    assert list((tmp_path / "out").iterdir()) == []  # --out itself stays, empty


def test_a_stop_between_making_the_athletes_folder_and_the_jobs_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = tmp_path / "a2" / "2026-01-03"
    real_mkdir = Path.mkdir

    def mkdir_then_stop(self: Path, *args: object, **kwargs: object) -> None:
        real_mkdir(job.parent)  # the athlete's folder is made, then the signal lands
        raise Interrupted(15)

    monkeypatch.setattr(Path, "mkdir", mkdir_then_stop)
    with pytest.raises(Interrupted), job_lock(job):
        pass
    assert not job.parent.exists()


def test_a_job_keeps_what_it_wrote_and_an_athletes_folder_it_did_not_make(tmp_path: Path) -> None:
    athlete = tmp_path / "a2"
    (athlete / "2026-01-01").mkdir(parents=True)  # another session of the same athlete
    stopped, written = athlete / "2026-01-02", athlete / "2026-01-03"
    with pytest.raises(RuntimeError), job_lock(stopped):
        raise RuntimeError("stopped")
    with job_lock(written):
        (written / "report.json").write_text("{}")
    assert not stopped.exists()
    assert (written / "report.json").exists() and (athlete / "2026-01-01").is_dir()
