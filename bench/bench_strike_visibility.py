"""Can MediaPipe see the strike style of the synthetic athlete? Prints MediaPipe's foot angle (heel ->
foot index; + = toe lower than heel) against the truth at every truth contact frame, per strike style, near
and far foot, over several seeds / looks / sides and 30 and 60 fps (side views).

Each clip is rendered with ``generate_clip`` (the real H.264 encode, crf 28 like the samples), decoded, and run
through the full PoseLandmarker in VIDEO mode. Run: ``python bench/bench_strike_visibility.py [--quick]
[--png DIR]`` (``--png`` saves crops around the near-foot contacts with MediaPipe's heel/foot-index in
red/yellow and the truth in green/cyan).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.config import PoseConfig  # noqa: E402
from formcheck.pose.extract import Landmarker  # noqa: E402
from formcheck.pose.landmarks import LM  # noqa: E402
from formcheck.pose.models import resolve_model  # noqa: E402
from formcheck.synth import SynthParams, generate_clip  # noqa: E402

#: (strike, side, fps, seed, skin, outfit, background, extra SynthParams/segment fields): a spread of looks
#: over both sides and frame rates, default and long steps
Case = tuple[str, str, float, int, str, str, str, dict[str, float]]
CASES: list[Case] = [
    ("heel", "right", 30.0, 3, "dark", "yellow_green", "gym", {}),
    ("heel", "left", 30.0, 21, "light", "red_black", "hall", {}),
    ("heel", "right", 60.0, 22, "tan", "black_orange", "track", {}),
    ("heel", "left", 60.0, 23, "medium", "blue_grey", "gym", {}),
    ("heel", "right", 30.0, 24, "medium", "white_navy", "track", {}),
    ("heel", "left", 30.0, 25, "tan", "black_orange", "gym", {}),
    ("forefoot", "right", 30.0, 1, "medium", "blue_grey", "gym", {}),
    ("forefoot", "left", 30.0, 31, "light", "white_navy", "track", {}),
    ("forefoot", "right", 60.0, 32, "dark", "red_black", "hall", {}),
    ("forefoot", "left", 60.0, 33, "tan", "yellow_green", "gym", {}),
    ("forefoot", "right", 30.0, 34, "light", "black_orange", "track", {}),
    ("forefoot", "left", 30.0, 35, "dark", "blue_grey", "hall", {}),
    ("heel", "right", 30.0, 3, "dark", "yellow_green", "gym", {"step_length_m": 0.75, "overstride_m": 0.0}),
    ("heel", "left", 60.0, 26, "light", "white_navy", "hall", {"step_length_m": 0.75, "overstride_m": 0.0}),
    ("forefoot", "right", 30.0, 36, "medium", "yellow_green", "gym", {"step_length_m": 0.75, "overstride_m": 0.1}),
]


def img_foot_angle(heel: np.ndarray, toe: np.ndarray, facing: float) -> float:
    """Foot angle from image points (y down): + = toe lower than heel; ``facing`` = +1 if the runner faces
    image +x."""
    d = toe - heel
    return math.degrees(math.atan2(float(d[1]), facing * float(d[0])))


def run_case(
    case: Case, duration_s: float, model: Path, workdir: Path, png_dir: Path | None, extra: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    import av

    strike, side, fps, seed, skin, outfit, background, fields = case
    extra = {**fields, **(extra or {})}
    seg = {k: extra.pop(k) for k in ("step_length_m", "cadence_spm") if k in extra}
    params = SynthParams(
        segments=[dict(direction="backward", duration_s=duration_s, **seg)],
        strike=strike,
        side=side,
        fps=fps,
        seed=seed,
        skin=skin,
        outfit=outfit,
        background=background,
        crf=28,
        **extra,
    )
    out = workdir / f"{strike}_{side}_{int(fps)}_{seed}{'_long' if fields else ''}.mp4"
    truth = generate_clip(params, out)
    true_px = truth.landmarks_px()
    contacts = {c["frame"]: c for c in truth.contacts}
    found, rows = 0, []
    pose_cfg = PoseConfig(
        num_poses=1, min_detection_confidence=0.5, min_presence_confidence=0.5, min_tracking_confidence=0.5
    )  # MediaPipe's defaults, one person
    with Landmarker(model, pose_cfg) as lmk, av.open(str(out)) as container:
        for k, frame in enumerate(container.decode(video=0)):
            rgb = frame.to_ndarray(format="rgb24")
            images, _ = lmk.detect(rgb, k / fps)
            if images:
                found += 1
            if k not in contacts:
                continue
            c = contacts[k]
            row: dict[str, Any] = dict(
                case=case, foot=c["foot"], near=c["foot"] == side, truth_deg=c["foot_angle_deg"], mp_deg=None
            )
            s = "LEFT" if c["foot"] == "left" else "RIGHT"
            th, tt = true_px[k, LM[f"{s}_HEEL"]], true_px[k, LM[f"{s}_FOOT_INDEX"]]
            nose, ears = true_px[k, LM.NOSE], (true_px[k, LM.LEFT_EAR] + true_px[k, LM.RIGHT_EAR]) / 2
            facing = 1.0 if nose[0] >= ears[0] else -1.0
            row["truth_img_deg"] = img_foot_angle(th, tt, facing)
            if images:
                p = images[0]
                mh, mt = p[LM[f"{s}_HEEL"], :2], p[LM[f"{s}_FOOT_INDEX"], :2]
                row["mp_deg"] = img_foot_angle(mh, mt, facing)
                if png_dir is not None and row["near"]:
                    _save_png(png_dir / f"{out.stem}_f{k:03d}_{c['foot']}.png", rgb, th, tt, mh, mt)
            rows.append(row)
    for r in rows:
        r["detected_pct"] = 100.0 * found / truth.n_frames
    return rows


def _save_png(path: Path, rgb: np.ndarray, th: np.ndarray, tt: np.ndarray, mh: np.ndarray, mt: np.ndarray) -> None:
    import cv2

    cx, cy = (th + tt) / 2
    x0, y0 = int(max(cx - 60, 0)), int(max(cy - 60, 0))
    crop = np.ascontiguousarray(rgb[y0 : y0 + 120, x0 : x0 + 120])
    crop = cv2.resize(crop, None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)

    def pt(p: np.ndarray) -> tuple[int, int]:
        return int(round((p[0] - x0) * 4)), int(round((p[1] - y0) * 4))

    cv2.line(crop, pt(th), pt(tt), (0, 255, 0), 1)
    cv2.circle(crop, pt(th), 5, (0, 255, 0), 2)
    cv2.circle(crop, pt(tt), 5, (0, 255, 255), 2)
    cv2.line(crop, pt(mh), pt(mt), (255, 0, 0), 1)
    cv2.circle(crop, pt(mh), 5, (255, 0, 0), 2)
    cv2.circle(crop, pt(mt), 5, (255, 255, 0), 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))


def _fmt(vals: list[float]) -> str:
    if not vals:
        return "-"
    return f"{min(vals):+6.1f} {statistics.median(vals):+6.1f} {max(vals):+6.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=3.0, help="seconds per clip")
    ap.add_argument("--quick", action="store_true", help="only the 30 fps cases")
    ap.add_argument("--png", type=Path, default=None, help="save near-foot contact crops here")
    ap.add_argument("--only", choices=["heel", "forefoot"], help="only this strike style")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra SynthParams (or segment) field for every clip (e.g. camera_height_m=0.8)",
    )
    ap.add_argument("--threshold", type=float, default=5.0, help="heel if MediaPipe angle < this, degrees")
    args = ap.parse_args(argv)
    model = resolve_model("full")
    cases = [c for c in CASES if not (args.quick and c[2] != 30.0) and args.only in (None, c[0])]
    extra = {k: float(v) for k, _, v in (kv.partition("=") for kv in args.set)}
    rows: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            got = run_case(case, args.duration, model, Path(tmp), args.png, extra)
            near = [r["mp_deg"] for r in got if r["near"] and r["mp_deg"] is not None]
            det = got[0]["detected_pct"] if got else float("nan")
            long = f", step {case[7]['step_length_m']} m, overstride {case[7]['overstride_m']} m" if case[7] else ""
            print(
                f"{case[0]:>8} {case[1]:>5} {case[2]:>3.0f} fps seed {case[3]:>2} ({case[4]}, {case[5]}, "
                f"{case[6]}{long}): detected {det:5.1f} %, near-foot MediaPipe " + " ".join(f"{v:+.0f}" for v in near),
                flush=True,
            )
            rows.extend(got)
    print(
        f"\n{len(cases)} clips in {time.perf_counter() - t0:.0f} s; foot angle at the truth contact frame, "
        "degrees (min median max); + = toe lower"
    )
    print(
        f"{'strike':>8} {'foot':>4} {'n':>3} | {'truth (3D)':>20} | {'truth (image)':>20} | "
        f"{'MediaPipe':>20} | {'correct':>7}"
    )
    ok_all = True
    for strike in ("heel", "forefoot"):
        for near in (True, False):
            sel = [r for r in rows if r["case"][0] == strike and r["near"] == near]
            mp = [r["mp_deg"] for r in sel if r["mp_deg"] is not None]
            correct = sum((v < args.threshold) == (strike == "heel") for v in mp)
            print(
                f"{strike:>8} {'near' if near else 'far':>4} {len(sel):>3} | "
                f"{_fmt([r['truth_deg'] for r in sel]):>20} | {_fmt([r['truth_img_deg'] for r in sel]):>20} | "
                f"{_fmt(mp):>20} | {correct:>3}/{len(sel):<3}"
            )
            if near and correct < len(sel):
                ok_all = False
    heel = [r["mp_deg"] for r in rows if r["near"] and r["case"][0] == "heel" and r["mp_deg"] is not None]
    fore = [r["mp_deg"] for r in rows if r["near"] and r["case"][0] == "forefoot" and r["mp_deg"] is not None]
    if heel and fore:
        print(
            f"near foot: highest heel reading {max(heel):+.1f}, lowest forefoot reading {min(fore):+.1f}, "
            f"gap {min(fore) - max(heel):+.1f} deg; threshold {args.threshold:+.1f}: "
            f"{'all near-foot contacts classified correctly' if ok_all else 'MISCLASSIFIED near-foot contacts'}"
        )
    print(f"detection: min {min(r['detected_pct'] for r in rows):.1f} % over the clips")
    return 0


if __name__ == "__main__":
    sys.exit(main())
