"""The terminal summary: a rich table of the rules with coloured verdicts, the key numbers and the top tips.

Reads a report dict (report.json's layout); judges nothing. Any value may be null and any list empty.
"""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from formcheck.report.tips_content import RULE_TITLES

VERDICT_STYLE = {
    "ok": ("OK", "bold green"),
    "warn": ("WARN", "bold yellow"),
    "fail": ("FAIL", "bold red"),
    "not_assessable": ("n/a", "dim"),
}


def num(x: Any, nd: int = 1, unit: str = "") -> str:
    """``x`` rounded to ``nd`` places with ``unit``, or "-" when missing/not finite."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(float(x)):
        return "-"
    text = f"{float(x):.{nd}f}"
    return f"{text} {unit}".strip() if unit else text


def target_str(target: Any) -> str:
    """A rule's target as text, whatever shape it has (string, {"ok": [lo, hi], ...}, list, null)."""
    if target is None:
        return "-"
    if isinstance(target, str):
        return target
    if isinstance(target, dict):
        return ", ".join(f"{k} {target_str(v)}" for k, v in target.items())
    if isinstance(target, (list, tuple)):
        return " to ".join(f"{v:g}" if isinstance(v, (int, float)) else str(v) for v in target)
    return str(target)


def _dict(x: Any) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def _list(x: Any) -> list[Any]:
    return x if isinstance(x, list) else []


def rules_table(report: dict[str, Any]) -> Table:
    """One row per rule: title, verdict (coloured), score, value, target and the rule's message."""
    table = Table(title="Backward-running form", show_lines=False, expand=False)
    table.add_column("Rule", style="bold", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Score", justify="right")
    table.add_column("Value", justify="right")
    table.add_column("Target")
    table.add_column("Why", overflow="fold")
    rules = [r for r in _list(_dict(report).get("rules")) if isinstance(r, dict)]
    if not rules:
        table.add_row("-", Text("n/a", style="dim"), "-", "-", "-", "no rules were judged")
    for rule in rules:
        label, style = VERDICT_STYLE.get(str(rule.get("verdict")), (str(rule.get("verdict")), ""))
        rid = str(rule.get("id", "?"))
        value = rule.get("value")
        nd = 2 if isinstance(value, (int, float)) and abs(value) < 10 else 1
        table.add_row(
            Text(RULE_TITLES.get(rid, rid)),
            Text(label, style=style),
            num(rule.get("score"), 0),
            Text(num(value, nd, str(rule.get("unit") or ""))),
            Text(target_str(rule.get("target"))),
            Text(str(rule.get("message") or "")),
        )
    return table


def key_numbers(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) pairs: cadence, trunk lean, elbows, steps, detection rate."""
    m = _dict(_dict(report).get("metrics"))
    lean = _dict(m.get("trunk_lean_deg"))
    elbows = _dict(m.get("elbow_deg"))
    steps = _list(_dict(report).get("steps"))
    rate = _dict(report.get("pose")).get("detection_rate")
    out = [
        ("Cadence", num(m.get("cadence_spm"), 0, "steps/min")),
        (
            "Trunk lean",
            f"{num(lean.get('median'), 1, 'deg')} (p10 {num(lean.get('p10'))}, p90 {num(lean.get('p90'))})"
            if lean
            else "-",
        ),
        (
            "Elbows",
            f"left {num(_dict(elbows.get('left')).get('median'), 0, 'deg')}, "
            f"right {num(_dict(elbows.get('right')).get('median'), 0, 'deg')}",
        ),
        ("Steps", str(len(steps))),
        ("Pose found", num(100 * rate, 0, "% of frames") if isinstance(rate, (int, float)) else "-"),
    ]
    return out


def close_choice_note(report: dict[str, Any]) -> str | None:
    """A warning when the athlete choice was close (report.json ``pose.candidates[*].close``): who else could
    be the athlete and how to analyse them with ``--person``; None when the choice was clear."""
    pose = _dict(_dict(report).get("pose"))
    cands = [c for c in _list(pose.get("candidates")) if isinstance(c, dict)]
    chosen = next((c for c in cands if c.get("person") == pose.get("person")), None)
    if chosen is None or not chosen.get("close"):
        return None
    first = next((c for c in cands if c.get("person") == 0), chosen)
    if first is not chosen or len(cands) < 2:
        return None
    other = cands[1]
    return (
        f"The athlete choice was close (confidence {num(chosen.get('confidence'), 2)}): person "
        f"{other.get('person')} scored {num(other.get('score'), 2)} against {num(chosen.get('score'), 2)}. "
        f"If the wrong person was analysed, run again with --person {other.get('person')}."
    )


def print_verdicts(report: dict[str, Any], console: Console) -> None:
    """Print the athlete-choice warning (if close), the rules table, the key numbers and the top three tips on
    ``console``."""
    note = close_choice_note(report)
    if note:
        console.print(Text(note, style="bold yellow"))
    console.print(rules_table(report))
    for label, text in key_numbers(report):
        console.print(Text.assemble((f"{label}: ", "bold"), text))
    tips = [str(t) for t in _list(_dict(report).get("tips")) if t][:3]
    if tips:
        console.print(Text("Top tips", style="bold"))
        for i, tip in enumerate(tips, 1):
            console.print(Text(f"  {i}. {tip}"))
    else:
        console.print(Text("No tips: nothing to correct was found (or nothing could be judged).", style="dim"))
