"""``judge``: PoseSequence -> CleanPose -> view, segments, angles -> steps -> metrics -> rule verdicts -> tips."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcheck.analysis.angles import compute_angles
from formcheck.analysis.clean import Cleaner
from formcheck.analysis.direction import DirectionSegmenter
from formcheck.analysis.events import leg_length_px
from formcheck.analysis.foot_pixels import FrameSource
from formcheck.analysis.locomotion import on_the_spot
from formcheck.analysis.metrics import compute_metrics, head_turned, metric_counts
from formcheck.analysis.plausibility import landmark_reasons, screen_angles, screen_steps
from formcheck.analysis.runs import true_runs
from formcheck.analysis.step_score import pick_steps
from formcheck.analysis.steps import detect_steps
from formcheck.analysis.types import (
    Angles,
    CleanPose,
    Metrics,
    Quality,
    Segment,
    Step,
    StepPicks,
    StrikeNote,
    View,
)
from formcheck.analysis.view import ViewClassifier, facing_x_image
from formcheck.config import Config
from formcheck.pose.athlete import gait_periodicity, median_torso_px
from formcheck.pose.sequence import PoseSequence
from formcheck.rules.registry import RuleContext, judge_rules, tips_of
from formcheck.rules.verdict import Verdict


@dataclass(frozen=True)
class Judgement:
    """Everything judged about one runner: cleaned pose, per-frame angles and facing, view, segments, steps (time
    order), metrics, verdicts (rule order), tips (most important first), the best and worst step and why
    measurements were excluded (``quality``; the angles are already screened: excluded values are NaN)."""

    pose: CleanPose
    angles: Angles
    facing_x: np.ndarray
    view: View
    segments: tuple[Segment, ...]
    steps: tuple[Step, ...]
    metrics: Metrics
    verdicts: tuple[Verdict, ...]
    tips: tuple[str, ...]
    picks: StepPicks
    quality: Quality


def _facing_per_frame(pose: CleanPose, segments: tuple[Segment, ...]) -> np.ndarray:
    """+1/-1 per frame from the segment's facing (robust to head turns and single noisy frames); NaN (unknown)
    where the segment has none (its feet's votes disagree: :func:`formcheck.analysis.view.segment_facing`), and the
    per-frame estimate outside every segment."""
    out = facing_x_image(pose).copy()
    for s in segments:
        out[s.start_frame : s.end_frame] = s.facing_x if s.facing_x else np.nan
    return out


def followed_lean_offset_deg(seq: PoseSequence, config: Config) -> float:
    """What is added to the trunk lean (deg): ``cleaning.followed_lean_offset_deg`` for landmarks of the full model
    followed with one pose (the tilt its follow crops give, measured for that model), else 0 (other models,
    the detector on every frame, landmarks not from MediaPipe)."""
    followed = seq.model == "full" and config.pose.follow_num_poses == 1
    return config.cleaning.followed_lean_offset_deg if followed else 0.0


def judge(seq: PoseSequence, config: Config, frames: FrameSource | None = None) -> Judgement:
    """Judge one runner's pose sequence. Never raises on short, empty or NaN-laden input: what cannot be
    measured becomes None / NaN and the rules say ``not_assessable``. ``frames`` (the video's pictures at given
    times) lets the strike classes check that the pixels show the feet (analysis/foot_pixels.py)."""
    c = config
    frame_reasons = landmark_reasons(seq, c.plausibility)
    pose = Cleaner(c.cleaning).clean(seq, exclude=frame_reasons != 0)
    view = ViewClassifier(c.view).classify(pose)
    segments = DirectionSegmenter(c.direction, c.view).segment(
        pose, depth_view=view.kind in ("front", "back"), view_kind=view.kind
    )
    facing = _facing_per_frame(pose, segments)
    angles, quality = screen_angles(
        pose,
        compute_angles(pose, facing, followed_lean_offset_deg(seq, c)),
        frame_reasons,
        view,
        pose.fps,
        c.plausibility,
        c.view.front_min_ratio,
        facing,
    )
    leg = leg_length_px(pose, c.events.leg_percentile)
    steps, static, heights = detect_steps(pose, angles, segments, view, leg, c.events, c.strike, frames)
    gait, stride = gait_periodicity(seq.image, seq.fps, median_torso_px(seq.image), c.athlete)
    steps = screen_steps(steps, c.plausibility, stride if gait >= c.plausibility.min_gait else None)
    segments, steps = on_the_spot(
        segments,
        steps,
        pose,
        view,
        c.direction.min_locomotion_steps,
        c.events.cadence_max_step_s,
        c.strike.min_foot_px,
        background_px=seq.background_px,
        min_travel_torso=c.direction.min_travel_torso,
        travel_window=max(int(round(c.athlete.travel_window_s * pose.fps)), 1),
        depth_travel_log=c.direction.depth_travel_log,
    )
    note: StrikeNote | None = None
    if seq.model and seq.model not in c.events.strike_models:
        # this model's foot landmarks cannot tell a heel landing from a forefoot one: unknown, never a guess
        note = StrikeNote.of_model(seq.model, c.events.strike_models[0])
    elif pose.fps < c.strike.min_fps:
        note = StrikeNote.of_frame_rate(pose.fps, c.strike.min_fps)  # too few frames to see a landing happen
    if note is not None:
        steps = tuple(replace(s, strike=None, strike_confidence=None) for s in steps)
    turned = head_turned(pose, facing, c.events)
    metrics = replace(
        compute_metrics(
            pose, angles, segments, view, steps, heights, turned, leg, static, c.events, np.isfinite(facing)
        ),
        strike_note=note,
        counts=metric_counts(pose, angles, quality, segments, steps),
    )
    evidence = _evidence(steps, turned, angles, segments, c.rules.evidence_frames_max)
    ctx = RuleContext(view=view.kind, backward=any(s.direction == "backward" for s in segments), evidence=evidence)
    verdicts = tuple(judge_rules(metrics, ctx, c.rules))
    return Judgement(
        pose=pose,
        angles=angles,
        facing_x=facing,
        view=view,
        segments=segments,
        steps=steps,
        metrics=metrics,
        verdicts=verdicts,
        tips=tuple(tips_of(list(verdicts))),
        picks=pick_steps(steps, c, view.kind),
        quality=quality,
    )


def _evidence(
    steps: tuple[Step, ...], turned: np.ndarray, angles: Angles, segments: tuple[Segment, ...], n_extreme: int
) -> dict[str, tuple[int, ...]]:
    """Frames each rule cites: contact frames for step rules, head-turn starts, extreme-lean frames."""
    back = [s for s in steps if s.direction == "backward"]
    contacts = tuple(s.contact_frame for s in back)
    heel = tuple(s.contact_frame for s in back if s.strike == "heel") or contacts
    offs = tuple(s.toe_off_frame for s in back if s.toe_off_frame is not None)
    starts = tuple(s for s, _ in true_runs(turned))
    lean = angles.trunk_lean.copy()
    mask = np.zeros(lean.size, dtype=bool)
    for s in segments:
        if s.direction == "backward":
            mask[s.start_frame : s.end_frame] = True
    lean[~mask] = np.nan
    extreme: tuple[int, ...] = ()
    if np.isfinite(lean).any():
        order = np.argsort(-np.abs(np.nan_to_num(lean - np.nanmedian(lean), nan=0.0)))
        extreme = tuple(sorted(int(i) for i in order[:n_extreme]))
    return {
        "upright_posture": extreme,
        "trunk_stability": extreme,
        "fatigue": extreme,
        "short_steps": contacts,
        "forefoot_landing": heel,
        "heel_drag": offs,
        "symmetry": contacts,
        "arm_angle": extreme,
        "look_over_shoulder": starts,
    }
