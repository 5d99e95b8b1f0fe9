"""Fatigue against the lean's measurement noise, on hand-built lean series (deg, time order): the change's
uncertainty from one-second block medians (the lean is autocorrelated: it swings with every stride), a clear drift
judged, a noisy lean not assessable."""

from __future__ import annotations

import numpy as np
import typed_fixtures as tf
from scipy.signal import lfilter

from formcheck.analysis.metrics import _fatigue_deg, fatigue_uncertainty_deg
from formcheck.config import load_config
from formcheck.rules import judge_rules
from formcheck.rules.registry import RuleContext
from formcheck.rules.tips import TIPS

CFG = load_config()
FPS = 30.0
CTX = RuleContext(view="side", backward=True, evidence={})


def _ar1(rng: np.random.Generator, n: int, sd: float, tau_s: float) -> np.ndarray:
    """Noise of standard deviation ``sd`` (deg) whose correlation falls by 1/e every ``tau_s`` (s)."""
    a = np.exp(-1.0 / (FPS * tau_s))
    return lfilter([np.sqrt(1 - a * a)], [1.0, -a], rng.normal(0.0, sd, n))


def _stride_swing(rng: np.random.Generator, n: int, amp_deg: float = 3.0, hz: float = 1.4) -> np.ndarray:
    return amp_deg * np.sin(2 * np.pi * hz * np.arange(n) / FPS + rng.uniform(0, 2 * np.pi))


def _fatigue(lean: np.ndarray, fps: float = FPS):
    m = tf.metrics(
        backward_s=lean.size / fps,
        fatigue_lean_change_deg=_fatigue_deg(lean, CFG.events),
        fatigue_uncertainty_deg=fatigue_uncertainty_deg(lean, fps, CFG.events),
    )
    return next(v for v in judge_rules(m, CTX, CFG.rules) if v.id == "fatigue"), m


def test_steady_lean_with_white_noise_gives_the_expected_uncertainty():
    # 30 s at 30 fps, sd 2 deg per frame: a 1-s block's median scatters by 1.2533 * 2 / sqrt(30) = 0.458 deg, a
    # third of 10 blocks is known to 0.458 / sqrt(10), the difference of two thirds to 0.458 * sqrt(2 / 10) = 0.205
    rng = np.random.default_rng(3)
    got = [fatigue_uncertainty_deg(6.0 + rng.normal(0, 2.0, 900), FPS, CFG.events) for _ in range(40)]
    assert CFG.events.fatigue_block_s == 1.0
    assert abs(float(np.mean(got)) / 0.205 - 1) < 0.1


def test_autocorrelated_lean_is_not_taken_as_independent_frames():
    # a stride swing (+-3 deg at 1.4 Hz) and noise correlated over 0.15 s, sd 2 deg, 15 s: the estimate follows the
    # real scatter of the change over repeats, where treating frames as independent would claim about half of it
    rng = np.random.default_rng(5)
    n, k = 450, 150
    changes, est, iid = [], [], []
    for _ in range(300):
        lean = 6.0 + _stride_swing(rng, n) + _ar1(rng, n, 2.0, 0.15)
        changes.append(np.median(lean[-k:]) - np.median(lean[:k]))
        est.append(fatigue_uncertainty_deg(lean, FPS, CFG.events))
        iid.append(1.2533 * np.std(lean) * np.sqrt(2 / k))
    true = float(np.std(changes))
    assert 0.8 < float(np.mean(est)) / true < 1.4
    assert float(np.mean(iid)) / true < 0.7


def test_clean_drift_of_five_degrees_is_judged():
    rng = np.random.default_rng(7)
    n = 450  # 15 s
    drift = 7.5 * np.arange(n) / n  # the last third's median 5 deg above the first's
    lean = 4.0 + drift + _stride_swing(rng, n, 1.0) + _ar1(rng, n, 0.5, 0.1)
    v, m = _fatigue(lean)
    assert m.fatigue_uncertainty_deg is not None and CFG.rules.fatigue_z * m.fatigue_uncertainty_deg < 0.5
    assert v.verdict == "warn" and v.value is not None and abs(v.value - 5.0) < 0.5


def test_steady_clean_lean_is_ok():
    rng = np.random.default_rng(8)
    v, _ = _fatigue(5.0 + _stride_swing(rng, 600) + _ar1(rng, 600, 1.0, 0.1))
    assert v.verdict == "ok"


def test_heavy_noise_is_not_assessable_with_the_numbers():
    # like the 80-px walker of vtest.avi: 10 fps, 9.1 s, the lean scattering 8 deg from frame to frame
    rng = np.random.default_rng(11)
    lean = 3.0 + rng.normal(0, 8.0, 91)
    v, m = _fatigue(lean, fps=10.0)
    assert m.fatigue_uncertainty_deg is not None and m.fatigue_uncertainty_deg > 1.5
    assert v.verdict == "not_assessable" and v.value is None and v.score is None
    assert "too noisy" in v.message and f"{CFG.rules.fatigue_max_half_width_deg:g}" in v.message
    assert f"{m.fatigue_lean_change_deg:.1f}" in v.message
    assert v.tip == TIPS["fatigue"]["not_assessable_noisy"]


def test_too_few_blocks_gives_no_uncertainty_and_no_verdict():
    lean = np.full(150, 5.0)  # 5 s at 30 fps: a third of 1.7 s holds one 1-s block
    assert fatigue_uncertainty_deg(lean, FPS, CFG.events) is None
    m = tf.metrics(fatigue_lean_change_deg=0.5, fatigue_uncertainty_deg=None)
    v = next(v for v in judge_rules(m, CTX, CFG.rules) if v.id == "fatigue")
    assert v.verdict == "not_assessable" and "noise" in v.message


def test_gaps_in_the_lean_are_skipped():
    rng = np.random.default_rng(13)
    lean = 5.0 + rng.normal(0, 1.0, 600)
    lean[::7] = np.nan
    se = fatigue_uncertainty_deg(lean, FPS, CFG.events)
    assert se is not None and np.isfinite(se) and se > 0
