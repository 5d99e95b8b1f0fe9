"""Locomotion needs steps (formcheck/analysis/locomotion.py): hand-made segments, steps and feet."""

from __future__ import annotations

import numpy as np
import typed_fixtures as tf

from formcheck.analysis.locomotion import on_the_spot, shows_steps
from formcheck.analysis.strike import foot_length_px
from formcheck.analysis.types import CleanPose, Segment, View
from formcheck.config import load_config
from formcheck.pose.landmarks import LM

CFG = load_config()
FPS = 60.0
N = 102  # 1.7 s, as the Pose2Sim lab clips


def pose_with_feet(foot_px: float) -> CleanPose:
    xy = np.zeros((N, 33, 2))
    for heel, toe in ((LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)):
        xy[:, heel] = (300.0, 900.0)
        xy[:, toe] = (300.0 + foot_px, 905.0)
    return tf.clean_pose(xy, FPS, 1080, 1920)


def steps_at(times: list[float], feet: str = "lr") -> tuple:
    return tuple(
        tf.step(int(round(t * FPS)), t, foot="left" if feet[i % len(feet)] == "l" else "right", direction="backward")
        for i, t in enumerate(times)
    )


SEGMENTS = (Segment(0, N, 0.0, N / FPS, "backward", 1, N / FPS),)
ARGS = (CFG.direction.min_locomotion_steps, CFG.events.cadence_max_step_s, CFG.strike.min_foot_px)


def test_three_alternating_contacts_within_a_step_time_are_locomotion():
    max_step = CFG.events.cadence_max_step_s
    assert shows_steps(list(steps_at([0.1, 0.45, 0.8])), 3, max_step)
    assert not shows_steps(list(steps_at([0.1, 0.45])), 3, max_step)  # one step
    assert not shows_steps(list(steps_at([0.1, 0.45, 0.8], feet="l")), 3, max_step)  # one foot stamping
    assert not shows_steps(list(steps_at([0.1, 1.2, 2.3])), 3, max_step)  # pauses, not steps
    assert shows_steps(list(steps_at([0.1, 0.3, 1.5, 1.9, 2.3])), 3, max_step)  # a run of three after a pause


def test_a_lunge_on_the_spot_with_big_feet_is_standing_not_running_backward():
    """The Pose2Sim man played backwards, other camera views: feet 50-72 px, 0-2 contacts in 1.7 s."""
    pose = pose_with_feet(60.0)
    assert abs(foot_length_px(pose) - np.hypot(60.0, 5.0)) < 1e-9
    lunge = steps_at([0.4, 1.45])
    segments, steps = on_the_spot(SEGMENTS, lunge, pose, View("oblique", "left"), *ARGS)
    assert [s.direction for s in segments] == ["standing"] and {s.direction for s in steps} == {"standing"}
    assert segments[0].seen_s == SEGMENTS[0].seen_s and segments[0].end_frame == N

    running = steps_at([0.1 + 0.33 * k for k in range(5)])
    segments, steps = on_the_spot(SEGMENTS, running, pose, View("side", "left"), *ARGS)
    assert segments == SEGMENTS and steps == running


def _walking(foot_px: float, hips_px_per_s: float, torso_px: float = 40.0, growth_per_s: float = 0.0) -> CleanPose:
    """Feet ``foot_px`` long, hips moving right at ``hips_px_per_s`` (the whole figure growing by ``growth_per_s`` in
    log size per s), a torso ``torso_px`` long, a 3 px lunge back and forth at 1 Hz on top."""
    t = np.arange(N) / FPS
    scale = np.exp(growth_per_s * t)
    hips = np.stack([200.0 + hips_px_per_s * t + 3 * np.sin(2 * np.pi * t), np.full(N, 600.0)], axis=1)
    xy = np.zeros((N, 33, 2))
    for i in (LM.LEFT_HIP, LM.RIGHT_HIP):
        xy[:, i] = hips
    for i in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
        xy[:, i] = hips - np.stack([np.zeros(N), torso_px * scale], axis=1)
    for heel, toe in ((LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)):
        xy[:, heel] = hips + np.stack([np.zeros(N), 2.0 * torso_px * scale], axis=1)
        xy[:, toe] = xy[:, heel] + (foot_px, 0.0)
    return tf.clean_pose(xy, FPS, 1080, 1920)


KW = dict(
    min_travel_torso=CFG.direction.min_travel_torso,
    travel_window=round(CFG.athlete.travel_window_s * FPS),
    depth_travel_log=CFG.direction.depth_travel_log,
)


def test_where_contacts_cannot_be_found_travel_is_ground_covered():
    """The Pose2Sim man at a third of the size: feet ~15 px, lunging on the spot, read as 1.7 s of walking."""
    one = steps_at([0.4])
    lunger = _walking(10.0, 0.0)
    out, steps = on_the_spot(SEGMENTS, one, lunger, View("oblique", "left"), *ARGS, **KW)
    assert [s.direction for s in out] == ["standing"] and {s.direction for s in steps} == {"standing"}
    # a walker as far away, 2 torso lengths/s across the image, or with a following camera's pan taken out
    walker = _walking(10.0, 80.0)
    assert on_the_spot(SEGMENTS, one, walker, View("oblique", "left"), *ARGS, **KW) == (SEGMENTS, one)
    held = _walking(10.0, 0.0)
    pan = np.stack([-80.0 * np.arange(N) / FPS, np.zeros(N)], axis=1)  # the background slides left past them
    assert on_the_spot(SEGMENTS, one, held, View("side", "left"), *ARGS, background_px=pan, **KW) == (SEGMENTS, one)
    # and one walking straight toward the camera: growing 0.2 in log size in 1.7 s
    nearer = _walking(10.0, 0.0, growth_per_s=0.15)
    assert on_the_spot(SEGMENTS, one, nearer, View("oblique", "left"), *ARGS, **KW) == (SEGMENTS, one)
    # a front or back view reads travel in depth without either
    big = pose_with_feet(60.0)
    assert on_the_spot(SEGMENTS, one, big, View("back", None), *ARGS, **KW) == (SEGMENTS, one)


def test_a_segment_made_standing_joins_its_standing_neighbour():
    pose = pose_with_feet(60.0)
    segments = (
        Segment(0, 40, 0.0, 40 / FPS, "standing", 1, 40 / FPS),
        Segment(40, N, 40 / FPS, N / FPS, "backward", 1, (N - 40) / FPS),
    )
    out, _ = on_the_spot(segments, steps_at([1.0]), pose, View("side", "left"), *ARGS)
    assert len(out) == 1 and out[0].direction == "standing" and out[0].start_frame == 0 and out[0].end_frame == N
    assert abs(out[0].seen_s - N / FPS) < 1e-9


def test_one_step_with_ground_covered_is_a_walker_seen_briefly_but_not_without_it():
    """The Sports2D walker mirrored and cropped to portrait: in view 2.1 s, feet ~40 px, two alternating contacts
    (the third as she leaves the picture is missed) while she crosses it."""
    two = steps_at([0.4, 0.95])
    crossing = _walking(40.0, 80.0)  # 2 torso lengths/s across the image
    assert on_the_spot(SEGMENTS, two, crossing, View("side", "left"), *ARGS, **KW) == (SEGMENTS, two)
    # the same two contacts on the spot (a lunge, a kick): standing
    lunge = _walking(40.0, 0.0)
    out, steps = on_the_spot(SEGMENTS, two, lunge, View("side", "left"), *ARGS, **KW)
    assert [s.direction for s in out] == ["standing"] and {s.direction for s in steps} == {"standing"}
    # one contact, or two on the same foot, are no step, however far the hips go
    for few in (steps_at([0.4]), steps_at([0.4, 0.95], feet="l")):
        out, _ = on_the_spot(SEGMENTS, few, crossing, View("side", "left"), *ARGS, **KW)
        assert [s.direction for s in out] == ["standing"]
