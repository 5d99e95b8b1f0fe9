"""``report.json`` (schema ``formcheck.report/1``): the machine-readable result other tools read.

Field names are a contract; see the README's "Output contract".
"""

from __future__ import annotations

import math
from typing import Any

from formcheck import __version__
from formcheck.pose.sequence import PoseSequence
from formcheck.pose.store import PoseTracks
from formcheck.video.reader import VideoInfo

SCHEMA = "formcheck.report/1"


def _r(x: float, nd: int = 4) -> float | None:
    return round(float(x), nd) if x is not None and math.isfinite(float(x)) else None


def video_section(info: VideoInfo, seq: PoseSequence) -> dict[str, Any]:
    """``video``: path, frames (decoded), fps (mean, from real timestamps), duration_s, width/height (upright
    pixels), rotation_deg (display rotation applied, ccw degrees), plus codec and container."""
    return {
        "path": info.path,
        "frames": seq.n_frames,
        "fps": _r(seq.fps),
        "duration_s": _r(seq.duration_s),
        "width": info.width,
        "height": info.height,
        "rotation_deg": info.rotation_deg,
        "codec": info.codec,
        "container": info.container,
    }


def pose_section(tracks: PoseTracks, seq: PoseSequence) -> dict[str, Any]:
    """``pose``: model, detected_frames, detection_rate (0..1), person (index of the analysed candidate), and the
    candidates (each person found: presence 0..1 and motion score in torso lengths)."""
    presence = tracks.presence()
    return {
        "model": seq.model,
        "detected_frames": int(seq.detected.sum()),
        "detection_rate": _r(seq.detection_rate),
        "person": seq.person,
        "people_found": tracks.n_people,
        "candidates": [
            {"person": i, "presence": _r(presence[i]), "motion_score": _r(tracks.scores[i], 2)}
            for i in range(tracks.n_people)
        ],
    }


def build_report(info: VideoInfo, tracks: PoseTracks, seq: PoseSequence) -> dict[str, Any]:
    """The report as a JSON-ready dict (NaN never appears: unknown values are null)."""
    return {
        "schema": SCHEMA,
        "formcheck_version": __version__,
        "video": video_section(info, seq),
        "pose": pose_section(tracks, seq),
    }
