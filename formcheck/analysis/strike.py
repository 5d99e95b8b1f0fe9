"""Strike class of one initial contact from several cues, with a confidence; unknown when they disagree.

MediaPipe compresses and biases foot angles (OFFLINE.md; issue 11: a heel striker from another renderer read
+14..+47 deg), so no single angle decides. Each cue gives a vote in [-1, 1] (- heel first, + forefoot first),
its raw value minus its centre, divided by its scale, clipped:

- ``angle``: the foot angle at contact (deg, + toe lower; the median from the impact frame to the frame the foot is
  down), the classic cue;
- ``touch``: which of heel and toe reaches its own ground level first (s; toe time minus heel time, so + = heel
  first, turned into a heel vote). Each landmark's ground is its own running 95th percentile, so a landmark that
  MediaPipe puts a few px too high all the time does not bias it;
- ``rotation``: which way the foot turns just after contact (leg lengths): after a forefoot landing the heel comes
  down, after a heel landing the toe slaps down. Heel descent minus toe descent over ``rotation_s``;
- ``ankle``: the shank-to-foot angle at contact (deg, knee -> ankle against heel -> toe) minus the same foot's median
  over the clip's stance frames: + = plantarflexed against the usual (toe pointed: forefoot).

The combined vote is the weighted mean of the available cues' votes; its size is the confidence (0..1). The
strike is unknown (None) when the pixels show no foot (analysis/foot_pixels.py), when fewer than ``min_cues``
cues are available, when the far foot is poorly visible, when a cue of weight ``veto_min_weight`` or more votes
against the result with at least ``disagree_vote``, or when the confidence is below ``min_confidence``
(``far_min_confidence`` for the far foot). Midfoot is never returned: a flat landing has no first-touching part
the pixels can show, so it reads as unknown. Units: px, s, deg, leg lengths (hip to ankle).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcheck.analysis.angles import interior_angle
from formcheck.analysis.events import landmark_height_leg
from formcheck.analysis.types import CleanPose, StrikeName, View
from formcheck.config import StrikeConfig
from formcheck.pose.landmarks import LM

_HIPS = [int(LM.LEFT_HIP), int(LM.RIGHT_HIP)]
_LM: dict[str, tuple[int, int, int, int]] = {  # heel, foot index, ankle, knee
    "left": (int(LM.LEFT_HEEL), int(LM.LEFT_FOOT_INDEX), int(LM.LEFT_ANKLE), int(LM.LEFT_KNEE)),
    "right": (int(LM.RIGHT_HEEL), int(LM.RIGHT_FOOT_INDEX), int(LM.RIGHT_ANKLE), int(LM.RIGHT_KNEE)),
}


@dataclass(frozen=True)
class StrikeCues:
    """Raw cue values of one contact (None = not measurable): ``angle_deg`` foot angle at contact (+ toe lower);
    ``touch_s`` toe-down time minus heel-down time (+ heel first); ``rotation_leg`` heel descent minus toe descent
    after contact (+ the heel came down: forefoot); ``ankle_deg`` shank-foot angle at contact minus its stance
    median (+ plantarflexed); ``foot_px`` the foot's median length in the image; ``visibility`` the mean visibility
    (0..1) of heel and foot index within ``touch_window_s`` of the contact; ``structure`` the image structure around
    the foot's landmarks (grey levels, analysis/foot_pixels.py; None = not measured); ``lost_near`` the person is
    lost (unseen past what the cleaning fills) within ``edge_of_view_s`` of the contact, inside the clip;
    ``at_picture_edge`` the foot comes within ``picture_edge_foot`` foot lengths of the picture's side or bottom edge
    within ``edge_of_view_s`` of the contact."""

    angle_deg: float | None
    touch_s: float | None
    rotation_leg: float | None
    ankle_deg: float | None
    foot_px: float | None
    visibility: float = 1.0
    structure: float | None = None
    lost_near: bool = False
    at_picture_edge: bool = False


@dataclass(frozen=True)
class FootSeries:
    """Whole-clip series of one foot that the cues of each of its contacts read (made once per foot: a clip has
    hundreds of contacts): ``foot_px`` its median length in the image (px, None unknown), ``heel_leg`` and
    ``toe_leg`` per frame the heel's and foot index's heights above their own ground levels (leg lengths),
    ``shank_foot_deg`` per frame the shank-foot angle (deg), ``usual_shank_foot_deg`` its median over the foot's
    stance frames (deg, None unknown)."""

    foot_px: float | None
    heel_leg: np.ndarray
    toe_leg: np.ndarray
    shank_foot_deg: np.ndarray
    usual_shank_foot_deg: float | None


def foot_length_px(pose: CleanPose, feet: tuple[str, ...] = ("left", "right")) -> float | None:
    """The median length in the image (heel to foot index, px) of ``feet`` ("left", "right") over every frame each
    is seen; None when none is."""
    xy = pose.xy
    lengths = np.concatenate([np.linalg.norm(xy[:, _LM[f][1]] - xy[:, _LM[f][0]], axis=1) for f in feet])
    lengths = lengths[np.isfinite(lengths)]
    return float(np.median(lengths)) if lengths.size else None


def foot_series(pose: CleanPose, foot: str, leg_px: float, stance: np.ndarray, cfg: StrikeConfig) -> FootSeries:
    """The :class:`FootSeries` of ``foot`` (``stance`` bool per frame, this foot on the ground)."""
    heel, toe, ankle, knee = _LM[foot]
    xy, fps = pose.xy, pose.fps
    shank_foot = interior_angle(xy[:, knee], xy[:, ankle], xy[:, ankle] + (xy[:, toe] - xy[:, heel]))
    usual = shank_foot[stance & np.isfinite(shank_foot)]
    return FootSeries(
        foot_px=foot_length_px(pose, (foot,)),
        heel_leg=landmark_height_leg(xy[:, heel, 1], fps, leg_px, cfg.ground_window_s),
        toe_leg=landmark_height_leg(xy[:, toe, 1], fps, leg_px, cfg.ground_window_s),
        shank_foot_deg=shank_foot,
        usual_shank_foot_deg=float(np.median(usual)) if usual.size else None,
    )


def _first_down(h: np.ndarray, lo: int, hi: int, level: float) -> float | None:
    """Sub-frame time (frames) at which ``h`` first comes down to ``level`` within [lo, hi), from above."""
    for i in range(max(lo, 1), min(hi, h.size)):
        a, b = h[i - 1], h[i]
        if np.isfinite(a) and np.isfinite(b) and a > level >= b:
            return float(i - 1 + (a - level) / (a - b))
    return None


def strike_cues(
    pose: CleanPose,
    foot_angle: np.ndarray,
    foot: str,
    contact: int,
    down: int,
    leg_px: float,
    stance: np.ndarray,
    cfg: StrikeConfig,
    series: FootSeries | None = None,
) -> StrikeCues:
    """The cues of the contact of ``foot`` at frame ``contact`` (``down``: first frame the foot is within the contact
    height; ``foot_angle`` deg per frame; ``stance`` bool per frame, this foot on the ground; ``series`` the foot's
    :func:`foot_series`, made here when None)."""
    heel, toe, _, _ = _LM[foot]
    xy, fps, t = pose.xy, pose.fps, pose.n_frames
    fs = series if series is not None else foot_series(pose, foot, leg_px, stance, cfg)
    win = foot_angle[contact : max(down, contact) + 1]
    win = win[np.isfinite(win)]
    angle = float(np.median(win)) if win.size else None
    hh, ht = fs.heel_leg, fs.toe_leg
    k = max(int(round(cfg.touch_window_s * fps)), 1)
    th = _first_down(hh, contact - k, contact + k + 1, cfg.touch_leg)
    tt = _first_down(ht, contact - k, contact + k + 1, cfg.touch_leg)
    touch = None
    if th is not None or tt is not None:  # one never coming down within the window: the other was first by k
        touch = ((tt if tt is not None else contact + k) - (th if th is not None else contact + k)) / fps
    r = max(int(round(cfg.rotation_s * fps)), 1)
    rotation = None
    if contact + r < t:
        dh = xy[contact + r, heel, 1] - xy[contact, heel, 1]
        dt = xy[contact + r, toe, 1] - xy[contact, toe, 1]
        if np.isfinite(dh) and np.isfinite(dt):
            rotation = float((dh - dt) / leg_px)
    ankle_rel = None
    if fs.usual_shank_foot_deg is not None and np.isfinite(fs.shank_foot_deg[contact]):
        ankle_rel = float(fs.shank_foot_deg[contact] - fs.usual_shank_foot_deg)
    vis = pose.conf[max(contact - k, 0) : contact + k + 1][:, [heel, toe]]
    visibility = float(np.mean(vis)) if vis.size else 0.0
    lost = lost_near(pose, contact, cfg)
    edge = at_picture_edge(pose, foot, contact, fs.foot_px, cfg)
    return StrikeCues(angle, touch, rotation, ankle_rel, fs.foot_px, visibility, lost_near=lost, at_picture_edge=edge)


def at_picture_edge(pose: CleanPose, foot: str, contact: int, foot_px: float | None, cfg: StrikeConfig) -> bool:
    """Whether ``foot``'s heel, foot index or ankle comes within ``cfg.picture_edge_foot`` foot lengths (``foot_px``
    px) of the picture's left, right or bottom edge (``pose.width`` x ``pose.height``) on a frame within
    ``cfg.edge_of_view_s`` of frame ``contact``: part of the foot may lie outside the picture."""
    if foot_px is None:
        return False
    heel, toe, ankle, _ = _LM[foot]
    xy = pose.xy[_around(contact, pose.fps, cfg)][:, [heel, toe, ankle]]
    margin = cfg.picture_edge_foot * foot_px
    with np.errstate(invalid="ignore"):
        near = (xy[..., 0] < margin) | (xy[..., 0] > pose.width - margin) | (xy[..., 1] > pose.height - margin)
    return bool(near.any())


def lost_near(pose: CleanPose, contact: int, cfg: StrikeConfig) -> bool:
    """Whether the person is lost (hips unseen after cleaning: a gap longer than it fills) on a frame of the clip
    within ``cfg.edge_of_view_s`` of frame ``contact``: they are going out of view or behind something there, or
    coming out, and the landmarker holds a part-hidden body (a hidden foot put on the visible one)."""
    hips = pose.xy[_around(contact, pose.fps, cfg)][:, _HIPS, 0]
    return bool(not np.all(np.isfinite(hips)))


def _around(contact: int, fps: float, cfg: StrikeConfig) -> slice:
    """The frames within ``cfg.edge_of_view_s`` (at least one frame) either side of frame ``contact``."""
    e = max(int(round(cfg.edge_of_view_s * fps)), 1)
    return slice(max(contact - e, 0), contact + e + 1)


def votes(cues: StrikeCues, cfg: StrikeConfig) -> dict[str, float]:
    """Each available cue's vote in [-1, 1] (- heel, + forefoot)."""
    raw = {
        "angle": None if cues.angle_deg is None else (cues.angle_deg - cfg.angle_mid_deg) / cfg.angle_scale_deg,
        "touch": None if cues.touch_s is None else -(cues.touch_s - cfg.touch_mid_s) / cfg.touch_scale_s,
        "rotation": None
        if cues.rotation_leg is None
        else (cues.rotation_leg - cfg.rotation_mid_leg) / cfg.rotation_scale_leg,
        "ankle": None if cues.ankle_deg is None else (cues.ankle_deg - cfg.ankle_mid_deg) / cfg.ankle_scale_deg,
    }
    w = weights(cfg)
    return {k: float(np.clip(v, -1.0, 1.0)) for k, v in raw.items() if v is not None and w[k] > 0}


def weights(cfg: StrikeConfig) -> dict[str, float]:
    """Weight of each cue in the combined vote."""
    return {
        "angle": cfg.angle_weight,
        "touch": cfg.touch_weight,
        "rotation": cfg.rotation_weight,
        "ankle": cfg.ankle_weight,
    }


def classify_contact(
    cues: StrikeCues, foot: str, view: View, cfg: StrikeConfig
) -> tuple[StrikeName | None, float | None]:
    """(strike class or None, confidence 0..1 or None when no cue is measurable) from the cues; side views only."""
    if view.kind != "side" or cues.foot_px is None or cues.foot_px < cfg.min_foot_px:
        return None, None
    v = votes(cues, cfg)
    if not v:
        return None, None
    w = weights(cfg)
    total = sum(w[k] for k in v)
    score = sum(w[k] * v[k] for k in v) / total
    confidence = float(min(abs(score), 1.0))
    if cues.structure is not None and cues.structure < cfg.min_landmark_contrast:
        return None, confidence  # the pixels show no foot there: the landmarks are a guess
    if cues.lost_near or cues.at_picture_edge:
        return None, confidence  # at the edge of view or of an occlusion: the body or the foot is part hidden
    far = view.side is not None and foot != view.side
    if far and cues.visibility < cfg.far_foot_min_visibility:
        return None, confidence
    need = cfg.far_min_confidence if far else cfg.min_confidence
    against = max((abs(x) for k, x in v.items() if x * score < 0 and w[k] >= cfg.veto_min_weight), default=0.0)
    if len(v) < cfg.min_cues or against >= cfg.disagree_vote or confidence < need:
        return None, confidence
    return ("forefoot" if score > 0 else "heel"), confidence


def stance_masks(contacts: list[tuple[int, str, int, int]], n_frames: int) -> dict[str, np.ndarray]:
    """bool[T] per foot: frames from each contact to its toe-off (``contacts``: (contact, foot, toe-off, down)
    frames; a toe-off of -1 = not seen, that stance is left out)."""
    out = {"left": np.zeros(n_frames, dtype=bool), "right": np.zeros(n_frames, dtype=bool)}
    for c, foot, off, _ in contacts:
        if off > c:
            out[foot][c : off + 1] = True
    return out


def strike_of(
    pose: CleanPose,
    foot_angle: np.ndarray,
    foot: str,
    contact: int,
    down: int,
    leg_px: float,
    stance: np.ndarray,
    view: View,
    cfg: StrikeConfig,
    structure: float | None,
    series: FootSeries | None = None,
) -> tuple[StrikeName | None, float | None]:
    """(strike class or None, confidence 0..1 or None) of one contact: :func:`strike_cues` then
    :func:`classify_contact`; ``structure``: the foot's image structure (grey levels) or None (not measured);
    ``series``: the foot's :func:`foot_series` (made here when None)."""
    cues = replace(strike_cues(pose, foot_angle, foot, contact, down, leg_px, stance, cfg, series), structure=structure)
    return classify_contact(cues, foot, view, cfg)
