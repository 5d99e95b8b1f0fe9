"""Speed and memory of `analyze` on one clip: inference-only frames/s, full analyze frames/s, ratio, peak RSS.

    python bench/bench_analyze.py CLIP [--model full] [--twice]
    python bench/bench_analyze.py --synth [--twice]     # a 1768x994, 920-frame synthetic clip (rendered once, cached)

Each measurement runs in its own process so that its peak RSS (MiB) is its own. Inference-only = the sum of the
PoseLandmarker calls alone (frames decoded beforehand, not timed). Full analyze = decode + pose + tracking +
drawing + H.264 encode + report, wall time. With --twice, the clip is also looped to double length and analysed
again to show that peak memory does not grow with video length.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child_inference(clip: str, model: str) -> dict:
    from formcheck.config import load_config
    from formcheck.pose.extract import Landmarker
    from formcheck.pose.models import ensure_model
    from formcheck.video.reader import iter_frames, probe

    info = probe(clip)
    cfg = load_config()
    spent, n = 0.0, 0
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    with Landmarker(ensure_model(model, build_missing=True), cfg.pose) as lm:
        for frame in iter_frames(info):
            t0 = time.perf_counter()
            lm.detect(frame.rgb, frame.time_s)
            spent += time.perf_counter() - t0
            n += 1
    wall = time.perf_counter() - wall0
    return {
        "frames": n,
        "fps": n / spent,
        "cpu_pct": 100 * (time.process_time() - cpu0) / wall,
        "peak_rss_mib": _peak_rss_mib(),
    }


def child_analyze(clip: str, model: str) -> dict:
    from formcheck.analyze import analyze_video

    with tempfile.TemporaryDirectory() as out:
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        res = analyze_video(clip, out_dir=out, model=model, reuse_pose=False)
        wall = time.perf_counter() - t0
    n = res.pose.n_frames
    return {
        "frames": n,
        "fps": n / wall,
        "cpu_pct": 100 * (time.process_time() - cpu0) / wall,
        "peak_rss_mib": _peak_rss_mib(),
        "detection_rate": res.pose.detection_rate,
    }


def run_child(kind: str, clip: str, model: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, clip, "--model", model], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def doubled(clip: str, folder: str) -> str:
    """The clip played twice in a row, re-encoded (same size and rate)."""
    from formcheck.video.reader import iter_frames, probe
    from formcheck.video.writer import H264Writer

    info = probe(clip)
    path = os.path.join(folder, "doubled.mp4")
    with H264Writer(path, info.width, info.height, info.fps, crf=18) as w:
        offset = 0.0
        for _ in range(2):
            last = 0.0
            for f in iter_frames(info):
                w.write(f.rgb, offset + f.time_s)
                last = f.time_s
            offset += last + 1.0 / info.fps
    return path


def synth_clip() -> str:
    """The reference clip of the foundation issue: 1768x994, 920 frames at 30 fps, rendered once and cached."""
    from formcheck.pose.bundles import cache_dir
    from formcheck.synth import generate_clip
    from formcheck.synth.params import SynthParams

    path = cache_dir() / "bench" / "synth_1768x994_920.mp4"
    if not path.exists():
        print(f"rendering {path} (once; takes a few minutes) ...", flush=True)
        params = SynthParams.build(
            seed=7,
            segments=[{"direction": "backward", "duration_s": 920 / 30}],
            fps=30,
            width_px=1768,
            height_px=994,
            crf=20,
        )
        generate_clip(params, path)
    return str(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clip", nargs="?")
    ap.add_argument("--synth", action="store_true", help="use the cached 1768x994 920-frame synthetic clip")
    ap.add_argument("--model", default="full")
    ap.add_argument("--twice", action="store_true")
    ap.add_argument("--child", choices=["inference", "analyze"])
    a = ap.parse_args()
    if a.child:
        fn = child_inference if a.child == "inference" else child_analyze
        print(json.dumps(fn(a.clip, a.model)))
        return
    from formcheck.video.reader import probe

    if a.synth:
        a.clip = synth_clip()
    if not a.clip:
        ap.error("give a CLIP or --synth")
    info = probe(a.clip)
    print(
        f"clip {a.clip}: {info.width}x{info.height}, {info.frames} frames, {info.fps:.2f} fps; "
        f"model {a.model}; {os.cpu_count()} cores"
    )
    inf = run_child("inference", a.clip, a.model)
    ana = run_child("analyze", a.clip, a.model)
    from formcheck.config import load_config

    print(
        f"inference only : {inf['fps']:7.1f} frames/s  (one landmarker; decode+inference process CPU "
        f"{inf['cpu_pct']:.0f}%, peak RSS {inf['peak_rss_mib']:.0f} MiB)"
    )
    print(
        f"full analyze   : {ana['fps']:7.1f} frames/s  ({load_config().pose.threads()} landmarkers, then the "
        f"render pass; CPU {ana['cpu_pct']:.0f}%, peak RSS "
        f"{ana['peak_rss_mib']:.0f} MiB, detection {100 * ana['detection_rate']:.1f}%)"
    )
    print(f"ratio analyze/inference: {ana['fps'] / inf['fps']:.3f}")
    if a.twice:
        with tempfile.TemporaryDirectory() as tmp:
            ana2 = run_child("analyze", doubled(a.clip, tmp), a.model)
        print(
            f"double length  : {ana2['frames']} frames, {ana2['fps']:.1f} frames/s, peak RSS "
            f"{ana2['peak_rss_mib']:.0f} MiB (vs {ana['peak_rss_mib']:.0f} MiB at 1x)"
        )


if __name__ == "__main__":
    main()
