"""What the printable one-page handout says: who and when, the top faults with their tip and a key frame, then the
technique cues, safety, the plan for the athlete's level and the complementary exercises.

Plain values only; :mod:`formcheck.report.handout_pdf` lays them out. The faults are taken in the order
:func:`formcheck.report.tips.faults` gives (fail before warn, lower score first); nothing is judged here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from formcheck.report.tips import Section, faults, tips_text
from formcheck.report.tips_content import RULE_TITLES

#: How many faults the page has room for (each with a key frame).
TOP_FAULTS = 3
#: The four sections every sheet carries, in order (their titles start with these words).
SECTION_KEYS = ("Technique cues", "Safety", "Progression plan", "Complementary exercises")


@dataclass(frozen=True)
class Fault:
    """One fault to work on: the rule's ``title``, ``verdict`` (fail/warn), ``score`` (0-100 or None), what was
    measured (``message``), the ``tip``, and a key frame (``picture``: JPEG bytes of the athlete at ``frame``)."""

    rule_id: str
    title: str
    verdict: str
    score: float | None
    message: str
    tip: str
    frame: int | None = None
    picture: bytes | None = None


@dataclass(frozen=True)
class Handout:
    """One page: ``heading``, ``who`` (athlete or video), ``date`` (text), ``faults`` (empty on the generic sheet
    or when none was found; ``judged`` says whether a video was judged at all), ``sections``."""

    heading: str
    who: str
    date: str
    faults: tuple[Fault, ...]
    sections: tuple[Section, ...]
    judged: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


def key_frame(rule: Mapping[str, Any]) -> int | None:
    """The frame that shows a rule's fault: the middle one of its evidence frames (None when it has none)."""
    frames = [int(f) for f in rule.get("evidence_frames") or [] if isinstance(f, int) and not isinstance(f, bool)]
    return sorted(frames)[len(frames) // 2] if frames else None


def _sections(report: Mapping[str, Any] | None, level: str) -> tuple[Section, ...]:
    wanted = [s for s in tips_text(dict(report) if report is not None else None, level)]
    return tuple(s for s in wanted if s.title.startswith(SECTION_KEYS))


def handout_from_report(
    report: Mapping[str, Any],
    *,
    who: str,
    date: str,
    level: str = "beginner",
    pictures: Mapping[int, bytes] | None = None,
) -> Handout:
    """The athlete's handout from a report's rules (``report["rules"]``: id, verdict, score, message, tip,
    evidence_frames) and key-frame ``pictures`` by frame index (see :func:`key_frame`)."""
    rules = {str(r.get("id")): r for r in report.get("rules") or [] if isinstance(r, Mapping)}
    top = []
    for rid in faults(dict(report))[:TOP_FAULTS]:
        rule = rules[rid]
        frame = key_frame(rule)
        score = rule.get("score")
        top.append(
            Fault(
                rule_id=rid,
                title=RULE_TITLES.get(rid, rid),
                verdict=str(rule.get("verdict")),
                score=float(score) if isinstance(score, (int, float)) else None,
                message=str(rule.get("message") or ""),
                tip=str(rule.get("tip") or ""),
                frame=frame,
                picture=(pictures or {}).get(frame) if frame is not None else None,
            )
        )
    return Handout("Backward running: your form check", who, date, tuple(top), _sections(report, level), judged=True)


def generic_handout(*, date: str, level: str = "beginner") -> Handout:
    """The sheet for anyone: no faults, the four sections."""
    return Handout("Backward running: technique, safety and a plan", "", date, (), _sections(None, level))


def fault_frames(report: Mapping[str, Any]) -> list[int]:
    """The key frames the handout of ``report`` will show (one per top fault that has evidence)."""
    rules = {str(r.get("id")): r for r in report.get("rules") or [] if isinstance(r, Mapping)}
    frames = (key_frame(rules[rid]) for rid in faults(dict(report))[:TOP_FAULTS])
    return [f for f in frames if f is not None]


def sections_by_key(h: Handout) -> dict[str, Sequence[str]]:
    """The handout's sections keyed by :data:`SECTION_KEYS` (for tests and other layouts)."""
    return {k: s.items for k in SECTION_KEYS for s in h.sections if s.title.startswith(k)}


def handout_from_verdicts(
    verdicts: Sequence[Any],
    *,
    who: str,
    date: str,
    level: str = "beginner",
    pictures: Mapping[int, bytes] | None = None,
) -> Handout:
    """The athlete's handout from typed verdicts (:class:`formcheck.rules.verdict.Verdict`: id, verdict, score,
    message, tip, evidence_frames), as :func:`handout_from_report` reads a report's rules."""
    return handout_from_report(rules_of(verdicts), who=who, date=date, level=level, pictures=pictures)


def rules_of(verdicts: Sequence[Any]) -> dict[str, Any]:
    """Typed verdicts as the {"rules": [...]} mapping the functions above read (in memory, nothing parsed)."""
    keys = ("id", "verdict", "score", "message", "tip")
    rules = [{k: getattr(v, k) for k in keys} | {"evidence_frames": list(v.evidence_frames)} for v in verdicts]
    return {"rules": rules}
