"""The real-footage suite as a table: per clip and variant, the chosen person, its confidence, the direction,
contacts found/expected and the verdicts, with every hand-labelled check (tests/real_footage_labels.toml).

Fetches the clips from their registries (pip, apt) into ``~/.cache/formcheck/real_footage`` and makes the
variants there; analyses each into ``--out`` (pose.npz reused between runs when the pose settings are unchanged).

Run: ``python bench/bench_real_footage.py [--out DIR] [--only walk,crowd] [--json FILE] [--heldout set9]``
(``--heldout``: a set of ``bench/heldout_variants.toml`` in place of the suite's variants, checked on the same labels)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import real_footage as rf  # noqa: E402

from formcheck.analyze import analyze_video  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402

SHORT = {"not_assessable": "n", "ok": "o", "warn": "w", "fail": "F"}


def run_one(name: str, clip: dict, v: rf.Variant, out_root: Path, analyse: bool = True) -> dict:
    """Analyse one variant (or, without ``analyse``, read its earlier outputs) and check it against the labels;
    a row of the table."""
    exp = rf.expected(clip, v)
    out = out_root / f"{name}__{v.name}"
    if analyse:
        video = rf.make_variant(name, clip, v)
        try:
            report = analyze_video(video, out_dir=out).report
        except FormcheckError as exc:
            return {"clip": name, "variant": v.name, "error": str(exc), "failed": [f"analysis: {exc}"]}
    elif (out / "report.json").exists():
        report = json.loads((out / "report.json").read_text())
    else:
        return {"clip": name, "variant": v.name, "error": "no earlier outputs", "failed": ["analysis: not run"]}
    o = rf.evaluate(report, out, exp, clip)
    unsettled = rf.load_labels().get("unsettled", {}).get(f"{name}/{v.name}", {})
    m = report.get("metrics", {})
    return {
        "clip": name,
        "variant": v.name,
        "person": o.person,
        "people": report["pose"].get("people_found"),
        "confidence": o.confidence,
        "direction": o.direction,
        "direction_expected": exp.direction,
        "contacts": f"{o.contacts_found}/{o.contacts_expected}",
        "cadence": m.get("cadence_spm"),
        "sway": m.get("trunk_sway_deg"),
        "sway_stride": m.get("trunk_sway_stride_deg"),
        "verdicts": "".join(SHORT.get(o.verdicts.get(r, ""), "?") for r in sorted(o.verdicts)),
        "checks": {k: [bool(ok), t] for k, (ok, t) in o.checks.items()},
        "failed": [f + (" (unsettled)" if f.split(":")[0] in unsettled else "") for f in o.failed],
    }


def fmt(x: object, nd: int = 2) -> str:
    return f"{x:.{nd}f}" if isinstance(x, float) else ("-" if x is None else str(x))


def use_heldout(name: str) -> None:
    """Make ``rf.suite()`` give held-out set ``name`` (bench/heldout_variants.toml): per clip its variants and
    specs in place of the suite's, no known failures (every check is printed as it comes out)."""
    sets = tomllib.loads((ROOT / "bench" / "heldout_variants.toml").read_text())
    if name not in sets:
        raise SystemExit(f"no held-out set {name!r}; there are {', '.join(sets)}")
    labels = rf.load_labels()
    for clip, spec in sets[name].items():
        labels["clips"][clip].update(variants=spec["variants"], variant_specs=spec.get("variant_specs", {}))
    labels["clips"] = {c: labels["clips"][c] for c in sets[name]}
    labels["known_failures"], labels["unsettled"] = {}, {}
    rf.load_labels = lambda: labels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "formcheck_real_footage")
    ap.add_argument("--only", default="", help="comma-separated clip names")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    ap.add_argument("--no-analyse", action="store_true", help="check the outputs already in --out")
    ap.add_argument("--heldout", help="a set of bench/heldout_variants.toml instead of the suite's variants")
    args = ap.parse_args()
    only = {s for s in args.only.split(",") if s}
    if args.heldout:
        use_heldout(args.heldout)
    rows = []
    for name, clip, v in rf.suite():
        if only and name not in only:
            continue
        try:
            rows.append(run_one(name, clip, v, args.out, analyse=not args.no_analyse))
        except rf.Unavailable as exc:
            rows.append({"clip": name, "variant": v.name, "error": f"unavailable: {exc}", "failed": ["fetch"]})
        r = rows[-1]
        print(f"... {name}/{v.name}: {'ok' if not r['failed'] else '; '.join(r['failed'])}", file=sys.stderr)
    print("verdict letters (rules in id order): o ok, w warn, F fail, n not_assessable")
    w = max([len("clip")] + [len(r["clip"]) for r in rows]) + 1  # the clip names' width
    head = f"{'clip':<{w}}{'variant':<13}{'person':>6}{'of':>4}{'conf':>6}  {'direction':<18}{'contacts':>9}"
    print(head + f"{'cadence':>9}{'sway':>7}{'stride':>7}  verdicts   failed checks")
    for r in rows:
        if "error" in r:
            print(f"{r['clip']:<{w}}{r['variant']:<13}  {r['error']}")
            continue
        d = f"{r['direction']} ({r['direction_expected']})"
        print(
            f"{r['clip']:<{w}}{r['variant']:<13}{r['person']:>6}{fmt(r['people']):>4}{fmt(r['confidence']):>6}  "
            f"{d:<18}{r['contacts']:>9}{fmt(r['cadence'], 0):>9}{fmt(r['sway'], 1):>7}{fmt(r['sway_stride'], 1):>7}  "
            f"{r['verdicts']:<10} "
            f"{'; '.join(r['failed']) or '-'}"
        )
    bad = sum(bool(r["failed"]) for r in rows)
    print(f"{len(rows) - bad}/{len(rows)} clip variants pass every labelled check")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
