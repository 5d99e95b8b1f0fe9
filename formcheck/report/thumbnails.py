"""Thumbnails of the best and the worst step for the HTML report: the upright frames at their contact times,
JPEG-encoded at a bounded size. Which steps are best and worst is decided by the analysis
(:mod:`formcheck.analysis.step_score`); this module only grabs the pictures. Given the athlete's landmarks, each
picture is cropped around the athlete (:mod:`formcheck.report.crops`) with the skeleton (coloured by verdict)
and the strike ring drawn, so the foot can be seen.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

import cv2
import numpy as np

from formcheck.analysis.types import Step, StepPicks
from formcheck.overlay.verdicts import TouchdownAnnotator, VerdictSkeletonAnnotator
from formcheck.report.crops import athlete_box, crop
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


def step_picture(
    rgb: np.ndarray, xy: np.ndarray, step: Step, part_verdict: Mapping[str, str], max_side_px: int
) -> bytes:
    """JPEG of the athlete at ``step``'s contact: skeleton and strike ring drawn on ``rgb`` (the upright frame),
    cropped around the landmarks ``xy`` [33, 2] (px of ``rgb``), long side ``max_side_px``; the whole frame when
    the landmarks cannot place the athlete."""
    scene = rgb.copy()
    VerdictSkeletonAnnotator().annotate(scene, xy, dict(part_verdict))
    TouchdownAnnotator().annotate(scene, xy, step.foot, step.strike)  # the ring only; the caption names the class
    box = athlete_box(xy, scene.shape[1], scene.shape[0])
    return _jpeg(crop(scene, box, max_side_px), max_side_px) if box else _jpeg(scene, max_side_px)


def step_thumbnails(
    steps: tuple[Step, ...],
    picks: StepPicks,
    video_path: str | os.PathLike[str] | Callable[[Sequence[float]], list[np.ndarray | None]],
    max_side_px: int,
    xy: np.ndarray | None = None,
    part_verdict: Mapping[str, str] | None = None,
) -> dict[str, bytes]:
    """``{"best": jpeg, "worst": jpeg}`` at the contact times of the picked steps, found by seeking in the video at
    ``video_path`` (a few frames decoded per picture, not the whole video) or given by ``video_path(times)`` (upright
    RGB frames at those times, None where there is none); long side at most ``max_side_px`` px. With the athlete's
    landmarks ``xy`` [T, 33, 2] (px of the video's upright frames) each is a :func:`step_picture`."""
    chosen = {key: i for key, i in (("best", picks.best), ("worst", picks.worst)) if i is not None}
    keys = list(chosen)
    times = [steps[chosen[key]].contact_s for key in keys]
    if not times:
        found: list[np.ndarray | None] = []
    elif callable(video_path):
        found = video_path(times)
    else:
        found = [f.rgb if f is not None else None for f in frames_at(probe(video_path), times)]
    out = {}
    for key, rgb in zip(keys, found, strict=True):
        if rgb is None:
            continue
        step = steps[chosen[key]]
        if xy is not None and 0 <= step.contact_frame < len(xy):
            out[key] = step_picture(rgb, xy[step.contact_frame], step, part_verdict or {}, max_side_px)
        else:
            out[key] = _jpeg(rgb, max_side_px)
    return out
