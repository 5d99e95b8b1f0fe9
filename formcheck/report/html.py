"""``report.html``: one self-contained page a coach or a runner reads and watches (inline CSS, inline images, one
inline script): annotated.mp4 from the page's own folder beside the plots, with a time cursor and click-to-seek
(:mod:`formcheck.report.player`), and a print stylesheet.

A strict Content-Security-Policy forbids loading anything from outside and running any script but the page's
own (pinned by its hash), and every string that comes from the user or the video (file names, athlete names,
messages) is HTML-escaped. The page reads verdicts; it judges nothing.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck import __version__
from formcheck.analysis.judge import Judgement
from formcheck.analysis.types import Step, StepPicks
from formcheck.atomic import write_text
from formcheck.pose.sequence import PoseSequence
from formcheck.report import plots
from formcheck.report.json_report import SCHEMA, step_record
from formcheck.report.player import CSS as PLAYER_CSS
from formcheck.report.player import REPORT_CSP, player_html, plot_html, script_tag, seek_attrs
from formcheck.report.steps_csv import COLUMNS as STEP_COLUMNS
from formcheck.report.terminal import num
from formcheck.report.tips_content import RULE_TITLES
from formcheck.rules.verdict import Verdict
from formcheck.video.reader import VideoInfo

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
VERDICT_LABEL = {"ok": "OK", "warn": "Warning", "fail": "Fail", "not_assessable": "Not assessable"}

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#212121;
background:#f5f6f8}
main{max-width:1040px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .6rem;border-bottom:2px solid #e0e0e0;
padding-bottom:.2rem}
.sub{color:#616161;word-break:break-all}
.panel{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.overall{display:flex;flex-wrap:wrap;gap:18px;align-items:center}
.big{font-size:2.4rem;font-weight:700;line-height:1}
.counts span{display:inline-block;margin:2px 6px 2px 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:12px}
.card{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 3px rgba(0,0,0,.08);
border-left:6px solid #9e9e9e}
.card.ok{border-left-color:#2e7d32}.card.warn{border-left-color:#f9a825}.card.fail{border-left-color:#c62828}
.card h3{font-size:1rem;margin:0 0 .3rem;display:flex;justify-content:space-between;align-items:flex-start;gap:8px}
.badge{font-size:.75rem;font-weight:700;padding:2px 8px;border-radius:10px;color:#fff;background:#9e9e9e;
white-space:nowrap}
.badge.ok{background:#2e7d32}.badge.warn{background:#f9a825;color:#212121}.badge.fail{background:#c62828}
.val{font-size:1.25rem;font-weight:600}.muted{color:#757575;font-size:.88rem}.tip{margin-top:.4rem}
.bar{position:relative;height:12px;background:#ffcdd2;border-radius:6px;margin:.45rem 0 .2rem;overflow:hidden}
.bar i{position:absolute;top:0;bottom:0;display:block}
.bar .w{background:#fff3c4}.bar .o{background:#c8e6c9}
.bar .m{width:4px;margin-left:-2px;background:#212121}
.plots{display:grid;grid-template-columns:1fr;gap:12px}
.thumbs{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px}
.thumbs figure{margin:0;background:#fff;border-radius:10px;padding:10px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.thumbs img{max-width:100%;height:auto;display:block;margin:0 auto;border-radius:6px}
.scroll{overflow-x:auto;background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th{background:#fafafa;position:sticky;top:0}td.l,th.l{text-align:left}
tr.best td{background:#e8f5e9}tr.worst td{background:#ffebee}
ol.tips li{margin:.3rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}
dl.facts dt{color:#616161}dl.facts dd{margin:0;word-break:break-all}
footer{color:#9e9e9e;font-size:.8rem;margin:2rem 0 1rem}
@media (max-width:600px){main{padding:10px}h1{font-size:1.25rem}.big{font-size:2rem}
dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:6px}}
"""


def e(x: Any) -> str:
    """``x`` as text, HTML-escaped (quotes too): every user- or video-supplied string goes through here."""
    return html.escape("" if x is None else str(x), quote=True)


@dataclass(frozen=True)
class ReportPage:
    """What the page shows, as typed values: the ``video`` (container facts), the analysed person's pose
    ``seq`` (model, detection, person index), the ``judgement``, the strike-class bounds drawn on the foot-angle
    plot (``forefoot_min_deg``, ``heel_max_deg``, deg), optional step ``thumbnails`` (``{"best": jpeg, "worst":
    jpeg}``), the ``athlete``'s name (batch mode), the annotated video's file name beside the page and the camera
    views that show how the foot lands (``landing_views``: rules.forefoot_landing.views; in others no foot angle
    plot and no best/worst step)."""

    video: VideoInfo
    seq: PoseSequence
    judgement: Judgement
    forefoot_min_deg: float
    heel_max_deg: float
    thumbnails: Mapping[str, bytes] | None = None
    athlete: str | None = None
    annotated: str = "annotated.mp4"
    landing_views: tuple[str, ...] = ("side",)


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def _bar(value: float | None, band: plots.Band | None) -> str:
    """A CSS bar: red outside, yellow warn band, green target band, a black mark at the value."""
    if value is None or not math.isfinite(value) or band is None:
        return ""
    ok, warn = band.ok, band.warn
    edges = [x for x in (*ok, *warn) if math.isfinite(x)]
    if len(edges) < 2:
        return ""
    lo, hi = min(*edges, value), max(*edges, value)
    pad = 0.15 * (hi - lo or 1.0)
    lo, hi = lo - pad, hi + pad

    def pos(x: float) -> float:
        return 100.0 * (min(max(x, lo), hi) - lo) / (hi - lo)

    parts = []
    for cls, (a, b) in (("w", warn), ("o", ok)):
        parts.append(f'<i class="{cls}" style="left:{pos(a):.1f}%;width:{max(pos(b) - pos(a), 0.5):.1f}%"></i>')
    parts.append(f'<i class="m" style="left:{pos(value):.1f}%"></i>')
    return f'<div class="bar" aria-hidden="true">{"".join(parts)}</div>'


#: Evidence frames listed on a card (the rest are counted).
MAX_EVIDENCE = 8


def _evidence(v: Verdict, times_s: Any) -> str:
    """Buttons that seek the video to a rule's evidence frames."""
    frames = [f for f in v.evidence_frames if 0 <= f < len(times_s)]
    if not frames:
        return ""
    shown = frames[:MAX_EVIDENCE]
    more = f" +{len(frames) - len(shown)} more" if len(frames) > len(shown) else ""
    buttons = "".join(
        f'<button type="button"{seek_attrs(float(times_s[f]))}>{num(float(times_s[f]), 2)} s</button>' for f in shown
    )
    return f'<div class="ev">Evidence (click to watch): {buttons}{e(more)}</div>'


def _card(v: Verdict, times_s: Any = ()) -> str:
    cls = v.verdict if v.verdict in ("ok", "warn", "fail") else "na"
    nd = 2 if v.value is not None and abs(v.value) < 10 else 1
    score = f" &middot; score {e(num(v.score, 0))}" if v.score is not None else ""
    if v.verdict == "not_assessable":
        body = f'<div class="muted">Not assessable: {e(v.message or "no reason given")}</div>'
    else:
        body = (
            f'<div><span class="val">{e(num(v.value, nd, v.unit))}</span>'
            f' <span class="muted">target {e(v.target or "-")}{score}</span></div>'
            f'{_bar(v.value, plots.Band.of(v))}<div class="muted">{e(v.message)}</div>'
        )
    tip = f'<div class="tip">{e(v.tip)}</div>' if v.tip else ""
    return (
        f'<section class="card {cls}"><h3><span>{e(RULE_TITLES.get(v.id, v.id))}</span>'
        f'<span class="badge {cls}">{e(VERDICT_LABEL.get(v.verdict, v.verdict))}</span></h3>{body}{tip}'
        f"{_evidence(v, times_s)}</section>"
    )


def _overall(verdicts: tuple[Verdict, ...], tips: tuple[str, ...]) -> str:
    counts = {k: sum(1 for v in verdicts if v.verdict == k) for k in VERDICT_LABEL}
    scores = [float(v.score) for v in verdicts if v.score is not None]
    big = f"{sum(scores) / len(scores):.0f}" if scores else "&ndash;"
    parts = [
        f'<span class="badge {k if k != "not_assessable" else "na"}">{counts[k]} {e(VERDICT_LABEL[k])}</span>'
        for k in VERDICT_LABEL
        if counts[k]
    ]
    if not verdicts:
        head = "No rule could be judged from this video."
    elif counts["fail"] or counts["warn"]:
        worst = sorted(
            (v for v in verdicts if v.verdict in ("fail", "warn")),
            key=lambda v: (v.verdict != "fail", v.score if v.score is not None else 0),
        )
        head = "Work on: " + ", ".join(e(RULE_TITLES.get(v.id, v.id)) for v in worst[:3]) + "."
    elif counts["ok"]:
        head = "Everything that could be judged is within its target."
    else:
        head = "Nothing could be judged: see the reasons below."
    first = f'<div class="tip"><b>First tip:</b> {e(tips[0])}</div>' if tips else ""
    return (
        f'<div class="panel overall"><div><div class="big">{big}</div><div class="muted">average score'
        f'</div></div><div style="flex:1;min-width:220px"><div><b>{head}</b></div>'
        f'<div class="counts">{"".join(parts)}</div>{first}</div></div>'
    )


def _step_values(s: Step) -> dict[str, str | float | int | None]:
    """The step's fields by report.json name (the steps table shows the steps.csv columns of them)."""
    return step_record(s)


def _step_cells(step: Step) -> list[str]:
    values = _step_values(step)
    cells = []
    for col in STEP_COLUMNS[1:]:
        v = values[col]
        left = isinstance(v, str)
        if isinstance(v, float):
            v = num(v, 1 if col.endswith("_deg") else 2 if col.endswith("_leg") or col.endswith("_s") else 3)
        cells.append(f'<td class="{"l" if left else ""}">{e("" if v is None else v)}</td>')
    return cells


def _marks(picks: StepPicks) -> dict[int, str]:
    return {i: k for k, i in (("best", picks.best), ("worst", picks.worst)) if i is not None}


def _steps_table(steps: tuple[Step, ...], picks: StepPicks) -> str:
    if not steps:
        return '<p class="muted">No steps were detected.</p>'
    mark = _marks(picks)
    head = "".join(
        f'<th class="{"l" if c in ("foot", "strike", "direction") else ""}">{e(c.replace("_", " "))}</th>'
        for c in STEP_COLUMNS
    )
    rows = [
        f'<tr class="{mark.get(i, "")}"{seek_attrs(s.contact_s)}><td>{i}</td>{"".join(_step_cells(s))}</tr>'
        for i, s in enumerate(steps)
    ]
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _image_uri(data: bytes) -> str | None:
    kind = "jpeg" if data[:3] == b"\xff\xd8\xff" else "png" if data[:8] == b"\x89PNG\r\n\x1a\n" else None
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}" if kind else None


def _thumbs(
    steps: tuple[Step, ...],
    picks: StepPicks,
    thumbnails: Mapping[str, bytes] | None,
    view_kind: str = "side",
    shows_landing: bool = True,
) -> str:
    figs = []
    for key, label, index in (("best", "Best step", picks.best), ("worst", "Worst step", picks.worst)):
        step = steps[index] if index is not None and index < len(steps) else None
        img = _image_uri(thumbnails[key]) if thumbnails and isinstance(thumbnails.get(key), bytes) else None
        if step is None and img is None:
            continue
        caption = f"<b>{label}</b>"
        if step is not None:
            caption += (
                f" (step {index}): {e(step.foot)} foot at {e(num(step.contact_s, 2))}"
                f" s, frame {e(step.contact_frame)}; strike {e(step.strike or 'unknown')},"
                f" foot angle {e(num(step.foot_angle_deg, 1, 'deg'))},"
                f" step length {e(num(step.step_length_leg, 2, 'leg'))}"
            )
        pic = f'<img src="{img}" alt="{e(label)}">' if img else '<p class="muted">(no picture)</p>'
        seek = seek_attrs(step.contact_s) if step is not None else ""
        figs.append(f"<figure{seek}>{pic}<figcaption>{caption}</figcaption></figure>")
    if not figs:
        if not shows_landing:
            article = "an" if view_kind[:1] in "aeiou" else "a"
            why = f"{article} {e(view_kind)} view cannot show how the foot lands"
            return f'<p class="muted">No best/worst step: {why}.</p>'
        return '<p class="muted">No step could be rated for the best/worst comparison.</p>'
    return f'<div class="thumbs">{"".join(figs)}</div>'


def _facts(page: ReportPage) -> str:
    v, seq, j = page.video, page.seq, page.judgement
    seg_text = (
        "; ".join(f"{e(s.direction)} {e(num(s.start_s, 1))}-{e(num(s.end_s, 1))} s" for s in j.segments) or "none"
    )
    size = f"{v.width} x {v.height} px" if v.width and v.height else "-"
    side = j.view.side if j.view.kind in ("side", "oblique") else None
    rows = [
        ("Athlete", e(page.athlete)) if page.athlete else None,
        ("Video", e(v.path or "-")),
        ("Duration", e(num(seq.duration_s, 1, "s"))),
        ("Frames", f"{e(seq.n_frames)} at {e(num(seq.fps, 2))} fps"),
        ("Picture", f"{e(size)}, rotation {e(v.rotation_deg)} deg"),
        ("Pose model", e(seq.model or "-")),
        (
            "Pose found",
            f"{e(int(seq.detected.sum()))} frames ({e(num(100 * seq.detection_rate, 0, '%'))}), person {e(seq.person)}",
        ),
        ("Camera view", f"{e(j.view.kind)}{', ' + e(side) + ' side toward camera' if side else ''}"),
        ("Segments", seg_text),
        ("Cadence", e(num(j.metrics.cadence_spm, 0, "steps/min"))),
        ("Steps", e(len(j.steps))),
        ("formcheck", e(f"{__version__} ({SCHEMA})")),
    ]
    items = "".join(f"<dt>{k}</dt><dd>{val}</dd>" for k, val in filter(None, rows))
    return f'<dl class="facts panel">{items}</dl>'


def _shows_landing(page: ReportPage) -> bool:
    """Whether the camera view shows how the foot lands (forefoot_landing is judged in it): elsewhere foot angles
    and the best/worst step are not shown."""
    return page.judgement.view.kind in page.landing_views


def _plots(page: ReportPage) -> str:
    j = page.judgement
    verdicts = {v.id: v for v in j.verdicts}
    times = j.pose.times_s
    drawn = [
        plots.trunk_lean_plot(times, j.angles.trunk_lean, plots.Band.of(verdicts.get("upright_posture")), j.segments),
        plots.elbow_plot(
            times, j.angles.elbow_left, j.angles.elbow_right, plots.Band.of(verdicts.get("arm_angle")), j.segments
        ),
        plots.foot_angle_plot(j.steps, page.forefoot_min_deg, page.heel_max_deg) if _shows_landing(page) else None,
        plots.cadence_plot(j.steps, j.metrics.cadence_spm),
    ]
    return (
        "".join(plot_html(p, "plot") for p in drawn if p is not None)
        or '<p class="muted">No per-frame measurements to plot.</p>'
    )


def render_html(page: ReportPage) -> str:
    """The report page as a string (see :func:`write_html_report`)."""
    j = page.judgement
    shown = page.video.path or "video"
    name = Path(shown).name or shown
    athlete = f" &middot; {e(page.athlete)}" if page.athlete else ""
    tips_html = (
        ('<ol class="tips panel">' + "".join(f"<li>{e(t)}</li>" for t in j.tips) + "</ol>")
        if j.tips
        else '<p class="muted">No tips: nothing to correct was found, or nothing could be judged.</p>'
    )
    thumbs = _thumbs(j.steps, j.picks, page.thumbnails, j.view.kind, _shows_landing(page))
    cards = (
        "".join(_card(v, j.pose.times_s) for v in j.verdicts)
        or '<p class="muted">No rules were judged (the analysis produced no verdicts).</p>'
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{REPORT_CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>formcheck: {e(name)}</title><style>{CSS}{PLAYER_CSS}</style></head>
<body data-fps="{page.seq.fps:.6f}"><main>
<h1>Backward-running form check</h1><div class="sub">{e(shown)}{athlete}</div>
<h2>Overall</h2>{_overall(j.verdicts, j.tips)}
<h2>Rules</h2><div class="cards">{cards}</div>
<h2 class="watchh">Watch and measure</h2><div class="watch">{player_html(e(page.annotated), thumbs)}
<div class="plots">{_plots(page)}</div></div>
<h2>Tips, most important first</h2>{tips_html}
<h2>Steps</h2>{_steps_table(j.steps, j.picks)}
<h2>Session</h2>{_facts(page)}
<footer>Made by formcheck. Angles and lengths come from 2D video and carry a few degrees of error.</footer>
</main>{script_tag()}</body></html>
"""


def write_html_report(page: ReportPage, out_path: str | Path) -> Path:
    """Write report.html for ``page`` to ``out_path`` atomically and return the path."""
    return write_text(out_path, render_html(page))
