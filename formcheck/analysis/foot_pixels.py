"""Can the pixels show the foot at all? Image structure around a foot's heel and foot-index landmarks.

A black shoe on a black treadmill belt in dim light gives MediaPipe nothing to see, yet it still places heel and
foot index confidently (visibility ~0.97) where a foot would plausibly be, and every strike cue read from those
landmarks then agrees on a made-up answer (issue 11: a heel striker read forefoot on every near-foot contact).
Such a foot is told apart by its pixels: around its landmarks the picture is a featureless patch. The structure
of a landmark is the spread (95th minus 5th percentile) of the luma in a square of half-side ``radius`` around it,
after a 3x3 box blur against sensor noise, in grey levels 0..255. A foot whose heel or foot index shows less
structure than ``min_landmark_contrast`` (median over a few sampled contacts: shoes, floor and light do not change
from stride to stride) cannot have its strike read: unknown, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import cv2
import numpy as np

from formcheck.analysis.types import CleanPose
from formcheck.config import StrikeConfig
from formcheck.pose.landmarks import LM

#: Upright RGB frames (uint8 [H, W, 3], the video's own size) shown at the given times (s); None where none.
FrameSource = Callable[[Sequence[float]], list[np.ndarray | None]]

_FOOT = {"left": (int(LM.LEFT_HEEL), int(LM.LEFT_FOOT_INDEX)), "right": (int(LM.RIGHT_HEEL), int(LM.RIGHT_FOOT_INDEX))}


def landmark_structure(rgb: np.ndarray, point: np.ndarray, radius_px: float) -> float | None:
    """Luma spread (grey levels) in the square of half-side ``radius_px`` around ``point`` (px); None when the
    point is unknown or the square has fewer than 3x3 pixels inside the frame."""
    if not np.all(np.isfinite(point)):
        return None
    h, w = rgb.shape[:2]
    r = max(radius_px, 2.0)
    x0, y0 = max(int(point[0] - r), 0), max(int(point[1] - r), 0)
    x1, y1 = min(int(point[0] + r) + 1, w), min(int(point[1] + r) + 1, h)
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None
    grey = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY).astype(np.float32)
    lo, hi = np.percentile(cv2.blur(grey, (3, 3)), [5, 95])
    return float(hi - lo)


def foot_structure(
    pose: CleanPose, contacts: Sequence[tuple[int, str]], frames: FrameSource, cfg: StrikeConfig
) -> dict[str, float]:
    """Per foot, the median over up to ``pixel_check_contacts`` of its contacts (``(frame, foot)``, spread evenly
    over the clip) of the lower of its heel's and foot index's structure at the contact frame (grey levels). A foot
    without a measurable contact is left out."""
    picked: list[tuple[int, str]] = []
    for foot in ("left", "right"):
        own = [c for c in contacts if c[1] == foot]
        if own:
            idx = np.unique(np.linspace(0, len(own) - 1, min(cfg.pixel_check_contacts, len(own))).round().astype(int))
            picked += [own[i] for i in idx]
    if not picked:
        return {}
    values: dict[str, list[float]] = {}
    for c, foot in picked:
        # one picture at a time: at the video's own size a 4K frame is 25 MB, and 16 at once were the analysis's
        # peak of memory
        rgb = frames([float(pose.times_s[c])])[0]
        if rgb is None:
            continue
        scale = np.array([rgb.shape[1] / pose.width, rgb.shape[0] / pose.height]) if pose.width else np.ones(2)
        heel, toe = (pose.xy[c, j] * scale for j in _FOOT[foot])
        radius = cfg.pixel_radius_foot * float(np.linalg.norm(toe - heel))
        s = [landmark_structure(rgb, p, radius) for p in (heel, toe)]
        if s[0] is not None and s[1] is not None:
            values.setdefault(foot, []).append(min(s[0], s[1]))
    return {foot: float(np.median(v)) for foot, v in values.items()}
