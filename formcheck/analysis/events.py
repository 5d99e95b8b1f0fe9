"""Gait events per foot: initial contact and toe-off, debounced, from the foot's height above the ground.

Height: the lower of heel and foot index (image y, px) against the ground level (a running 95th percentile of that
lowest point over ``ground_window_s``: the foot rests on the ground for a large share of every stride), divided by
the leg length (hip to ankle, px) so thresholds hold at any image scale. A contact is the first frame at which an
airborne foot (higher than ``airborne_leg``) comes within ``contact_leg`` of the ground (Fellin et al. 2010: contact
at the foot's lowest point); toe-off is the last frame before it rises above ``toe_off_leg`` again. Works with a
panning camera as long as it does not tilt (the ground stays at one image height).

Strike index: the foot angle at contact minus the same foot's median angle during stance (when it is flat on the
ground), in degrees. Subtracting the flat-foot reading removes MediaPipe's per-clip bias of the heel -> toe angle
(OFFLINE.md: foot angles are compressed and offset), leaving how much the toe (+) or heel (-) lands first.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import percentile_filter

from formcheck.analysis.types import CleanPose, Foot
from formcheck.pose.landmarks import LM

FEET: dict[str, tuple[int, int]] = {"left": (int(LM.LEFT_HEEL), int(LM.LEFT_FOOT_INDEX)),
                                    "right": (int(LM.RIGHT_HEEL), int(LM.RIGHT_FOOT_INDEX))}


def leg_length_px(pose: CleanPose) -> float | None:
    """Median hip -> ankle distance over frames and both legs (px); None when never measurable."""
    xy = pose.xy
    if pose.n_frames == 0:
        return None
    d = np.linalg.norm(xy[:, [LM.LEFT_HIP, LM.RIGHT_HIP]] - xy[:, [LM.LEFT_ANKLE, LM.RIGHT_ANKLE]], axis=2)
    d = d[np.isfinite(d)]
    return float(np.median(d)) if d.size and np.median(d) > 1.0 else None


def foot_height_leg(pose: CleanPose, foot: Foot, leg_px: float, ground_window_s: float) -> np.ndarray:
    """Per frame height (leg lengths) of the foot's lowest point above the ground level; NaN where unknown."""
    heel, toe = FEET[foot]
    low = np.fmax(pose.xy[:, heel, 1], pose.xy[:, toe, 1])
    ok = np.isfinite(low)
    if not ok.any():
        return np.full(pose.n_frames, np.nan)
    size = max(int(round(ground_window_s * pose.fps)) | 1, 3)
    ground = percentile_filter(np.where(ok, low, np.nanmedian(low)), 95, size=size, mode="nearest")
    return np.where(ok, (ground - low) / leg_px, np.nan)


class ContactDetector:
    """Detect initial contacts and toe-offs of one foot.

    Parameters: ``contact_leg`` height at or below which the foot is on the ground (leg lengths);
    ``airborne_leg`` height above which it is in the air, re-arming the next contact (leg lengths);
    ``toe_off_leg`` height whose up-crossing ends the stance (leg lengths); ``min_stride_s`` shortest time
    between two contacts of the same foot (s, debounce); ``ground_window_s`` window of the ground level (s).
    After :meth:`detect`: ``contacts_`` and ``toe_offs_`` (frame indices; toe-off -1 when not seen), ``height_``.
    """

    def __init__(self, contact_leg: float = 0.03, airborne_leg: float = 0.08, toe_off_leg: float = 0.04,
                 min_stride_s: float = 0.3, ground_window_s: float = 2.0) -> None:
        self.contact_leg = contact_leg
        self.airborne_leg = airborne_leg
        self.toe_off_leg = toe_off_leg
        self.min_stride_s = min_stride_s
        self.ground_window_s = ground_window_s

    def detect(self, pose: CleanPose, foot: Foot, leg_px: float) -> ContactDetector:
        """Find the events of ``foot``; returns self with ``contacts_``, ``toe_offs_`` and ``height_`` set."""
        h = foot_height_leg(pose, foot, leg_px, self.ground_window_s)
        self.height_ = h
        min_gap = max(int(round(self.min_stride_s * pose.fps)), 1)
        contacts: list[int] = []
        toe_offs: list[int] = []
        airborne = False
        last = -10 ** 9
        for i, v in enumerate(h):
            if not np.isfinite(v):
                airborne = False  # unknown: wait to see the foot in the air again
                continue
            if v > self.airborne_leg:
                airborne = True
            elif airborne and v <= self.contact_leg and i - last >= min_gap:
                contacts.append(i)
                last = i
                airborne = False
        for k, c in enumerate(contacts):
            end = contacts[k + 1] if k + 1 < len(contacts) else len(h)
            off = -1
            for i in range(c + 1, end):
                if np.isfinite(h[i]) and h[i] > self.toe_off_leg:
                    off = i - 1
                    break
            toe_offs.append(off)
        self.contacts_ = np.asarray(contacts, dtype=np.int64)
        self.toe_offs_ = np.asarray(toe_offs, dtype=np.int64)
        return self


def strike_index_deg(foot_angle: np.ndarray, contact: int, toe_off: int, fps: float) -> float | None:
    """Foot angle at contact minus the foot's median angle over its stance (contact .. toe-off, skipping the
    first 0.05 s), degrees; None when not measurable."""
    a = foot_angle[contact] if 0 <= contact < foot_angle.size else np.nan
    if not np.isfinite(a):
        return None
    start = contact + max(int(round(0.05 * fps)), 1)
    end = toe_off if toe_off > start else min(contact + max(int(round(0.15 * fps)), 2), foot_angle.size)
    flat = foot_angle[start:end]
    flat = flat[np.isfinite(flat)]
    if flat.size == 0:
        return None
    return float(a - np.median(flat))
