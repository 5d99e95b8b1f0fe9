"""Batch throughput and CPU use for ``--workers 1`` and ``--workers 2``.

Renders N synthetic clips once, then runs a fresh batch (nothing reused) per worker count and prints videos/min,
frames/s and CPU % (user+sys time of this process and its reaped workers over wall time; 100 % = one core busy),
then times a re-run (everything reused).

    .venv/bin/python bench/bench_batch.py [--clips 6] [--seconds 2] [--model lite] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path


def cpu_s() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clips", type=int, default=6)
    ap.add_argument("--seconds", type=float, default=2.0, help="length of each clip (s)")
    ap.add_argument("--model", default="lite")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()

    from formcheck.batch import run_batch
    from formcheck.synth import generate_clip
    from formcheck.synth.params import SynthParams

    root = Path(tempfile.mkdtemp(prefix="bench_batch."))
    try:
        clips = root / "in"
        t0 = time.perf_counter()
        for i in range(args.clips):
            path = clips / f"athlete{i % 3}" / f"2026-01-{i + 1:02d}.mp4"
            path.parent.mkdir(parents=True, exist_ok=True)
            generate_clip(
                SynthParams.build(
                    seed=i + 1,
                    segments=[{"direction": "backward", "duration_s": args.seconds}],
                    fps=30,
                    width_px=320,
                    height_px=240,
                ),
                path,
            )
        took = time.perf_counter() - t0
        print(f"rendered {args.clips} clips of {args.seconds:g} s (320x240, 30 fps) in {took:.1f} s")
        print(f"{'workers':>7} {'wall s':>7} {'videos/min':>10} {'frames/s':>9} {'CPU %':>6}")
        for workers in args.workers:
            out = root / f"out{workers}"
            c0, t0 = cpu_s(), time.perf_counter()
            res = run_batch(clips, out, workers=workers, model=args.model)
            wall, cpu = time.perf_counter() - t0, cpu_s() - c0
            frames = sum(r.frames for r in res.results)
            assert not res.failed, res.failed
            print(
                f"{workers:>7} {wall:>7.1f} {len(res.results) / wall * 60:>10.1f} {frames / wall:>9.1f} "
                f"{cpu / wall * 100:>6.0f}"
            )
        t0 = time.perf_counter()
        res = run_batch(clips, root / f"out{args.workers[-1]}", workers=args.workers[-1], model=args.model)
        print(f"re-run (all {res.reused} reused): {time.perf_counter() - t0:.2f} s")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
