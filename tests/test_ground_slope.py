"""The ground's slope in the picture (formcheck/analysis/ground_slope.py) and the rules it holds back: a phone held
crooked tilts the trunk lean and the foot angles by as much."""

from __future__ import annotations

import math

import numpy as np
import pytest
import typed_fixtures as tf

from formcheck.analysis.ground_slope import ground_slope_deg
from formcheck.analysis.types import Step, View
from formcheck.config import load_config
from formcheck.pose.landmarks import LM
from formcheck.rules import judge_rules
from formcheck.rules.registry import RuleContext

CFG = load_config()
SIDE = View(kind="side", side="left")
LEG = 100.0


def _walk(tilt_deg: float, n_steps: int = 6, step_px: float = 60.0, stray: bool = False):
    """A static camera's picture turned ``tilt_deg`` counter-clockwise: a runner crossing left to right, a
    contact every 10 frames, each foot flat on the ground (heel and toe at one height) through its stance."""
    t = 10 * n_steps + 10
    xy = np.full((t, 33, 2), np.nan)
    steps = []
    a = math.radians(tilt_deg)
    for k in range(n_steps):
        foot = ("left", "right")[k % 2]
        heel, toe = (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX) if foot == "left" else (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)
        f = 10 * k
        for g in range(f, f + 10):
            for idx, dx in ((heel, 0.0), (toe, 25.0)):
                x, y = 100.0 + step_px * k + dx, 400.0  # level ground
                if stray and k == 2:
                    y -= 40.0  # one footprint misplaced by the landmarker
                # turned about (320, 240), counter-clockwise as seen: y grows down
                xr = 320 + (x - 320) * math.cos(a) + (y - 240) * math.sin(a)
                yr = 240 - (x - 320) * math.sin(a) + (y - 240) * math.cos(a)
                xy[g, idx] = (xr, yr)
        steps.append(Step(foot, f, f / 30.0, f + 8, None, 0.0, None, None, "backward"))
    return tf.clean_pose(xy, 30.0), tuple(steps)


@pytest.mark.parametrize("tilt", [0.0, 5.0, -3.0])
def test_the_footprints_line_is_the_cameras_roll(tilt):
    pose, steps = _walk(tilt)
    slope = ground_slope_deg(pose, steps, SIDE, True, LEG, CFG.events)
    assert slope is not None and abs(slope - tilt) < 0.05
    stray = ground_slope_deg(*_walk(tilt, stray=True), SIDE, True, LEG, CFG.events)
    assert stray is not None and abs(stray - tilt) < 1.0  # one misplaced foot moves the median little


def test_no_slope_without_a_static_side_view_and_enough_ground():
    pose, steps = _walk(5.0)
    assert ground_slope_deg(pose, steps, SIDE, False, LEG, CFG.events) is None  # a following camera pans
    assert ground_slope_deg(pose, steps, View(kind="oblique", side="left"), True, LEG, CFG.events) is None
    assert ground_slope_deg(pose, steps[:3], SIDE, True, LEG, CFG.events) is None  # too few footprints
    short = _walk(5.0, step_px=20.0)  # six footprints within 1.25 leg lengths
    assert ground_slope_deg(*short, SIDE, True, LEG, CFG.events) is None


def test_a_tilted_picture_holds_back_posture_and_landing():
    bound = CFG.rules.level_max_ground_slope_deg
    ctx = RuleContext(view="side", backward=True, evidence={})
    for slope, judged in ((0.0, True), (bound - 0.1, True), (-(bound + 0.1), False), (6.3, False)):
        m = tf.metrics(heel_strike_share=0.0, strikes_classified=8, steps_backward=10, ground_slope_deg=slope)
        verdicts = {v.id: v for v in judge_rules(m, ctx, CFG.rules)}
        for rule in ("upright_posture", "forefoot_landing"):
            v = verdicts[rule]
            assert (v.verdict != "not_assessable") is judged, (slope, rule, v.message)
            if not judged:
                assert "slopes" in v.message and "level" in v.message
        assert verdicts["arm_angle"].verdict != "not_assessable"  # an elbow angle has no level
