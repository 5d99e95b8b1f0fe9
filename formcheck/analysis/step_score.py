"""Best and worst step: a fault score per step from the configured targets (the report shows the picks; it does
not judge).

A step's fault score is the sum of how far each of its landing measurements lies outside its target (0 = all
inside): the strike class (heel 1, midfoot 0.5, forefoot 0; FIELD_NOTES: land on the balls of the feet); the foot
angle at contact short of the forefoot bound (``events.forefoot_min_deg``), one unit per
``rules.step_fault_foot_angle_deg``; step length above the ``short_steps`` ok band, one unit per width of its warn
band; landing distance above the ``landing_distance`` ok band, likewise. Backward-running steps are preferred;
other steps are used only when there are none. The best step has the lowest score (the earliest on ties), the worst
the highest (the latest on ties); no worst when it would be the best.
"""

from __future__ import annotations

from formcheck.analysis.types import Step, StepPicks
from formcheck.config import BandRule, Config

STRIKE_FAULT = {"heel": 1.0, "midfoot": 0.5, "forefoot": 0.0}


def _over(value: float | None, band: BandRule) -> float | None:
    """How far ``value`` exceeds the ok band's upper bound, in widths of the warn band above it (None: unknown)."""
    if value is None:
        return None
    hi, whi = band.ok[1], band.warn[1]
    width = whi - hi if whi > hi else 1.0
    return max(0.0, value - hi) / width


def step_fault(step: Step, config: Config) -> float | None:
    """The fault score of one step (see the module docstring), or None when nothing about it was measured."""
    parts: list[float] = []
    if step.strike is not None:
        parts.append(STRIKE_FAULT[step.strike])
    if step.foot_angle_deg is not None:
        short = config.events.forefoot_min_deg - step.foot_angle_deg
        parts.append(max(0.0, short) / config.rules.step_fault_foot_angle_deg)
    for value, band in (
        (step.step_length_leg, config.rules.short_steps),
        (step.landing_distance_leg, config.rules.landing_distance),
    ):
        over = _over(value, band)
        if over is not None:
            parts.append(over)
    return sum(parts) if parts else None


def pick_steps(steps: tuple[Step, ...], config: Config, view_kind: str = "side") -> StepPicks:
    """The best and the worst step (indices into ``steps``); none in a view that cannot show how the foot lands
    (``rules.forefoot_landing.views``): the fault score is made of landing measurements the rules do not trust
    there."""
    if view_kind not in config.rules.forefoot_landing.views:
        return StepPicks()
    scored: list[tuple[float, int, bool]] = []
    for i, step in enumerate(steps):
        fault = step_fault(step, config)
        if fault is not None:
            scored.append((fault, i, step.direction == "backward"))
    if any(back for *_, back in scored):
        scored = [s for s in scored if s[2]]
    if not scored:
        return StepPicks()
    best = min(scored, key=lambda s: (s[0], s[1]))[1]
    worst = max(scored, key=lambda s: (s[0], s[1]))[1]
    return StepPicks(best=best, worst=None if worst == best else worst)
