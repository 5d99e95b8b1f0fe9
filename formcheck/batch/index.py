"""index.html: the batch at a glance, self-contained like report.html (strict CSP, every string escaped).

A section per athlete: a row per session and video with verdict badges and a relative link to its report.html,
and, for athletes with two or more dated sessions, an inline SVG trend of each rule's score over the dates.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from formcheck import __version__
from formcheck.atomic import write_text
from formcheck.batch.progress import Trend, trends
from formcheck.batch.summary import rows, rule_ids, sort_key
from formcheck.batch.task import JobResult
from formcheck.report.html import CSP  # the same strict policy as report.html

INDEX = "index.html"
LABEL = {"ok": "OK", "warn": "Warning", "fail": "Fail", "not_assessable": "n/a"}
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#212121;background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:16px}
section{background:#fff;border:1px solid #e0e0e0;border-radius:8px;padding:12px 16px;margin:16px 0}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{padding:4px 6px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
td.notes{white-space:pre-line}
th{background:#fafafa}
.b{display:inline-block;padding:1px 6px;border-radius:10px;font-size:.75rem;white-space:nowrap}
.ok{background:#e8f5e9;color:#1b5e20}.warn{background:#fff8e1;color:#8d6e00}.fail{background:#ffebee;color:#b71c1c}
.not_assessable{background:#f5f5f5;color:#757575}.error{background:#b71c1c;color:#fff}
.err{color:#b71c1c}.trend svg{max-width:100%;height:auto}
footer{color:#9e9e9e;font-size:.8rem;margin:2rem 0 1rem}
"""


def e(x: Any) -> str:
    """``x`` as HTML-escaped text (quotes too)."""
    return html.escape("" if x is None else str(x), quote=True)


def trend_svg(trend: Trend) -> str:
    """An inline SVG (no XML prologue) of each assessed rule's score over the session dates."""
    import matplotlib
    from matplotlib.figure import Figure

    days = [dt.date.fromisoformat(d) for d in trend.dates]
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "formcheck"}):
        fig = Figure(figsize=(7.5, 3.2))
        ax = fig.add_subplot()
        for rid, values in trend.scores.items():
            pts = [(d, s) for d, s in zip(days, values, strict=True) if s is not None]
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=rid)  # type: ignore[arg-type]
        ax.set_ylim(0, 105)
        ax.set_ylabel("score (0-100)")
        ax.set_xticks(days, [d.isoformat() for d in days], rotation=30, ha="right", fontsize=8)  # type: ignore[arg-type]
        ax.grid(alpha=0.3)
        if ax.lines:
            ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _rel(path: str, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def index_html(results: Sequence[JobResult], out_dir: Path, title: str = "formcheck batch") -> str:
    results = sorted(results, key=sort_key)
    ids = rule_ids(results)
    by_trend = trends(rows(results))
    n_ok = sum(r.ok for r in results)
    parts = [
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(title)}</title><style>{CSS}</style></head><body><main>
<h1>{e(title)}</h1>
<p>{len(results)} videos, {n_ok} analysed, {len(results) - n_ok} failed.</p>"""
    ]
    athletes = sorted({r.athlete for r in results})
    for athlete in athletes:
        mine = [r for r in results if r.athlete == athlete]
        parts.append(f"<section><h2>{e(athlete)}</h2>")
        trend = by_trend.get(athlete)
        if trend is not None and len(trend.dates) >= 2:
            parts.append(
                f'<div class="trend" role="img" aria-label="score trend of {e(athlete)}">{trend_svg(trend)}</div>'
            )
        head = "".join(f'<th title="{e(rid)}">{e(rid.replace("_", " "))}</th>' for rid in ids)
        parts.append(
            f"<table><thead><tr><th>date</th><th>video</th><th>report</th>{head}<th>notes</th></tr></thead><tbody>"
        )
        for r in mine:
            if r.ok:
                link = f'<a href="{e(_rel(os.path.join(r.out_dir, "report.html"), out_dir))}">report</a>'
                by_id = {rid: (v, s) for rid, v, s in r.rules}
                cells = ""
                for rid in ids:
                    v, s = by_id.get(rid, ("", None))
                    score = "" if s is None else f" {s}"
                    cells += (
                        f'<td><span class="b {e(v)}" title="{e(rid)}: {e(LABEL.get(v, v))}{e(score)}">'
                        f"{e(LABEL.get(v, v))}{e(score)}</span></td>"
                    )
            else:
                link = '<span class="b error">error</span>'
                cells = f'<td class="err" colspan="{len(ids)}">{e(r.error)}</td>'
            parts.append(
                f"<tr><td>{e(r.date)}</td><td>{e(r.source)}</td><td>{link}</td>{cells}"
                f"<td class=notes>{e(r.notes)}</td></tr>"
            )
        parts.append("</tbody></table></section>")
    parts.append(f"<footer>formcheck {e(__version__)}</footer></main></body></html>\n")
    return "\n".join(parts)


def write_index(results: Sequence[JobResult], out_dir: str | Path) -> Path:
    out_dir = Path(out_dir)
    return write_text(out_dir / INDEX, index_html(results, out_dir))
