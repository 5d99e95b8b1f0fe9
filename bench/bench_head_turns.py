"""Head turns (looking over the shoulder) found by ``analyze`` against synthetic truth: per clip the true turns,
the turns found, how many match, and overall recall and precision.

Renders a set of side-view synthetic runners (camera following: a static camera framing 12 s of running
leaves a figure too small to detect) who look over a shoulder every few seconds (either shoulder, 55-80
degrees of yaw, 0.5-1 s each; one clip never looks) into a cache folder, analyses each (model full) and compares
the start frames the ``look_over_shoulder`` rule cites with the truth's ``head_turned`` runs. A found start
matches a true turn when it falls within the turn (with ``--slack`` seconds either side); each true turn is
matched once.

Run: ``python bench/bench_head_turns.py [--set sweep|tune] [--cache DIR] [--duration 12]``. Tune thresholds on
``tune`` (other seeds and looks), report ``sweep``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from formcheck.analyze import analyze_video  # noqa: E402
from formcheck.config import load_config  # noqa: E402
from formcheck.synth import SynthParams, generate_clip  # noqa: E402

SKINS = ["light", "medium", "tan", "dark"]
OUTFITS = ["red_black", "blue_grey", "white_navy", "yellow_green", "black_orange"]


def clip_specs(which: str, duration_s: float) -> list[tuple[str, dict]]:
    """(name, SynthParams keyword arguments) of every clip of the set ``which``."""
    base = 1700 if which == "sweep" else 700
    looks = [
        dict(side="right", camera="follow", head_turn_every_s=3.0, head_turn_deg=70.0, head_turn_duration_s=0.8),
        dict(side="left", camera="follow", head_turn_every_s=2.5, head_turn_deg=60.0, head_turn_duration_s=0.6),
        dict(side="right", camera="follow", head_turn_every_s=3.5, head_turn_deg=80.0, head_turn_duration_s=1.0),
        dict(side="left", camera="follow", head_turn_every_s=4.0, head_turn_deg=55.0, head_turn_duration_s=0.5, fps=60),
        dict(
            side="right",
            camera="follow",
            head_turn_every_s=3.0,
            head_turn_deg=75.0,
            head_turn_duration_s=0.7,
            trunk_lean_deg=10.0,
        ),
        dict(side="left", camera="follow", head_turn_every_s=None),
    ]
    out = []
    for i, kw in enumerate(looks):
        seed = base + i
        full = dict(
            seed=seed,
            fps=30,
            width_px=640,
            height_px=480,
            view="side",
            segments=[{"direction": "backward", "duration_s": duration_s}],
            skin=SKINS[(seed + (which == "tune")) % 4],
            outfit=OUTFITS[seed % 5],
        )
        full.update(kw)
        every = full.get("head_turn_every_s")
        name = f"{which}{i:02d}_{full['side']}_{full['camera']}_{int(full['fps'])}fps_" + (
            f"every{every:g}s_{full['head_turn_deg']:g}deg" if every else "never"
        )
        out.append((name, full))
    return out


def true_turns(truth: dict) -> list[tuple[int, int]]:
    """(first, last) frame of each run of ``head_turned`` in the truth."""
    h = np.asarray(truth["per_frame"]["head_turned"], dtype=bool)
    edges = np.diff(np.concatenate([[0], h.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), (np.flatnonzero(edges == -1) - 1).tolist(), strict=True))


def match(found: list[int], turns: list[tuple[int, int]], slack_frames: int) -> int:
    """How many true turns have a found start inside them (each found start used once)."""
    used: set[int] = set()
    hits = 0
    for a, b in turns:
        for f in found:
            if f not in used and a - slack_frames <= f <= b + slack_frames:
                used.add(f)
                hits += 1
                break
    return hits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=["sweep", "tune"], default="sweep")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "formcheck_bench_head_turns")
    ap.add_argument("--duration", type=float, default=12.0, help="seconds of backward running per clip")
    ap.add_argument("--slack", type=float, default=0.3, help="seconds either side of a true turn")
    ap.add_argument("--config", type=Path, help="a TOML file overriding the default settings (for tuning)")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    config = load_config(args.config)
    tot_true = tot_found = tot_hit = 0
    print(f"{'clip':52s} {'true':>5s} {'found':>6s} {'match':>6s}")
    for name, kw in clip_specs(args.set, args.duration):
        mp4 = args.cache / f"{name}.mp4"
        truth_path = args.cache / f"{name}.truth.json"
        if not truth_path.is_file():
            generate_clip(SynthParams.build(**kw), mp4)
        res = analyze_video(mp4, out_dir=args.cache / f"{name}_out", model="full", config=config)
        truth = json.loads(truth_path.read_text())
        rule = next(r for r in res.report["rules"] if r["id"] == "look_over_shoulder")
        found = [int(f) for f in rule["evidence_frames"]]
        turns = true_turns(truth)
        hits = match(found, turns, int(round(args.slack * float(truth["video"]["fps"]))))
        tot_true, tot_found, tot_hit = tot_true + len(turns), tot_found + len(found), tot_hit + hits
        print(f"{name:52s} {len(turns):5d} {len(found):6d} {hits:6d}   verdict {rule['verdict']}")
    recall = tot_hit / tot_true if tot_true else float("nan")
    precision = tot_hit / tot_found if tot_found else float("nan")
    print(
        f"\nhead turns: {tot_hit} of {tot_true} true turns found (recall {recall:.3f}); {tot_found} found, "
        f"{tot_found - tot_hit} not a true turn (precision {precision:.3f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
