"""Generate a synthetic clip: an H.264 mp4 plus ``<name>.truth.json`` beside it, both written atomically."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from formcheck.errors import OutputError
from formcheck.synth.camera import Camera, auto_distance_m, camera_track
from formcheck.synth.gait import GaitModel, Motion
from formcheck.synth.params import SynthParams
from formcheck.synth.render import Renderer
from formcheck.synth.shoes import load_shod_body
from formcheck.synth.skinning import Pose, skin
from formcheck.synth.truth import Truth, TruthBuilder

WALL_BEHIND_M = 3.5  # the wall stands this far behind the runner (from the camera's point of view)
#: motion_blur: sub-frames per frame (spread over 2/3 of the frame interval: a 1/45 s shutter at 30 fps)
BLUR_SUBFRAMES = 3


def subsample_motion(hi: Motion, every: int, params: SynthParams) -> Motion:
    """The motion of ``params`` (frame rate ``params.fps``) from one sampled ``every`` times as often."""
    n = params.n_frames
    contacts = [c for c in hi.contacts if math.ceil(c.time_s * params.fps - 1e-9) < n]
    return Motion(
        time_s=hi.time_s[::every][:n],
        poses=hi.poses[::every][:n],
        stance={f: a[::every][:n] for f, a in hi.stance.items()},
        contacts=contacts,
        direction=hi.direction[::every][:n],
        pelvis_track_x_m=hi.pelvis_track_x_m[::every][:n],
        head_yaw_cmd_deg=hi.head_yaw_cmd_deg[::every][:n],
    )


def truth_path_for(out_mp4: str | Path) -> Path:
    """``clip.mp4`` -> ``clip.truth.json`` in the same folder."""
    out_mp4 = Path(out_mp4)
    return out_mp4.with_name(out_mp4.stem + ".truth.json")


class Synthesizer:
    """Renders the frames of one clip and measures its truth. Deterministic for a given ``params.seed``."""

    def __init__(self, params: SynthParams, video_name: str = "clip.mp4") -> None:
        self.params = params
        self.body = load_shod_body()
        self._sub: tuple[Motion, list[Camera]] | None = None
        if params.motion_blur:
            # the motion sampled at BLUR_SUBFRAMES x the frame rate; frame k is the middle sub-frame of its group
            fine = params.model_copy(update={"fps": params.fps * BLUR_SUBFRAMES, "motion_blur": False})
            hi = GaitModel(self.body, fine).build()
            self._sub = (hi, camera_track(fine, hi))
            self.motion = subsample_motion(hi, BLUR_SUBFRAMES, params)
        else:
            self.motion = GaitModel(self.body, params).build()
        self.cameras = camera_track(params, self.motion)
        dist = params.camera_distance_m or auto_distance_m(params)
        self.renderer = Renderer(
            self.body,
            params.skin,
            params.outfit,
            params.background,
            params.seed,
            self.cameras[0],
            wall_distance_m=dist + WALL_BEHIND_M,
            shoes_colour=params.shoes,
            legwear=params.legwear,
            lighting=params.lighting,
        )
        self.truth_builder = TruthBuilder(self.body, params, self.motion, video_name)

    @property
    def n_frames(self) -> int:
        return len(self.motion.poses)

    def frame(self, k: int, measure: bool = False) -> np.ndarray:
        """RGB uint8 [H, W, 3] of frame ``k``; with ``measure`` also record its truth (call in frame
        order)."""
        pose = self.motion.poses[k]
        verts = skin(self.body, pose)
        cam = self.cameras[k]
        img, geom = self.renderer.render(cam, verts, shadow_at_m=self._shadow_at(pose))
        if self._sub is not None:  # motion blur: the mean of the sub-frames around this frame's instant
            hi, cams = self._sub
            acc = img.astype(np.float32)
            mid = k * BLUR_SUBFRAMES
            for j in (mid - 1, mid + 1):
                j = min(max(j, 0), len(hi.poses) - 1)
                sub, _ = self.renderer.render(cams[j], skin(self.body, hi.poses[j]), self._shadow_at(hi.poses[j]))
                acc += sub
            img = np.round(acc / BLUR_SUBFRAMES).astype(np.uint8)
        if measure:
            self.truth_builder.add_frame(k, pose, verts, cam, geom)
        return self.renderer.expose(img)

    def _shadow_at(self, pose: Pose) -> np.ndarray:
        hip = (pose.head_m[self.body.bone("upperleg01.L")] + pose.head_m[self.body.bone("upperleg01.R")]) / 2
        return np.array([hip[0], 0.0, hip[2]])

    def truth(self) -> Truth:
        """The truth after every frame was rendered with ``measure=True``."""
        return self.truth_builder.finish(self.cameras)


def generate_clip(
    params: SynthParams, out_mp4: str | Path, progress: Callable[[int, int], None] | None = None
) -> Truth:
    """Render ``params`` to ``out_mp4`` and write its truth to ``<stem>.truth.json`` beside it.

    Both files appear only when complete. ``progress(done, total)`` is called after each frame.
    """
    from formcheck.video.writer import H264Writer

    out_mp4 = Path(out_mp4)
    if out_mp4.suffix.lower() != ".mp4":
        raise OutputError(f"output must be an .mp4 file, got {out_mp4.name}")
    synth = Synthesizer(params, video_name=out_mp4.name)
    n = synth.n_frames
    with H264Writer(out_mp4, params.width_px, params.height_px, params.fps, crf=params.crf) as writer:
        for k in range(n):
            writer.write(synth.frame(k, measure=True), time_s=k / params.fps)
            if progress is not None:
                progress(k + 1, n)
    truth = synth.truth()
    truth.save(truth_path_for(out_mp4))
    return truth
