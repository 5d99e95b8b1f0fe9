"""Ground truth of a synthetic clip, measured from the posed skeleton and the skinned mesh (never copied from
the parameters), in the conventions of FIELD_NOTES.md, and its JSON form (schema ``formcheck.synth_truth/1``).

Angles are measured in the sagittal plane (the runner faces world +X, so sagittal coordinates are (X, Y)):

- trunk lean: hip midpoint -> shoulder midpoint against vertical; + toward the chest (forward), - back;
- elbow / knee: interior angle shoulder-elbow-wrist / hip-knee-ankle; 180 = straight;
- foot angle: heel -> foot index against the floor line; + = toe lower than heel.

A contact's frame is the first frame at or after the touchdown instant (the first frame showing the foot on
the floor); standing segments (direction "standing") have none. Its ``landing_distance_m`` is measured from the
hip midpoint at that frame to the part of the foot that touched, and ``step_length_m`` from the previous contact
(of the other foot) to this one, both along the direction of travel (None after a standing stretch);
``*_leg`` values are divided by the standing leg length (hip joint to ankle joint).

Each contact also carries the true ``foot_pitch_deg`` at the touchdown instant (the foot angle above, heel ->
foot index), the true ``strike`` class (``first_part``: heel / midfoot / forefoot, the part that touched first;
midfoot when the pitch is within MIDFOOT_DEG of flat), ``ankle_dorsiflexion_deg`` (shank vs foot at touchdown,
0 = as when standing, + = the foot turned toward the shin) and ``descent_speed_m_s`` (downward speed of the foot's
lowest point just before touchdown).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.atomic import write_text
from formcheck.errors import ConfigError
from formcheck.pose.landmarks import LM, N_LANDMARKS
from formcheck.synth.body import Body
from formcheck.synth.camera import Camera
from formcheck.synth.gait import FACING, R_YAW, Motion, rot_x
from formcheck.synth.params import SynthParams
from formcheck.synth.render import FrameGeometry
from formcheck.synth.skinning import Pose, bone_points

SCHEMA = "formcheck.synth_truth/1"
HEAD_TURNED_DEG = 30.0  # head yaw relative to the pelvis above which the runner "looks over the shoulder"
MIDFOOT_DEG = 4.0  # |foot angle| at touchdown below which heel and forefoot land together: midfoot


def sagittal_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Interior angle at ``b`` of a-b-c after projection onto the sagittal (X, Y) plane, degrees."""
    u, v = (a - b)[..., :2], (c - b)[..., :2]
    cosang = float(u @ v) / (float(np.linalg.norm(u) * np.linalg.norm(v)) + 1e-12)
    return math.degrees(math.acos(max(-1.0, min(1.0, cosang))))


def trunk_lean_deg(lm: np.ndarray) -> float:
    """Trunk lean of world landmarks [33, 3] (runner facing +X), degrees."""
    d = (lm[LM.LEFT_SHOULDER] + lm[LM.RIGHT_SHOULDER]) / 2 - (lm[LM.LEFT_HIP] + lm[LM.RIGHT_HIP]) / 2
    return math.degrees(math.atan2(float(d @ FACING), float(d[1])))


def foot_angle_deg(heel: np.ndarray, toe: np.ndarray) -> float:
    """Foot angle of a heel -> foot-index vector (runner facing +X), degrees; + = toe lower."""
    d = toe - heel
    return math.degrees(math.atan2(float(-d[1]), float(d @ FACING)))


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), allow_nan=False, ensure_ascii=False)


def _r(x: float, nd: int = 3) -> float:
    return round(float(x), nd)


@dataclass
class Truth:
    """The truth of one clip as a JSON-ready dict (``data``); see the module docstring for the conventions."""

    data: dict[str, Any]

    @property
    def contacts(self) -> list[dict[str, Any]]:
        return self.data["contacts"]

    @property
    def per_frame(self) -> dict[str, list[Any]]:
        return self.data["per_frame"]

    @property
    def n_frames(self) -> int:
        return int(self.data["video"]["frames"])

    def landmarks_px(self) -> np.ndarray:
        """float [T, 33, 2] pixel positions (NaN where the body defines none)."""
        out = np.full((self.n_frames, N_LANDMARKS, 2), np.nan)
        for k, row in enumerate(self.per_frame["landmarks_px"]):
            for j, xy in enumerate(row):
                if xy is not None:
                    out[k, j] = xy
        return out

    def save(self, path: str | Path) -> Path:
        """Write the JSON atomically (compact: one line per top-level and per-frame key)."""
        parts = []
        for key, value in self.data.items():
            if key == "per_frame":
                inner = ",\n".join(f"  {json.dumps(k)}: {_dumps(v)}" for k, v in value.items())
                parts.append(f"{json.dumps(key)}: {{\n{inner}\n }}")
            else:
                parts.append(f"{json.dumps(key)}: {_dumps(value)}")
        return write_text(path, "{\n " + ",\n ".join(parts) + "\n}\n")

    @classmethod
    def load(cls, path: str | Path) -> Truth:
        """Read a truth JSON written by :meth:`save`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read synth truth {path}: {exc}") from exc
        if data.get("schema") != SCHEMA:
            raise ConfigError(f"{path} is not a {SCHEMA} file")
        return cls(data)


@dataclass
class TruthBuilder:
    """Accumulates per-frame measurements while a clip renders, then assembles the :class:`Truth`."""

    body: Body
    params: SynthParams
    motion: Motion
    video_name: str
    rows: dict[str, list[Any]] = field(default_factory=dict)
    world: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        b = self.body
        self._lm_idx = np.flatnonzero(b.landmark_bone >= 0)
        self._foot_verts = {"left": b.foot_vertices("L", 0.5), "right": b.foot_vertices("R", 0.5)}
        # bones a landmark may be seen on: its own, its parent and its children
        dom = b.dominant_bone()
        self._face_bone = np.array([np.bincount(r).argmax() for r in dom[b.quads]])
        self._own: list[np.ndarray] = []
        for j in range(N_LANDMARKS):
            bone = int(b.landmark_bone[j])
            own = {bone, int(b.bone_parent[bone])} | {c for c, p in enumerate(b.bone_parent) if p == bone}
            if b.bone_names[bone] == "head":
                own |= {b.bone("neck03")}
            self._own.append(np.array(sorted(x for x in own if x >= 0)))

    def add_frame(self, k: int, pose: Pose, verts_m: np.ndarray, camera: Camera, geom: FrameGeometry | None) -> None:
        """Measure frame ``k`` from its pose, skinned vertices and camera."""
        b = self.body
        lm = np.full((N_LANDMARKS, 3), np.nan)
        lm[self._lm_idx] = bone_points(b, pose, b.landmark_bone[self._lm_idx], b.landmark_rest_m[self._lm_idx])
        self.world.append(lm)
        uv, depth = camera.project(lm)
        row = self.rows
        px = [None if not np.isfinite(uv[j, 0]) else [_r(uv[j, 0], 2), _r(uv[j, 1], 2)] for j in range(N_LANDMARKS)]
        row.setdefault("landmarks_px", []).append(px)
        if geom is not None:
            row.setdefault("landmarks_visible", []).append(self._visible(uv, depth, camera, geom))
        row.setdefault("trunk_lean_deg", []).append(_r(trunk_lean_deg(lm)))
        for side, s in (("left", "LEFT"), ("right", "RIGHT")):
            g = lambda n, s=s: lm[LM[f"{s}_{n}"]]  # noqa: E731
            row.setdefault(f"elbow_{side}_deg", []).append(_r(sagittal_angle(g("SHOULDER"), g("ELBOW"), g("WRIST"))))
            row.setdefault(f"knee_{side}_deg", []).append(_r(sagittal_angle(g("HIP"), g("KNEE"), g("ANKLE"))))
            row.setdefault(f"foot_angle_{side}_deg", []).append(_r(foot_angle_deg(g("HEEL"), g("FOOT_INDEX"))))
            row.setdefault(f"phase_{side}", []).append("stance" if self.motion.stance[side][k] else "swing")
            row.setdefault(f"foot_clearance_{side}_m", []).append(_r(verts_m[self._foot_verts[side], 1].min(), 4))
        row.setdefault("direction", []).append(self.motion.direction[k])
        head_fwd = pose.rot[b.bone("head")] @ np.array([0.0, 0.0, 1.0])
        pelvis_fwd = pose.rot[0] @ np.array([0.0, 0.0, 1.0])
        yaw = math.degrees(math.atan2(float(np.cross(pelvis_fwd, head_fwd)[1]), float(head_fwd @ pelvis_fwd)))
        row.setdefault("head_yaw_deg", []).append(_r(yaw, 2))
        row.setdefault("head_turned", []).append(bool(abs(yaw) > HEAD_TURNED_DEG))
        row.setdefault("landmarks_world_m", []).append(
            [None if not np.isfinite(p[0]) else [_r(p[0], 4), _r(p[1], 4), _r(p[2], 4)] for p in lm]
        )

    def _visible(self, uv: np.ndarray, depth: np.ndarray, camera: Camera, geom: FrameGeometry) -> list[bool]:
        """Inside the frame and not hidden behind another part of the body (the nearest drawn face at the
        landmark's pixel belongs to the landmark's own bone, its parent or a child)."""
        w, h = camera.width_px, camera.height_px
        quads = self.body.quads[geom.drawn_faces]
        q = geom.uv_px[quads]  # [K, 4, 2]
        lo, hi = q.min(axis=1), q.max(axis=1)
        fdepth = geom.depth_m[quads].mean(axis=1)
        fbone = self._face_bone[geom.drawn_faces]
        out = []
        for j in range(N_LANDMARKS):
            x, y = uv[j]
            if not (np.isfinite(x) and 0 <= x < w and 0 <= y < h and depth[j] > 0):
                out.append(False)
                continue
            cand = np.flatnonzero((lo[:, 0] <= x) & (hi[:, 0] >= x) & (lo[:, 1] <= y) & (hi[:, 1] >= y))
            if len(cand) == 0:
                out.append(True)
                continue
            c = q[cand]
            e = np.roll(c, -1, axis=1) - c
            r = np.array([x, y]) - c
            cross = e[..., 0] * r[..., 1] - e[..., 1] * r[..., 0]
            inside = np.all(cross >= 0, axis=1) | np.all(cross <= 0, axis=1)
            if not inside.any():
                out.append(True)
                continue
            hit = cand[inside]
            nearest = hit[np.argmin(fdepth[hit])]
            out.append(bool(np.isin(fbone[nearest], self._own[j])))
        return out

    def finish(self, cameras: list[Camera]) -> Truth:
        """Assemble the truth after the last frame."""
        p, m, b = self.params, self.motion, self.body
        n = len(self.world)
        leg = b.leg_length_m
        lm_world = np.array(self.world)
        contacts = []
        prev: dict[str, Any] | None = None
        for c in m.contacts:
            frame = math.ceil(c.time_s * p.fps - 1e-9)
            if frame >= n:
                continue
            travel = FACING if c.direction == "forward" else -FACING
            hip_mid = (lm_world[frame, LM.LEFT_HIP] + lm_world[frame, LM.RIGHT_HIP]) / 2
            landing = float((c.point_m - hip_mid) @ travel)
            step = None
            stood = prev is not None and "standing" in m.direction[prev["frame"] + 1 : frame]
            if prev is not None and prev["foot"] != c.foot and not stood:
                step = float((c.point_m - np.array(prev["point_m"])) @ travel)
            first = self._first_part(c.foot, c.pivot_index, c.strike_angle_deg)
            contacts.append(
                {
                    "foot": c.foot,
                    "frame": frame,
                    "time_s": _r(frame / p.fps, 4),
                    "time_exact_s": _r(c.time_s, 4),
                    "first_part": first,
                    "foot_angle_deg": self.rows[f"foot_angle_{c.foot}_deg"][frame],
                    "foot_angle_touchdown_deg": _r(self._touchdown_foot_angle(c.strike_angle_deg)),
                    "foot_pitch_deg": _r(self._touchdown_foot_angle(c.strike_angle_deg)),
                    "strike": first,
                    "ankle_dorsiflexion_deg": _r(c.dorsiflexion_deg),
                    "descent_speed_m_s": _r(c.descent_speed_m_s),
                    "landing_distance_m": _r(landing, 4),
                    "landing_distance_leg": _r(landing / leg, 4),
                    "step_length_m": None if step is None else _r(step, 4),
                    "step_length_leg": None if step is None else _r(step / leg, 4),
                    "direction": c.direction,
                    "point_m": [_r(x, 4) for x in c.point_m],
                    "pelvis_m": [_r(x, 4) for x in hip_mid],
                }
            )
            prev = contacts[-1]
        # segments
        segs, t0 = [], 0.0
        for s in p.segments:
            segs.append({"start_s": _r(t0, 4), "end_s": _r(t0 + s.duration_s, 4), "direction": s.direction})
            t0 += s.duration_s
        cam0 = cameras[0]
        per_frame: dict[str, Any] = {"frame": list(range(n)), "time_s": [_r(k / p.fps, 4) for k in range(n)]}
        per_frame.update(self.rows)
        data = {
            "schema": SCHEMA,
            "params": p.model_dump(mode="json"),
            "video": {
                "path": self.video_name,
                "frames": n,
                "fps": float(p.fps),
                "width": p.width_px,
                "height": p.height_px,
            },
            "leg_length_m": _r(leg, 4),
            "view": {"kind": p.view, "side": p.side if p.view in ("side", "oblique") else None},
            "camera": {
                "mode": p.camera,
                "focal_px": _r(cam0.focal_px, 3),
                "height_m": _r(cam0.position_m[1], 3),
                "position_m": [[_r(x, 4) for x in c.position_m] for c in cameras],
            },
            "segments": segs,
            "world_frame": "X along the track (the runner faces +X), Y up, Z the runner's right; metres",
            "per_frame": per_frame,
            "contacts": contacts,
        }
        return Truth(data)

    def _touchdown_foot_angle(self, strike_deg: float) -> float:
        lmr = self.body.landmark_rest_m
        r = R_YAW @ rot_x(strike_deg)
        return foot_angle_deg(r @ lmr[LM.LEFT_HEEL], r @ lmr[LM.LEFT_FOOT_INDEX])

    def _first_part(self, foot: str, pivot: int, strike_deg: float) -> str:
        if abs(self._touchdown_foot_angle(strike_deg)) < MIDFOOT_DEG:
            return "midfoot"
        lmr = self.body.landmark_rest_m
        s = "LEFT" if foot == "left" else "RIGHT"
        heel_z, toe_z = lmr[LM[f"{s}_HEEL"], 2], lmr[LM[f"{s}_FOOT_INDEX"], 2]
        verts = self.body.vertices_m[self.body.foot_vertices(foot[0].upper())]
        frac = (verts[pivot, 2] - heel_z) / (toe_z - heel_z)
        return "heel" if frac < 1 / 3 else ("forefoot" if frac > 2 / 3 else "midfoot")
