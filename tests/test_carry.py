"""Carrying the sweep's people out of the stretches they were seen on (formcheck/pose/carry.py), checked with a
fake landmarker on a hand-built scene: back and forward alike, never onto someone else, never twice."""

from __future__ import annotations

import threading

import numpy as np
import typed_fixtures as tf

from formcheck.config import load_config
from formcheck.pose.carry import carry_people
from formcheck.pose.pixels import N_REGIONS
from formcheck.pose.sweep import Sweep
from formcheck.pose.tracking import torso_centre_and_length

CFG = load_config()
RATE = 10.0  # searched frames a second
TORSO = 40.0  # px


def _person(cx: float, cy: float, torso: float = TORSO) -> np.ndarray:
    return tf.stick_person(cx, cy, torso)


class _Picture:
    """A frame of constant colour that remembers where it was last cropped on each thread (so the fake landmarker,
    called next on that thread, knows)."""

    last = threading.local()

    def crop(self, x0: int, y0: int, w: int, h: int) -> np.ndarray:
        _Picture.last.at = (x0, y0)
        out = np.empty((h, w, 3), dtype=np.uint8)
        out[:] = (150, 60, 40)
        return out


class _FakeLandmarker:
    """Finds, in whatever crop it is given, the scene's person of that frame (``scene(frame)``: centre px of the
    input, or None: nobody), in the crop's pixels."""

    made = 0
    last: _FakeLandmarker | None = None

    def __init__(self, scene) -> None:
        self.scene = scene
        self.blanks = 0
        _FakeLandmarker.made += 1
        _FakeLandmarker.last = self

    def detect(self, rgb: np.ndarray, time_s: float):
        if rgb.shape[:2] == (64, 64) and (rgb == 128).all():  # the empty picture shown between carries
            self.blanks += 1
            return [], []
        where = self.scene(int(round(time_s * RATE)))
        if where is None:
            return [], []
        x0, y0 = _Picture.last.at
        lm = _person(where[0] - x0, where[1] - y0)
        return [lm], [np.zeros((33, 4), dtype=np.float32)]

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def _sweep(n: int, seen: dict[int, np.ndarray]) -> Sweep:
    """A sweep of ``n`` searched frames (every frame, ``RATE`` a second) that found one person on ``seen``."""
    colour = np.tile(np.array([150.0, 60.0, 40.0], dtype=np.float32), (N_REGIONS, 1))
    return Sweep(
        times_s=np.arange(n) / RATE,
        frames=np.arange(n),
        image=[[seen[j]] if j in seen else [] for j in range(n)],
        world=[[np.zeros((33, 4), np.float32)] if j in seen else [] for j in range(n)],
        colours=[[colour] if j in seen else [] for j in range(n)],
        shifts_px=np.full((n, 2), np.nan),
        stride=1,
    )


def _carry(sweep: Sweep, scene, workers: int = 1) -> tuple[set[int], int, int]:
    """The frames the carry added the person on, the crops it searched and the empty pictures it showed."""
    people = np.full((1, sweep.frames.size, 33, 4), np.nan, dtype=np.float32)
    for j, found in enumerate(sweep.image):
        if found:
            people[0, j] = found[0]
    made = _FakeLandmarker.made
    fake = lambda: _FakeLandmarker(scene)  # noqa: E731
    got = carry_people(sweep, people, RATE, lambda i: _Picture(), (1.0, 1.0), (1280, 720), fake, CFG, workers)
    added = {j for j in range(sweep.frames.size) if len(got.sweep.image[j]) > len(sweep.image[j])}
    for j in added:  # what was added is the scene's person there, in the input's pixels
        centre, torso = torso_centre_and_length(got.sweep.image[j][-1])
        np.testing.assert_allclose(centre, scene(j), atol=1e-3)
        assert torso == np.float32(TORSO)
    assert got.added == len(added)
    assert _FakeLandmarker.made == made + min(workers, 2)  # one a worker, each carry started by an empty picture
    assert _FakeLandmarker.last is not None
    return added, got.looked, _FakeLandmarker.last.blanks


def test_a_person_the_sweep_found_late_is_carried_back_and_forward_alike():
    n = 16

    def walker(i: int) -> np.ndarray | None:  # crosses at 0.5 torso lengths a searched frame; out of view at 0-1
        return np.array([100.0 + 20 * i, 400.0]) if i >= 2 else None

    seen = {j: _person(*walker(j)) for j in (7, 8, 10)}  # the sweep saw them on 7, 8 and 10 only
    added, looked, blanks = _carry(_sweep(n, seen), walker)
    # back to where they come into view, forward to the end; 9, a gap the follow pass bridges, is left to it
    assert added == {2, 3, 4, 5, 6, 11, 12, 13, 14, 15}
    assert blanks == 2  # one landmarker, shown an empty picture before each way out of the stretch
    # the same clip played backwards: the same frames, counted from the other end
    rev = {n - 1 - j: _person(*walker(j)) for j in seen}
    back, _, _ = _carry(_sweep(n, rev), lambda i: walker(n - 1 - i))
    assert back == {n - 1 - j for j in added}
    # two landmarkers at once (one carry each) find the same
    assert _carry(_sweep(n, seen), walker, workers=2)[:2] == (added, looked)
    # back: 7 (the start), 6..2 found, 1 and 0 missed; forward: 10 (the start), 11-15
    assert looked == (1 + 5 + CFG.pose.carry_max_misses) + (1 + 5)


def test_someone_else_in_the_crop_or_a_person_already_found_is_not_added():
    n = 10

    def walker(i: int) -> np.ndarray:
        return np.array([300.0 + 10 * i, 400.0])

    def jumpy(i: int) -> np.ndarray:  # before frame 4 the crop holds someone 3 torso lengths away
        return walker(i) + (np.array([3 * TORSO, 0.0]) if i < 4 else 0.0)

    seen = {j: _person(*walker(j)) for j in (6, 7)}
    added, _, _ = _carry(_sweep(n, seen), jumpy)
    assert added == {4, 5, 8, 9}  # frames 2-3 are someone else: two misses end the carry

    # a frame where the sweep already has this person (another track of theirs) is passed, not added again
    seen_twice = dict(seen)
    sweep = _sweep(n, seen_twice)
    sweep.image[4].append(_person(*walker(4)))
    sweep.world[4].append(np.zeros((33, 4), np.float32))
    sweep.colours[4].append(sweep.colours[6][0])
    people = np.full((1, n, 33, 4), np.nan, dtype=np.float32)
    people[0, 6], people[0, 7] = seen[6], seen[7]
    fake = lambda: _FakeLandmarker(walker)  # noqa: E731
    got = carry_people(sweep, people, RATE, lambda i: _Picture(), (1.0, 1.0), (1280, 720), fake, CFG, 1)
    assert [len(x) for x in got.sweep.image] == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]  # 4 kept its one; 0-3, 5, 8-9 added


class _StartsOnOther(_FakeLandmarker):
    """A landmarker that, started afresh on frame ``bad`` (the first crop after an empty picture), finds someone
    else 3 torso lengths away (the detector picks the most prominent person); following from another frame, it keeps
    the person through ``bad``."""

    bad = 7

    def __init__(self, scene) -> None:
        super().__init__(scene)
        self.fresh = True

    def detect(self, rgb: np.ndarray, time_s: float):
        if rgb.shape[:2] == (64, 64) and (rgb == 128).all():
            self.fresh = True
            return super().detect(rgb, time_s)
        fresh, self.fresh = self.fresh, False
        if fresh and int(round(time_s * RATE)) == self.bad:
            x0, y0 = _Picture.last.at
            where = self.scene(self.bad) + np.array([3 * TORSO, 0.0])
            return [_person(where[0] - x0, where[1] - y0)], [np.zeros((33, 4), dtype=np.float32)]
        return super().detect(rgb, time_s)


def test_a_carry_started_on_someone_else_starts_again_further_in() -> None:
    """Started on someone else at the stretch's first sighting (7), the carry starts again at the next one (8),
    follows the person back to 7 and carries them on back; with one try it ends at the start, as it did before."""
    n = 16

    def walker(i: int) -> np.ndarray | None:
        return np.array([100.0 + 20 * i, 400.0]) if i >= 2 else None

    seen = {j: _person(*walker(j)) for j in (7, 8, 10)}
    people = np.full((1, n, 33, 4), np.nan, dtype=np.float32)
    for j, lm in seen.items():
        people[0, j] = lm
    fake = lambda: _StartsOnOther(walker)  # noqa: E731

    def carried(config) -> tuple[set[int], int]:
        sweep = _sweep(n, seen)
        got = carry_people(sweep, people, RATE, lambda i: _Picture(), (1.0, 1.0), (1280, 720), fake, config, 1)
        return {j for j in range(n) if len(got.sweep.image[j]) > len(sweep.image[j])}, got.looked

    added, looked = carried(CFG)
    assert added == {2, 3, 4, 5, 6, 11, 12, 13, 14, 15}
    # back: 7 (someone else), 8 (the new start), 7 (followed), 6..2, 1 and 0 missed; forward: 10, 11-15
    assert looked == (1 + 1 + 1 + 5 + CFG.pose.carry_max_misses) + (1 + 5)
    once = CFG.model_copy(update={"pose": CFG.pose.model_copy(update={"carry_start_tries": 1})})
    assert carried(once)[0] == {11, 12, 13, 14, 15}
