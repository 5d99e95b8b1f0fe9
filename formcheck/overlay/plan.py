"""What the annotated video shows at each frame, read from the verdicts (the plan never judges).

Built after the judgement from ``report.json`` (steps, segments, rules, view), the per-frame angles of
``frames.csv`` and the cleaned landmarks. Units: pixels of the input frame, seconds, degrees, steps/min.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Which rule colours which part of the skeleton.
PART_RULES: dict[str, str] = {"trunk": "upright_posture", "arms": "arm_angle", "legs": "forefoot_landing"}
#: Rules whose "not assessable" verdict is announced on the video.
NOTICE_RULES = ("upright_posture", "forefoot_landing", "short_steps", "arm_angle")
#: Live cadence is measured over this many most recent steps.
CADENCE_STEPS = 6


@dataclass(frozen=True)
class Touchdown:
    """An initial contact: ``foot``, ``frame`` (index), ``strike`` class or None, ``number`` (1-based step count)."""

    foot: str
    frame: int
    time_s: float
    strike: str | None
    number: int


@dataclass(frozen=True)
class OverlayPlan:
    """Per-frame overlay content.

    ``xy``: float[T, 33, 2] landmarks (px, input frame; NaN where unknown); ``trunk_lean_deg``, ``elbow_left_deg``,
    ``elbow_right_deg``: float[T] (NaN where not measured); ``direction``: per frame "backward"/"forward"/
    "standing" or None; ``touchdowns`` in time order; ``hold_frames``: how long a touchdown marker stays (frames);
    ``part_verdict``: verdict per skeleton part (trunk, arms, legs); ``notices``: one line per not-assessable cue.
    """

    xy: np.ndarray
    times_s: np.ndarray
    trunk_lean_deg: np.ndarray
    elbow_left_deg: np.ndarray
    elbow_right_deg: np.ndarray
    direction: tuple[str | None, ...]
    touchdowns: tuple[Touchdown, ...]
    hold_frames: int
    part_verdict: Mapping[str, str]
    notices: tuple[str, ...]

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.times_s.shape[0])

    def active_touchdowns(self, frame: int) -> list[Touchdown]:
        """Touchdowns whose marker is shown at ``frame`` (from their contact frame for ``hold_frames``)."""
        return [t for t in self.touchdowns if t.frame <= frame < t.frame + self.hold_frames]

    def steps_done(self, frame: int) -> int:
        """Steps counted up to and including ``frame``."""
        return sum(1 for t in self.touchdowns if t.frame <= frame)

    def cadence_spm(self, frame: int) -> float | None:
        """Live cadence at ``frame`` (steps/min) over the last few steps; None before there are three."""
        past = [t.time_s for t in self.touchdowns if t.frame <= frame][-CADENCE_STEPS:]
        if len(past) < 3 or past[-1] <= past[0]:
            return None
        return 60.0 * (len(past) - 1) / (past[-1] - past[0])


def _column(frames: Sequence[Mapping[str, Any]], name: str, n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    for i, row in enumerate(frames[:n]):
        try:
            out[i] = float(row.get(name) or "nan")
        except (TypeError, ValueError):
            pass
    return out


def build_plan(
    report: Mapping[str, Any],
    frames: Sequence[Mapping[str, Any]],
    xy: np.ndarray,
    times_s: np.ndarray,
    fps: float,
    hold_s: float,
) -> OverlayPlan:
    """The overlay plan from the report, the ``frames.csv`` rows (dicts of strings) and the cleaned landmarks
    ``xy`` [T, 33, 2] (px). ``hold_s``: how long a touchdown marker stays on screen (s)."""
    n = int(times_s.shape[0])
    verdicts = {r.get("id"): r.get("verdict", "not_assessable") for r in report.get("rules") or []}
    rules = {r.get("id"): r for r in report.get("rules") or []}
    steps = sorted(report.get("steps") or [], key=lambda s: s.get("contact_frame") or 0)
    touchdowns = tuple(
        Touchdown(
            foot=str(s.get("foot")),
            frame=int(s["contact_frame"]),
            time_s=float(s.get("contact_s") or 0.0),
            strike=s.get("strike"),
            number=k + 1,
        )
        for k, s in enumerate(steps)
        if s.get("contact_frame") is not None
    )
    direction = tuple((row.get("direction") or None) for row in frames[:n]) + (None,) * max(n - len(frames), 0)
    notices = tuple(
        f"{rid.replace('_', ' ')}: not assessable"
        + (f" ({rules[rid].get('message')})" if rules[rid].get("message") else "")
        for rid in NOTICE_RULES
        if verdicts.get(rid) == "not_assessable"
    )
    return OverlayPlan(
        xy=np.asarray(xy, dtype=np.float64),
        times_s=np.asarray(times_s, dtype=np.float64),
        trunk_lean_deg=_column(frames, "trunk_lean_deg", n),
        elbow_left_deg=_column(frames, "elbow_left_deg", n),
        elbow_right_deg=_column(frames, "elbow_right_deg", n),
        direction=direction,
        touchdowns=touchdowns,
        hold_frames=max(int(round(hold_s * fps)), 1),
        part_verdict={part: verdicts.get(rule, "not_assessable") for part, rule in PART_RULES.items()},
        notices=notices,
    )
