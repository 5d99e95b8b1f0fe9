"""Direction of travel per segment: backward, forward or standing, robust to a camera that pans.

Invariant (FIELD_NOTES "Gait events from 2D keypoints"): during stance the foot stands still on the ground, so
relative to the pelvis it moves opposite to the travel direction, whatever the camera does. We take the lower
foot (the one carrying the body) in MediaPipe world coordinates (metres, hip origin), its horizontal velocity
relative to the hips, and project it on the facing direction. Backward running: the stance foot moves the way the
chest faces (positive); forward running: negative; standing: near zero.
"""

from __future__ import annotations

import numpy as np

from formcheck.analysis.types import CleanPose, Segment
from formcheck.analysis.view import (
    facing_world,
    facing_x_image,
    finite_median,
    segment_facing,
    signed_width_ratio,
)
from formcheck.config import DirectionConfig, ViewConfig
from formcheck.pose.landmarks import LM, torso_lengths


def _moving_nanmean(x: np.ndarray, win: int) -> np.ndarray:
    """Centred moving mean over ``win`` frames ignoring NaN (NaN where the window has no finite value)."""
    ok = np.isfinite(x)
    v = np.where(ok, x, 0.0)
    k = np.ones(max(win, 1))
    start = (k.size - 1) // 2  # "full" then centre-crop: "same" returns max(len) samples, too many if win > T
    num = np.convolve(v, k, mode="full")[start : start + x.size]
    den = np.convolve(ok.astype(float), k, mode="full")[start : start + x.size]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def stance_sweep_m_s(pose: CleanPose) -> np.ndarray:
    """Per frame: velocity (m/s) of the lower foot relative to the hips, projected on the facing direction."""
    w = pose.world
    t = pose.n_frames
    if t < 3:
        return np.full(t, np.nan)
    feet = []
    for heel, toe in ((LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)):
        feet.append((w[:, heel] + w[:, toe]) / 2.0)
    left, right = feet
    dt = np.gradient(pose.times_s)
    vel = [np.gradient(f, axis=0) / dt[:, None] for f in feet]
    lower_left = left[:, 1] >= right[:, 1]  # world y points down: larger y = lower
    v = np.where(lower_left[:, None], vel[0], vel[1])
    face = facing_world(pose)
    return v[:, 0] * face[:, 0] + v[:, 2] * face[:, 1]


class DirectionSegmenter:
    """Split a clip into segments of one direction of travel.

    Parameters (``[direction]`` of the config): ``window_s`` averaging window of the stance sweep (s; about one
    stride); ``standing_max_m_s``
    below this mean sweep speed the runner is standing (m/s); ``min_segment_s`` shorter runs are merged into a
    neighbour (s); ``standing_max_depth_m_s`` the standing threshold for front/back views, where the sweep is
    seen in depth only (m/s); ``depth_rise_leg_s`` a front/back view's stance foot rising or sinking in the image
    at least this fast (leg lengths/s, median) tells the direction; ``depth_growth_per_s`` so does the figure growing
    or shrinking at least this fast (relative size change per s; static cameras); ``depth_travel_log`` in a side or
    oblique view, a stretch read as standing whose figure grows or shrinks by at least this much in all (change of
    the log torso length) while the runner's back or front is turned to the camera is travel in depth. From ``[view]``:
    ``side_max_ratio``, the signed width ratio beyond which the back or the front is turned to the camera;
    ``facing_min_agreement``, the share of a segment's facing votes that must agree for it to have a facing.
    """

    def __init__(self, cfg: DirectionConfig, view_cfg: ViewConfig) -> None:
        self.depth_rise_leg_s = cfg.depth_rise_leg_s
        self.depth_growth_per_s = cfg.depth_growth_per_s
        self.depth_travel_log = cfg.depth_travel_log
        self.turned_min_ratio = view_cfg.side_max_ratio
        self.facing_min_agreement = view_cfg.facing_min_agreement
        self.window_s = cfg.window_s
        self.standing_max_m_s = cfg.standing_max_m_s
        self.standing_max_depth_m_s = cfg.standing_max_depth_m_s
        self.min_segment_s = cfg.min_segment_s

    def segment(self, pose: CleanPose, depth_view: bool = False, view_kind: str | None = None) -> tuple[Segment, ...]:
        """The clip's segments in time order, covering every frame (none for an empty clip). ``depth_view``:
        front or back view (travel along the camera axis); ``view_kind`` "front" / "back" adds the image cues."""
        t = pose.n_frames
        if t == 0:
            return ()
        fps = pose.fps
        raw = stance_sweep_m_s(pose)
        known = None  # frames the label was measured on (None: all)
        if depth_view:
            # front/back: the sweep is along the camera axis, where MediaPipe's depth is compressed and noisy;
            # one direction for the whole clip, from three cues that each vote when clear (normalised by their
            # threshold; the strongest wins): the world-depth sweep, the stance foot's image rise, the figure's
            # apparent growth (a static camera)
            m = float(np.nanmean(raw)) if np.isfinite(raw).any() else 0.0
            votes = [m / self.standing_max_depth_m_s]
            if view_kind in ("front", "back"):
                toward = 1.0 if view_kind == "back" else -1.0  # backward running approaches a camera behind
                rise, growth = depth_image_cues(pose)
                # the stance foot moving away from the camera rises in the image (negative y velocity): it moves
                # away relative to the hips when the runner travels toward the camera
                votes.append(-rise * toward / self.depth_rise_leg_s)
                votes.append(growth * toward / self.depth_growth_per_s)
            clear = [v for v in votes if np.isfinite(v) and abs(v) >= 1.0]
            best = max(clear, key=abs) if clear else 0.0
            lab = 1 if best > 0 else -1 if best < 0 else 0
            labels = np.full(t, lab)
        else:
            sweep = _moving_nanmean(raw, max(int(round(self.window_s * fps)), 1))
            labels = np.where(
                ~np.isfinite(sweep),
                2,
                np.where(sweep > self.standing_max_m_s, 1, np.where(sweep < -self.standing_max_m_s, -1, 0)),
            )
            known = np.isfinite(sweep)
            labels = _fill_unknown(labels)
        runs = _runs(labels)
        # a run's length is the frames it was measured on: frames unseen take the nearest label, and a blip of two
        # frames beside a long unseen stretch must not become a segment of its own (crowd mirrored: 0.2 s read
        # backward at the edge of view became the first 7.1 s of the clip)
        runs = _merge_short(runs, max(int(round(self.min_segment_s * fps)), 1), known)
        if not depth_view:
            runs = _join_equal(
                [
                    (self._in_depth(pose, s, e, _travel_beside(runs, i)) if lab == 0 else lab, s, e)
                    for i, (lab, s, e) in enumerate(runs)
                ]
            )
        facing = facing_x_image(pose)
        seen = athlete_seen(pose)
        name = {1: "backward", -1: "forward", 0: "standing"}
        ts = pose.times_s
        period = 1.0 / fps
        out = []
        for lab, s, e in runs:
            fx = segment_facing(facing[s:e], self.facing_min_agreement)
            out.append(
                Segment(
                    start_frame=s,
                    end_frame=e,
                    start_s=float(ts[s]),
                    end_s=float(ts[e - 1] + period),
                    direction=name[lab],  # type: ignore[arg-type]
                    facing_x=fx,
                    seen_s=float(seen[s:e].sum() * period),
                )
            )
        return tuple(out)

    def _in_depth(self, pose: CleanPose, s: int, e: int, beside: int = 0) -> int:
        """The label (1 backward, -1 forward, 0 standing) of frames ``[s, e)`` read as standing by the stance sweep
        of a side or oblique view, from travel in depth: a walker or runner going straight toward or away from the
        camera sweeps the stance foot along MediaPipe's compressed depth axis, so the sweep reads standing. When the
        runner's back or front is turned to the camera (the median signed width ratio beyond ``side_max_ratio``) and
        the figure grows or shrinks at ``depth_growth_per_s`` or more, by ``depth_travel_log`` or more in all (more
        than a step or a lunge on the spot can do), the travel is along the facing axis: approaching with the back
        to the camera, or leaving it face on, is backward. ``beside``: the label (1, -1) of the segments either
        side when both travel the same way (0: they do not); a stretch between them whose depth cue reads that way
        continues that travel (nobody lunges on the spot in the middle of a walk), so the total is not asked of it,
        only the rate."""
        turned = finite_median(signed_width_ratio(pose)[s:e])
        if not np.isfinite(turned) or abs(turned) <= self.turned_min_ratio:
            return 0
        growth = torso_growth_per_s(pose, s, e)
        if not np.isfinite(growth) or abs(growth) < self.depth_growth_per_s:
            return 0
        toward = 1.0 if turned < 0 else -1.0  # back to the camera: backward running approaches it
        label = 1 if growth * toward > 0 else -1
        travelled = abs(growth) * (pose.times_s[e - 1] - pose.times_s[s]) >= self.depth_travel_log
        return label if travelled or label == beside else 0


def torso_growth_per_s(pose: CleanPose, s: int = 0, e: int | None = None) -> float:
    """Relative growth rate of the figure over frames ``[s, e)``: slope of the log torso length (image) against
    time, 1/s (+ = the figure grows: it approaches the camera); NaN with fewer than 5 frames measured."""
    xy = pose.xy[s:e]
    torso = torso_lengths(xy)
    ok = np.isfinite(torso) & (torso > 1)
    if ok.sum() < 5:
        return float("nan")
    return float(np.polyfit(pose.times_s[s:e][ok], np.log(torso[ok]), 1)[0])


def athlete_seen(pose: CleanPose) -> np.ndarray:
    """Per frame: whether the athlete is seen (both hips located after the cleaning's gap filling), bool[T]."""
    return np.isfinite(pose.xy[:, LM.LEFT_HIP, 0]) & np.isfinite(pose.xy[:, LM.RIGHT_HIP, 0])


def depth_image_cues(pose: CleanPose) -> tuple[float, float]:
    """Front/back-view direction cues from the image: (median image-y velocity of the lower foot relative to the
    hips while it stays the lower one, leg lengths/s, + = down = the foot comes toward the camera relative to the
    hips; relative growth rate of the torso length, 1/s, + = the figure approaches the camera). NaN when not
    measurable. The foot is taken relative to the hips, with the figure's growth divided out, so the cue reads the
    same for a camera that follows the runner and one that stands still (measured against the image alone, a stance
    foot on a static camera's floor moves with the runner's travel, the opposite way to a following camera's)."""
    xy = pose.xy
    t = pose.n_frames
    if t < 5:
        return float("nan"), float("nan")
    fl = np.fmax(xy[:, LM.LEFT_HEEL, 1], xy[:, LM.LEFT_FOOT_INDEX, 1])
    fr = np.fmax(xy[:, LM.RIGHT_HEEL, 1], xy[:, LM.RIGHT_FOOT_INDEX, 1])
    left_low = fl >= fr
    same = np.zeros(t, dtype=bool)
    same[1:-1] = (left_low[1:-1] == left_low[:-2]) & (left_low[1:-1] == left_low[2:])
    hip_y = (xy[:, LM.LEFT_HIP, 1] + xy[:, LM.RIGHT_HIP, 1]) / 2.0
    ank_y = (xy[:, LM.LEFT_ANKLE, 1] + xy[:, LM.RIGHT_ANKLE, 1]) / 2.0
    torso = torso_lengths(xy)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = finite_median(torso) / np.where(torso > 1, torso, np.nan)  # undo the figure's growth
    leg = finite_median(np.abs(ank_y - hip_y) * scale)
    rise = float("nan")
    if np.isfinite(leg) and leg > 1:
        rel = (np.where(left_low, fl, fr) - hip_y) * scale / leg
        v = np.gradient(rel) * pose.fps  # kept only where the lower foot stays the same (``same``)
        v = v[same & np.isfinite(v)]
        rise = float(np.median(v)) if v.size >= 5 else float("nan")
    return rise, torso_growth_per_s(pose)


def _fill_unknown(labels: np.ndarray) -> np.ndarray:
    """Frames labelled 2 (unknown) take the label of the nearest known frame; all unknown -> standing (0)."""
    known = np.flatnonzero(labels != 2)
    if known.size == 0:
        return np.zeros_like(labels)
    idx = np.arange(labels.size)
    nearest = known[np.clip(np.searchsorted(known, idx), 0, known.size - 1)]
    prev = known[np.clip(np.searchsorted(known, idx) - 1, 0, known.size - 1)]
    pick = np.where(np.abs(prev - idx) <= np.abs(nearest - idx), prev, nearest)
    return labels[pick]


def _runs(labels: np.ndarray) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            out.append((int(labels[start]), start, i))
            start = i
    return out


def _travel_beside(runs: list[tuple[int, int, int]], i: int) -> int:
    """The travel label (1 backward, -1 forward) of the runs either side of run ``i`` when both travel the same way
    (a stretch between them); 0 otherwise: after the last stretch of travel, a last step toward the camera and
    seconds standing still grow the figure at the rate of travel in depth."""
    if 0 < i < len(runs) - 1 and runs[i - 1][0] == runs[i + 1][0] and runs[i - 1][0] in (1, -1):
        return runs[i - 1][0]
    return 0


def _join_equal(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Neighbouring runs of one label joined into one."""
    out: list[tuple[int, int, int]] = []
    for r in runs:
        if out and out[-1][0] == r[0]:
            out[-1] = (r[0], out[-1][1], r[2])
        else:
            out.append(r)
    return out


def _merge_short(
    runs: list[tuple[int, int, int]], min_len: int, measured: np.ndarray | None = None
) -> list[tuple[int, int, int]]:
    """Give runs shorter than ``min_len`` frames to the longer neighbour, then join equal neighbours. ``measured``
    (bool per frame, optional): a run's length counts only these frames."""
    runs = list(runs)
    while len(runs) > 1:
        lengths = [int(measured[s:e].sum()) if measured is not None else e - s for _, s, e in runs]
        i = int(np.argmin(lengths))
        if lengths[i] >= min_len:
            break
        lab, s, e = runs[i]
        if i == 0:
            j = 1
        elif i == len(runs) - 1:
            j = i - 1
        else:
            j = i - 1 if lengths[i - 1] >= lengths[i + 1] else i + 1
        nl = runs[j][0]
        runs[i] = (nl, s, e)
        runs = _join_equal(runs)
    return runs


def direction_per_frame(
    segments: tuple[Segment, ...], n_frames: int, seen: np.ndarray | None = None
) -> list[str | None]:
    """Each frame's direction name from the segments (None outside every segment, and where ``seen`` (bool[T],
    optional) says the athlete is not seen: nothing there shows which way anyone travels)."""
    out: list[str | None] = [None] * n_frames
    for s in segments:
        for i in range(s.start_frame, min(s.end_frame, n_frames)):
            out[i] = s.direction
    if seen is not None:
        out = [d if i < len(seen) and seen[i] else None for i, d in enumerate(out)]
    return out
