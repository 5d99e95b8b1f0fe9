"""Typed values passed between the judgement stages (frozen dataclasses; arrays are per frame, length T).

Units: pixels (px) in the upright image frame (y down), seconds (s), degrees (deg), leg lengths (leg = hip to
ankle distance measured from the video, px).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

DirectionName = Literal["backward", "forward", "standing"]
ViewKind = Literal["side", "oblique", "front", "back"]
SideName = Literal["left", "right"]
Foot = Literal["left", "right"]
StrikeName = Literal["forefoot", "midfoot", "heel"]


@dataclass(frozen=True)
class CleanPose:
    """Gap-filled, left/right-corrected, low-pass filtered landmarks.

    ``xy``: float64[T, 33, 2] px (NaN where unknown); ``conf``: float64[T, 33] confidence 0..1 (visibility, 0 where
    filled or unknown); ``world``: float64[T, 33, 3] metres (MediaPipe world, hip origin, y down; NaN where unknown);
    ``times_s``: float64[T]; ``detected``: bool[T] (person found in the raw frame); ``fps``: mean frames/s;
    ``width``/``height`` px.
    """

    xy: np.ndarray
    conf: np.ndarray
    world: np.ndarray
    times_s: np.ndarray
    detected: np.ndarray
    fps: float
    width: int
    height: int

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.times_s.shape[0])


@dataclass(frozen=True)
class Angles:
    """Per-frame joint angles, degrees, NaN where not measurable (conventions in FIELD_NOTES.md).

    ``trunk_lean``: + toward the chest; ``elbow_left/right``: interior angle (180 = straight);
    ``foot_left/right``: heel->toe against the ground, + toe lower.
    """

    trunk_lean: np.ndarray
    elbow_left: np.ndarray
    elbow_right: np.ndarray
    foot_left: np.ndarray
    foot_right: np.ndarray


@dataclass(frozen=True)
class View:
    """Camera view: ``kind``, ``side`` (which side of the body faces the camera; None unless side/oblique),
    ``width_ratio`` (median shoulder+hip width / torso length, image plane; 0 = pure side view)."""

    kind: ViewKind
    side: SideName | None
    width_ratio: float | None = None


@dataclass(frozen=True)
class Segment:
    """A stretch of frames [start_frame, end_frame) with one direction of travel; times in s. ``facing_x``: +1 when
    the chest faces image +x (right), -1 image left, 0 unknown (front/back views). ``seen_s``: how much of it
    the athlete is seen in (s; the rest takes the direction of the nearest frame seen; None: not measured)."""

    start_frame: int
    end_frame: int
    start_s: float
    end_s: float
    direction: DirectionName
    facing_x: int = 0
    seen_s: float | None = None


@dataclass(frozen=True)
class Step:
    """One initial contact (and its toe-off) of one foot.

    ``contact_frame``/``toe_off_frame``: frame indices (toe-off None if not found); ``contact_s`` s (sub-frame
    impact time);
    ``foot_angle_deg`` at contact (+ toe lower); ``strike`` class (None = unknown); ``strike_confidence`` 0..1 of
    the strike cues' combined vote (analysis/strike.py; None when no cue is measurable); ``step_length_leg`` (from the
    previous contact point of the other foot, in ground coordinates); ``landing_distance_leg`` (pelvis to the
    contact point along travel at contact); ``direction`` of the segment it belongs to; ``excluded``: why the
    step (``step_timing``) or its foot angle and strike (``contact_foot_angle``) cannot be true (None: kept; see
    :mod:`formcheck.analysis.plausibility`).
    """

    foot: Foot
    contact_frame: int
    contact_s: float
    toe_off_frame: int | None
    strike: StrikeName | None
    foot_angle_deg: float | None
    step_length_leg: float | None
    landing_distance_leg: float | None
    direction: DirectionName
    strike_confidence: float | None = None
    excluded: str | None = None


@dataclass(frozen=True)
class Quality:
    """Why measurements were excluded, per frame: int8[T] reason codes (0 = kept; names in
    :data:`formcheck.analysis.plausibility.REASONS`) of the whole landmark set (``frame``), the trunk lean
    (``trunk``), each foot's angle (``foot_left``, ``foot_right``), the elbow angles (``arms``) and the head turn
    (``head``: None, as all zeros)."""

    frame: np.ndarray
    trunk: np.ndarray
    foot_left: np.ndarray
    foot_right: np.ndarray
    arms: np.ndarray
    head: np.ndarray | None = None


@dataclass(frozen=True)
class Count:
    """How much evidence a metric used (``used``: frames or steps) and how much it excluded as implausible
    (``excluded``, by reason in ``why``)."""

    used: int
    excluded: int
    why: dict[str, int]

    def note(self) -> str:
        """The exclusions as words, e.g. "12 excluded as implausible: 9 trunk, 3 jump" ("" when none); frames not
        implausible but unseen are named apart (:data:`UNSEEN`), e.g. "...; 20 seen end-on (front or back to the
        camera)"."""
        if not self.excluded:
            return ""
        rest = sorted(((k, n) for k, n in self.why.items() if k not in UNSEEN), key=lambda kv: -kv[1])
        out = []
        if rest:
            parts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in rest)
            out.append(f"{sum(n for _, n in rest)} excluded as implausible: {parts}")
        out += [f"{self.why[k]} {words}" for k, words in UNSEEN.items() if self.why.get(k)]
        return "; ".join(out)


#: Exclusion reasons that say a measurement was not seen rather than implausible, and their words in a note.
UNSEEN: dict[str, str] = {
    "end_on": "seen end-on (front or back to the camera)",
    "facing": "facing unknown (the feet point at the camera)",
}


@dataclass(frozen=True)
class Stats:
    """Summary of one per-frame measurement over the frames used: ``median``, ``p10``, ``p90`` (in the
    measurement's unit) and ``n`` (frames used, count)."""

    median: float
    p10: float
    p90: float
    n: int


@dataclass(frozen=True)
class StrikeNote:
    """Why no landing of the video is classed (``text``, as the report's ``strike_note`` and the forefoot_landing
    rule say it)."""

    text: str

    @classmethod
    def of_model(cls, model: str, suggested: str) -> StrikeNote:
        """The pose ``model`` cannot tell heel from forefoot landings; ``suggested`` is one that can."""
        return cls(f"the {model} pose model cannot tell heel from forefoot landings; analyse with --model {suggested}")

    @classmethod
    def of_frame_rate(cls, fps: float, min_fps: float) -> StrikeNote:
        """The video's frame rate (``fps``) is under ``min_fps``, the least at which landings are read."""
        return cls(
            f"at {fps:.0f} fps the foot turns through tens of degrees between frames: landings are read from "
            f"{min_fps:.0f} fps up; film at 30 fps or more"
        )


@dataclass(frozen=True)
class Metrics:
    """What the rules judge, over backward-running frames and steps only (report.json ``metrics``).

    Times s, angles deg, lengths leg lengths (hip to ankle, px: ``leg_length_px``), counts are counts. None where
    not measurable.
    """

    backward_s: float
    backward_frames: int
    leg_length_px: float | None
    camera_static: bool
    cadence_spm: float | None
    steps_backward: int
    trunk_lean_deg: Stats | None
    trunk_sway_deg: float | None
    trunk_sway_stride_deg: float | None
    elbow_left_deg: Stats | None
    elbow_right_deg: Stats | None
    near_side: SideName | None
    contact_time_s: float | None
    step_length_leg: float | None
    landing_distance_leg: float | None
    heel_strike_share: float | None
    strikes_classified: int
    heel_lift_leg: float | None
    heel_lift_steps: int
    step_time_asymmetry_pct: float | None
    head_turns: int
    head_turns_per_min: float | None
    head_turned_share: float | None
    fatigue_lean_change_deg: float | None
    fatigue_uncertainty_deg: float | None
    strike_note: StrikeNote | None = None
    counts: dict[str, Count] = field(default_factory=dict)
    cadence_coverage: float | None = None
    """Share (0..1) of the backward time seen that the step times of the cadence cover; None with no backward time."""
    step_time_asymmetry_uncertainty_pct: float | None = None
    """Standard error (% of the mean step time) of the left->right minus right->left step-time medians, from their
    scatter; None when the asymmetry is not measured."""
    ground_slope_deg: float | None = None
    """Slope (deg, + rising to the right) of the ground under the runner in the picture, from their footprints (all
    steps; :mod:`formcheck.analysis.ground_slope`): a static camera's roll seen from the side; None otherwise."""
    head_watched_s: float | None = None
    """Backward running (s) over which head turns were counted (the frames where a turn can be told); the rate
    ``head_turns_per_min`` is ``head_turns`` over this. None when there is none."""
    heel_raise_leg: float | None = None
    """Median over backward steps with a toe-off of the heel's height above the foot index on the toe-off frame
    (leg lengths; the push-off ``heel_drag`` judges); None with none."""
    heel_raise_steps: int = 0
    """Steps ``heel_raise_leg`` is the median of (count)."""

    def elbow_deg(self, side: str | None) -> Stats | None:
        """The elbow statistics of ``side`` ("left"/"right"; None for anything else)."""
        return {"left": self.elbow_left_deg, "right": self.elbow_right_deg}.get(side or "")


@dataclass(frozen=True)
class StepPicks:
    """Indices into the steps (time order) of the best and the worst step by fault score; None when no step
    qualifies (the worst is None when it would be the best)."""

    best: int | None = None
    worst: int | None = None
