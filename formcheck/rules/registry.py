"""Every rule as a small pure function ``(metrics, ctx, config) -> Verdict``, and the registry of fixed ids.

``ctx`` carries what a rule may cite as evidence (frames and steps) and the camera view; rules never read video,
files or globals. Each rule declares the views it can judge (config ``views``); otherwise ``not_assessable``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from formcheck.analysis.types import Metrics
from formcheck.config import BandRule, RulesConfig
from formcheck.rules.tips import MESSAGES, TIPS
from formcheck.rules.verdict import Verdict, band_verdict, target_text


@dataclass(frozen=True)
class RuleContext:
    """What rules may look at besides the metrics: the view kind, per-rule evidence frames, and whether any
    backward running was found (``backward``)."""

    view: str
    backward: bool
    evidence: dict[str, tuple[int, ...]]


def _na(rule_id: str, unit: str, cfg: BandRule, reason: str) -> Verdict:
    return Verdict(
        id=rule_id,
        verdict="not_assessable",
        score=None,
        value=None,
        unit=unit,
        target=target_text(cfg, unit),
        message=reason,
        tip=TIPS[rule_id]["not_assessable"],
        ok_band=tuple(cfg.ok),  # type: ignore[arg-type]
        warn_band=tuple(cfg.warn),  # type: ignore[arg-type]
    )


def _lost(m: Metrics, group: str) -> str:
    """What ``group``'s evidence lost as implausible, as words ("" when nothing)."""
    count = m.counts.get(group)
    return count.note() if count else ""


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def _band(
    rule_id: str,
    value: float | None,
    count: int,
    unit: str,
    cfg: BandRule,
    ctx: RuleContext,
    what: str,
    fmt: str = "{:.1f}",
    excluded: str = "",
) -> Verdict:
    """Shared body of band rules: view check, data check, then the band verdict. ``excluded``: what the metric's
    evidence lost as implausible, said when too little is left."""
    if ctx.view not in cfg.views:
        article = "an" if ctx.view[:1] in "aeiou" else "a"
        return _na(rule_id, unit, cfg, f"{article} {ctx.view} view cannot show {what}; film from the side")
    if not ctx.backward:
        return _na(rule_id, unit, cfg, "no backward running was found in the video")
    value = _finite(value)
    if value is None or count < cfg.min_count:
        lost = f"; {excluded}" if excluded else ""
        return _na(
            rule_id, unit, cfg, f"too little trustworthy data to judge {what} ({count} of {cfg.min_count} needed{lost})"
        )
    verdict, score = band_verdict(value, cfg)
    msg = MESSAGES[rule_id][verdict].format(value=fmt.format(value), unit=unit)
    return replace(
        _na(rule_id, unit, cfg, msg),
        verdict=verdict,
        score=score,
        value=float(value),
        tip=TIPS[rule_id][verdict],
        evidence_frames=ctx.evidence.get(rule_id, ()),
    )


def _held_back(v: Verdict, band: BandRule, reason: str) -> Verdict:
    """``v``, or not assessable for ``reason`` when it was judged and there is one ("" when none)."""
    return v if v.verdict == "not_assessable" or not reason else _na(v.id, v.unit, band, reason)


def _tilted(m: Metrics, cfg: RulesConfig, what: str) -> str:
    """Why ``what`` cannot be judged on this picture ("" when it can): its ground slopes more than
    ``cfg.level_max_ground_slope_deg``, and ``what`` is measured against the picture's level, not gravity's."""
    slope = _finite(m.ground_slope_deg)
    if slope is None or abs(slope) <= cfg.level_max_ground_slope_deg:
        return ""
    return (
        f"the ground slopes {slope:+.1f} deg in the picture, a tilted camera or a slope: {what} is measured against "
        "the picture's level; film with the phone level"
    )


def _facing_rarely_told(m: Metrics, cfg: RulesConfig) -> str:
    """Why the trunk lean cannot be judged ("" when it can): it was measured on too few of the frames seen from a
    side. Its sign needs the way the runner faces, and where the feet tell it on under ``cfg.lean_min_facing_share``
    of those frames (small feet pointing at the camera, telling it only here and there), the stretches where they
    happened to agree are not trusted to stand for the run."""
    count = m.counts.get("trunk_lean_deg")
    unknown = count.why.get("facing", 0) if count else 0
    if count is None or not unknown:
        return ""
    side = count.used + unknown
    if count.used >= cfg.lean_min_facing_share * side:
        return ""
    return (
        f"the feet told which way the runner faces on only {count.used} of the {side} frames seen from a side "
        f"({count.used / side:.0%}, under {cfg.lean_min_facing_share:.0%}): too few to trust the trunk lean"
    )


def upright_posture(m: Metrics, ctx: RuleContext, cfg: RulesConfig) -> Verdict:
    """Median trunk lean (deg, + forward) over backward running. Outside the band, the message and tip say which
    way: leaning back (below the band) or hunched forward (above it)."""
    lean = m.trunk_lean_deg
    v = _band(
        "upright_posture",
        lean.median if lean else None,
        lean.n if lean else 0,
        "deg",
        cfg.upright_posture,
        ctx,
        "trunk lean",
        excluded=_lost(m, "trunk_lean_deg"),
    )
    if v.verdict in ("warn", "fail") and v.value is not None and v.value > max(cfg.upright_posture.ok):
        key = f"{v.verdict}_forward"
        v = replace(
            v,
            message=MESSAGES["upright_posture"][key].format(value=f"{v.value:.1f}", unit=v.unit),
            tip=TIPS["upright_posture"][key],
        )
    v = _held_back(v, cfg.upright_posture, _facing_rarely_told(m, cfg))
    return _held_back(v, cfg.upright_posture, _tilted(m, cfg, "the trunk lean"))


def short_steps(m: Metrics, ctx: RuleContext, cfg: RulesConfig) -> Verdict:
    """Median step length / leg length (contact point to contact point in ground coordinates, any camera that does
    not tilt), else median landing distance / leg length."""
    n = m.steps_backward
    if _finite(m.step_length_leg) is not None:
        return _band(
            "short_steps", m.step_length_leg, n, "leg", cfg.short_steps, ctx, "step length", "{:.2f}", _lost(m, "steps")
        )
    v = _band(
        "short_steps",
        m.landing_distance_leg,
        n,
        "leg",
        cfg.landing_distance,
        ctx,
        "landing distance",
        "{:.2f}",
        _lost(m, "steps"),
    )
    if v.verdict != "not_assessable":
        v = replace(v, message=v.message + " (landing distance: step length not measurable)")
    return v


def forefoot_landing(m: Metrics, ctx: RuleContext, cfg: RulesConfig) -> Verdict:
    """Share (0..1) of backward contacts classified heel-first; not assessable when the pose model cannot read
    strikes (``strike_note``)."""
    if m.strike_note is not None and ctx.view in cfg.forefoot_landing.views and ctx.backward:
        return _na("forefoot_landing", "share", cfg.forefoot_landing, m.strike_note.text)
    v = _band(
        "forefoot_landing",
        m.heel_strike_share,
        m.strikes_classified,
        "share",
        cfg.forefoot_landing,
        ctx,
        "how the foot lands",
        "{:.2f}",
        excluded=_lost(m, "strikes"),
    )
    if ctx.view not in cfg.forefoot_landing.views:
        return v  # the view cannot show a landing: no contact is read, so no count to give
    return _with_strike_count(
        _held_back(v, cfg.forefoot_landing, _tilted(m, cfg, "the foot's angle")), m.strikes_classified, m.steps_backward
    )


def _with_strike_count(v: Verdict, used: int, contacts: int) -> Verdict:
    """The forefoot_landing verdict saying how many contacts it used: only strikes read with confidence count. A
    clause of its own, never a parenthesis inside the message's own ("...(1 of 3 needed; ...); from 1 of 4 contacts
    read with confidence")."""
    if contacts == 0:
        return v
    return replace(v, message=f"{v.message}; from {used} of {contacts} contacts read with confidence")


def arm_angle(m: Metrics, ctx: RuleContext, cfg: RulesConfig) -> Verdict:
    """Median near-side elbow angle (deg); the far arm is used only when visible. Judged at a running pace only
    (cadence ``walking_below_spm`` or more): arms bent to 90 degrees is a running cue."""
    stats = m.elbow_deg(m.near_side)
    if stats is None:
        stats = m.elbow_left_deg or m.elbow_right_deg
    v = _band(
        "arm_angle",
        stats.median if stats else None,
        stats.n if stats else 0,
        "deg",
        cfg.arm_angle,
        ctx,
        "the elbow angle",
        excluded=_lost(m, "elbow_deg"),
    )
    return _running_cue(v, m, cfg, cfg.arm_angle, "the 90-degree arm is a running cue; walking, the arms swing long")


def _running_cue(v: Verdict, m: Metrics, cfg: RulesConfig, band: BandRule, cue: str) -> Verdict:
    """``v`` (the verdict of a running cue) where the pace is a running one (cadence ``walking_below_spm`` or
    more); else not assessable, saying the pace and ``cue`` (why the cue is a running one), with the walking tip."""
    cadence = _finite(m.cadence_spm)
    if v.verdict == "not_assessable" or (cadence is not None and cadence >= cfg.walking_below_spm):
        return v
    pace = (
        f"walking pace ({cadence:.0f} steps/min, under {cfg.walking_below_spm:g})"
        if cadence is not None
        else "the pace is not told (no cadence: too few steps seen), so running is not told from walking"
    )
    measured = f"{v.value:.2f}" if v.unit == "leg" else f"{v.value:.0f}"
    return replace(
        _na(v.id, v.unit, band, f"{pace}: {cue} ({measured} {v.unit})"),
        tip=TIPS[v.id]["walking"],
    )


def poisson_interval(count: int, confidence: float) -> tuple[float, float]:
    """Exact (Garwood) two-sided interval of a Poisson mean at ``confidence`` (0..1) from one ``count``."""
    from scipy.stats import chi2

    a = 1.0 - confidence
    lo = float(chi2.ppf(a / 2, 2 * count)) / 2 if count > 0 else 0.0
    return lo, float(chi2.ppf(1 - a / 2, 2 * count + 2)) / 2


def _settled_rate(v: Verdict, turns: int, watched_s: float | None, cfg: RulesConfig) -> Verdict:
    """``v`` (a head-turn rate's band verdict) as far as the rate's Poisson interval at ``look_confidence`` over
    ``watched_s`` s settles it: ``v`` when the interval lies in its band; "warn" when it lies below the ok band but
    reaches into warn (too seldom, not surely a fail); not assessable, with why, when it reaches the ok band and
    another (too short a look to tell)."""
    if v.verdict == "not_assessable" or watched_s is None or watched_s <= 0:
        return v
    band = cfg.look_over_shoulder
    lo, hi = (60.0 * k / watched_s for k in poisson_interval(turns, cfg.look_confidence))
    ends = {band_verdict(lo, band)[0], band_verdict(hi, band)[0]}
    if ends == {v.verdict}:
        return v
    told = f"{turns} head turn{'s' if turns != 1 else ''}" if turns else "no head turn"
    if "ok" not in ends:
        return replace(
            v,
            verdict="warn",
            score=50,
            message=f"{told} in {watched_s:.0f} s: too seldom",
            tip=TIPS["look_over_shoulder"]["warn"],
        )
    why = f"{told} in {watched_s:.0f} s of backward running is too short a look to tell a rate of turns per minute"
    chance = math.exp(-band.ok[0] * watched_s / 60.0)
    if turns == 0 and chance >= 0.1:  # what the runner would ask: how often does someone who looks go that long
        why += f" (at {band.ok[0]:g} a minute, {watched_s:.0f} s pass without one {chance:.0%} of the time)"
    else:
        why += f" ({lo:.1f} to {hi:.1f} a minute, {cfg.look_confidence:.0%})"
    # the turns found stay cited: they happened, only their rate is unsettled
    return replace(_na(v.id, v.unit, band, why + ": film a longer stretch"), evidence_frames=v.evidence_frames)


def look_over_shoulder(m: Metrics, ctx: RuleContext, cfg: RulesConfig) -> Verdict:
    """Head turns per minute; never turning fails, never facing forward (turned most of the time) warns. The rate
    is judged as far as its Poisson interval (``look_confidence``) over the time watched settles it
    (:func:`_settled_rate`)."""
    told = m.counts.get("head_turns")
    v = _band(
        "look_over_shoulder",
        m.head_turns_per_min,
        told.used if told is not None else m.backward_frames,
        "/min",
        cfg.look_over_shoulder,
        ctx,
        "head turns",
        excluded=_lost(m, "head_turns"),
    )
    share = _finite(m.head_turned_share)
    settled = _settled_rate(v, m.head_turns, m.head_watched_s, cfg)
    # turned most of the time: the share of frames alone settles this warn, whatever the rate's interval says
    if v.value is not None and share is not None and share > cfg.look_max_turned_share and settled.verdict != "fail":
        return replace(
            v,
            verdict="warn",
            score=min(settled.score or 79, 79),
            message=f"the head is turned {100 * share:.0f}% of the time: face forward between checks",
            tip=TIPS["look_over_shoulder"]["warn_turned"],
        )
    if settled.verdict == "fail" and m.head_turns == 0:
        return replace(settled, message="you never looked over your shoulder to check your path")
    return settled


def heel_drag(m: Metrics, ctx: RuleContext, cfg: RulesConfig) -> Verdict:
    """Median height of the heel above the toe on the toe-off frame (leg lengths: a push-off with the toes leaves
    the heel raised, a dragged heel leaves level with them); judged at a running pace only (a running cue)."""
    v = _band(
        "heel_drag",
        m.heel_raise_leg,
        m.heel_raise_steps,
        "leg",
        cfg.heel_drag,
        ctx,
        "the push-off",
        "{:.2f}",
        _lost(m, "steps"),
    )
    cue = "a toe push-off that lifts the heel clear is a running cue; walking, the foot leaves the ground flat"
    return _running_cue(v, m, cfg, cfg.heel_drag, cue)


#: Band verdicts from best to worst (for saying which bands an interval spans).
_BAND_ORDER = ("ok", "warn", "fail")


def symmetry(m: Metrics, ctx: RuleContext, cfg: RulesConfig) -> Verdict:
    """Left->right vs right->left step-time difference, % of the mean step time; not assessable when its 95 %
    interval (``symmetry_z`` standard errors either side) reaches into another band than the value's own."""
    v = _band(
        "symmetry",
        m.step_time_asymmetry_pct,
        m.steps_backward,
        "%",
        cfg.symmetry,
        ctx,
        "left-right symmetry",
        excluded=_lost(m, "steps"),
    )
    se = _finite(m.step_time_asymmetry_uncertainty_pct)
    if v.verdict == "not_assessable" or v.value is None or se is None:
        return v
    half = cfg.symmetry_z * se
    ends = {band_verdict(max(v.value - half, 0.0), cfg.symmetry)[0], band_verdict(v.value + half, cfg.symmetry)[0]}
    if ends == {v.verdict}:
        return v
    return _na(
        "symmetry",
        "%",
        cfg.symmetry,
        f"the step times scatter too much to tell left from right: {v.value:.1f} +- {half:.1f} % (95 %) reaches "
        f"from {min(ends, key=_BAND_ORDER.index)} to {max(ends, key=_BAND_ORDER.index)}; more steps narrow it",
    )


def trunk_stability(m: Metrics, ctx: RuleContext, cfg: RulesConfig) -> Verdict:
    """Trunk sway within strides: p90 - p10 of the trunk lean above a slow drift (deg; a slow drift over the
    clip is the camera's perspective or the fatigue rule's, not an unsteady trunk)."""
    n = m.trunk_lean_deg.n if m.trunk_lean_deg else 0
    v = _band(
        "trunk_stability",
        m.trunk_sway_stride_deg,
        n,
        "deg",
        cfg.trunk_stability,
        ctx,
        "trunk sway",
        excluded=_lost(m, "trunk_lean_deg"),
    )
    return _held_back(v, cfg.trunk_stability, _facing_rarely_told(m, cfg))


def fatigue(m: Metrics, ctx: RuleContext, cfg: RulesConfig) -> Verdict:
    """Trunk-lean change (deg) from the first to the last third of backward running; not assessable when the
    clip is too short, or when the lean is too noisy to tell the change's bands apart (the 95 % half-width of the
    change, deg, over ``fatigue_max_half_width_deg``)."""
    judged = ctx.view in cfg.fatigue.views and ctx.backward
    if judged and m.backward_s < cfg.fatigue_min_s:
        return _na(
            "fatigue",
            "deg",
            cfg.fatigue,
            f"needs at least {cfg.fatigue_min_s:g} s of backward running to compare its thirds",
        )
    n = m.trunk_lean_deg.n if m.trunk_lean_deg else 0
    v = _band(
        "fatigue", m.fatigue_lean_change_deg, n, "deg", cfg.fatigue, ctx, "fatigue", excluded=_lost(m, "trunk_lean_deg")
    )
    v = _held_back(v, cfg.fatigue, _facing_rarely_told(m, cfg))
    if v.verdict == "not_assessable":
        return v
    noise = _noisy_lean(m, cfg)
    if not noise:
        return v
    return replace(_na("fatigue", "deg", cfg.fatigue, noise), tip=TIPS["fatigue"]["not_assessable_noisy"])


def _noisy_lean(m: Metrics, cfg: RulesConfig) -> str:
    """Why the fatigue change cannot be told from the lean's noise ("" when it can): its uncertainty is unknown,
    or its 95 % half-width (deg) is over ``fatigue_max_half_width_deg``."""
    se = _finite(m.fatigue_uncertainty_deg)
    if se is None:
        return "too few seconds of measured trunk lean to tell a change from its noise"
    half = cfg.fatigue_z * se
    if half <= cfg.fatigue_max_half_width_deg:
        return ""
    change = m.fatigue_lean_change_deg or 0.0
    return (
        f"the trunk lean is too noisy to tell its change: {change:.1f} +- {half:.1f} deg (95 %), wider than the "
        f"+- {cfg.fatigue_max_half_width_deg:g} deg that tells its bands apart"
    )


Rule = Callable[[Metrics, RuleContext, RulesConfig], Verdict]

#: The fixed rule ids, in report order (most important first).
RULES: dict[str, Rule] = {
    "upright_posture": upright_posture,
    "forefoot_landing": forefoot_landing,
    "short_steps": short_steps,
    "arm_angle": arm_angle,
    "look_over_shoulder": look_over_shoulder,
    "heel_drag": heel_drag,
    "symmetry": symmetry,
    "trunk_stability": trunk_stability,
    "fatigue": fatigue,
}
RULE_IDS: tuple[str, ...] = tuple(RULES)


def judge_rules(metrics: Metrics, ctx: RuleContext, cfg: RulesConfig) -> list[Verdict]:
    """Every rule's verdict, in :data:`RULE_IDS` order."""
    return [rule(metrics, ctx, cfg) for rule in RULES.values()]


def tips_of(verdicts: list[Verdict]) -> list[str]:
    """Tips, most important first: fails, then warns, each in rule order; de-duplicated."""
    out: list[str] = []
    for level in ("fail", "warn"):
        for v in verdicts:
            if v.verdict == level and v.tip and v.tip not in out:
                out.append(v.tip)
    return out
