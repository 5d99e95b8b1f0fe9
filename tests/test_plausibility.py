"""Plausibility screens: implausible landmark sets, angles and steps are excluded and counted (hand-made bodies)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import typed_fixtures as tf

from formcheck.analysis.clean import Cleaner
from formcheck.analysis.judge import judge
from formcheck.analysis.plausibility import CODE, frame_notes, landmark_reasons, screen_angles, screen_steps
from formcheck.analysis.types import Angles, View
from formcheck.config import load_config
from formcheck.pose.landmarks import LM
from formcheck.pose.sequence import PoseSequence
from formcheck.report.frames_csv import frames_csv_text

CFG = load_config()
P = CFG.plausibility
END_ON = CFG.view.front_min_ratio

#: A standing body seen from its right side, facing +x (px): torso 100 px, legs 180 px, arms bent.
BODY = {
    "NOSE": (312, 60),
    "LEFT_EAR": (298, 62),
    "RIGHT_EAR": (298, 62),
    "SHOULDER": (300, 100),
    "ELBOW": (305, 160),
    "WRIST": (335, 165),
    "HIP": (300, 200),
    "KNEE": (305, 290),
    "ANKLE": (300, 380),
    "HEEL": (292, 390),
    "FOOT_INDEX": (322, 392),
}


def body_sequence(n: int = 60, fps: float = 30.0, speed_px_s: float = 60.0) -> PoseSequence:
    """``n`` frames of the body drifting along +x at ``speed_px_s``."""
    image = np.full((n, 33, 4), np.nan, np.float32)
    for name, (x, y) in BODY.items():
        names = [name] if name in ("NOSE", "LEFT_EAR", "RIGHT_EAR") else [f"LEFT_{name}", f"RIGHT_{name}"]
        for lm in names:
            image[:, LM[lm], 0] = x + speed_px_s * np.arange(n) / fps
            image[:, LM[lm], 1] = y
    filled = np.isfinite(image[:, :, 0])
    image[:, :, 3] = np.where(filled, 0.9, np.nan)
    image[~filled] = 0.0
    image[:, :, 2] = 0.0
    world = np.zeros((n, 33, 4), np.float32)
    return PoseSequence(
        image=image,
        world=world,
        timestamps_s=np.arange(n) / fps,
        detected=np.ones(n, bool),
        fps=fps,
        width=640,
        height=480,
        model="full",
    )


def with_frame(seq: PoseSequence, i: int, change) -> PoseSequence:
    image = seq.image.copy()
    change(image[i])
    return PoseSequence(
        image=image,
        world=seq.world,
        timestamps_s=seq.timestamps_s,
        detected=seq.detected,
        fps=seq.fps,
        width=seq.width,
        height=seq.height,
        model=seq.model,
    )


def test_a_plausible_body_keeps_every_frame():
    assert not landmark_reasons(body_sequence(), P).any()


def test_a_leg_three_torsos_long_is_implausible_proportions():
    def stretch(frame):
        frame[LM.LEFT_ANKLE, 1] = 500.0  # shank 210 px: 2.1 torso lengths, with the thigh 0.9 (bound 1.6)

    reasons = landmark_reasons(with_frame(body_sequence(), 20, stretch), P)
    assert reasons[20] == CODE["proportions"] and np.count_nonzero(reasons) == 1


def test_a_torso_that_halves_for_a_frame_is_a_size_jump():
    def squash(frame):
        centre = frame[LM.LEFT_HIP, :2].copy()
        frame[:, :2] = centre + (frame[:, :2] - centre) * 0.4  # the whole figure 0.4x for a frame (bound 0.6)

    reasons = landmark_reasons(with_frame(body_sequence(), 30, squash), P)
    assert reasons[30] == CODE["size_jump"]


def test_hips_jumping_across_the_image_are_a_jump():
    def move(frame):
        frame[:, 0] += 400.0  # 400 px in 1/30 s = 120 torso lengths/s (bound 25)

    reasons = landmark_reasons(with_frame(body_sequence(), 40, move), P)
    assert reasons[40] == CODE["jump"] and reasons[41] == CODE["jump"]  # into the jump and back out of it
    assert np.count_nonzero(reasons) == 2


def test_excluded_frames_are_not_filled_from_their_neighbours():
    seq = with_frame(body_sequence(), 20, lambda f: f.__setitem__((LM.LEFT_ANKLE, 1), 500.0))
    reasons = landmark_reasons(seq, P)
    pose = Cleaner(CFG.cleaning).clean(seq, exclude=reasons != 0)
    assert np.isnan(pose.xy[20]).all() and np.isfinite(pose.xy[19]).all() and np.isfinite(pose.xy[21]).all()
    assert (pose.conf[20] == 0).all()


def _angles(n: int, trunk=None, foot=None) -> Angles:
    nan = np.full(n, np.nan)
    return Angles(
        trunk_lean=np.full(n, 5.0) if trunk is None else trunk,
        elbow_left=np.full(n, 90.0),
        elbow_right=np.full(n, 90.0),
        foot_left=np.full(n, 5.0) if foot is None else foot,
        foot_right=nan.copy(),
    )


def test_trunk_flips_and_backward_feet_are_excluded_only_where_they_happen():
    seq = body_sequence(30)
    pose = Cleaner(CFG.cleaning).clean(seq)
    trunk = np.full(30, 5.0)
    trunk[10] = 95.0  # beyond +60 and a 90 deg jump in 1/30 s (2700 deg/s)
    trunk[20] = -30.0  # within range, but a 35 deg jump: 1050 deg/s
    foot = np.full(30, 5.0)
    foot[15] = 130.0  # toe pointing backward past vertical (bound 110)
    angles, q = screen_angles(
        pose, _angles(30, trunk, foot), np.zeros(30, np.int8), View("side", "right"), 30.0, P, END_ON
    )
    assert np.flatnonzero(q.trunk).tolist() == [9, 10, 11, 19, 20, 21]
    assert np.isnan(angles.trunk_lean[[9, 10, 11, 19, 20, 21]]).all() and angles.trunk_lean[5] == 5.0
    assert np.flatnonzero(q.foot_left).tolist() == [15] and np.isnan(angles.foot_left[15])
    assert angles.foot_left[14] == 5.0 and angles.elbow_left[15] == 90.0
    notes = frame_notes(q)
    assert notes[15] == "foot_angle_left" and notes[10] == "trunk" and notes[0] == ""


def test_front_views_measure_no_foot_angle():
    seq = body_sequence(10)
    pose = Cleaner(CFG.cleaning).clean(seq)
    angles, _ = screen_angles(pose, _angles(10), np.zeros(10, np.int8), View("front", None), 30.0, P, END_ON)
    assert np.isnan(angles.foot_left).all() and angles.trunk_lean[0] == 5.0


def test_frames_seen_end_on_give_no_trunk_lean_or_elbow_in_a_side_view():
    """A walker turning her back to the camera mid-clip (a raised camera, walking away in depth): on those frames
    the lean and the arm swing lie along the camera axis; the image shows a sideways tilt and foreshortened arms."""
    seq = body_sequence(20)
    pose = Cleaner(CFG.cleaning).clean(seq)
    xy = pose.xy.copy()
    torso = 100.0
    for left, right in ((LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER), (LM.LEFT_HIP, LM.RIGHT_HIP)):
        mid_x = (xy[8:14, left, 0] + xy[8:14, right, 0]) / 2
        xy[8:14, left, 0] = mid_x - 0.3 * torso  # back to the camera: width ratio 0.6
        xy[8:14, right, 0] = mid_x + 0.3 * torso
    turned = replace(pose, xy=xy)
    angles, q = screen_angles(turned, _angles(20), np.zeros(20, np.int8), View("oblique", "right"), 30.0, P, END_ON)
    assert 0.48 <= END_ON < 0.6
    assert np.flatnonzero(q.trunk).tolist() == list(range(8, 14)) == np.flatnonzero(q.arms).tolist()
    assert np.isnan(angles.trunk_lean[8:14]).all() and np.isnan(angles.elbow_left[8:14]).all()
    assert angles.trunk_lean[7] == 5.0 and angles.elbow_right[14] == 90.0
    assert frame_notes(q)[9] == "end_on" and frame_notes(q)[7] == ""
    # a front or back view is not judged on these at all: nothing is excluded frame by frame there
    _, q_back = screen_angles(turned, _angles(20), np.zeros(20, np.int8), View("back", None), 30.0, P, END_ON)
    assert not q_back.trunk.any() and not q_back.arms.any()


def test_unseen_frames_are_named_apart_from_implausible_ones():
    from formcheck.analysis.types import Count

    c = Count(used=5, excluded=50, why={"trunk": 30, "end_on": 12, "jump": 8})
    assert c.note() == "38 excluded as implausible: 30 trunk, 8 jump; 12 seen end-on (front or back to the camera)"
    assert Count(used=5, excluded=12, why={"end_on": 12}).note() == "12 seen end-on (front or back to the camera)"


def test_contacts_closer_than_a_step_and_impossible_landings():
    steps = (
        tf.step(10, 0.33),
        tf.step(13, 0.43, foot="right"),  # 0.10 s after the previous one: 600 steps/min
        tf.step(20, 0.66, foot="right", foot_angle_deg=80.0, strike="forefoot"),  # beyond +75 at contact
        tf.step(30, 1.0),
    )
    out = screen_steps(steps, P)
    assert [s.excluded for s in out] == [None, "step_timing", "contact_foot_angle", None]
    assert out[2].strike is None and out[2].foot_angle_deg is None and out[2].contact_s == 0.66
    assert out[3] == steps[3]
    # a real toe-first landing is steeper than a rendered one: the treadmill walker played backward lands at 45-59
    steep = screen_steps((tf.step(20, 0.66, foot_angle_deg=58.0, strike="forefoot"),), P)[0]
    assert steep.excluded is None and steep.strike == "forefoot"


def test_one_foot_landing_again_too_soon_or_a_contact_that_never_stands():
    # issue 10, the Sports2D walker played backwards: the left foot "landed" at frames 59 and 70 (0.37 s: no
    # stride is that short); a contact whose toe-off is read the same frame still counts (toe-offs of small
    # figures are that uncertain: the synthetic 70 px runner)
    steps = (
        tf.step(59, 59 / 30, toe_off_frame=61),
        tf.step(70, 70 / 30, toe_off_frame=72),  # left again after 0.37 s
        tf.step(71, 71 / 30, foot="right", toe_off_frame=73),
        tf.step(101, 101 / 30, toe_off_frame=108),
        tf.step(112, 112 / 30, foot="right", toe_off_frame=112),  # stance read as 0 s
        tf.step(120, 120 / 30, foot="right", toe_off_frame=None),  # right again after 0.27 s
    )
    out = screen_steps(steps, P)
    assert [s.excluded for s in out] == [None, "step_timing", None, None, None, "step_timing"]


def test_judgement_excludes_collapsed_frames_and_frames_csv_says_why():
    seq = body_sequence(90)
    bad = seq
    for i in range(0, 90, 2):  # every other frame collapses: too little left for any frame rule
        bad = with_frame(bad, i, lambda f: f.__setitem__((LM.LEFT_ANKLE, 1), 600.0))
    j = judge(bad, CFG)
    assert np.flatnonzero(j.quality.frame == CODE["proportions"]).tolist() == list(range(0, 90, 2))
    assert np.isnan(j.angles.trunk_lean[0::2]).all() and np.isfinite(j.angles.trunk_lean[1::2]).all()
    text = frames_csv_text(j)
    header, *rows = text.splitlines()
    assert header.endswith(",excluded")
    assert rows[0].endswith(",proportions") and rows[0].split(",")[3] == ""  # trunk lean cell empty


def test_counts_reach_report_json_and_rule_messages():
    from dataclasses import replace

    from formcheck.analysis.types import Count
    from formcheck.rules.registry import RuleContext, judge_rules

    m = replace(
        tf.metrics(),
        trunk_lean_deg=tf.Stats(median=5.0, p10=4.0, p90=6.0, n=5),
        counts={"trunk_lean_deg": Count(used=5, excluded=40, why={"trunk": 30, "jump": 10})},
    )
    v = judge_rules(m, RuleContext(view="side", backward=True, evidence={}), CFG.rules)[0]
    assert v.verdict == "not_assessable"
    assert "5 of 15 needed; 40 excluded as implausible: 30 trunk, 10 jump" in v.message


def test_steps_far_shorter_than_the_tracks_own_stride_are_step_timing():
    # a walker whose feet repeat every 1.2 s: steps take ~0.6 s, so a contact 0.2 s after the other foot's (0.3 s
    # at the least with stride_share 0.5) or a foot landing again 0.5 s after itself (0.6 s at the least) is false
    steps = (
        tf.step(30, 1.0),
        tf.step(48, 1.6, foot="right"),
        tf.step(54, 1.8),  # 0.2 s after the right foot
        tf.step(69, 2.3),  # 1.3 s after the left foot's kept contact, 0.7 s after the right's
        tf.step(80, 2.65, foot="right"),  # 0.35 s after the left
        tf.step(95, 3.15, foot="right"),  # the right foot again 0.5 s after itself
    )
    assert [s.excluded for s in screen_steps(steps, P)] == [None] * 6  # fine for a runner: no stride known
    out = screen_steps(steps, P, stride_s=1.2)
    assert [s.excluded for s in out] == [None, None, "step_timing", None, None, "step_timing"]


def test_which_way_the_runner_faces_is_told_only_by_a_clear_majority_of_the_feet():
    """The OpenCV pedestrian reversed (issue 10): 67 of her feet's votes say +x and 64 say -x over 14 s walking in
    depth; the sign of her trunk lean followed that coin toss (-8.5 deg "leaning back" one run, +8.5 "upright" the
    next). A side-view walker's feet agree 0.98-1.00."""
    from formcheck.analysis.view import segment_facing

    share = CFG.view.facing_min_agreement
    coin = np.array([1.0] * 67 + [-1.0] * 64 + [np.nan] * 9)
    assert segment_facing(coin, share) == 0
    walker = np.array([-1.0] * 160 + [1.0] * 4)
    assert segment_facing(walker, share) == -1 and segment_facing(-walker, share) == 1
    assert segment_facing(np.full(5, np.nan), share) == 0  # no votes: unknown
    edge = np.array([1.0] * 8 + [-1.0] * 2)  # exactly the share asked
    assert segment_facing(edge, 0.8) == 1 and segment_facing(edge, 0.81) == 0


def test_frames_of_unknown_facing_give_no_trunk_lean_and_no_head_turn():
    seq = body_sequence(20)
    pose = Cleaner(CFG.cleaning).clean(seq)
    facing = np.ones(20)
    facing[5:12] = np.nan
    angles, q = screen_angles(pose, _angles(20), np.zeros(20, np.int8), View("side", "right"), 30.0, P, END_ON, facing)
    assert np.flatnonzero(q.trunk).tolist() == list(range(5, 12)) == np.flatnonzero(q.head).tolist()
    assert (q.trunk[5:12] == CODE["facing"]).all()
    assert np.isnan(angles.trunk_lean[5:12]).all() and angles.trunk_lean[4] == 5.0
    assert angles.elbow_left[7] == 90.0  # an elbow angle has no sign: still measured
    assert frame_notes(q)[6] == "facing" and frame_notes(q)[4] == ""
    from formcheck.analysis.types import Count

    note = Count(used=0, excluded=7, why={"facing": 7}).note()
    assert note == "7 facing unknown (the feet point at the camera)"


def test_no_head_turn_is_judged_where_the_facing_is_unknown():
    """Head turns are the nose leading the ears toward the facing side; with the facing unknown none can be told,
    and "you never looked over your shoulder" would be a verdict on nothing."""
    from formcheck.analysis.types import Count
    from formcheck.rules.registry import RuleContext, look_over_shoulder

    ctx = RuleContext(view="oblique", backward=True, evidence={})
    unknown = tf.metrics(
        head_turns=0,
        head_turns_per_min=None,
        head_turned_share=None,
        counts={"head_turns": Count(used=0, excluded=140, why={"facing": 140})},
    )
    v = look_over_shoulder(unknown, ctx, CFG.rules)
    assert v.verdict == "not_assessable"
    assert "facing unknown" in v.message
    known = tf.metrics(
        head_turns=0, head_turns_per_min=0.0, head_watched_s=300.0, counts={"head_turns": Count(9000, 0, {})}
    )
    assert look_over_shoulder(known, ctx, CFG.rules).verdict == "fail"  # seen for 5 min, and never turned: judged


def test_under_the_strike_frame_rate_no_landing_is_classed_and_the_rule_says_why():
    # issue 10's held-out walker played backwards at 15 fps read 2 of 5 toe-first landings as heel
    from formcheck.analysis.types import StrikeNote
    from formcheck.rules.registry import RuleContext, judge_rules

    slow = judge(body_sequence(60, fps=15.0), CFG)
    assert slow.metrics.strike_note == StrikeNote.of_frame_rate(15.0, CFG.strike.min_fps)
    assert all(s.strike is None for s in slow.steps)
    assert judge(body_sequence(60, fps=CFG.strike.min_fps), CFG).metrics.strike_note is None
    m = tf.metrics(strike_note=slow.metrics.strike_note)
    rules = judge_rules(m, RuleContext(view="side", backward=True, evidence={}), CFG.rules)
    v = next(v for v in rules if v.id == "forefoot_landing")
    assert v.verdict == "not_assessable" and "15 fps" in v.message and "30 fps" in v.message
