"""Thumbnails of the best and the worst step for the HTML report.

Choosing (:func:`best_and_worst`): every step with at least one landing measurement gets a fault score, the sum
of how far each measurement lies outside its target (0 = all inside):

- strike class: heel 1.0, midfoot 0.5, forefoot 0 (FIELD_NOTES: land on the balls of the feet);
- foot angle at contact short of toe-first: the strike index (foot angle at contact minus the flat-foot angle of
  the same stance, the measure the strike classes use) below +3 deg, else the raw foot angle below +5 deg
  (FIELD_NOTES), adds (limit - angle) / 10;
- step length above 0.8 leg lengths: (length - 0.8) / 0.2;
- landing distance above 0.45 leg lengths: (distance - 0.45) / 0.1.

These limits are the starting ok bands of the rules (defaults.toml); the report is not re-judged, the score only
orders steps. Backward-running steps are preferred; other steps are used only when there are none. The best step
has the lowest score (the earliest on ties), the worst the highest (the latest on ties); the worst is left out
when it would be the same step as the best.

Grabbing (:func:`grab_frames`): one pass through the video, upright frames, JPEG-encoded at a bounded size.
"""

from __future__ import annotations

import math
import os
from typing import Any

import cv2
import numpy as np

from formcheck.video.reader import frames_at, iter_frames, probe

STRIKE_FAULT = {"heel": 1.0, "midfoot": 0.5, "forefoot": 0.0}
FOOT_ANGLE_MIN_DEG = 5.0
STRIKE_INDEX_MIN_DEG = 3.0
STEP_LENGTH_MAX_LEG = 0.8
LANDING_DISTANCE_MAX_LEG = 0.45


def _f(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(float(x)):
        return None
    return float(x)


def step_fault(step: dict[str, Any]) -> float | None:
    """The fault score of one step (see the module docstring), or None when nothing about it was measured."""
    parts: list[float] = []
    if step.get("strike") in STRIKE_FAULT:
        parts.append(STRIKE_FAULT[step["strike"]])
    index, angle = _f(step.get("strike_index_deg")), _f(step.get("foot_angle_deg"))
    if index is not None:
        parts.append(max(0.0, STRIKE_INDEX_MIN_DEG - index) / 10.0)
    elif angle is not None:
        parts.append(max(0.0, FOOT_ANGLE_MIN_DEG - angle) / 10.0)
    length = _f(step.get("step_length_leg"))
    if length is not None:
        parts.append(max(0.0, length - STEP_LENGTH_MAX_LEG) / 0.2)
    landing = _f(step.get("landing_distance_leg"))
    if landing is not None:
        parts.append(max(0.0, landing - LANDING_DISTANCE_MAX_LEG) / 0.1)
    return sum(parts) if parts else None


def best_and_worst(report: dict[str, Any]) -> dict[str, int]:
    """``{"best": i, "worst": j}``: indices into ``report["steps"]`` (keys absent when no step qualifies)."""
    steps = report.get("steps") if isinstance(report, dict) else None
    scored: list[tuple[float, int, bool]] = []
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        if not isinstance(step, dict) or not isinstance(step.get("contact_frame"), int):
            continue
        fault = step_fault(step)
        if fault is not None:
            scored.append((fault, i, step.get("direction") == "backward"))
    if any(back for *_, back in scored):
        scored = [s for s in scored if s[2]]
    if not scored:
        return {}
    best = min(scored, key=lambda s: (s[0], s[1]))[1]
    worst = max(scored, key=lambda s: (s[0], s[1]))[1]
    return {"best": best} if worst == best else {"best": best, "worst": worst}


def _jpeg(rgb: np.ndarray, max_side_px: int, quality: int = 80) -> bytes:
    h, w = rgb.shape[:2]
    scale = min(1.0, max_side_px / max(h, w)) if max_side_px > 0 else 1.0
    if scale < 1.0:
        rgb = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:  # pragma: no cover - encoding a valid uint8 image does not fail
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


def grab_frames(
    video_path: str | os.PathLike[str], frame_indices: list[int] | set[int], max_side_px: int = 360
) -> dict[int, bytes]:
    """JPEG bytes of the upright frames at ``frame_indices`` (long side at most ``max_side_px`` pixels).

    Streams through the video once and stops after the last wanted frame; indices past the end are left out.
    Raises :class:`formcheck.errors.InputVideoError` for an unreadable video.
    """
    wanted = {int(i) for i in frame_indices if int(i) >= 0}
    out: dict[int, bytes] = {}
    if not wanted:
        return out
    last = max(wanted)
    for frame in iter_frames(probe(video_path), only=wanted):
        if frame.index in wanted:
            out[frame.index] = _jpeg(frame.rgb, max_side_px)
        if frame.index >= last:
            break
    return out


def step_thumbnails(
    report: dict[str, Any], video_path: str | os.PathLike[str], max_side_px: int = 360
) -> dict[str, bytes]:
    """``{"best": jpeg, "worst": jpeg}`` at the contact frames of the steps :func:`best_and_worst` picks, found by
    seeking to their contact times (a few frames decoded per picture, not the whole video)."""
    picks = best_and_worst(report)
    keys = [key for key, i in picks.items() if report["steps"][i].get("contact_s") is not None]
    times = [float(report["steps"][picks[key]]["contact_s"]) for key in keys]
    found = frames_at(probe(video_path), times) if times else []
    return {key: _jpeg(frame.rgb, max_side_px) for key, frame in zip(keys, found, strict=True) if frame is not None}
