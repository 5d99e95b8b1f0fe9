"""Several landmarkers on threads: the same landmarks as one, and stderr survives their start-up silencing."""

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


@pytest.mark.slow
def test_two_landmarker_threads_give_the_landmarks_of_one(tmp_path: Path):
    from formcheck.analyze import _pose_pass
    from formcheck.pose.models import ensure_model
    from formcheck.video.reader import probe

    info = probe(SAMPLES / "backward_good.mp4")
    model = ensure_model("full", build_missing=False)
    runs = {}
    for n in (1, 2):
        cfg_file = tmp_path / f"threads{n}.toml"
        cfg_file.write_text(f"[pose]\ninference_threads = {n}\n")
        runs[n] = _pose_pass(info, "full", model, load_config(cfg_file), None)
    one, two = runs[1], runs[2]
    assert one.image.shape == two.image.shape and one.n_people == two.n_people >= 1
    np.testing.assert_array_equal(one.timestamps_s, two.timestamps_s)
    seen = np.isfinite(one.image[..., 0]) & np.isfinite(two.image[..., 0])
    assert seen.mean() > 0.9
    assert np.array_equal(np.isfinite(one.image[..., 0]), np.isfinite(two.image[..., 0]))
    assert np.abs(one.image[..., :2][seen] - two.image[..., :2][seen]).max() < 0.5  # px
