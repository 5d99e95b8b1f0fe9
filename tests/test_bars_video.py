"""A synthetic runner in a landscape picture re-posted in portrait between black bars: the bars are found, the
sweep searches between them, and the landmarks come out in the whole frame's pixels, on the runner."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from formcheck.analyze import analyze_video
from formcheck.synth import SynthParams, generate_clip
from formcheck.video.writer import H264Writer


def _pad(src: Path, dest: Path, height: int) -> int:
    """``src`` fitted into a canvas ``height`` px tall, the picture centred between black bars; its top (px)."""
    with av.open(str(src)) as inp:
        stream = inp.streams.video[0]
        fps = float(stream.average_rate or 30)
        frames = [f.to_ndarray(format="rgb24") for f in inp.decode(stream)]
    h, w = frames[0].shape[:2]
    top = (height - h) // 2 // 2 * 2
    with H264Writer(dest, w, height, fps, crf=18) as out:
        for img in frames:
            canvas = np.zeros((height, w, 3), np.uint8)
            canvas[top : top + h] = img
            out.write(canvas)
    return top


@pytest.mark.slow
def test_a_runner_between_black_bars_is_searched_there(tmp_path: Path) -> None:
    src = tmp_path / "landscape.mp4"
    truth = generate_clip(
        SynthParams.build(camera="static", width_px=640, height_px=360, seed=11, segments=[{"duration_s": 3.0}]),
        src,
    )
    padded = tmp_path / "portrait.mp4"
    top = _pad(src, padded, 1136)
    result = analyze_video(padded, out_dir=tmp_path / "out")
    box = result.report["pose"]["picture_box_px"]
    assert box is not None and box[0] == 0 and box[2] == 640
    assert abs(box[1] - top) <= 2 and abs(box[3] - 360) <= 4  # the picture's own dark edge may count as bar
    seq = result.pose
    assert float(np.mean(seq.detected)) > 0.8
    hips = (seq.image[:, 23, :2] + seq.image[:, 24, :2]) / 2
    true = truth.landmarks_px()[:, [23, 24]].mean(axis=1) + np.array([0.0, top])
    seen = seq.detected & np.isfinite(true[:, 0])
    err = np.linalg.norm(hips[seen] - true[seen], axis=1)
    assert seen.sum() > 0.8 * seq.detected.size and float(np.median(err)) < 15.0  # px, in the portrait frame
