"""How much following the athlete tilts the trunk: a fresh look against the followed landmarks, same crops.

The follow pass (``formcheck/pose/follow.py``) runs MediaPipe in VIDEO mode: each frame's crop is placed from the
previous frame's landmarks. This bench looks again at every ``--every``-th frame of an analysed clip with a landmarker
in IMAGE mode (the person detector places the crop afresh), on a crop around the followed athlete as the follow
pass cuts it, and prints per clip the fresh look's trunk lean minus the followed one (deg, + toward the chest): the
tilt ``cleaning.followed_lean_offset_deg`` corrects. It needs no truth, so it runs on real footage as well:

- ``--cache DIR``: the synthetic clips ``bench/bench_accuracy.py --cache DIR`` analysed (side views; the facing from
  the truth); also prints the lean error against the truth with no correction, with the measured offset of each
  clip and with the configured one;
- ``--real DIR``: the real-footage variants ``bench/bench_real_footage.py --out DIR`` analysed (the facing per frame
  from ``frames.csv``'s lean; frames whose lean is within 1 deg of upright, where it cannot be told, are skipped).

Run: ``python bench/bench_followed_lean.py --cache DIR [--every 3]`` or ``--real DIR``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from formcheck.analysis.angles import trunk_lean_deg  # noqa: E402
from formcheck.config import load_config  # noqa: E402
from formcheck.pose.extract import Landmarker  # noqa: E402
from formcheck.pose.landmarks import LM  # noqa: E402
from formcheck.pose.models import resolve_model  # noqa: E402

#: Follow crop as the follow pass cuts it (pose.follow_margin, pose.follow_min_side_px of defaults.toml).
CONFIG = load_config(None)


def lean(a: np.ndarray, facing: np.ndarray | float) -> np.ndarray:
    """Trunk lean (deg, + toward the chest) of landmarks ``a [T, 33, >=2]`` with the chest facing image ``facing``
    (:func:`formcheck.analysis.angles.trunk_lean_deg`, the analysis's own formula, with no offset)."""
    return trunk_lean_deg(a[:, :, :2], np.asarray(facing, dtype=np.float64))


def floats(values: list) -> np.ndarray:
    return np.array([np.nan if v is None or v == "" else float(v) for v in values], dtype=float)


def judged_lean(out: Path) -> np.ndarray:
    with open(out / "frames.csv", newline="") as fh:
        return floats([r.get("trunk_lean_deg") for r in csv.DictReader(fh)])


def fresh_looks(video: Path, followed: np.ndarray, frames: list[int]) -> Iterator[tuple[int, np.ndarray]]:
    """(frame, landmarks [33, 4] px) of a fresh IMAGE-mode look on the follow crop around ``followed [T, 33, 4]``
    at each of ``frames`` where someone within half a torso of the followed athlete is found."""
    pose = CONFIG.pose
    wanted = set(frames)
    with Landmarker(resolve_model("full"), pose, num_poses=1, image_mode=True) as lm, av.open(str(video)) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if i > max(frames):
                break
            if i not in wanted:
                continue
            rgb = frame.to_ndarray(format="rgb24")
            h, w = rgb.shape[:2]
            xy = followed[i, :, :2].astype(float)
            sh = (xy[LM.LEFT_SHOULDER] + xy[LM.RIGHT_SHOULDER]) / 2
            hp = (xy[LM.LEFT_HIP] + xy[LM.RIGHT_HIP]) / 2
            centre, torso = (sh + hp) / 2, float(np.linalg.norm(sh - hp))
            extent = float(np.max(np.nanmax(xy, axis=0) - np.nanmin(xy, axis=0)))
            side = int(min(max(pose.follow_margin * extent, pose.follow_min_side_px), w, h))
            x0 = int(np.clip(centre[0] - side / 2, 0, w - side))
            y0 = int(np.clip(centre[1] - side / 2, 0, h - side))
            found, _ = lm.detect(np.ascontiguousarray(rgb[y0 : y0 + side, x0 : x0 + side]), i / 30.0)
            if not found:
                continue
            a = found[0].astype(float)
            a[:, 0] += x0
            a[:, 1] += y0
            sh2 = (a[LM.LEFT_SHOULDER, :2] + a[LM.RIGHT_SHOULDER, :2]) / 2
            hp2 = (a[LM.LEFT_HIP, :2] + a[LM.RIGHT_HIP, :2]) / 2
            if np.linalg.norm((sh2 + hp2) / 2 - centre) <= 0.5 * torso:
                yield i, a


def offsets(video: Path, followed: np.ndarray, facing: np.ndarray, every: int) -> np.ndarray:
    """The fresh look's lean minus the followed lean (deg) on every ``every``-th frame with a finite ``facing``."""
    ok = np.isfinite(facing) & np.isfinite(followed[:, :, 0]).all(axis=1)
    frames = [i for i in np.flatnonzero(ok) if i % every == 0]
    if not frames:
        return np.empty(0)
    d = [
        lean(a[None], facing[i])[0] - lean(followed[i : i + 1], facing[i])[0]
        for i, a in fresh_looks(video, followed, frames)
    ]
    return np.asarray(d, dtype=float)


def synthetic(cache: Path, every: int) -> int:
    configured = CONFIG.cleaning.followed_lean_offset_deg
    rows = []
    print(
        f"{'clip':46s} {'looks':>5s} {'median':>6s} {'sd':>5s}  lean MAE: {'judged':>6s} {'-offset':>7s} {'-clip':>6s}"
    )
    for truth_path in sorted(cache.glob("*.truth.json")):
        name = truth_path.name[: -len(".truth.json")]
        out = cache / f"{name}_out"
        truth = json.loads(truth_path.read_text())
        if truth["view"]["kind"] != "side" or not (out / "pose.npz").is_file():
            continue
        world = floats(truth["per_frame"]["trunk_lean_deg"])
        px = np.array(truth["per_frame"]["landmarks_px"], dtype=float)
        with np.load(out / "pose.npz", allow_pickle=False) as z:
            followed = z["image"][0].astype(float)
        judged = judged_lean(out)
        n = min(world.size, px.shape[0], followed.shape[0], judged.size)
        world, px, followed, judged = world[:n], px[:n], followed[:n], judged[:n]
        sign = min((1.0, -1.0), key=lambda s: float(np.nanmean(np.abs(lean(px, s) - world))))
        d = offsets(cache / f"{name}.mp4", followed, np.full(n, sign), every)
        seen = np.isfinite(judged) & np.isfinite(world)
        if not d.size or not seen.any():
            continue
        raw = judged[seen] - configured  # frames.csv carries the configured offset
        mae = [float(np.mean(np.abs(raw + c - world[seen]))) for c in (0.0, configured, float(np.median(d)))]
        rows.append((int(seen.sum()), d, mae))
        cells = f"{mae[0]:16.2f} {mae[1]:7.2f} {mae[2]:6.2f}"
        print(f"{name[:46]:46s} {d.size:5d} {np.median(d):+6.2f} {np.std(d):5.2f}  {cells}")
    if not rows:
        print(f"no analysed side-view clips in {cache}: run bench/bench_accuracy.py --cache {cache} first")
        return 1
    w = np.array([r[0] for r in rows], dtype=float)
    pooled = np.concatenate([r[1] for r in rows])
    maes = [float(np.average([r[2][k] for r in rows], weights=w)) for k in range(3)]
    print(f"pooled median {np.median(pooled):+.2f} deg over {pooled.size} looks; lean MAE (frames weighted): none")
    print(f"  {maes[0]:.2f}, configured {configured:+.2f} {maes[1]:.2f}, each clip's own {maes[2]:.2f} deg")
    return 0


def real(root: Path, every: int) -> int:
    import real_footage as rf

    configured = CONFIG.cleaning.followed_lean_offset_deg
    print(f"{'clip/variant':34s} {'looks':>5s} {'median':>6s} {'sd':>5s}")
    medians = []
    for name, clip, v in rf.suite():
        out = root / f"{name}__{v.name}"
        if not (out / "frames.csv").is_file():
            continue
        person = int(json.loads((out / "report.json").read_text())["pose"]["person"])
        with np.load(out / "pose.npz", allow_pickle=False) as z:
            followed = z["image"][person].astype(float)
        judged = judged_lean(out)[: followed.shape[0]] - configured
        followed = followed[: judged.size]
        # the facing: the sign under which the followed lean reads what frames.csv judged
        plus = lean(followed, 1.0)
        facing = np.where(np.abs(plus - judged) <= np.abs(-plus - judged), 1.0, -1.0)
        facing[~np.isfinite(judged) | (np.abs(plus) < 1.0)] = np.nan
        if np.isfinite(facing).sum() < 10:
            continue
        d = offsets(rf.make_variant(name, clip, v), followed, facing, every)
        if d.size:
            medians.append(float(np.median(d)))
            print(f"{name + '/' + v.name:34s} {d.size:5d} {np.median(d):+6.2f} {np.std(d):5.2f}")
    if not medians:
        print(f"no analysed variants with a judged lean in {root}: run bench/bench_real_footage.py --out {root} first")
        return 1
    span = f"{min(medians):+.2f} .. {max(medians):+.2f}"
    print(f"variants {len(medians)}, medians {span} deg (configured {configured:+.2f})")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--cache", type=Path, help="bench_accuracy.py's --cache folder")
    where.add_argument("--real", type=Path, help="bench_real_footage.py's --out folder")
    ap.add_argument("--every", type=int, default=3, help="look afresh on every n-th frame")
    args = ap.parse_args(argv)
    return synthetic(args.cache, args.every) if args.cache else real(args.real, args.every)


if __name__ == "__main__":
    raise SystemExit(main())
