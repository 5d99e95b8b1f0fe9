"""Several landmarkers on threads: about the same landmarks as one, and stderr survives their start-up silencing."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES

from formcheck.config import load_config
from formcheck.pose.extract import native_stderr_silenced


def _fd2_identity() -> tuple[int, int]:
    st = os.fstat(2)
    return st.st_dev, st.st_ino


def test_overlapping_silencing_on_two_threads_restores_stderr():
    # A enters, B enters, A leaves, B leaves: a per-call save/restore would leave fd 2 on /dev/null for good.
    before = _fd2_identity()
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    inside: list[bool] = []

    def a() -> None:
        with native_stderr_silenced():
            a_in.set()
            b_in.wait(5)
            inside.append(_fd2_identity() != before)
        a_out.set()

    def b() -> None:
        a_in.wait(5)
        with native_stderr_silenced():
            b_in.set()
            a_out.wait(5)
            inside.append(_fd2_identity() != before)  # still silenced after A left

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert inside == [True, True]
    assert _fd2_identity() == before


def test_pose_chunks_cover_every_frame_once():
    from formcheck.pose.pose_pass import pose_chunks
    from formcheck.video.reader import VideoInfo

    def info(frames: int) -> VideoInfo:
        return VideoInfo(
            path="x.mp4",
            width=64,
            height=48,
            rotation_deg=0,
            fps=30.0,
            frames=frames,
            duration_s=frames / 30,
            codec="h264",
            container="mp4",
        )

    assert pose_chunks(info(1000), 2, 120) == [(0, 500), (500, None)]  # the last run reads to the real end
    assert pose_chunks(info(1000), 4, 300) == [(0, 333), (333, 667), (667, None)]
    assert pose_chunks(info(200), 2, 120) == [(0, None)]  # too short to be worth a second landmarker
    assert pose_chunks(info(0), 4, 120) == [(0, None)]  # frame count unknown


@pytest.mark.slow
def test_two_landmarkers_on_halves_give_the_landmarks_of_one(tmp_path: Path):
    from formcheck.pose.models import ensure_model
    from formcheck.pose.pose_pass import pose_chunks, run_pose_pass
    from formcheck.video.reader import probe

    info = probe(SAMPLES / "backward_good.mp4")
    model = ensure_model("full", build_missing=False)
    runs = {}
    for n in (1, 2):
        cfg_file = tmp_path / f"threads{n}.toml"
        cfg_file.write_text(f"[pose]\ninference_threads = {n}\nmin_chunk_frames = 30\n")
        cfg = load_config(cfg_file)
        assert len(pose_chunks(info, cfg.pose.threads(), cfg.pose.min_chunk_frames)) == n
        runs[n] = run_pose_pass(info, "full", model, cfg, None)
    one, two = runs[1], runs[2]
    assert one.image.shape == two.image.shape and one.n_people == two.n_people >= 1
    np.testing.assert_array_equal(one.timestamps_s, two.timestamps_s)
    seen = np.isfinite(one.image[..., 0]) & np.isfinite(two.image[..., 0])
    assert seen.mean() > 0.9
    assert np.array_equal(np.isfinite(one.image[..., 0]), np.isfinite(two.image[..., 0]))
    # the first half is followed by the same landmarker from the same first frame: the same numbers
    half = one.image.shape[1] // 2
    first = seen[:, :half]
    assert np.abs(one.image[:, :half, :, :2][first] - two.image[:, :half, :, :2][first]).max() < 1e-3  # px
    # the second landmarker starts cold at the half (VIDEO mode follows from the previous frame, so the first
    # frames differ a little, then the two agree)
    diff = np.abs(one.image[:, half:, :, :2] - two.image[:, half:, :, :2])[seen[:, half:]]
    assert float(np.median(diff)) < 0.5 and float(np.percentile(diff, 95)) < 4.0, (
        np.median(diff),
        np.percentile(diff, 95),
    )
