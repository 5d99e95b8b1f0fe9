"""The render pass: read the frames back from the working copy (or decode the video again, scaled to the output
size while converting to RGB), draw the verdict overlay (and the other people, dimmed), encode annotated.mp4
(H.264). Inference is over, so reading, drawing and encoding overlap on all cores.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from formcheck.config import Config
from formcheck.overlay.plan import OverlayPlan
from formcheck.overlay.skeleton import OTHER_RGB, SkeletonAnnotator
from formcheck.overlay.verdicts import VerdictOverlay
from formcheck.pose.store import PoseTracks
from formcheck.progress import Progress
from formcheck.timing import StageClock, stage, timed_iter
from formcheck.video.reader import Frame, VideoInfo, iter_frames
from formcheck.video.stream import run_streaming
from formcheck.video.working_copy import WorkingCopy, working_size
from formcheck.video.writer import H264Writer


def output_size(info: VideoInfo, config: Config) -> tuple[int, int, float]:
    """Size (width, height px, both even: yuv420p) of annotated.mp4 and its scale from the input (output px per
    input px): the working copy's size (:func:`formcheck.video.working_copy.working_size`: the input's, shrunk so
    its long side is at most ``video.max_long_side_px``)."""
    w, h = working_size(info, config.video.max_long_side_px)
    return w, h, w / info.width


def _copy_frames(copy: WorkingCopy, size: tuple[int, int]) -> Iterator[Frame]:
    """The working copy's frames at ``size`` (width, height px)."""
    for i in range(copy.n_frames):
        yield Frame(index=i, time_s=copy.times_s[i], rgb=copy.rgb(i, size))


def render_annotated(
    info: VideoInfo,
    tracks: PoseTracks,
    person: int,
    plan: OverlayPlan,
    config: Config,
    out_path: Path,
    progress: Progress | None,
    clock: StageClock | None = None,
    copy: WorkingCopy | None = None,
) -> None:
    """Write annotated.mp4 to ``out_path``: ``info``'s video with ``plan`` drawn on it (``person`` is the judged
    track; the other tracks of ``tracks`` are drawn dimmed), its frames read from the working copy ``copy`` when
    there is one (else decoded again). ``clock`` (optional) is told each thread's busy
    time: decoding and scaling, drawing, encoding."""
    w, h, scale = output_size(info, config)
    overlay = VerdictOverlay(plan, scale)
    others = SkeletonAnnotator(OTHER_RGB, thickness_px=2.0)
    to_out = np.array([scale, scale, 1.0, 1.0], dtype=np.float32)
    fps = info.fps or config.video.fallback_fps
    with H264Writer(
        out_path, w, h, fps, crf=config.video.crf, preset=config.video.preset, tune=config.video.tune
    ) as writer:

        def draw(frame: Frame) -> tuple[float, np.ndarray]:
            with stage(clock, "render.draw"):
                return _draw(frame)

        def _draw(frame: Frame) -> tuple[float, np.ndarray]:
            scene = frame.rgb if frame.rgb.flags.writeable else frame.rgb.copy()
            i = min(frame.index, tracks.image.shape[1] - 1)
            for p in range(tracks.n_people):
                if p != person:
                    others.annotate(scene, tracks.image[p, i] * to_out)
            return frame.time_s, overlay.annotate(scene, frame.index)

        def encode(item: tuple[float, np.ndarray]) -> None:
            with stage(clock, "render.encode"):
                writer.write(item[1], item[0])
            if progress is not None:
                progress(writer.frames_written, tracks.image.shape[1], "video")

        if copy is not None:
            frames: Iterator[Frame] = _copy_frames(copy, (w, h))
        else:
            frames = iter_frames(info, size=(w, h), max_lost_share=config.video.max_lost_share)
        run_streaming(timed_iter(clock, "render.decode", frames), draw, encode)
