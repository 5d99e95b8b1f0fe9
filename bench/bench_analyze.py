"""Speed and memory of `analyze`: inference-only frames/s, end-to-end frames/s, their ratio, each pass's time, peak
RSS, on a real two-person clip and on the same footage as a phone's 4K 60 fps HEVC.

    python bench/bench_analyze.py                      # the real clip and its 4K HEVC version (both made once)
    python bench/bench_analyze.py --clips real         # only the real clip; or 4k; or CLIP paths
    python bench/bench_analyze.py --synth              # a 1768x994, 920-frame synthetic clip
    python bench/bench_analyze.py --long               # peak RSS of 1 and 10 minutes of 640x480 video

Clips (cached under ``<user cache>/formcheck/bench``, made on first use):

- real: the Sports2D demo (two people, 1768x994, 30 fps, VP9; BSD-3, from ``pip download --no-deps sports2d``)
  looped 4 times: 920 frames.
- 4k: the demo's first 6 s upscaled to 3840x2160, 60 fps, HEVC (libx265) at a phone's 40 Mb/s: 360 frames.

Each measurement runs in its own process, so its peak RSS (MiB) is its own:

- inference only: one landmarker (``num_poses`` 1, then 2), frames decoded at the input size before each call;
  only the PoseLandmarker calls are timed (the yardstick of issue 12).
- end to end: ``python -m formcheck analyze CLIP --fresh --quiet`` in a subprocess, wall time from start to exit
  (start-up, model load, pose pass, judgement, reports and the render pass included); peak RSS from wait4.
- passes: the same analysis in-process with a :class:`formcheck.timing.StageClock`: each pass's wall time, and
  inside the passes the busy seconds of each thread's step (steps on different threads overlap).

Absolute numbers depend on the machine and its load; compare runs made side by side.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SPORTS2D = "sports2d==0.8.34"
DEMO_MEMBER = "Sports2D/Demo/demo.mp4"
DEMO_SHA256 = "d9a66417185647b112304b57093f0c180f37a768e6a14daca75ca541f3b78039"


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _bench_dir() -> Path:
    from formcheck.pose.bundles import cache_dir

    path = cache_dir() / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _ffmpeg(*args: str) -> None:
    if not shutil.which("ffmpeg"):
        raise SystemExit("bench_analyze: ffmpeg is needed to make the bench clips")
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def _made(path: Path, make) -> str:  # type: ignore[no-untyped-def]
    """``path``, made by ``make(tmp)`` into a temporary name first if it is not there."""
    if not path.exists():
        tmp = path.with_suffix(".part.mp4")
        print(f"making {path} (once) ...", flush=True)
        make(tmp)
        tmp.replace(path)
    return str(path)


def demo_clip() -> str:
    """The Sports2D demo video, fetched from PyPI once and checked against its SHA-256."""

    def fetch(tmp: Path) -> None:
        with tempfile.TemporaryDirectory() as d:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", d, SPORTS2D],
                check=True,
                stderr=subprocess.DEVNULL,
            )
            wheel = next(Path(d).glob("*.whl"))
            with zipfile.ZipFile(wheel) as z:
                tmp.write_bytes(z.read(DEMO_MEMBER))
        if hashlib.sha256(tmp.read_bytes()).hexdigest() != DEMO_SHA256:
            tmp.unlink()
            raise SystemExit(f"bench_analyze: {DEMO_MEMBER} of {SPORTS2D} is not the expected file")

    return _made(_bench_dir() / "sports2d_demo.mp4", fetch)


def real_clip() -> str:
    """The demo looped 4 times (stream copy): 920 frames of two people at 1768x994, 30 fps."""
    src = demo_clip()
    return _made(
        _bench_dir() / "sports2d_demo_x4.mp4",
        lambda tmp: _ffmpeg("-stream_loop", "3", "-i", src, "-an", "-c:v", "copy", str(tmp)),
    )


def clip_4k() -> str:
    """The demo's first 6 s as a phone would film it: 3840x2160, 60 fps, HEVC at 40 Mb/s."""
    src = demo_clip()
    vf = "fps=60,scale=3840:2160:flags=bicubic"
    rate = ["-b:v", "40M", "-maxrate", "40M", "-bufsize", "80M"]
    return _made(
        _bench_dir() / "sports2d_4k60_hevc.mp4",
        lambda tmp: _ffmpeg(
            "-i", src, "-t", "6", "-an", "-vf", vf, "-c:v", "libx265", "-preset", "ultrafast", *rate,
            "-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-x265-params", "log-level=error", str(tmp),
        ),
    )  # fmt: skip


def looped_640(minutes: int) -> str:
    """``minutes`` of 640x480 video: the sample clip backward_good.mp4 (6 s) looped, stream copy."""
    src = ROOT / "sample_videos" / "backward_good.mp4"
    loops = int(round(minutes * 60 / 6))
    return _made(
        _bench_dir() / f"backward_good_{minutes}min.mp4",
        lambda tmp: _ffmpeg("-stream_loop", str(loops - 1), "-i", str(src), "-an", "-c:v", "copy", str(tmp)),
    )


def synth_clip() -> str:
    """A 1768x994, 920-frame, 30 fps synthetic clip of one runner, rendered once and cached."""
    from formcheck.synth import generate_clip
    from formcheck.synth.params import SynthParams

    def make(tmp: Path) -> None:
        params = SynthParams.build(
            seed=7,
            segments=[{"direction": "backward", "duration_s": 920 / 30}],
            fps=30,
            width_px=1768,
            height_px=994,
            crf=20,
        )
        generate_clip(params, tmp)

    return _made(_bench_dir() / "synth_1768x994_920.mp4", make)


def child_inference(clip: str, model: str, num_poses: int) -> dict:
    from formcheck.config import load_config
    from formcheck.pose.extract import Landmarker
    from formcheck.pose.models import ensure_model
    from formcheck.video.reader import iter_frames, probe

    info = probe(clip)
    pose = load_config().pose.model_copy(update={"num_poses": num_poses})
    spent, n = 0.0, 0
    with Landmarker(ensure_model(model, build_missing=True), pose) as lm:
        for frame in iter_frames(info):  # decoded before each call; only the call is timed
            t0 = time.perf_counter()
            lm.detect(frame.rgb, frame.time_s)
            spent += time.perf_counter() - t0
            n += 1
    return {"frames": n, "fps": n / spent, "peak_rss_mib": _peak_rss_mib()}


def child_passes(clip: str, model: str) -> dict:
    from formcheck.analyze import analyze_video
    from formcheck.timing import StageClock

    clock = StageClock()
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        res = analyze_video(clip, out_dir=out, model=model, reuse_pose=False, clock=clock)
        wall = time.perf_counter() - t0
    return {
        "frames": res.pose.n_frames,
        "wall_s": wall,
        "seconds": clock.seconds,
        "peak_rss_mib": _peak_rss_mib(),
    }


def end_to_end(clip: str, model: str) -> dict:
    """``formcheck analyze --fresh`` in a subprocess: wall seconds from start to exit, its peak RSS (MiB)."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "formcheck", "analyze", clip, "--out", out, "--fresh", "--quiet"]
        cmd += ["--model", model]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.returncode != 0:
            raise SystemExit(f"analyze failed ({proc.returncode}): {err.strip()}")
        frames = json.loads((Path(out) / "report.json").read_text())["video"]["frames"]
    return {"frames": frames, "wall_s": wall, "fps": frames / wall, "peak_rss_mib": usage.ru_maxrss / 1024.0}


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True)
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no message"])[-1]
        raise SystemExit(f"bench_analyze: child {' '.join(args)} failed ({out.returncode}): {last}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _passes_line(p: dict) -> str:
    secs = p["seconds"]
    main = ["pose pass", "sweep", "carry", "follow", "judgement", "reports", "render pass", "commit"]
    head = ", ".join(f"{k} {secs[k]:.2f}" for k in main if k in secs)
    steps = ", ".join(f"{k} {v:.2f}" for k, v in sorted(secs.items()) if k not in main)
    return f"passes (s, wall {p['wall_s']:.1f}): {head}\n  thread busy (s): {steps}"


def bench_clip(clip: str, model: str, poses: list[int]) -> None:
    from formcheck.video.reader import probe

    info = probe(clip)
    print(
        f"\nclip {clip}: {info.width}x{info.height} {info.codec}, {info.frames} frames, {info.fps:.2f} fps; "
        f"model {model}; {os.cpu_count()} cores",
        flush=True,
    )
    inf = {}
    for n in poses:
        inf[n] = run_child("inference", clip, "--model", model, "--num-poses", str(n))
        print(
            f"inference only, one landmarker, num_poses={n}: {inf[n]['fps']:7.1f} frames/s "
            f"(peak RSS {inf[n]['peak_rss_mib']:.0f} MiB)",
            flush=True,
        )
    e2e = end_to_end(clip, model)
    print(
        f"analyze end to end: {e2e['fps']:7.1f} frames/s ({e2e['frames']} frames in {e2e['wall_s']:.1f} s, "
        f"start-up included; peak RSS {e2e['peak_rss_mib']:.0f} MiB)",
        flush=True,
    )
    for n in poses:
        print(f"ratio analyze / inference num_poses={n}: {e2e['fps'] / inf[n]['fps']:.3f}")
    print(_passes_line(run_child("passes", clip, "--model", model)), flush=True)


def bench_long(model: str) -> None:
    one, ten = end_to_end(looped_640(1), model), end_to_end(looped_640(10), model)
    print(
        f"640x480, 1 min: {one['frames']} frames, {one['fps']:.1f} frames/s, peak RSS {one['peak_rss_mib']:.0f} MiB\n"
        f"640x480, 10 min: {ten['frames']} frames, {ten['fps']:.1f} frames/s, peak RSS "
        f"{ten['peak_rss_mib']:.0f} MiB ({100 * (ten['peak_rss_mib'] / one['peak_rss_mib'] - 1):+.1f}%)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", nargs="*", default=["real", "4k"], help="real, 4k or video paths")
    ap.add_argument("--synth", action="store_true", help="the 1768x994 920-frame synthetic clip instead")
    ap.add_argument("--long", action="store_true", help="peak RSS of 1 and 10 minutes of 640x480 video instead")
    ap.add_argument("--model", default="full")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "CLIP"))
    ap.add_argument("--num-poses", type=int, default=1)
    a = ap.parse_args()
    if a.child:
        kind, clip = a.child
        out = child_inference(clip, a.model, a.num_poses) if kind == "inference" else child_passes(clip, a.model)
        print(json.dumps(out))
        return
    print("absolute numbers depend on the machine's load at the time")
    if a.long:
        bench_long(a.model)
        return
    named = {"real": real_clip, "4k": clip_4k}
    clips = [synth_clip()] if a.synth else [named[c]() if c in named else c for c in a.clips]
    for clip in clips:
        bench_clip(clip, a.model, [1, 2] if "4k60" not in clip else [1])


if __name__ == "__main__":
    main()
