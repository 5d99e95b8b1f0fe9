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


def test_where_contacts_cannot_be_found_travel_is_read_without_them():
    lunge = steps_at([0.4])
    small = pose_with_feet(10.0)  # the crowd walker's ~10 px feet: contacts only here and there
    assert on_the_spot(SEGMENTS, lunge, small, View("oblique", "left"), *ARGS) == (SEGMENTS, lunge)
    big = pose_with_feet(60.0)
    assert on_the_spot(SEGMENTS, lunge, big, View("back", None), *ARGS) == (SEGMENTS, lunge)  # depth: no contacts


def test_a_segment_made_standing_joins_its_standing_neighbour():
    pose = pose_with_feet(60.0)
    segments = (
        Segment(0, 40, 0.0, 40 / FPS, "standing", 1, 40 / FPS),
        Segment(40, N, 40 / FPS, N / FPS, "backward", 1, (N - 40) / FPS),
    )
    out, _ = on_the_spot(segments, steps_at([1.0]), pose, View("side", "left"), *ARGS)
    assert len(out) == 1 and out[0].direction == "standing" and out[0].start_frame == 0 and out[0].end_frame == N
    assert abs(out[0].seen_s - N / FPS) < 1e-9
