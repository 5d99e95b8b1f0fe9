"""Hand-computed checks of the analysis building blocks (angles, cleaning, events, view, config)."""

from __future__ import annotations

import numpy as np
import pytest
import typed_fixtures as tf

from formcheck.analysis.angles import foot_angle_deg, interior_angle, trunk_lean_deg
from formcheck.analysis.clean import apply_leg_swaps, fill_gaps, leg_swap_masks, lowpass
from formcheck.analysis.direction import _merge_short, _runs
from formcheck.analysis.events import ContactDetector
from formcheck.analysis.types import CleanPose
from formcheck.config import load_config
from formcheck.pose.landmarks import LM


def test_interior_angle_right_angle_and_straight():
    a, b = np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]])
    assert np.allclose(interior_angle(a, b, np.array([[1.0, 1.0]])), 90.0)
    assert np.allclose(interior_angle(a, b, np.array([[2.0, 0.0]])), 180.0)
    assert np.isnan(interior_angle(a, a, b))[0]


def test_trunk_lean_sign_follows_facing():
    xy = np.full((1, 33, 2), np.nan)
    xy[0, [LM.LEFT_HIP, LM.RIGHT_HIP]] = [100.0, 200.0]
    xy[0, [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]] = [110.0, 100.0]  # shoulders 10 px to image right, 100 px up
    expected = np.degrees(np.arctan2(10, 100))
    assert np.allclose(trunk_lean_deg(xy, np.array([1.0])), expected)  # chest faces right: forward lean
    assert np.allclose(trunk_lean_deg(xy, np.array([-1.0])), -expected)  # chest faces left: leaning back


def test_foot_angle_positive_when_toe_lower():
    xy = np.full((1, 33, 2), np.nan)
    xy[0, LM.LEFT_HEEL] = [100.0, 300.0]
    xy[0, LM.LEFT_FOOT_INDEX] = [120.0, 310.0]  # toe ahead (facing +x) and lower (y down)
    a = foot_angle_deg(xy, LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX, np.array([1.0]))
    assert np.allclose(a, np.degrees(np.arctan2(10, 20)))
    assert foot_angle_deg(xy, LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX, np.array([-1.0]))[0] > 90  # facing away: nonsense


def test_fill_gaps_only_short_interior():
    x = np.array([0.0, np.nan, 2.0, np.nan, np.nan, np.nan, 6.0, np.nan])
    out = fill_gaps(x[:, None], 2)[:, 0]
    assert out[1] == 1.0 and np.isnan(out[3:6]).all() and np.isnan(out[7])


def test_lowpass_keeps_constant_and_damps_jitter():
    fps = 30.0
    t = np.arange(90) / fps
    slow = np.sin(2 * np.pi * 1.0 * t)
    jitter = 0.5 * (-1.0) ** np.arange(90)
    out = lowpass((slow + jitter)[:, None], 7.0, fps)[:, 0]
    assert np.abs(out - slow)[10:-10].max() < 0.1
    assert np.allclose(lowpass(np.ones((20, 1)), 7.0, fps), 1.0)
    # same cut-off in Hz at 60 fps keeps the 1 Hz motion too
    t60 = np.arange(180) / 60.0
    assert np.abs(lowpass(np.sin(2 * np.pi * t60)[:, None], 7.0, 60.0)[:, 0] - np.sin(2 * np.pi * t60)).max() < 0.05


def fix_leg_swaps(xy: np.ndarray, swap_ratio: float) -> np.ndarray:
    """Undo leg swaps in place as the cleaner does; bool[T] where any leg label was exchanged."""
    masks = leg_swap_masks(xy, swap_ratio)
    apply_leg_swaps(masks, xy)
    return np.any(np.stack(masks), axis=0)


def _events(**changes: float):
    return load_config().events.model_copy(update=changes)


def test_leg_swap_is_undone():
    t = 10
    xy = np.zeros((t, 33, 2))
    xy[:, LM.LEFT_ANKLE] = [100.0, 400.0]
    xy[:, LM.RIGHT_ANKLE] = [300.0, 400.0]
    for a, b in (
        (LM.LEFT_KNEE, LM.RIGHT_KNEE),
        (LM.LEFT_HEEL, LM.RIGHT_HEEL),
        (LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX),
    ):
        xy[:, a] = [100.0, 300.0]
        xy[:, b] = [300.0, 300.0]
    xy[5, [LM.LEFT_ANKLE, LM.RIGHT_ANKLE]] = xy[5, [LM.RIGHT_ANKLE, LM.LEFT_ANKLE]]
    for a, b in (
        (LM.LEFT_KNEE, LM.RIGHT_KNEE),
        (LM.LEFT_HEEL, LM.RIGHT_HEEL),
        (LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX),
    ):
        xy[5, [a, b]] = xy[5, [b, a]]
    swapped = fix_leg_swaps(xy, 0.5)
    assert swapped.tolist() == [i == 5 for i in range(t)]
    assert np.allclose(xy[:, LM.LEFT_ANKLE, 0], 100.0)


def test_short_runs_merge_into_neighbours():
    labels = np.array([1] * 30 + [0] * 3 + [1] * 30 + [-1] * 40)
    runs = _merge_short(_runs(labels), 10)
    assert runs == [(1, 0, 63), (-1, 63, 103)]


def _pose_from_feet(heights_px: np.ndarray, fps: float = 30.0) -> CleanPose:
    t = heights_px.shape[0]
    xy = np.full((t, 33, 2), 100.0)
    ground = 400.0
    for k, (heel, toe) in enumerate(((LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX))):
        xy[:, heel, 1] = ground - heights_px[:, k]
        xy[:, toe, 1] = ground - heights_px[:, k]
    return tf.clean_pose(xy, fps)


def test_contacts_found_where_the_foot_lands():
    fps, t = 30.0, 120
    # left foot: 20 frames on the ground, then 10 frames in a 30 px arc; contacts at 30, 60, 90
    h = np.zeros(t)
    for start in (0, 30, 60, 90):
        arc = np.sin(np.linspace(0, np.pi, 12))[1:-1] * 30.0
        h[start + 20 : start + 30] = arc[: len(h[start + 20 : start + 30])]
    det = ContactDetector(_events(contact_leg=0.03, airborne_leg=0.08, toe_off_leg=0.04)).detect(
        _pose_from_feet(np.stack([h, np.zeros(t)], axis=1), fps), "left", 100.0
    )
    assert det.contacts_.tolist() == [30, 60, 90]
    assert det.toe_offs_.tolist() == [49, 79, 109]


def test_a_toe_off_sooner_than_a_running_stance_is_unknown():
    """A heel striker's far foot, followed by the camera, read lifted 2 frames after each landing where it stood 8:
    a toe-off within events.min_stance_s (0.1 s) of its contact is not one (-1); a whole stance is kept."""
    fps, t = 30.0, 120
    h = np.zeros(t)
    for start, stance in ((0, 20), (30, 2), (60, 4), (90, 20)):  # on the ground from each start for `stance` frames
        h[start + stance : start + 30] = 30.0
    det = ContactDetector(_events(contact_leg=0.03, airborne_leg=0.08, toe_off_leg=0.04)).detect(
        _pose_from_feet(np.stack([h, np.zeros(t)], axis=1), fps), "left", 100.0
    )
    assert det.contacts_.tolist() == [30, 60, 90]
    assert det.toe_offs_.tolist() == [-1, 63, 109]  # toe-off 31 (0.03 s): unknown; 63 (0.1 s): kept
    short = ContactDetector(_events(contact_leg=0.03, airborne_leg=0.08, toe_off_leg=0.04, min_stance_s=0.0))
    assert short.detect(_pose_from_feet(np.stack([h, np.zeros(t)], axis=1), fps), "left", 100.0).toe_offs_[0] == 31


def test_a_poorly_visible_foot_dropping_onto_the_ground_for_a_frame_is_no_contact():
    """The far foot hidden behind the near leg collapses onto the stance foot for a frame (low visibility): that
    frame must not fire a contact that then blocks the real landing (min_stride_s)."""
    fps, t = 30.0, 120
    h = np.zeros(t)
    for start in (0, 30, 60, 90):
        arc = np.sin(np.linspace(0, np.pi, 12))[1:-1] * 30.0
        h[start + 20 : start + 30] = arc[: len(h[start + 20 : start + 30])]
    h[54] = 0.0  # mid-swing, the landmarks fall onto the ground for one frame
    cfg = _events(contact_leg=0.03, airborne_leg=0.08, toe_off_leg=0.04)
    pose = _pose_from_feet(np.stack([h, np.zeros(t)], axis=1), fps)
    assert 54 in ContactDetector(cfg).detect(pose, "left", 100.0).contacts_.tolist()  # fooled by the dip
    pose.conf[54, [LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX]] = cfg.contact_min_visibility / 2
    assert ContactDetector(cfg).detect(pose, "left", 100.0).contacts_.tolist() == [30, 60, 90]


def test_every_rule_threshold_has_views_and_nested_bands():
    cfg = load_config()
    from formcheck.rules import RULE_IDS

    assert RULE_IDS[:4] == ("upright_posture", "forefoot_landing", "short_steps", "arm_angle")
    for rid in RULE_IDS:
        band = getattr(cfg.rules, rid)
        assert band.views and band.warn[0] <= band.ok[0] <= band.ok[1] <= band.warn[1]
    text = (__import__("formcheck.config", fromlist=["x"]).DEFAULTS_PATH).read_text()
    for section in ("[cleaning]", "[events]", "[direction]", "[view]") + tuple(f"[rules.{r}]" for r in RULE_IDS):
        assert section in text


def test_feet_swapped_without_knees_after_an_ambiguous_frame_are_undone():
    """MediaPipe swaps the feet (not the knees) for two frames, the first one with both feet in one place: the
    whole-clip label path undoes exactly those frames, and never starts a chain of wrong exchanges."""
    t = 12
    xy = np.zeros((t, 33, 2))
    for k, (a, b) in enumerate(
        (
            (LM.LEFT_KNEE, LM.RIGHT_KNEE),
            (LM.LEFT_ANKLE, LM.RIGHT_ANKLE),
            (LM.LEFT_HEEL, LM.RIGHT_HEEL),
            (LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX),
        )
    ):
        xy[:, a] = np.stack([100.0 + 2 * np.arange(t), np.full(t, 300.0 + k)], axis=1)
        xy[:, b] = np.stack([300.0 - 2 * np.arange(t), np.full(t, 300.0 + k)], axis=1)
    feet = [(LM.LEFT_ANKLE, LM.RIGHT_ANKLE), (LM.LEFT_HEEL, LM.RIGHT_HEEL), (LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX)]
    for a, b in feet:
        xy[5, [a, b]] = (xy[5, a] + xy[5, b]) / 2  # ambiguous: both feet at one point
        xy[6, [a, b]] = xy[6, [b, a]]  # then swapped
    want_left_ankle_x = 100.0 + 2 * np.arange(t)
    swapped = fix_leg_swaps(xy, 0.5)
    assert swapped.tolist() == [i == 6 for i in range(t)]
    keep = np.arange(t) != 5
    assert np.allclose(xy[keep, LM.LEFT_ANKLE, 0], want_left_ankle_x[keep])
    assert np.allclose(xy[:, LM.LEFT_KNEE, 0], 100.0 + 2 * np.arange(t))  # knees never touched


def test_contact_refined_to_the_impact_at_sub_frame_time():
    """A foot descending at 3 px/frame hits the ground at frame 30 and settles over three more frames: the height
    threshold (0.4 px here) is reached at frame 32, the contact is refined back to the impact (sub-frame ~30; the
    contact frame is the first frame at or after it)."""
    fps, t = 30.0, 60
    h = np.zeros(t)
    h[15:30] = 3.0 * (30 - np.arange(15, 30)) + 2.0  # 47 px .. 5 px
    h[30:33] = [1.0, 0.6, 0.3]
    det = ContactDetector(_events(contact_leg=0.004, airborne_leg=0.08, toe_off_leg=0.04, refine_s=0.1)).detect(
        _pose_from_feet(np.stack([h, np.zeros(t)], axis=1), fps), "left", 100.0
    )
    assert det.down_.tolist() == [32]
    assert 29.5 <= det.impact_[0] <= 30.5
    assert det.contacts_.tolist() == [int(np.ceil(det.impact_[0]))]


def _pose_from_nose_lead(lead_px: np.ndarray, fps: float = 30.0) -> CleanPose:
    t = lead_px.size
    xy = np.zeros((t, 33, 2))
    xy[:, LM.LEFT_EAR, 0] = xy[:, LM.RIGHT_EAR, 0] = 100.0
    xy[:, LM.NOSE, 0] = 100.0 + lead_px
    return tf.clean_pose(xy, fps)


def test_head_turns_toward_and_away_from_the_camera_are_both_found_and_a_flicker_is_one_look():
    from formcheck.analysis.metrics import head_turned

    cfg = load_config().events
    lead = np.full(300, 23.0)
    lead[30:54] = 15.0  # a look toward the camera: MediaPipe leaves ~65 % of the lead
    lead[120:144] = 7.0  # a look away from it: ~30 %
    lead[200:230] = 14.0
    lead[214:216] = 22.0  # the same look, back over the threshold for two frames
    lead[260:263] = 10.0  # a 0.1 s dip: not a look
    turned = head_turned(_pose_from_nose_lead(lead), np.ones(300), cfg)
    starts = np.flatnonzero(np.diff(np.concatenate([[0], turned.astype(np.int8)])) == 1).tolist()
    assert starts == [30, 120, 200]
    assert turned[214:216].all() and not turned[260:263].any() and not turned[:30].any()


def test_cadence_needs_cadence_min_steps_step_times():
    """One step time (two contacts) is no cadence: nothing to check it against (crowd clip mirrored and reversed:
    150 steps/min from one 0.4 s step of a walker at ~105); two are; pauses do not count as steps."""
    from typed_fixtures import step

    from formcheck.analysis.metrics import _cadence_spm, cadence_coverage

    ev = load_config().events
    assert ev.cadence_min_steps == 2
    one = [step(10, 1.0, foot="left"), step(14, 1.4, foot="right")]
    assert _cadence_spm(one, cadence_coverage(one, 1.0, ev), ev) is None
    two = [*one, step(20, 2.0, foot="left")]
    assert _cadence_spm(two, cadence_coverage(two, 1.0, ev), ev) == pytest.approx(60.0 / 0.5)
    paused = [*one, step(40, 4.0, foot="left")]  # 2.6 s later: a pause, not a step
    assert _cadence_spm(paused, cadence_coverage(paused, 4.0, ev), ev) is None


def test_cadence_needs_step_times_covering_the_backward_time():
    """Contacts found only here and there are not the gait's steps: the crowd woman played backwards read 150
    steps/min from step times covering 9 % of her 16.6 s backward, walking at ~105."""
    from typed_fixtures import step

    from formcheck.analysis.metrics import _cadence_spm, cadence_coverage

    ev = load_config().events
    assert 0 < ev.cadence_min_coverage <= 1
    feet = ("left", "right", "left", "right", "left")
    times = (1.0, 1.4, 5.0, 5.4, 5.6)
    sporadic = [step(round(10 * t), t, foot=f) for t, f in zip(times, feet, strict=True)]
    assert cadence_coverage(sporadic, 16.0, ev) == pytest.approx(1.0 / 16.0)
    assert _cadence_spm(sporadic, cadence_coverage(sporadic, 16.0, ev), ev) is None
    # the same contacts over a 1.5 s backward stretch each side of them cover it: a cadence
    assert cadence_coverage(sporadic, 1.5, ev) == pytest.approx(1.0 / 1.5)
    # step times: too few strides
    assert _cadence_spm(sporadic, cadence_coverage(sporadic, 1.5, ev), ev) == pytest.approx(60.0 / 0.4)
    assert cadence_coverage(sporadic, 0.0, ev) is None


def test_cadence_from_strides_is_immune_to_one_foot_read_late():
    """Synthetic oblique clip: every right contact read 4 frames late at 30 fps made the step times alternate 6 and
    14 frames; their median gave 139 steps/min for a runner at 180. Strides of each foot are 20 frames: 180."""
    from typed_fixtures import step

    from formcheck.analysis.metrics import _cadence_spm, cadence_coverage

    ev = load_config().events
    frames = [5 + 10 * k + (4 if k % 2 else 0) for k in range(10)]  # left on time, right 4 frames late
    steps = [step(f, f / 30.0, foot="right" if k % 2 else "left") for k, f in enumerate(frames)]
    assert _cadence_spm(steps, cadence_coverage(steps, 3.3, ev), ev) == pytest.approx(180.0)
    # too few strides for a median (one of each foot is not two): the step times decide
    three = steps[:3]
    # the median of 14 and 6 frames
    assert _cadence_spm(three, cadence_coverage(three, 0.7, ev), ev) == pytest.approx(60.0 / (10 / 30.0))


def test_the_heel_raise_is_the_heel_over_the_toe_at_toe_off():
    """heel_drag judges the heel's height above the toe on the toe-off frame (leg lengths): runners rendered with a
    dragged heel read 0.15-0.16 leg on the old peak-after-toe-off measure, like a clean one; level heel and toe at
    toe-off is a drag, the heel 10 px over the toe on a 100 px leg a push-off with the toes."""
    from formcheck.analysis.metrics import _heel_raises

    xy = np.full((40, 33, 2), 100.0)
    xy[:, LM.LEFT_FOOT_INDEX, 1] = 400.0
    xy[:, LM.LEFT_HEEL, 1] = 400.0
    xy[20, LM.LEFT_HEEL, 1] = 390.0  # the heel raised 10 px on the push-off frame
    pose = tf.clean_pose(xy, 30.0)
    pushed = tf.step(0, 0.0, foot="left", toe_off_frame=20)
    dragged = tf.step(1, 0.5, foot="left", toe_off_frame=30)
    unseen = tf.step(2, 1.0, foot="left", toe_off_frame=None)
    assert _heel_raises(pose, [pushed, dragged, unseen], 100.0) == [pytest.approx(0.1), pytest.approx(0.0)]
    assert _heel_raises(pose, [pushed], None) == []
