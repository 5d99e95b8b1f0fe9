"""Steps from cleaned landmarks, angles and segments: initial contacts and toe-offs of both feet, the strike class
at each contact, landing distance and step length in ground coordinates (a following camera's pan is tracked
through the stance foot).

Lengths are in leg lengths (hip to ankle, px); times in s; angles in degrees.
"""

from __future__ import annotations

import numpy as np

from formcheck.analysis.events import FEET, ContactDetector
from formcheck.analysis.foot_pixels import FrameSource, foot_structure
from formcheck.analysis.strike import FootSeries, foot_series, stance_masks, strike_of
from formcheck.analysis.types import Angles, CleanPose, Segment, Step, View
from formcheck.config import EventsConfig, StrikeConfig
from formcheck.pose.landmarks import LM

#: A contact before it becomes a step: (contact frame, foot, toe-off frame or -1, first frame fully down).
RawContact = tuple[int, str, int, int]


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
            end = off if off > c else min(c + max(int(round(cfg.stance_fallback_s * pose.fps)), 2), t - 1)
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


def travel_x(pose: CleanPose, segments: tuple[Segment, ...]) -> np.ndarray:
    """Per frame, the image-x direction of travel: +1 toward +x, -1 toward -x, 0 standing or unknown (a segment
    without a facing, e.g. a front or back view, or outside every segment)."""
    out = np.zeros(pose.n_frames)
    for s in segments:
        if s.direction in ("forward", "backward") and s.facing_x:
            out[s.start_frame : s.end_frame] = -s.facing_x if s.direction == "backward" else s.facing_x
    return out


def _raw_contacts(
    pose: CleanPose, leg_px: float, cfg: EventsConfig, travel: np.ndarray | None = None
) -> tuple[list[RawContact], dict[tuple[int, str], float], dict[str, np.ndarray]]:
    """Both feet's contacts in time order, their sub-frame impact positions (frames) and each foot's height above
    the ground (leg lengths, per frame). ``travel`` (:func:`travel_x`) lets the detector check the contacts
    against the feet's sweeps."""
    det = ContactDetector(cfg)
    raw: list[RawContact] = []
    impact: dict[tuple[int, str], float] = {}
    heights = {}
    for foot in ("left", "right"):
        det.detect(pose, foot, leg_px, travel)  # type: ignore[arg-type]
        heights[foot] = det.height_
        raw += [(int(c), foot, int(o), int(d)) for c, o, d in zip(det.contacts_, det.toe_offs_, det.down_, strict=True)]
        impact.update({(int(c), foot): float(x) for c, x in zip(det.contacts_, det.impact_, strict=True)})
    raw.sort()
    return raw, impact, heights


def _foot_angle_at_contact(angles: Angles, foot: str, c: int, down: int) -> float | None:
    """Foot angle at contact (deg): the median from the impact frame to the frame the foot is down (1-3 frames):
    late swing reads wildly (the fast foot blurs), and once flat the foot reads about +10 whatever the strike."""
    fa = getattr(angles, f"foot_{foot}")
    win = fa[c : max(down, c) + 1]
    win = win[np.isfinite(win)]
    return float(np.median(win)) if win.size else None


def _ground_x(pose: CleanPose, contact: RawContact, point: float | None, static: bool, pan: np.ndarray) -> float | None:
    """Where the foot landed, in ground coordinates (image x minus the pan, px), carried to the foot's toe-off: the
    foot index stays put on the ground until toe-off, so the landing point is the foot index at toe-off plus the
    landing point's offset from the foot index at landing; between the previous foot's toe-off and this landing
    only the short flight needs the pan estimate (integrating it over a whole stance drifts). A static camera sees
    the ground still: image x is ground x."""
    _, foot, off, down = contact
    if static:
        return point
    toe = FEET[foot][1]
    if point is None or not np.isfinite(pose.xy[down, toe, 0]):
        return None
    ref = off if off > down and np.isfinite(pose.xy[off, toe, 0]) else down
    return float(pose.xy[ref, toe, 0] - pan[ref] + (point - pose.xy[down, toe, 0]))


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
    Strike classes and confidences come from analysis/strike.py; ``frames`` (the video's pictures at given times)
    lets it check that the pixels show the feet."""
    if leg_px is None or pose.n_frames < 3:
        return (), False, {}
    # the sweep relative to the pelvis shows landings in a side view only: from the front or back the feet move in
    # depth, and an oblique view foreshortens the sweep and mixes the far foot into the near one
    sweep_travel = travel_x(pose, segments) if view.kind == "side" else None
    raw, impact, heights = _raw_contacts(pose, leg_px, cfg, sweep_travel)
    static = camera_is_static(pose, heights, cfg.contact_leg)
    pel = pelvis_x(pose)
    pan = np.zeros(pose.n_frames) if static else camera_pan_px(pose, raw, cfg)
    stance = stance_masks(raw, pose.n_frames)
    # each foot's whole-clip series for the strike cues, made once (not once per contact: a clip has hundreds)
    series: dict[str, FootSeries] = {f: foot_series(pose, f, leg_px, stance[f], strike_cfg) for f in stance}
    structure = foot_structure(pose, [(c, f) for c, f, _, _ in raw], frames, strike_cfg) if frames else {}
    steps: list[Step] = []
    prev: tuple[int, str, float | None, str] | None = None
    for contact in raw:
        c, foot, off, down = contact
        seg = segment_at(segments, c)
        direction = seg.direction if seg else "standing"
        facing = seg.facing_x if seg else 0
        travel = -facing if direction == "backward" else facing
        angle = _foot_angle_at_contact(angles, foot, c, down)
        point = contact_point_x(pose, foot, c, angle, cfg)
        land = None
        if travel and point is not None and np.isfinite(pel[c]):
            land = float((point - pel[c]) * travel / leg_px)
        ground = _ground_x(pose, contact, point, static, pan)
        length = None
        if (
            prev is not None
            and prev[1] != foot
            and prev[3] == direction
            and direction != "standing"
            and (c - prev[0]) / pose.fps < cfg.max_step_s
            and ground is not None
            and prev[2] is not None
        ):
            here = point - pan[c] if point is not None else ground
            length = float(abs(here - prev[2]) / leg_px)
        # contact time: the sub-frame impact (step times and symmetry need better than one frame at 30 fps)
        t_c = float(np.interp(impact.get((c, foot), float(c)), np.arange(pose.n_frames), pose.times_s))
        strike, confidence = strike_of(
            pose,
            getattr(angles, f"foot_{foot}"),
            foot,
            c,
            down,
            leg_px,
            stance[foot],
            view,
            strike_cfg,
            structure.get(foot),
            series[foot],
        )
        steps.append(
            Step(
                foot=foot,  # type: ignore[arg-type]
                contact_frame=c,
                contact_s=t_c,
                toe_off_frame=off if off >= 0 else None,
                strike=strike,
                strike_confidence=confidence,
                foot_angle_deg=angle,
                step_length_leg=length,
                landing_distance_leg=land,
                direction=direction,
            )
        )
        prev = (c, foot, ground, direction)
    return tuple(steps), static, heights
