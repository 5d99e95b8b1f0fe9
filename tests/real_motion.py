"""Real human motion, seen from the side as the pose stage would give it: the gait analysis (events, strikes,
direction, cadence, steps) measured on real people's kinematics, not on our synthetic gait.

Two recordings, fetched from PyPI into the real-footage suite's cache (``real_footage.fetch_source``; nothing of them
is committed):

- ``walk``: gaitalytics' treadmill walking trial (``tests/treadmill_events.c3d`` of its 0.2.2 sdist, MIT licence;
  REAL_FOOTAGE.md): Vicon markers at 100 Hz for 12 s, foot strikes and foot-offs labelled from two force plates.
  Read with the ``c3d`` package. Hip = the side's ASIS/PSIS midpoint 70 mm lower (the hip joint sits about 0.3 ASIS
  widths below them); knee and ankle = the Plug-in Gait joint centres (``LFEO``, ``LTIO``: the femur's and tibia's
  origins); heel = ``LHEE``; foot index = ``LMT2`` (the second metatarsal head; MediaPipe's lies further out, on the
  toes); shoulders = midway between C7 and the jugular notch, 0.17 m either side. There are no head or arm markers:
  the head and arms are put at fixed offsets, and arm and head-turn rules mean nothing on it. The belt's speed (from
  the stance heels) is added to the forward coordinate, so she travels over ground past a static camera.
- ``run``: DeepMimic's running loop in pybullet's data (``pybullet_data/data/motions/humanoid3d_run.txt`` of the
  pybullet 3.2.7 wheel, zlib licence): motion capture of one running stride at 30 fps, 3.6 m/s, made symmetric
  left/right, as joint rotations of DeepMimic's humanoid; its joints and the corners of its box feet are placed by
  forward kinematics with the humanoid's offsets (``pybullet_data/humanoid/humanoid.urdf`` at the 0.25 scale pybullet
  loads it with). The loop is played 8 times. Its landings are kinematic, not from force plates: the first frame a
  corner of the box foot is within 1 cm of its stance level (toe-off: the last), each good to a frame.

Each becomes MediaPipe's landmarks in a side view (the camera on the athlete's right, 250 px per metre).

Shared by ``tests/test_real_motion.py`` and ``bench/bench_real_motion.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from real_footage import fetch_source

from formcheck.analysis.types import Step
from formcheck.pose.landmarks import LM
from formcheck.pose.sequence import PoseSequence

PX_PER_M = 250.0
WIDTH, HEIGHT = 3800, 600
GROUND_Y = HEIGHT - 40  # image row of the floor (px)
EDGE_S = 0.3  # true landings this close to either end are not counted (s)

#: MediaPipe's landmark order with left and right swapped: a mirrored picture shows a body whose near side is,
#: anatomically, the other side.
MIRROR = [0, 4, 5, 6, 1, 2, 3, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15, 18, 17, 20, 19, 22, 21, 24, 23, 26, 25, 28, 27]
MIRROR += [30, 29, 32, 31]

#: Where each recording comes from, as the real-footage suite's clips (:func:`real_footage.fetch_source`).
SOURCES = {
    "walk": {
        "registry": "pypi-sdist",
        "package": "gaitalytics==0.2.2",
        "member": "gaitalytics-0.2.2/tests/treadmill_events.c3d",
        "sha256": "206c0dfd718d7e3ea4ccb5afc2d094ecf35eef9a2dedc9a1c72490609eab2a97",
    },
    "run": {
        "registry": "pypi",
        "package": "pybullet==3.2.7",
        "member": "pybullet_data/data/motions/humanoid3d_run.txt",
        "sha256": "2cbe488023b243e5769299158ce7c78875ec4b701a2ffe6c0beeaf83d16ca87b",
    },
}
JOINTS = ("hip", "knee", "ankle", "heel", "toe", "shoulder", "elbow", "wrist")


@dataclass(frozen=True)
class Motion:
    """A recording in one frame: ``points`` name -> ``[N, 3]`` m as (forward, up, left) over ground, sampled at
    ``rate_hz`` from time 0 (names: ``head`` and ``<side>_<joint>`` for the sides left/right and :data:`JOINTS`);
    ``events``: (time s, "left"/"right", "strike"/"off")."""

    name: str
    points: dict[str, np.ndarray]
    rate_hz: float
    events: list[tuple[float, str, str]]

    @property
    def duration_s(self) -> float:
        return (self.points["head"].shape[0] - 1) / self.rate_hz


def read_walk(path: Path) -> Motion:
    """The treadmill trial: markers (m) and force-plate events (times from its first stored frame, as gaitalytics
    reads them: frame ``first_frame`` is at ``first_frame / rate``), turned over ground at the belt's speed."""
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
    m = {n: frames[:, k] for k, n in enumerate(labels)}  # lab: x lateral (+ left), y along the belt (- forward), z up
    # the belt's speed: the median backward speed of the heels while within 15 mm of their lowest
    z = np.stack([m[s + "HEE"][:, 2] for s in "LR"])
    vy = np.gradient(np.stack([m[s + "HEE"][:, 1] for s in "LR"]), axis=1) * rate
    belt = float(np.median(vy[z < z.min(axis=1, keepdims=True) + 0.015]))
    t = np.arange(frames.shape[0]) / rate

    def ground(x: np.ndarray) -> np.ndarray:
        return np.stack([-x[:, 1] + belt * t, x[:, 2], x[:, 0]], axis=1)

    shoulders = (m["C7"] + m["JN"]) / 2
    across = np.array([0.17, 0.0, 0.0])
    points = {"head": ground(shoulders + np.array([0.0, -0.08, 0.25]))}
    for s, side in (("L", "left"), ("R", "right")):
        sign = 1.0 if s == "L" else -1.0
        sh = shoulders + sign * across
        fixed = {"shoulder": sh, "elbow": sh + np.array([0, 0.02, -0.28]), "wrist": sh + np.array([0, -0.03, -0.53])}
        hip = (m[s + "ASIS"] + m[s + "PSIS"]) / 2 - np.array([0.0, 0.0, 0.07])
        legs = {"hip": hip, "knee": m[s + "FEO"], "ankle": m[s + "TIO"], "heel": m[s + "HEE"], "toe": m[s + "MT2"]}
        points.update({f"{side}_{k}": ground(x) for k, x in {**legs, **fixed}.items()})
    kinds = {"Foot Strike": "strike", "Foot Off": "off"}
    events = sorted((float(e) - first, s, kinds[n]) for e, s, n in zip(times, sides, names, strict=True))
    return Motion("walk", points, rate, events)


def _quat(q: np.ndarray) -> np.ndarray:
    """The rotation matrix of quaternion ``q`` = (w, x, y, z)."""
    w, x, y, z = q / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def _about_z(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def _humanoid(v: np.ndarray) -> dict[str, np.ndarray]:
    """One DeepMimic frame ``v`` (duration, root position, then the root's, chest's, neck's, right hip's, knee's,
    ankle's, shoulder's, elbow's and the left's rotations: quaternions (w, x, y, z), knees and elbows one angle
    about z) placed by forward kinematics: y up, x forward, z to the right (m). Offsets: humanoid.urdf x 0.25."""
    k = 0.25

    def off(x: float, y: float, z: float) -> np.ndarray:
        return np.array([x, y, z]) * k

    root, r0 = v[1:4], _quat(v[4:8])
    chest = root + r0 @ off(0, 0.944604, 0)
    rc = r0 @ _quat(v[8:12])
    neck = chest + rc @ off(0, 0.895576, 0)
    out = {"head": neck + rc @ _quat(v[12:16]) @ off(0, 0.7, 0)}
    for side, sign, at in (("right", 1.0, 16), ("left", -1.0, 30)):
        hip = root + r0 @ off(0, 0, sign * 0.339548)
        rh = r0 @ _quat(v[at : at + 4])
        knee = hip + rh @ off(0, -1.686184, 0)
        rk = rh @ _about_z(v[at + 4])
        ankle = knee + rk @ off(0, -1.63948, 0)
        ra = rk @ _quat(v[at + 5 : at + 9])
        # the foot: a box 0.177 x 0.055 x 0.09 m centred 0.045 ahead of and 0.0225 below the ankle
        heel, toe = ankle + ra @ np.array([-0.0435, -0.05, 0.0]), ankle + ra @ np.array([0.1335, -0.05, 0.0])
        shoulder = chest + rc @ off(-0.0962, 0.974, sign * 0.73244)
        rs = rc @ _quat(v[at + 9 : at + 13])
        elbow = shoulder + rs @ off(0, -1.099152, 0)
        wrist = elbow + rs @ _about_z(v[at + 13]) @ off(0, -1.035788, 0)
        joints = dict(hip=hip, knee=knee, ankle=ankle, heel=heel, toe=toe, shoulder=shoulder, elbow=elbow, wrist=wrist)
        out.update({f"{side}_{name}": x for name, x in joints.items()})
    return out


def _kinematic_events(points: dict[str, np.ndarray], rate: float) -> list[tuple[float, str, str]]:
    """Landings and toe-offs from the corners of the box feet: a foot is down on a frame where its heel or toe
    corner is within 1 cm of that corner's own stance level (its 5th percentile: the box feet do not rest flat, the
    toe corner stands 1-2 cm above the heel's); a landing is the first frame down after its lowest corner was 5 cm
    up, the toe-off the last frame down."""
    events = []
    for side in ("left", "right"):
        heel, toe = points[f"{side}_heel"][:, 1], points[f"{side}_toe"][:, 1]
        h0, t0 = float(np.percentile(heel, 5)), float(np.percentile(toe, 5))
        down = (heel <= h0 + 0.01) | (toe <= t0 + 0.01)
        high = np.minimum(heel - h0, toe - t0) > 0.05
        armed = False
        for i in range(1, down.size):
            if down[i] and not down[i - 1] and armed:
                events.append((i / rate, side, "strike"))
                armed = False
            elif down[i - 1] and not down[i]:
                events.append(((i - 1) / rate, side, "off"))
            armed = armed or bool(high[i])
    return sorted(events)


def read_run(path: Path, loops: int = 8) -> Motion:
    """DeepMimic's running loop, played ``loops`` times (each loop goes on from where the last one ended: its last
    frame is the next loop's first, moved on by the loop's travel)."""
    frames = np.array(json.loads(path.read_text())["Frames"], dtype=np.float64)
    rate = 1.0 / float(np.median(frames[:-1, 0]))
    travel = frames[-1, 1:4] - frames[0, 1:4]
    travel[1] = 0.0
    poses = []
    for n in range(loops):
        for v in frames[:-1]:
            p = _humanoid(v)
            poses.append({k: x + n * travel for k, x in p.items()})
    floor = min(min(p["left_heel"][1], p["right_heel"][1], p["left_toe"][1], p["right_toe"][1]) for p in poses)
    points = {k: np.array([[p[k][0], p[k][1] - floor, -p[k][2]] for p in poses]) for k in poses[0]}
    return Motion("run", points, rate, _kinematic_events(points, rate))


READERS: dict[str, Callable[[Path], Motion]] = {"walk": read_walk, "run": read_run}


def load(name: str) -> Motion:
    """Recording ``name`` ("walk" or "run"), fetched when missing. Raises :class:`real_footage.Unavailable`."""
    return READERS[name](fetch_source(f"motion_{name}", SOURCES[name]))


@dataclass(frozen=True)
class View:
    """How a recording is seen: at ``fps``, played backwards (``reverse``: the toe-offs become toe-first landings),
    mirrored (travelling right to left), landmarks jittered by Gaussian noise of ``jitter_px`` (seeded)."""

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

#: MediaPipe's face landmarks around the head (forward, up, left m): nose, eyes (inner, centre, outer), ears, mouth.
FACE = {
    LM.NOSE: (0.08, 0.0, 0.0),
    LM.LEFT_EYE_INNER: (0.07, 0.03, 0.02),
    LM.LEFT_EYE: (0.07, 0.03, 0.03),
    LM.LEFT_EYE_OUTER: (0.06, 0.03, 0.045),
    LM.RIGHT_EYE_INNER: (0.07, 0.03, -0.02),
    LM.RIGHT_EYE: (0.07, 0.03, -0.03),
    LM.RIGHT_EYE_OUTER: (0.06, 0.03, -0.045),
    LM.LEFT_EAR: (-0.01, 0.02, 0.07),
    LM.RIGHT_EAR: (-0.01, 0.02, -0.07),
    LM.MOUTH_LEFT: (0.07, -0.04, 0.02),
    LM.MOUTH_RIGHT: (0.07, -0.04, -0.02),
}
BODY = {
    "shoulder": LM.LEFT_SHOULDER,
    "elbow": LM.LEFT_ELBOW,
    "wrist": LM.LEFT_WRIST,
    "hip": LM.LEFT_HIP,
    "knee": LM.LEFT_KNEE,
    "ankle": LM.LEFT_ANKLE,
    "heel": LM.LEFT_HEEL,
    "toe": LM.LEFT_FOOT_INDEX,
}


def side_view(motion: Motion, view: View) -> tuple[PoseSequence, list[tuple[float, str]]]:
    """The pose sequence of ``view`` and the true landings in it: (time s, foot as the sequence names it)."""
    t_src = np.arange(motion.points["head"].shape[0]) / motion.rate_hz
    t = np.arange(0.0, t_src[-1], 1.0 / view.fps)
    image = np.zeros((t.size, 33, 4), dtype=np.float64)

    def put(i: int, x: np.ndarray) -> None:  # over-ground metres -> picture px: forward right, up up
        x = np.stack([np.interp(t, t_src, x[:, k]) for k in range(3)], axis=1)
        image[:, i, 0] = 200.0 + x[:, 0] * PX_PER_M
        image[:, i, 1] = GROUND_Y - x[:, 1] * PX_PER_M
        image[:, i, 2] = x[:, 2] * PX_PER_M  # depth: the left side is further from a camera on the right
        image[:, i, 3] = 0.99

    head = motion.points["head"]
    for i, offset in FACE.items():
        put(i, head + np.array(offset))
    for side, k in (("left", 0), ("right", 1)):
        for joint, i in BODY.items():
            put(i + k, motion.points[f"{side}_{joint}"])
        for i in (LM.LEFT_PINKY, LM.LEFT_INDEX, LM.LEFT_THUMB):
            put(i + k, motion.points[f"{side}_wrist"] + np.array([0.04, -0.06, 0.0]))
    if view.jitter_px:
        image[:, :, :2] += np.random.default_rng(7).normal(0.0, view.jitter_px, image[:, :, :2].shape)
    world = image.copy()
    hips = (image[:, LM.LEFT_HIP, :3] + image[:, LM.RIGHT_HIP, :3]) / 2
    world[:, :, :3] = (image[:, :, :3] - hips[:, None, :]) / PX_PER_M
    want = "off" if view.reverse else "strike"
    truth = [(e, side) for e, side, kind in motion.events if kind == want]
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
        source=f"real motion {motion.name}, {view.name}",
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
