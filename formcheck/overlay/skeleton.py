"""Drawing a pose skeleton on an RGB frame (style in ``__init__``, ``annotate(scene, ...) -> scene``)."""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.pose.landmarks import SKELETON_EDGES

RGB = tuple[int, int, int]
RUNNER_RGB: RGB = (60, 220, 255)
OTHER_RGB: RGB = (150, 150, 150)


def scale_for(frame_shape: tuple[int, ...]) -> float:
    """Line-width scale for a frame: 1.0 for a 720-pixel short side, proportionally otherwise."""
    return max(min(frame_shape[0], frame_shape[1]) / 720.0, 0.35)


class SkeletonAnnotator:
    """Draws bones and joints of one person.

    ``color``: RGB of the bones; ``thickness_px``: bone width at 720 px short side (scaled with the frame);
    ``min_visibility``: joints below this visibility (0..1) are drawn thinner and dimmer.
    """

    def __init__(self, color: RGB = RUNNER_RGB, thickness_px: float = 4.0, min_visibility: float = 0.5) -> None:
        self.color = color
        self.thickness_px = thickness_px
        self.min_visibility = min_visibility

    def annotate(self, scene: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
        """Draw ``landmarks`` (``[33, 4]``: x px, y px, z, visibility; NaN = unseen) on ``scene`` in place."""
        if landmarks is None or not np.isfinite(landmarks[:, :2]).any():
            return scene
        s = scale_for(scene.shape)
        width = max(int(round(self.thickness_px * s)), 1)
        dim = tuple(int(c * 0.55) for c in self.color)
        pts = np.round(np.nan_to_num(landmarks[:, :2], nan=-1e6)).astype(np.int64)
        ok = np.isfinite(landmarks[:, 0])
        vis = np.nan_to_num(landmarks[:, 3], nan=0.0)
        for a, b in SKELETON_EDGES:
            if ok[a] and ok[b]:
                strong = min(vis[a], vis[b]) >= self.min_visibility
                cv2.line(
                    scene,
                    tuple(pts[a]),
                    tuple(pts[b]),
                    self.color if strong else dim,
                    width if strong else max(width // 2, 1),
                    cv2.LINE_AA,
                )
        radius = max(int(round(width * 1.1)), 2)
        for i in np.flatnonzero(ok):
            if i <= 10 and i != 0:  # face points other than the nose add clutter
                continue
            cv2.circle(scene, tuple(pts[i]), radius, (255, 255, 255), -1, cv2.LINE_AA)
            cv2.circle(scene, tuple(pts[i]), radius, self.color, max(width // 3, 1), cv2.LINE_AA)
        return scene
