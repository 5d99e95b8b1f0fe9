"""Thumbnails of the best and the worst step for the HTML report: the upright frames at their contact times,
JPEG-encoded at a bounded size. Which steps are best and worst is decided by the analysis
(:mod:`formcheck.analysis.step_score`); this module only grabs the pictures.
"""

from __future__ import annotations

import os

import cv2
import numpy as np

from formcheck.analysis.types import Step, StepPicks
from formcheck.video.reader import frames_at, probe


def _jpeg(rgb: np.ndarray, max_side_px: int, quality: int = 80) -> bytes:
    h, w = rgb.shape[:2]
    scale = min(1.0, max_side_px / max(h, w)) if max_side_px > 0 else 1.0
    if scale < 1.0:
        rgb = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:  # pragma: no cover - encoding a valid uint8 image does not fail
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


def step_thumbnails(
    steps: tuple[Step, ...], picks: StepPicks, video_path: str | os.PathLike[str], max_side_px: int
) -> dict[str, bytes]:
    """``{"best": jpeg, "worst": jpeg}`` at the contact times of the picked steps, found by seeking (a few frames
    decoded per picture, not the whole video); long side at most ``max_side_px`` px."""
    chosen = {key: i for key, i in (("best", picks.best), ("worst", picks.worst)) if i is not None}
    keys = list(chosen)
    times = [steps[chosen[key]].contact_s for key in keys]
    found = frames_at(probe(video_path), times) if times else []
    return {key: _jpeg(frame.rgb, max_side_px) for key, frame in zip(keys, found, strict=True) if frame is not None}
