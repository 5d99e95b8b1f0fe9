"""The pose pass: detect and track every person over the whole video -> :class:`PoseTracks`.

The video is split into runs of consecutive frames (one per landmarker, ``pose.threads()``), each decoded and
detected on its own threads at once; the results are tracked in frame order. Each landmarker sees consecutive
frames, as MediaPipe's video mode expects. The whole-frame pass decodes frames scaled to
``pose.max_long_side_px`` (FFmpeg's scaler, in the same step as the conversion to RGB: a 4K frame never reaches
Python at full size) and gives the landmarks back in the input's pixels; the tiled pass for small figures reads
full-size frames (its point is the pixels).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import numpy as np

from formcheck.config import Config
from formcheck.pose.athlete import order_candidates
from formcheck.pose.extract import Landmarker
from formcheck.pose.pixels import FrameSample, PixelSampler
from formcheck.pose.sequence import mean_fps
from formcheck.pose.store import PoseTracks, video_fingerprint
from formcheck.pose.tiles import TiledLandmarker
from formcheck.pose.tracking import PersonTracker
from formcheck.progress import Progress
from formcheck.timing import StageClock, timed_iter
from formcheck.timing import stage as clocked
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


class _Detects(Protocol):
    def detect(self, rgb: np.ndarray, time_s: float) -> tuple[list[np.ndarray], list[np.ndarray]]: ...


def inference_size(info: VideoInfo, max_long_side_px: int) -> tuple[int, int]:
    """Size (width, height px) of the frames the pose models are given: the input's, shrunk so its long side is
    at most ``max_long_side_px`` (0 keeps the input size)."""
    long_side = max(info.width, info.height)
    if not max_long_side_px or long_side <= max_long_side_px:
        return info.width, info.height
    scale = max_long_side_px / long_side
    return max(int(round(info.width * scale)), 1), max(int(round(info.height * scale)), 1)


def _detector(
    landmarker: _Detects, full: tuple[int, int], clock: StageClock | None = None
) -> Callable[[Frame], Detections]:
    """Detect on each (possibly scaled) frame; landmarks and the background shift come back in the pixels of the
    ``full`` (width, height px) input frame."""
    sampler = PixelSampler()  # one per run of frames: the background shift needs the run's previous frame

    def detect(frame: Frame) -> Detections:  # the pixels are dropped here, after sampling what tracking needs
        h, w = frame.rgb.shape[:2]
        with clocked(clock, "pose.inference"):
            image, world = landmarker.detect(frame.rgb, frame.time_s)
        with clocked(clock, "pose.pixels"):
            sample = sampler.sample(frame.rgb, image)  # on the frame the landmarks were found in
        if (w, h) != full:  # back to the input's pixels (z is scaled like x)
            sx, sy = full[0] / w, full[1] / h
            back = np.array([sx, sy, sx, 1.0], dtype=np.float32)
            image = [lm * back for lm in image]
            sample = FrameSample(shift_px=sample.shift_px * np.array([sx, sy]), colours=sample.colours)
        return frame.index, frame.time_s, image, world, sample

    return detect


def needs_tiles(tracks: PoseTracks, config: Config) -> bool:
    """Whether to look again on tiles (:mod:`formcheck.pose.tiles`): nobody was found, or the athlete's median
    torso is under ``pose.tile_below_torso_share`` of the frame's short side."""
    if not config.pose.tile_below_torso_share:
        return False
    if tracks.n_people == 0 or not tracks.evidence:
        return True
    short = max(min(tracks.width, tracks.height), 1)
    return float(tracks.evidence[0].get("torso_px") or 0.0) < config.pose.tile_below_torso_share * short


def run_pose_pass(
    info: VideoInfo,
    model_name: str,
    model_path: Path,
    config: Config,
    progress: Progress | None,
    clock: StageClock | None = None,
) -> PoseTracks:
    """Every person's landmarks over ``info``'s video (see the module docstring). When nobody or only a small
    figure is found on the whole frames, a second pass looks on tiles; its tracks are kept when its athlete is
    seen in more frames (``PoseTracks.tiled`` says so). ``clock`` (optional) is told the threads' busy time:
    decoding, inference, pixel sampling, tracking."""
    scaled = inference_size(info, config.pose.max_long_side_px)
    tracks = _one_pass(
        info, model_name, config, progress, "pose", lambda: Landmarker(model_path, config.pose), scaled, clock
    )
    if not needs_tiles(tracks, config):
        return tracks
    tiled = _one_pass(
        info,
        model_name,
        config,
        progress,
        "tiles",
        lambda: TiledLandmarker(model_path, config.pose, info.width, info.height),
        (info.width, info.height),
        clock,
    )
    first = float(tracks.presence()[0]) if tracks.n_people else 0.0
    second = float(tiled.presence()[0]) if tiled.n_people else 0.0
    return replace(tiled, tiled=True) if second > first else tracks


def _one_pass(
    info: VideoInfo,
    model_name: str,
    config: Config,
    progress: Progress | None,
    stage: str,
    make: Callable[[], Landmarker | TiledLandmarker],
    size: tuple[int, int],
    clock: StageClock | None,
) -> PoseTracks:
    """One pass of ``make()`` landmarkers over frames decoded at ``size`` (width, height px)."""
    fps = info.fps or config.video.fallback_fps
    tracker = PersonTracker(config.tracking, fps)
    times: list[float] = []
    expected = info.frames or int(round(info.duration_s * fps))
    chunks = pose_chunks(info, config.pose.threads(), config.pose.min_chunk_frames)
    with ExitStack() as stack:
        landmarkers: list[_Detects] = []
        for _ in chunks:
            made = make()
            stack.enter_context(made)
            landmarkers.append(made)
        share = config.video.max_lost_share  # damaged packets: skipped up to this share of the frames
        threads = config.video.decoder_threads
        sources = [
            timed_iter(
                clock,
                "pose.decode",
                iter_frames(info, threads=threads, size=size, start=a, stop=b, max_lost_share=share),
            )
            for a, b in chunks
        ]
        shifts: list[np.ndarray] = []
        full = (info.width, info.height)
        for index, time_s, image, world, sample in map_chunks(
            sources, [_detector(lm, full, clock) for lm in landmarkers]
        ):
            with clocked(clock, "pose.tracking"):
                tracker.update(index, time_s, image, world, sample.colours)
            times.append(time_s)
            shifts.append(sample.shift_px)
            if progress is not None:
                progress(len(times), expected, stage)
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
