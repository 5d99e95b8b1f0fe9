"""Plots for the HTML report, drawn with matplotlib's Agg/SVG backends (no pyplot, no display), returned as
``data:image/svg+xml;base64,...`` URIs so the page needs nothing from outside; each comes with where its axes lie
(:class:`Plot`), for the page's time cursor.

Series are reduced to at most :data:`MAX_POINTS` points (mean per bin, gaps kept) so a long, high-frame-rate clip
still gives small plots. Plots only draw: target bands are passed in, never decided here.
"""

from __future__ import annotations

import base64
import io
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from formcheck.analysis.types import Segment, Step
from formcheck.rules.verdict import Verdict

#: Most points drawn per series (a 1-minute 60 fps clip has 3600 frames).
MAX_POINTS = 600
OK_COLOUR, WARN_COLOUR, OFF_COLOUR = "#c8e6c9", "#fff3c4", "#eeeeee"
LEFT_COLOUR, RIGHT_COLOUR, LINE_COLOUR = "#1565c0", "#e65100", "#37474f"


@dataclass(frozen=True)
class Band:
    """A rule's target bands to shade: ``ok`` and ``warn`` as [low, high] in the plot's unit (bounds may be
    infinite)."""

    ok: tuple[float, float]
    warn: tuple[float, float]

    @classmethod
    def of(cls, verdict: Verdict | None) -> Band | None:
        """The bands the verdict was judged against (None when it has none)."""
        if verdict is None or verdict.ok_band is None:
            return None
        return cls(ok=verdict.ok_band, warn=verdict.warn_band or verdict.ok_band)


def downsample(t: np.ndarray, *ys: np.ndarray, max_points: int = MAX_POINTS) -> tuple[np.ndarray, ...]:
    """(t, *ys) reduced to at most ``max_points`` by the mean of equal bins; an all-NaN bin stays NaN (a gap)."""
    n = len(t)
    if n <= max_points:
        return (t, *ys)
    edges = np.linspace(0, n, max_points + 1).astype(int)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for arr in (t, *ys):
            out.append(
                np.array(
                    [np.nanmean(arr[a:b]) if b > a else np.nan for a, b in zip(edges[:-1], edges[1:], strict=True)]
                )
            )
    return tuple(out)


def _figure(height_in: float = 3.3) -> tuple[Figure, Any]:
    fig = Figure(figsize=(7.5, height_in), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


@dataclass(frozen=True)
class Plot:
    """A drawn plot: the SVG as a ``data:`` ``uri``, and where its axes lie in the picture, so a page can draw a
    time cursor on it and turn a click into a time: ``box`` (left, top, right, bottom) as fractions of the
    picture's width and height (top = 0), ``t_range`` the times (s) at the axes' left and right edges."""

    uri: str
    box: tuple[float, float, float, float]
    t_range: tuple[float, float]


def _uri(fig: Figure, ax: Any) -> Plot:
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "formcheck"}):
        fig.tight_layout()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    pos = ax.get_position()
    lo, hi = ax.get_xlim()
    return Plot(
        uri="data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii"),
        box=(float(pos.x0), 1.0 - float(pos.y1), float(pos.x1), 1.0 - float(pos.y0)),
        t_range=(float(lo), float(hi)),
    )


def _shade_band(ax: Any, band: Band | None) -> list[Patch]:
    handles: list[Patch] = []
    if band is None:
        return handles
    for (lo, hi), colour, label in ((band.warn, WARN_COLOUR, "warn band"), (band.ok, OK_COLOUR, "target")):
        if math.isfinite(lo):
            ax.axhspan(lo, min(hi, 1e6), color=colour, zorder=0, lw=0)
            handles.append(Patch(color=colour, label=label))
    return handles


def _shade_segments(ax: Any, segments: Sequence[Segment]) -> list[Patch]:
    shaded = False
    for seg in segments:
        a, b = seg.start_s, seg.end_s
        if seg.direction != "backward" and math.isfinite(a) and math.isfinite(b) and b > a:
            ax.axvspan(a, b, color=OFF_COLOUR, zorder=0, lw=0, alpha=0.8)
            shaded = True
    return [Patch(color=OFF_COLOUR, label="not running backward")] if shaded else []


def _ylim_with_band(ax: Any, values: list[np.ndarray], band: Band | None, pad: float) -> None:
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([])
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (math.nan, math.nan)
    for a, b in (band.ok, band.warn) if band is not None else ():
        if math.isfinite(a) and abs(a) < 1e5:
            lo = a if not math.isfinite(lo) else min(lo, a)
        if math.isfinite(b) and abs(b) < 1e5:
            hi = b if not math.isfinite(hi) else max(hi, b)
    if math.isfinite(lo) and math.isfinite(hi):
        ax.set_ylim(lo - pad, hi + pad)


def _finish(ax: Any, handles: list[Any], title: str, ylabel: str, xlabel: str = "time (s)") -> None:
    ax.set_title(title, fontsize=13, loc="left")
    ax.set_ylabel(ylabel, fontsize=11)
    ax.set_xlabel(xlabel, fontsize=11)
    ax.tick_params(labelsize=10)
    if handles:
        ax.legend(
            handles=handles,
            fontsize=10,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.22),
            frameon=False,
            ncol=min(len(handles), 5),
            handlelength=1.5,
            columnspacing=1.2,
        )


def trunk_lean_plot(
    times_s: np.ndarray, lean: np.ndarray, band: Band | None, segments: Sequence[Segment]
) -> Plot | None:
    """Trunk lean (deg, + = forward) per frame at ``times_s`` with the target band shaded; None when nothing was
    measured."""
    t = np.asarray(times_s, dtype=float)
    lean = np.asarray(lean, dtype=float)
    if t.size == 0 or not np.isfinite(lean).any():
        return None
    t, lean = downsample(t, lean)
    fig, ax = _figure()
    handles = _shade_segments(ax, segments) + _shade_band(ax, band)
    (line,) = ax.plot(t, lean, color=LINE_COLOUR, lw=1.2, label="trunk lean")
    ax.axhline(0, color="#9e9e9e", lw=0.6)
    _ylim_with_band(ax, [lean], band, 3.0)
    _finish(ax, [line, *handles], "Trunk lean (+ forward, - leaning back)", "deg")
    return _uri(fig, ax)


def elbow_plot(
    times_s: np.ndarray, left: np.ndarray, right: np.ndarray, band: Band | None, segments: Sequence[Segment]
) -> Plot | None:
    """Left and right elbow angle (deg, 180 = straight) per frame at ``times_s`` with the target band shaded."""
    t = np.asarray(times_s, dtype=float) if len(times_s) else None
    series = [
        (n, v, c)
        for n, v, c in (("left elbow", left, LEFT_COLOUR), ("right elbow", right, RIGHT_COLOUR))
        if v is not None and np.isfinite(v).any()
    ]
    if t is None or not series:
        return None
    reduced = downsample(t, *(v for _, v, _ in series))
    fig, ax = _figure()
    handles = _shade_segments(ax, segments) + _shade_band(ax, band)
    lines = [
        ax.plot(reduced[0], y, color=c, lw=1.1, label=n)[0] for (n, _, c), y in zip(series, reduced[1:], strict=True)
    ]
    _ylim_with_band(ax, list(reduced[1:]), band, 8.0)
    _finish(ax, [*lines, *handles], "Elbow angle (90 = right angle)", "deg")
    return _uri(fig, ax)


def foot_angle_plot(
    steps: Sequence[Step], forefoot_min_deg: float | None = None, heel_max_deg: float | None = None
) -> Plot | None:
    """Foot angle at each initial contact per foot (deg, + = toe lower, the angle the strike classes are read
    from), with the forefoot zone (above ``forefoot_min_deg``) and the heel zone (below ``heel_max_deg``) shaded."""
    pts = [
        (s.contact_s, s.foot_angle_deg, s.foot, s.strike)
        for s in steps
        if s.foot_angle_deg is not None and math.isfinite(s.contact_s) and math.isfinite(s.foot_angle_deg)
    ]
    if not pts:
        return None
    fig, ax = _figure()
    ys = np.array([p[1] for p in pts])
    lo, hi = min(ys.min(), heel_max_deg or 0.0) - 5, max(ys.max(), forefoot_min_deg or 0.0) + 5
    handles: list[Any] = []
    if forefoot_min_deg is not None:
        ax.axhspan(forefoot_min_deg, hi, color=OK_COLOUR, zorder=0, lw=0)
        handles.append(Patch(color=OK_COLOUR, label="forefoot zone"))
    if heel_max_deg is not None:
        ax.axhspan(lo, heel_max_deg, color="#ffcdd2", zorder=0, lw=0)
        handles.append(Patch(color="#ffcdd2", label="heel zone"))
    markers = {"forefoot": "^", "midfoot": "o", "heel": "v"}
    for foot, colour in (("left", LEFT_COLOUR), ("right", RIGHT_COLOUR)):
        mine = [p for p in pts if p[2] == foot]
        if mine:
            for strike, marker in markers.items():
                sel = [p for p in mine if p[3] == strike]
                if sel:
                    ax.scatter([p[0] for p in sel], [p[1] for p in sel], color=colour, marker=marker, s=18, zorder=3)
            other = [p for p in mine if p[3] not in markers]
            if other:
                ax.scatter([p[0] for p in other], [p[1] for p in other], color=colour, marker="x", s=18, zorder=3)
            handles.insert(0, Patch(color=colour, label=f"{foot} foot"))
    ax.set_ylim(lo, hi)
    ax.axhline(0, color="#9e9e9e", lw=0.6)
    _finish(ax, handles, "Foot angle at contact, per step (\u25b2 forefoot, \u25bc heel)", "deg (+ toe first)")
    return _uri(fig, ax)


def cadence_series(
    steps: Sequence[Step], min_dt_s: float = 0.15, max_dt_s: float = 1.5
) -> tuple[np.ndarray, np.ndarray]:
    """(time s, cadence steps/min) from consecutive contacts: 60 / step time, skipping gaps outside
    ``min_dt_s``..``max_dt_s`` (a pause or a missed contact is not a cadence)."""
    times = sorted(s.contact_s for s in steps if math.isfinite(s.contact_s))
    t, c = [], []
    for a, b in zip(times[:-1], times[1:], strict=True):
        dt = b - a
        if min_dt_s <= dt <= max_dt_s:
            t.append(b)
            c.append(60.0 / dt)
    return np.array(t), np.array(c)


def cadence_plot(steps: Sequence[Step], cadence_spm: float | None = None) -> Plot | None:
    """Step-by-step cadence (steps/min) over time with the clip's cadence as a line; not judged, so no band."""
    t, c = cadence_series(steps)
    if t.size < 2:
        return None
    fig, ax = _figure()
    (line,) = ax.plot(t, c, color=LINE_COLOUR, lw=1.0, marker="o", ms=2.5, label="per step")
    handles: list[Any] = [line]
    if cadence_spm is not None and math.isfinite(cadence_spm):
        handles.append(
            ax.axhline(float(cadence_spm), color="#6a1b9a", lw=1.0, ls="--", label=f"cadence {float(cadence_spm):.0f}")
        )
    ref = [float(cadence_spm)] if cadence_spm is not None and math.isfinite(cadence_spm) else []
    lo, hi = min([float(c.min()), *ref]), max([float(c.max()), *ref])
    mid, half = (lo + hi) / 2, max((hi - lo) / 2 * 1.15, 10.0)
    ax.set_ylim(mid - half, mid + half)
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    _finish(ax, handles, "Cadence, step by step (reference only)", "steps/min")
    return _uri(fig, ax)
