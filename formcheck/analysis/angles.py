"""Per-frame angles from cleaned image landmarks, in degrees, with the FIELD_NOTES.md sign conventions.

All angles are measured in the image plane (meaningful in side views). ``facing_x`` (+1 / -1 per frame: the chest
faces image +x / -x) gives the sign of trunk lean and foot angle; NaN facing gives NaN for those two.
"""

from __future__ import annotations

import numpy as np

from formcheck.analysis.types import Angles, CleanPose
from formcheck.pose.landmarks import LM


def mid(xy: np.ndarray, a: int, b: int) -> np.ndarray:
    """Midpoint of landmarks ``a`` and ``b``, float[T, 2] px."""
    return (xy[:, a] + xy[:, b]) / 2.0


def interior_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Interior angle at ``b`` of the polyline a-b-c, degrees in [0, 180]; NaN where a segment has no length."""
    u, v = a - b, c - b
    nu, nv = np.linalg.norm(u, axis=-1), np.linalg.norm(v, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(u * v, axis=-1) / (nu * nv)
    cos = np.where((nu > 1e-9) & (nv > 1e-9), np.clip(cos, -1.0, 1.0), np.nan)
    return np.degrees(np.arccos(cos))


def trunk_lean_deg(xy: np.ndarray, facing_x: np.ndarray) -> np.ndarray:
    """Angle of hip-mid -> shoulder-mid against vertical, degrees; + toward the side the chest faces."""
    v = mid(xy, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER) - mid(xy, LM.LEFT_HIP, LM.RIGHT_HIP)
    return np.degrees(np.arctan2(v[:, 0] * facing_x, -v[:, 1]))


def foot_angle_deg(xy: np.ndarray, heel: int, toe: int, facing_x: np.ndarray) -> np.ndarray:
    """Angle of heel -> foot-index against the horizontal ground line, degrees; + when the toe is lower."""
    v = xy[:, toe] - xy[:, heel]
    return np.degrees(np.arctan2(v[:, 1], v[:, 0] * facing_x))


def compute_angles(pose: CleanPose, facing_x: np.ndarray, lean_offset_deg: float = 0.0) -> Angles:
    """Every per-frame angle of :class:`Angles` (degrees, NaN where not measurable); ``lean_offset_deg`` (deg, +
    toward the chest) is added to the trunk lean (``cleaning.followed_lean_offset_deg``: the pose pass's own tilt)."""
    xy = pose.xy
    f = np.asarray(facing_x, dtype=np.float64)
    return Angles(
        trunk_lean=trunk_lean_deg(xy, f) + lean_offset_deg,
        elbow_left=interior_angle(xy[:, LM.LEFT_SHOULDER], xy[:, LM.LEFT_ELBOW], xy[:, LM.LEFT_WRIST]),
        elbow_right=interior_angle(xy[:, LM.RIGHT_SHOULDER], xy[:, LM.RIGHT_ELBOW], xy[:, LM.RIGHT_WRIST]),
        foot_left=foot_angle_deg(xy, LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX, f),
        foot_right=foot_angle_deg(xy, LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX, f),
    )
