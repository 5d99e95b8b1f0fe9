"""Gait events per foot: initial contact and toe-off, debounced, from the foot's height above the ground.

Height: the lower of heel and foot index (image y, px) against the ground level (a running 95th percentile of that
lowest point over ``ground_window_s``: the foot rests on the ground for a large share of every stride), divided by
the leg length (hip to ankle, px) so thresholds hold at any image scale. A contact is armed once the foot is in
the air (higher than ``airborne_leg``) and fires at the first frame it comes within ``contact_leg`` of the ground,
or within ``settle_leg`` with its descent stopped; it is then refined to the impact, the peak of the foot's
vertical deceleration (Fellin et al. 2010: contact where the heel's vertical velocity turns from down to ~0), to
sub-frame time. Frames where the foot is unknown disarm the detector (a contact needs the foot seen in the air
first). Toe-off is the last frame before the foot rises above ``toe_off_leg`` again. Works with a panning camera
as long as it does not tilt (the ground stays at one image height).
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import percentile_filter

from formcheck.analysis.types import CleanPose, Foot
from formcheck.config import EventsConfig
from formcheck.pose.landmarks import LM

FEET: dict[str, tuple[int, int]] = {
    "left": (int(LM.LEFT_HEEL), int(LM.LEFT_FOOT_INDEX)),
    "right": (int(LM.RIGHT_HEEL), int(LM.RIGHT_FOOT_INDEX)),
}


def leg_length_px(pose: CleanPose, percentile: float) -> float | None:
    """Leg length (px): the ``percentile`` of the hip -> ankle distance over frames and both legs, i.e. the leg
    nearly straight as when standing (the median reads short: a running leg is bent most of the time; synthetic
    step lengths read 17% long with it). None when never measurable."""
    xy = pose.xy
    if pose.n_frames == 0:
        return None
    d = np.linalg.norm(xy[:, [LM.LEFT_HIP, LM.RIGHT_HIP]] - xy[:, [LM.LEFT_ANKLE, LM.RIGHT_ANKLE]], axis=2)
    d = d[np.isfinite(d)]
    if not d.size:
        return None
    v = float(np.percentile(d, percentile))
    return v if v > 1.0 else None


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

    Parameters (``[events]`` of the config): ``contact_leg`` height at or below which the foot is on the ground
    (leg lengths);
    ``airborne_leg`` height above which it is in the air, re-arming the next contact (leg lengths);
    ``toe_off_leg`` height whose up-crossing ends the stance (leg lengths); ``min_stride_s`` shortest time
    between two contacts of the same foot (s, debounce); ``ground_window_s`` window of the ground level (s).
    After :meth:`detect`: ``contacts_`` and ``toe_offs_`` (frame indices; toe-off -1 when not seen), ``impact_``
    (sub-frame impact position, frames, float), ``down_``
    (per contact, the first frame the foot is within ``contact_leg`` of the ground: where the foot angle at contact
    is read, the foot landmarks being steadiest once the foot is down), ``height_``.
    """

    def __init__(self, cfg: EventsConfig) -> None:
        self.settle_leg = cfg.settle_leg
        self.refine_s = cfg.refine_s
        self.contact_leg = cfg.contact_leg
        self.airborne_leg = cfg.airborne_leg
        self.toe_off_leg = cfg.toe_off_leg
        self.min_stride_s = cfg.min_stride_s
        self.ground_window_s = cfg.ground_window_s
        self.min_visibility = cfg.contact_min_visibility

    def detect(self, pose: CleanPose, foot: Foot, leg_px: float) -> ContactDetector:
        """Find the events of ``foot``; returns self with ``contacts_``, ``toe_offs_`` and ``height_`` set."""
        h = foot_height_leg(pose, foot, leg_px, self.ground_window_s)
        self.height_ = h
        min_gap = max(int(round(self.min_stride_s * pose.fps)), 1)
        # a contact never fires on a frame where the foot's landmarks are poorly visible: the far foot hidden
        # behind the near leg collapses onto the stance foot for a frame or two and reads as down
        seen = pose.conf[:, list(FEET[foot])].mean(axis=1) >= self.min_visibility
        contacts: list[int] = []
        toe_offs: list[int] = []
        airborne = False
        last = -(10**9)
        for i, v in enumerate(h):
            if not np.isfinite(v):
                airborne = False  # unknown: wait to see the foot in the air again
                continue
            if v > self.airborne_leg:
                airborne = True
            elif airborne and seen[i] and i - last >= min_gap and (v <= self.contact_leg or self._settled(h, i)):
                contacts.append(i)
                last = i
                airborne = False
        self.down_ = np.asarray(contacts, dtype=np.int64)
        impact = [self._refine(h, c, pose.fps) for c in contacts]
        # the contact frame is the first frame at or after the impact (the first frame showing the foot down)
        contacts = [min(int(np.ceil(x - 1e-9)), c) for x, c in zip(impact, contacts, strict=True)]
        self.impact_ = np.asarray(impact, dtype=np.float64)
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

    def _settled(self, h: np.ndarray, i: int) -> bool:
        """The foot at frame ``i`` is low (within ``settle_leg``) and has stopped descending: its vertical velocity
        turned from down to about zero. Catches contacts where the ground level reads a little low (a noisy toe
        landmark pulls the ground percentile down) and the foot never comes within ``contact_leg``."""
        if h[i] > self.settle_leg or i + 1 >= h.size or not np.isfinite(h[i + 1]):
            return False
        return bool(h[i + 1] >= h[i] - 0.1 * self.contact_leg)

    def _refine(self, h: np.ndarray, c: int, fps: float) -> float:
        """The contact frame refined to where the foot's descent stops: the peak of its vertical deceleration
        (second difference of the height) within ``refine_s`` before the threshold crossing ``c``. The low-pass
        filter spreads the impact over a few frames, so the height reaches ``contact_leg`` late, most at 60 fps
        and on small figures; the deceleration peak stays centred on the impact."""
        k = int(round(self.refine_s * fps))
        lo = max(c - k, 1)
        if k < 1 or c + 1 >= h.size:
            return float(c)
        seg = h[lo - 1 : c + 2]
        if not np.all(np.isfinite(seg)):
            return float(c)
        acc = seg[2:] - 2 * seg[1:-1] + seg[:-2]  # at frames lo .. c
        i = int(np.argmax(acc))
        frac = 0.0
        if 0 < i < acc.size - 1:  # parabola through the peak and its neighbours: sub-frame impact time
            den = acc[i - 1] - 2 * acc[i] + acc[i + 1]
            frac = float(np.clip(0.5 * (acc[i - 1] - acc[i + 1]) / den, -0.5, 0.5)) if den < 0 else 0.0
        return float(min(lo + i + frac, c))
