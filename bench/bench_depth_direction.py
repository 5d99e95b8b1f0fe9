"""Direction of travel toward and away from a static camera: synthetic runners seen from the back, the front and
at 45 degrees, running backward, forward or standing, with the camera 1, 2 or 3 m high and near or 14 m away.

Prints, per clip, the view found and the direction of each segment against the truth, then how many seconds of
the clips read the true direction, another direction (a wrong verdict), or none. A front or back view gets one
direction for the whole clip, so a clip that changes direction there is right only in part.

Run: ``python bench/bench_depth_direction.py [--cache DIR]`` (renders once into the cache; each run analyses
every clip again, reusing the renders and pose.npz).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_accuracy import BACKGROUNDS, OUTFITS, SKINS, prepare_specs  # noqa: E402


def clip_specs() -> list[tuple[str, dict]]:
    """(name, SynthParams keyword arguments) of every clip."""
    grid: list[tuple[str, str, list[tuple[str, float]], float, float | None]] = []
    for view, side in (("back", "right"), ("front", "right"), ("oblique", "left"), ("oblique", "right")):
        for direction in ("backward", "forward"):
            for height in (1.0, 3.0):
                grid.append((view, side, [(direction, 4.0)], height, None))
    grid += [
        ("front", "right", [("standing", 4.0)], 1.0, None),
        ("back", "left", [("standing", 4.0)], 3.0, None),
        ("oblique", "right", [("standing", 4.0)], 3.0, None),
        ("back", "left", [("backward", 5.0)], 3.0, 14.0),
        ("front", "left", [("backward", 5.0)], 3.0, 14.0),
        ("back", "right", [("forward", 5.0)], 2.0, 14.0),
        ("front", "right", [("forward", 2.0), ("backward", 3.0)], 1.5, None),
    ]
    specs = []
    for i, (view, side, segs, height, dist) in enumerate(grid, start=1):
        seed = (900 if i <= 16 else 950) + i
        kw = dict(
            seed=seed,
            fps=30,
            width_px=640,
            height_px=480,
            view=view,
            side=side,
            camera="static",
            camera_height_m=height,
            strike="forefoot" if (i <= 16 and i % 2) else "heel",
            segments=[{"direction": d, "duration_s": t} for d, t in segs],
            skin=SKINS[i % 4],
            outfit=OUTFITS[i % 5],
            background=BACKGROUNDS[i % 3],
            crf=23,
        )
        if dist:
            kw["camera_distance_m"] = dist
        name = f"dg{i:02d}_{view}_{side}_{'-'.join(d for d, _ in segs)}_h{height:.0f}" + (
            f"_d{dist:.0f}" if dist else ""
        )
        specs.append((name, kw))
    return specs


def _true_direction(truth: dict, t: float) -> str:
    for s in truth["segments"]:
        if s["start_s"] - 1e-6 <= t < s["end_s"] + 1e-6:
            return str(s["direction"])
    return str(truth["segments"][-1]["direction"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "formcheck_bench_depth")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    clips, skipped = prepare_specs(args.cache, clip_specs())
    right = wrong = none = 0.0
    print(f"{'clip':42s} {'view':8s} segments, then seconds of frames right / wrong / standing while moving")
    for name, out, truth in clips:
        report = json.loads((out / "report.json").read_text())
        segs = ", ".join(f"{s['direction']} {s['end_s'] - s['start_s']:.1f} s" for s in report["segments"])
        fps = float(report["video"]["fps"])
        r = w = n = 0.0
        with open(out / "frames.csv", newline="") as fh:
            for row in csv.DictReader(fh):
                found = row["direction"]
                if not found:  # the athlete is not seen there
                    continue
                true = _true_direction(truth, float(row["time_s"]))
                if found == true:
                    r += 1 / fps
                elif found == "standing":
                    n += 1 / fps
                else:
                    w += 1 / fps
        right, wrong, none = right + r, wrong + w, none + n
        print(f"{name:42s} {report['view']['kind']:8s} {segs:32s} {r:4.1f} / {w:4.1f} / {n:4.1f}")
    total = right + wrong + none or 1.0
    print(
        f"seconds read right {right:.1f} ({100 * right / total:.0f} %), wrong {wrong:.1f}, "
        f"standing while moving {none:.1f}; clips {len(clips)}, not measured {len(skipped)}"
    )
    return 0 if wrong == 0 and not skipped else 1


if __name__ == "__main__":
    raise SystemExit(main())
