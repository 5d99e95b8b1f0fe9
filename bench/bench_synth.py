"""Benchmark the synthetic athlete: milliseconds per 640x480 frame (skinning + rasterising, then truth and
encoding), medians over a few seconds of clip. Run: ``python bench/bench_synth.py [--frames 90]``."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from formcheck.synth import SynthParams  # noqa: E402
from formcheck.synth.generate import Synthesizer  # noqa: E402
from formcheck.synth.skinning import skin  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--frames", type=int, default=90)
    args = ap.parse_args(argv)
    params = SynthParams(segments=[dict(direction="backward", duration_s=args.frames / 30.0)])
    t0 = time.perf_counter()
    synth = Synthesizer(params)
    setup = time.perf_counter() - t0
    render_ms, total_ms = [], []
    for k in range(synth.n_frames):
        t1 = time.perf_counter()
        pose = synth.motion.poses[k]
        verts = skin(synth.body, pose)
        img, geom = synth.renderer.render(synth.cameras[k], verts)
        t2 = time.perf_counter()
        synth.truth_builder.add_frame(k, pose, verts, synth.cameras[k], geom)
        t3 = time.perf_counter()
        render_ms.append((t2 - t1) * 1000)
        total_ms.append((t3 - t1) * 1000)
    print(f"setup (body, gait, camera, room): {setup * 1000:.0f} ms for {synth.n_frames} frames")
    print(
        f"render (skin + rasterise) per 640x480 frame: median {statistics.median(render_ms):.1f} ms, "
        f"p90 {sorted(render_ms)[int(0.9 * len(render_ms))]:.1f} ms"
    )
    print(f"render + truth per frame: median {statistics.median(total_ms):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
