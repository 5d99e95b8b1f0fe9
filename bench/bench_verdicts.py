"""Verdicts against the truth: for each synthetic clip of ``bench/bench_accuracy.py``'s sets, the verdict each rule
gave against the verdict the rule's own bands give the clip's true value, per rule: right, milder (a band less
severe than the truth's), harsher, or not assessable.

The rules and their true values (backward running only, side and oblique views):

- ``upright_posture``: the median of the truth's trunk lean (deg);
- ``arm_angle``: the median of the truth's elbow angle (deg) on the side the analysis judged (its ``near_side``),
  else the camera's side;
- ``forefoot_landing``: the share of the truth's contacts that land heel first;
- ``short_steps``: the median of the truth's step lengths (leg lengths);
- ``heel_drag``: the median over the truth's toe-offs of the heel's height above the foot index on the last stance
  frame (leg lengths, from the truth's 3-D landmarks);
- ``symmetry``: the truth's left->right against right->left step times (% of the mean step time).

A wrong verdict is worse than none: "harsher" tells a runner of a fault they do not have, "milder" misses one. A
true value within ``--edge`` of a band edge is marked ``~`` (the truth itself sits on the edge; a one-band miss there
is not counted as wrong but shown apart).

Run: ``python bench/bench_verdicts.py [--set sweep|tune] [--cache DIR] [--duration 3.5] [--size 640x480]``; clips
are rendered and analysed as by ``bench_accuracy.py`` (the same cache serves both).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import bench_accuracy  # bench/ is on sys.path when run as a script; it puts the project on it too
import numpy as np

from formcheck.analysis.events import FEET
from formcheck.config import BandRule, load_config
from formcheck.rules.verdict import band_verdict

#: Bands from best to worst.
ORDER = ("ok", "warn", "fail")


def _backward_frames(truth: dict) -> np.ndarray:
    return np.array([d == "backward" for d in truth["per_frame"]["direction"]], dtype=bool)


def true_values(truth: dict, report: dict) -> dict[str, float | None]:
    """Each judged rule's true value for the clip (None where the truth has none)."""
    pf = truth["per_frame"]
    back = _backward_frames(truth)
    side = report["metrics"].get("near_side") or truth["view"].get("side") or "right"
    contacts = [c for c in truth["contacts"] if c["direction"] == "backward"]
    strikes = [c["strike"] for c in contacts if c.get("strike")]
    steps = [c["step_length_leg"] for c in contacts if c.get("step_length_leg") is not None]

    def median(key: str) -> float | None:
        x = np.asarray(pf[key], dtype=float)[back]
        x = x[np.isfinite(x)]
        return float(np.median(x)) if x.size else None

    return {
        "upright_posture": median("trunk_lean_deg"),
        "arm_angle": median(f"elbow_{side}_deg"),
        "forefoot_landing": (strikes.count("heel") / len(strikes)) if strikes else None,
        "short_steps": float(np.median(steps)) if steps else None,
        "heel_drag": _heel_raise(truth, back),
        "symmetry": _asymmetry_pct(contacts),
    }


def _heel_raise(truth: dict, back: np.ndarray) -> float | None:
    """Median over backward toe-offs (the last stance frame) of the heel's height above the foot index (leg
    lengths; the truth's world landmarks, y up), as ``metrics.heel_raise_leg`` reads it in the image."""
    pf = truth["per_frame"]
    world = np.asarray(pf["landmarks_world_m"], dtype=float)
    raises = []
    for foot, (heel, toe) in FEET.items():
        phase = np.asarray(pf[f"phase_{foot}"])
        for i in np.flatnonzero((phase[:-1] == "stance") & (phase[1:] != "stance")):
            if back[i]:
                raises.append(float(world[i, heel, 1] - world[i, toe, 1]) / float(truth["leg_length_m"]))
    return float(np.median(raises)) if raises else None


def _asymmetry_pct(contacts: list[dict]) -> float | None:
    """|median left->right - median right->left step time| / their mean (%), from the truth's exact contact
    times; None with fewer than two steps of each kind."""
    kinds: dict[str, list[float]] = {"left": [], "right": []}
    for a, b in zip(contacts[:-1], contacts[1:], strict=False):
        if a["foot"] != b["foot"]:
            kinds[b["foot"]].append(b["time_exact_s"] - a["time_exact_s"])
    if min(len(v) for v in kinds.values()) < 2:
        return None
    to_right, to_left = float(np.median(kinds["right"])), float(np.median(kinds["left"]))
    return 200.0 * abs(to_right - to_left) / (to_right + to_left)


def near_edge(value: float, band: BandRule, edge: float) -> bool:
    """Whether ``value`` lies within ``edge`` (the rule's unit) of one of ``band``'s finite bounds."""
    bounds = [b for b in (*band.ok, *band.warn) if np.isfinite(b)]
    return any(abs(value - b) <= edge for b in bounds)


def compare(read: str, true: str) -> str:
    """``right``, ``milder``, ``harsher`` or ``not_assessable``."""
    if read == "not_assessable":
        return "not_assessable"
    if read == true:
        return "right"
    return "milder" if ORDER.index(read) < ORDER.index(true) else "harsher"


#: How close to a band edge a true value is "on the edge", per rule (its unit).
EDGES = {
    "upright_posture": 0.5,
    "arm_angle": 1.0,
    "forefoot_landing": 0.02,
    "short_steps": 0.02,
    "heel_drag": 0.005,
    "symmetry": 1.0,
}


def evaluate(clips: list[tuple[str, Path, dict]], edge_scale: float) -> int:
    """Print each clip's verdicts against the truth's, and the totals per rule."""
    rules_cfg = load_config(bench_accuracy.CONFIG[0]).rules
    errors: dict[str, list[float]] = {r: [] for r in EDGES}
    totals: dict[str, Counter[str]] = {r: Counter() for r in EDGES}
    print(f"{'clip':48s} {'rule':17s} {'truth':>7s} {'read':>7s}  true band -> verdict")
    for name, out, truth in clips:
        if truth["view"]["kind"] not in ("side", "oblique"):
            continue
        report = json.loads((out / "report.json").read_text())
        verdicts = {r["id"]: r for r in report["rules"]}
        for rule, value in true_values(truth, report).items():
            if value is None:
                continue
            band: BandRule = getattr(rules_cfg, rule)
            true_band = band_verdict(value, band)[0]
            got: Any = verdicts[rule]
            kind = compare(got["verdict"], true_band)
            edge = near_edge(value, band, EDGES[rule] * edge_scale)
            if edge and kind in ("milder", "harsher"):
                kind += " ~"
            totals[rule][kind] += 1
            read = got["value"]
            if isinstance(read, (int, float)):
                errors[rule].append(float(read) - value)
            shown = f"{read:7.2f}" if isinstance(read, (int, float)) else f"{'-':>7s}"
            print(f"{name:48s} {rule:17s} {value:7.2f} {shown}  {true_band} -> {got['verdict']}  {kind}")
    print()
    wrong = 0
    for rule, c in totals.items():
        n = sum(c.values())
        wrong += c["milder"] + c["harsher"]
        parts = ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
        e = np.asarray(errors[rule])
        err = f"; read - truth: mean {e.mean():+.3f}, MAE {np.abs(e).mean():.3f}" if e.size else ""
        print(f"{rule:17s} {n:3d} clips: {parts}{err}")
    print(f"\nwrong verdicts off a band edge: {wrong} (milder or harsher than the truth's band)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=["sweep", "tune"], default="sweep")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "formcheck_bench_accuracy")
    ap.add_argument("--duration", type=float, default=3.5, help="seconds of backward running per clip")
    ap.add_argument("--size", default="640x480", help="frame size WxH of the rendered clips (px)")
    ap.add_argument("--edge", type=float, default=1.0, help="scale of the 'on the edge' margins (x)")
    ap.add_argument("--config", type=Path, help="a formcheck config file to analyse with (outputs kept apart)")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    bench_accuracy.CONFIG = (args.config, f"_{args.config.stem}" if args.config else "")
    size = tuple(int(v) for v in args.size.lower().split("x"))
    clips, _ = bench_accuracy.prepare(args.cache, args.set, args.duration, size)  # type: ignore[arg-type]
    return evaluate(clips, args.edge)


if __name__ == "__main__":
    raise SystemExit(main())
