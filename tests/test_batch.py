"""Coach batch mode: planning, fault isolation, resumability (also after SIGKILL), index/progress, Ray engine."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcheck.batch.plan import plan_jobs
from formcheck.batch.runner import run_batch
from formcheck.batch.state import MARKER
from formcheck.cli import get_app as app
from formcheck.errors import BatchError

REPO = Path(__file__).resolve().parents[1]


def _render(path: Path, seed: int) -> Path:
    from formcheck.synth import generate_clip
    from formcheck.synth.params import SynthParams

    generate_clip(
        SynthParams.build(
            seed=seed, segments=[{"direction": "backward", "duration_s": 1.0}], fps=30, width_px=320, height_px=240
        ),
        path,
    )
    return path


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[int, Path]:
    """Three distinct 1 s synthetic clips, rendered once per session."""
    folder = tmp_path_factory.mktemp("clips")
    return {seed: _render(folder / f"seed{seed}.mp4", seed) for seed in (1, 2, 3)}


@pytest.fixture(scope="session")
def batch_input(tmp_path_factory, clips) -> Path:
    """8 videos of 3 athletes: 6 good (alice has 3 sessions, bob 2), 2 broken (text file, truncated mp4)."""
    root = tmp_path_factory.mktemp("athletes")
    layout = {
        "alice/alice_2026-01-05.mp4": 1,
        "alice/alice_2026-02-02.mp4": 2,
        "alice/alice_2026-03-01.mp4": 3,
        "bob/2026-01-10.mp4": 2,
        "bob/2026-02-10.mp4": 1,
        "carol_2026-01-15.mp4": 3,
    }
    for rel, seed in layout.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(clips[seed], root / rel)
    (root / "bob" / "broken_2026-03-03.mp4").write_text("this is not a video\n")
    (root / "carol").mkdir()
    (root / "carol" / "cut_2026-02-01.mp4").write_bytes(clips[1].read_bytes()[:600])
    return root


def _summary(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def first_run(tmp_path_factory, batch_input):
    out = tmp_path_factory.mktemp("out")
    t0 = time.perf_counter()
    res = run_batch(batch_input, out, workers=2, model="lite")
    return out, res, time.perf_counter() - t0


def test_plan_folder_dates_and_athletes(batch_input, tmp_path):
    jobs = plan_jobs(batch_input, tmp_path / "out")
    assert len(jobs) == 8
    ids = [j.id for j in jobs]
    assert "alice/2026-02-02/alice_2026-02-02" in ids
    assert "carol/2026-01-15/carol_2026-01-15" in ids  # top-level file: athlete from its name
    assert "bob/2026-03-03/broken_2026-03-03" in ids
    carol = next(j for j in jobs if j.source == "carol_2026-01-15.mp4")
    assert carol.out_dir == tmp_path / "out" / "carol" / "2026-01-15_carol_2026-01-15"


def test_plan_manifest(tmp_path, clips):
    (tmp_path / "v").mkdir()
    shutil.copyfile(clips[1], tmp_path / "v" / "run.mp4")
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "athlete,date,video,notes\nDana <b>,2026-11-02,v/run.mp4,first <i>session</i>\n"
        "Dana <b>,,v/run_2026-12-01.mp4,\n"
    )
    jobs = plan_jobs(manifest, tmp_path / "out")
    assert [(j.athlete, j.date) for j in jobs] == [("Dana <b>", "2026-11-02"), ("Dana <b>", "2026-12-01")]
    assert jobs[0].video == tmp_path / "v" / "run.mp4" and jobs[0].notes == "first <i>session</i>"
    assert "<" not in str(jobs[0].out_dir.relative_to(tmp_path))
    manifest.write_text("athlete,date,video\nx,02/11/2026,a.mp4\n")
    with pytest.raises(BatchError, match="line 2"):
        plan_jobs(manifest, tmp_path / "out")
    with pytest.raises(BatchError, match="does not exist"):
        plan_jobs(tmp_path / "nope", tmp_path / "out")


@pytest.mark.slow
def test_batch_fault_isolation(first_run):
    out, res, _ = first_run
    rows = _summary(out / "summary.csv")
    assert len(rows) == 8
    assert [r["status"] for r in rows].count("ok") == 6
    errors = {r["video"]: r["error"] for r in rows if r["status"] == "error"}
    assert set(errors) == {"bob/broken_2026-03-03.mp4", "carol/cut_2026-02-01.mp4"}
    assert all(errors.values())
    assert [(r["athlete"], r["date"], r["video"]) for r in rows] == sorted(
        (r["athlete"], r["date"], r["video"]) for r in rows
    )
    ok = [r for r in rows if r["status"] == "ok"]
    assert all(r["upright_posture_verdict"] in ("ok", "warn", "fail", "not_assessable") for r in ok)
    for r in res.results:
        if r.ok:  # the same outputs as `analyze`, and the marker
            for name in ("annotated.mp4", "report.json", "report.html", "frames.csv", "steps.csv", "pose.npz", MARKER):
                assert (Path(r.out_dir) / name).is_file(), (r.job_id, name)
    assert not list(out.rglob(".*.tmp-*"))
    # same seed, same scores: the batch is deterministic across videos and processes
    by_video = {r["video"]: r for r in rows}
    assert (
        by_video["alice/alice_2026-01-05.mp4"]["upright_posture_score"]
        == by_video["bob/2026-02-10.mp4"]["upright_posture_score"]
    )


@pytest.mark.slow
def test_index_and_progress(first_run):
    out, _, _ = first_run
    page = (out / "index.html").read_text()
    assert "default-src 'none'; img-src data:; style-src 'unsafe-inline'" in page
    assert 'href="alice/2026-01-05_alice_2026-01-05/report.html"' in page
    assert page.count("<svg") == 2  # alice (3 sessions) and bob (2 good sessions); carol has one
    assert "not a video" in page or "broken_2026-03-03.mp4" in page
    runner = CliRunner()
    res = runner.invoke(app(), ["progress", "alice", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "2026-01-05" in res.output and "2026-03-01" in res.output and "upright_posture" in res.output
    res = runner.invoke(app(), ["progress", "zed", "--out", str(out)])
    assert res.exit_code == BatchError.exit_code, res.output
    assert res.stderr.startswith("formcheck: error:") and len(res.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_rerun_skips_finished(first_run, batch_input):
    out, first, first_s = first_run
    before = (out / "summary.csv").read_bytes()
    t0 = time.perf_counter()
    again = run_batch(batch_input, out, workers=2, model="lite")
    rerun_s = time.perf_counter() - t0
    assert again.reused == 8
    assert (out / "summary.csv").read_bytes() == before
    assert rerun_s < 0.1 * first_s, (rerun_s, first_s)


@pytest.mark.slow
def test_cli_exit_code_and_failures_listed(first_run, batch_input):
    out, _, _ = first_run
    res = CliRunner().invoke(app(), ["batch", str(batch_input), "--out", str(out), "--model", "lite"])
    assert res.exit_code == 1
    assert "failed:" in res.output and "broken_2026-03-03.mp4" in res.output and "cut_2026-02-01.mp4" in res.output
    assert "8 videos: 6 ok, 2 failed" in res.output


@pytest.mark.slow
def test_config_change_invalidates(first_run, batch_input, tmp_path):
    out, _, _ = first_run
    cfg = tmp_path / "c.toml"
    cfg.write_text("[video]\ncrf = 30\n")
    from formcheck.batch.state import config_sha256, read_marker
    from formcheck.config import load_config

    marker = read_marker(out / "alice" / "2026-01-05_alice_2026-01-05")
    assert marker is not None and marker["config_sha256"] == config_sha256(load_config())
    assert config_sha256(load_config(cfg)) != marker["config_sha256"]


@pytest.mark.slow
def test_killed_run_resumes_to_same_summary(first_run, batch_input, tmp_path):
    out_ref, _, _ = first_run
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "formcheck.batch",
        str(batch_input),
        "--out",
        str(out),
        "--model",
        "lite",
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while not list(out.rglob(MARKER)):
            assert proc.poll() is None, "the batch finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, as a crash or `kill -9` would
        proc.wait()
    assert not (out / "summary.csv").exists()
    done_before = len(list(out.rglob(MARKER)))
    assert done_before < 8
    res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert res.returncode == 1, res.stderr
    assert (out / "summary.csv").read_bytes() == (out_ref / "summary.csv").read_bytes()
    assert not list(out.rglob(".*.tmp-*"))
    assert f"({done_before} already done" in res.stdout


@pytest.mark.slow
def test_ray_engine_same_summary(first_run, batch_input, tmp_path):
    ray = pytest.importorskip("ray")
    out_ref, _, _ = first_run
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        res = run_batch(batch_input, tmp_path / "out", engine="ray", model="lite")
    finally:
        ray.shutdown()
    assert len(res.failed) == 2 and res.reused == 0
    assert (tmp_path / "out" / "summary.csv").read_bytes() == (out_ref / "summary.csv").read_bytes()


def test_missing_videos_become_error_rows_and_are_escaped(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "athlete,date,video,notes\n<script>alert(1)</script>,2026-11-02,gone.mp4,<b>n</b>\n"
        "eve,2026-11-03,also_gone.mp4,\n"
    )
    res = CliRunner().invoke(app(), ["batch", str(manifest), "--out", str(tmp_path / "out"), "--model", "lite"])
    assert res.exit_code == 1, res.output
    rows = _summary(tmp_path / "out" / "summary.csv")
    assert [r["status"] for r in rows] == ["error", "error"]
    assert "cannot read" in rows[0]["error"] and "gone.mp4" in rows[0]["error"]
    page = (tmp_path / "out" / "index.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;n" in page


def test_marker_decides_reuse(tmp_path):
    from formcheck.batch.plan import Job
    from formcheck.batch.state import OUTPUTS, JobKey, clean_temporaries, write_marker
    from formcheck.batch.task import cached_result

    job = Job("a", "2026-01-01", tmp_path / "v.mp4", "v.mp4", "", tmp_path / "a" / "x")
    key = JobKey("c" * 64, "f" * 64, "0.1.0", "lite")
    assert cached_result(job, key) is None
    write_marker(
        job.out_dir,
        key,
        {"status": "ok", "error": "", "frames": 30, "rules": [{"id": "upright_posture", "verdict": "ok", "score": 90}]},
    )
    from formcheck import analyze

    assert set(OUTPUTS) == {
        analyze.ANNOTATED,
        analyze.POSE_FILE,
        analyze.REPORT,
        analyze.FRAMES_CSV,
        analyze.STEPS_CSV,
        analyze.REPORT_HTML,
    }
    assert cached_result(job, key) is None  # the marker alone is not enough: the outputs must be there
    for name in OUTPUTS:
        (job.out_dir / name).write_text("x")
    hit = cached_result(job, key)
    assert hit is not None and hit.reused and hit.rules == (("upright_posture", "ok", 90),)
    for changed in (
        JobKey("d" * 64, key.config_sha256, key.formcheck_version, key.model),
        JobKey(key.content_sha256, "e" * 64, key.formcheck_version, key.model),
        JobKey(key.content_sha256, key.config_sha256, "0.2.0", key.model),
        JobKey(key.content_sha256, key.config_sha256, key.formcheck_version, "full"),
    ):
        assert cached_result(job, changed) is None
    (job.out_dir / ".report.tmp-abc.json").write_text("{")
    assert clean_temporaries(job.out_dir) == 1 and not list(job.out_dir.glob(".*.tmp-*"))


def _crashy_task(job, config_path, model):
    """A stand-in for run_job (runs in a spawned worker): kills its process on 'crash' videos."""
    from formcheck.batch.task import JobResult

    if "crash" in job.source:
        os._exit(9)
    return JobResult(
        job_id=job.id,
        athlete=job.athlete,
        date=job.date,
        source=job.source,
        notes="",
        out_dir=str(job.out_dir),
        status="ok",
    )


def test_worker_crash_is_one_error_row(tmp_path):
    from formcheck.batch.engines import run_local
    from formcheck.batch.plan import Job

    jobs = [
        Job("a", f"2026-01-0{i}", tmp_path / f"{name}.mp4", f"{name}.mp4", "", tmp_path / name)
        for i, name in enumerate(["v1", "crash", "v2", "v3"], start=1)
    ]
    got = []
    run_local(jobs, None, "lite", 2, got.append, task=_crashy_task)
    status = {r.source: r.status for r in got}
    assert status == {"v1.mp4": "ok", "crash.mp4": "error", "v2.mp4": "ok", "v3.mp4": "ok"}
    assert "crashed" in next(r.error for r in got if r.source == "crash.mp4")


@pytest.mark.slow
def test_batch_writes_each_athletes_handout(first_run):
    """handout.pdf beside each report: one page, the athlete's name and the session date as text."""
    import subprocess

    out, res, _ = first_run
    for r in res.results:
        if r.ok:
            pdf = Path(r.out_dir) / "handout.pdf"
            assert pdf.is_file(), r.job_id
            text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, check=True).stdout
            assert r.athlete in text.decode() and r.date in text.decode()
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            assert "Pages:           1" in info
