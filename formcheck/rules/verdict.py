"""The verdict type and the band scoring shared by every rule."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from formcheck.config import BandRule

VERDICTS = ("ok", "warn", "fail", "not_assessable")


@dataclass(frozen=True)
class Verdict:
    """One rule's judgement: ``verdict`` in :data:`VERDICTS`, ``score`` 0-100 (None when not assessable),
    ``value`` measured (in ``unit``), ``target`` (the ok band, text), ``message``, ``tip``, ``evidence_frames``,
    and the numeric bands the value was judged against: ``ok_band`` and ``warn_band`` ([low, high] in ``unit``; a
    bound may be infinite; None for a rule without bands)."""

    id: str
    verdict: str
    score: int | None
    value: float | None
    unit: str
    target: str
    message: str
    tip: str
    evidence_frames: tuple[int, ...] = field(default_factory=tuple)
    ok_band: tuple[float, float] | None = None
    warn_band: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


def band_verdict(value: float, cfg: BandRule) -> tuple[str, int]:
    """(verdict, score 0-100) of ``value`` against nested bands: ok -> 80-100 (100 in the middle of the ok band;
    for a band open on one side, 100 from one warn-band width inside its finite bound), warn -> 50-79, fail -> 0-49
    (falling over one more warn-band width)."""
    (olo, ohi), (wlo, whi) = cfg.ok, cfg.warn
    if olo <= value <= ohi:
        return "ok", int(round(100 - 20 * min(_ok_offcentre(value, cfg), 1.0)))
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


def _ok_offcentre(value: float, cfg: BandRule) -> float:
    """How far ``value`` (inside the ok band) is from its best place: 0 at the centre (or, for a band open on one
    side, one warn-band width or more inside the finite bound), 1 at an edge."""
    (olo, ohi), (wlo, whi) = cfg.ok, cfg.warn
    if math.isinf(ohi) and math.isinf(olo):
        return 0.0
    if math.isinf(ohi):
        return 1.0 - min((value - olo) / (olo - wlo), 1.0) if olo > wlo else 0.0
    if math.isinf(olo):
        return 1.0 - min((ohi - value) / (whi - ohi), 1.0) if whi > ohi else 0.0
    half = (ohi - olo) / 2.0
    return abs(value - (ohi + olo) / 2.0) / half if half > 0 else 0.0


def target_text(cfg: BandRule, unit: str) -> str:
    """The ok band as words, e.g. "-3 to 12 deg" or "at most 0.8 leg"."""
    lo, hi = cfg.ok
    if math.isinf(hi):
        return f"at least {lo:g} {unit}"
    if lo <= 0 and cfg.warn[0] <= 0 and lo == cfg.warn[0]:
        return f"at most {hi:g} {unit}"
    return f"{lo:g} to {hi:g} {unit}"
