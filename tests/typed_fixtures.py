"""Builders of typed judgements and report pages for the output tests, and of stick-figure landmarks for the pose
tests (hand-made values, no video, no model)."""

from __future__ import annotations

import numpy as np

from formcheck.analysis.judge import Judgement
from formcheck.analysis.types import Angles, CleanPose, Metrics, Quality, Segment, Stats, Step, StepPicks, View
from formcheck.pose.landmarks import LM
from formcheck.pose.sequence import PoseSequence
from formcheck.pose.store import PoseTracks
from formcheck.report.html import ReportPage
from formcheck.rules.verdict import Verdict
from formcheck.video.reader import VideoInfo


def stick_person(cx: float, cy: float, torso: float) -> np.ndarray:
    """A stick person ``[33, 4]`` (px) centred at (cx, cy): shoulders and hips half a torso above and below, every
    other landmark on a column through the centre spanning 3 torso lengths (so its extent is 3 torso lengths)."""
    lm = np.ones((33, 4), dtype=np.float32)
    lm[:, 0] = cx
    lm[:, 1] = np.linspace(cy - 1.5 * torso, cy + 1.5 * torso, 33)
    lm[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER], 1] = cy - torso / 2
    lm[[LM.LEFT_HIP, LM.RIGHT_HIP], 1] = cy + torso / 2
    return lm


def metrics(**changes) -> Metrics:
    """Plausible metrics of a good backward runner, with ``changes`` applied."""
    base = dict(
        backward_s=20.0,
        backward_frames=600,
        leg_length_px=150.0,
        camera_static=False,
        cadence_spm=171.4,
        steps_backward=40,
        trunk_lean_deg=Stats(median=6.1, p10=3.2, p90=9.0, n=600),
        trunk_sway_deg=5.8,
        trunk_sway_stride_deg=5.1,
        elbow_left_deg=Stats(median=95.0, p10=80.0, p90=110.0, n=600),
        elbow_right_deg=Stats(median=100.0, p10=85.0, p90=115.0, n=600),
        near_side="left",
        contact_time_s=0.25,
        step_length_leg=0.6,
        landing_distance_leg=0.2,
        heel_strike_share=0.0,
        strikes_classified=40,
        heel_lift_leg=0.15,
        heel_lift_steps=40,
        step_time_asymmetry_pct=2.0,
        head_turns=8,
        head_turns_per_min=24.0,
        head_turned_share=0.2,
        head_watched_s=20.0,
        heel_raise_leg=0.1,
        heel_raise_steps=40,
        fatigue_lean_change_deg=1.0,
        fatigue_uncertainty_deg=0.3,
    )
    base.update(changes)
    return Metrics(**base)  # type: ignore[arg-type]


def verdict(rid: str, v: str, **changes) -> Verdict:
    """A verdict of rule ``rid`` with bands -3..12 / -8..20 deg."""
    na = v == "not_assessable"
    base = dict(
        id=rid,
        verdict=v,
        score=None if na else {"ok": 92, "warn": 66, "fail": 21}[v],
        value=None if na else 7.5,
        unit="deg",
        target="-3 to 12 deg",
        message="the head is not visible" if na else f"{rid} measured 7.5 deg",
        tip=f"Tip for {rid}.",
        evidence_frames=(10, 20),
        ok_band=(-3.0, 12.0),
        warn_band=(-8.0, 20.0),
    )
    base.update(changes)
    return Verdict(**base)  # type: ignore[arg-type]


def step(frame: int, time_s: float, **changes) -> Step:
    base = dict(
        foot="left",
        contact_frame=frame,
        contact_s=time_s,
        toe_off_frame=frame + 10,
        strike="forefoot",
        foot_angle_deg=12.0,
        step_length_leg=0.6,
        landing_distance_leg=0.2,
        direction="backward",
    )
    base.update(changes)
    return Step(**base)  # type: ignore[arg-type]


def clean_pose(xy: np.ndarray, fps: float, width: int = 640, height: int = 480) -> CleanPose:
    """A cleaned pose of landmarks ``xy [T, 33, 2]`` (px), every landmark sure, every frame detected."""
    n = xy.shape[0]
    return CleanPose(
        xy=xy,
        conf=np.ones((n, 33)),
        world=np.zeros((n, 33, 3)),
        times_s=np.arange(n) / fps,
        detected=np.ones(n, bool),
        fps=fps,
        width=width,
        height=height,
    )


def judgement(
    n: int,
    fps: float,
    *,
    steps: tuple[Step, ...] = (),
    verdicts: tuple[Verdict, ...] = (),
    tips: tuple[str, ...] = (),
    lean: np.ndarray | None = None,
    elbow_left: np.ndarray | None = None,
    elbow_right: np.ndarray | None = None,
    xy: np.ndarray | None = None,
    segments: tuple[Segment, ...] | None = None,
    picks: StepPicks = StepPicks(),
    view: View = View(kind="side", side="left"),
    m: Metrics | None = None,
) -> Judgement:
    """A judgement of ``n`` frames at ``fps`` from the given pieces (NaN angles where none are given)."""
    nan = np.full(n, np.nan)
    pose = clean_pose(np.zeros((n, 33, 2)) if xy is None else xy, fps)
    angles = Angles(
        trunk_lean=nan if lean is None else lean,
        elbow_left=nan if elbow_left is None else elbow_left,
        elbow_right=nan if elbow_right is None else elbow_right,
        foot_left=nan,
        foot_right=nan,
    )
    if segments is None:
        segments = (Segment(0, n, 0.0, n / fps, "backward", 1),) if n else ()
    return Judgement(
        pose=pose,
        angles=angles,
        facing_x=np.ones(n),
        view=view,
        segments=segments,
        steps=steps,
        metrics=m or metrics(),
        verdicts=verdicts,
        tips=tips,
        picks=picks,
        quality=Quality(*(np.zeros(n, np.int8) for _ in range(5))),
    )


def page(
    j: Judgement,
    path: str = "clips/run.mp4",
    thumbnails: dict[str, bytes] | None = None,
    athlete: str | None = None,
    forefoot_min_deg: float = 8.5,
    heel_max_deg: float = 7.5,
) -> ReportPage:
    """The report page of judgement ``j`` for a 1920x1080 video at ``path``."""
    n = j.pose.n_frames
    info = VideoInfo(
        path=path,
        width=1920,
        height=1080,
        rotation_deg=0,
        fps=j.pose.fps,
        frames=n,
        duration_s=n / j.pose.fps,
        codec="h264",
        container="mp4",
    )
    seq = PoseSequence(
        image=np.zeros((n, 33, 4), np.float32),
        world=np.zeros((n, 33, 4), np.float32),
        timestamps_s=j.pose.times_s,
        detected=np.ones(n, bool),
        fps=j.pose.fps,
        width=1920,
        height=1080,
        source=path,
        model="full",
    )
    return ReportPage(
        video=info,
        seq=seq,
        judgement=j,
        forefoot_min_deg=forefoot_min_deg,
        heel_max_deg=heel_max_deg,
        thumbnails=thumbnails,
        athlete=athlete,
    )


def pose_tracks(image: np.ndarray, fps: float = 30.0, **fields) -> PoseTracks:
    """PoseTracks of the candidates ``image [P, T, 33, 4]`` at ``fps``: world = image / 100 and motion scores
    P..1 unless ``fields`` give them (or any other field); a 1600x900 clip "clip.mp4", model full."""
    p, n = image.shape[:2]
    base = dict(
        world=image * 0.01,
        scores=np.arange(p, 0, -1, dtype=float),
        width=1600,
        height=900,
        source="clip.mp4",
        model="full",
        rotation_deg=0,
        fingerprint="x",
    )
    return PoseTracks(**{**base, **fields}, image=image, timestamps_s=np.arange(n) / fps, fps=fps)
