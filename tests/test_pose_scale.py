"""The sweep searches frames scaled to ``pose.max_long_side_px`` (or the working copy's size), the follow pass crops
the working copy: landmarks come back in the input's pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES

from formcheck.config import load_config
from formcheck.pose.pose_pass import inference_size
from formcheck.video.reader import VideoInfo, iter_frames, probe
from formcheck.video.working_copy import WorkingCopy, copy_geometry, working_size
from formcheck.video.writer import H264Writer


def _info(width: int, height: int) -> VideoInfo:
    return VideoInfo("x.mp4", width, height, 0, 30.0, 10, 1 / 3, "h264", "mp4")


def test_inference_size_caps_the_long_side_and_keeps_the_shape():
    assert inference_size(_info(3840, 2160), 1280) == (1280, 720)
    assert inference_size(_info(2160, 3840), 1280) == (720, 1280)  # portrait
    assert inference_size(_info(1768, 994), 1280) == (1280, 720)  # 994 * 1280 / 1768 = 719.6
    assert inference_size(_info(640, 480), 1280) == (640, 480)  # never enlarged
    assert inference_size(_info(3840, 2160), 0) == (3840, 2160)  # 0: the input's size


@pytest.mark.slow
def test_scaled_decode_gives_the_landmarks_of_a_full_size_decode(tmp_path: Path):
    from formcheck.pose.models import ensure_model
    from formcheck.pose.pose_pass import run_pose_pass

    src = probe(SAMPLES / "backward_good.mp4")  # 640x480: made 1280x960, then analysed at 1280 and at 640 px
    big = tmp_path / "big.mp4"
    with H264Writer(big, 1280, 960, src.fps, crf=16) as w:
        for f in iter_frames(src, size=(1280, 960), stop=90):
            w.write(f.rgb, f.time_s)
    info = probe(big)
    model = ensure_model("full", build_missing=False)
    cfg_file = tmp_path / "one.toml"
    cfg_file.write_text("[pose]\ninference_threads = 1\n")
    cfg = load_config(cfg_file)
    runs = {0: run_pose_pass(info, "full", model, cfg, None)}  # no copy: searched and followed at 1280x960
    with WorkingCopy(tmp_path, copy_geometry(info, working_size(info, 640))) as copy:  # both on a 640x480 copy
        runs[640] = run_pose_pass(info, "full", model, cfg, None, copy=copy)
        assert copy.n_frames == 90
    full, scaled = runs[0], runs[640]
    assert full.n_people >= 1 and scaled.n_people >= 1
    assert (scaled.width, scaled.height) == (1280, 960)
    seen = np.isfinite(full.image[0, ..., 0]) & np.isfinite(scaled.image[0, ..., 0])
    assert seen.mean() > 0.9
    xy_full, xy_scaled = full.image[0, ..., :2][seen], scaled.image[0, ..., :2][seen]
    # same place in the 1280x960 frame: a landmark left in the 640 px frame's pixels would be ~300 px off
    assert np.median(np.linalg.norm(xy_full - xy_scaled, axis=1)) < 4.0  # px of 1280
    assert abs(float(np.mean(xy_scaled[:, 0])) - float(np.mean(xy_full[:, 0]))) < 3.0
    assert float(np.max(xy_scaled[:, 1])) > 640  # the feet are below the 640 px frame's height
    np.testing.assert_allclose(
        np.nanmedian(scaled.image[0, ..., 2]), np.nanmedian(full.image[0, ..., 2]), atol=15.0
    )  # z scaled like x
