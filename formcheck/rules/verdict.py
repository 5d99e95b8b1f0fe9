"""The verdict type and the band scoring shared by every rule."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from formcheck.config import BandRule

VERDICTS = ("ok", "warn", "fail", "not_assessable")


@dataclass(frozen=True)
class Verdict:
    """One rule's judgement: ``verdict`` in :data:`VERDICTS`, ``score`` 0-100 (None when not assessable),
    ``value`` measured (in ``unit``), ``target`` (the ok band, text), ``message``, ``tip``, ``evidence_frames``."""

    id: str
    verdict: str
    score: int | None
    value: float | None
    unit: str
    target: str
    message: str
    tip: str
    evidence_frames: tuple[int, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


def band_verdict(value: float, cfg: BandRule) -> tuple[str, int]:
    """(verdict, score 0-100) of ``value`` against nested bands: ok -> 80-100 (100 in the middle of the ok band),
    warn -> 50-79, fail -> 0-49 (falling over one more warn-band width)."""
    (olo, ohi), (wlo, whi) = cfg.ok, cfg.warn
    if olo <= value <= ohi:
        half = (ohi - olo) / 2.0
        centre = (ohi + olo) / 2.0
        frac = abs(value - centre) / half if half > 0 and math.isfinite(half) else 0.0
        return "ok", int(round(100 - 20 * min(frac, 1.0)))
    if wlo <= value <= whi:
        if value < olo:
            frac = (olo - value) / (olo - wlo) if olo > wlo else 1.0
        else:
            frac = (value - ohi) / (whi - ohi) if whi > ohi else 1.0
        return "warn", int(round(79 - 29 * min(frac, 1.0)))
    if value < wlo:
        width = max(olo - wlo, 1e-9)
        frac = (wlo - value) / width
    else:
        width = max(whi - ohi, 1e-9)
        frac = (value - whi) / width
    return "fail", int(round(49 * max(0.0, 1.0 - frac)))


def target_text(cfg: BandRule, unit: str) -> str:
    """The ok band as words, e.g. "-3 to 12 deg" or "at most 0.8 leg"."""
    lo, hi = cfg.ok
    if hi >= 999:
        return f"at least {lo:g} {unit}"
    if lo <= 0 and cfg.warn[0] <= 0 and lo == cfg.warn[0]:
        return f"at most {hi:g} {unit}"
    return f"{lo:g} to {hi:g} {unit}"
