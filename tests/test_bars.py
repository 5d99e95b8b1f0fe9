"""Black bars around the picture (formcheck.video.bars): found on frames of a re-posted clip, not on a dark edge or
an ordinary picture; the sweep searches inside them and gives landmarks in the whole frame's pixels."""

from __future__ import annotations

import numpy as np

from formcheck.video.bars import picture_box


def _frames(n: int = 3, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.integers(30, 255, (192, 108, 3), dtype=np.uint8) for _ in range(n)]


def test_bars_of_a_landscape_picture_in_portrait_are_found() -> None:
    frames = []
    for f in _frames():
        out = np.zeros_like(f)
        out[64:125] = f[64:125]  # a 108x61 picture in the middle of a 108x192 frame
        out[64:70, :] = 0  # the picture's own top rows black on every frame: bar, but ...
        out[64, 50] = 40  # ... but for one pixel brighter than the black level: from row 64 on is picture
        frames.append(out)
    assert picture_box(frames, 24.0, 0.05) == (0, 64, 108, 61)


def test_no_bars_on_an_ordinary_or_dark_edged_picture() -> None:
    frames = _frames()
    assert picture_box(frames, 24.0, 0.05) is None
    dark = [f.copy() for f in frames]
    for f in dark:
        f[:5] = 0  # 5 of 192 rows (2.6 %) black: a dark edge, not bars
    assert picture_box(dark, 24.0, 0.05) is None
    assert picture_box([np.zeros((10, 10, 3), np.uint8)], 24.0, 0.05) is None  # nothing but black
    assert picture_box([], 24.0, 0.05) is None


def test_a_bar_only_some_frames_show_is_not_a_bar() -> None:
    frames = _frames()
    frames[0][:40] = 0  # one frame dark at the top (a fade, a shadow): the others show the rows
    assert picture_box(frames, 24.0, 0.05) is None
    for f in frames:
        f[:, :20] = 0  # pillarbox columns on all of them
    assert picture_box(frames, 24.0, 0.05) == (20, 0, 88, 192)
