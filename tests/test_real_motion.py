"""The gait analysis on a real walker's kinematics with force-plate truth (tests/real_motion.py): contacts, their
timing, strike classes, direction and cadence, played forward and backward, mirrored, at 60 fps and jittered.
Skipped with the reason when the trial cannot be fetched."""

from __future__ import annotations

import numpy as np
import pytest
import real_motion as rm

from formcheck.analysis.judge import Judgement, judge
from formcheck.config import load_config

pytestmark = pytest.mark.slow

TOL_S = 2 / 30  # a contact within 2 frames at 30 fps, as bench_accuracy counts them


@pytest.fixture(scope="module")
def trial() -> rm.Trial:
    try:
        return rm.read_trial(rm.fetch_trial())
    except rm.Unavailable as exc:
        pytest.skip(f"real motion not available: {exc}")


def _judged(trial: rm.Trial, view: rm.View) -> tuple[Judgement, list[tuple[float, str]]]:
    seq, truth = rm.side_view(trial, view)
    return judge(seq, load_config()), truth


def _main_direction(j: Judgement) -> str:
    time: dict[str, float] = {}
    for s in j.segments:
        time[s.direction] = time.get(s.direction, 0.0) + s.end_s - s.start_s
    return max(time, key=lambda k: time[k])


@pytest.mark.parametrize("view", rm.VIEWS, ids=[v.name for v in rm.VIEWS])
def test_every_force_plate_landing_is_found_in_time(trial: rm.Trial, view: rm.View) -> None:
    j, truth = _judged(trial, view)
    got = rm.match(j.steps, truth, TOL_S)
    assert len(truth) >= 18
    assert got.missed <= 1 and got.false <= 1, f"{view.name}: {got.found}/{len(truth)} found, {got.false} false"
    assert abs(float(np.mean(got.errors_s))) < 0.035  # within about a frame at 30 fps on average
    assert _main_direction(j) == ("backward" if view.reverse else "forward")


@pytest.mark.parametrize("view", rm.VIEWS, ids=[v.name for v in rm.VIEWS])
def test_strikes_are_the_walkers(trial: rm.Trial, view: rm.View) -> None:
    """Walking forward she lands heel first (foot -20..-23 deg at the force plate's strike); played backward the
    foot-offs (toes down 51-58 deg between the heel and second-metatarsal markers) are toe-first landings. Every
    strike given is right, and most are given."""
    j, truth = _judged(trial, view)
    strikes = [s.strike for s in j.steps]
    right, wrong = ("forefoot", "heel") if view.reverse else ("heel", "forefoot")
    assert wrong not in strikes and "midfoot" not in strikes
    assert strikes.count(right) >= 0.8 * len(truth), f"{view.name}: {strikes}"


def test_the_cadence_of_the_backward_walk_is_the_force_plates(trial: rm.Trial) -> None:
    j, truth = _judged(trial, rm.View("rev", reverse=True))
    times = np.array(sorted(e for e, _ in truth))
    true_spm = 60.0 / float(np.median(np.diff(times)))
    assert 100.0 < true_spm < 112.0
    assert j.metrics.cadence_spm is not None and abs(j.metrics.cadence_spm - true_spm) < 3.0


def test_a_forward_walk_is_not_judged(trial: rm.Trial) -> None:
    j, _ = _judged(trial, rm.View("fwd"))
    assert {v.verdict for v in j.verdicts} == {"not_assessable"}
