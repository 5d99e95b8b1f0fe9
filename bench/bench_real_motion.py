"""The gait analysis on real human motion (tests/real_motion.py: a treadmill walker's markers with force plates, and
a motion-captured running stride, seen from the side, played forward and backward, mirrored, at 60 fps, jittered):
per recording and view the contacts found against the true landings (+-2 frames at 30 fps), their timing error,
the strike classes given, the direction, the cadence and the verdicts.

Played backward, toe-offs are toe-first landings: the nearest real thing to backward walking and running.

Run: ``python bench/bench_real_motion.py [--config FILE]``
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import real_motion as rm  # noqa: E402

from formcheck.analysis.judge import judge  # noqa: E402
from formcheck.config import Config, load_config  # noqa: E402

SHORT = {"not_assessable": "n", "ok": "o", "warn": "w", "fail": "F"}
TOL_S = 2 / 30


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, help="a formcheck config file to judge with")
    args = ap.parse_args()
    cfg = load_config(args.config)
    print("verdict letters (rules in id order): o ok, w warn, F fail, n not_assessable")
    head = f"{'view':<12}{'truth':>6}{'found':>6}{'false':>6}  {'error ms (mean, sd)':<20}"
    print(head + f"{'strikes':<40}direction")
    print(f"{'':<30}  {'cadence':<20}{'foot angle at contact (deg)':<40}verdicts")
    for name in rm.SOURCES:
        motion = rm.load(name)
        print(f"{name}: {motion.duration_s:.1f} s at {motion.rate_hz:.0f} Hz")
        for view in rm.VIEWS:
            row(motion, view, cfg)
    return 0


def row(motion: rm.Motion, view: rm.View, cfg: Config) -> None:
    """Print one view's two lines."""
    seq, truth = rm.side_view(motion, view)
    j = judge(seq, cfg)
    got = rm.match(j.steps, truth, TOL_S)
    err = np.array(got.errors_s) * 1000
    strikes = Counter(s.strike or "unknown" for s in j.steps)
    excluded = Counter(s.excluded for s in j.steps if s.excluded)
    angles = [s.foot_angle_deg for s in j.steps if s.foot_angle_deg is not None]
    span = f"{min(angles):.0f}..{max(angles):.0f}" if angles else "-"
    dirs = ", ".join(f"{s.direction} {s.end_s - s.start_s:.1f}s" for s in j.segments)
    cadence = "-" if j.metrics.cadence_spm is None else f"{j.metrics.cadence_spm:.0f}"
    letters = "".join(SHORT[v.verdict] for v in sorted(j.verdicts, key=lambda v: v.id))
    e = f"{err.mean():+.0f}, {err.std():.0f}" if err.size else "-"
    print(f"{view.name:<12}{len(truth):>6}{got.found:>6}{got.false:>6}  {e:<20}{dict(strikes)!s:<40}{dirs}")
    note = f"{span}; excluded {dict(excluded)}" if excluded else span
    print(f"{'':<30}  {cadence:<20}{note:<40}{letters}")


if __name__ == "__main__":
    raise SystemExit(main())
