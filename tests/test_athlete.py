"""Choosing the athlete by travel, gait, presence and size; telling people apart by colours and build; the
background shift; the close-call note."""

from __future__ import annotations

import numpy as np
import pytest
from typed_fixtures import pose_tracks

from formcheck.config import load_config
from formcheck.pose.athlete import choose, gait_periodicity, order_candidates, presence_credit, rank, travel_torso
from formcheck.pose.landmarks import LM
from formcheck.pose.outliers import mangled_frames
from formcheck.pose.pixels import N_REGIONS, PixelSampler, appearance_distance, person_colours, phase_shift
from formcheck.pose.tracking import PersonTracker
from formcheck.report.terminal import close_choice_note

FPS = 30.0
CFG = load_config().athlete
CFG_T = load_config().tracking


def figure(x: float, y: float, stride_phase: float | None, arm: float = 0.0, part_px: float = 60.0) -> np.ndarray:
    """A side-view figure (33 landmarks, px), torso 100 px, hips at (x, y). ``stride_phase`` (rad) parts the
    ankles +-``part_px`` along x, alternating (None: feet together); ``arm`` moves the wrists (px)."""
    lm = np.zeros((33, 4), np.float32)
    lm[:, 3] = 0.9
    lm[:, 0], lm[:, 1] = x, y - 50
    lm[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER], 1] = y - 100
    lm[[LM.LEFT_HIP, LM.RIGHT_HIP], 1] = y
    part = part_px * np.sin(stride_phase) if stride_phase is not None else 0.0
    for side, sign in ((0, 1), (1, -1)):
        knee, ankle = (LM.LEFT_KNEE, LM.LEFT_ANKLE) if side == 0 else (LM.RIGHT_KNEE, LM.RIGHT_ANKLE)
        lm[knee] = (x + sign * part / 2, y + 90, 0, 0.9)
        lm[ankle] = (x + sign * part, y + 180, 0, 0.9)
    lm[[LM.LEFT_WRIST, LM.RIGHT_WRIST], 1] = y - 150 + arm
    return lm


def scene(n: int = 150) -> np.ndarray:
    """Candidates ``[2, n, 33, 4]``: 0 a waver standing on a box the whole clip (arms and a jump on the spot),
    1 a walker crossing (1.2 s strides, 8 px/frame) seen in 70% of the frames."""
    out = np.full((2, n, 33, 4), np.nan, np.float32)
    for t in range(n):
        hop = 40 * max(0.0, np.sin(t / 4)) if 100 <= t < 115 else 0.0
        out[0, t] = figure(300, 200 - hop, None, arm=80 * np.sin(t / 2))
        if t >= 0.3 * n:
            out[1, t] = figure(1200 - 8 * t, 600, 2 * np.pi * t / (1.2 * FPS))
    return out


def test_the_walker_is_chosen_over_a_waver_the_same_forward_backward_and_mirrored():
    image = scene()
    variants = {
        "forward": image,
        "backward": image[:, ::-1],
        "mirrored": np.concatenate([1600 - image[..., :1], image[..., 1:]], axis=-1),
    }
    for name, img in variants.items():
        order, ranked = rank(choose(img, None, FPS, CFG), CFG.close_confidence)
        assert order[0] == 1, name
        walker, waver = ranked
        assert walker.gait > 0.8 and waver.gait < 0.2, name
        assert walker.travel_torso > 4 * waver.travel_torso, name
        assert walker.stride_s == pytest.approx(1.2, abs=0.1), name
        assert walker.confidence > CFG.close_confidence and not walker.close, name


def test_gait_needs_alternating_feet_at_a_stride_period():
    n = 120
    walk = np.stack([figure(500, 500, 2 * np.pi * t / (0.7 * FPS)) for t in range(n)])
    together = np.stack([figure(500, 500, None, arm=50 * np.sin(t)) for t in range(n)])
    g, stride = gait_periodicity(walk, FPS, 100.0, CFG)
    assert g > 0.8 and stride == pytest.approx(0.7, abs=0.05)
    assert gait_periodicity(together, FPS, 100.0, CFG)[0] == 0.0
    # too short a stretch to show a stride: no gait claimed
    assert gait_periodicity(walk[:10], FPS, 100.0, CFG) == (0.0, None)


def test_travel_is_against_the_background():
    n = 90
    # a following camera: the runner is held in frame while the background streams past at 10 px/frame, and a
    # bystander standing still streams past with it
    bg = np.stack([-10.0 * np.arange(n), np.zeros(n)], axis=1)
    runner = np.stack([figure(500, 500, 0.0) for _ in range(n)])
    bystander = np.stack([figure(900 - 10 * t, 500, None) for t in range(n)])
    w = int(CFG.travel_window_s * FPS)
    assert travel_torso(runner, bg, 100.0, w) == pytest.approx(9.0, rel=0.05)  # 900 px of ground in 3 s
    assert travel_torso(bystander, bg, 100.0, w) == pytest.approx(0.0, abs=0.01)
    assert travel_torso(bystander, np.zeros((n, 2)), 100.0, w) == pytest.approx(9.0, rel=0.05)


def test_a_tie_is_close_and_the_report_fields_say_so():
    one = scene()[1]
    image = np.stack([one, one + np.array([0, 1, 0, 0], np.float32)])
    img, _, scores, evidence = order_candidates(image, image.copy(), np.zeros(2), None, FPS, CFG)
    assert evidence[0]["close"] and evidence[0]["confidence"] < CFG.close_confidence
    report = {
        "pose": {
            "person": 0,
            "candidates": [{"person": i, "presence": 0.7, **e} for i, e in enumerate(evidence)],
        }
    }
    note = close_choice_note(report)
    assert note is not None and "--person 1" in note
    report["pose"]["candidates"][0]["close"] = False
    assert close_choice_note(report) is None


def test_phase_shift_finds_the_pan():
    rng = np.random.default_rng(1)
    img = rng.normal(size=(140, 260)).cumsum(0).cumsum(1)
    moved = np.roll(img, (-4, 9), axis=(0, 1))
    dx, dy = phase_shift(img[20:120, 20:240], moved[20:120, 20:240])
    assert dx == pytest.approx(9, abs=0.3) and dy == pytest.approx(-4, abs=0.3)
    sampler = PixelSampler()
    rgb = np.repeat(((img - img.min()) / np.ptp(img) * 255).astype(np.uint8)[..., None], 3, axis=2)
    assert np.isnan(sampler.sample(rgb, []).shift_px).all()  # the first frame has nothing to compare with
    assert np.allclose(sampler.sample(rgb, []).shift_px, 0.0, atol=0.3)


def test_colours_tell_people_apart_but_not_one_person_in_shade():
    lm = figure(100, 120, None)
    red_shirt = np.zeros((300, 200, 3), np.uint8)
    red_shirt[:] = (40, 60, 160)  # blue trousers, background alike
    red_shirt[10:125] = (200, 40, 40)  # red shirt down to the hips
    c = person_colours(red_shirt, lm)
    assert c.shape == (N_REGIONS, 3)
    assert c[0] == pytest.approx([200, 40, 40], abs=1)
    shade = person_colours((red_shirt * 0.6).astype(np.uint8), lm)
    green = red_shirt.copy()
    green[10:125] = (40, 180, 60)
    tracking = load_config().tracking
    tol, floor = tracking.max_appearance, tracking.appearance_dark_floor
    assert appearance_distance(c, shade, floor) < tol / 2
    assert appearance_distance(c, person_colours(green, lm), floor) > tol


def test_people_who_cross_keep_their_own_tracks_by_their_colours():
    # A walks right, B walks left; they cross at frame 20 and MediaPipe sees only one of them for frames 18-22
    # (the one in front: B). By position alone, B's detections would continue A's track.
    tracker = PersonTracker(load_config().tracking, FPS)
    look_a = np.tile(np.array([[200.0, 40, 40]]), (N_REGIONS, 1)).astype(np.float32)
    look_b = np.tile(np.array([[40.0, 180, 60]]), (N_REGIONS, 1)).astype(np.float32)
    ids_a, ids_b = [], []
    for t in range(40):
        a, b = figure(300 + 10 * t, 400, None), figure(700 - 10 * t, 400, None)
        if 18 <= t <= 22:
            got = tracker.update(t, t / FPS, [b], [b.copy()], [look_b])
            ids_b.append(got[0])
        else:
            got = tracker.update(t, t / FPS, [a, b], [a.copy(), b.copy()], [look_a, look_b])
            ids_a.append(got[0])
            ids_b.append(got[1])
    assert len(set(ids_b)) == 1 and not set(ids_a) & set(ids_b)


def test_a_fragment_walking_the_other_way_after_a_gap_is_not_joined():
    # a man walks left and is lost at x=424; 1.6 s later a walker enters at x=58 walking right (Sports2D clip,
    # reversed portrait crop): within reach of the man, but neither end's velocity leads to the other
    tracker = PersonTracker(load_config().tracking, FPS)
    for t in range(20):
        tracker.update(t, t / FPS, [figure(520 - 5 * t, 700, None)], [figure(0, 0, None)])
    for t in range(68, 120):
        tracker.update(t, t / FPS, [figure(58 + 9.5 * (t - 68), 700, 0.3 * t)], [figure(0, 0, None)])
    image, _, _, members = tracker.finish(120)
    assert image.shape[0] == 2 and all(len(m) == 1 for m in members)


def test_a_squashed_skeleton_is_found_both_ways_of_time():
    frames = np.stack([figure(100 + 12 * t, 500, 0.4 * t) for t in range(60)])
    frames[30, [LM.LEFT_HIP, LM.RIGHT_HIP], 1] -= 70  # hips pulled up toward the shoulders
    bad = mangled_frames(frames, FPS, 0.25, 1.3, 0.5)
    assert np.flatnonzero(bad).tolist() == [30]
    assert np.flatnonzero(mangled_frames(frames[::-1], FPS, 0.25, 1.3, 0.5)).tolist() == [29]
    # a fast runner's first and last frames are where the frames around put them: not flagged
    assert not mangled_frames(
        np.stack([figure(100 + 40 * t, 500, 0.4 * t) for t in range(20)]), FPS, 0.25, 1.3, 0.5
    ).any()


def test_a_followed_frame_alone_is_dropped_as_unchecked():
    """At 10 fps and 0.25 s either side (2 frames): a frame with fewer than two others within reach (14, with only
    12; the pair 20-21; 27 and 33 at the ends of 27-33 seen every other frame) has too few frames around to be
    checked against; the run 0-10 is kept to its ends, and so are 12 (10 and 14 within reach) and 29-31."""
    from formcheck.pose.outliers import unchecked_frames

    frames = np.full((40, 33, 4), np.nan, dtype=np.float32)
    for t in [*range(11), 12, 14, 20, 21, 27, 29, 31, 33]:
        frames[t] = figure(100 + 4 * t, 500, None)
    got = np.flatnonzero(unchecked_frames(frames, 10.0, 0.25)).tolist()
    assert got == [14, 20, 21, 27, 33]
    assert np.flatnonzero(unchecked_frames(frames[::-1], 10.0, 0.25)).tolist() == [39 - t for t in reversed(got)]


def test_tiles_cover_the_frame_with_overlap():
    from formcheck.pose.tiles import tile_boxes

    boxes = tile_boxes(640, 480, 0.667, 0.5)
    assert len(boxes) == 6 and {b[2] for b in boxes} == {320}
    covered = np.zeros((480, 640), bool)
    for x, y, s in boxes:
        covered[y : y + s, x : x + s] = True
    assert covered.all()
    assert max(x + s for x, _, s in boxes) == 640 and max(y + s for _, y, s in boxes) == 480


def test_pose_file_keeps_the_evidence(tmp_path):
    from formcheck.pose.store import PoseTracks

    image = scene(40)
    ordered, world, scores, evidence = order_candidates(image, image.copy(), np.zeros(2), np.zeros((40, 2)), FPS, CFG)
    tracks = pose_tracks(
        ordered,
        FPS,
        world=world,
        scores=scores,
        evidence=evidence,
        background_shift_px=np.zeros((40, 2)),
        tiled=True,
        picture_box=(0, 656, 1080, 608),
    )
    back = PoseTracks.load(tracks.save(tmp_path / "pose.npz"))
    assert back.evidence == evidence and back.tiled and back.background_shift_px.shape == (40, 2)
    assert back.picture_box == (0, 656, 1080, 608)
    no_bars = PoseTracks.load(pose_tracks(ordered, FPS).save(tmp_path / "plain.npz"))
    assert no_bars.picture_box is None


def test_a_walker_crossing_part_of_the_clip_outranks_a_man_stepping_about_for_longer():
    """Presence counts as its square root: the walker who crosses the last 22% of the clip (7.9 torso lengths of
    travel) beats a man stepping about near the box for the first 36% (1.6 torso lengths). Counted linearly
    (scores 0.22 / 0.26) the man won, as on the Sports2D walk cropped to portrait."""
    n = 300
    people = np.full((2, n, 33, 4), np.nan, np.float32)
    for t in range(n):
        if t < 108:
            people[0, t] = figure(300 + 1.5 * t, 200, 2 * np.pi * t / (0.8 * FPS))
        if t >= 234:
            people[1, t] = figure(1400 - 12 * (t - 234), 600, 2 * np.pi * t / (0.6 * FPS))
    man, walker = choose(people, None, FPS, CFG)
    assert man.presence > walker.presence and man.gait > 0.9 and walker.gait > 0.9
    assert walker.score > man.score
    # presence as a plain share of the clip (full presence only when seen throughout), counted linearly
    linear = CFG.model_copy(update={"presence_power": 1.0, "presence_full_s": n / FPS})
    man1, walker1 = choose(people, None, FPS, linear)
    assert man1.score > walker1.score  # the case the exponent and the cap are for


def test_presence_beyond_presence_full_s_counts_as_far_as_a_gait_is_shown():
    """Two real cases pull presence two ways. The Sports2D walk cropped to portrait: a walker crossing in 2.1 s
    (a weak gait on the sweep's landmarks) against a man on a box seen 6.2 s who drifts 3 torso lengths, his feet
    shuffling at random: counted as a plain share of the clip he led. A gym clip: a runner on a treadmill seen for
    30 s (no travel: the belt moves, not the runner) against someone walking past for 2.5 s: counted only up to
    presence_full_s, the passer-by led. Seconds beyond presence_full_s count as far as a gait is shown: both right."""
    rng = np.random.default_rng(3)
    n = 230
    people = np.full((2, n, 33, 4), np.nan, np.float32)
    for t in range(n):
        if t >= 44:
            people[0, t] = figure(600 - 1.6 * (t - 44), 260, None)
            people[0, t, [LM.LEFT_ANKLE, LM.RIGHT_ANKLE], 0] += rng.normal(0, 12, 2).astype(np.float32)
        if 88 <= t < 151:
            people[1, t] = figure(40 + 8 * (t - 88), 700, 2 * np.pi * t / (1.25 * FPS), part_px=15)
    man, walker = choose(people, None, FPS, CFG)
    assert walker.presence < 0.3 < 0.7 < man.presence
    assert walker.gait < 0.5 and man.gait < 0.2 and man.travel_torso > 2
    assert walker.score > man.score
    share = CFG.model_copy(update={"presence_full_s": n / FPS})  # presence as a plain share of the clip
    man1, walker1 = choose(people, None, FPS, share)
    assert man1.score > walker1.score

    n = int(30 * FPS)
    gym = np.full((2, n, 33, 4), np.nan, np.float32)
    for t in range(n):
        gym[0, t] = figure(800, 500, 2 * np.pi * t / (0.7 * FPS))
        if 60 <= t < 135:
            gym[1, t] = figure(100 + 16 * (t - 60), 520, 2 * np.pi * t / (1.1 * FPS))
    runner, passer = choose(gym, None, FPS, CFG)
    assert runner.travel_torso < 0.1 < 10 < passer.travel_torso and runner.gait > 0.9
    assert runner.score > 1.5 * passer.score
    # presence counted only up to presence_full_s whatever the gait: the passer-by would lead
    capped = presence_credit(n, n, 0.0, FPS, CFG.presence_full_s) / presence_credit(
        n, n, runner.gait, FPS, CFG.presence_full_s
    )
    assert runner.score * capped**CFG.presence_power < passer.score


def test_gait_periods_up_to_the_stretch_over_min_strides():
    """2 s of a walk with 1.25 s strides (1.6 strides): the stride is found, not capped at half the stretch."""
    walk = np.stack([figure(500, 500, 2 * np.pi * t / (1.25 * FPS)) for t in range(60)])
    g, stride = gait_periodicity(walk, FPS, 100.0, CFG)
    assert stride == pytest.approx(1.25, abs=0.07) and g > 0.5
    assert int(60 / CFG.min_strides) / FPS >= 1.25 > 60 / 2 / FPS


def _three_candidates(image: np.ndarray, evidence: tuple[dict, ...], stats: tuple[dict, ...]):
    """Three candidates, the first two followed (their follow records ``stats``)."""
    return pose_tracks(
        image,
        FPS,
        evidence=evidence,
        background_shift_px=np.zeros((image.shape[1], 2)),
        followed=(True, True, False),
        follow_stats=stats,
    )


def test_a_close_call_is_ranked_again_on_the_followed_landmarks():
    """The sweep put the waver first by a hair (close); followed on every frame, the two are ranked again: the
    walker comes first, both carry their new evidence, and every per-person field moves with its person while a
    third candidate keeps its place."""
    from formcheck.pose.pose_pass import closer_choice

    two = scene()
    n = two.shape[1]
    third = np.full((1, n, 33, 4), np.nan, np.float32)
    third[0, :20] = figure(50, 50, None)
    image = np.concatenate([two, third])
    sweep_evidence = ({"score": 0.5, "confidence": 0.02, "close": True}, {"score": 0.49}, {"score": 0.1})
    tracks = _three_candidates(image, sweep_evidence, ({"frames_found": 150}, {"frames_found": 105}, {}))
    out = closer_choice(tracks, load_config())
    assert np.array_equal(out.image[0], two[1], equal_nan=True)
    assert np.array_equal(out.image[1], two[0], equal_nan=True)
    assert np.array_equal(out.world[0], two[1] * 0.01, equal_nan=True)
    assert list(out.scores) == [2.0, 3.0, 1.0]
    assert out.follow_stats[0] == {"frames_found": 105} and out.follow_stats[2] == {}
    assert out.followed == (True, True, False)
    assert out.evidence[0]["followed_choice"] and out.evidence[1]["followed_choice"]
    assert out.evidence[0]["gait"] > 0.8 and out.evidence[0]["confidence"] > CFG.close_confidence
    assert not out.evidence[0]["close"] and out.evidence[2] == {"score": 0.1}
    assert np.array_equal(out.image[2], third[0], equal_nan=True)


def test_two_fragments_of_one_person_become_one_candidate():
    """The sweep left one walker in two fragments (crowd clip mirrored and reversed: a close call); followed,
    each covers much of the other's frames, landmark for landmark. They are made one candidate (each frame from
    the first where it is seen), ranked against the others; two people who cross are not one person."""
    from formcheck.pose.pose_pass import closer_choice
    from formcheck.pose.tracking import one_person

    n = 150
    walker = scene(n)[1]  # seen from frame 45 on
    first = walker.copy()
    first[:60] = np.nan  # fragment A: 60..149
    second = walker.copy()
    second[120:] = np.nan  # fragment B: 45..119
    bystander = np.full((n, 33, 4), np.nan, np.float32)
    for t in range(20):
        bystander[t] = figure(1500, 200, None)
    image = np.stack([first, second, bystander])
    assert one_person(first, second, CFG_T.duplicate_torso)
    crosser = np.stack([figure(300 + 8 * t, 600, None) for t in range(n)])  # the other way: they meet at t = 56
    assert not one_person(walker, crosser, CFG_T.duplicate_torso)
    evidence = ({"score": 0.5, "close": True}, {"score": 0.49}, {"score": 0.1})
    tracks = _three_candidates(image, evidence, ({"frames_found": 90}, {"frames_found": 75}, {}))
    out = closer_choice(tracks, load_config())
    assert out.n_people == 2
    seen = np.isfinite(out.image[0, :, 0, 0])
    assert seen[45:].all() and not seen[:45].any()
    assert np.array_equal(out.image[0, 60:], first[60:], equal_nan=True)
    assert np.array_equal(out.image[0, 45:60], second[45:60], equal_nan=True)
    assert out.follow_stats[0]["merged_frames"] == 15 and out.follow_stats[1] == {}
    assert out.followed == (True, False)
    assert np.array_equal(out.image[1], bystander, equal_nan=True)
    ev = out.evidence[0]
    assert ev["followed_choice"] and ev["presence"] == pytest.approx(105 / 150, abs=0.01)
    assert ev["confidence"] > CFG.close_confidence and not ev["close"]
    assert out.evidence[1]["score"] < ev["score"]


def test_tracks_of_one_person_are_made_one_candidate_before_the_choice():
    """Two tracks of one walker that share frames landmark for landmark (the crowd clip mirrored and reversed:
    frames 0-127 and 120-171 at 10 Hz) are one candidate, with both stretches; a bystander and a second walker
    who crosses her path stay apart."""
    from formcheck.pose.tracking import merge_same_person

    n = 150
    walker = scene(n)[1]  # frames 45..149
    a, b = walker.copy(), walker.copy()
    a[110:] = np.nan
    b[:100] = np.nan
    crosser = np.stack([figure(300 + 8 * t, 600, None) for t in range(n)])
    stand = np.full((n, 33, 4), np.nan, np.float32)
    stand[:50] = figure(1500, 200, None)
    image = np.stack([a, crosser, stand, b])
    out, world, scores = merge_same_person(image, image * 0.01, np.array([4.0, 3.0, 2.0, 1.0]), CFG_T.duplicate_torso)
    assert out.shape[0] == 3 and list(scores) == [5.0, 3.0, 2.0]
    assert np.array_equal(out[0], walker, equal_nan=True)
    assert np.array_equal(world[0], walker * 0.01, equal_nan=True)
    assert np.array_equal(out[1], crosser) and np.array_equal(out[2], stand, equal_nan=True)


def test_a_later_candidate_the_followed_athlete_reaches_is_merged_into_it():
    """The athlete, followed, runs into frames where a later candidate is the same walker (the crowd clip
    mirrored and reversed: the tracker started her afresh at frame 120, the follow pass reached 127): that
    candidate is found and merged in, wherever it stands in the list; a bystander is not."""
    from formcheck.pose.pose_pass import merged_pair, same_person_as_athlete

    n = 150
    walker = scene(n)[1]  # frames 45..149
    athlete, fragment = walker.copy(), walker.copy()
    athlete[128:] = np.nan
    fragment[:120] = np.nan
    stand = np.full((n, 33, 4), np.nan, np.float32)
    stand[:50] = figure(1500, 200, None)
    tracks = _three_candidates(np.stack([athlete, stand, fragment]), ({}, {}, {}), ({"frames_found": 83}, {}, {}))
    assert same_person_as_athlete(tracks, load_config()) == 2
    out = merged_pair(tracks, load_config(), 2)
    assert out.n_people == 2 and np.array_equal(out.image[0], walker, equal_nan=True)
    assert np.array_equal(out.image[1], stand, equal_nan=True) and out.follow_stats[0]["merged_frames"] == 22
    assert same_person_as_athlete(out, load_config()) is None


def test_the_evidence_is_taken_again_when_part_of_the_athletes_track_was_someone_else():
    """The sweep's evidence of the athlete was taken on a track that passed on to someone else; once that part is
    cut (pose/one_look.py), the report's evidence and confidence come from what is left, and the athlete stays
    first."""
    from formcheck.pose.pose_pass import after_cut

    waver, walker = scene()
    walker = walker.copy()
    walker[100:] = np.nan  # frames 100-149 cut: another look
    sweep_evidence = ({"presence": 1.0, "score": 0.9, "confidence": 0.95, "close": False}, {"score": 0.05})
    tracks = pose_tracks(
        np.stack([walker, waver]),
        FPS,
        evidence=sweep_evidence,
        background_shift_px=np.zeros((walker.shape[0], 2)),
        followed=(True, False),
        follow_stats=({"frames_found": 105, "cut_another_look": 50}, {}),
    )
    out = after_cut(tracks, load_config())
    assert np.array_equal(out.image[0], walker, equal_nan=True) and out.follow_stats[0]["cut_another_look"] == 50
    ev = out.evidence[0]
    assert ev["followed_choice"] and ev["presence"] == pytest.approx(55 / 150, abs=0.01)
    assert ev["score"] != 0.9 and ev["confidence"] != 0.95
    assert 0.0 <= ev["confidence"] <= 1.0 and ev["close"] == (ev["confidence"] < CFG.close_confidence)
    assert out.evidence[1]["score"] != 0.05  # the others' evidence is taken on the same footing


def test_tiles_are_searched_when_the_athlete_is_small_seldom_found_or_nobody() -> None:
    """The second pass on tiles: nobody found, the athlete found on under ``pose.tile_below_presence`` of the
    searched frames (the blurred crowd clip: 1 of 210), or a torso under ``pose.tile_below_torso_share`` of the short
    side; never when that share is 0."""
    from formcheck.pose.pose_pass import Candidates, needs_tiles

    def cands(seen: int, torso_px: float, n: int = 100) -> Candidates:
        image = np.full((1, n, 33, 4), np.nan, np.float32)
        image[0, :seen] = 1.0
        return Candidates(image, image.copy(), np.ones(1), ({"torso_px": torso_px},), 10.0)

    cfg = load_config()
    assert cfg.pose.tile_below_presence == 0.1 and cfg.pose.tile_below_torso_share == 0.06
    assert not needs_tiles(cands(100, 60.0), 640, 480, cfg)  # 60 px torso: 0.125 of 480
    assert not needs_tiles(cands(10, 60.0), 640, 480, cfg)  # found on 0.1 of the frames
    assert needs_tiles(cands(9, 60.0), 640, 480, cfg)
    assert needs_tiles(cands(100, 28.0), 640, 480, cfg)  # 0.058 of 480
    none = Candidates(np.zeros((0, 100, 33, 4), np.float32), np.zeros((0, 100, 33, 4)), np.zeros(0), (), 10.0)
    assert needs_tiles(none, 640, 480, cfg)
    never = cfg.model_copy(update={"pose": cfg.pose.model_copy(update={"tile_below_torso_share": 0.0})})
    assert not needs_tiles(cands(1, 10.0), 640, 480, never)
