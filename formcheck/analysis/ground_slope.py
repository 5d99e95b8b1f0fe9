"""How far the ground under the runner slopes in the picture: a tilted camera, seen from the side.

Trunk lean and foot angles are measured against the picture's vertical and horizontal, so a phone held crooked
tilts them by its roll: the Sports2D walker played backwards read -8.7 deg ("leaning back", fail) on a level picture
and -3.3 ("a bit back", warn) turned 5 deg (issue 10's held-out variants). A static camera seeing a runner cross from
the side sees their footprints on one line across the picture; on level ground filmed level that line is level (the
synthetic static clips read within 0.2 deg of it, the real walker 0.2-1.3 deg), and its slope is the camera's roll
(or a slope of the ground: either way, the lean against the picture is not the lean against gravity).
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.analysis.events import FEET
from formcheck.analysis.types import CleanPose, Step, View
from formcheck.config import EventsConfig

_FLAT_FRAMES = 4  # the stance's first frames, the foot coming flat: its lowest point is where it stands


def footprints(pose: CleanPose, steps: tuple[Step, ...]) -> np.ndarray:
    """``[N, 2]`` (px) where each step's foot stood: the lowest heel or foot index point over the first frames of
    its stance (steps excluded for their timing left out)."""
    out = []
    for s in steps:
        if s.excluded == "step_timing":
            continue
        pts = pose.xy[s.contact_frame : s.contact_frame + _FLAT_FRAMES, list(FEET[s.foot])].reshape(-1, 2)
        pts = pts[np.all(np.isfinite(pts), axis=1)]
        if pts.size:
            out.append(pts[np.argmax(pts[:, 1])])
    return np.array(out, dtype=np.float64).reshape(-1, 2)


def ground_slope_deg(
    pose: CleanPose, steps: tuple[Step, ...], view: View, static: bool, leg_px: float | None, cfg: EventsConfig
) -> float | None:
    """The slope (deg; + the ground rising to the right of the picture) of the line through the footprints, the
    median of the slopes between pairs at least one leg length apart (Theil-Sen: a misplaced foot moves it little);
    None unless the camera is static and sees the runner from the side, with ``cfg.ground_slope_min_steps``
    footprints spanning ``cfg.ground_slope_min_span_leg`` leg lengths across the picture."""
    if not static or view.kind != "side" or not leg_px:
        return None
    p = footprints(pose, steps)
    if len(p) < cfg.ground_slope_min_steps or np.ptp(p[:, 0]) < cfg.ground_slope_min_span_leg * leg_px:
        return None
    i, j = np.triu_indices(len(p), k=1)
    dx, dy = p[j, 0] - p[i, 0], p[j, 1] - p[i, 1]
    apart = np.abs(dx) >= leg_px
    if not apart.any():
        return None
    return math.degrees(math.atan(-float(np.median(dy[apart] / dx[apart]))))  # image y grows down
