"""Every bad input: a non-zero exit, one line on stderr, no traceback, no file left in the output folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_audio_only, make_clip

CLI = [sys.executable, "-m", "formcheck"]


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORMCHECK_")}
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=300, env=env)


def make_bad(kind: str, tmp: Path) -> Path:
    path = tmp / "in" / "clip.mp4"
    path.parent.mkdir()
    if kind == "missing":
        return path
    if kind == "folder":
        path.mkdir()
    elif kind == "not_video":
        path.write_text("hello, I am a text file\n" * 100)
    elif kind == "zero_bytes":
        path.write_bytes(b"")
    elif kind == "truncated":
        good = make_clip(tmp / "good.mp4", frames=120, width=320, height=240)
        data = good.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 3])
    elif kind == "truncated_no_index":
        good = make_clip(tmp / "good.mp4", frames=120, width=320, height=240, faststart=False)
        data = good.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "audio_only":
        make_audio_only(path)
    elif kind == "no_person":
        make_clip(path, frames=20, width=320, height=240)
    return path


KINDS = ["missing", "folder", "not_video", "zero_bytes", "truncated", "truncated_no_index", "audio_only", "no_person"]


@pytest.mark.parametrize("kind", KINDS)
def test_bad_video_fails_cleanly(tmp_path: Path, kind: str):
    video = make_bad(kind, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    res = run_cli("analyze", video, "--out", out, "--model", "lite", "--quiet")
    assert res.returncode not in (0, 70), res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("formcheck: error:")
    assert "Traceback" not in res.stderr + res.stdout
    assert list(out.iterdir()) == [], f"left behind: {list(out.iterdir())}"


def test_unwritable_output_folder(tmp_path: Path):
    video = make_bad("no_person", tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    res = run_cli("analyze", video, "--out", blocker / "out", "--quiet")
    assert res.returncode == 5
    assert len(res.stderr.strip().splitlines()) == 1 and "not writable" in res.stderr
    assert "Traceback" not in res.stderr


def test_bad_options_are_one_line_errors(tmp_path: Path):
    video = make_bad("no_person", tmp_path)
    for args in (["--model", "huge"], ["--person", "-1"], ["--config", tmp_path / "nope.toml"]):
        res = run_cli("analyze", video, "--out", tmp_path / "o", *args)
        assert res.returncode == 6, (args, res.stderr)
        assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr


def test_invalid_config_value_names_the_key(tmp_path: Path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[pose]\nnum_poses = 0\n")
    res = run_cli("analyze", make_bad("no_person", tmp_path), "--config", cfg)
    assert res.returncode == 6 and "pose.num_poses" in res.stderr


def test_a_failed_run_does_not_leave_the_folder_it_created(tmp_path: Path):
    video = make_bad("no_person", tmp_path)
    out = tmp_path / "fresh" / "out"
    res = run_cli("analyze", video, "--out", out, "--model", "lite", "--quiet")
    assert res.returncode == 3 and "no person" in res.stderr
    assert not out.exists()
