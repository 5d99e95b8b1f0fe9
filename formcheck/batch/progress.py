"""Progress across sessions: each rule's score over an athlete's dated sessions (from summary.csv rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from formcheck.batch.summary import SUMMARY, read_summary
from formcheck.errors import BatchError

VERDICT_STYLE = {"ok": "green", "warn": "yellow", "fail": "red", "not_assessable": "dim"}


@dataclass(frozen=True)
class Trend:
    """One athlete's sessions (ISO dates, ascending; undated sessions left out) and, per rule id, the score on
    each date (the mean when several videos share a date; None when not assessed) and the last verdict."""

    athlete: str
    dates: tuple[str, ...]
    scores: dict[str, tuple[float | None, ...]]
    verdicts: dict[str, tuple[str, ...]]

    def change(self, rule_id: str) -> float | None:
        """Last assessed score minus the first, None with fewer than two."""
        known = [s for s in self.scores[rule_id] if s is not None]
        return known[-1] - known[0] if len(known) >= 2 else None


def _date_ok(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def trends(rows: Iterable[dict[str, str]]) -> dict[str, Trend]:
    """Per athlete, the trend over their successful, dated sessions."""
    by_athlete: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row.get("status") == "ok" and _date_ok(row.get("date", "")):
            by_athlete.setdefault(row["athlete"], []).append(row)
    out = {}
    for athlete, items in sorted(by_athlete.items()):
        dates = tuple(sorted({r["date"] for r in items}))
        ids = [c[: -len("_score")] for c in items[0] if c.endswith("_score")]
        scores: dict[str, tuple[float | None, ...]] = {}
        verdicts: dict[str, tuple[str, ...]] = {}
        for rid in ids:
            per_date, last = [], []
            for d in dates:
                day = [r for r in items if r["date"] == d]
                vals = [float(r[f"{rid}_score"]) for r in day if r.get(f"{rid}_score")]
                per_date.append(round(sum(vals) / len(vals), 1) if vals else None)
                last.append(day[-1].get(f"{rid}_verdict", ""))
            scores[rid], verdicts[rid] = tuple(per_date), tuple(last)
        out[athlete] = Trend(athlete, dates, scores, verdicts)
    return out


def athlete_trend(out_dir: str | Path, athlete: str) -> Trend:
    """``athlete``'s trend from ``out_dir/summary.csv``. Raises :class:`BatchError`."""
    path = Path(out_dir) / SUMMARY
    try:
        rows = read_summary(path)
    except OSError as exc:
        raise BatchError(f"no batch results in {out_dir}: cannot read {path} ({exc.strerror or exc})") from exc
    known = sorted({r.get("athlete", "") for r in rows})
    if athlete not in known:
        raise BatchError(f"athlete {athlete!r} is not in {path} (athletes: {', '.join(known) or 'none'})")
    found = trends(rows)
    if athlete not in found:
        raise BatchError(f"athlete {athlete!r} has no successfully analysed, dated session in {path}")
    return found[athlete]


def progress_table(trend: Trend):
    """A rich table: a row per rule, a column per session date, and the change from first to last."""
    from rich.table import Table

    table = Table(title=f"{trend.athlete}: rule scores by session (0-100)")
    table.add_column("rule", style="bold")
    for d in trend.dates:
        table.add_column(d, justify="right")
    table.add_column("change", justify="right")
    for rid, values in trend.scores.items():
        cells = []
        for score, verdict in zip(values, trend.verdicts[rid], strict=True):
            style = VERDICT_STYLE.get(verdict, "")
            text = "-" if score is None else f"{score:g}"
            cells.append(f"[{style}]{text}[/]" if style else text)
        delta = trend.change(rid)
        colour = "green" if delta and delta > 0 else "red" if delta and delta < 0 else ""
        change = "" if delta is None else f"[{colour}]{delta:+g}[/]" if colour else f"{delta:+g}"
        table.add_row(rid, *cells, change)
    return table
