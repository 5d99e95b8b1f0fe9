"""``frames.csv``: one row per frame with the per-frame measurements (empty cell where not measurable or excluded
as implausible; ``excluded`` says what was excluded and why, see :mod:`formcheck.analysis.plausibility`)."""

from __future__ import annotations

import csv
import io
import math

from formcheck.analysis.direction import athlete_seen, direction_per_frame
from formcheck.analysis.judge import Judgement
from formcheck.analysis.plausibility import frame_notes

COLUMNS = (
    "frame",
    "time_s",
    "detected",
    "trunk_lean_deg",
    "elbow_left_deg",
    "elbow_right_deg",
    "foot_angle_left_deg",
    "foot_angle_right_deg",
    "direction",
    "excluded",
)


def _cell(x: float) -> str:
    return f"{float(x):.2f}" if x is not None and math.isfinite(float(x)) else ""


def frames_csv_text(j: Judgement) -> str:
    """The CSV text (header + one row per frame; angles in degrees, times in s)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    p, a = j.pose, j.angles
    dirs = direction_per_frame(j.segments, p.n_frames, athlete_seen(p))
    notes = frame_notes(j.quality)
    for i in range(p.n_frames):
        w.writerow(
            [
                i,
                f"{p.times_s[i]:.4f}",
                int(bool(p.detected[i])),
                _cell(a.trunk_lean[i]),
                _cell(a.elbow_left[i]),
                _cell(a.elbow_right[i]),
                _cell(a.foot_left[i]),
                _cell(a.foot_right[i]),
                dirs[i] or "",
                notes[i],
            ]
        )
    return buf.getvalue()
