"""Rasterising the skinned body over a room: looks (skin and clothing colours) and backgrounds.

A painter's algorithm: back faces culled, the rest sorted far to near and filled one quad at a time with
``cv2.fillConvexPoly`` at 2x supersampling, Lambert-shaded with an ambient term. The room is a floor (Y = 0)
and a wall behind the runner, textured procedurally; a following camera sees the floor texture slide by.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.pose.landmarks import LM
from formcheck.synth.body import Body
from formcheck.synth.camera import Camera
from formcheck.synth.gait import UP
from formcheck.synth.shoes import SOLE_TOP_M

SS = 2  # supersampling factor
SHIFT = 2  # fixed-point bits for cv2 polygon coordinates

#: Skin colours (RGB).
SKINS: dict[str, tuple[int, int, int]] = {
    "light": (236, 196, 170),
    "medium": (198, 142, 105),
    "tan": (168, 112, 76),
    "dark": (96, 62, 44),
    "pale": (248, 220, 204),
    "deep": (62, 40, 30),
}
#: Clothing colour sets: shirt, shorts, shoe upper, shoe sole (RGB). Like most running shoes, the sole contrasts
#: with the upper (a white midsole under a coloured upper, or a dark sole under a white one).
OUTFITS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "red_black": ((200, 40, 40), (30, 30, 34), (235, 235, 235), (50, 50, 56)),
    "blue_grey": ((40, 90, 190), (90, 92, 98), (40, 40, 44), (240, 240, 236)),
    "white_navy": ((235, 235, 230), (30, 40, 90), (35, 45, 100), (245, 245, 240)),
    "yellow_green": ((230, 200, 40), (40, 110, 60), (30, 80, 170), (240, 240, 236)),
    "black_orange": ((30, 30, 30), (230, 120, 30), (230, 230, 230), (45, 45, 50)),
    "all_black": ((30, 30, 33), (24, 24, 27), (28, 28, 31), (38, 38, 42)),
    "all_white": ((238, 238, 236), (232, 232, 230), (244, 244, 242), (250, 250, 248)),
}
#: Shoe colours (upper, sole; RGB) that override an outfit's.
SHOE_COLOURS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "black": ((28, 28, 31), (40, 40, 44)),
    "white": ((243, 243, 241), (250, 250, 248)),
    "red": ((200, 32, 36), (240, 240, 236)),
    "grey": ((128, 131, 137), (88, 88, 94)),
    "neon": ((196, 238, 44), (44, 44, 48)),
}


@dataclass(frozen=True)
class Lighting:
    """Shading of one lighting preset: Lambert ``ambient + diffuse * max(n.l, 0)`` on the body; then the whole frame
    times ``gain`` and ``tint`` (RGB), plus Gaussian sensor noise of ``noise`` grey levels."""

    ambient: float
    diffuse: float
    gain: float
    tint: tuple[float, float, float]
    noise: float


LIGHTING: dict[str, Lighting] = {
    "standard": Lighting(0.5, 0.55, 1.0, (1.0, 1.0, 1.0), 0.0),
    "dim": Lighting(0.45, 0.5, 0.55, (1.0, 0.9, 0.74), 5.0),
    "bright": Lighting(0.25, 0.95, 1.12, (1.0, 1.0, 0.97), 0.0),
    "overcast": Lighting(0.78, 0.25, 0.95, (0.95, 0.98, 1.03), 1.5),
}
HAIR_RGB = (45, 32, 25)

SKIN, SHIRT, SHORTS, SHOES, HAIR, SOLE = range(6)


def face_materials(body: Body, legwear: str = "shorts") -> np.ndarray:
    """Material index per quad (skin, shirt, shorts, shoes, hair, sole), from bones and rest heights (of the
    shod body, :mod:`formcheck.synth.shoes`). ``legwear``: shorts; tights (the shorts' fabric down to just above
    the shoes); capris (down to mid-shank)."""
    dom = body.dominant_bone()
    qb = dom[body.quads]  # [F, 4]
    centroid = body.vertices_m[body.quads].mean(axis=1)
    names = body.bone_names
    # the bone that most of the quad's vertices belong to
    face_bone = np.array([np.bincount(row).argmax() for row in qb])
    bname = np.array([names[i] for i in face_bone])
    lm = body.landmark_rest_m
    mat = np.full(len(body.quads), SKIN)
    shirt = np.isin(
        bname,
        [
            "spine04",
            "spine03",
            "spine02",
            "spine01",
            "clavicle.L",
            "clavicle.R",
            "shoulder01.L",
            "shoulder01.R",
            "upperarm01.L",
            "upperarm01.R",
        ],
    )
    knee_y = lm[LM.LEFT_KNEE, 1]
    ankle_z = lm[LM.LEFT_ANKLE, 2]
    shorts = np.isin(bname, ["root", "spine05", "pelvis.L", "pelvis.R", "upperleg01.L", "upperleg01.R"]) | (
        np.isin(bname, ["upperleg02.L", "upperleg02.R"]) & (centroid[:, 1] > knee_y + 0.17)
    )
    on_foot = np.isin(bname, ["foot.L", "foot.R"])
    # a low-cut running shoe: its collar sits below the ankle bones, rising a little toward the laces
    collar = 0.082 + 0.04 * np.clip((centroid[:, 2] - ankle_z) / 0.12, 0.0, 1.0)
    shoes = (on_foot | (centroid[:, 1] < 0.12)) & (centroid[:, 1] < collar)
    sole = shoes & (body.vertices_m[body.quads][:, :, 1].max(axis=1) < SOLE_TOP_M + 1e-4)
    ear_y, ear_z = lm[LM.LEFT_EAR, 1], lm[LM.LEFT_EAR, 2]
    eye_y = lm[LM.LEFT_EYE, 1]
    on_head = np.isin(bname, ["head", "neck03"])
    hair = on_head & (
        (centroid[:, 1] > eye_y + 0.035) | ((centroid[:, 1] > ear_y - 0.05) & (centroid[:, 2] < ear_z - 0.015))
    )
    if legwear != "shorts":
        on_leg = np.isin(bname, [f"{b}.{sd}" for b in ("upperleg02", "lowerleg01", "lowerleg02") for sd in "LR"])
        bottom = collar + 0.012 if legwear == "tights" else (knee_y + collar) / 2
        shorts |= on_leg & ~shoes & (centroid[:, 1] > bottom)
    mat[shirt] = SHIRT
    mat[shorts] = SHORTS
    mat[shoes] = SHOES
    mat[hair] = HAIR
    mat[sole] = SOLE
    # short sleeves: the lower part of the upper arm is skin
    return mat


def _texture(kind: str, rng: np.random.Generator, what: str) -> tuple[np.ndarray, float]:
    """A tileable texture (RGB uint8 [N, N, 3]) and its size in metres: the floor or the wall of ``kind``."""
    n = 512
    yy, xx = np.mgrid[0:n, 0:n] / n
    tex = _floor_texture(kind, rng, n, xx, yy) if what == "floor" else _wall_texture(kind, rng, n, xx, yy)
    return np.clip(tex, 0, 255).astype(np.uint8), 4.0


def _floor_texture(kind: str, rng: np.random.Generator, n: int, xx: np.ndarray, yy: np.ndarray) -> np.ndarray:
    """The floor of ``kind``, RGB float [n, n, 3] over 4 m."""
    if kind == "gym":  # wooden planks 0.2 m wide along X
        size = 4.0
        base = np.array([196, 150, 100], np.float32)
        planks = np.floor(yy * size / 0.2)
        shade = 0.85 + 0.15 * rng.random(int(planks.max()) + 1)[planks.astype(int)]
        tex = base * shade[..., None]
        seam = (((yy * size / 0.2) % 1) < 0.05) | ((((xx * size + planks * 0.73) / 1.3) % 1) < 0.012)
        tex[seam] *= 0.6
    elif kind == "track":  # red track with white lane lines (the runner runs mid-lane), small grain
        size = 4.0
        lane = (yy * size + 0.61) % 1.22  # the runner's path (world Z = 0) is in the middle of a lane
        tex = np.empty((n, n, 3), np.float32)
        tex[:] = np.array([176, 72, 56], np.float32)
        tex *= (0.9 + 0.1 * rng.random((n, n)))[..., None]
        lines = lane < 0.05
        tex[lines] = (235, 235, 235)
        marks = (((xx * size) % 2.0) < 0.06) & (lane < 0.3)
        tex[marks] = (230, 230, 230)
    elif kind == "grass":  # mown grass: mottled green with mowing stripes 1 m wide along X
        size = 4.0
        blades = cv2.GaussianBlur(rng.random((n, n)).astype(np.float32), (0, 0), 1.2)
        stripes = 0.92 + 0.08 * (np.floor(yy * size) % 2)
        tex = np.array([70, 125, 50], np.float32) * ((0.75 + 0.5 * blades) * stripes)[..., None]
    elif kind == "treadmill":  # a dark rubber belt 0.5 m wide (the runner's path) on a grey deck
        size = 4.0
        z = (yy * size + 2.0) % 4.0 - 2.0  # world Z (0 = the runner's path)
        tex = np.empty((n, n, 3), np.float32)
        tex[:] = np.array([150, 152, 158], np.float32)
        belt = np.abs(z) < 0.25
        grain = 0.9 + 0.2 * rng.random((n, n))
        tex[belt] = np.array([36, 36, 40], np.float32) * grain[belt][:, None]
        tex[np.abs(np.abs(z) - 0.25) < 0.01] = (90, 92, 96)
    elif kind == "white_hall":  # white tiles 0.6 m with pale grout (white shoes on a white floor)
        size = 4.0
        tiles = np.floor(xx * size / 0.6) + 7 * np.floor(yy * size / 0.6)
        shade = 0.95 + 0.05 * rng.random(int(tiles.max()) + 1)[tiles.astype(int)]
        tex = np.array([238, 238, 236], np.float32) * shade[..., None]
        grout = (((xx * size / 0.6) % 1) < 0.015) | (((yy * size / 0.6) % 1) < 0.015)
        tex[grout] *= 0.9
    else:  # hall: grey tiles 0.5 m
        size = 4.0
        tiles = np.floor(xx * size / 0.5) + 7 * np.floor(yy * size / 0.5)
        shade = 0.85 + 0.15 * rng.random(int(tiles.max()) + 1)[tiles.astype(int)]
        tex = np.array([150, 152, 156], np.float32) * shade[..., None]
        grout = (((xx * size / 0.5) % 1) < 0.03) | (((yy * size / 0.5) % 1) < 0.03)
        tex[grout] *= 0.55
    return tex


def _wall_texture(kind: str, rng: np.random.Generator, n: int, xx: np.ndarray, yy: np.ndarray) -> np.ndarray:
    """The wall of ``kind``, RGB float [n, n, 3] over 4 m."""
    size = 4.0
    if kind == "gym":  # pale wall with a dark skirting band and vertical panels
        tex = np.empty((n, n, 3), np.float32)
        tex[:] = (214, 220, 210)
        tex[yy > 0.9] = (70, 80, 95)  # note: texture row 0 is the top of a 4 m tall wall
        tex[((xx * size) % 1.0) < 0.02] *= 0.8
    elif kind == "track":  # sky over a green hedge
        tex = np.empty((n, n, 3), np.float32)
        sky = (1 - yy)[..., None]
        tex[:] = np.array([120, 165, 215], np.float32) * (0.8 + 0.2 * sky)
        hedge = yy > 0.72
        tex[hedge] = np.array([60, 110, 55], np.float32) * (0.8 + 0.3 * rng.random(int(hedge.sum())))[:, None]
    elif kind == "grass":  # sky over a tree line
        tex = np.empty((n, n, 3), np.float32)
        tex[:] = np.array([150, 185, 225], np.float32) * (0.85 + 0.15 * (1 - yy))[..., None]
        crown = 0.55 + 0.08 * np.sin(xx * 2 * np.pi * 7) + 0.05 * np.sin(xx * 2 * np.pi * 17 + 1.0)
        trees = yy > crown
        tex[trees] = np.array([45, 85, 40], np.float32) * (0.7 + 0.4 * rng.random(int(trees.sum())))[:, None]
    elif kind == "treadmill":  # a gym wall: darker panels, a mirror band, equipment silhouettes
        tex = np.empty((n, n, 3), np.float32)
        tex[:] = (150, 155, 160)
        tex[(yy > 0.35) & (yy < 0.75)] = (185, 195, 205)
        tex[yy > 0.92] = (60, 62, 68)
        racks = (((xx * size) % 1.6) < 0.25) & (yy > 0.6)
        tex[racks] = (50, 50, 56)
    elif kind == "white_hall":  # white wall with a pale skirting
        tex = np.empty((n, n, 3), np.float32)
        tex[:] = (240, 240, 238)
        tex[yy > 0.95] = (215, 215, 212)
    else:  # hall: brick-ish blocks
        rows = np.floor(yy * size / 0.25)
        off = (rows % 2) * 0.25
        blocks = np.floor((xx * size + off) / 0.5) + 31 * rows
        shade = 0.85 + 0.15 * rng.random(int(blocks.max()) + 1)[blocks.astype(int)]
        tex = np.array([170, 160, 150], np.float32) * shade[..., None]
        mortar = (((yy * size / 0.25) % 1) < 0.07) | ((((xx * size + off) / 0.5) % 1) < 0.035)
        tex[mortar] = (120, 115, 110)
    return tex


@dataclass(frozen=True)
class FrameGeometry:
    """What the rasteriser saw in one frame: projected vertices, their depths and the drawn (front) faces."""

    uv_px: np.ndarray  # [N, 2]
    depth_m: np.ndarray  # [N]
    drawn_faces: np.ndarray  # [K] quad indices, far to near


class Renderer:
    """Render frames of a body for a fixed camera orientation (position may change per frame)."""

    def __init__(
        self,
        body: Body,
        skin: str,
        outfit: str,
        background: str,
        seed: int,
        camera: Camera,
        wall_distance_m: float,
        shoes_colour: str | None = None,
        legwear: str = "shorts",
        lighting: str = "standard",
    ) -> None:
        self.body = body
        rng = np.random.default_rng(seed + 7919)
        self.floor_tex, self.floor_size = _texture(background, rng, "floor")
        self.wall_tex, self.wall_size = _texture(background, rng, "wall")
        mats = face_materials(body, legwear)
        shirt, shorts, shoes, sole = OUTFITS[outfit]
        if shoes_colour is not None:
            shoes, sole = SHOE_COLOURS[shoes_colour]
        self.lighting = LIGHTING[lighting]
        self._noise_rng = np.random.default_rng([seed, 13])
        palette = np.array([SKINS[skin], shirt, shorts, shoes, HAIR_RGB, sole], np.float32)
        self.albedo = palette[mats] * (0.96 + 0.08 * rng.random((len(mats), 1))).astype(np.float32)
        self.quads = body.quads
        w, h = camera.width_px, camera.height_px
        self.size = (w, h)
        rays = camera.ray_dirs()
        self._rot = camera.rot
        fwd_h = camera.rot[2] * np.array([1, 0, 1.0])
        fwd_h /= np.linalg.norm(fwd_h)
        right_h = np.cross(fwd_h, UP)
        self._wall_right = right_h
        # floor hit (camera height fixed): t_f = cam_y / -ray_y
        ry = rays[..., 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            t_floor = np.where(ry < -1e-6, camera.position_m[1] / -ry, np.inf)
            t_wall = np.where(rays @ fwd_h > 1e-6, wall_distance_m / (rays @ fwd_h), np.inf)
        self._is_floor = t_floor < t_wall
        tf = np.where(self._is_floor, t_floor, 0.0)
        tw = np.where(self._is_floor, 0.0, np.minimum(t_wall, 1e3))
        self._floor_ppm = self.floor_tex.shape[0] / self.floor_size
        self._wall_ppm = self.wall_tex.shape[0] / self.wall_size
        lim = 3e4  # cv2.remap works in 16-bit fixed point: keep the maps in range (only the horizon is clipped)
        self._floor_mx = np.clip(tf * rays[..., 0] * self._floor_ppm, -lim, lim).astype(np.float32)
        self._floor_my = np.clip(tf * rays[..., 2] * self._floor_ppm, -lim, lim).astype(np.float32)
        self._wall_mx = np.clip(tw * (rays @ right_h) * self._wall_ppm, -lim, lim).astype(np.float32)
        wall_h = camera.position_m[1] + tw * ry  # height of the wall point, metres (camera height is fixed)
        self._wall_my = np.clip((self.wall_size - wall_h) * self._wall_ppm, 0, self.wall_tex.shape[0] - 1).astype(
            np.float32
        )
        self._floor_mask = self._is_floor.astype(np.uint8)
        # light: from above, a little toward the camera
        light = -camera.rot[2] + np.array([0.0, 1.6, 0.0]) + camera.rot[0] * 0.4
        self.light = light / np.linalg.norm(light)
        self._bg_cache: tuple[tuple[float, float, float], np.ndarray] | None = None

    def background(self, camera: Camera) -> np.ndarray:
        """The room as seen from ``camera`` (RGB uint8 [H, W, 3]); cached while the camera does not move."""
        key = tuple(float(x) for x in camera.position_m)
        if self._bg_cache is not None and self._bg_cache[0] == key:
            return self._bg_cache[1]
        c = camera.position_m
        wrap = cv2.BORDER_WRAP
        fx = self._floor_mx + np.float32(c[0] * self._floor_ppm)
        fy = self._floor_my + np.float32(c[2] * self._floor_ppm)
        out = cv2.remap(
            self.wall_tex,
            self._wall_mx + np.float32(float(c @ self._wall_right) * self._wall_ppm),
            self._wall_my,
            cv2.INTER_LINEAR,
            borderMode=wrap,
        )
        floor = cv2.remap(self.floor_tex, fx, fy, cv2.INTER_LINEAR, borderMode=wrap)
        cv2.copyTo(floor, self._floor_mask, out)
        self._bg_cache = (key, out)  # type: ignore[assignment]
        return out

    def render(
        self, camera: Camera, verts_m: np.ndarray, shadow_at_m: np.ndarray | None = None
    ) -> tuple[np.ndarray, FrameGeometry]:
        """One RGB frame (the room, a soft shadow under ``shadow_at_m``, the skinned body) and its
        geometry."""
        w, h = self.size
        bg = self.background(camera)
        if shadow_at_m is not None:
            bg = self._shadow(bg, camera, shadow_at_m)
        canvas = cv2.resize(bg, (w * SS, h * SS), interpolation=cv2.INTER_LINEAR)
        q = verts_m[self.quads]  # [F, 4, 3]
        normal = np.cross(q[:, 2] - q[:, 0], q[:, 3] - q[:, 1])
        centre = q.mean(axis=1)
        facing = np.einsum("fi,fi->f", normal, camera.position_m - centre) > 0
        uv, depth = camera.project(verts_m)
        idx = np.flatnonzero(facing)
        order = idx[np.argsort(-depth[self.quads[idx]].mean(axis=1), kind="stable")]
        nrm = normal[order]
        nrm /= np.linalg.norm(nrm, axis=1, keepdims=True) + 1e-12
        lam = self.lighting.ambient + self.lighting.diffuse * np.clip(nrm @ self.light, 0, 1)
        col = np.clip(self.albedo[order] * lam[:, None], 0, 255).astype(np.uint8).tolist()
        pts = np.round((uv[self.quads[order]] * SS - 0.5) * (1 << SHIFT)).astype(np.int32)
        fill = cv2.fillConvexPoly
        for poly, c in zip(pts, col, strict=True):
            fill(canvas, poly, c, cv2.LINE_8, SHIFT)
        return cv2.resize(canvas, (w, h), interpolation=cv2.INTER_AREA), FrameGeometry(uv, depth, order)

    def expose(self, img: np.ndarray) -> np.ndarray:
        """The frame under the lighting preset: gain and tint, then sensor noise (unchanged for "standard")."""
        lit = self.lighting
        if lit.gain == 1.0 and lit.tint == (1.0, 1.0, 1.0) and lit.noise == 0.0:
            return img
        out = img.astype(np.float32) * (lit.gain * np.array(lit.tint, np.float32))
        if lit.noise > 0:
            out += self._noise_rng.normal(0.0, lit.noise, img.shape[:2])[..., None].astype(np.float32)
        return np.clip(out, 0, 255).astype(np.uint8)

    def _shadow(self, bg: np.ndarray, camera: Camera, at: np.ndarray) -> np.ndarray:
        ang = np.linspace(0, 2 * math.pi, 24, endpoint=False)
        ring = np.stack([at[0] + 0.45 * np.cos(ang), np.zeros_like(ang), at[2] + 0.25 * np.sin(ang)], axis=1)
        uv, z = camera.project(ring)
        if np.any(z <= 0.1):
            return bg
        mask = np.zeros(bg.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(uv * 4).astype(np.int32)], 255, cv2.LINE_AA, 2)
        x0, y0 = np.maximum(uv.min(0).astype(int) - 12, 0)
        x1, y1 = np.minimum(uv.max(0).astype(int) + 12, (bg.shape[1], bg.shape[0]))
        if x1 <= x0 or y1 <= y0:  # the shadow falls outside the frame
            return bg
        sub = cv2.GaussianBlur(mask[y0:y1, x0:x1], (0, 0), 5).astype(np.float32) / 255.0
        out = bg.copy()
        out[y0:y1, x0:x1] = (out[y0:y1, x0:x1] * (1 - 0.35 * sub[..., None])).astype(np.uint8)
        return out
