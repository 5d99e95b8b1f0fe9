"""Where the trunk-lean error of the synthetic sets comes from: projection, landmarks, or the analysis.

Reads the clips and outputs that ``bench/bench_accuracy.py`` left in its cache (``*.truth.json`` and
``*_out/{pose.npz,frames.csv}``) and prints per side-view clip, each as mean signed error (bias) and mean absolute
error in degrees over the frames the athlete was found on:

- ``proj``: the truth's lean measured in the image (its landmarks projected by the renderer's camera, the formula
  of :func:`formcheck.analysis.angles.trunk_lean_deg`) against its 3-D lean: what a perfect landmarker would miss;
- ``lmk``: the raw landmarks' lean (``pose.npz``, athlete) against the projected truth: the landmarker's part;
- ``out``: ``frames.csv``'s lean (filtered, judged) against the 3-D truth: what ``bench_accuracy.py`` scores;
- ``hip``/``sho``: the landmarks' hip and shoulder midpoints against the truth's, along the facing direction
  (+ = toward the chest) and up (+ = higher), in torso lengths.

Run: ``python bench/bench_lean_bias.py --cache DIR`` (after ``bench_accuracy.py --cache DIR``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from formcheck.pose.landmarks import LM  # noqa: E402


def _mid(a: np.ndarray, i: int, j: int) -> np.ndarray:
    return (a[:, i, :2] + a[:, j, :2]) / 2.0


def _lean(a: np.ndarray, facing: float) -> np.ndarray:
    v = _mid(a, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER) - _mid(a, LM.LEFT_HIP, LM.RIGHT_HIP)
    return np.degrees(np.arctan2(v[:, 0] * facing, -v[:, 1]))


def _floats(values: list) -> np.ndarray:
    return np.array([np.nan if v is None or v == "" else float(v) for v in values], dtype=float)


def clip_row(truth_path: Path) -> dict | None:
    """The figures of one clip (None when it has no output or no side-view lean)."""
    out = truth_path.parent / (truth_path.name[: -len(".truth.json")] + "_out")
    if not (out / "pose.npz").is_file() or not (out / "frames.csv").is_file():
        return None
    truth = json.loads(truth_path.read_text())
    if truth["view"]["kind"] != "side":  # scored on side views only, as in bench_accuracy.py
        return None
    world = _floats(truth["per_frame"]["trunk_lean_deg"])
    px = np.array(truth["per_frame"]["landmarks_px"], dtype=float)
    with np.load(out / "pose.npz", allow_pickle=False) as z:
        raw = z["image"][0].astype(float)
    with open(out / "frames.csv", newline="") as fh:
        judged = _floats([r.get("trunk_lean_deg") for r in csv.DictReader(fh)])
    n = min(world.size, px.shape[0], raw.shape[0], judged.size)
    world, px, raw, judged = world[:n], px[:n], raw[:n], judged[:n]
    if not np.isfinite(judged).any():
        return None
    # the side the chest faces in the image: the sign that makes the projected truth read the 3-D lean
    facing = min((1.0, -1.0), key=lambda s: float(np.nanmean(np.abs(_lean(px, s) - world))))
    proj = _lean(px, facing)
    seen = np.isfinite(judged) & np.isfinite(world) & np.isfinite(_lean(raw, facing))
    torso = np.linalg.norm(_mid(px, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER) - _mid(px, LM.LEFT_HIP, LM.RIGHT_HIP), axis=1)

    def offset(i: int, j: int) -> tuple[float, float]:
        d = (_mid(raw, i, j) - _mid(px, i, j))[seen] / torso[seen, None]
        return float(np.mean(d[:, 0] * facing)), float(np.mean(-d[:, 1]))

    def pair(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
        e = (a - b)[seen]
        return float(np.mean(e)), float(np.mean(np.abs(e)))

    return {
        "clip": truth_path.name[: -len(".truth.json")],
        "frames": int(seen.sum()),
        "torso_px": float(np.median(torso[seen])),
        "proj": pair(proj, world),
        "lmk": pair(_lean(raw, facing), proj),
        "out": pair(judged, world),
        "hip": offset(LM.LEFT_HIP, LM.RIGHT_HIP),
        "sho": offset(LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, required=True, help="bench_accuracy.py's --cache folder")
    args = ap.parse_args(argv)
    rows = [r for p in sorted(args.cache.glob("*.truth.json")) if (r := clip_row(p)) is not None]
    if not rows:
        print(f"no analysed side-view clips in {args.cache}: run bench/bench_accuracy.py --cache {args.cache} first")
        return 1
    cols = ("proj", "lmk", "out", "hip fwd/up", "sho fwd/up")
    print(f"{'clip':46s} {'n':>4s} {'torso':>5s}  " + "  ".join(f"{c:>11s}" for c in cols))
    print("  (bias/MAE deg; offsets in torso lengths, + = toward the chest / higher)")
    for r in rows:
        cells = "  ".join(f"{r[k][0]:+5.2f}/{r[k][1]:4.2f}" for k in ("proj", "lmk", "out"))
        offs = "  ".join(f"{r[k][0]:+5.2f}/{r[k][1]:+5.2f}" for k in ("hip", "sho"))
        print(f"{r['clip'][:46]:46s} {r['frames']:4d} {r['torso_px']:5.0f}  {cells}  {offs}")
    w = np.array([r["frames"] for r in rows], dtype=float)
    total = {
        k: (
            float(np.average([r[k][0] for r in rows], weights=w)),
            float(np.average([r[k][1] for r in rows], weights=w)),
        )
        for k in ("proj", "lmk", "out", "hip", "sho")
    }
    print(
        f"frame-weighted: proj {total['proj'][0]:+.2f}/{total['proj'][1]:.2f}  lmk {total['lmk'][0]:+.2f}/"
        f"{total['lmk'][1]:.2f}  out {total['out'][0]:+.2f}/{total['out'][1]:.2f} deg; hip {total['hip'][0]:+.3f} "
        f"fwd {total['hip'][1]:+.3f} up, shoulders {total['sho'][0]:+.3f} fwd {total['sho'][1]:+.3f} up (torso lengths)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
