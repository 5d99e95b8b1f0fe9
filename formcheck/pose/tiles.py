"""The second detection pass for small or distant people: the landmarker run on overlapping tiles of the frame.

MediaPipe's person detector sees the whole frame shrunk to 224 px: a runner 70 px tall in a 640x480 frame (a
static camera framing 25 m) is ~30 px there and is not found. On a tile two thirds of the frame's short side, the
same runner is a fifth of the tile and is found in every frame (bench: 100/100 frames at 640x480, none on the
whole frame). Each tile has its own landmarker in video mode, so a runner crossing tiles is followed in each; the
tracker drops the copies that overlapping tiles report of one person.
"""

from __future__ import annotations

import os
from types import TracebackType

import numpy as np

from formcheck.config import PoseConfig
from formcheck.pose.extract import Landmarker


def tile_boxes(width: int, height: int, side_share: float, overlap: float) -> list[tuple[int, int, int]]:
    """Square tiles ``(x0, y0, side)`` (px) covering a ``width`` x ``height`` frame: side = ``side_share`` of the
    short side, neighbours overlapping by ``overlap`` of a side (0..1), the last row and column flush with the
    frame's edges."""
    side = max(int(round(min(width, height) * side_share)), 1)
    step = max(int(round(side * (1.0 - overlap))), 1)

    def starts(n: int) -> list[int]:
        out = list(range(0, max(n - side, 0) + 1, step))
        if out[-1] != max(n - side, 0):
            out.append(max(n - side, 0))
        return out

    return [(x, y, side) for y in starts(height) for x in starts(width)]


class TiledLandmarker:
    """Landmarkers on tiles of each frame (see the module docstring), with :class:`Landmarker`'s ``detect``:
    landmarks of everyone found on any tile, in the whole frame's pixels. Use as a context manager."""

    def __init__(self, model_path: str | os.PathLike[str], config: PoseConfig, width: int, height: int) -> None:
        self.boxes = tile_boxes(width, height, config.tile_side_share, config.tile_overlap)
        self._landmarkers: list[Landmarker] = []
        try:
            for _ in self.boxes:
                self._landmarkers.append(Landmarker(model_path, config))
        except BaseException:
            self.close()
            raise

    def detect(self, rgb: np.ndarray, time_s: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Everyone found on any tile of one frame: image landmarks (x, y px of the whole frame, z, visibility)
        and world landmarks, one ``float32[33, 4]`` each (copies from overlapping tiles included)."""
        images: list[np.ndarray] = []
        worlds: list[np.ndarray] = []
        for (x0, y0, side), lm in zip(self.boxes, self._landmarkers, strict=True):
            crop = np.ascontiguousarray(rgb[y0 : y0 + side, x0 : x0 + side])
            im, wo = lm.detect(crop, time_s)
            for person in im:
                person[:, 0] += x0
                person[:, 1] += y0
            images += im
            worlds += wo
        return images, worlds

    def close(self) -> None:
        for lm in self._landmarkers:
            lm.close()
        self._landmarkers = []

    def __enter__(self) -> TiledLandmarker:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
