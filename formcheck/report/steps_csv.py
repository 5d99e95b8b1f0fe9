"""``steps.csv``: one row per step (initial contact to the next contact of the other foot), beside frames.csv.

Columns are the step fields of report.json's ``steps`` (an empty cell where a value is null or not finite).
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from pathlib import Path
from typing import Any

from formcheck.atomic import write_text

#: Columns in order: foot, contact frame/time (s), toe-off frame, strike class, foot angle and strike index at
#: contact (deg), step length and landing distance (leg lengths), travel direction, strike confidence (0..1; a
#: column added last so existing readers keep their positions).
COLUMNS = (
    "step",
    "foot",
    "contact_frame",
    "contact_s",
    "toe_off_frame",
    "strike",
    "foot_angle_deg",
    "strike_index_deg",
    "step_length_leg",
    "landing_distance_leg",
    "direction",
    "strike_confidence",
)


def _cell(x: Any) -> str:
    if x is None or isinstance(x, str):
        return x or ""
    if isinstance(x, (bool, numbers.Integral)):
        return str(int(x))
    if isinstance(x, numbers.Real):
        x = float(x)
        return f"{x:.4f}".rstrip("0").rstrip(".") if math.isfinite(x) else ""
    return str(x)


def steps_csv_text(steps: list[dict[str, Any]]) -> str:
    """The CSV text: a header and one row per step, numbered from 0 in ``step``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for i, step in enumerate(steps or []):
        step = step if isinstance(step, dict) else {}
        w.writerow([str(i)] + [_cell(step.get(c)) for c in COLUMNS[1:]])
    return buf.getvalue()


def write_steps_csv(steps: list[dict[str, Any]], path: str | Path) -> Path:
    """Write ``steps`` (report.json's ``steps`` list) to ``path`` atomically; return the path."""
    return write_text(path, steps_csv_text(steps))
