"""The pose models see frames scaled to ``pose.max_long_side_px``; landmarks and the background shift come back in
the input's pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLES

from formcheck.config import load_config
from formcheck.pose.pose_pass import _detector, inference_size
from formcheck.video.reader import Frame, VideoInfo, iter_frames, probe
from formcheck.video.writer import H264Writer


def _info(width: int, height: int) -> VideoInfo:
    return VideoInfo("x.mp4", width, height, 0, 30.0, 10, 1 / 3, "h264", "mp4")


def test_inference_size_caps_the_long_side_and_keeps_the_shape():
    assert inference_size(_info(3840, 2160), 1280) == (1280, 720)
    assert inference_size(_info(2160, 3840), 1280) == (720, 1280)  # portrait
    assert inference_size(_info(1768, 994), 1280) == (1280, 720)  # 994 * 1280 / 1768 = 719.6
    assert inference_size(_info(640, 480), 1280) == (640, 480)  # never enlarged
    assert inference_size(_info(3840, 2160), 0) == (3840, 2160)  # 0: the input's size


class _FixedLandmarker:
    """Stands in for a Landmarker: one person at fixed shares of the frame, like MediaPipe's output."""

    def __init__(self) -> None:
        rng = np.random.default_rng(3)
        self.share = rng.uniform(0.2, 0.8, size=(33, 2)).astype(np.float32)

    def detect(self, rgb: np.ndarray, time_s: float):
        h, w = rgb.shape[:2]
        lm = np.ones((33, 4), dtype=np.float32)
        lm[:, 0], lm[:, 1], lm[:, 2] = self.share[:, 0] * w, self.share[:, 1] * h, 0.1 * w
        return [lm], [np.zeros((33, 4), dtype=np.float32)]


def _texture(h: int, w: int, dx: int) -> np.ndarray:
    rng = np.random.default_rng(5)
    base = rng.integers(0, 255, size=(h, w + 64), dtype=np.uint8)
    base = np.repeat(np.repeat(base[::4, ::4], 4, axis=0), 4, axis=1)[:h, : w + 64]  # blobs, not pixel noise
    grey = base[:, 32 - dx : 32 - dx + w]
    return np.ascontiguousarray(np.stack([grey] * 3, axis=2))


def test_detector_gives_landmarks_and_shift_in_the_input_pixels():
    lm = _FixedLandmarker()
    full = (1024, 768)
    detect = _detector(lm, full)  # type: ignore[arg-type]
    small = [Frame(i, i / 30, _texture(384, 512, dx)) for i, dx in enumerate((0, 6))]  # half size; 6 px pan
    out = [detect(f) for f in small]
    image = out[1][2][0]
    np.testing.assert_allclose(image[:, 0], lm.share[:, 0] * 1024, rtol=1e-6)
    np.testing.assert_allclose(image[:, 1], lm.share[:, 1] * 768, rtol=1e-6)
    np.testing.assert_allclose(image[:, 2], 0.1 * 1024, rtol=1e-6)
    shift = out[1][4].shift_px
    assert abs(shift[0] - 12.0) < 1.5 and abs(shift[1]) < 1.5  # 6 px at half size = 12 px of the input
    assert out[1][4].colours[0].shape[1] == 3 and np.isfinite(out[1][4].colours[0]).any()  # colours sampled


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
    runs = {}
    for cap in (0, 640):
        cfg_file = tmp_path / f"cap{cap}.toml"
        cfg_file.write_text(f"[pose]\nmax_long_side_px = {cap}\ninference_threads = 1\n")
        runs[cap] = run_pose_pass(info, "full", model, load_config(cfg_file), None)
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
