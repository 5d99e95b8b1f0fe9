"""Trunk sway within strides, on hand-built lean series (deg, 30 fps): the swing of each stride counts, a slow
drift over the clip (a raised camera's perspective, a lean that changes with fatigue) does not; only backward
segments and measured frames count; trunk_stability judges the within-stride value."""

from __future__ import annotations

import numpy as np
import typed_fixtures as tf

from formcheck.analysis.metrics import stride_sway_deg
from formcheck.analysis.types import Segment
from formcheck.config import load_config
from formcheck.rules import judge_rules
from formcheck.rules.registry import RuleContext

CFG = load_config()
FPS = 30.0
CTX = RuleContext(view="side", backward=True, evidence={})


def _seg(a: int, b: int, direction: str = "backward") -> Segment:
    return Segment(a, b, a / FPS, b / FPS, direction)  # type: ignore[arg-type]


def _swing(n: int, amp_deg: float, hz: float = 1.4) -> np.ndarray:
    return amp_deg * np.sin(2 * np.pi * hz * np.arange(n) / FPS)


def _whole(lean: np.ndarray) -> float:
    x = lean[np.isfinite(lean)]
    return float(np.percentile(x, 90) - np.percentile(x, 10))


def _sway(lean: np.ndarray, segments: tuple[Segment, ...], back: np.ndarray | None = None) -> float | None:
    back = np.ones(lean.size, dtype=bool) if back is None else back
    return stride_sway_deg(lean, back, segments, FPS, CFG.events)


def test_a_slow_drift_is_not_sway() -> None:
    # 10 s drifting 0 -> 20 deg with a +-2 deg swing each stride: p90 - p10 of a +-2 deg sine is 3.8 deg
    n = 300
    lean = np.linspace(0.0, 20.0, n) + _swing(n, 2.0)
    assert _whole(lean) > 15.0
    sway = _sway(lean, (_seg(0, n),))
    assert sway is not None and 3.0 < sway < 5.0


def test_an_unsteady_trunk_is_sway() -> None:
    # +-6 deg every stride, no drift: within strides as over the whole clip, 2 * 6 * sin(0.4 pi) = 11.4 deg
    n = 300
    lean = 4.0 + _swing(n, 6.0)
    sway = _sway(lean, (_seg(0, n),))
    assert sway is not None and abs(sway - _whole(lean)) < 0.6
    assert 10.5 < sway < 12.5


def test_only_backward_measured_frames_count() -> None:
    n = 300
    lean = _swing(n, 2.0)
    lean[100:200] += 40.0 * np.sin(np.arange(100))  # a forward run's wild lean
    lean[20:40] = np.nan  # unmeasured frames
    back = np.ones(n, dtype=bool)
    back[250:] = False  # not detected: NaN-like, even where a lean exists
    lean[250:] = 80.0
    segs = (_seg(0, 100), _seg(100, 200, "forward"), _seg(200, n))
    sway = _sway(lean, segs, back)
    assert sway is not None and sway < 5.0
    # each segment about its own median: a backward segment 30 deg above another is not sway
    lean2 = _swing(n, 2.0) + np.where(np.arange(n) >= 200, 30.0, 0.0)
    sway2 = _sway(lean2, (_seg(0, 100), _seg(100, 200, "forward"), _seg(200, n)))
    assert sway2 is not None and sway2 < 5.0
    assert _sway(np.full(n, np.nan), (_seg(0, n),)) is None
    assert _sway(lean, (_seg(0, n, "forward"),)) is None


def test_trunk_stability_judges_the_within_stride_sway() -> None:
    def verdict(whole: float, stride: float) -> str:
        m = tf.metrics(trunk_sway_deg=whole, trunk_sway_stride_deg=stride)
        return next(v for v in judge_rules(m, CTX, CFG.rules) if v.id == "trunk_stability").verdict

    assert verdict(17.2, 5.0) == "ok"  # a drifting lean, steady within strides
    assert verdict(5.0, 15.0) == "fail"
    assert verdict(9.0, 9.0) == "warn"
