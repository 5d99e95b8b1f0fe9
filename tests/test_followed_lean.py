"""The followed-lean offset: added to the trunk lean of the full model's landmarks followed with one pose, and only
there (cleaning.followed_lean_offset_deg; bench/bench_followed_lean.py measures it)."""

from __future__ import annotations

import numpy as np
import pytest
import typed_fixtures as tf

from formcheck.analysis.angles import compute_angles
from formcheck.analysis.judge import followed_lean_offset_deg
from formcheck.config import load_config
from formcheck.pose.landmarks import LM
from formcheck.pose.sequence import PoseSequence

CFG = load_config(None)


def _seq(model: str) -> PoseSequence:
    return tf.pose_tracks(np.zeros((1, 3, 33, 4), np.float32), model=model).person(0)


def test_the_configured_offset_is_a_small_forward_tilt():
    assert 0.0 < CFG.cleaning.followed_lean_offset_deg < 1.0


@pytest.mark.parametrize(
    ("model", "poses", "added"),
    [("full", 1, True), ("heavy", 1, False), ("lite", 1, False), ("", 1, False), ("full", 2, False)],
)
def test_the_offset_applies_to_the_full_model_followed_with_one_pose_only(model, poses, added):
    cfg = CFG.model_copy(update={"pose": CFG.pose.model_copy(update={"follow_num_poses": poses})})
    want = CFG.cleaning.followed_lean_offset_deg if added else 0.0
    assert followed_lean_offset_deg(_seq(model), cfg) == want


def test_the_offset_moves_the_lean_toward_the_chest_and_nothing_else():
    n = 2
    xy = np.zeros((n, 33, 2))
    xy[:, [LM.LEFT_HIP, LM.RIGHT_HIP]] = (100.0, 300.0)
    xy[:, [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]] = (110.0, 200.0)  # shoulders 10 px toward +x, 100 px up
    xy[:, LM.LEFT_ELBOW] = (110.0, 260.0)
    xy[:, LM.LEFT_WRIST] = (150.0, 260.0)
    pose = tf.clean_pose(xy, 30.0)
    facing = np.array([1.0, -1.0])  # chest toward +x (leaning forward), then toward -x (leaning back)
    plain, moved = compute_angles(pose, facing), compute_angles(pose, facing, 0.5)
    lean = np.degrees(np.arctan2(10.0, 100.0))
    assert np.allclose(plain.trunk_lean, [lean, -lean])
    assert np.allclose(moved.trunk_lean, [lean + 0.5, -lean + 0.5])
    assert np.allclose(moved.elbow_left, plain.elbow_left, equal_nan=True)
    assert np.allclose(moved.foot_left, plain.foot_left, equal_nan=True)
