"""A parametric running gait: per-frame skeleton poses, root motion and foot contacts.

World frame: X = the track (the runner always faces +X), Y = up, Z = the runner's right (toward the camera of
a right-side view); metres; the floor is Y = 0.

How the motion is built (all times continuous, then sampled at the frame times):

- Standing segments blend (over the same width) into a pose standing still: both feet planted flat under the
  hips, knees almost straight, arms hanging relaxed, a slow small sway; no touchdowns are planned there.
- Segment parameters (cadence, speed, direction) are blended smoothly across segment boundaries; the signed
  speed passes through zero when the direction flips. Stride phase = integral of cadence / 120.
- Each foot touches down when its phase crosses an integer (the right foot at +0.5 + asymmetry) and lifts off
  ``duty_factor`` later. At touchdown the ankle is placed at the pelvis plus half the stance sweep plus the
  overstride, ahead in the travel direction.
- The foot is rigid. In stance it never slides: it first rotates about the part that touched (heel or toe) to
  flat, stays flat, then rotates about the toe (or the heel, with heel drag) until lift-off; its lowest vertex
  stays exactly on the floor. In swing the ankle follows a minimum-jerk path with a lift, and the foot's
  lowest vertex stays above the floor; the foot turns from its toe-off angle to its landing angle during the
  first ``SWING_ANGLE_SET`` of the swing and holds it, so a heel striker's foot is visibly dorsiflexed (and a
  forefoot lander's plantarflexed) for several frames before contact, as in real running.
- The pelvis height is the highest that keeps every stance leg at most 97 % extended, minus a vertical
  oscillation lowest at mid-stance. Legs are solved by two-bone IK (knees toward the chest side); arms swing
  opposite to the legs at the requested elbow angle; the trunk leans about the lower spine; the neck keeps the
  head level and turns it to look over a shoulder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from formcheck.pose.landmarks import LM
from formcheck.synth.body import Body
from formcheck.synth.params import SynthParams
from formcheck.synth.skinning import Pose, forward_kinematics

UP = np.array([0.0, 1.0, 0.0])
FACING = np.array([1.0, 0.0, 0.0])
#: Body-frame -> world rotation of a runner facing +X: columns are where body x (left), y (up), z (forward)
#: go.
R_YAW = np.column_stack([np.cross(UP, FACING), UP, FACING])
LEFT_W = R_YAW[:, 0]
MAX_REACH = 0.985  # stance legs at most this fraction of full extension (design choice: knees never lock)
BLEND_S = 0.8  # width of the smooth change between segments, seconds
SWING_CLEARANCE_M = 0.006  # minimum lift of the foot's lowest vertex at mid-swing (scaled by sin(pi*s))
TOE_OFF_DEG = 30.0
STAND_KNEE_DROP_M = 0.004  # standing: the hips this much below the rest pose (knees not locked)
STAND_LEAN_DEG = 1.5  # standing: trunk lean, degrees
STAND_ELBOW_DEG = 160.0  # standing: relaxed arms
SWING_ANGLE_SET = 0.65  # fraction of the swing by which the foot has reached its landing angle
#: ankle="human": the landing leg's planned extension at touchdown (fraction of full length) when placing a heel
#: landing under the dorsiflexion limit (the hips ride at most MAX_REACH; smoothing leaves them a little lower)
HUMAN_TD_REACH = 0.97
HUMAN_SMOOTH_S = 0.06  # ankle="human": width of the erosion and smoothing of the hips' height limit, seconds
HUMAN_AHEAD_MAX_M = 0.12  # ankle="human": a heel landing may be placed at most this far under/past the hips


def rot_x(deg: float) -> np.ndarray:
    """Rotation about the body's left axis; + tilts up toward forward and forward toward down (toe down)."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[1.0, 0, 0], [0, c, -s], [0, s, c]])


def rot_y(deg: float) -> np.ndarray:
    """Rotation about up; + turns forward toward the left."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, 0, s], [0, 1.0, 0], [-s, 0, c]])


def _frame(d: np.ndarray, q: np.ndarray) -> np.ndarray:
    e1 = d / np.linalg.norm(d)
    e2 = q - (q @ e1) * e1
    e2 /= np.linalg.norm(e2)
    return np.column_stack([e1, e2, np.cross(e1, e2)])


def align(rest_dir: np.ndarray, rest_ref: np.ndarray, dir_: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """The rotation taking direction ``rest_dir`` to ``dir_`` and reference ``rest_ref`` to (about)
    ``ref``."""
    return _frame(dir_, ref) @ _frame(rest_dir, rest_ref).T


def sagittal_angle_between(u: np.ndarray, v: np.ndarray) -> float:
    """Angle between two vectors after projection onto the sagittal (X, Y) plane, degrees."""
    a, b = u[..., :2], v[..., :2]
    cosang = float(a @ b) / (float(np.linalg.norm(a) * np.linalg.norm(b)) + 1e-12)
    return math.degrees(math.acos(max(-1.0, min(1.0, cosang))))


def smoothstep(x: np.ndarray | float) -> np.ndarray | float:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def minjerk(x: float) -> float:
    x = min(max(x, 0.0), 1.0)
    return x**3 * (10 - 15 * x + 6 * x * x)


@dataclass(frozen=True)
class Contact:
    """One touchdown. ``point_m`` is the world position of the part of the foot that touched first."""

    foot: str  # "left" | "right"
    time_s: float  # exact touchdown time
    point_m: np.ndarray
    pivot_index: int  # index into the foot's sole vertices of the first-touching vertex
    strike_angle_deg: float
    direction: str
    dorsiflexion_deg: float = 0.0  # ankle dorsiflexion at touchdown (0 = as when standing, + toward the shin)
    descent_speed_m_s: float = 0.0  # downward speed of the foot's lowest point just before touchdown


@dataclass(frozen=True)
class Motion:
    """The sampled motion of a clip: one pose per frame plus events."""

    time_s: np.ndarray  # [T]
    poses: list[Pose]
    stance: dict[str, np.ndarray]  # "left"/"right" -> bool [T]
    contacts: list[Contact]  # every touchdown in [0, duration)
    direction: list[str]  # [T] segment direction at each frame
    pelvis_track_x_m: np.ndarray  # [T] smooth pelvis X (no bobbing), for a following camera
    head_yaw_cmd_deg: np.ndarray  # [T] commanded head yaw (truth measures the posed head)


class _Schedule:
    """Continuous-time segment parameters on a fine grid."""

    def __init__(self, p: SynthParams, rng: np.random.Generator) -> None:
        self.p = p
        dt = 1e-3
        self.t = np.arange(-4.0, p.duration_s + 4.0, dt)
        bounds, cad, speed, dirw, standing = [], [], [], [], []
        start = 0.0
        for seg in p.segments:
            c, sl = seg.resolved("cadence_spm"), seg.resolved("step_length_m")
            sign = {"forward": 1.0, "backward": -1.0, "standing": 0.0}[seg.direction]
            standing.append(1.0 if seg.direction == "standing" else 0.0)
            cad.append(c)
            speed.append(sign * sl * c / 60.0)
            dirw.append(sign)
            start += seg.duration_s
            bounds.append(start)
        self.bounds = [0.0] + bounds
        self.cadence = self._blend(cad)
        self.speed = self._blend(speed)  # m/s along +X (facing); negative = backward
        self.dirw = self._blend(dirw)
        self.standw = self._blend(standing)  # 1 = standing still, 0 = running; smooth across boundaries
        if p.stumble_at_s is not None:
            self.cadence = self.cadence * (1 + 0.5 * self._bump(p.stumble_at_s + 0.15, 0.35))
        self.phase = np.concatenate([[0.0], np.cumsum((self.cadence[1:] + self.cadence[:-1]) / 2 * dt / 120)])
        self.phase += rng.uniform(0, 1) - np.interp(0.0, self.t, self.phase)
        self.x = np.concatenate([[0.0], np.cumsum((self.speed[1:] + self.speed[:-1]) / 2 * dt)])
        self.x -= np.interp(0.0, self.t, self.x)

    def _blend(self, values: list[float]) -> np.ndarray:
        out = np.full_like(self.t, values[0])
        for b, v0, v1 in zip(self.bounds[1:-1], values[:-1], values[1:], strict=False):
            out += (v1 - v0) * smoothstep((self.t - b) / BLEND_S + 0.5)
        return out

    def _bump(self, centre: float, width: float) -> np.ndarray:
        return np.exp(-0.5 * ((self.t - centre) / (width / 2)) ** 2)

    def at(self, arr: np.ndarray, t: float | np.ndarray) -> np.ndarray:
        return np.interp(t, self.t, arr)

    def time_of_phase(self, phase: float) -> float:
        return float(np.interp(phase, self.phase, self.t))

    def direction_at(self, t: float) -> str:
        for seg, end in zip(self.p.segments, self.bounds[1:], strict=False):
            if t < end:
                return seg.direction
        return self.p.segments[-1].direction


class _Foot:
    """A rigid foot: its sole vertices relative to the ankle, and poses on the floor."""

    def __init__(self, body: Body, side: str, lateral_m: float) -> None:
        self.side = side
        self.bone = body.bone(f"foot.{side}")
        self.ankle_rest = body.bone_head_m[self.bone]
        self.rel = body.vertices_m[body.foot_vertices(side)] - self.ankle_rest
        # world lateral position of the ankle: body-left offset -> world
        self.ankle_lateral = LEFT_W * lateral_m

    def rot(self, angle_deg: float) -> np.ndarray:
        return R_YAW @ rot_x(angle_deg)

    def lowest(self, angle_deg: float) -> tuple[int, float]:
        """Index of the lowest sole vertex and its height relative to the ankle at foot angle
        ``angle_deg``."""
        y = (self.rel @ self.rot(angle_deg).T)[:, 1]
        i = int(np.argmin(y))
        return i, float(y[i])

    def ankle_for_pivot(self, angle_deg: float, pivot: int, pivot_x: float) -> np.ndarray:
        """Ankle position with vertex ``pivot`` at world X ``pivot_x`` and the lowest vertex on the floor."""
        r = self.rot(angle_deg)
        rel = self.rel @ r.T
        ankle = self.ankle_lateral.copy()
        ankle[0] = pivot_x - rel[pivot, 0]
        ankle[1] = -rel[:, 1].min()
        return ankle


def _stance_angle(sigma: float, strike: float, toe_off: float) -> float:
    s1 = 0.32 if abs(strike) > 4 else 0.12
    s2 = 0.55
    if sigma < s1:
        return float(strike * (1 - smoothstep(sigma / s1)))
    if sigma < s2:
        return 0.0
    return float(toe_off * smoothstep((sigma - s2) / (1 - s2)))


class GaitModel:
    """Builds :class:`Motion` for :class:`SynthParams` on a :class:`Body`. Deterministic for a given seed."""

    def __init__(self, body: Body, params: SynthParams) -> None:
        self.body = body
        self.p = params
        self.rng = np.random.default_rng(params.seed)
        self.sched = _Schedule(params, self.rng)
        self.feet = {"left": _Foot(body, "L", 0.095), "right": _Foot(body, "R", -0.095)}
        lm = body.landmark_rest_m
        self.hip_rest_y = float((lm[LM.LEFT_HIP, 1] + lm[LM.RIGHT_HIP, 1]) / 2)
        #: standing: the ankle this far ahead of the hips (as in the rest pose)
        self.ankle_fore_rest = float(lm[LM.LEFT_ANKLE, 2] - (lm[LM.LEFT_HIP, 2] + lm[LM.RIGHT_HIP, 2]) / 2)
        b = body.bone
        self.l_thigh = float(np.linalg.norm(body.bone_head_m[b("lowerleg01.L")] - body.bone_head_m[b("upperleg01.L")]))
        self.l_shank = float(np.linalg.norm(body.bone_head_m[b("foot.L")] - body.bone_head_m[b("lowerleg01.L")]))
        # natural variations (seeded): a few percent on the strike angle and the step placement
        self.jitter_strike = self.rng.normal(0, 1.0, 4096)
        self.jitter_place = self.rng.normal(0, 0.01, 4096)
        self.toe_off = TOE_OFF_DEG * (1 - params.heel_drag) - 8.0 * params.heel_drag
        # opt-in variations draw from their own generator, so clips without them stay byte-identical
        extra = np.random.default_rng([params.seed, 11])
        self.spread_strike = extra.uniform(-1.0, 1.0, 4096) * params.strike_spread_deg
        hb = body.bone_head_m
        self._foot_vec_rest = {
            sd: lm[LM[f"{side}_FOOT_INDEX"]] - lm[LM[f"{side}_HEEL"]] for sd, side in (("L", "LEFT"), ("R", "RIGHT"))
        }
        #: standing: angle between the shank (ankle -> knee) and the foot (heel -> toe), degrees; dorsiflexion is
        #: how much smaller the angle is (the foot turned toward the shin)
        self.ankle_rest_deg = sagittal_angle_between(
            R_YAW @ (hb[b("lowerleg01.L")] - hb[b("foot.L")]), R_YAW @ self._foot_vec_rest["L"]
        )
        self._plan_steps()

    # ---- planning ----------------------------------------------------------------------------------------
    def _plan_steps(self) -> None:
        s, p = self.sched, self.p
        self.steps: dict[str, list[dict]] = {}
        for foot, offset in (("left", 0.0), ("right", 0.5 + p.asymmetry)):
            f = self.feet[foot]
            steps = []
            n0 = math.floor(s.phase[0] - offset) + 1
            n1 = math.floor(s.phase[-1] - offset) - 1
            for k, n in enumerate(range(n0, n1)):
                t_td = s.time_of_phase(n + offset)
                t_lo = s.time_of_phase(n + offset + p.duty_factor)
                v = float(s.at(s.speed, t_td))
                stance_s = t_lo - t_td
                ankle_x = (
                    float(s.at(s.x, t_td))
                    + 0.5 * v * stance_s
                    + p.overstride_m * float(s.at(s.dirw, t_td))
                    + self.jitter_place[(k * 2 + (foot == "right")) % 4096]
                )
                j = (k * 2 + (foot == "right")) % 4096
                strike = p.strike_angle + self.jitter_strike[j]
                if p.strike_spread_deg > 0:
                    strike += float(self.spread_strike[j])
                if p.ankle == "human":
                    ankle_x = self._human_ankle_x(foot, t_td, ankle_x, strike)
                pivot, _ = f.lowest(strike)
                # pivot X from the desired ankle X at touchdown
                rel = f.rel @ f.rot(strike).T
                pivot_x = ankle_x + rel[pivot, 0]
                flat_ankle = f.ankle_for_pivot(0.0, pivot, pivot_x)
                off_pivot, _ = f.lowest(self.toe_off)
                off_pivot_x = flat_ankle[0] + f.rel[off_pivot] @ f.rot(0.0).T[:, 0]
                steps.append(
                    dict(
                        t_td=t_td,
                        t_lo=t_lo,
                        strike=strike,
                        pivot=pivot,
                        pivot_x=pivot_x,
                        off_pivot=off_pivot,
                        off_pivot_x=off_pivot_x,
                        speed=v,
                    )
                )
            self.steps[foot] = steps

    def dorsiflexion_deg(self, foot: str, hip: np.ndarray, ankle: np.ndarray, angle_deg: float) -> float:
        """Ankle dorsiflexion (degrees; 0 = as when standing, + = foot turned toward the shin) of ``foot`` with its
        hip and ankle joints at these world positions and the foot at ``angle_deg``, the knee by two-bone IK."""
        knee = self._knee(hip, ankle)
        vec = self.feet[foot].rot(angle_deg) @ self._foot_vec_rest[self.feet[foot].side]
        return self.ankle_rest_deg - sagittal_angle_between(knee - ankle, vec)

    def _human_ankle_x(self, foot: str, t_td: float, ankle_x: float, strike: float) -> float:
        """ankle="human": the ankle X of a landing moved toward (at most HUMAN_AHEAD_MAX_M past) the hips until the
        ankle is dorsiflexed at most ``dorsiflexion_max_deg`` at touchdown, the leg HUMAN_TD_REACH extended."""
        s, f = self.sched, self.feet[foot]
        hip_x = float(s.at(s.x, t_td))
        reach = HUMAN_TD_REACH * (self.l_thigh + self.l_shank)
        lateral = LEFT_W * (0.101 if foot == "left" else -0.101)

        def dorsi(ax: float) -> float:
            pivot, _ = f.lowest(strike)
            rel = f.rel @ f.rot(strike).T
            ankle = f.ankle_for_pivot(strike, pivot, ax + rel[pivot, 0])
            d = ankle - (np.array([hip_x, 0.0, 0.0]) + lateral)
            hip = np.array([hip_x, ankle[1] + math.sqrt(max(reach**2 - d[0] ** 2 - d[2] ** 2, 0.01)), 0.0]) + lateral
            return self.dorsiflexion_deg(foot, hip, ankle, strike)

        limit = self.p.dorsiflexion_max_deg
        if dorsi(ankle_x) <= limit:
            return ankle_x
        back = math.copysign(1.0, ankle_x - hip_x)  # the side of the hips the foot lands on
        near = hip_x - back * HUMAN_AHEAD_MAX_M
        if dorsi(near) > limit:
            return near
        lo, hi = near, ankle_x  # dorsi(lo) <= limit < dorsi(hi)
        for _ in range(30):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if dorsi(mid) <= limit else (lo, mid)
        return lo

    def standing_weight(self, t: float) -> float:
        """1 while standing still, 0 while running, smooth in between."""
        return float(self.sched.at(self.sched.standw, t))

    def foot_state(self, foot: str, t: float) -> tuple[np.ndarray, float, bool]:
        """(ankle world position, foot angle in degrees, in stance) of ``foot`` at time ``t``: the running
        foot, blended into a foot planted flat under the hip while standing."""
        ankle, ang, stance = self._run_foot_state(foot, t)
        w = self.standing_weight(t)
        if w <= 0.0:
            return ankle, ang, stance
        f = self.feet[foot]
        planted = f.ankle_for_pivot(0.0, 0, 0.0)
        planted[0] = float(self.sched.at(self.sched.x, t)) + self.ankle_fore_rest
        ankle = (1 - w) * ankle + w * planted
        ang = (1 - w) * ang
        _, low = f.lowest(ang)
        if stance:  # a running stance foot stays on the floor while it settles
            ankle[1] = -low
            return ankle, ang, True
        if w < 0.5:  # a running swing foot stays clear of the floor
            ankle[1] = max(ankle[1], -low + 1e-4)
            return ankle, ang, False
        ankle[1] = max(ankle[1], -low)  # settling into standing: in stance once on the floor
        return ankle, ang, bool(ankle[1] + low < 1e-3)

    def _run_foot_state(self, foot: str, t: float) -> tuple[np.ndarray, float, bool]:
        f, steps = self.feet[foot], self.steps[foot]
        times = [st["t_td"] for st in steps]
        i = int(np.searchsorted(times, t, side="right")) - 1
        st = steps[i]
        if t < st["t_lo"]:
            sigma = (t - st["t_td"]) / (st["t_lo"] - st["t_td"])
            ang = _stance_angle(sigma, st["strike"], self.toe_off)
            if sigma < 0.55:
                return f.ankle_for_pivot(ang, st["pivot"], st["pivot_x"]), ang, True
            return f.ankle_for_pivot(ang, st["off_pivot"], st["off_pivot_x"]), ang, True
        nxt = steps[i + 1]
        a0 = f.ankle_for_pivot(self.toe_off, st["off_pivot"], st["off_pivot_x"])
        a1 = f.ankle_for_pivot(nxt["strike"], nxt["pivot"], nxt["pivot_x"])
        sigma = (t - st["t_lo"]) / (nxt["t_td"] - st["t_lo"])
        # the foot reaches its landing angle in late swing and holds it (a heel striker's foot is dorsiflexed,
        # a forefoot lander's plantarflexed, for the last third of the swing before contact)
        ang = self.toe_off + (nxt["strike"] - self.toe_off) * float(smoothstep(sigma / SWING_ANGLE_SET))
        ankle = a0 + (a1 - a0) * minjerk(sigma)
        speed = abs(st["speed"])
        lift = 0.07 + 0.06 * speed
        backwardish = float(self.sched.at(self.sched.dirw, t)) < 0
        peak = 0.62 if backwardish else 0.38
        k = math.log(0.5) / math.log(peak)
        bump = math.sin(math.pi * sigma**k)
        bump *= 1 - self.p.heel_drag * math.exp(-((sigma / 0.3) ** 2))
        ankle[1] += lift * bump
        _, low = f.lowest(ang)
        need = SWING_CLEARANCE_M * math.sin(math.pi * sigma) + 1e-4
        if ankle[1] + low < need:
            ankle[1] = need - low
        return ankle, ang, False

    # ---- posing ------------------------------------------------------------------------------------------
    def _pelvis_base_height(self) -> float:
        """Highest hip-midpoint height (without oscillation) keeping every stance leg within MAX_REACH."""
        s, p = self.sched, self.p
        reach = MAX_REACH * (self.l_thigh + self.l_shank)
        limit = self.hip_rest_y
        ts = np.arange(-0.2, p.duration_s + 0.2, 1 / 200)
        for t in ts:
            osc = self._oscillation(t)
            for foot, sign in (("left", 1.0), ("right", -1.0)):
                ankle, _, stance = self._run_foot_state(foot, t)
                if not stance:
                    continue
                hip = np.array([float(s.at(s.x, t)), 0.0, 0.0]) + LEFT_W * sign * 0.101
                d2 = reach**2 - (ankle[0] - hip[0]) ** 2 - (ankle[2] - hip[2]) ** 2
                limit = min(limit, ankle[1] + math.sqrt(max(d2, 0.01)) - osc)
        return limit

    def _human_pelvis_height(self) -> tuple[np.ndarray, np.ndarray]:
        """ankle="human": (times, hip-midpoint heights) on a 200 Hz grid: as high as every stance leg allows
        (MAX_REACH), no higher than at the touchdowns (the flight does not bounce the hips up), eroded and then
        smoothed over HUMAN_SMOOTH_S (so the result stays under the limit)."""
        s, p = self.sched, self.p
        reach = MAX_REACH * (self.l_thigh + self.l_shank)
        ts = np.arange(-0.5, p.duration_s + 0.5, 1 / 200)
        limit = np.full(ts.size, np.inf)
        for foot, sign in (("left", 1.0), ("right", -1.0)):
            for i, t in enumerate(ts):
                ankle, _, stance = self._run_foot_state(foot, float(t))
                if stance:
                    hip = np.array([float(s.at(s.x, t)), 0.0, 0.0]) + LEFT_W * sign * 0.101
                    d2 = reach**2 - (ankle[0] - hip[0]) ** 2 - (ankle[2] - hip[2]) ** 2
                    limit[i] = min(limit[i], ankle[1] + math.sqrt(max(d2, 0.01)))
        tds = [st["t_td"] for steps in self.steps.values() for st in steps if ts[0] <= st["t_td"] <= ts[-1]]
        cap = float(np.median(np.interp(tds, ts, limit))) if tds else self.hip_rest_y
        limit = np.minimum(np.where(np.isfinite(limit), limit, cap), min(cap, self.hip_rest_y))
        w = max(int(round(HUMAN_SMOOTH_S * 200)) | 1, 3)
        eroded = minimum_filter1d(limit, w, mode="nearest")
        return ts, uniform_filter1d(eroded, w, mode="nearest")

    def _oscillation(self, t: float) -> float:
        ph = float(self.sched.at(self.sched.phase, t))
        return -0.5 * self.p.vertical_oscillation_m * math.cos(4 * math.pi * (ph - self.p.duty_factor / 2))

    def _head_yaw(self, t: float) -> float:
        p = self.p
        if p.head_turn_every_s is None:
            return 0.0
        first = min(1.0, p.head_turn_every_s / 2)
        k = math.floor((t - first) / p.head_turn_every_s)
        if k < 0:
            return 0.0
        u = (t - first - k * p.head_turn_every_s) / p.head_turn_duration_s
        if u > 1:
            return 0.0
        ramp = min(0.25, 0.5 * u if u < 0.5 else 0.5 * (1 - u))
        amount = float(smoothstep(min(u, 1 - u) / ramp)) if ramp > 0 else 0.0
        sign = 1.0 if k % 2 == 0 else -1.0
        return sign * p.head_turn_deg * amount

    def _leg_rotations(
        self, feet_k: dict[str, tuple[np.ndarray, float, bool]], hip_mid: np.ndarray, hip_mid_rest: np.ndarray
    ) -> dict[int, np.ndarray]:
        """World rotations of the leg bones at one instant: hips on the (upright) pelvis, two-bone IK with the knee
        toward the chest side, each foot at its angle (deg)."""
        b, rest = self.body.bone, self.body.bone_head_m
        world: dict[int, np.ndarray] = {}
        for foot, sd in (("left", "L"), ("right", "R")):
            ul = [b(f"upperleg01.{sd}"), b(f"upperleg02.{sd}")]
            ll = [b(f"lowerleg01.{sd}"), b(f"lowerleg02.{sd}")]
            ankle, ang, _ = feet_k[foot]
            hip = hip_mid + R_YAW @ (rest[ul[0]] - hip_mid_rest)
            knee = self._knee(hip, ankle)
            world[ul[0]] = world[ul[1]] = align(rest[ll[0]] - rest[ul[0]], np.array([1.0, 0, 0]), knee - hip, LEFT_W)
            world[ll[0]] = world[ll[1]] = align(
                rest[b(f"foot.{sd}")] - rest[ll[0]], np.array([1.0, 0, 0]), ankle - knee, LEFT_W
            )
            world[b(f"foot.{sd}")] = self.feet[foot].rot(ang)
        return world

    def _arm_rotations(
        self, trunk: np.ndarray, swing_norm: dict[str, float], w_st: float, sway: float, stumble: float
    ) -> dict[int, np.ndarray]:
        """World rotations of the arm bones at one instant: each arm swings with the opposite leg (``swing_norm``
        -1..1), hangs relaxed while standing (``w_st`` 0..1 with the slow ``sway``) and flails in a stumble."""
        p, b, rest = self.p, self.body.bone, self.body.bone_head_m
        world: dict[int, np.ndarray] = {}
        for foot_opp, sd, sgn in (("right", "L", 1.0), ("left", "R", -1.0)):
            swing = 4.0 + p.arm_swing_deg * swing_norm[foot_opp]
            elbow = p.elbow_deg - 6.0 * swing_norm[foot_opp] * (p.elbow_deg < 170)
            # standing: arms hang relaxed, elbows slightly bent
            swing = (1 - w_st) * swing + w_st * (2.0 + 1.5 * sway * sgn)
            elbow = (1 - w_st) * elbow + w_st * STAND_ELBOW_DEG
            abduct = 8.0 + 35.0 * stumble
            elbow = min(180.0, elbow + 30.0 * stumble)
            r_loc, n_loc = self._arm_dirs(swing, abduct, sgn)
            flex = math.radians(180.0 - elbow)
            f_loc = math.cos(flex) * r_loc + math.sin(flex) * n_loc
            r_w, n_w, f_w = trunk @ r_loc, trunk @ n_loc, trunk @ f_loc
            m_w = np.cross(r_w, n_w)
            sh, el, wr = rest[b(f"upperarm01.{sd}")], rest[b(f"lowerarm01.{sd}")], rest[b(f"wrist.{sd}")]
            r0, f0 = el - sh, wr - el
            m0 = np.cross(r0, f0)
            up_rot = align(r0, m0, r_w, m_w)
            fo_rot = align(f0, m0, f_w, m_w)
            for name in ("upperarm01", "upperarm02"):
                world[b(f"{name}.{sd}")] = up_rot
            for name in ("lowerarm01", "lowerarm02", "wrist"):
                world[b(f"{name}.{sd}")] = fo_rot
        return world

    def _contacts(self, human_h: tuple[np.ndarray, np.ndarray] | None, h0: float) -> list[Contact]:
        """Every touchdown inside the clip while running (not while slowing to a stand), in time order."""
        p, s = self.p, self.sched
        n = p.n_frames
        contacts = []
        for foot, steps in self.steps.items():
            f = self.feet[foot]
            for st in steps:
                if (
                    0 <= st["t_td"] < p.duration_s
                    and math.ceil(st["t_td"] * p.fps - 1e-9) < n
                    and self.standing_weight(st["t_td"]) < 0.5
                ):
                    # where the foot really is at touchdown (while slowing to a stand it is blended toward
                    # the planted foot, see foot_state)
                    ankle_td, ang_td, _ = self.foot_state(foot, st["t_td"])
                    point = ankle_td + f.rel[st["pivot"]] @ f.rot(ang_td).T
                    dorsi, descent = self._touchdown_ankle(foot, st["t_td"], ankle_td, ang_td, human_h, h0)
                    contacts.append(
                        Contact(
                            foot=foot,
                            time_s=st["t_td"],
                            point_m=point,
                            pivot_index=st["pivot"],
                            strike_angle_deg=ang_td,
                            direction=s.direction_at(st["t_td"]),
                            dorsiflexion_deg=dorsi,
                            descent_speed_m_s=descent,
                        )
                    )
        contacts.sort(key=lambda c: c.time_s)
        return contacts

    def build(self) -> Motion:
        p, s, body = self.p, self.sched, self.body
        b = body.bone
        rest = body.bone_head_m
        lm = body.landmark_rest_m
        n = p.n_frames
        times = np.arange(n) / p.fps
        h0 = self._pelvis_base_height()
        human_h = self._human_pelvis_height() if p.ankle == "human" else None
        # trunk lean: the rest pose's own lean is subtracted so the measured lean is close to the request
        sh_mid = (lm[LM.LEFT_SHOULDER] + lm[LM.RIGHT_SHOULDER]) / 2
        hip_mid_rest = np.array([0.0, self.hip_rest_y, 0.0])
        rest_lean = math.degrees(math.atan2(sh_mid[2] - hip_mid_rest[2], sh_mid[1] - hip_mid_rest[1]))
        # arm swing follows the opposite leg's fore-aft position (normalised over the clip)
        feet = {f: [self.foot_state(f, float(t)) for t in times] for f in ("left", "right")}
        fore = {f: np.array([a[0][0] for a in feet[f]]) - s.at(s.x, times) for f in feet}
        scale = {f: max(1e-3, float(np.percentile(np.abs(fore[f] - np.median(fore[f])), 95))) for f in fore}
        swing_norm = {f: np.clip((fore[f] - np.median(fore[f])) / scale[f], -1, 1) for f in fore}
        sign_dir = np.sign(s.at(s.dirw, times))
        poses, yaw_cmd = [], []
        for k, t in enumerate(times):
            t = float(t)
            stumble = 0.0
            if p.stumble_at_s is not None:
                stumble = math.exp(-0.5 * ((t - p.stumble_at_s - 0.25) / 0.18) ** 2)
            w_st = self.standing_weight(t)
            sway = math.sin(2 * math.pi * t / 3.7)  # standing: a slow, small sway
            run_h = h0 + self._oscillation(t) if human_h is None else float(np.interp(t, *human_h))
            height = (1 - w_st) * run_h + w_st * (self.hip_rest_y - STAND_KNEE_DROP_M)
            hip_mid = np.array([float(s.at(s.x, t)) + w_st * 0.01 * sway, height, 0.0])
            root_head = hip_mid + R_YAW @ (rest[0] - hip_mid_rest)
            lean = (1 - w_st) * (p.trunk_lean_deg + 1.0 * math.sin(4 * math.pi * float(s.at(s.phase, t))))
            lean += w_st * (STAND_LEAN_DEG + 1.0 * sway)
            lean += -18.0 * stumble * (sign_dir[k] if sign_dir[k] != 0 else 1.0)
            yaw = self._head_yaw(t)
            yaw_cmd.append(yaw)
            local = {
                b("spine05"): rot_x(0.7 * (lean - rest_lean)),
                b("spine04"): rot_x(0.15 * (lean - rest_lean)),
                b("spine03"): rot_x(0.15 * (lean - rest_lean)),
                b("neck01"): rot_x(-0.8 * (lean - rest_lean)),
                b("neck02"): rot_y(yaw * 0.35),
                b("neck03"): rot_y(yaw * 0.35),
                b("head"): rot_y(yaw * 0.3),
            }
            world = self._leg_rotations({f: feet[f][k] for f in feet}, hip_mid, hip_mid_rest)
            # trunk rotation (for the arms): the pose up to spine01 is needed first
            pose0 = forward_kinematics(body, R_YAW, root_head, local, world)
            trunk = pose0.rot[b("spine01")]
            swing_k = {f: float(swing_norm[f][k]) for f in swing_norm}
            world.update(self._arm_rotations(trunk, swing_k, w_st, sway, stumble))
            poses.append(forward_kinematics(body, R_YAW, root_head, local, world))
        stance = {f: np.array([st[2] for st in feet[f]]) for f in feet}
        contacts = self._contacts(human_h, h0)
        return Motion(
            time_s=times,
            poses=poses,
            stance=stance,
            contacts=contacts,
            direction=[s.direction_at(float(t)) for t in times],
            pelvis_track_x_m=s.at(s.x, times),
            head_yaw_cmd_deg=np.array(yaw_cmd),
        )

    def _touchdown_ankle(
        self,
        foot: str,
        t: float,
        ankle: np.ndarray,
        angle: float,
        human_h: tuple[np.ndarray, np.ndarray] | None,
        h0: float,
    ) -> tuple[float, float]:
        """(ankle dorsiflexion in degrees, downward speed of the foot's lowest point in m/s over the last 5 ms) at
        the touchdown instant ``t`` of ``foot`` (ankle and foot angle at ``t`` given)."""
        s, f = self.sched, self.feet[foot]
        height = h0 + self._oscillation(t) if human_h is None else float(np.interp(t, *human_h))
        hip = np.array([float(s.at(s.x, t)), height, 0.0]) + LEFT_W * (0.101 if foot == "left" else -0.101)
        dorsi = self.dorsiflexion_deg(foot, hip, ankle, angle)
        dt = 0.005
        before, ang_b, _ = self.foot_state(foot, t - dt)
        low_b = before[1] + f.lowest(ang_b)[1]
        low = ankle[1] + f.lowest(angle)[1]
        return dorsi, float((low_b - low) / dt)

    def _knee(self, hip: np.ndarray, ankle: np.ndarray) -> np.ndarray:
        l1, l2 = self.l_thigh, self.l_shank
        v = ankle - hip
        d = float(np.linalg.norm(v))
        d = min(max(d, abs(l1 - l2) + 1e-3), (l1 + l2) * 0.9999)
        e = v / np.linalg.norm(v)
        nrm = FACING - (FACING @ e) * e
        nrm /= np.linalg.norm(nrm)
        a = (l1 * l1 - l2 * l2 + d * d) / (2 * d)
        h = math.sqrt(max(l1 * l1 - a * a, 0.0))
        return hip + a * e + h * nrm

    @staticmethod
    def _arm_dirs(swing_deg: float, abduct_deg: float, sgn: float) -> tuple[np.ndarray, np.ndarray]:
        """Upper-arm direction and the elbow's bend direction in the body frame (+swing = hand forward)."""
        bsw, ab = math.radians(swing_deg), math.radians(abduct_deg)
        sag = np.array([0.0, -math.cos(bsw), math.sin(bsw)])
        r = math.cos(ab) * sag + math.sin(ab) * np.array([sgn, 0.0, 0.0])
        n = np.array([0.0, math.sin(bsw), math.cos(bsw)])
        return r, n


def build_motion(body: Body, params: SynthParams) -> Motion:
    """Convenience: the motion of a clip."""
    return GaitModel(body, params).build()
