"""Pictures of the athlete, not of the scene: a frame cropped around one person's landmarks.

Used for the report's step thumbnails and the handout's key frames. Every function receives what it needs (the
video path, frame indices, the landmarks in that video's pixels); nothing here reads a report or a config.
Units: pixels of the picture the landmarks are given in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import cv2
import numpy as np

from formcheck.video.reader import iter_frames, probe

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (px, x1/y1 exclusive)
#: Room around the landmarks' bounding box, as a share of its longer side: the landmarks stop at the joints, so
#: the head, the hands and the shoes need this much more to be in the picture.
PAD_SHARE = 0.18
#: The crop is widened to at least this width/height ratio: a runner side-on is tall and thin, and a little of
#: the ground ahead and behind shows where the foot lands.
MIN_ASPECT = 0.75
#: Fewer visible landmarks than this cannot place a person.
MIN_POINTS = 4


def athlete_box(xy: np.ndarray, width: int, height: int) -> Box | None:
    """The crop around one person in a ``width`` x ``height`` picture from landmarks ``xy`` [33, >=2] (px; NaN =
    unseen), padded by :data:`PAD_SHARE`, at least :data:`MIN_ASPECT` wide, kept inside the picture; None when
    fewer than :data:`MIN_POINTS` landmarks are known."""
    pts = np.asarray(xy, dtype=np.float64)[:, :2]
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if len(pts) < MIN_POINTS:
        return None
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    pad = PAD_SHARE * max(x1 - x0, y1 - y0, 1.0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    if (x1 - x0) < MIN_ASPECT * (y1 - y0):
        grow = (MIN_ASPECT * (y1 - y0) - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    box = (
        int(max(np.floor(x0), 0)),
        int(max(np.floor(y0), 0)),
        int(min(np.ceil(x1), width)),
        int(min(np.ceil(y1), height)),
    )
    return box if box[2] - box[0] >= 2 and box[3] - box[1] >= 2 else None


def crop(rgb: np.ndarray, box: Box, max_side_px: int) -> np.ndarray:
    """``rgb`` cut to ``box`` and scaled so its long side is ``max_side_px`` (up or down: a small figure is
    enlarged so the foot can be seen)."""
    x0, y0, x1, y1 = box
    part = rgb[y0:y1, x0:x1]
    h, w = part.shape[:2]
    scale = max_side_px / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(part, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)


def jpeg(rgb: np.ndarray, quality: int = 85) -> bytes:
    """JPEG bytes of an RGB picture."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:  # pragma: no cover - encoding a valid uint8 image does not fail
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


def athlete_frames(
    video_path: str | os.PathLike[str], landmarks: Mapping[int, np.ndarray], max_side_px: int = 480
) -> dict[int, bytes]:
    """JPEG crops around the athlete at the frames ``landmarks`` names (frame index -> [33, >=2] landmarks in
    this video's upright pixels). One pass through the video; frames without a box are left out. Raises
    :class:`formcheck.errors.InputVideoError` for an unreadable video."""
    info = probe(video_path)
    boxes = {i: athlete_box(xy, info.width, info.height) for i, xy in landmarks.items()}
    wanted = {i for i, b in boxes.items() if b is not None and i >= 0}
    out: dict[int, bytes] = {}
    if not wanted:
        return out
    last = max(wanted)
    for frame in iter_frames(info, only=wanted):
        box = boxes.get(frame.index)
        if box is not None:
            out[frame.index] = jpeg(crop(frame.rgb, box, max_side_px))
        if frame.index >= last:
            break
    return out
