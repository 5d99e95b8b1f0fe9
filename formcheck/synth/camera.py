"""Pinhole camera and the view presets (side, oblique, front, back) of synthetic clips.

Image coordinates are continuous pixels: x to the right, y down, the top-left corner of the image at (0, 0)
and pixel ``i`` spanning ``[i, i + 1)`` (so ``x = normalised_x * width``, as MediaPipe's landmarks scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.synth.gait import FACING, LEFT_W, UP, Motion
from formcheck.synth.params import SynthParams

FIGURE_HEIGHT_M = 1.75  # what the auto distance frames: the body plus some room for arms and feet
AIM_HEIGHT_M = 0.88  # the camera aims at this height above the runner's ground point


@dataclass(frozen=True)
class Camera:
    """A pinhole camera: ``rot`` rows are the camera's x (right), y (down), z (viewing) axes in world."""

    position_m: np.ndarray
    rot: np.ndarray
    focal_px: float
    width_px: int
    height_px: int

    def to_camera(self, pts_m: np.ndarray) -> np.ndarray:
        """World points [..., 3] -> camera coordinates [..., 3] (z = depth in front of the camera)."""
        return (pts_m - self.position_m) @ self.rot.T

    def project(self, pts_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixel positions [..., 2] and depths [...] of world points."""
        c = self.to_camera(pts_m)
        z = c[..., 2]
        zs = np.where(np.abs(z) < 1e-6, 1e-6, z)
        uv = np.stack(
            [
                self.focal_px * c[..., 0] / zs + self.width_px / 2,
                self.focal_px * c[..., 1] / zs + self.height_px / 2,
            ],
            axis=-1,
        )
        return uv, z

    def ray_dirs(self, scale: int = 1) -> np.ndarray:
        """World direction [H*scale, W*scale, 3] of the ray through each pixel centre (unnormalised)."""
        h, w = self.height_px * scale, self.width_px * scale
        xs = ((np.arange(w) + 0.5) / scale - self.width_px / 2) / self.focal_px
        ys = ((np.arange(h) + 0.5) / scale - self.height_px / 2) / self.focal_px
        gx, gy = np.meshgrid(xs, ys)
        cam = np.stack([gx, gy, np.ones_like(gx)], axis=-1)
        return cam @ self.rot


def look_at(eye: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Rotation whose rows are the right, down and forward axes of a camera at ``eye`` looking at
    ``target``."""
    fwd = target - eye
    fwd = fwd / np.linalg.norm(fwd)
    right = np.cross(fwd, UP)
    right /= np.linalg.norm(right)
    down = np.cross(fwd, right)
    return np.stack([right, down, fwd])


def view_direction(params: SynthParams) -> np.ndarray:
    """Horizontal unit vector from the runner toward the camera."""
    side = -LEFT_W if params.side == "right" else LEFT_W
    if params.view == "side":
        return side
    if params.view == "front":
        return FACING.copy()
    if params.view == "back":
        return -FACING
    v = side + FACING  # oblique: halfway between the side and the front
    return v / np.linalg.norm(v)


def focal_px(params: SynthParams) -> float:
    """Focal length in pixels from the vertical field of view."""
    return params.height_px / 2 / math.tan(math.radians(params.vertical_fov_deg) / 2)


def auto_distance_m(params: SynthParams) -> float:
    """Distance at which the figure fills about 78 % of the frame height (less in portrait), as a phone filming
    a runner side-on from a few metres does; the feet then span about 50 px at 640x480."""
    fill = 0.78 if params.width_px >= params.height_px else 0.6
    vis = FIGURE_HEIGHT_M / fill
    d_v = vis / (2 * math.tan(math.radians(params.vertical_fov_deg) / 2))
    # the width must hold a stride (about 1.3 m) too
    f = focal_px(params)
    d_h = 1.5 * f / (params.width_px * 0.85)
    return max(d_v, d_h)


def camera_track(params: SynthParams, motion: Motion) -> list[Camera]:
    """One camera per frame: following the pelvis (``camera="follow"``) or fixed over the whole path."""
    f = focal_px(params)
    vdir = view_direction(params)
    track = motion.pelvis_track_x_m
    dist = params.camera_distance_m or auto_distance_m(params)
    if params.camera == "static":
        lo, hi = float(track.min()), float(track.max())
        centre = (lo + hi) / 2
        along = abs(float(vdir @ FACING))
        across = math.sqrt(max(0.0, 1 - along**2))
        if params.camera_distance_m is None and across > 0.3:
            # fit the whole path across the frame width
            extent = (hi - lo) * across + 1.4
            dist = max(dist, extent * f / params.width_px)
        if along > 0.3:  # front/back/oblique: keep the camera clear of the whole path
            ends = np.array([lo, hi])
            nearest = ends[np.argmax(ends * float(vdir @ FACING))]
            centre = float(nearest) if along > 0.9 else centre
        target = np.array([centre, AIM_HEIGHT_M, 0.0])
        eye = target + vdir * dist
        eye[1] = params.camera_height_m
        cam = Camera(
            position_m=eye,
            rot=look_at(eye, target),
            focal_px=f,
            width_px=params.width_px,
            height_px=params.height_px,
        )
        return [cam] * len(track)
    cams = []
    rot = None
    for x in track:
        target = np.array([float(x), AIM_HEIGHT_M, 0.0])
        eye = target + vdir * dist
        eye[1] = params.camera_height_m
        if rot is None:
            rot = look_at(eye, target)
        cams.append(Camera(position_m=eye, rot=rot, focal_px=f, width_px=params.width_px, height_px=params.height_px))
    return cams
