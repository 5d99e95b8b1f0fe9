"""Mangled detections within one person's track, found with both neighbours in view (so the result is the same
for the clip played forward or backward).

MediaPipe now and then squashes a skeleton for a frame or three (hips pulled up to the shoulders, ankles above
the knees) when two people overlap, or spreads it over both. Such a frame is of nobody: its torso length is far
from the track's around it, or its hips are far from where the frames around put them.
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.landmarks import LM


def _rolling_median(x: np.ndarray, half: int) -> np.ndarray:
    """Median of the finite values within ``half`` samples either side (NaN where none)."""
    out = np.full(x.shape, np.nan)
    ok = np.isfinite(x) if x.ndim == 1 else np.isfinite(x).all(axis=1)
    for i in (int(k) for k in np.flatnonzero(ok)):
        a, b = max(i - half, 0), min(i + half + 1, int(x.shape[0]))
        win = x[a:b][ok[a:b]]
        out[i] = np.median(win, axis=0)
    return out


def _expected_hips(hips: np.ndarray, half: int) -> np.ndarray:
    """Where the frames within ``half`` either side put each frame's hips: the median of their positions carried
    to this frame at the window's median velocity (so a fast runner's first and last frames are not "off")."""
    out = np.full(hips.shape, np.nan)
    ok = np.isfinite(hips).all(axis=1)
    n = int(hips.shape[0])
    for i in (int(k) for k in np.flatnonzero(ok)):
        a, b = max(i - half, 0), min(i + half + 1, n)
        js = np.flatnonzero(ok[a:b]) + a
        js = js[js != i]
        if js.size < 2:
            continue
        dt = np.diff(js)
        v = np.median(np.diff(hips[js], axis=0) / dt[:, None], axis=0)
        out[i] = np.median(hips[js] + v * (i - js)[:, None], axis=0)
    return out


def mangled_frames(
    image: np.ndarray, fps: float, window_s: float, max_torso_change: float, max_off_torso: float
) -> np.ndarray:
    """Boolean ``[T]``: frames of one track (``image [T, 33, 4]``, NaN where unseen) whose torso length is off the
    median of the frames within ``window_s`` either side by more than ``max_torso_change`` (x, either way), or
    whose hip midpoint is more than ``max_off_torso`` torso lengths from where those frames put it (their
    positions carried at their median velocity; the frame itself left out)."""
    ls, rs, lh, rh = (
        image[:, [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP], :2]
        .astype(np.float64)
        .transpose(1, 0, 2)
    )  # only the four landmarks used: no float64 copy of every landmark of every frame
    hips = (lh + rh) / 2
    torso = np.linalg.norm((ls + rs) / 2 - hips, axis=1)
    half = max(int(round(window_s * fps)), 1)
    ref_t = _rolling_median(torso, half)
    ref_h = _expected_hips(hips, half)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = torso / ref_t
        off = np.linalg.norm(hips - ref_h, axis=1) / ref_t
    bad = (ratio > max_torso_change) | (ratio < 1.0 / max_torso_change) | (off > max_off_torso)
    return bad & np.isfinite(torso) & np.isfinite(ratio)


def unchecked_frames(image: np.ndarray, fps: float, window_s: float) -> np.ndarray:
    """Boolean ``[T]``: frames of one followed track (``image [T, 33, 4]``, NaN where unseen) with fewer than two
    other frames of the track within ``window_s`` either side: :func:`mangled_frames` has nothing to check them
    against, and the follow pass lost the athlete just before and just after, where what it finds is most often
    someone else or a skeleton spread over two people (issue 10's crowd clip greyed and mirrored: one frame alone
    in 0.9 s, the man's shoulders on her legs)."""
    seen = np.isfinite(image[:, LM.LEFT_HIP, 0]) & np.isfinite(image[:, LM.LEFT_SHOULDER, 0])
    half = max(int(round(window_s * fps)), 1)
    counts = np.convolve(seen.astype(np.int64), np.ones(2 * half + 1, dtype=np.int64), mode="same")
    return seen & (counts - 1 < 2)
