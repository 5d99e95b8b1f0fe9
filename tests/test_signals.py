"""Stop signals (issue 13): SIGINT, SIGTERM and SIGHUP in the middle of the pose pass or of the render pass leave no
file behind and end with one line and exit 128 + N; a batch's workers die with it, even on SIGKILL, and Ctrl-C stops
a batch promptly with its finished videos kept."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES

pytestmark = pytest.mark.slow

CLIP = SAMPLES / "backward_good.mp4"
ENV = {k: v for k, v in os.environ.items() if not k.startswith("FORMCHECK_")}


def _analyze(out: Path) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "formcheck", "analyze", str(CLIP), "--out", str(out), "--model", "lite", "--quiet"]
    return subprocess.Popen(cmd, cwd=REPO, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(proc: subprocess.Popen[str], ready, what: str, timeout_s: float = 240) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        assert proc.poll() is None, f"the run ended before {what}: {proc.communicate()[1]}"
        assert time.monotonic() < deadline, f"no {what} within {timeout_s} s"
        time.sleep(0.005)


def _stopped_cleanly(proc: subprocess.Popen[str], sig: signal.Signals) -> None:
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, (proc.returncode, err)
    assert err.strip().splitlines() == [f"formcheck: interrupted by {sig.name}: stopped, no partial output left behind"]


@pytest.fixture(scope="module")
def pose_file(tmp_path_factory) -> Path:
    """pose.npz of the clip, so the render-pass runs skip inference and reach the render pass at once."""
    out = tmp_path_factory.mktemp("pose")
    proc = _analyze(out)
    assert proc.wait(timeout=600) == 0, proc.communicate()[1]
    return out / "pose.npz"


SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_signal_mid_pose_pass_leaves_nothing(tmp_path: Path, sig: signal.Signals) -> None:
    out = tmp_path / "out"
    proc = _analyze(out)
    _wait_for(proc, out.exists, "output folder")
    time.sleep(0.3)
    assert not any(p.name.startswith(".pose.tmp-") for p in out.iterdir())  # still in the pose pass
    _stopped_cleanly(proc, sig)
    assert not out.exists()  # the folder it made is gone too


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_signal_mid_render_pass_leaves_nothing(tmp_path: Path, pose_file: Path, sig: signal.Signals) -> None:
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy2(pose_file, out / "pose.npz")

    def rendering() -> bool:
        return any(p.name.startswith("..annotated.tmp-") and p.stat().st_size > 0 for p in out.iterdir())

    proc = _analyze(out)
    _wait_for(proc, rendering, "annotated.mp4 being written")
    _stopped_cleanly(proc, sig)
    assert sorted(p.name for p in out.iterdir()) == ["pose.npz"]  # what was there before, and nothing else


# --- batch -------------------------------------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def athletes(tmp_path: Path) -> Path:
    folder = tmp_path / "athletes"
    for i, name in enumerate(["backward_good", "backward_heel_long_steps", "backward_portrait"]):
        (folder / f"a{i}").mkdir(parents=True)
        shutil.copyfile(SAMPLES / f"{name}.mp4", folder / f"a{i}" / f"2026-01-0{i + 1}.mp4")
    return folder


def _batch(folder: Path, out: Path) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "formcheck.batch", str(folder), "--out", str(out), "--model", "lite", "--workers", "2"]
    return subprocess.Popen(
        cmd, cwd=REPO, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def test_batch_workers_die_within_5_s_of_the_parents_sigkill(athletes: Path, tmp_path: Path) -> None:
    proc = _batch(athletes, tmp_path / "out")
    try:
        _wait_for(proc, lambda: len(list((tmp_path / "out").rglob(".batch.lock"))) >= 2, "two jobs running")
        workers = _children(proc.pid)
        assert len(workers) >= 2, workers  # two pool workers (and multiprocessing's resource tracker)
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, as `kill -9 PID` does
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "workers outlived their batch by 5 s"
    finally:
        for w in _children(proc.pid) | _children(os.getpid()):
            if w != os.getpid():
                with_suppress_kill(w)


def with_suppress_kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def test_ctrl_c_stops_a_batch_promptly_keeping_finished_videos(athletes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _batch(athletes, out)
    _wait_for(proc, lambda: bool(list(out.rglob("batch_done.json"))), "a finished video")
    workers = _children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole process group
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("formcheck: interrupted by SIGINT: ") and "resume" in lines[0]
    assert not [w for w in workers if _alive(w)]
    assert not list(out.rglob(".*.tmp-*")), list(out.rglob(".*.tmp-*"))
    done = [m.parent for m in out.rglob("batch_done.json")]
    assert done
    for job in done:
        assert {"annotated.mp4", "report.json", "pose.npz"} <= {p.name for p in job.iterdir()}
    unfinished = {p.parent for p in out.rglob("*") if p.is_file()} - set(done)
    assert not unfinished, f"unfinished jobs left files: {[list(j.iterdir()) for j in unfinished]}"
    assert {p for p in out.rglob("*") if p.is_dir()} <= set(done) | {d.parent for d in done}  # no empty folders
