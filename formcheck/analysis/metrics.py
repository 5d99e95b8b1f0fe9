"""Metrics from cleaned landmarks, angles, segments and steps (and the head turns they count).

Lengths are in leg lengths (hip to ankle, median over the clip, px); times in s; angles in degrees. Form metrics
use backward-running frames and steps only (the product judges backward running).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.signal import butter, sosfiltfilt

from formcheck.analysis.events import FEET
from formcheck.analysis.ground_slope import ground_slope_deg
from formcheck.analysis.plausibility import REASONS
from formcheck.analysis.runs import true_runs
from formcheck.analysis.types import Angles, CleanPose, Count, Metrics, Quality, Segment, Stats, Step, View
from formcheck.config import EventsConfig
from formcheck.pose.landmarks import LM


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


def _stats(x: np.ndarray) -> Stats | None:
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return None
    return Stats(
        median=float(np.median(x)),
        p10=float(np.percentile(x, 10)),
        p90=float(np.percentile(x, 90)),
        n=int(x.size),
    )


def backward_mask(pose: CleanPose, segments: tuple[Segment, ...]) -> np.ndarray:
    """bool[T]: frames inside a backward-running segment where the person was detected."""
    back = np.zeros(pose.n_frames, dtype=bool)
    for s in segments:
        if s.direction == "backward":
            back[s.start_frame : s.end_frame] = True
    return back & pose.detected if pose.detected.shape == back.shape else back


def _elbows(
    pose: CleanPose, angles: Angles, back: np.ndarray, view: View, cfg: EventsConfig
) -> dict[str, Stats | None]:
    """Elbow statistics per side (deg) over ``back`` frames; the far arm is None when poorly visible."""
    elbow = {"left": _stats(angles.elbow_left[back]), "right": _stats(angles.elbow_right[back])}
    far = {"left": "right", "right": "left"}.get(view.side or "", None)
    if far is not None:
        far_idx = [LM[f"{far.upper()}_{p}"] for p in ("SHOULDER", "ELBOW", "WRIST")]
        vis = pose.conf[back][:, far_idx]
        if vis.size == 0 or float(np.mean(vis)) < cfg.far_min_visibility:
            elbow[far] = None
    return elbow


def _step_times_s(steps: list[Step], cfg: EventsConfig) -> np.ndarray:
    """Times between consecutive contacts (s), gaps of ``cadence_max_step_s`` or more left out (pauses)."""
    times = np.array([s.contact_s for s in steps])
    dts = np.diff(times) if times.size >= 2 else np.zeros(0)
    return dts[(dts > 0) & (dts < cfg.cadence_max_step_s)]


def cadence_coverage(steps: list[Step], backward_s: float, cfg: EventsConfig) -> float | None:
    """Share (0..1) of ``backward_s`` (the backward time seen, s) covered by the step times; None without it."""
    if backward_s <= 0:
        return None
    return min(float(np.sum(_step_times_s(steps, cfg))) / backward_s, 1.0)


def _stride_times_s(steps: list[Step], cfg: EventsConfig) -> np.ndarray:
    """Times between consecutive contacts of the same foot (s), gaps of twice ``cadence_max_step_s`` or more left
    out (pauses)."""
    out = []
    for foot in ("left", "right"):
        times = np.array([s.contact_s for s in steps if s.foot == foot])
        if times.size >= 2:
            d = np.diff(times)
            out.append(d[(d > 0) & (d < 2.0 * cfg.cadence_max_step_s)])
    return np.concatenate(out) if out else np.zeros(0)


def _cadence_spm(steps: list[Step], cover: float | None, cfg: EventsConfig) -> float | None:
    """Steps/min: two steps per median stride time (consecutive contacts of one foot), or from the median time
    between consecutive contacts while there are fewer than ``cadence_min_steps`` strides (gaps of
    ``cadence_max_step_s`` or more between steps are pauses). Strides first: a foot whose contacts all read a few
    frames late (the far foot of an oblique view) makes the step times alternate short and long, and their median
    is either; its strides are right (synthetic oblique clip: 139 from step times, 181 from strides, truth 180).
    None with fewer than ``cadence_min_steps`` step times, or when they cover less than ``cadence_min_coverage`` of
    the backward time seen (``cover``: :func:`cadence_coverage`): contacts found here and there."""
    dts = _step_times_s(steps, cfg)
    if dts.size == 0 or dts.size < cfg.cadence_min_steps:
        return None
    if cover is None or cover < cfg.cadence_min_coverage:
        return None
    strides = _stride_times_s(steps, cfg)
    if strides.size >= cfg.cadence_min_steps:
        return 120.0 / float(np.median(strides))
    return 60.0 / float(np.median(dts))


def _step_times_by_kind(steps: list[Step], cfg: EventsConfig) -> tuple[list[float], list[float]] | None:
    """The left->right and the right->left step times (s) of ``steps`` (in time order); None with fewer than two
    of either."""
    pairs = list(zip(steps[:-1], steps[1:], strict=True))
    lr = [b.contact_s - a.contact_s for a, b in pairs if a.foot == "left" and b.foot == "right"]
    rl = [b.contact_s - a.contact_s for a, b in pairs if a.foot == "right" and b.foot == "left"]
    lr = [x for x in lr if 0 < x < cfg.cadence_max_step_s]
    rl = [x for x in rl if 0 < x < cfg.cadence_max_step_s]
    if len(lr) < 2 or len(rl) < 2:
        return None
    return lr, rl


def asymmetry_uncertainty_pct(steps: list[Step], cfg: EventsConfig) -> float | None:
    """Standard error (% of the mean step time) of the difference between the left->right and the right->left
    step-time medians: each median is known to about 1.25 x the scatter (sample standard deviation) of its step
    times over the square root of their count (the median of a normal sample). None with fewer than two of
    either."""
    kinds = _step_times_by_kind(steps, cfg)
    if kinds is None:
        return None
    lr, rl = kinds
    se = [1.2533 * float(np.std(v, ddof=1)) / math.sqrt(len(v)) for v in (lr, rl)]
    mean_step = (float(np.median(lr)) + float(np.median(rl))) / 2.0
    return 100.0 * math.hypot(*se) / mean_step


def _asymmetry_pct(steps: list[Step], fps: float, cfg: EventsConfig) -> float | None:
    """Left->right vs right->left step-time difference, % of the mean step time, less the contact timing
    uncertainty; None with fewer than two steps of each kind."""
    kinds = _step_times_by_kind(steps, cfg)
    if kinds is None:
        return None
    lr, rl = kinds
    ml, mr = float(np.median(lr)), float(np.median(rl))
    # a contact timed b frames late on one foot only lengthens one step time and shortens the other by b:
    # differences within 2 x the contact timing uncertainty are not asymmetry (at 30 fps, 1 frame is 10% of a
    # step, and the far foot's contacts read a frame off more often)
    tol = 2.0 * cfg.contact_timing_frames / fps
    return 200.0 * max(abs(ml - mr) - tol, 0.0) / (ml + mr)


def _heel_lifts(steps: list[Step], heights: dict[str, np.ndarray], fps: float, cfg: EventsConfig) -> list[float]:
    """Per step with a toe-off: the foot's peak height (leg lengths) within ``heel_lift_window_s`` after it."""
    lifts = []
    for s in steps:
        h = heights.get(s.foot)
        if s.toe_off_frame is None or h is None:
            continue
        w = h[s.toe_off_frame : s.toe_off_frame + max(int(round(cfg.heel_lift_window_s * fps)), 2)]
        w = w[np.isfinite(w)]
        if w.size:
            lifts.append(float(np.max(w)))
    return lifts


def _heel_raises(pose: CleanPose, steps: list[Step], leg_px: float | None) -> list[float]:
    """Per step with a toe-off: the heel's height above the foot index on the toe-off frame (leg lengths; image y
    points down). A clean push-off leaves on the toes with the heel raised; a dragged heel is level with them."""
    if not leg_px:
        return []
    out = []
    for s in steps:
        if s.toe_off_frame is None:
            continue
        heel, toe = FEET[s.foot]
        v = (pose.xy[s.toe_off_frame, toe, 1] - pose.xy[s.toe_off_frame, heel, 1]) / leg_px
        if np.isfinite(v):
            out.append(float(v))
    return out


def _fatigue_deg(lean: np.ndarray, cfg: EventsConfig) -> float | None:
    """|median lean of the last third - of the first third| (deg) of the measured frames; None when fewer than
    ``fatigue_min_frames``."""
    ok = lean[np.isfinite(lean)]
    if ok.size < cfg.fatigue_min_frames:
        return None
    k = ok.size // 3
    return float(abs(np.median(ok[-k:]) - np.median(ok[:k])))


def fatigue_uncertainty_deg(lean: np.ndarray, fps: float, cfg: EventsConfig) -> float | None:
    """Standard error (deg) of the fatigue lean change (last third's median - first third's) of the measured frames
    ``lean`` (deg, time order) at ``fps`` (frames/s); None when a third holds fewer than two blocks.

    The lean swings with every stride, so neighbouring frames are not independent: each third is cut into blocks
    of ``fatigue_block_s`` (about one stride) and the scatter of all block medians about a straight line through
    them (so a steady drift, the fatigue itself, is not taken for noise) is the noise of one block; a third's
    level is known to that over the square root of its blocks."""
    ok = lean[np.isfinite(lean)]
    if ok.size < cfg.fatigue_min_frames:
        return None
    k = ok.size // 3
    per_block = max(int(round(cfg.fatigue_block_s * fps)), 1)
    centres: list[float] = []
    medians: list[float] = []
    sizes = []
    for first, third in ((0, ok[:k]), (k, ok[k:-k]), (ok.size - k, ok[-k:])):
        n = third.size // per_block
        if n < 2:
            return None
        at = first
        for b in np.array_split(third, n):
            centres.append(at + (b.size - 1) / 2.0)
            medians.append(float(np.median(b)))
            at += b.size
        sizes.append(n)
    t, y = np.array(centres), np.array(medians)
    residual = y - np.polyval(np.polyfit(t, y, 1), t)
    scatter = math.sqrt(float(np.sum(residual**2)) / (y.size - 2))
    return scatter * math.sqrt(1.0 / sizes[0] + 1.0 / sizes[2])


def stride_sway_deg(
    lean: np.ndarray, back: np.ndarray, segments: tuple[Segment, ...], fps: float, cfg: EventsConfig
) -> float | None:
    """Trunk sway within strides, deg: p90 - p10 of the trunk lean (``lean`` float[T], deg, NaN unmeasured) after a
    zero-phase high-pass at ``sway_highpass_hz`` (Hz), within each backward segment, on the frames of ``back``
    (bool[T]). A drift slower than that is left out: a raised camera's perspective as the runner crosses the
    picture tilts the image's vertical, and a lean that changes over the clip is the fatigue rule's. A segment too
    short to filter counts about its median. None when no frame is measured."""
    sos = butter(2, cfg.sway_highpass_hz, btype="highpass", fs=fps, output="sos")
    residuals = []
    for seg in segments:
        if seg.direction != "backward":
            continue
        x = np.where(back[seg.start_frame : seg.end_frame], lean[seg.start_frame : seg.end_frame], np.nan)
        ok = np.isfinite(x)
        if not ok.any():
            continue
        idx = np.arange(x.size)
        filled = np.interp(idx, idx[ok], x[ok])  # unmeasured frames bridged for the filter only; not counted
        if x.size > 3 * (2 * sos.shape[0] + 1):  # sosfiltfilt's default padding needs more frames than that
            swing = sosfiltfilt(sos, filled)
        else:
            swing = filled - np.median(x[ok])
        residuals.append(swing[ok])
    if not residuals:
        return None
    r = np.concatenate(residuals)
    return float(np.percentile(r, 90) - np.percentile(r, 10))


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
    head_known: np.ndarray | None = None,
) -> Metrics:
    """The :class:`Metrics` the rules judge (backward-running frames and steps only). ``head_known`` (bool[T];
    None: every frame): frames where a head turn can be told (which way the runner faces is known); head turns are
    counted, and their rate and share taken, over those."""
    t = pose.n_frames
    back = backward_mask(pose, segments)
    bsteps = kept_backward_steps(steps)
    elbow = _elbows(pose, angles, back, view, cfg)
    contact_t = [(s.toe_off_frame - s.contact_frame) / pose.fps for s in bsteps if s.toe_off_frame is not None]
    lifts = _heel_lifts(bsteps, heights, pose.fps, cfg)
    raises = _heel_raises(pose, bsteps, leg_px)
    lean = angles.trunk_lean[back]
    back_s = float(back.sum() / pose.fps) if t else 0.0
    head = back & (head_known if head_known is not None else True)
    head_s = float(head.sum() / pose.fps) if t else 0.0
    turns = len(true_runs(turned & head)) if t else 0
    strikes = [s.strike for s in bsteps if s.strike is not None]
    lean_stats = _stats(lean)
    cover = cadence_coverage(bsteps, back_s, cfg)
    return Metrics(
        backward_s=back_s,
        backward_frames=int(back.sum()),
        leg_length_px=leg_px,
        camera_static=static,
        cadence_spm=_cadence_spm(bsteps, cover, cfg),
        cadence_coverage=cover,
        steps_backward=len(bsteps),
        trunk_lean_deg=lean_stats,
        trunk_sway_deg=(lean_stats.p90 - lean_stats.p10) if lean_stats else None,
        trunk_sway_stride_deg=stride_sway_deg(angles.trunk_lean, back, segments, pose.fps, cfg),
        elbow_left_deg=elbow["left"],
        elbow_right_deg=elbow["right"],
        near_side=view.side,
        contact_time_s=float(np.median(contact_t)) if contact_t else None,
        step_length_leg=_median([s.step_length_leg for s in bsteps]),
        landing_distance_leg=_median([s.landing_distance_leg for s in bsteps]),
        heel_strike_share=(strikes.count("heel") / len(strikes)) if strikes else None,
        strikes_classified=len(strikes),
        heel_lift_leg=float(np.median(lifts)) if lifts else None,
        heel_lift_steps=len(lifts),
        step_time_asymmetry_pct=_asymmetry_pct(bsteps, pose.fps, cfg),
        step_time_asymmetry_uncertainty_pct=asymmetry_uncertainty_pct(bsteps, cfg),
        head_turns=turns,
        head_turns_per_min=(60.0 * turns / head_s) if head_s > 0 else None,
        head_turned_share=float(np.mean(turned[head])) if head.any() else None,
        head_watched_s=head_s if head_s > 0 else None,
        heel_raise_leg=float(np.median(raises)) if raises else None,
        heel_raise_steps=len(raises),
        fatigue_lean_change_deg=_fatigue_deg(lean, cfg),
        fatigue_uncertainty_deg=fatigue_uncertainty_deg(lean, pose.fps, cfg),
        ground_slope_deg=ground_slope_deg(pose, steps, view, static, leg_px, cfg),
    )


def kept_backward_steps(steps: tuple[Step, ...]) -> list[Step]:
    """The backward-running steps whose timing is plausible (a step excluded for ``step_timing`` is not used)."""
    return [s for s in steps if s.direction == "backward" and s.excluded != "step_timing"]


def _frame_count(used: np.ndarray, back: np.ndarray, *reasons: np.ndarray) -> Count:
    """Frames of ``back`` a per-frame metric used (``used``: finite values) and excluded, by reason."""
    why: dict[str, int] = {}
    excluded = np.zeros(back.size, dtype=bool)
    for r in reasons:
        codes = np.where(back & ~excluded, r, 0)
        for code in np.unique(codes[codes != 0]):
            why[REASONS[int(code)]] = why.get(REASONS[int(code)], 0) + int(np.sum(codes == code))
        excluded |= codes != 0
    return Count(used=int(np.sum(used & back)), excluded=int(excluded.sum()), why=why)


def _step_count(steps: tuple[Step, ...], use: list[Step], drop: tuple[str, ...]) -> Count:
    why: dict[str, int] = {}
    for s in steps:
        if s.direction == "backward" and s.excluded in drop:
            why[s.excluded] = why.get(s.excluded, 0) + 1  # type: ignore[index]
    return Count(used=len(use), excluded=sum(why.values()), why=why)


def metric_counts(
    pose: CleanPose, angles: Angles, quality: Quality, segments: tuple[Segment, ...], steps: tuple[Step, ...]
) -> dict[str, Count]:
    """Evidence used and excluded per group of metrics: ``trunk_lean_deg`` (also sway and fatigue), ``elbow_deg``
    and ``head_turns`` (backward frames), ``steps`` (cadence, lengths, contact time, heel lift, symmetry) and
    ``strikes`` (heel_strike_share: steps with a strike class)."""
    back = backward_mask(pose, segments)
    seen = np.all(np.isfinite(pose.xy[:, [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]]), axis=(1, 2))
    head = quality.head if quality.head is not None else np.zeros(back.size, dtype=np.int8)
    kept = kept_backward_steps(steps)
    return {
        "trunk_lean_deg": _frame_count(np.isfinite(angles.trunk_lean), back, quality.frame, quality.trunk),
        "elbow_deg": _frame_count(
            np.isfinite(angles.elbow_left) | np.isfinite(angles.elbow_right), back, quality.frame, quality.arms
        ),
        "head_turns": _frame_count(seen & (head == 0), back, quality.frame, head),
        "steps": _step_count(steps, kept, ("step_timing",)),
        "strikes": _step_count(steps, [s for s in kept if s.strike is not None], ("step_timing", "contact_foot_angle")),
    }


def _median(xs: list[float | None]) -> float | None:
    v = [x for x in xs if x is not None and np.isfinite(x)]
    return float(np.median(v)) if v else None
