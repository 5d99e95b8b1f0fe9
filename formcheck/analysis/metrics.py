"""Steps and metrics from cleaned landmarks, angles, segments and events.

Lengths are in leg lengths (hip to ankle, median over the clip, px); times in s; angles in degrees. Form metrics
use backward-running frames and steps only (the product judges backward running).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from formcheck.analysis.events import FEET, ContactDetector
from formcheck.analysis.foot_pixels import FrameSource, foot_structure
from formcheck.analysis.runs import true_runs
from formcheck.analysis.strike import stance_masks, strike_of
from formcheck.analysis.types import Angles, CleanPose, Segment, Step, View
from formcheck.config import EventsConfig, StrikeConfig
from formcheck.pose.landmarks import LM


def pelvis_x(pose: CleanPose) -> np.ndarray:
    """Hip-midpoint image x per frame (px)."""
    return (pose.xy[:, LM.LEFT_HIP, 0] + pose.xy[:, LM.RIGHT_HIP, 0]) / 2.0


def foot_x(pose: CleanPose, foot: str) -> np.ndarray:
    """Mean image x of heel and foot index per frame (px)."""
    heel, toe = FEET[foot]
    return (pose.xy[:, heel, 0] + pose.xy[:, toe, 0]) / 2.0


def camera_is_static(pose: CleanPose, heights: dict[str, np.ndarray], contact_leg: float) -> bool:
    """True when the pelvis moves across the image faster than a foot standing on the ground: a static camera
    sees the runner travel; a following (panning) camera sees the ground, and so the stance foot, move."""
    pel = np.abs(np.gradient(pelvis_x(pose))) if pose.n_frames >= 2 else np.zeros(pose.n_frames)
    stance_v = []
    for foot, h in heights.items():
        fx = foot_x(pose, foot)
        if fx.size < 2:
            continue
        v = np.abs(np.gradient(fx))
        on = np.isfinite(h) & (h <= 2 * contact_leg) & np.isfinite(v)
        stance_v.append(v[on])
    sv = np.concatenate(stance_v) if stance_v else np.zeros(0)
    pv = pel[np.isfinite(pel)]
    if sv.size < 3 or pv.size < 3:
        return False
    return bool(np.median(pv) > np.median(sv))


def contact_point_x(pose: CleanPose, foot: str, frame: int, angle: float | None, cfg: EventsConfig) -> float | None:
    """Image x (px) of the part of the foot that touched the ground first (FIELD_NOTES landing distance: pelvis to
    contact point at initial contact), chosen by the foot angle at contact like the strike class: heel-first ->
    the heel; toe-first -> the ball of the foot, ``ball_of_foot`` of the way from heel to foot index (MediaPipe's
    foot index is the toe tip, ahead of where a forefoot landing touches); between or unknown -> mid-foot."""
    heel, toe = FEET[foot]
    h, t = pose.xy[frame, heel], pose.xy[frame, toe]
    if not (np.all(np.isfinite(h)) and np.all(np.isfinite(t))):
        return None
    if angle is not None and angle < cfg.heel_max_deg:
        share = 0.0
    elif angle is not None and angle > cfg.forefoot_min_deg:
        share = cfg.ball_of_foot
    else:
        share = 0.5
    return float(h[0] + share * (t[0] - h[0]))


def classify_strike(
    pose: CleanPose, angle: float | None, foot: str, view: View, frame: int, cfg: EventsConfig
) -> str | None:
    """Strike class of one contact from the raw foot angle at initial contact (deg, + toe lower): forefoot above
    ``forefoot_min_deg``, heel below ``heel_max_deg``, midfoot between. Side views only. The far foot (the side
    away from the camera) is unknown (None) when its heel / foot index are poorly visible around contact or its
    angle is within ``far_strike_margin_deg`` of a bound; any foot is unknown when it is shorter than
    ``strike_min_foot_px`` in the image (median over the clip). A null strike is "not known", never a guess."""
    if angle is None or view.kind != "side":
        return None
    heel, toe = FEET[foot]
    # the foot's size in the image: its median heel -> foot index length over the clip (a single frame can show
    # the swinging far foot foreshortened or its landmarks collapsed)
    lengths = np.linalg.norm(pose.xy[:, toe] - pose.xy[:, heel], axis=1)
    lengths = lengths[np.isfinite(lengths)]
    if not lengths.size or float(np.median(lengths)) < cfg.strike_min_foot_px:
        return None
    lo, hi = cfg.heel_max_deg, cfg.forefoot_min_deg
    if view.side is not None and foot != view.side:
        k = max(int(round(0.05 * pose.fps)), 1)
        vis = pose.conf[max(frame - k, 0) : frame + k + 1][:, [heel, toe]]
        if vis.size == 0 or float(np.mean(vis)) < cfg.far_foot_min_visibility:
            return None
        m = cfg.far_strike_margin_deg
        if lo - m <= angle <= hi + m:  # midfoot or near a bound: not known for the far foot
            return None
    return "forefoot" if angle > hi else "heel" if angle < lo else "midfoot"


def camera_pan_px(pose: CleanPose, contacts: list[tuple[int, str, int, int]], cfg: EventsConfig) -> np.ndarray:
    """Per frame, how far (px, image x) the ground has moved in the image since frame 0: zero for a static camera,
    the pan of a following camera. A foot in stance stands still on the ground, so the image velocity of its lower
    point (heel or foot index: the one on the ground as the foot rolls) is the ground's; frames with no foot in stance
    (the short flight phase) take the velocity interpolated from their neighbours. NaN-free when any stance frame
    is seen, else all NaN."""
    t = pose.n_frames
    vel = np.full((2, t), np.nan)
    for k, foot in enumerate(("left", "right")):
        heel, toe = FEET[foot]
        vh = np.gradient(pose.xy[:, heel, 0]) if t >= 2 else np.zeros(t)
        vt = np.gradient(pose.xy[:, toe, 0]) if t >= 2 else np.zeros(t)
        v = np.where(pose.xy[:, heel, 1] > pose.xy[:, toe, 1], vh, vt)  # the lower point is the one on the ground
        for c, f, off, _ in contacts:
            if f != foot:
                continue
            end = off if off > c else min(c + max(int(round(0.15 * pose.fps)), 2), t - 1)
            # skip the landing frame (the foot is still settling) and the toe-off frame (the toe starts to slide)
            vel[k, c + 1 : end] = v[c + 1 : end]
    n = np.sum(np.isfinite(vel), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ground_v = np.where(n > 0, np.nansum(vel, axis=0) / np.maximum(n, 1), np.nan)
    ok = np.isfinite(ground_v)
    if not ok.any():
        return np.full(t, np.nan)
    idx = np.arange(t)
    ground_v = np.interp(idx, idx[ok], ground_v[ok])
    return np.concatenate([[0.0], np.cumsum((ground_v[1:] + ground_v[:-1]) / 2.0)])


def segment_at(segments: tuple[Segment, ...], frame: int) -> Segment | None:
    """The segment containing ``frame`` (None outside every segment)."""
    for s in segments:
        if s.start_frame <= frame < s.end_frame:
            return s
    return None


def detect_steps(
    pose: CleanPose,
    angles: Angles,
    segments: tuple[Segment, ...],
    view: View,
    leg_px: float | None,
    cfg: EventsConfig,
    strike_cfg: StrikeConfig,
    frames: FrameSource | None = None,
) -> tuple[tuple[Step, ...], bool, dict[str, np.ndarray]]:
    """All steps (time order), whether the camera is static, and each foot's height above ground (leg lengths).
    ``frames`` (the video's pictures at given times) lets the strike check that the pixels show the feet."""
    if leg_px is None or pose.n_frames < 3:
        return (), False, {}
    det = ContactDetector(
        contact_leg=cfg.contact_leg,
        airborne_leg=cfg.airborne_leg,
        toe_off_leg=cfg.toe_off_leg,
        min_stride_s=cfg.min_stride_s,
        ground_window_s=cfg.ground_window_s,
        refine_s=cfg.refine_s,
        settle_leg=cfg.settle_leg,
    )
    raw: list[tuple[int, str, int, int]] = []
    impact: dict[tuple[int, str], float] = {}
    heights = {}
    for foot in ("left", "right"):
        det.detect(pose, foot, leg_px)  # type: ignore[arg-type]
        heights[foot] = det.height_
        raw += [(int(c), foot, int(o), int(d)) for c, o, d in zip(det.contacts_, det.toe_offs_, det.down_, strict=True)]
        impact.update({(int(c), foot): float(x) for c, x in zip(det.contacts_, det.impact_, strict=True)})
    raw.sort()
    static = camera_is_static(pose, heights, cfg.contact_leg)
    pel = pelvis_x(pose)
    pan = np.zeros(pose.n_frames) if static else camera_pan_px(pose, raw, cfg)
    stance = stance_masks(raw, pose.n_frames)
    structure = foot_structure(pose, [(c, f) for c, f, _, _ in raw], frames, strike_cfg) if frames else {}
    steps: list[Step] = []
    prev: tuple[int, str, float | None, str] | None = None
    for c, foot, off, down in raw:
        seg = segment_at(segments, c)
        direction = seg.direction if seg else "standing"
        facing = seg.facing_x if seg else 0
        travel = -facing if direction == "backward" else facing
        fa = getattr(angles, f"foot_{foot}")
        # foot angle at contact: the median from the impact frame to the frame the foot is down (1-3 frames): late
        # swing reads wildly (the fast foot blurs), and once flat the foot reads about +10 whatever the strike
        win = fa[c : max(down, c) + 1]
        win = win[np.isfinite(win)]
        angle = float(np.median(win)) if win.size else None
        strike, confidence = strike_of(
            pose,
            fa,
            foot,
            c,
            down,
            leg_px,
            stance[foot],
            view,
            strike_cfg,
            structure.get(foot),  # type: ignore[arg-type]
        )
        land = None
        point = contact_point_x(pose, foot, c, angle, cfg)
        if travel and point is not None and np.isfinite(pel[c]):
            land = float((point - pel[c]) * travel / leg_px)
        # where the foot landed, in ground coordinates (image x minus the pan) carried to the foot's toe-off: the
        # foot index stays put on the ground until toe-off, so the landing point is the foot index at toe-off plus
        # the landing point's offset from the foot index at landing; between the previous foot's toe-off and this
        # landing only the short flight needs the pan estimate (integrating it over a whole stance drifts)
        ground = point if static else None  # a static camera sees the ground still: image x is ground x
        toe = FEET[foot][1]
        if not static and point is not None and np.isfinite(pose.xy[down, toe, 0]):
            ref = off if off > down and np.isfinite(pose.xy[off, toe, 0]) else down
            ground = float(pose.xy[ref, toe, 0] - pan[ref] + (point - pose.xy[down, toe, 0]))
        land_ref = pan[c]
        length = None
        if (
            prev is not None
            and prev[1] != foot
            and prev[3] == direction
            and direction != "standing"
            and (c - prev[0]) / pose.fps < cfg.max_step_s
        ):
            if ground is not None and prev[2] is not None:
                here = point - land_ref if point is not None else ground
                length = float(abs(here - prev[2]) / leg_px)
        # contact time: the sub-frame impact (step times and symmetry need better than one frame at 30 fps)
        t_c = float(np.interp(impact.get((c, foot), float(c)), np.arange(pose.n_frames), pose.times_s))
        steps.append(
            Step(
                foot=foot,
                contact_frame=c,
                contact_s=t_c,  # type: ignore[arg-type]
                toe_off_frame=off if off >= 0 else None,
                strike=strike,
                strike_confidence=confidence,
                foot_angle_deg=angle,  # type: ignore[arg-type]
                step_length_leg=length,
                landing_distance_leg=land,
                direction=direction,  # type: ignore[arg-type]
                strike_index_deg=None,
            )
        )
        prev = (c, foot, ground, direction)
    return tuple(steps), static, heights


def head_turned(pose: CleanPose, facing_x: np.ndarray, cfg: EventsConfig) -> np.ndarray:
    """bool[T]: the head is turned away from the facing direction (looking over the shoulder). The nose normally
    leads the ears toward the facing side; a turn shrinks or reverses that lead."""
    xy = pose.xy
    ears = (xy[:, LM.LEFT_EAR, 0] + xy[:, LM.RIGHT_EAR, 0]) / 2.0
    lead = (xy[:, LM.NOSE, 0] - ears) * facing_x
    ok = np.isfinite(lead)
    if ok.sum() < 3:
        return np.zeros(pose.n_frames, dtype=bool)
    usual = float(np.median(lead[ok]))
    if usual <= 0:
        return np.zeros(pose.n_frames, dtype=bool)
    turned = ok & (lead < cfg.head_turn_fraction * usual)
    runs = true_runs(turned)
    # one look can dip back over the threshold for a moment: runs closer than head_turn_merge_s are one turn
    gap = int(round(cfg.head_turn_merge_s * pose.fps))
    merged: list[list[int]] = []
    for s, e in runs:
        if merged and s - merged[-1][1] <= gap:
            merged[-1][1] = e
        else:
            merged.append([s, e])
    min_len = max(int(round(cfg.head_turn_min_s * pose.fps)), 1)
    out = np.zeros_like(turned)
    for s, e in merged:
        if e - s >= min_len:
            out[s:e] = True
    return out


def _stats(x: np.ndarray) -> dict[str, float] | None:
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return None
    return {
        "median": float(np.median(x)),
        "p10": float(np.percentile(x, 10)),
        "p90": float(np.percentile(x, 90)),
        "n": int(x.size),
    }


def compute_metrics(
    pose: CleanPose,
    angles: Angles,
    segments: tuple[Segment, ...],
    view: View,
    steps: tuple[Step, ...],
    heights: dict[str, np.ndarray],
    turned: np.ndarray,
    leg_px: float | None,
    static: bool,
    cfg: EventsConfig,
) -> dict[str, Any]:
    """The metrics dict of report.json (JSON-ready except for NaN, which the report turns into null)."""
    t = pose.n_frames
    back = np.zeros(t, dtype=bool)
    for s in segments:
        if s.direction == "backward":
            back[s.start_frame : s.end_frame] = True
    back &= pose.detected if pose.detected.shape == back.shape else back
    bsteps = [s for s in steps if s.direction == "backward"]
    near = view.side
    far = {"left": "right", "right": "left"}.get(near or "", None)
    elbow = {"left": _stats(angles.elbow_left[back]), "right": _stats(angles.elbow_right[back])}
    if far is not None:
        far_idx = [LM[f"{far.upper()}_{p}"] for p in ("SHOULDER", "ELBOW", "WRIST")]
        vis = pose.conf[back][:, far_idx]
        if vis.size == 0 or float(np.mean(vis)) < cfg.far_min_visibility:
            elbow[far] = None
    times = np.array([s.contact_s for s in bsteps])
    dts = np.diff(times) if times.size >= 2 else np.zeros(0)
    dts = dts[(dts > 0) & (dts < 1.0)]
    cadence = 60.0 / float(np.median(dts)) if dts.size else None
    contact_t = [(s.toe_off_frame - s.contact_frame) / pose.fps for s in bsteps if s.toe_off_frame is not None]
    sym = None
    pairs = list(zip(bsteps[:-1], bsteps[1:], strict=True))
    lr = [b.contact_s - a.contact_s for a, b in pairs if a.foot == "left" and b.foot == "right"]
    rl = [b.contact_s - a.contact_s for a, b in pairs if a.foot == "right" and b.foot == "left"]
    lr = [x for x in lr if 0 < x < 1.0]
    rl = [x for x in rl if 0 < x < 1.0]
    if len(lr) >= 2 and len(rl) >= 2:
        ml, mr = float(np.median(lr)), float(np.median(rl))
        # a contact timed b frames late on one foot only lengthens one step time and shortens the other by b:
        # differences within 2 x the contact timing uncertainty are not asymmetry (at 30 fps, 1 frame is 10% of a
        # step, and the far foot's contacts read a frame off more often)
        tol = 2.0 * cfg.contact_timing_frames / pose.fps
        sym = 200.0 * max(abs(ml - mr) - tol, 0.0) / (ml + mr)
    lifts = []
    for s in bsteps:
        h = heights.get(s.foot)
        if s.toe_off_frame is None or h is None:
            continue
        w = h[s.toe_off_frame : s.toe_off_frame + max(int(round(0.15 * pose.fps)), 2)]
        w = w[np.isfinite(w)]
        if w.size:
            lifts.append(float(np.max(w)))
    lean = angles.trunk_lean[back]
    lean_ok = lean[np.isfinite(lean)]
    fatigue = None
    if lean_ok.size >= 9:
        k = lean_ok.size // 3
        fatigue = float(abs(np.median(lean_ok[-k:]) - np.median(lean_ok[:k])))
    back_s = float(back.sum() / pose.fps) if t else 0.0
    turns = len(true_runs(turned & back)) if t else 0
    strikes = [s.strike for s in bsteps if s.strike is not None]
    lean_stats = _stats(lean)
    return {
        "backward_s": back_s,
        "backward_frames": int(back.sum()),
        "leg_length_px": leg_px,
        "camera_static": static,
        "cadence_spm": cadence,
        "steps_backward": len(bsteps),
        "trunk_lean_deg": lean_stats,
        "trunk_sway_deg": (lean_stats["p90"] - lean_stats["p10"]) if lean_stats else None,
        "elbow_deg": elbow,
        "near_side": near,
        "contact_time_s": float(np.median(contact_t)) if contact_t else None,
        "step_length_leg": _median([s.step_length_leg for s in bsteps]),
        "landing_distance_leg": _median([s.landing_distance_leg for s in bsteps]),
        "heel_strike_share": (strikes.count("heel") / len(strikes)) if strikes else None,
        "strikes_classified": len(strikes),
        "heel_lift_leg": float(np.median(lifts)) if lifts else None,
        "heel_lift_steps": len(lifts),
        "step_time_asymmetry_pct": sym,
        "head_turns": turns,
        "head_turns_per_min": (60.0 * turns / back_s) if back_s > 0 else None,
        "head_turned_share": float(np.mean(turned[back])) if back.any() else None,
        "fatigue_lean_change_deg": fatigue,
    }


def _median(xs: list[float | None]) -> float | None:
    v = [x for x in xs if x is not None and np.isfinite(x)]
    return float(np.median(v)) if v else None
