"""Locomotion needs steps: a stretch read as running or walking where the feet are big enough to show contacts, but
which shows no run of alternating steps, is movement on the spot (a lunge, a kick, arm swings), not travel. Where
they are too small, it needs ground covered instead.

The stance sweep (:mod:`formcheck.analysis.direction`) reads a foot moving against the hips as travel. A man
lunging on the spot in a lab (Pose2Sim, issue 10), seen from three other cameras and played backwards, read as 1.7 s
of backward running and was coached on posture, arms and trunk sway. His feet were 50-72 px long, where a walker's
or runner's contacts are found (contacts F1 0.99 on side views), and he made 0-2 of them. One contact fewer than
asked will do where the hips also cover ground: a walker crossing a narrow picture in two seconds shows two.

Steps are asked only where contacts can be found: side and oblique views, feet at least ``strike.min_foot_px`` long
in the image. Smaller feet (a walker far away in a crowd, a runner coming toward a static camera) give contacts only
here and there; there a stretch must cover ground (the hips against the image or the background, or the figure
growing or shrinking as in travel in depth): the same lunging man at a third of the size read as 1.7 s of walking
forward, covering 0.4-0.7 torso lengths, where walkers cover 4.6-15. Units: frames, seconds, pixels, torso lengths.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from formcheck.analysis.direction import torso_growth_per_s
from formcheck.analysis.strike import foot_length_px
from formcheck.analysis.types import CleanPose, Segment, Step, View
from formcheck.pose.athlete import median_torso_px, travel_torso


def shows_steps(steps: list[Step], min_steps: int, max_step_s: float) -> bool:
    """Whether ``steps`` (time order) hold ``min_steps`` contacts in a row, each on the other foot than the one
    before and at most ``max_step_s`` (s) after it."""
    run = 1
    for a, b in zip(steps[:-1], steps[1:], strict=True):
        run = run + 1 if a.foot != b.foot and 0 < b.contact_s - a.contact_s <= max_step_s else 1
        if run >= min_steps:
            return True
    return min_steps <= 1 and bool(steps)


def ground_covered_torso(pose: CleanPose, background_px: np.ndarray | None, s: int, e: int, window: int) -> float:
    """Ground covered steadily over frames ``[s, e)`` (torso lengths, :func:`formcheck.pose.athlete.travel_torso`,
    over windows of at most ``window`` frames and half the stretch): the larger of the hips' travel in the image (a
    static camera) and against the background (``background_px [T, 2]``, a following camera's pan taken out). The
    background estimate can follow a runner who fills the picture, so it only ever adds travel."""
    xy = pose.xy[s:e]
    torso = median_torso_px(xy)
    w = max(min(window, (e - s) // 2), 1)
    out = travel_torso(xy, np.zeros((e - s, 2)), torso, w)
    if background_px is not None:
        out = max(out, travel_torso(xy, background_px[s:e], torso, w))
    return out


def covers_ground(
    pose: CleanPose, background_px: np.ndarray | None, seg: Segment, min_torso: float, window: int, depth_log: float
) -> bool:
    """Whether segment ``seg`` travels where steps cannot show it: at least ``min_torso`` torso lengths of ground
    covered (:func:`ground_covered_torso`), or the figure growing or shrinking by ``depth_log`` (change of the log
    torso length over the segment, travel in depth: :func:`formcheck.analysis.direction.torso_growth_per_s`)."""
    s, e = seg.start_frame, seg.end_frame
    if ground_covered_torso(pose, background_px, s, e, window) >= min_torso:
        return True
    growth = torso_growth_per_s(pose, s, e)
    return bool(np.isfinite(growth)) and abs(growth) * (seg.end_s - seg.start_s) >= depth_log


def on_the_spot(
    segments: tuple[Segment, ...],
    steps: tuple[Step, ...],
    pose: CleanPose,
    view: View,
    min_steps: int,
    max_step_s: float,
    min_foot_px: float,
    *,
    background_px: np.ndarray | None = None,
    min_travel_torso: float = 0.0,
    travel_window: int = 1,
    depth_travel_log: float = float("inf"),
) -> tuple[tuple[Segment, ...], tuple[Step, ...]]:
    """``segments`` and ``steps`` with every forward or backward segment that shows no travel made ``standing``,
    and its steps with it. Travel is steps where the feet are at least ``min_foot_px`` (px) long (both feet's median
    length, :func:`formcheck.analysis.strike.foot_length_px`): :func:`shows_steps` on the segment's contacts whose
    timing is plausible (or one contact fewer with ground covered in the image or against the background, not in
    depth); where they are shorter, ground covered (:func:`covers_ground`: ``min_travel_torso`` torso
    lengths over windows of ``travel_window`` frames, or ``depth_travel_log`` in depth; 0 torso lengths: any
    segment). Both unchanged outside side and oblique views, or when no foot is seen."""
    foot = foot_length_px(pose)
    if view.kind not in ("side", "oblique") or foot is None:
        return segments, steps
    small = foot < min_foot_px
    out_segments: list[Segment] = []
    out_steps = list(steps)

    def _moves(seg: Segment) -> bool:
        """Whether travelling segment ``seg`` shows it: ground covered (small feet) or steps."""
        if small:
            return covers_ground(pose, background_px, seg, min_travel_torso, travel_window, depth_travel_log)
        inside = [
            s for s in out_steps if seg.start_frame <= s.contact_frame < seg.end_frame and s.excluded != "step_timing"
        ]
        if shows_steps(inside, min_steps, max_step_s):
            return True
        # one step fewer, with ground covered: a walker seen only briefly (crossing a narrow picture)
        return shows_steps(inside, min_steps - 1, max_step_s) and covers_ground(
            pose, background_px, seg, min_travel_torso, travel_window, float("inf")
        )

    for seg in segments:
        if seg.direction in ("forward", "backward") and not _moves(seg):
            seg = replace(seg, direction="standing")
            for k, s in enumerate(out_steps):
                if seg.start_frame <= s.contact_frame < seg.end_frame:
                    out_steps[k] = replace(s, direction="standing")
        if out_segments and out_segments[-1].direction == seg.direction and out_segments[-1].facing_x == seg.facing_x:
            last = out_segments[-1]
            seen = None if last.seen_s is None or seg.seen_s is None else last.seen_s + seg.seen_s
            seg = replace(last, end_frame=seg.end_frame, end_s=seg.end_s, seen_s=seen)
            out_segments[-1] = seg
        else:
            out_segments.append(seg)
    return tuple(out_segments), tuple(out_steps)
