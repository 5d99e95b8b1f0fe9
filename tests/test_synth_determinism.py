"""The same seed gives the same clip and truth; a different seed gives a different one."""

from __future__ import annotations

import numpy as np

from formcheck.synth import SynthParams
from formcheck.synth.generate import Synthesizer


def _run(seed: int, frames: tuple[int, ...] = (0, 7, 14)) -> tuple[dict, list[np.ndarray]]:
    params = SynthParams(
        segments=[dict(direction="backward", duration_s=0.5)],
        seed=seed,
        width_px=320,
        height_px=240,
        head_turn_every_s=1.0,
    )
    synth = Synthesizer(params)
    images = []
    for k in range(synth.n_frames):
        img = synth.frame(k, measure=True)
        if k in frames:
            images.append(img)
    return synth.truth().data, images


def test_same_seed_same_truth_and_pixels() -> None:
    t1, f1 = _run(5)
    t2, f2 = _run(5)
    assert t1 == t2
    for a, b in zip(f1, f2, strict=True):
        assert np.array_equal(a, b)


def test_different_seed_different_truth() -> None:
    t1, f1 = _run(5)
    t3, f3 = _run(6)
    assert t1["per_frame"]["landmarks_px"] != t3["per_frame"]["landmarks_px"]
    assert not np.array_equal(f1[1], f3[1])
