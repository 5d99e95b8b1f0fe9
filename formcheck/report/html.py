"""``report.html``: one self-contained page a coach or a runner reads (inline CSS, inline images, no script).

A strict Content-Security-Policy forbids loading or running anything, and every string that comes from the user
or the video (file names, athlete names, messages) is HTML-escaped. The page reads verdicts; it judges nothing.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from formcheck.atomic import write_text
from formcheck.config import Config, load_config
from formcheck.errors import FormcheckError
from formcheck.report import plots
from formcheck.report.steps_csv import COLUMNS as STEP_COLUMNS
from formcheck.report.terminal import num, target_str
from formcheck.report.thumbnails import best_and_worst
from formcheck.report.tips_content import RULE_TITLES

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
.plots div{overflow-x:auto;background:#fff;border-radius:10px}
.plots img{width:100%;min-width:560px;height:auto;display:block}
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


def _d(x: Any) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def _l(x: Any) -> list[Any]:
    return x if isinstance(x, list) else []


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(float(x))


_RANGE = re.compile(r"^\s*(-?[\d.]+)\s*(?:to|\.\.|-)\s*(-?[\d.]+)")
_AT_MOST = re.compile(r"at most\s*(-?[\d.]+)")
_AT_LEAST = re.compile(r"at least\s*(-?[\d.]+)")


def _config_bands(config: Config | None) -> dict[str, dict[str, tuple[float, float]]]:
    """Each rule's ok/warn bands from the configuration the analysis used ({} when there is none)."""
    if config is None:
        return {}
    out = {}
    for rid in RULE_TITLES:
        cfg = getattr(config.rules, rid, None)
        if cfg is not None and hasattr(cfg, "ok"):
            out[rid] = {"ok": tuple(cfg.ok), "warn": tuple(cfg.warn)}
    return out


def rule_band(rule: Mapping[str, Any], defaults: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple] | None:
    """The ok (and warn) band of a rule, read from its ``target`` (an object with [lo, hi] lists, or text such as
    "-3 to 12 deg" / "at most 0.8 leg"); the warn band and missing pieces come from the default config."""
    target, rid = rule.get("target"), rule.get("id")
    base = dict(defaults.get(rid, {})) if isinstance(rid, str) else {}
    if isinstance(target, Mapping):
        bands = {
            k: (float(v[0]), float(v[1]))
            for k, v in target.items()
            if isinstance(v, (list, tuple)) and len(v) == 2 and all(_is_num(x) for x in v)
        }
        return bands or (base or None)
    if isinstance(target, str):
        ok = None
        if m := _RANGE.search(target):
            ok = (float(m.group(1)), float(m.group(2)))
        elif m := _AT_MOST.search(target):
            ok = (min(0.0, float(m.group(1))), float(m.group(1)))
        elif m := _AT_LEAST.search(target):
            ok = (float(m.group(1)), math.inf)
        if ok is not None and ok[0] <= ok[1]:
            warn = base.get("warn")
            out: dict[str, tuple] = {"ok": ok}
            if warn and warn[0] <= ok[0] and ok[1] <= warn[1]:
                out["warn"] = warn
            return out
    return base or None


def _bar(value: Any, band: Mapping[str, Any] | None) -> str:
    """A CSS bar: red outside, yellow warn band, green target band, a black mark at the value."""
    if not _is_num(value) or not band or "ok" not in band:
        return ""
    ok = band["ok"]
    warn = band.get("warn", ok)
    edges = [x for x in (*ok, *warn) if math.isfinite(x) and abs(x) < 999]
    if len(edges) < 2:
        return ""
    lo, hi = min(*edges, float(value)), max(*edges, float(value))
    pad = 0.15 * (hi - lo or 1.0)
    lo, hi = lo - pad, hi + pad

    def pos(x: float) -> float:
        return 100.0 * (min(max(x, lo), hi) - lo) / (hi - lo)

    parts = []
    for cls, (a, b) in (("w", warn), ("o", ok)):
        parts.append(f'<i class="{cls}" style="left:{pos(a):.1f}%;width:{max(pos(b) - pos(a), 0.5):.1f}%"></i>')
    parts.append(f'<i class="m" style="left:{pos(float(value)):.1f}%"></i>')
    return f'<div class="bar" aria-hidden="true">{"".join(parts)}</div>'


def _card(rule: Mapping[str, Any], band: Mapping[str, Any] | None) -> str:
    verdict = str(rule.get("verdict") or "not_assessable")
    cls = verdict if verdict in ("ok", "warn", "fail") else "na"
    rid = str(rule.get("id") or "?")
    value, unit = rule.get("value"), rule.get("unit") or ""
    nd = 2 if _is_num(value) and abs(float(value)) < 10 else 1
    score = f" &middot; score {e(num(rule.get('score'), 0))}" if _is_num(rule.get("score")) else ""
    if verdict == "not_assessable":
        body = f'<div class="muted">Not assessable: {e(rule.get("message") or "no reason given")}</div>'
    else:
        body = (
            f'<div><span class="val">{e(num(value, nd, str(unit)))}</span>'
            f' <span class="muted">target {e(target_str(rule.get("target")))}{score}</span></div>'
            f'{_bar(value, band)}<div class="muted">{e(rule.get("message") or "")}</div>'
        )
    tip = f'<div class="tip">{e(rule.get("tip"))}</div>' if rule.get("tip") else ""
    return (
        f'<section class="card {cls}"><h3><span>{e(RULE_TITLES.get(rid, rid))}</span>'
        f'<span class="badge {cls}">{e(VERDICT_LABEL.get(verdict, verdict))}</span></h3>{body}{tip}</section>'
    )


def _overall(report: Mapping[str, Any], rules: list[dict[str, Any]]) -> str:
    counts = {k: sum(1 for r in rules if r.get("verdict") == k) for k in VERDICT_LABEL}
    scores = [float(r["score"]) for r in rules if _is_num(r.get("score"))]
    big = f"{sum(scores) / len(scores):.0f}" if scores else "&ndash;"
    parts = [
        f'<span class="badge {k if k != "not_assessable" else "na"}">{counts[k]} {e(VERDICT_LABEL[k])}</span>'
        for k in VERDICT_LABEL
        if counts[k]
    ]
    tips = [t for t in _l(report.get("tips")) if t]
    if not rules:
        head = "No rule could be judged from this video."
    elif counts["fail"] or counts["warn"]:
        worst = sorted(
            (r for r in rules if r.get("verdict") in ("fail", "warn")),
            key=lambda r: (r.get("verdict") != "fail", r.get("score") if _is_num(r.get("score")) else 0),
        )
        head = "Work on: " + ", ".join(e(RULE_TITLES.get(str(r.get("id")), r.get("id"))) for r in worst[:3]) + "."
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


def _step_cells(step: Mapping[str, Any]) -> list[str]:
    cells = []
    for col in STEP_COLUMNS[1:]:
        v = step.get(col)
        left = isinstance(v, str)
        if isinstance(v, float):
            v = num(v, 1 if col.endswith("_deg") else 2 if col.endswith("_leg") or col.endswith("_s") else 3)
        cells.append(f'<td class="{"l" if left else ""}">{e("" if v is None else v)}</td>')
    return cells


def _steps_table(steps: list[Any], picks: Mapping[str, int]) -> str:
    if not steps:
        return '<p class="muted">No steps were detected.</p>'
    mark = {i: k for k, i in picks.items()}
    head = "".join(
        f'<th class="{"l" if c in ("foot", "strike", "direction") else ""}">{e(c.replace("_", " "))}</th>'
        for c in STEP_COLUMNS
    )
    rows = []
    for i, step in enumerate(steps):
        step = _d(step)
        rows.append(f'<tr class="{mark.get(i, "")}"><td>{i}</td>{"".join(_step_cells(step))}</tr>')
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _image_uri(data: bytes) -> str | None:
    kind = "jpeg" if data[:3] == b"\xff\xd8\xff" else "png" if data[:8] == b"\x89PNG\r\n\x1a\n" else None
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}" if kind else None


def _thumbs(steps: list[Any], picks: Mapping[str, int], thumbnails: Mapping[str, bytes] | None) -> str:
    figs = []
    for key, label in (("best", "Best step"), ("worst", "Worst step")):
        step = _d(steps[picks[key]]) if key in picks and picks[key] < len(steps) else None
        img = _image_uri(thumbnails[key]) if thumbnails and isinstance(thumbnails.get(key), bytes) else None
        if step is None and img is None:
            continue
        caption = f"<b>{label}</b>"
        if step is not None:
            caption += (
                f" (step {picks[key]}): {e(step.get('foot') or '?')} foot at {e(num(step.get('contact_s'), 2))}"
                f" s, frame {e(step.get('contact_frame'))}; strike {e(step.get('strike') or 'unknown')},"
                f" foot angle {e(num(step.get('foot_angle_deg'), 1, 'deg'))},"
                f" step length {e(num(step.get('step_length_leg'), 2, 'leg'))}"
            )
        pic = f'<img src="{img}" alt="{e(label)}">' if img else '<p class="muted">(no picture)</p>'
        figs.append(f"<figure>{pic}<figcaption>{caption}</figcaption></figure>")
    if not figs:
        return '<p class="muted">No step could be rated for the best/worst comparison.</p>'
    return f'<div class="thumbs">{"".join(figs)}</div>'


def _facts(report: Mapping[str, Any]) -> str:
    v, p, view = _d(report.get("video")), _d(report.get("pose")), _d(report.get("view"))
    segs = [_d(s) for s in _l(report.get("segments"))]
    seg_text = (
        "; ".join(f"{e(s.get('direction'))} {e(num(s.get('start_s'), 1))}-{e(num(s.get('end_s'), 1))} s" for s in segs)
        or "none"
    )
    size = f"{v.get('width')} x {v.get('height')} px" if v.get("width") and v.get("height") else "-"
    rate = p.get("detection_rate")
    rows = [
        ("Athlete", e(report.get("athlete"))) if report.get("athlete") else None,
        ("Video", e(v.get("path") or "-")),
        ("Duration", e(num(v.get("duration_s"), 1, "s"))),
        ("Frames", f"{e(v.get('frames') if v.get('frames') is not None else '-')} at {e(num(v.get('fps'), 2))} fps"),
        (
            "Picture",
            f"{e(size)}, rotation {e(v.get('rotation_deg') if v.get('rotation_deg') is not None else '-')} deg",
        ),
        ("Pose model", e(p.get("model") or "-")),
        (
            "Pose found",
            f"{e(p.get('detected_frames') if p.get('detected_frames') is not None else '-')} frames "
            f"({e(num(100 * rate, 0, '%') if _is_num(rate) else '-')}), person "
            f"{e(p.get('person') if p.get('person') is not None else '-')}",
        ),
        (
            "Camera view",
            f"{e(view.get('kind') or 'unknown')}"
            f"{', ' + e(view.get('side')) + ' side toward camera' if view.get('side') else ''}",
        ),
        ("Segments", seg_text),
        ("Cadence", e(num(_d(report.get("metrics")).get("cadence_spm"), 0, "steps/min"))),
        ("Steps", e(len(_l(report.get("steps"))))),
        ("formcheck", e(f"{report.get('formcheck_version') or '?'} ({report.get('schema') or '?'})")),
    ]
    items = "".join(f"<dt>{k}</dt><dd>{val}</dd>" for k, val in filter(None, rows))
    return f'<dl class="facts panel">{items}</dl>'


def render_html(
    report: Mapping[str, Any],
    frames: Any = None,
    thumbnails: Mapping[str, bytes] | None = None,
    config: Config | None = None,
) -> str:
    """The report page as a string (see :func:`write_html_report`)."""
    report = _d(dict(report) if isinstance(report, Mapping) else None)
    rules = [r for r in _l(report.get("rules")) if isinstance(r, dict)]
    steps = _l(report.get("steps"))
    segments = [_d(s) for s in _l(report.get("segments"))]
    config = config if config is not None else _defaults()
    defaults = _config_bands(config)
    bands = {str(r.get("id")): rule_band(r, defaults) for r in rules}
    picks = best_and_worst(report)
    cols = plots.frame_columns(frames)
    events = _events_limits(config)
    plot_uris = [
        plots.trunk_lean_plot(cols, bands.get("upright_posture") or defaults.get("upright_posture"), segments),
        plots.elbow_plot(cols, bands.get("arm_angle") or defaults.get("arm_angle"), segments),
        plots.foot_angle_plot([_d(s) for s in steps], *events),
        plots.cadence_plot([_d(s) for s in steps], _d(report.get("metrics")).get("cadence_spm")),
    ]
    plot_html = (
        "".join(f'<div><img src="{u}" alt="plot"></div>' for u in plot_uris if u)
        or '<p class="muted">No per-frame measurements to plot.</p>'
    )
    video = _d(report.get("video"))
    shown = str(video.get("path")) if video.get("path") else "video"
    name = Path(shown).name or shown
    athlete = f" &middot; {e(report.get('athlete'))}" if report.get("athlete") else ""
    tips = [t for t in _l(report.get("tips")) if t]
    tips_html = (
        ('<ol class="tips panel">' + "".join(f"<li>{e(t)}</li>" for t in tips) + "</ol>")
        if tips
        else '<p class="muted">No tips: nothing to correct was found, or nothing could be judged.</p>'
    )
    cards = (
        "".join(_card(r, bands.get(str(r.get("id")))) for r in rules)
        or '<p class="muted">No rules were judged (the analysis produced no verdicts).</p>'
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>formcheck: {e(name)}</title><style>{CSS}</style></head>
<body><main>
<h1>Backward-running form check</h1><div class="sub">{e(shown)}{athlete}</div>
<h2>Overall</h2>{_overall(report, rules)}
<h2>Rules</h2><div class="cards">{cards}</div>
<h2>Over time</h2><div class="plots">{plot_html}</div>
<h2>Best and worst step</h2>{_thumbs(steps, picks, thumbnails)}
<h2>Tips, most important first</h2>{tips_html}
<h2>Steps</h2>{_steps_table(steps, picks)}
<h2>Session</h2>{_facts(report)}
<footer>Made by formcheck. Angles and lengths come from 2D video and carry a few degrees of error.</footer>
</main></body></html>
"""


def _events_limits(config: Config | None) -> tuple[float | None, float | None]:
    """The foot-angle bounds of the strike classes (deg): forefoot above the first, heel below the second."""
    if config is None:
        return None, None
    return float(config.events.forefoot_min_deg), float(config.events.heel_max_deg)


def _defaults() -> Config | None:
    """The default configuration, or None when it cannot be read (the page is still drawn, without bands)."""
    try:
        return load_config()
    except FormcheckError:
        return None


def write_html_report(
    report: Mapping[str, Any],
    frames: Any,
    out_path: str | Path,
    thumbnails: Mapping[str, bytes] | None = None,
    config: Config | None = None,
) -> Path:
    """Write report.html to ``out_path`` atomically and return the path.

    ``report`` is report.json's dict; ``frames`` the per-frame data (rows as dicts, e.g. read from frames.csv, or
    a mapping column -> sequence; None for no plots over time); ``thumbnails`` optional ``{"best": jpeg,
    "worst": jpeg}`` (see :func:`formcheck.report.thumbnails.step_thumbnails`); ``config`` the configuration the
    analysis ran with, for the target bands drawn on the plots (the defaults when None).
    """
    return write_text(out_path, render_html(report, frames, thumbnails, config))
