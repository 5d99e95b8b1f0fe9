"""Every failure a user can cause (issue 13): the exit code the README documents, one line on stderr (typer's usage
block for usage errors), no traceback, and nothing left in --out; or, for damaged clips and batch names/notes, the
documented partial result.

Most cases drive the app in-process with typer's CliRunner; the few that need a real process (a FIFO that would
hang, the console script) use a subprocess.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, SAMPLES, make_audio_only, make_clip
from typer.testing import CliRunner

from formcheck.cli import get_app

#: Exit codes, as README's table documents them.
OK, USAGE, INPUT, NO_PERSON, OUTPUT, CONFIG = 0, 2, 2, 3, 5, 6


def readme_exit_codes() -> set[int]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| exit code | meaning |") :].split("\n\n")[0]
    return {int(m) for m in re.findall(r"^\| (\d+)", table, flags=re.M)}


# --- inputs, made on the fly -------------------------------------------------------------------------------------


def blank_clip(tmp: Path, name: str = "clip.mp4", frames: int = 20) -> Path:
    """A tiny valid clip with nobody in it."""
    path = tmp / "in" / name
    path.parent.mkdir(exist_ok=True)
    return make_clip(path, frames=frames, width=160, height=120)


def _damage(data: bytes, share: float, n: int, seed: int = 1) -> bytes:
    out = bytearray(data)
    at = int(len(out) * share)
    out[at : at + n] = np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()
    return bytes(out)


def _still(tmp: Path, name: str, ext: str) -> Path:
    import cv2

    img = np.zeros((120, 160, 3), np.uint8)
    img[40:80, 60:100] = 200
    path = tmp / "in" / name
    path.parent.mkdir(exist_ok=True)
    ok, enc = cv2.imencode(ext, img)
    assert ok
    path.write_bytes(enc.tobytes())
    return path


def _file(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def _truncated(tmp: Path) -> Path:
    good = make_clip(tmp / "good.mp4", frames=90, width=160, height=120)
    data = good.read_bytes()
    return _file(tmp, "clip.mp4", data[: len(data) * 2 // 3])


def _badly_damaged(tmp: Path) -> Path:
    """A clip of small packets: 2 KB of random bytes take out ~40 of 180 frames (far above video.max_lost_share)."""
    good = make_clip(tmp / "good.mp4", frames=180, width=320, height=240)
    return _file(tmp, "clip.mp4", _damage(good.read_bytes(), 0.5, 2048))


def _config(tmp: Path, body: bytes) -> Path:
    path = tmp / "c.toml"
    path.write_bytes(body)
    return path


def _batch_folder(tmp: Path) -> Path:
    folder = tmp / "athletes"
    (folder / "alice").mkdir(parents=True)
    make_clip(folder / "alice" / "2026-01-05.mp4", frames=10)
    return folder


# --- the cases ---------------------------------------------------------------------------------------------------

#: (id, exit code, kind, build(tmp) -> argv). kind: "error" (one formcheck line), "usage" (typer's block).
Case = tuple[str, int, str, Callable[[Path], list[str]]]


def _an(video: Path, tmp: Path, *more: str) -> list[str]:
    return ["analyze", str(video), "--out", str(tmp / "out"), "--model", "lite", "--quiet", *more]


CASES: list[Case] = [
    # usage errors: typer's usage block, exit 2
    ("usage-analyze-no-video", USAGE, "usage", lambda t: ["analyze"]),
    ("usage-unknown-option", USAGE, "usage", lambda t: ["analyze", str(blank_clip(t)), "--bogus"]),
    ("usage-unknown-command", USAGE, "usage", lambda t: ["analyse-this"]),
    ("usage-person-not-a-number", USAGE, "usage", lambda t: [*_an(blank_clip(t), t), "--person", "abc"]),
    ("usage-missing-option-value", USAGE, "usage", lambda t: ["analyze", str(blank_clip(t)), "--out"]),
    ("usage-batch-without-out", USAGE, "usage", lambda t: ["batch", str(_batch_folder(t))]),
    (
        "usage-batch-workers-not-a-number",
        USAGE,
        "usage",
        lambda t: ["batch", str(_batch_folder(t)), "-o", str(t / "out"), "-w", "x"],
    ),
    # bad option values and config files: exit 6, before anything is created
    ("option-model", CONFIG, "error", lambda t: [*_an(blank_clip(t), t), "--model", "huge"]),
    ("option-person-negative", CONFIG, "error", lambda t: [*_an(blank_clip(t), t), "--person", "-1"]),
    ("config-missing", CONFIG, "error", lambda t: [*_an(blank_clip(t), t), "--config", str(t / "nope.toml")]),
    ("config-is-a-folder", CONFIG, "error", lambda t: [*_an(blank_clip(t), t), "--config", str(t)]),
    (
        "config-not-toml",
        CONFIG,
        "error",
        lambda t: [*_an(blank_clip(t), t), "--config", str(_config(t, b"[video\ncrf="))],
    ),
    (
        "config-not-utf8",
        CONFIG,
        "error",
        lambda t: [*_an(blank_clip(t), t), "--config", str(_config(t, b"[video]\ncrf = 20 # \xff\xfe\n"))],
    ),
    (
        "config-bad-preset",
        CONFIG,
        "error",
        lambda t: [*_an(blank_clip(t), t), "--config", str(_config(t, b'[video]\npreset = "bogus"\n'))],
    ),
    (
        "config-unknown-key",
        CONFIG,
        "error",
        lambda t: [*_an(blank_clip(t), t), "--config", str(_config(t, b"[pose]\nbogus = 1\n"))],
    ),
    (
        "config-out-of-range",
        CONFIG,
        "error",
        lambda t: [*_an(blank_clip(t), t), "--config", str(_config(t, b"[pose]\nnum_poses = 0\n"))],
    ),
    (
        "batch-workers-zero",
        CONFIG,
        "error",
        lambda t: ["batch", str(_batch_folder(t)), "-o", str(t / "out"), "-w", "0"],
    ),
    (
        "batch-engine-unknown",
        CONFIG,
        "error",
        lambda t: ["batch", str(_batch_folder(t)), "-o", str(t / "out"), "--engine", "spark"],
    ),
    (
        "batch-model-unknown",
        CONFIG,
        "error",
        lambda t: ["batch", str(_batch_folder(t)), "-o", str(t / "out"), "-m", "huge"],
    ),
    # unusable input video: exit 2
    ("video-missing", INPUT, "error", lambda t: _an(t / "in" / "nope.mp4", t)),
    ("video-is-a-folder", INPUT, "error", lambda t: _an(t, t)),
    ("video-is-text", INPUT, "error", lambda t: _an(_file(t, "clip.mp4", b"hello, I am a text file\n" * 100), t)),
    ("video-zero-bytes", INPUT, "error", lambda t: _an(_file(t, "clip.mp4", b""), t)),
    ("video-truncated", INPUT, "error", lambda t: _an(_truncated(t), t)),
    ("video-badly-damaged", INPUT, "error", lambda t: _an(_badly_damaged(t), t)),
    ("video-audio-only", INPUT, "error", lambda t: _an(make_audio_only(_file(t, "a.mp4", b"x")), t)),
    ("video-png", INPUT, "error", lambda t: _an(_still(t, "photo.png", ".png"), t)),
    ("video-jpeg-renamed-mp4", INPUT, "error", lambda t: _an(_still(t, "photo.mp4", ".jpg"), t)),
    ("video-one-frame", INPUT, "error", lambda t: _an(blank_clip(t, frames=1), t)),
    ("batch-input-missing", INPUT, "error", lambda t: ["batch", str(t / "nope"), "-o", str(t / "out")]),
    (
        "batch-manifest-columns",
        INPUT,
        "error",
        lambda t: ["batch", str(_file(t, "m.csv", b"name,file\na,b.mp4\n")), "-o", str(t / "out")],
    ),
    (
        "batch-manifest-bad-date",
        INPUT,
        "error",
        lambda t: ["batch", str(_file(t, "m.csv", b"athlete,date,video\na,May 3,b.mp4\n")), "-o", str(t / "out")],
    ),
    # nobody in view: exit 3
    ("no-person", NO_PERSON, "error", lambda t: _an(blank_clip(t), t)),
    # the output folder: exit 5
    (
        "out-under-a-file",
        OUTPUT,
        "error",
        lambda t: ["analyze", str(blank_clip(t)), "--out", str(_file(t, "f", b"x") / "out")],
    ),
]


def _check_error(res, code: int, kind: str, out: Path) -> None:
    text = res.stdout + res.stderr
    assert "Traceback" not in text and "internal error" not in text, text
    assert res.exit_code == code, (res.exit_code, text)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    if kind == "usage":
        assert "Usage:" in res.stderr or "Error" in res.stderr, res.stderr
        assert not any(ln.startswith("formcheck: ") for ln in lines)
    else:
        assert len(lines) == 1 and lines[0].startswith("formcheck: error: "), res.stderr
    assert not out.exists() or list(out.iterdir()) == [], f"left behind: {list(out.rglob('*'))}"


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input(tmp_path: Path, case: Case) -> None:
    _, code, kind, build = case
    argv = build(tmp_path)
    res = CliRunner().invoke(get_app(), argv)
    _check_error(res, code, kind, tmp_path / "out")


def test_every_code_of_the_suite_is_in_the_readme_table() -> None:
    documented = readme_exit_codes()
    assert {c[1] for c in CASES} | {OK, 1, 4, 70, 128} <= documented, documented
    table = (REPO / "README.md").read_text(encoding="utf-8").split("| 128 + N |")[1].splitlines()[0]
    assert all(str(128 + n) in table for n in (1, 2, 15)), table  # SIGHUP, SIGINT, SIGTERM


def test_no_arguments_prints_help_and_exits_2() -> None:
    res = CliRunner().invoke(get_app(), [])
    assert res.exit_code == USAGE
    assert "Usage:" in res.stdout + res.stderr and "analyze" in res.stdout + res.stderr
    assert "internal error" not in res.stdout + res.stderr


def test_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.mp4"
    os.mkfifo(fifo)
    res = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", str(fifo), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,  # a hang (the old behaviour) fails here instead of blocking the suite
    )
    assert res.returncode == INPUT, res.stderr
    assert res.stderr.strip().splitlines() == [res.stderr.strip()] and "not a regular file" in res.stderr
    assert not (tmp_path / "out").exists()


def test_a_source_video_in_the_output_folder_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    video = make_clip(out / "annotated.mp4", frames=20)
    before = video.read_bytes()
    res = CliRunner().invoke(get_app(), ["analyze", str(video), "--out", str(out), "--model", "lite"])
    assert res.exit_code == OUTPUT and "would be overwritten" in res.stderr, res.output
    assert len(res.stderr.strip().splitlines()) == 1
    assert video.read_bytes() == before and sorted(p.name for p in out.iterdir()) == ["annotated.mp4"]


def test_a_later_run_removes_only_its_own_stale_temporaries(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    stale = [".pose.tmp-k2j3h4g5.npz", "..annotated.tmp-abc_123.tmp-x9y8z7w6.mp4", ".report.tmp-qwertyui.html"]
    theirs = [".notes.tmp-12345678.txt", "annotated.mp4.bak", ".pose.npz.keep", "report.tmp-abc.json"]
    for name in stale + theirs:
        (out / name).write_text("x")
    res = CliRunner().invoke(
        get_app(), _an(blank_clip(tmp_path), tmp_path / "unused")[:2] + ["--out", str(out), "-m", "lite", "-q"]
    )
    assert res.exit_code == NO_PERSON, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(theirs)


def test_engine_ray_without_ray_leaves_no_out_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError, as without the extra
    out = tmp_path / "out"
    res = CliRunner().invoke(get_app(), ["batch", str(_batch_folder(tmp_path)), "-o", str(out), "--engine", "ray"])
    _check_error(res, INPUT, "error", out)
    assert "pip install 'formcheck[ray]'" in res.stderr and not out.exists()


def test_python_m_batch_same_convention(tmp_path: Path) -> None:
    """``python -m formcheck.batch`` (its own small app, not the main CLI) ends the same ways."""
    from formcheck.batch.commands import batch_app

    folder = _batch_folder(tmp_path)
    res = CliRunner().invoke(batch_app(), ["batch", str(folder), "-o", str(tmp_path / "out"), "-w", "0"])
    _check_error(res, CONFIG, "error", tmp_path / "out")
    res = CliRunner().invoke(batch_app(), ["batch", str(folder), "--bogus"])
    _check_error(res, USAGE, "usage", tmp_path / "out")


# --- out of disk space -------------------------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A tmpfs of the size asked for, mounted for the test (skipped where mounting is not permitted)."""
    mounted: list[Path] = []

    def mount(size_kb: int) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        res = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)], capture_output=True, text=True
        )
        if res.returncode != 0:
            pytest.skip(f"cannot mount a {size_kb} KB tmpfs here ({res.stderr.strip() or 'not permitted'})")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", str(where)], capture_output=True)


def test_too_small_a_disk_is_refused_before_the_pose_pass(tmp_path: Path, tiny_disk) -> None:
    disk = tiny_disk(300)
    video = make_clip(tmp_path / "long.mp4", frames=600, width=640, height=480)  # needs >= 0.46 MB at 0.02 bit/px
    res = CliRunner().invoke(get_app(), _an(video, disk))
    _check_error(res, OUTPUT, "error", disk / "out")
    assert "no space left in" in res.stderr and "MB are free" in res.stderr
    assert list(disk.iterdir()) == []


@pytest.mark.slow
def test_disk_full_while_writing_is_exit_5_and_leaves_nothing(tmp_path: Path, tiny_disk) -> None:
    disk = tiny_disk(500)  # passes the estimate (~0.14 MB), holds pose.npz and report.html, not annotated.mp4
    res = CliRunner().invoke(get_app(), _an(SAMPLES / "backward_good.mp4", disk))
    _check_error(res, OUTPUT, "error", disk / "out")
    assert "no space left in" in res.stderr
    assert list(disk.iterdir()) == []


@pytest.mark.slow
def test_disk_full_in_the_video_writer_is_exit_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same without a tmpfs: the encoder's mux fails as a full disk makes it fail."""
    from formcheck.video import writer

    real = writer.H264Writer.write

    def full(self, rgb, time_s=None):
        if self.frames_written >= 10:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, rgb, time_s)

    monkeypatch.setattr(writer.H264Writer, "write", full)
    res = CliRunner().invoke(get_app(), _an(SAMPLES / "backward_good.mp4", tmp_path))
    _check_error(res, OUTPUT, "error", tmp_path / "out")
    assert "no space left in" in res.stderr


# --- documented partial results ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_damaged_packet_skips_frames_not_the_clip(tmp_path: Path) -> None:
    import json

    video = _file(tmp_path, "damaged.mp4", _damage((SAMPLES / "backward_good.mp4").read_bytes(), 0.5, 2048))
    res = CliRunner().invoke(get_app(), ["analyze", str(video), "--out", str(tmp_path / "out"), "--model", "lite"])
    assert res.exit_code == OK, res.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    skipped = report["video"]["frames_skipped"]
    assert 1 <= skipped <= 4 and report["video"]["frames"] == 180 - skipped  # decoded frames
    assert f"{skipped} damaged frame" in res.stdout
    import csv

    rows = list(csv.DictReader((tmp_path / "out" / "frames.csv").open()))
    assert len(rows) == 180 - skipped
    t = np.array([float(r["time_s"]) for r in rows])
    assert np.all(np.diff(t) > 0) and np.max(np.diff(t)) > 1.5 / 30  # real times: the gap is visible


def test_athlete_names_keep_their_letters(tmp_path: Path) -> None:
    from formcheck.batch.plan import plan_jobs, safe_name

    folder = tmp_path / "in"
    for name in ("Jörg Müller", "Zoë", "李雷", "a/b"):
        (folder / safe_name(name)).mkdir(parents=True, exist_ok=True)
    make_clip(folder / "Jörg Müller" / "2026-01-05.mp4", frames=5)
    jobs = plan_jobs(folder, tmp_path / "out")
    assert [j.out_dir.parent.name for j in jobs] == ["Jörg Müller"]
    assert safe_name("Zoë") == "Zoë" and safe_name("李雷") == "李雷"
    assert safe_name('a/b:c*d?"e<f>g|h\x00i') == "a_b_c_d_e_f_g_h_i" and safe_name("..") == "_"
    assert safe_name("Jo\u0308rg") == "Jörg"  # a Mac's decomposed umlaut: the same folder


def test_a_newline_in_a_manifest_note_survives(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text('athlete,date,video,notes\nann,2026-11-02,gone.mp4,"line one\nline two"\n', encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(get_app(), ["batch", str(manifest), "--out", str(out), "--model", "lite"])
    assert res.exit_code == 1, res.output  # the (missing) video is an error row; the batch itself ran
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<td class=notes>line one\nline two</td>" in page and "td.notes{white-space:pre-line}" in page


def test_a_damaged_clip_skips_the_same_frames_on_every_pass(tmp_path: Path) -> None:
    """The pose pass (chunks, one decoder thread) and the render pass (scaled, automatic threads) skip the same
    frames, so a frame index means the same picture in both; times stay the frames' own."""
    from fractions import Fraction

    import av

    from formcheck.video.reader import frames_skipped, iter_frames, probe

    rng = np.random.default_rng(0)
    base = rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)
    clean = tmp_path / "noise.mp4"
    with av.open(str(clean), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(180):
            frame = av.VideoFrame.from_ndarray(np.roll(base, 3 * i, axis=1), format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, 30)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    info = probe(_file(tmp_path, "damaged.mp4", _damage(clean.read_bytes(), 0.5, 2048, seed=0)))
    pose = [f.time_s for a, b in ((0, 90), (90, None)) for f in iter_frames(info, threads=1, start=a, stop=b)]
    render = [f.time_s for f in iter_frames(info, size=(160, 120))]
    assert pose == render
    skipped = frames_skipped(info, len(render))
    assert 1 <= skipped <= 4 and len(render) == 180 - skipped
    gaps = np.diff(render) * 30
    assert np.sum(np.round(gaps) - 1) == skipped  # the lost frames show as gaps in time, not as shifted times
    from formcheck.errors import InputVideoError

    with pytest.raises(InputVideoError, match="damaged"):
        list(iter_frames(info, max_lost_share=0.0))
