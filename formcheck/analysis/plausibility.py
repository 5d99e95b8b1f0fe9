"""Plausibility: measurements a human body or a runner's step cannot produce are excluded and counted, never
averaged in (ARCHITECTURE "Trust travels with the data").

Three screens, each a small pure function returning reason codes (0 = kept, else an index into :data:`REASONS`):

- :func:`landmark_reasons`, on the raw landmarks of each frame: limb bones far longer than the torso
  (``proportions``), a torso that shrinks or grows by half within a second (``size_jump``), hips that jump across
  the image faster than a sprinter (``jump``). Such a frame is another person or a collapsed detection: the cleaner
  treats it as missing and no measurement comes from it.
- :func:`screen_angles`, on the per-frame angles: a trunk lean no runner holds or that changes faster than a trunk
  can (``trunk``); a foot pointing backward past vertical or folded onto the shank (``foot_angle``,
  ``ankle_angle``). Only that angle is excluded. In a side or oblique view, a frame where the runner's front or back
  is turned to the camera (``end_on``) gives no trunk lean and no elbow angle: the lean and the arm swing lie along
  the camera axis there, and the image shows a sideways tilt and a foreshortened arm instead. A frame where it is
  not known which way the runner faces (``facing``: the feet do not tell it) gives no trunk lean and no head turn,
  whose signs depend on it. Neither is implausible, they are unseen; they are counted apart.
- :func:`screen_steps`, on the steps: contacts closer than any step, or far closer than the track's own stride
  implies (``step_timing``: the step is excluded), a foot angle at contact outside what landings show
  (``contact_foot_angle``: no strike is classed from it).

Thresholds: ``[plausibility]`` of the config, each with its unit and reason.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.ndimage import median_filter

from formcheck.analysis.angles import interior_angle
from formcheck.analysis.types import Angles, CleanPose, Quality, Step, View
from formcheck.analysis.view import width_ratio
from formcheck.config import PlausibilityConfig
from formcheck.pose.landmarks import LM, shoulder_and_hip_midpoints
from formcheck.pose.sequence import PoseSequence

#: Reason names by code (code 0: kept).
REASONS: tuple[str, ...] = (
    "",
    "proportions",
    "size_jump",
    "jump",
    "trunk",
    "foot_angle",
    "ankle_angle",
    "step_timing",
    "contact_foot_angle",
    "end_on",
    "facing",
)
CODE = {name: i for i, name in enumerate(REASONS) if name}

#: Limb bones checked against the torso: (from, to) landmark names without the side.
BONES = (("HIP", "KNEE"), ("KNEE", "ANKLE"), ("SHOULDER", "ELBOW"), ("ELBOW", "WRIST"), ("HEEL", "FOOT_INDEX"))


def _torso(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(torso length px [T], hip midpoint px [T, 2])."""
    shoulders, hips = shoulder_and_hip_midpoints(xy)
    return np.linalg.norm(shoulders - hips, axis=-1), hips


def _running_median(x: np.ndarray, window: int) -> np.ndarray:
    """Median of the finite values of ``x`` over a centred window of ``window`` frames (NaN where none)."""
    ok = np.isfinite(x)
    if not ok.any():
        return np.full_like(x, np.nan)
    filled = np.interp(np.arange(x.size), np.flatnonzero(ok), x[ok])
    return median_filter(filled, size=max(window | 1, 3), mode="nearest")


def landmark_reasons(seq: PoseSequence, cfg: PlausibilityConfig) -> np.ndarray:
    """int8[T]: why each frame's landmark set is implausible (0 = kept; undetected frames are kept: they carry no
    landmarks)."""
    xy = np.asarray(seq.image[:, :, :2], dtype=np.float64)
    out = np.zeros(seq.n_frames, dtype=np.int8)
    if seq.n_frames == 0:
        return out
    torso, hip = _torso(xy)
    with np.errstate(invalid="ignore", divide="ignore"):
        longest = np.zeros(seq.n_frames)
        for side in ("LEFT", "RIGHT"):
            for a, b in BONES:
                bone = np.linalg.norm(xy[:, LM[f"{side}_{a}"]] - xy[:, LM[f"{side}_{b}"]], axis=1)
                longest = np.fmax(longest, bone / torso)
        size = torso / _running_median(torso, int(round(cfg.torso_window_s * seq.fps)))
        speed = np.zeros(seq.n_frames)
        if seq.n_frames >= 2:
            step = np.linalg.norm(np.diff(hip, axis=0), axis=1) / np.fmin(torso[1:], torso[:-1]) * seq.fps
            speed[1:] = np.nan_to_num(step, nan=0.0)
    lo, hi = cfg.torso_range
    out[speed > cfg.max_hip_speed_torso_s] = CODE["jump"]
    out[(size < lo) | (size > hi)] = CODE["size_jump"]
    out[longest > cfg.max_bone_torso] = CODE["proportions"]
    return out


def frame_exclusions(q: Quality) -> list[tuple[str, ...]]:
    """Per frame, what was excluded (empty when nothing): the whole frame's reason, else the excluded angles'
    reasons, e.g. ("trunk",) or ("end_on", "foot_angle_left")."""
    out: list[tuple[str, ...]] = []
    for i in range(q.frame.size):
        if q.frame[i]:
            out.append((REASONS[int(q.frame[i])],))
            continue
        parts = [REASONS[int(q.trunk[i])]] if q.trunk[i] else []  # ``arms`` is end_on where ``trunk`` is
        parts += [
            f"{REASONS[int(r[i])]}_{side}" for side, r in (("left", q.foot_left), ("right", q.foot_right)) if r[i]
        ]
        out.append(tuple(parts))
    return out


def frame_notes(q: Quality) -> list[str]:
    """Per frame, what was excluded as words for frames.csv ("" when nothing): :func:`frame_exclusions` joined by
    "+", e.g. "trunk" or "end_on+foot_angle_left"."""
    return ["+".join(parts) for parts in frame_exclusions(q)]


def _outside(x: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.isfinite(x) & ((x < bounds[0]) | (x > bounds[1]))


def _trunk_reasons(lean: np.ndarray, fps: float, cfg: PlausibilityConfig) -> np.ndarray:
    bad = _outside(lean, cfg.trunk_range_deg)
    if lean.size >= 2:
        with np.errstate(invalid="ignore"):
            fast = np.abs(np.diff(lean)) * fps > cfg.max_trunk_speed_deg_s
        bad[1:] |= fast  # both frames of a flip: which side of it is wrong is unknown
        bad[:-1] |= fast
    return np.where(bad, CODE["trunk"], 0).astype(np.int8)


def _foot_reasons(pose: CleanPose, foot_angle: np.ndarray, side: str, cfg: PlausibilityConfig) -> np.ndarray:
    xy = pose.xy
    heel, toe = xy[:, LM[f"{side}_HEEL"]], xy[:, LM[f"{side}_FOOT_INDEX"]]
    ankle = xy[:, LM[f"{side}_ANKLE"]]
    shank_foot = interior_angle(xy[:, LM[f"{side}_KNEE"]], ankle, ankle + (toe - heel))
    out = np.zeros(foot_angle.size, dtype=np.int8)
    out[_outside(shank_foot, cfg.ankle_range_deg)] = CODE["ankle_angle"]
    out[_outside(foot_angle, cfg.foot_range_deg)] = CODE["foot_angle"]
    return out


def screen_angles(
    pose: CleanPose,
    angles: Angles,
    frame: np.ndarray,
    view: View,
    fps: float,
    cfg: PlausibilityConfig,
    end_on_ratio: float,
    facing_x: np.ndarray | None = None,
) -> tuple[Angles, Quality]:
    """The angles with every implausible or unseen value set to NaN, and why each was excluded. ``frame``: the
    landmark reasons (:func:`landmark_reasons`); a front or back view shows no foot angle, so none is measured
    there. ``end_on_ratio``: in a side or oblique view, frames whose width ratio (:func:`width_ratio`) is at or
    above it have the front or back turned to the camera (``end_on``: no trunk lean, no elbow angle).
    ``facing_x``: the facing per frame the angles were measured with (+1, -1, NaN unknown: ``facing``, no trunk
    lean and no head turn; None: known everywhere)."""
    bad_frame = frame != 0
    side_view = view.kind in ("side", "oblique")
    with np.errstate(invalid="ignore"):
        end_on = side_view & (width_ratio(pose) >= end_on_ratio)
    unknown = ~np.isfinite(facing_x) if facing_x is not None else np.zeros(frame.size, dtype=bool)
    trunk = np.where(
        bad_frame,
        0,
        np.where(
            end_on,
            CODE["end_on"],
            np.where(unknown, CODE["facing"], _trunk_reasons(angles.trunk_lean, fps, cfg)),
        ),
    ).astype(np.int8)
    head = np.where(~bad_frame & unknown, CODE["facing"], 0).astype(np.int8)
    arms = np.where(~bad_frame & end_on, CODE["end_on"], 0).astype(np.int8)
    feet = {}
    for side, fa in (("LEFT", angles.foot_left), ("RIGHT", angles.foot_right)):
        feet[side] = np.where(bad_frame, 0, _foot_reasons(pose, fa, side, cfg)).astype(np.int8)

    def keep(x: np.ndarray, *reasons: np.ndarray) -> np.ndarray:
        drop = bad_frame.copy()
        for r in reasons:
            drop |= r != 0
        return np.where(drop, np.nan, x)

    no_feet = np.zeros(pose.n_frames, dtype=bool) if side_view else np.ones(pose.n_frames, dtype=bool)
    screened = Angles(
        trunk_lean=keep(angles.trunk_lean, trunk),
        elbow_left=keep(angles.elbow_left, arms),
        elbow_right=keep(angles.elbow_right, arms),
        foot_left=np.where(no_feet, np.nan, keep(angles.foot_left, feet["LEFT"])),
        foot_right=np.where(no_feet, np.nan, keep(angles.foot_right, feet["RIGHT"])),
    )
    return screened, Quality(
        frame=frame, trunk=trunk, foot_left=feet["LEFT"], foot_right=feet["RIGHT"], arms=arms, head=head
    )


def screen_steps(steps: tuple[Step, ...], cfg: PlausibilityConfig, stride_s: float | None = None) -> tuple[Step, ...]:
    """The steps with ``excluded`` set where they cannot be true: a contact closer than ``min_step_s`` to the
    previous kept one, or closer than ``min_stride_s`` to the previous kept contact of the same foot
    (``step_timing``: the step is not used); or a foot angle at contact outside ``contact_foot_range_deg`` (its
    angle and strike are dropped; the step's timing still counts). ``stride_s``: the track's own stride period
    (s, from the periodicity of its feet, :func:`formcheck.pose.athlete.gait_periodicity`); with it, a step also
    needs ``stride_share`` of the step time it implies (half the stride), and a stride ``stride_share`` of it.
    Stance times are not judged: toe-off frames of small figures are too uncertain (a 70 px runner's real contacts
    read toe-offs a frame later)."""
    out: list[Step] = []
    last: float | None = None
    last_foot: dict[str, float] = {}
    lo, hi = cfg.contact_foot_range_deg
    min_step, min_stride = cfg.min_step_s, cfg.min_stride_s
    if stride_s is not None and stride_s > 0:
        min_step = max(min_step, cfg.stride_share * stride_s / 2.0)
        min_stride = max(min_stride, cfg.stride_share * stride_s)
    for s in steps:
        too_soon = last is not None and s.contact_s - last < min_step
        same_foot = s.foot in last_foot and s.contact_s - last_foot[s.foot] < min_stride
        if too_soon or same_foot:
            out.append(replace(s, excluded="step_timing"))
            continue
        last = last_foot[s.foot] = s.contact_s
        if s.foot_angle_deg is not None and not lo <= s.foot_angle_deg <= hi:
            s = replace(s, foot_angle_deg=None, strike=None, excluded="contact_foot_angle")
        out.append(s)
    return tuple(out)
