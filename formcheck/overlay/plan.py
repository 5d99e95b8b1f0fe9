"""What the annotated video shows at each frame, read from the verdicts (the plan never judges).

Built after the judgement from the typed :class:`~formcheck.analysis.judge.Judgement` (steps, segments, verdicts,
per-frame angles, cleaned landmarks). Units: pixels of the input frame, seconds, degrees, steps/min.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.direction import athlete_seen, direction_per_frame
from formcheck.analysis.judge import Judgement
from formcheck.analysis.plausibility import frame_exclusions

#: Which rule colours which part of the skeleton.
PART_RULES: dict[str, str] = {"trunk": "upright_posture", "arms": "arm_angle", "legs": "forefoot_landing"}
#: Rules whose "not assessable" verdict is announced on the video.
NOTICE_RULES = ("upright_posture", "forefoot_landing", "short_steps", "arm_angle")
#: Live cadence is measured over this many most recent steps.
CADENCE_STEPS = 6
#: The notices go to the top of the frame (under the HUD) instead of the bottom when, on most frames the athlete is
#: seen, their lowest landmark is in this bottom share of the frame and their highest below this top share: a
#: walker near the bottom of a raised camera's picture (the OpenCV crowd clip) was hidden under the notices.
NOTICES_UP_BOTTOM_SHARE = 0.25
NOTICES_UP_TOP_SHARE = 0.45


def notices_at_top(xy: np.ndarray, height: int) -> bool:
    """Whether the notices are better at the top of a ``height`` px frame for an athlete with landmarks ``xy``
    ``[T, 33, 2]`` (px; NaN unseen): on most frames the athlete is seen, they stand in the bottom
    :data:`NOTICES_UP_BOTTOM_SHARE` of the frame and leave its top :data:`NOTICES_UP_TOP_SHARE` free. One choice
    per clip: notices that jump from frame to frame are not read."""
    y = xy[..., 1]
    seen = np.isfinite(y).any(axis=1)
    if not seen.any():
        return False
    with np.errstate(invalid="ignore"):
        low, high = np.nanmax(y[seen], axis=1), np.nanmin(y[seen], axis=1)
    up = (low > (1.0 - NOTICES_UP_BOTTOM_SHARE) * height) & (high > NOTICES_UP_TOP_SHARE * height)
    return bool(np.mean(up) > 0.5)


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
    ``part_verdict``: verdict per skeleton part (trunk, arms, legs); ``notices``: one line per not-assessable cue;
    ``excluded``: per frame, the reasons of what was excluded (empty when nothing; see ``frame_exclusions``);
    ``live_cadence``: whether the live cadence is shown (not where the clip's cadence was withheld: its contacts
    were found only here and there); ``max_step_s``: touchdowns this far apart or more (s) are a pause or contacts
    missed between them, never a step (``events.cadence_max_step_s``, as for the clip's cadence); ``notices_top``:
    the notices go at the top (under the HUD), off an athlete who stays near the bottom of the picture
    (:func:`notices_at_top`).
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
    excluded: tuple[tuple[str, ...], ...] = ()
    live_cadence: bool = True
    notices_top: bool = False
    max_step_s: float = math.inf

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
        """Live cadence at ``frame`` (steps/min) over the last few steps, counted since the last gap of
        ``max_step_s`` or more; None before there are three, ``max_step_s`` or more after the last (a pause), and
        when the live cadence is not shown. On the OpenCV crowd clip at 10 fps a walker's contacts, found only here
        and there, read 35-45 steps/min across the gaps."""
        if not self.live_cadence:
            return None
        past = [t.time_s for t in self.touchdowns if t.frame <= frame][-CADENCE_STEPS:]
        now = float(self.times_s[min(max(frame, 0), self.n_frames - 1)]) if self.n_frames else 0.0
        if not past or now - past[-1] >= self.max_step_s:
            return None
        k = len(past) - 1
        while k > 0 and past[k] - past[k - 1] < self.max_step_s:
            k -= 1
        past = past[k:]
        if len(past) < 3 or past[-1] <= past[0]:
            return None
        return 60.0 * (len(past) - 1) / (past[-1] - past[0])


def build_plan(j: Judgement, hold_s: float, max_step_s: float = math.inf) -> OverlayPlan:
    """The overlay plan of judgement ``j``. ``hold_s``: how long a touchdown marker stays on screen (s);
    ``max_step_s``: see :class:`OverlayPlan`."""
    pose = j.pose
    verdicts = {v.id: v for v in j.verdicts}
    # a contact whose timing cannot be true (``step_timing``) counts nowhere: no ring, no step, no live cadence
    steps = sorted((s for s in j.steps if s.excluded != "step_timing"), key=lambda s: s.contact_frame)
    touchdowns = tuple(
        Touchdown(foot=s.foot, frame=s.contact_frame, time_s=s.contact_s, strike=s.strike, number=k + 1)
        for k, s in enumerate(steps)
    )
    notices = tuple(
        f"{rid.replace('_', ' ')}: not assessable" + (f" ({verdicts[rid].message})" if verdicts[rid].message else "")
        for rid in NOTICE_RULES
        if rid in verdicts and verdicts[rid].verdict == "not_assessable"
    )
    return OverlayPlan(
        xy=np.asarray(pose.xy, dtype=np.float64),
        times_s=np.asarray(pose.times_s, dtype=np.float64),
        trunk_lean_deg=np.asarray(j.angles.trunk_lean, dtype=np.float64),
        elbow_left_deg=np.asarray(j.angles.elbow_left, dtype=np.float64),
        elbow_right_deg=np.asarray(j.angles.elbow_right, dtype=np.float64),
        direction=tuple(direction_per_frame(j.segments, pose.n_frames, athlete_seen(pose))),
        touchdowns=touchdowns,
        hold_frames=max(int(round(hold_s * pose.fps)), 1),
        part_verdict={
            part: verdicts[rule].verdict if rule in verdicts else "not_assessable" for part, rule in PART_RULES.items()
        },
        notices=notices,
        excluded=tuple(frame_exclusions(j.quality)),
        live_cadence=not (j.metrics.cadence_coverage is not None and j.metrics.cadence_spm is None),
        notices_top=notices_at_top(np.asarray(pose.xy, dtype=np.float64), pose.height),
        max_step_s=max_step_s,
    )
