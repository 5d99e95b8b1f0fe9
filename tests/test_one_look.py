"""A followed track that passes from one person to another is cut to one look (formcheck/pose/one_look.py)."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import load_config
from formcheck.pose.landmarks import LM
from formcheck.pose.one_look import changed_stretch, cut_to_one_look, mixed_beside_cuts
from formcheck.pose.pixels import N_REGIONS

CFG = load_config().tracking
FLOOR = CFG.appearance_dark_floor
MAX = CFG.look_change_max

# man: bare skin torso and arms, black shorts, skin legs; woman: grey shirt, blue jeans (RGB 0..255 per region:
# chest, pelvis, thighs L/R, shanks L/R, upper arms L/R)
HIM = np.array([[190, 140, 110], [30, 30, 30], [40, 40, 40], [40, 40, 40], [190, 140, 110], [190, 140, 110],
                [190, 140, 110], [190, 140, 110]], dtype=np.float32)  # fmt: skip
HER = np.array([[160, 160, 165], [60, 70, 110], [60, 70, 110], [60, 70, 110], [60, 70, 110], [60, 70, 110],
                [200, 160, 130], [200, 160, 130]], dtype=np.float32)  # fmt: skip


def _track(looks: list[tuple[np.ndarray, int]], seed: int = 0, noise: float = 8.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = [np.repeat(look[None], n, axis=0) for look, n in looks]
    out = np.concatenate(rows).astype(np.float32)
    return np.clip(out + rng.normal(0, noise, out.shape), 0, 255).astype(np.float32)


def test_a_track_that_ends_on_someone_else_loses_its_end() -> None:
    blend = [((HIM * (1 - w) + HER * w), 1) for w in np.linspace(0.2, 0.8, 4)]
    cols = _track([(HIM, 80), *blend, (HER, 20)])
    change = changed_stretch(cols, 10, FLOOR)
    assert change is not None and change[0] > MAX
    # the stretch is either part (the cut drops the shorter): one end is the track's, the other within the four
    # mixed frames
    start, stop = change[1], change[2]
    assert (start == 0 and 80 <= stop <= 84) or (80 <= start <= 84 and stop == len(cols))
    drop = cut_to_one_look(cols, 10, MAX, FLOOR)
    assert not drop[:80].any() and drop[84:].all()
    guarded = cut_to_one_look(cols, 10, MAX, FLOOR, guard=3)  # the mixed frames next to the change go too
    assert np.flatnonzero(guarded)[0] == np.flatnonzero(drop)[0] - 3 and guarded[84:].all()


def test_the_same_played_backwards_loses_its_start() -> None:
    cols = _track([(HER, 20), (HIM, 80)], seed=1)
    drop = cut_to_one_look(cols, 10, MAX, FLOOR)
    assert drop[:20].all() and not drop[20:].any()
    guarded = cut_to_one_look(cols, 10, MAX, FLOOR, guard=2)
    assert guarded[:22].all() and not guarded[22:].any()


def test_unseen_frames_are_neither_counted_nor_dropped() -> None:
    cols = _track([(HIM, 60), (HER, 25)], seed=2)
    cols[10:30] = np.nan  # not found there
    drop = cut_to_one_look(cols, 10, MAX, FLOOR)
    assert not drop[:60].any() and drop[60:].all()


def test_one_person_from_sun_to_shade_and_turning_round_is_not_cut() -> None:
    shade = HIM * 0.45
    turned = HIM.copy()
    turned[[6, 7]] = turned[[7, 6]]  # arms swap sides
    turned[0] = [170, 125, 100]  # the back is a little darker than the chest
    cols = _track([(HIM, 50), (shade, 50), (turned, 50)], seed=3, noise=12.0)
    change = changed_stretch(cols, 10, FLOOR)
    assert change is not None and change[0] < MAX
    assert not cut_to_one_look(cols, 10, MAX, FLOOR).any()


@pytest.mark.parametrize("n_other", [0, 4])
def test_a_change_under_half_the_shortest_part_is_left(n_other: int) -> None:
    # the last 10 frames are the shortest part looked at: with 4 of them someone else, its median is still him
    cols = _track([(HIM, 60), (HER, n_other)], seed=4)
    assert not cut_to_one_look(cols, 10, MAX, FLOOR).any()


def test_a_track_too_short_for_two_parts_has_no_change() -> None:
    assert changed_stretch(_track([(HIM, 19)]), 10, FLOOR) is None
    assert changed_stretch(np.full((50, N_REGIONS, 3), np.nan, dtype=np.float32), 10, FLOOR) is None


def test_the_median_look_is_numpys_nanmedian() -> None:
    import warnings

    from formcheck.pose.one_look import _median_look

    rng = np.random.default_rng(5)
    for n in (1, 2, 7, 40):
        x = rng.uniform(0, 255, (n, N_REGIONS, 3))
        x[rng.random((n, N_REGIONS)) < 0.3] = np.nan  # regions out of the frame on some frames
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = np.nanmedian(x, axis=0)
        np.testing.assert_allclose(_median_look(x), want, equal_nan=True)


def test_noise_is_cut_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    # colours that change at random from frame to frame (no real track looks like this) read as a change of person
    # at every split: the track is cut three times at most, not ten frames at a time down to nothing
    from formcheck.pose import one_look

    calls = []

    def counted(*args: object) -> tuple[float, int, int] | None:
        calls.append(1)
        return changed_stretch(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(one_look, "changed_stretch", counted)
    cols = np.random.default_rng(6).uniform(0, 255, (600, N_REGIONS, 3)).astype(np.float32)
    drop = cut_to_one_look(cols, 10, MAX, FLOOR, guard=2)
    assert len(calls) == 3 and 0 < drop.sum() < 300


def test_a_track_that_passes_to_someone_and_back_loses_the_middle() -> None:
    """Pose2Sim cam03 played forwards then backwards (issue 10): the man's track passes to the woman he stands against
    and back, 0.73 s of her in the middle of his 3.3 s; each end alone is him, so no change between a start and an
    end was found and nothing was cut."""
    blend = [((HIM * (1 - w) + HER * w), 1) for w in np.linspace(0.2, 0.8, 3)]
    cols = _track([(HIM, 70), *blend, (HER, 40), *blend[::-1], (HIM, 70)], seed=7)
    change = changed_stretch(cols, 10, FLOOR)
    assert change is not None and change[0] > MAX and 70 <= change[1] <= 73 and 113 <= change[2] <= 116
    drop = cut_to_one_look(cols, 10, MAX, FLOOR, guard=2)
    assert not drop[:68].any() and drop[73:113].all() and not drop[118:].any()


def test_a_track_on_someone_else_at_both_ends_keeps_its_middle() -> None:
    cols = _track([(HER, 15), (HIM, 70), (HER, 15)], seed=8)
    drop = cut_to_one_look(cols, 10, MAX, FLOOR, guard=2)
    assert drop[:17].all() and drop[83:].all() and not drop[17:83].any()


def test_one_person_in_shade_for_a_while_is_not_cut() -> None:
    cols = _track([(HIM, 60), (HIM * 0.45, 20), (HIM, 60)], seed=9, noise=12.0)
    assert not cut_to_one_look(cols, 10, MAX, FLOOR).any()


# Mixed skeletons beside a cut: 60 fps, a 0.1 s window, a 0.4 s path, the configured bound.
FPS = 60
WINDOW, PATH = (max(round(secs * FPS), 1) for secs in (CFG.mixed_window_s, CFG.mixed_path_s))
OFF = CFG.mixed_max_off_torso


def _skeletons(hips: np.ndarray, torso: float = 250.0) -> np.ndarray:
    """``[T, 33, 4]`` landmarks with the hip midpoints ``hips [T, 2]`` (px) and shoulders ``torso`` px above."""
    out = np.full((hips.shape[0], 33, 4), np.nan)
    for side, dx in ((LM.LEFT_HIP, -12.0), (LM.RIGHT_HIP, 12.0)):
        out[:, side, :2] = hips + (dx, 0.0)
    for side, dx in ((LM.LEFT_SHOULDER, -20.0), (LM.RIGHT_SHOULDER, 20.0)):
        out[:, side, :2] = hips + (dx, -torso)
    return out


def _him_walking(n: int = 150, seed: int = 0) -> np.ndarray:
    """Hips of a man walking right at 2 px/frame, bouncing 0.04 torso lengths twice a 1.1 s stride, with 3 px of
    landmark noise."""
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    x = 500 + 2.0 * t + rng.normal(0, 3, n)
    y = 800 + 10 * np.sin(2 * np.pi * t / (0.55 * FPS)) + rng.normal(0, 3, n)
    return np.stack([x, y], axis=1)


# the boomerang's way back: cut on the woman (hips 150 px to his left) until frame 60, then the landmarker leaves her
# over four frames, 25, 66, 82 and 134 px off his path; and the same before a cut
@pytest.mark.parametrize(
    ("cut_at", "mixed_at", "offsets"),
    [((40, 61), (61, 65), [25, 66, 82, 134]), ((90, 110), (86, 90), [134, 82, 66, 25])],
    ids=["after", "before"],
)
def test_mixed_skeletons_beside_a_cut_go_with_it(
    cut_at: tuple[int, int], mixed_at: tuple[int, int], offsets: list[int]
) -> None:
    hips = _him_walking()
    cut = np.zeros(len(hips), dtype=bool)
    cut[slice(*cut_at)] = True
    hips[cut, 0] -= 150
    hips[slice(*mixed_at), 0] -= offsets
    got = mixed_beside_cuts(_skeletons(hips), cut, WINDOW, PATH, OFF)
    assert np.flatnonzero(got).tolist() == list(range(*mixed_at))


@pytest.mark.parametrize("seed", range(5))
def test_one_person_beside_a_cut_keeps_every_frame(seed: int) -> None:
    hips = _him_walking(seed=seed)
    cut = np.zeros(len(hips), dtype=bool)
    cut[40:61] = True
    cut[120:] = True  # and a cut at the track's end
    hips[cut, 0] -= 150
    assert not mixed_beside_cuts(_skeletons(hips), cut, WINDOW, PATH, OFF).any()


def test_off_path_frames_away_from_a_cut_or_beside_unseen_frames_are_left() -> None:
    hips = _him_walking()
    hips[50:55] = np.nan  # unseen, not cut
    hips[55:58, 0] -= 134
    hips[100:103, 0] -= 134  # far from any cut
    cut = np.zeros(len(hips), dtype=bool)
    cut[130:] = True
    assert not mixed_beside_cuts(_skeletons(hips), cut, WINDOW, PATH, OFF).any()


def test_a_side_with_too_few_frames_beyond_is_left() -> None:
    hips = _him_walking(n=80)
    cut = np.zeros(len(hips), dtype=bool)
    cut[:60] = True
    hips[66:, :] = np.nan  # 60-65: the window only, nothing beyond it to fit a path to
    hips[60:62, 0] -= 134
    assert not mixed_beside_cuts(_skeletons(hips), cut, WINDOW, PATH, OFF).any()


def test_frames_between_two_cuts_close_together_are_judged_on_their_own() -> None:
    # a second cut 4 frames after the first: its frames (on her, far off his path) lie in the first cut's window
    # but are not his frames leaving her
    hips = _him_walking()
    cut = np.zeros(len(hips), dtype=bool)
    cut[40:61] = True
    cut[65:70] = True
    hips[cut, 0] -= 150
    assert not mixed_beside_cuts(_skeletons(hips), cut, WINDOW, PATH, OFF).any()
