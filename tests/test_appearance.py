"""The appearance distance (formcheck/pose/pixels.py): near-black has no colour, colours still differ."""

from __future__ import annotations

import numpy as np

from formcheck.config import load_config
from formcheck.pose.pixels import N_REGIONS, appearance_distance

CFG = load_config()


def test_near_black_has_no_colour_but_colours_still_differ():
    floor = CFG.tracking.appearance_dark_floor
    tol = CFG.tracking.max_appearance
    black = np.array(
        [[0, 0, 0], [1, 0, 1], [0, 1, 0], [2, 1, 3], [40, 38, 30], [42, 40, 33], [1, 1, 0], [0, 2, 1]],
        dtype=np.float32,
    )
    noisy = np.array(
        [[3, 0, 1], [0, 0, 0], [2, 1, 0], [1, 1, 6], [44, 40, 31], [40, 39, 30], [0, 0, 3], [2, 0, 0]],
        dtype=np.float32,
    )
    assert black.shape == (N_REGIONS, 3)
    assert appearance_distance(black, noisy, 1.0) > tol  # without a floor, sensor noise reads as another colour
    assert appearance_distance(black, noisy, floor) < tol / 2
    red = np.tile(np.array([180, 40, 40], dtype=np.float32), (N_REGIONS, 1))
    green = np.tile(np.array([40, 160, 60], dtype=np.float32), (N_REGIONS, 1))
    assert appearance_distance(red, green, floor) > 2 * tol
    assert appearance_distance(black, red, floor) > tol  # a black coat is not a red jacket


def test_red_sleeves_tell_a_navy_jacket_from_a_black_coat():
    """The looks measured on the OpenCV crowd clip reversed (issue 10; median RGB over frames 150-175, her, and
    182-205, him, regions in :data:`formcheck.pose.pixels.REGIONS` order): on chest, pelvis and legs alone the woman
    in a black coat and the man in a navy jacket with red shoulders and sleeves read alike, and his track was joined
    to hers; the sleeves tell them apart."""
    floor = CFG.tracking.appearance_dark_floor
    tol = CFG.tracking.max_appearance
    her = np.array(
        [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [6, 10, 9], [11, 15, 28], [0, 0, 1], [0, 0, 0]], dtype=np.float32
    )
    him = np.array(
        [[7, 4, 16], [1, 1, 8], [0, 0, 1], [1, 1, 2], [2, 3, 8], [6, 8, 9], [61, 7, 9], [70, 14, 18]], dtype=np.float32
    )
    assert appearance_distance(her[:6], him[:6], floor) < tol  # the six regions of before: alike
    assert appearance_distance(her, him, floor) > tol
