"""Tips as sections of text: technique cues, safety, a progression plan and exercises.

With a report, the athlete's faults come first: rules judged ``fail`` then ``warn`` (lowest score first) pull the
cues and exercises that address them to the top, and a "Your priorities" section lists the report's own tips.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from formcheck.errors import ConfigError
from formcheck.report.tips_content import CUES, EXERCISES, LEVELS, PLANS, RULE_TITLES, SAFETY, STRETCHES

_RANK = {"fail": 0, "warn": 1}


@dataclass(frozen=True)
class Section:
    """One block of tips: a ``title`` and its ``items`` (plain sentences), in the order to show them."""

    title: str
    items: list[str] = field(default_factory=list)


def faults(report: dict[str, Any] | None) -> list[str]:
    """Rule ids judged ``fail`` or ``warn`` in ``report``, worst first (fail before warn, then lower score)."""
    if not isinstance(report, dict):
        return []
    rules = report.get("rules")
    found: list[tuple[int, float, int, str]] = []
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict):
            continue
        verdict, rid = rule.get("verdict"), rule.get("id")
        if verdict in _RANK and isinstance(rid, str):
            score = rule.get("score")
            found.append((_RANK[verdict], float(score) if isinstance(score, (int, float)) else 100.0, i, rid))
    return [rid for *_, rid in sorted(found)]


def _by_faults(items: list[tuple[tuple[str, ...], str]], order: list[str]) -> list[str]:
    """Texts of ``items`` reordered so those helping the first fault come first (stable otherwise)."""
    rank = {rid: k for k, rid in enumerate(order)}

    def key(pair: tuple[int, tuple[tuple[str, ...], str]]) -> tuple[int, int]:
        i, (rules, _) = pair
        return (min((rank[r] for r in rules if r in rank), default=len(rank)), i)

    return [text for _, (_, text) in sorted(enumerate(items), key=key)]


def tips_text(report: dict[str, Any] | None = None, level: str = "beginner") -> list[Section]:
    """The tips to show, as :class:`Section` s. ``level`` is ``beginner`` or ``intermediate``.

    Raises :class:`ConfigError` for an unknown level.
    """
    if level not in LEVELS:
        raise ConfigError(f"--level must be one of {', '.join(LEVELS)}, got {level!r}")
    order = faults(report)
    sections: list[Section] = []
    if report is not None:
        own = [str(t) for t in (report.get("tips") or []) if t] if isinstance(report, dict) else []
        if order:
            named = ", ".join(RULE_TITLES.get(r, r).lower() for r in order)
            own = own or [f"Work on: {named}."]
            sections.append(Section("Your priorities (from your video)", own))
        else:
            sections.append(
                Section(
                    "Your priorities (from your video)",
                    own or ["No faults were found in this video; keep practising the cues below."],
                )
            )
    sections.append(Section("Technique cues", _by_faults(CUES, order)))
    sections.append(Section("Safety", list(SAFETY)))
    sections.append(Section(f"Progression plan ({level})", [f"{stage}: {text}" for stage, text in PLANS[level]]))
    sections.append(Section("Complementary exercises", _by_faults(EXERCISES, order) + list(STRETCHES)))
    return sections
