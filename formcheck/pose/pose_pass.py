"""The pose pass: detect and track every person over the whole video -> :class:`PoseTracks`.

The video is split into runs of consecutive frames (one per landmarker, ``pose.threads()``), each decoded and
detected on its own threads at once; the results are tracked in frame order. Each landmarker sees consecutive
frames, as MediaPipe's video mode expects. Frames are decoded scaled to ``pose.max_long_side_px`` (FFmpeg's
scaler, in the same step as the conversion to RGB: a 4K frame never reaches Python at full size) and the landmarks
are given back in the input's pixels.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from formcheck.config import Config
from formcheck.pose.athlete import order_candidates
from formcheck.pose.extract import Landmarker
from formcheck.pose.pixels import FrameSample, PixelSampler
from formcheck.pose.sequence import mean_fps
from formcheck.pose.store import PoseTracks, video_fingerprint
from formcheck.pose.tracking import PersonTracker
from formcheck.progress import Progress
from formcheck.timing import StageClock, stage, timed_iter
from formcheck.video.reader import Frame, VideoInfo, iter_frames
from formcheck.video.stream import map_chunks

#: One frame's detections: (frame index, time s, image landmarks per person, world landmarks per person, what
#: the pixels said: background shift and each person's colours).
Detections = tuple[int, float, list, list, FrameSample]


def pose_chunks(info: VideoInfo, threads: int, min_frames: int) -> list[tuple[int, int | None]]:
    """Split the video into ``threads`` runs of consecutive frames ``(start, stop)`` (stop None: to the end), each
    at least ``min_frames`` long; one run when the frame count is unknown."""
    n = info.frames
    k = max(1, min(threads, n // max(min_frames, 1))) if n else 1
    bounds = [round(n * i / k) for i in range(k + 1)]
    return [(bounds[i], bounds[i + 1] if i < k - 1 else None) for i in range(k)]


def pose_settings_key(config: Config) -> str:
    """SHA-256 of what, beside the video and the model, decides the pose file: the formcheck version and the pose
    tracking and athlete-choice settings. A pose file made with another key is computed again rather than
    reused."""
    from formcheck import __version__

    blob = json.dumps(
        {
            "formcheck": __version__,
            "pose": config.pose.model_dump(),
            "tracking": config.tracking.model_dump(),
            "athlete": config.athlete.model_dump(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def inference_size(info: VideoInfo, max_long_side_px: int) -> tuple[int, int]:
    """Size (width, height px) of the frames the pose models are given: the input's, shrunk so its long side is
    at most ``max_long_side_px`` (0 keeps the input size)."""
    long_side = max(info.width, info.height)
    if not max_long_side_px or long_side <= max_long_side_px:
        return info.width, info.height
    scale = max_long_side_px / long_side
    return max(int(round(info.width * scale)), 1), max(int(round(info.height * scale)), 1)


def _detector(
    landmarker: Landmarker, full: tuple[int, int], clock: StageClock | None = None
) -> Callable[[Frame], Detections]:
    """Detect on each (possibly scaled) frame; landmarks and the background shift come back in the pixels of the
    ``full`` (width, height px) input frame."""
    sampler = PixelSampler()  # one per run of frames: the background shift needs the run's previous frame

    def detect(frame: Frame) -> Detections:  # the pixels are dropped here, after sampling what tracking needs
        h, w = frame.rgb.shape[:2]
        with stage(clock, "pose.inference"):
            image, world = landmarker.detect(frame.rgb, frame.time_s, size=full)
        with stage(clock, "pose.pixels"):
            if (w, h) == full:
                sample = sampler.sample(frame.rgb, image)
            else:  # sampled on the scaled frame, given back in the input's pixels
                to_frame = np.array([w / full[0], h / full[1], 1.0, 1.0], dtype=np.float32)
                got = sampler.sample(frame.rgb, [lm * to_frame for lm in image])
                back = np.array([full[0] / w, full[1] / h])
                sample = FrameSample(shift_px=got.shift_px * back, colours=got.colours)
        return frame.index, frame.time_s, image, world, sample

    return detect


def run_pose_pass(
    info: VideoInfo,
    model_name: str,
    model_path: Path,
    config: Config,
    progress: Progress | None,
    clock: StageClock | None = None,
) -> PoseTracks:
    """Every person's landmarks over ``info``'s video (see the module docstring); ``clock`` (optional) is told
    the threads' busy time: decoding, inference, pixel sampling, tracking."""
    fps = info.fps or config.video.fallback_fps
    tracker = PersonTracker(config.tracking, fps)
    times: list[float] = []
    expected = info.frames or int(round(info.duration_s * fps))
    chunks = pose_chunks(info, config.pose.threads(), config.pose.min_chunk_frames)
    with ExitStack() as stack:
        landmarkers = [stack.enter_context(Landmarker(model_path, config.pose)) for _ in chunks]
        share = config.video.max_lost_share  # damaged packets: skipped up to this share of the frames
        threads = config.video.decoder_threads
        size = inference_size(info, config.pose.max_long_side_px)  # scaled by FFmpeg while converting to RGB
        sources = [
            timed_iter(
                clock,
                "pose.decode",
                iter_frames(info, threads=threads, size=size, start=a, stop=b, max_lost_share=share),
            )
            for a, b in chunks
        ]
        shifts: list[np.ndarray] = []
        for index, time_s, image, world, sample in map_chunks(
            sources, [_detector(lm, (info.width, info.height), clock) for lm in landmarkers]
        ):
            with stage(clock, "pose.tracking"):
                tracker.update(index, time_s, image, world, sample.colours)
            times.append(time_s)
            shifts.append(sample.shift_px)
            if progress is not None:
                progress(len(times), expected, "pose")
    people, people_world, scores, _ = tracker.finish(len(times))
    shift = np.asarray(shifts, dtype=np.float64).reshape(-1, 2)
    people, people_world, scores, evidence = order_candidates(people, people_world, scores, shift, fps, config.athlete)
    ts = np.asarray(times, dtype=np.float64)
    return PoseTracks(
        image=people,
        world=people_world,
        scores=scores,
        timestamps_s=ts,
        fps=mean_fps(ts, fps),
        width=info.width,
        height=info.height,
        source=info.path,
        model=model_name,
        rotation_deg=info.rotation_deg,
        fingerprint=video_fingerprint(info.path),
        settings=pose_settings_key(config),
        evidence=evidence,
        background_shift_px=shift,
    )
