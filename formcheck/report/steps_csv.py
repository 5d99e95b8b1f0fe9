"""``steps.csv``: one row per step (initial contact to the next contact of the other foot), beside frames.csv.

Columns are the step fields of report.json's ``steps`` (an empty cell where a value is unknown or not finite),
written from the typed steps.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from formcheck.analysis.types import Step
from formcheck.atomic import write_text

#: Columns in order: step number, foot, contact frame/time (s), toe-off frame, strike class, foot angle at contact
#: (deg), step length and landing distance (leg lengths), travel direction, why it was excluded (empty: kept),
#: strike confidence (0..1; the last column, added after the others so readers keep their positions).
COLUMNS = (
    "step",
    "foot",
    "contact_frame",
    "contact_s",
    "toe_off_frame",
    "strike",
    "foot_angle_deg",
    "step_length_leg",
    "landing_distance_leg",
    "direction",
    "excluded",
    "strike_confidence",
)


def _num(x: float | None) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".") if x is not None and math.isfinite(x) else ""


def _row(i: int, s: Step) -> list[str]:
    return [
        str(i),
        s.foot,
        str(s.contact_frame),
        _num(s.contact_s),
        "" if s.toe_off_frame is None else str(s.toe_off_frame),
        s.strike or "",
        _num(s.foot_angle_deg),
        _num(s.step_length_leg),
        _num(s.landing_distance_leg),
        s.direction,
        s.excluded or "",
        _num(s.strike_confidence),
    ]


def steps_csv_text(steps: tuple[Step, ...] | list[Step]) -> str:
    """The CSV text: a header and one row per step, numbered from 0 in ``step``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for i, step in enumerate(steps):
        w.writerow(_row(i, step))
    return buf.getvalue()


def write_steps_csv(steps: tuple[Step, ...] | list[Step], path: str | Path) -> Path:
    """Write ``steps`` to ``path`` atomically; return the path."""
    return write_text(path, steps_csv_text(steps))
