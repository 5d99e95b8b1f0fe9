"""The sweep: everyone in the video, looked for on a few frames a second, with the source decoded once.

The source is decoded once (FFmpeg's threads); every frame goes to the working copy
(:mod:`formcheck.video.working_copy`) when there is one, and every ``stride``-th frame (``pose.sweep_hz``) is
searched for people by landmarkers in IMAGE mode (the person detector on every searched frame: who is found does
not depend on the order frames come in), several at once on a pool of threads. Each searched frame also gives the
background's shift since the previous searched frame (phase correlation of thumbnails) and each person's colours,
for the tracker and the athlete choice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import numpy as np

from formcheck.config import Config
from formcheck.pose.pixels import grey_thumbnail, person_colours, phase_shift
from formcheck.progress import Progress
from formcheck.timing import StageClock
from formcheck.timing import stage as clocked
from formcheck.video.bars import Box
from formcheck.video.reader import VideoInfo, decoded_frames, upright
from formcheck.video.working_copy import WorkingCopy


@dataclass(frozen=True)
class Sweep:
    """What the sweep found. ``times_s [T]``: every frame's time (s); ``frames [S]``: the searched frames'
    indices; per searched frame the image landmarks (x, y px of the input), world landmarks and colours of each
    person found; ``shifts_px [S, 2]``: the background's shift since the previous searched frame (px of the input,
    NaN for the first)."""

    times_s: np.ndarray
    frames: np.ndarray
    image: list[list[np.ndarray]]
    world: list[list[np.ndarray]]
    colours: list[list[np.ndarray]]
    shifts_px: np.ndarray
    stride: int


def sweep_stride(fps: float, sweep_hz: float) -> int:
    """Frames between searched frames: ``fps / sweep_hz`` rounded, at least 1."""
    return max(int(round(fps / sweep_hz)), 1)


def run_sweep(
    info: VideoInfo,
    config: Config,
    make: Callable[[], Any],
    copy: WorkingCopy | None,
    sweep_size: tuple[int, int],
    progress: Progress | None,
    clock: StageClock | None = None,
    workers: int | None = None,
    picture: Box | None = None,
) -> Sweep:
    """Decode ``info``'s video once, store it in ``copy`` (if any), search every stride-th frame at
    ``sweep_size`` (width, height px, upright) with ``workers`` (default ``pose.threads()``) landmarkers made by
    ``make()``, each on its own thread, the searched frames dealt to them in turn (so each sees its frames in
    order, as a VIDEO-mode landmarker needs). ``picture`` (x0, y0, w, h px of the input; None: the whole frame):
    the part of each frame searched, the picture inside black bars (:mod:`formcheck.video.bars`)."""
    fps = info.fps or config.video.fallback_fps
    stride = sweep_stride(fps, config.pose.sweep_hz)
    k = info.rotation_deg // 90
    sw, sh = (sweep_size[1], sweep_size[0]) if k % 2 else sweep_size
    back = np.array([info.width / sweep_size[0], info.height / sweep_size[1]])
    expected = info.frames or int(round(info.duration_s * fps))
    times: list[float] = []
    found: dict[int, tuple[list, list, list]] = {}
    shifts: list[np.ndarray] = []
    searched: list[int] = []
    n = workers or config.pose.threads()
    with ExitStack() as stack:
        searchers = [stack.enter_context(make()) for _ in range(n)]
        pools = [stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="formcheck-sweep")) for _ in searchers]
        for pool in pools:
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)
        pending: deque[Future] = deque()

        # the part searched, px of the searched frames: the picture inside black bars, else the whole frame
        bx, by, bw, bh = picture if picture is not None else (0, 0, info.width, info.height)
        x0, y0 = int(round(bx / back[0])), int(round(by / back[1]))
        x1, y1 = int(round((bx + bw) / back[0])), int(round((by + bh) / back[1]))
        offset = np.array([x0, y0, 0.0, 0.0], dtype=np.float32)
        scale = np.array([back[0], back[1], back[0], 1.0], dtype=np.float32)

        def search(lm: object, index: int, rgb: np.ndarray, time_s: float) -> None:
            part = np.ascontiguousarray(rgb[y0:y1, x0:x1])  # the whole frame: the frame itself, not a copy
            with clocked(clock, "pose.inference"):
                image, world = lm.detect(part, time_s)  # type: ignore[attr-defined]
            colours = [person_colours(part, p) for p in image]
            found[index] = ([(p + offset) * scale for p in image], world, colours)

        prev: np.ndarray | None = None
        for index, t, frame in decoded_frames(info, max_lost_share=config.video.max_lost_share):
            times.append(t)
            with clocked(clock, "pose.decode"):
                yuv = copy.append(frame, t) if copy is not None else None
                if index % stride:
                    continue
                if yuv is not None and copy is not None and copy.geometry.stored == (sw, sh):
                    rgb = copy.to_rgb(yuv)
                else:
                    rgb = upright(frame.to_ndarray(format="rgb24", width=sw, height=sh, interpolation="AREA"), k)
            with clocked(clock, "pose.pixels"):
                thumb, step = grey_thumbnail(rgb)
                shift = np.full(2, np.nan)
                if prev is not None and prev.shape == thumb.shape:
                    shift = phase_shift(prev, thumb) * step * back
                prev = thumb
            shifts.append(shift)
            searched.append(index)
            k_ = len(searched) % n  # searched frames dealt in turn: each searcher sees its frames in order
            pending.append(pools[k_].submit(search, searchers[k_], index, rgb, t))
            while len(pending) > 2 * n or (pending and pending[0].done()):
                pending.popleft().result()
            if progress is not None:
                progress(index + 1, expected, "pose")
        while pending:
            pending.popleft().result()
    order = sorted(found)
    return Sweep(
        times_s=np.asarray(times, dtype=np.float64),
        frames=np.asarray(order, dtype=np.int64),
        image=[found[i][0] for i in order],
        world=[found[i][1] for i in order],
        colours=[found[i][2] for i in order],
        shifts_px=np.asarray(shifts, dtype=np.float64).reshape(-1, 2),
        stride=stride,
    )
