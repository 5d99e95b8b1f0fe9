"""A runner ~70 px tall (a static 640x480 camera framing a 10 s run) is found by the second detection pass on
tiles, and what its pixels cannot support says not_assessable with the reason."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.analyze import analyze_video
from formcheck.synth import SynthParams, generate_clip


@pytest.mark.slow
def test_a_70px_runner_is_found_on_tiles(tmp_path: Path) -> None:
    mp4 = tmp_path / "small.mp4"
    truth = generate_clip(
        SynthParams.build(camera="static", width_px=640, height_px=480, seed=7, segments=[{"duration_s": 10.0}]),
        mp4,
    )
    result = analyze_video(mp4, out_dir=tmp_path / "out")
    pose = result.report["pose"]
    assert pose["tiled"] is True
    assert pose["detection_rate"] > 0.6
    seq = result.pose
    y = seq.image[seq.detected][:, :, 1]
    height = float(np.median(np.nanmax(y, axis=1) - np.nanmin(y, axis=1)))
    assert 45 < height < 90  # nose to heel, px: a figure ~70 px tall
    # contacts found within 2 frames of the true ones, for at least half of them
    found = np.array([s["contact_frame"] for s in result.report["steps"]])
    true = [int(c["frame"]) for c in truth.contacts]
    assert found.size and sum(bool(np.any(np.abs(found - f) <= 2)) for f in true) >= 0.5 * len(true)
    rules = {r["id"]: r for r in result.report["rules"]}
    strike = rules["forefoot_landing"]  # feet ~10 px: no strike class, and the message says why
    assert strike["verdict"] == "not_assessable" and strike["message"]
