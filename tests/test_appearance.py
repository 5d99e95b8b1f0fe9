"""The appearance distance (formcheck/pose/pixels.py): near-black has no colour, colours still differ."""

from __future__ import annotations

import numpy as np

from formcheck.config import load_config
from formcheck.pose.pixels import N_REGIONS, appearance_distance

CFG = load_config()


def test_near_black_has_no_colour_but_colours_still_differ():
    floor = CFG.tracking.appearance_dark_floor
    tol = CFG.tracking.max_appearance
    black = np.array([[0, 0, 0], [1, 0, 1], [0, 1, 0], [2, 1, 3], [40, 38, 30], [42, 40, 33]], dtype=np.float32)
    noisy = np.array([[3, 0, 1], [0, 0, 0], [2, 1, 0], [1, 1, 6], [44, 40, 31], [40, 39, 30]], dtype=np.float32)
    assert appearance_distance(black, noisy, 1.0) > tol  # without a floor, sensor noise reads as another colour
    assert appearance_distance(black, noisy, floor) < tol / 2
    red = np.tile(np.array([180, 40, 40], dtype=np.float32), (N_REGIONS, 1))
    green = np.tile(np.array([40, 160, 60], dtype=np.float32), (N_REGIONS, 1))
    assert appearance_distance(red, green, floor) > 2 * tol
    assert appearance_distance(black, red, floor) > tol  # a black coat is not a red jacket
