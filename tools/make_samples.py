"""Regenerate the bundled sample clips in ``sample_videos/`` (mp4 + truth JSON each); optionally check them.

Usage::

    python tools/make_samples.py            # render every sample
    python tools/make_samples.py --only backward_good
    python tools/make_samples.py --check    # also run MediaPipe (models/pose_landmarker_full.task) on
                                            # each clip: detection rate, trunk-lean and near-elbow errors,
                                            # near-foot strike read from MediaPipe's foot angle

Every clip is deterministic (fixed seed), so re-running gives the same truth. Each mp4 stays under 2 MB
(crf 28).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.synth import SynthParams, generate_clip  # noqa: E402
from formcheck.synth.generate import truth_path_for  # noqa: E402

OUT_DIR = ROOT / "sample_videos"
MAX_BYTES = 2 * 1024 * 1024
#: --check: a near-foot contact reads as a heel strike when MediaPipe's foot angle is below this (degrees)
STRIKE_THRESHOLD_DEG = 5.0

#: name -> (description, CLI options that make it, SynthParams keywords)
SAMPLES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "backward_good": (
        "Good backward-running form: upright trunk with a slight forward lean, elbows at 90 "
        "degrees, short quick "
        "forefoot steps, a look over the shoulder every 3 s. Side view (right side), following camera, 6 s.",
        "--duration 6 --trunk-lean 4 --elbow 90 --strike forefoot --head-turn-every 3 --seed 1 --crf 28",
        dict(
            segments=[dict(direction="backward", duration_s=6.0)],
            trunk_lean_deg=4.0,
            elbow_deg=90.0,
            strike="forefoot",
            head_turn_every_s=3.0,
            seed=1,
            crf=28,
        ),
    ),
    "backward_lean_back_straight_arms": (
        "Faults: leaning back about 12 degrees with nearly straight arms (165 degrees). Side view from the "
        "left, light skin, hall background, 6 s.",
        "--duration 6 --trunk-lean -12 --elbow 165 --arm-swing 15 --side left --skin light --look red_black "
        "--background hall --seed 2 --crf 28",
        dict(
            segments=[dict(direction="backward", duration_s=6.0)],
            trunk_lean_deg=-12.0,
            elbow_deg=165.0,
            arm_swing_deg=15.0,
            side="left",
            skin="light",
            outfit="red_black",
            background="hall",
            seed=2,
            crf=28,
        ),
    ),
    "backward_heel_long_steps": (
        "Faults: heel-first landings with long steps (0.75 m, about 0.94 leg lengths; no extra overstride: a "
        "heel-first landing far behind the hips would need more ankle dorsiflexion than a real ankle has). "
        "Side view (right), dark skin, 6 s.",
        "--duration 6 --strike heel --step-length 0.75 --overstride 0 --skin dark --look yellow_green "
        "--seed 3 --crf 28",
        dict(
            segments=[dict(direction="backward", duration_s=6.0, step_length_m=0.75)],
            strike="heel",
            overstride_m=0.0,
            skin="dark",
            outfit="yellow_green",
            seed=3,
            crf=28,
        ),
    ),
    "forward_then_backward": (
        "A 3 s forward jog, then 4 s of backward running (the runner keeps facing the same way and "
        "reverses). "
        "Side view (right), tan skin, hall background, 7 s.",
        "--segments forward:3,backward:4 --skin tan --look black_orange --background hall --seed 4 --crf 28",
        dict(
            segments=[dict(direction="forward", duration_s=3.0), dict(direction="backward", duration_s=4.0)],
            skin="tan",
            outfit="black_orange",
            background="hall",
            seed=4,
            crf=28,
        ),
    ),
    "stand_run_stand": (
        "Stands still for 2 s (arms relaxed, a small sway), runs backward for 4 s with forefoot landings, "
        "then comes to a stop and stands for 2 s. Side view (left), medium skin, gym, 8 s.",
        "--segments standing:2,backward:4,standing:2 --side left --look white_navy --seed 6 --crf 28",
        dict(
            segments=[
                dict(direction="standing", duration_s=2.0),
                dict(direction="backward", duration_s=4.0),
                dict(direction="standing", duration_s=2.0),
            ],
            side="left",
            outfit="white_navy",
            seed=6,
            crf=28,
        ),
    ),
    "backward_portrait": (
        "Good form filmed with a phone held upright: 480x854 portrait, side view (right), track background, 5 s.",
        "--portrait --width 854 --height 480 --duration 5 --skin light --look white_navy --background track "
        "--seed 5 --crf 28",
        dict(
            segments=[dict(direction="backward", duration_s=5.0)],
            width_px=480,
            height_px=854,
            skin="light",
            outfit="white_navy",
            background="track",
            seed=5,
            crf=28,
        ),
    ),
}


def make(name: str) -> Path:
    _, _, kwargs = SAMPLES[name]
    out = OUT_DIR / f"{name}.mp4"
    t0 = time.perf_counter()
    truth = generate_clip(SynthParams(**kwargs), out)
    size = out.stat().st_size
    print(
        f"{out.name}: {truth.n_frames} frames in {time.perf_counter() - t0:.1f} s, {size / 1e6:.2f} MB, "
        f"{len(truth.contacts)} contacts"
    )
    if size >= MAX_BYTES:
        raise SystemExit(f"{out} is {size} bytes, over the 2 MB budget: raise crf")
    return out


def check(mp4: Path, model: Path) -> dict[str, float]:
    """Run MediaPipe (VIDEO mode) on a clip and compare with its truth."""
    import av
    import mediapipe as mp
    import numpy as np
    from mediapipe.tasks.python import BaseOptions, vision

    from formcheck.synth.truth import Truth

    truth = Truth.load(truth_path_for(mp4))
    pf = truth.per_frame
    w, h = truth.data["video"]["width"], truth.data["video"]["height"]
    opts = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)), running_mode=vision.RunningMode.VIDEO
    )
    near = truth.data["view"]["side"] or "right"
    tri = (12, 14, 16) if near == "right" else (11, 13, 15)
    true_px = truth.landmarks_px()
    found, lean_err, elbow_err = 0, [], []
    # MediaPipe's near-foot angle (heel -> foot index, + = toe lower) at each truth near-foot contact frame
    near_contacts = {c["frame"]: c for c in truth.contacts if c["foot"] == near}
    heel_idx, toe_idx = (30, 32) if near == "right" else (29, 31)
    strike_ok, strike_n, strike_deg = 0, 0, []
    with vision.PoseLandmarker.create_from_options(opts) as lmk, av.open(str(mp4)) as container:
        for k, frame in enumerate(container.decode(video=0)):
            img = np.ascontiguousarray(frame.to_ndarray(format="rgb24"))
            res = lmk.detect_for_video(
                mp.Image(image_format=mp.ImageFormat.SRGB, data=img), int(round(frame.time * 1000))
            )
            if not res.pose_landmarks:
                continue
            found += 1
            p = np.array([[lm.x * w, lm.y * h] for lm in res.pose_landmarks[0]])
            # which way the chest faces in the image, from the truth nose vs ears
            facing = np.sign(true_px[k, 0, 0] - (true_px[k, 7, 0] + true_px[k, 8, 0]) / 2) or 1.0
            c = near_contacts.get(k)
            if c is not None and c["first_part"] != "midfoot" and truth.data["view"]["kind"] == "side":
                d = p[toe_idx] - p[heel_idx]
                ang = math.degrees(math.atan2(d[1], facing * d[0]))
                strike_deg.append(ang)
                strike_n += 1
                strike_ok += (ang < STRIKE_THRESHOLD_DEG) == (c["first_part"] == "heel")
            d = (p[11] + p[12]) / 2 - (p[23] + p[24]) / 2
            lean_err.append(math.degrees(math.atan2(facing * d[0], -d[1])) - pf["trunk_lean_deg"][k])
            u, v = p[tri[0]] - p[tri[1]], p[tri[2]] - p[tri[1]]
            ang = math.degrees(math.acos(np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1)))
            elbow_err.append(ang - pf[f"elbow_{near}_deg"][k])
    n = truth.n_frames
    return {
        "detected_pct": 100.0 * found / n,
        "trunk_mae_deg": float(np.mean(np.abs(lean_err))),
        "trunk_bias_deg": float(np.mean(lean_err)),
        "elbow_mae_deg": float(np.mean(np.abs(elbow_err))),
        "strike_ok": strike_ok,
        "strike_n": strike_n,
        "strike_deg": strike_deg,
    }


def write_readme() -> None:
    lines = [
        "# Sample videos",
        "",
        "Synthetic backward-running clips made by `formcheck synth` (see `formcheck/synth/`), each with its",
        "exact ground truth in `<name>.truth.json` (schema `formcheck.synth_truth/1`: per-frame landmark pixels,",
        "trunk lean, elbow, knee and foot angles, foot phases, direction (backward / forward / standing); "
        "every foot contact with its strike,",
        "landing distance and step length). Regenerate them all with `python tools/make_samples.py`",
        "(deterministic: same seeds, same truth); `python tools/make_samples.py --check` also runs MediaPipe",
        "(full model) on each clip and reports the detection rate, trunk-lean and near-elbow errors and",
        "whether the near foot's strike (heel vs forefoot) reads correctly from MediaPipe's foot angle.",
        "`python bench/bench_strike_visibility.py` prints MediaPipe's foot angle against the truth at every",
        "contact over more seeds, looks, sides and frame rates.",
        "",
        "The body is the CC0 MakeHuman / MPFB2 base mesh and rig (credit: the MakeHuman and MPFB2 projects;",
        "see `formcheck/synth/data/LICENSE-CC0.md`), wearing running shoes (a midsole in a contrasting",
        "colour, a 10 mm heel-to-toe drop; `formcheck/synth/shoes.py`).",
        "",
        "| clip | what it shows | command |",
        "|---|---|---|",
    ]
    for name, (desc, cmd, _) in SAMPLES.items():
        lines.append(f"| `{name}.mp4` | {desc} | `formcheck synth sample_videos/{name}.mp4 {cmd}` |")
    lines.append("")
    (OUT_DIR / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=sorted(SAMPLES), help="make just these samples")
    ap.add_argument("--check", action="store_true", help="run MediaPipe on each clip and compare with the truth")
    ap.add_argument("--no-render", action="store_true", help="only check the existing clips")
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "pose_landmarker_full.task")
    args = ap.parse_args(argv)
    names = args.only or list(SAMPLES)
    OUT_DIR.mkdir(exist_ok=True)
    for name in names:
        if not args.no_render:
            make(name)
        if args.check:
            r = check(OUT_DIR / f"{name}.mp4", args.model)
            print(
                f"  {name}: detected {r['detected_pct']:.1f} %, trunk lean MAE {r['trunk_mae_deg']:.1f} deg "
                f"(bias {r['trunk_bias_deg']:+.1f}), near elbow MAE {r['elbow_mae_deg']:.1f} deg, "
                f"near-foot strike {r['strike_ok']}/{r['strike_n']} right (MediaPipe foot angle "
                + " ".join(f"{a:+.0f}" for a in r["strike_deg"])
                + ")"
            )
    if not args.no_render:
        write_readme()
    return 0


if __name__ == "__main__":
    sys.exit(main())
