"""Locomotion needs steps: a stretch read as running or walking where the feet are big enough to show contacts, but
which shows no run of alternating steps, is movement on the spot (a lunge, a kick, arm swings), not travel.

The stance sweep (:mod:`formcheck.analysis.direction`) reads a foot moving against the hips as travel. A man
lunging on the spot in a lab (Pose2Sim, issue 10), seen from three other cameras and played backwards, read as 1.7 s
of backward running and was coached on posture, arms and trunk sway. His feet were 50-72 px long, where a walker's
or runner's contacts are found (contacts F1 0.99 on side views), and he made 0-2 of them.

Only where contacts can be found: side and oblique views, feet at least ``strike.min_foot_px`` long in the image
(smaller feet, such as a walker far away in a crowd or a runner coming toward a static camera, give contacts only
here and there, and their travel is read without them). Units: frames, seconds, pixels.
"""

from __future__ import annotations

from dataclasses import replace

from formcheck.analysis.strike import foot_length_px
from formcheck.analysis.types import CleanPose, Segment, Step, View


def shows_steps(steps: list[Step], min_steps: int, max_step_s: float) -> bool:
    """Whether ``steps`` (time order) hold ``min_steps`` contacts in a row, each on the other foot than the one
    before and at most ``max_step_s`` (s) after it."""
    run = 1
    for a, b in zip(steps[:-1], steps[1:], strict=True):
        run = run + 1 if a.foot != b.foot and 0 < b.contact_s - a.contact_s <= max_step_s else 1
        if run >= min_steps:
            return True
    return min_steps <= 1 and bool(steps)


def on_the_spot(
    segments: tuple[Segment, ...],
    steps: tuple[Step, ...],
    pose: CleanPose,
    view: View,
    min_steps: int,
    max_step_s: float,
    min_foot_px: float,
) -> tuple[tuple[Segment, ...], tuple[Step, ...]]:
    """``segments`` and ``steps`` with every forward or backward segment that shows no steps
    (:func:`shows_steps` on its contacts whose timing is plausible) made ``standing``, and its steps with it; both
    unchanged outside side and oblique views or when the feet are under ``min_foot_px`` (px) long (both feet's
    median length, :func:`formcheck.analysis.strike.foot_length_px`)."""
    foot = foot_length_px(pose)
    if view.kind not in ("side", "oblique") or foot is None or foot < min_foot_px:
        return segments, steps
    out_segments: list[Segment] = []
    out_steps = list(steps)
    for seg in segments:
        inside = [
            k
            for k, s in enumerate(out_steps)
            if seg.start_frame <= s.contact_frame < seg.end_frame and s.excluded != "step_timing"
        ]
        travel = seg.direction in ("forward", "backward")
        if travel and not shows_steps([out_steps[k] for k in inside], min_steps, max_step_s):
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
