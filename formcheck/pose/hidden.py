"""A second look for people hidden behind a large one: the sweep's frame searched again with everyone found greyed.

MediaPipe's person detector, given a frame where one person fills a large part of it, often reports only that
person even when asked for four. In the Pose2Sim two-person clip greyed (a black-and-white filter), the woman
standing in front was found on every searched frame and the man exercising behind her on none, so he could not be
chosen; with her box painted grey the same model found him on 6 of 9 frames. The look again is in IMAGE mode (a
fresh detection, the same whichever way the clip runs) and only where someone found covers at least
``pose.hidden_look_min_area_share`` of the frame: small people in a crowd hide nobody from the detector.
"""

from __future__ import annotations

import os
from types import TracebackType

import numpy as np

from formcheck.config import PoseConfig
from formcheck.pose.extract import Landmarker
from formcheck.pose.landmarks import LM

GREY = 128  # the paint over the people found (8-bit level): mid grey, no edges of its own inside the box


def person_box(lm: np.ndarray, min_visibility: float, pad_share: float) -> tuple[float, float, float, float] | None:
    """The box (x0, y0, x1, y1 px) around one person's landmarks ``[33, 4]`` seen with at least ``min_visibility``,
    widened on every side by ``pad_share`` of its height; None when fewer than 4 are seen."""
    seen = lm[(lm[:, 3] >= min_visibility) & np.isfinite(lm[:, 0]) & np.isfinite(lm[:, 1])]
    if len(seen) < 4:
        return None
    x0, y0 = float(seen[:, 0].min()), float(seen[:, 1].min())
    x1, y1 = float(seen[:, 0].max()), float(seen[:, 1].max())
    pad = pad_share * (y1 - y0)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def inside(point: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """Whether ``point`` (x, y px) lies in ``box`` (x0, y0, x1, y1 px)."""
    return bool(box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3])


class HiddenLook:
    """The sweep's landmarker with the second look of the module docstring: :class:`Landmarker`'s ``detect``,
    returning the people found at first and those found with them greyed (hips outside every greyed box). Use as a
    context manager."""

    def __init__(self, model_path: str | os.PathLike[str], config: PoseConfig, num_poses: int) -> None:
        self.config = config
        self.num_poses = num_poses
        self.looks_again = 0  # frames looked at again (count)
        self._first = Landmarker(model_path, config, num_poses=num_poses)
        try:
            self._again = Landmarker(model_path, config, num_poses=num_poses, image_mode=True)
        except BaseException:
            self._first.close()
            raise

    def detect(self, rgb: np.ndarray, time_s: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Everyone found in one frame (see the class docstring): image and world landmarks, ``float32[33, 4]``
        each, as :meth:`Landmarker.detect`."""
        image, world = self._first.detect(rgb, time_s)
        cfg = self.config
        if not image or len(image) >= self.num_poses:
            return image, world
        boxes = [b for b in (person_box(p, cfg.hidden_look_min_visibility, cfg.hidden_look_pad) for p in image) if b]
        area = float(rgb.shape[0] * rgb.shape[1])
        if not boxes or max((b[2] - b[0]) * (b[3] - b[1]) for b in boxes) < cfg.hidden_look_min_area_share * area:
            return image, world
        greyed = rgb.copy()
        for x0, y0, x1, y1 in boxes:
            greyed[max(int(y0), 0) : max(int(np.ceil(y1)), 0), max(int(x0), 0) : max(int(np.ceil(x1)), 0)] = GREY
        self.looks_again += 1
        more, more_world = self._again.detect(greyed, time_s)
        for person, person_world in zip(more, more_world, strict=True):
            hips = person[[LM.LEFT_HIP, LM.RIGHT_HIP], :2].mean(axis=0)
            if len(image) < self.num_poses and not any(inside(hips, b) for b in boxes):
                image.append(person)
                world.append(person_world)
        return image, world

    def close(self) -> None:
        self._first.close()
        self._again.close()

    def __enter__(self) -> HiddenLook:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
