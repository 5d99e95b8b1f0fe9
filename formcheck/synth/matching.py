"""Matching detected contacts (report.json ``steps``) to synthetic truth contacts: the one matcher the accuracy
benches and the end-to-end tests share.

A detected step and a true contact match when they are of the same foot and their frames differ by at most the
tolerance; each is used once. True contacts are taken in order, each pairing with the nearest unused step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: Contact tolerance at 30 fps, frames (FIELD_NOTES accuracy anchors: published systems time contacts within
#: 10-25 ms; +-2 frames at 30 fps is +-67 ms). Scaled with the frame rate: the same time at any fps.
TOLERANCE_FRAMES_AT_30 = 2.0


def tolerance_frames(fps: float, frames_at_30: float = TOLERANCE_FRAMES_AT_30) -> float:
    """The matching tolerance in frames of a clip at ``fps`` frames/s (``frames_at_30`` frames at 30 fps)."""
    return frames_at_30 * float(fps) / 30.0


def match_contacts(
    steps: Sequence[Mapping[str, Any]], truth: Sequence[Mapping[str, Any]], tol_frames: float
) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Greedy one-to-one pairs (step, true contact) of the same foot within ``tol_frames`` frames: each true contact
    (in order) takes the nearest unused step. Steps without a ``contact_frame`` never match."""
    used: set[int] = set()
    pairs = []
    for c in truth:
        best, best_d = None, None
        for j, s in enumerate(steps):
            if j in used or s.get("foot") != c["foot"] or s.get("contact_frame") is None:
                continue
            d = abs(float(s["contact_frame"]) - float(c["frame"]))
            if d <= tol_frames and (best_d is None or d < best_d):
                best, best_d = j, d
        if best is not None:
            used.add(best)
            pairs.append((steps[best], c))
    return pairs


def f1_score(tp: int, fp: int, fn: int) -> float:
    """F1 of ``tp`` matches, ``fp`` unmatched detections and ``fn`` unmatched truths (1.0 when all are zero)."""
    return 2 * tp / (2 * tp + fp + fn) if (tp + fp + fn) else 1.0
