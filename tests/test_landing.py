"""Landings from the foot's sweep relative to the pelvis (analysis/landing.py) and the contact detector's check
against them, on hand-made sequences."""

from __future__ import annotations

import numpy as np
import typed_fixtures as tf

from formcheck.analysis.events import ContactDetector
from formcheck.analysis.landing import reconcile, sweep_landings, sweep_leg
from formcheck.analysis.types import CleanPose
from formcheck.config import load_config
from formcheck.pose.landmarks import LM

LEG = 100.0  # px


def _pose(pelvis_x: np.ndarray, foot_x: np.ndarray, foot_y: np.ndarray, fps: float = 30.0) -> CleanPose:
    """Hips at ``pelvis_x``, the left heel and foot index at (``foot_x``, ``foot_y``) (px, image y down); the
    right foot stays down at the pelvis on y = 400."""
    t = pelvis_x.size
    xy = np.full((t, 33, 2), 100.0)
    xy[:, [LM.LEFT_HIP, LM.RIGHT_HIP], 0] = pelvis_x[:, None]
    xy[:, [LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX], 0] = foot_x[:, None]
    xy[:, [LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX], 1] = foot_y[:, None]
    xy[:, [LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX], 0] = pelvis_x[:, None]
    xy[:, [LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX], 1] = 400.0
    return tf.clean_pose(xy, fps)


def _walker(t: int = 120, travel: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pelvis x, left foot x, left foot y; px) of a walker at 5 px/frame toward ``travel``: the left foot stands
    20 frames (stance) on y = 400 px, except the stance from frame 40 which reads 10 px higher (0.1 leg: the foot
    landmarks of a walker off by that much), then swings 10 frames (150 px, 0.25 leg high at mid-swing) to land 50 px
    ahead of the pelvis at frames 10, 40, 70, 100."""
    pel = 200.0 + travel * 5.0 * np.arange(t)
    foot = np.zeros(t)
    y = np.zeros(t)
    for land in range(-20, t, 30):
        spot = 200.0 + travel * (5.0 * land + 50.0)  # where it lands: 50 px ahead of the pelvis then
        for i in range(land, min(land + 20, t)):
            if i >= 0:
                foot[i] = spot
                y[i] = 390.0 if land == 40 else 400.0
        for j in range(10):  # swing to the next landing
            i = land + 20 + j
            if 0 <= i < t:
                foot[i] = spot + travel * 150.0 * (j + 1) / 11.0
                y[i] = 400.0 - 25.0 * np.sin(np.pi * (j + 1) / 11.0)
    return pel, foot, y


def test_sweep_is_the_foot_ahead_of_the_pelvis_toward_travel_in_leg_lengths():
    pel = np.array([100.0, 110.0, 120.0])
    foot = np.array([150.0, 110.0, 90.0])
    pose = _pose(pel, foot, np.zeros(3))
    assert np.allclose(sweep_leg(pose, "left", np.array([1, 1, 1]), LEG), [0.5, 0.0, -0.3])
    # travelling toward -x the same foot is behind; no travel: unknown
    u = sweep_leg(pose, "left", np.array([-1, -1, 0]), LEG)
    assert np.allclose(u[:2], [-0.5, 0.0]) and np.isnan(u[2])


def test_landings_are_the_sweeps_maxima_between_swing_and_stance_whatever_the_direction():
    for travel in (1, -1):
        pel, foot, y = _walker(travel=travel)
        u = sweep_leg(_pose(pel, foot, y), "left", np.full(pel.size, travel), LEG)
        frames, sub = sweep_landings(u, 9, 0.25)
        # +0.5 leg at each landing, falling 0.05 leg/frame through stance, rising 0.10 through swing
        assert frames.tolist() == [10, 40, 70, 100]
        assert np.allclose(sub, frames, atol=0.5)


def test_jitter_and_a_maximum_at_the_edge_of_what_is_seen_are_no_landings():
    u = 0.03 * np.sin(np.arange(60) * 1.3)  # a standing foot's landmark jitter: +-0.03 leg
    assert sweep_landings(u, 9, 0.25)[0].size == 0
    ramp = np.concatenate([np.linspace(0.5, -0.5, 20), [np.nan], np.linspace(-0.5, 0.5, 10), np.linspace(0.45, 0, 9)])
    # frame 0 starts at its highest (edge), frame 30 is a true maximum after a 1.0-leg swing
    assert sweep_landings(ramp, 9, 0.25)[0].tolist() == [30]


def test_reconcile_keeps_the_nearest_height_contact_adds_missed_landings_and_drops_the_rest():
    height = np.array([10.6, 12.0, 20.0, 41.0])
    landings = np.array([10.0, 30.0, 40.0])
    kept, at, added = reconcile(height, landings, 3.0, 3.0)
    # 10.6 is landing 10 (12.0 is further: a second trigger in the same stance), nothing near 30, 41 is landing 40;
    # 12.0 and 20.0 (a swing foot dipping) are no landing
    assert kept.tolist() == [0, 3] and at.tolist() == [0, 2] and added.tolist() == [1]
    # a runner's foot touches down a little after it is furthest forward: later contacts may lie further off
    kept, at, added = reconcile(np.array([14.5, 26.0]), landings, 1.0, 5.0)
    assert kept.tolist() == [0] and at.tolist() == [0] and added.tolist() == [1, 2]


def test_detector_finds_a_walkers_landings_its_height_misses_and_drops_a_swing_dip():
    cfg = load_config().events
    pel, foot, y = _walker()
    # the stance from 40 reads above the ground (0.1 leg): the height misses that landing; and in the next swing
    # (frame 62) the foot's landmarks dip to the ground for a frame, which then blocks the landing at 70
    y[62] = 400.0
    pose = _pose(pel, foot, y)
    travel = np.ones(pel.size)
    plain = ContactDetector(cfg).detect(pose, "left", LEG)
    assert plain.contacts_.tolist() == [10, 62, 71, 100]  # the height alone: the dip holds off the landing
    det = ContactDetector(cfg).detect(pose, "left", LEG, travel)
    assert det.contacts_.tolist() == [10, 40, 70, 100]
    assert det.dropped_ >= 1
    # the stance from 40 never reads down, so its toe-off is the sweep's push-off: furthest back, its last frame
    assert det.toe_offs_[:2].tolist() == [29, 59]
    # unknown travel (standing, front view): the height contacts stand unchecked
    assert ContactDetector(cfg).detect(pose, "left", LEG, np.zeros(pel.size)).contacts_.tolist() == (
        plain.contacts_.tolist()
    )


def test_a_landing_onto_the_other_foot_is_not_added():
    """A foot whose landmarks collapse onto the other foot's (it leaves the picture, or hides behind the near leg)
    makes a sweep maximum without opening a step: with no height contact near, it is not a landing."""
    cfg = load_config().events
    pel, foot, y = _walker()
    pose = _pose(pel, foot, y)
    pose.xy[36:45, [LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX], 0] = pose.xy[36:45, [LM.LEFT_HEEL], 0]
    det = ContactDetector(cfg).detect(pose, "left", LEG, np.ones(pel.size))
    assert det.contacts_.tolist() == [10, 70, 100]


def test_a_toe_first_landing_is_timed_at_the_toe_touch_not_when_the_heel_comes_down():
    """The foot touches down in two parts: at the landing (frame 40) the toe arrives 0.08 leg above the ground
    level (which reads low under it) and stops (a deceleration peak of 0.06 leg/frame^2); 5 frames later the foot
    settles onto the ground level (0.08). The height crosses contact_leg only then; searched from the landing, the
    first peak is the contact."""
    cfg = load_config().events
    pel, foot, y = _walker()
    y[39] = 400.0 - 14.0
    y[40:45] = 400.0 - 8.0
    y[45:60] = 400.0
    pose = _pose(pel, foot, y)
    pose.xy[:, LM.LEFT_FOOT_INDEX, 0] += 20.0  # a foot 20 px long, toes toward travel
    # arriving toes down (22 deg) and still read so when it is down (as MediaPipe read the reversed walker's feet)
    pose.xy[39:47, LM.LEFT_HEEL, 1] -= 8.0
    assert 45 in ContactDetector(cfg).detect(pose, "left", LEG).contacts_.tolist()
    det = ContactDetector(cfg).detect(pose, "left", LEG, np.ones(pel.size))
    assert det.contacts_.tolist() == [10, 40, 70, 100]
    # the same landing arriving flat (or heel first) is left to the height: a runner's heel touches down after
    # the foot is furthest forward
    pose.xy[39:47, LM.LEFT_HEEL, 1] += 8.0
    assert ContactDetector(cfg).detect(pose, "left", LEG, np.ones(pel.size)).contacts_.tolist() == [10, 45, 70, 100]


def _heel_striker(t: int = 120, toe_offset_px: float = 6.0) -> CleanPose:
    """A heel striker standing still (no travel): the left heel lands at frames 10, 40, 70, 100 (stance 20 frames on
    y = 400 px, then a 10-frame swing 0.25 leg high); the toes stay 10 px up for the first 3 frames of each stance
    and then come down. The foot index landmark reads ``toe_offset_px`` below the heel whenever the foot is flat (as
    MediaPipe's foot index sits lower than its heel on synthetic runners)."""
    pel = np.full(t, 200.0)
    heel = np.zeros(t)
    for land in range(-20, t, 30):
        for i in range(max(land, 0), min(land + 20, t)):
            heel[i] = 400.0
        for j in range(10):
            if 0 <= land + 20 + j < t:
                heel[land + 20 + j] = 400.0 - 25.0 * np.sin(np.pi * (j + 1) / 11.0)
    pose = _pose(pel, np.full(t, 180.0), heel)
    toe = heel + toe_offset_px
    for land in range(10, t, 30):
        toe[land : land + 3] = 390.0
    pose.xy[:, LM.LEFT_FOOT_INDEX, 1] = toe
    pose.xy[:, LM.LEFT_FOOT_INDEX, 0] += 25.0  # a foot 25 px long
    return pose


def test_a_heel_landing_is_timed_at_the_heel_when_the_toe_landmark_reads_lower_than_the_heel():
    """Each landmark is measured against its own ground level: the foot index reading 6 px (0.06 leg) lower than the
    heel once flat must not put the ground level under the landed heel, which would time the contact 3 frames
    late, when the toes come down (synthetic sweep09: contact at 67 against 64)."""
    cfg = load_config().events
    assert ContactDetector(cfg).detect(_heel_striker(toe_offset_px=6.0), "left", LEG).contacts_.tolist() == [
        10,
        40,
        70,
        100,
    ]
    # a foot index that reads level with the heel: the same contacts
    assert ContactDetector(cfg).detect(_heel_striker(toe_offset_px=0.0), "left", LEG).contacts_.tolist() == [
        10,
        40,
        70,
        100,
    ]


def test_the_impact_is_never_a_deceleration_of_a_foot_still_in_the_air():
    """Searched from the sweep's landing on, the first deceleration peak is the contact, but only where the foot is
    down to ``airborne_leg``: a jitter in the descent 0.21 leg up (synthetic sweep08, 3 frames early) is not it."""
    cfg = load_config().events
    h = np.array([0.30, 0.27, 0.24, 0.21, 0.20, 0.14, 0.08, 0.03, 0.0, 0.0, 0.0, 0.0])
    acc = h[2:] - 2 * h[1:-1] + h[:-2]
    assert acc[2] >= cfg.impact_first_share * acc.max() > 0  # frame 3 would be taken as the first peak
    assert h[3] > cfg.airborne_leg
    got = ContactDetector(cfg)._refine(h, 7, 30.0, back_frames=7)
    assert 6.5 <= got <= 7.0


def test_no_contact_fires_on_a_foot_pitched_toes_down_more_steeply_than_any_landing():
    """A far foot's toe misread 16 px below its heel (pitch 39-53 deg) 4 px above its ground level, still, while the
    heel is 0.2 leg up, reads as settled 6 frames before the heel strikes (bench_strike heldout10); steeper than
    ``contact_max_pitch_deg`` it is no landing, and the heel strike is found."""
    cfg = load_config().events
    pose = _heel_striker(toe_offset_px=0.0)
    # frames 34-37 (late swing before the landing at 40): heel 20 px up, toe 4 px (0.04 leg) above its ground
    pose.xy[34:38, LM.LEFT_HEEL, 1] = 380.0
    pose.xy[34:38, LM.LEFT_FOOT_INDEX, 1] = 396.0 + np.array([0.0, 0.1, 0.1, 0.0])
    pose.xy[34:38, LM.LEFT_FOOT_INDEX, 0] = 180.0 + np.array([12.0, 16.0, 18.0, 20.0])
    pitch = np.degrees(np.arctan2(16.0, np.array([12.0, 16.0, 18.0, 20.0])))
    assert (pitch > cfg.contact_max_pitch_deg).any() and (pitch > 35).all()
    steep = cfg.model_copy(update={"contact_max_pitch_deg": 30.0})
    assert ContactDetector(steep).detect(pose, "left", LEG).contacts_.tolist() == [10, 40, 70, 100]
    lax = cfg.model_copy(update={"contact_max_pitch_deg": 90.0})
    assert 34 in ContactDetector(lax).detect(pose, "left", LEG).contacts_.tolist()  # the misread toe fires
