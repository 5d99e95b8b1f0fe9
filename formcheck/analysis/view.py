"""Camera view (side / oblique / front / back), the side of the body facing the camera, and where the runner faces.

- Width ratio: (shoulder width + hip width) / 2 / torso length in the image. A side view shows the shoulders
  nearly on top of each other (ratio ~0.1); a front or back view shows them a torso-width apart (ratio ~0.6+).
- Facing: the chest normal from MediaPipe world landmarks (up x (right shoulder - left shoulder), which points
  where the chest faces) plus the heel -> toe direction of both feet. Feet point where the runner faces, so this
  holds when the runner travels backward (the case that confuses peers, Sports2D #30/#31).
- Near side: the side whose shoulder and hip are nearer the camera in MediaPipe's depth (world z).
"""

from __future__ import annotations

import numpy as np

from formcheck.analysis.types import CleanPose, SideName, View, ViewKind
from formcheck.config import ViewConfig
from formcheck.pose.landmarks import LM, torso_lengths

_L = [int(LM.LEFT_SHOULDER), int(LM.LEFT_HIP)]
_R = [int(LM.RIGHT_SHOULDER), int(LM.RIGHT_HIP)]


def finite_median(a: np.ndarray) -> float:
    a = np.asarray(a, dtype=np.float64)
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else float("nan")


def width_ratio(pose: CleanPose) -> np.ndarray:
    """Per frame: mean of shoulder and hip widths (image x) / torso length (image), dimensionless."""
    xy = pose.xy
    sh = np.abs(xy[:, LM.LEFT_SHOULDER, 0] - xy[:, LM.RIGHT_SHOULDER, 0])
    hp = np.abs(xy[:, LM.LEFT_HIP, 0] - xy[:, LM.RIGHT_HIP, 0])
    torso = torso_lengths(xy)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(torso > 1e-6, (sh + hp) / 2.0 / torso, np.nan)


def signed_width_ratio(pose: CleanPose) -> np.ndarray:
    """Per frame: (left minus right shoulder x + left minus right hip x) / 2 / torso length (image), dimensionless.
    + : the left side is on the image's right, the runner's front is turned to the camera; - : the back is. Its
    size is at most :func:`width_ratio`; MediaPipe names left and right by the body it sees, so mirroring the video
    keeps the sign."""
    xy = pose.xy
    sh = xy[:, LM.LEFT_SHOULDER, 0] - xy[:, LM.RIGHT_SHOULDER, 0]
    hp = xy[:, LM.LEFT_HIP, 0] - xy[:, LM.RIGHT_HIP, 0]
    torso = torso_lengths(xy)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(torso > 1e-6, (sh + hp) / 2.0 / torso, np.nan)


def facing_world(pose: CleanPose) -> np.ndarray:
    """Per frame unit vector (x, z) in MediaPipe world axes (x image right, z away from the camera) of where the
    chest faces; NaN where unknown."""
    w = pose.world
    lr = w[:, LM.RIGHT_SHOULDER] - w[:, LM.LEFT_SHOULDER] + w[:, LM.RIGHT_HIP] - w[:, LM.LEFT_HIP]
    # up = (0, -1, 0); up x lr = (-lr_z, 0, lr_x)
    chest = np.stack([-lr[:, 2], lr[:, 0]], axis=1)
    toes = w[:, LM.LEFT_FOOT_INDEX] - w[:, LM.LEFT_HEEL] + w[:, LM.RIGHT_FOOT_INDEX] - w[:, LM.RIGHT_HEEL]
    toes = np.stack([toes[:, 0], toes[:, 2]], axis=1)
    total = _unit(chest) + _unit(toes)
    return _unit(total)


def facing_x_image(pose: CleanPose) -> np.ndarray:
    """Per frame: +1 when the runner faces image +x, -1 when image -x, NaN when unknown. From the heel -> toe
    direction of both feet in the image, with the world chest normal as a fallback."""
    xy = pose.xy
    dx = (xy[:, LM.LEFT_FOOT_INDEX, 0] - xy[:, LM.LEFT_HEEL, 0]) + (
        xy[:, LM.RIGHT_FOOT_INDEX, 0] - xy[:, LM.RIGHT_HEEL, 0]
    )
    fw = facing_world(pose)[:, 0]
    val = np.where(np.isfinite(dx) & (np.abs(dx) > 1e-6), np.sign(dx), np.sign(fw))
    return np.where(np.isfinite(val) & (val != 0), val, np.nan)


def segment_facing(votes: np.ndarray, min_agreement: float) -> int:
    """A segment's facing from its per-frame votes (:func:`facing_x_image`: +1, -1 or NaN): the majority's sign when
    at least ``min_agreement`` (share 0..1) of the votes cast agree, else 0 (unknown: no votes, or feet that do not
    show which way the runner faces, e.g. pointing at the camera)."""
    v = votes[np.isfinite(votes)]
    if v.size == 0:
        return 0
    plus = int(np.sum(v > 0))
    share = max(plus, v.size - plus) / v.size
    if share < min_agreement:
        return 0
    return 1 if plus * 2 > v.size else -1


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 1e-9, v / n, np.nan)


class ViewClassifier:
    """Classify the camera view of a clip.

    Parameters (``[view]`` of the config): ``side_max_ratio`` width ratio at or below which the view is a side
    view (dimensionless);
    ``front_min_ratio`` width ratio at or above which it is a front or back view (between: oblique).
    """

    def __init__(self, cfg: ViewConfig) -> None:
        self.side_max_ratio = cfg.side_max_ratio
        self.front_min_ratio = cfg.front_min_ratio

    def classify(self, pose: CleanPose) -> View:
        """The clip's :class:`View` (median over detected frames); side view when nothing is measurable."""
        ratio = finite_median(width_ratio(pose))
        face = facing_world(pose)
        fz = finite_median(face[:, 1])
        zl = finite_median(pose.world[:, _L, 2].mean(axis=1))
        zr = finite_median(pose.world[:, _R, 2].mean(axis=1))
        near: SideName | None = None
        if np.isfinite(zl) and np.isfinite(zr):
            near = "left" if zl < zr else "right"
        if not np.isfinite(ratio):
            return View(kind="side", side=near, width_ratio=None)
        if ratio >= self.front_min_ratio:
            kind: ViewKind = "front" if (np.isfinite(fz) and fz < 0) else "back"
            return View(kind=kind, side=None, width_ratio=round(ratio, 3))
        kind = "side" if ratio <= self.side_max_ratio else "oblique"
        return View(kind=kind, side=near, width_ratio=round(ratio, 3))  # type: ignore[arg-type]
