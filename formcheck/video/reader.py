"""Streaming video decoding with PyAV: upright RGB frames with their real presentation times.

Any container/codec FFmpeg reads (phone H.264/HEVC in .mp4/.mov). Rotation metadata (display matrix) is applied so
the athlete is upright. Frames are yielded one at a time: memory does not grow with video length.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from formcheck.errors import InputVideoError

#: Frame rates outside this range (frames/s) are refused: below it there is no gait to see, above it is not a
#: camera we know.
MIN_FPS, MAX_FPS = 5.0, 480.0
#: FFmpeg demuxers of single pictures (``image2``, ``png_pipe``, ``jpeg_pipe``, ...): a still image, not a video.
STILL_IMAGE_FORMATS = frozenset({"image2", "image2pipe", "apng"})


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about the video stream.

    ``width``/``height`` are of the upright picture (after rotation), in pixels. ``rotation_deg`` is FFmpeg's
    display rotation (counter-clockwise degrees, 0/90/180/270). ``fps`` is the stream's average frame rate
    (frames/s, a float: 29.97 stays 29.97). ``frames`` is the header's frame count (0 when unknown).
    """

    path: str
    width: int
    height: int
    rotation_deg: int
    fps: float
    frames: int
    duration_s: float
    codec: str
    container: str


@dataclass(frozen=True)
class Frame:
    """One decoded, upright frame: ``rgb`` is ``uint8[H, W, 3]``; ``time_s`` the presentation time in seconds."""

    index: int
    time_s: float
    rgb: np.ndarray


def _check_path(path: Path) -> None:
    if not path.exists():
        raise InputVideoError(f"video not found: {path}")
    if path.is_dir():
        raise InputVideoError(f"{path} is a folder, not a video file")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the open below forever
            raise InputVideoError(f"{path} is not a regular file (a pipe, device or socket): give a video file")
        size = info.st_size
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise InputVideoError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if size == 0:
        raise InputVideoError(f"{path} is empty (0 bytes)")


def _open(path: Path) -> av.container.InputContainer:
    try:
        return av.open(str(path), mode="r")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise InputVideoError(f"{path} is not a readable video ({_why(exc)})") from exc


def _why(exc: BaseException) -> str:
    """FFmpeg's reason without errno numbers or file names, e.g. 'Invalid data found when processing input'."""
    reason = getattr(exc, "strerror", None)
    if reason:
        return str(reason)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.split(": '")[0]


def upright(rgb: np.ndarray, k: int) -> np.ndarray:
    """``rgb`` (a decoded picture, as stored) turned ``k`` quarter turns counter-clockwise (FFmpeg's display
    rotation // 90), C-contiguous; itself when ``k`` is 0."""
    return np.ascontiguousarray(np.rot90(rgb, k=k)) if k else rgb


def _rotation(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> int:
    """Display rotation (ccw degrees) of the stream, read from its first decoded frame."""
    try:
        for frame in container.decode(stream):
            return int(round(frame.rotation / 90.0)) * 90 % 360
    except av.FFmpegError:
        return 0
    return 0


def _refuse_still_image(
    path: Path, container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> None:
    """A picture (PNG, JPEG, ... whatever its file name says) or a one-frame stream is not a video."""
    fmt = container.format.name
    if fmt in STILL_IMAGE_FORMATS or fmt.endswith("_pipe"):
        raise InputVideoError(f"{path} is a still image ({stream.codec_context.name}), not a video")
    if stream.frames == 1:
        raise InputVideoError(f"{path} holds a single frame (a still image), not a video")


@functools.cache
def default_max_lost_share() -> float:
    """``video.max_lost_share`` of the defaults (for callers that do not pass their configuration's)."""
    from formcheck.config import load_config

    return load_config().video.max_lost_share


def probe(path: str | os.PathLike[str]) -> VideoInfo:
    """Open ``path``, check it holds a usable video stream, and describe it.

    Raises :class:`InputVideoError` with a one-line reason for a missing/empty/unreadable file, a file with no
    video stream (e.g. audio only), an undecodable stream or a frame rate outside 5-480 fps.
    """
    path = Path(path)
    _check_path(path)
    with _open(path) as container:
        if not container.streams.video:
            kinds: list[str] = sorted({s.type for s in container.streams}) or ["no streams"]
            raise InputVideoError(f"{path} has no video stream (found: {', '.join(kinds)})")
        stream = container.streams.video[0]
        _refuse_still_image(path, container, stream)
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 0.0
        rotation = _rotation(container, stream)
        w, h = stream.codec_context.width, stream.codec_context.height
        if not w or not h:
            raise InputVideoError(f"{path}: the video stream has no picture size (corrupt file?)")
        if rotation in (90, 270):
            w, h = h, w
        if stream.duration is not None and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / av.time_base
        else:
            duration = 0.0
        if fps and not (MIN_FPS <= fps <= MAX_FPS):
            raise InputVideoError(f"{path}: frame rate {fps:.2f} fps is outside {MIN_FPS:g}-{MAX_FPS:g} fps")
        return VideoInfo(
            path=str(path),
            width=int(w),
            height=int(h),
            rotation_deg=rotation,
            fps=fps,
            frames=int(stream.frames or 0),
            duration_s=duration,
            codec=stream.codec_context.name,
            container=container.format.name,
        )


def iter_frames(
    info: VideoInfo,
    only: Collection[int] | None = None,
    threads: int = 0,
    size: tuple[int, int] | None = None,
    start: int = 0,
    stop: int | None = None,
    max_lost_share: float | None = None,
) -> Iterator[Frame]:
    """Yield every frame of the video described by ``info`` that decodes, upright, with strictly increasing times (s).

    A damaged packet the decoder refuses is skipped (FFmpeg decides which, the same ones on every pass, so
    ``Frame.index``, the rank among the decoded frames, means the same frame on every pass; ``time_s`` stays the
    frame's own presentation time). When the whole video is read, :class:`InputVideoError` is raised if more than
    ``max_lost_share`` (0..1, default ``video.max_lost_share``) of the frames the header announces did not decode
    (a truncated or badly damaged file), or if no frame decodes at all.

    With ``only``, just the frames with those indices are converted and yielded, and decoding stops after the
    last of them (the others are decoded but never converted to RGB: a cheap way to pick a few frames).
    ``threads``: decoder threads (0 = FFmpeg's automatic choice; 1 leaves the other cores to whatever runs beside
    the decoding). ``size``: (width, height) px of the upright frames wanted, scaled by libswscale (area
    averaging) in the same step as the conversion to RGB; None keeps the video's size. ``start``/``stop``: only the
    frames with ``start <= index < stop`` (stop None: to the end); the frames before ``start`` are decoded, not
    converted.
    """
    k = info.rotation_deg // 90
    scaled: dict[str, object] = {}
    if size is not None and tuple(size) != (info.width, info.height):
        sw, sh = (size[1], size[0]) if k % 2 else (size[0], size[1])  # the stored (pre-rotation) picture
        scaled = {"width": int(sw), "height": int(sh), "interpolation": "AREA"}
    wanted = None if only is None else set(only)
    if wanted is not None and not wanted:
        return
    stop_after = max(wanted) if wanted else -1
    if stop is not None:
        stop_after = stop - 1 if stop_after < 0 else min(stop_after, stop - 1)
        if stop_after < start:
            return
    for index, t, frame in decoded_frames(info, threads, max_lost_share, stop_after):
        if index >= start and (wanted is None or index in wanted):
            rgb = frame.to_ndarray(format="rgb24", **scaled)  # type: ignore[arg-type]
            yield Frame(index=index, time_s=t, rgb=upright(rgb, k))


def decoded_frames(
    info: VideoInfo, threads: int = 0, max_lost_share: float | None = None, stop_after: int = -1
) -> Iterator[tuple[int, float, av.VideoFrame]]:
    """``(index, time s, frame as decoded)`` for every frame of the video that decodes (see :func:`iter_frames`
    for the indices, times and the damage check, which runs when the whole video was read); up to index
    ``stop_after`` only when that is >= 0. The frames are FFmpeg's, before the display rotation."""
    path = Path(info.path)
    index = 0
    last_t = -np.inf
    period = 1.0 / info.fps if info.fps else 1.0 / 30.0
    damage = _Damage()
    with _open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if threads:
            stream.codec_context.thread_count = threads
        for frame in _decodable(container, stream, damage):
            t = frame.time
            if t is None or not np.isfinite(t):
                t = last_t + period if index else 0.0
            if t <= last_t:  # duplicate or out-of-order timestamp: keep order, nudge forward
                t = last_t + 1e-6
            yield index, float(t), frame
            last_t = t
            index += 1
            if stop_after >= 0 and index > stop_after:
                return
    share = default_max_lost_share() if max_lost_share is None else max_lost_share
    _check_losses(path, info, index, damage, share)


class _Damage:
    """What a decoding pass could not read: packets the decoder refused, and a demuxer failure (its reason)."""

    def __init__(self) -> None:
        self.refused = 0
        self.demux_error = ""


def _decodable(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream, damage: _Damage
) -> Iterator[av.VideoFrame]:
    """Every frame the decoder gives; refused packets are skipped and counted; a demuxer error ends the stream."""
    try:
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.FFmpegError:
                damage.refused += 1
                continue
            yield from frames
    except av.FFmpegError as exc:
        damage.demux_error = _why(exc)


def _check_losses(path: Path, info: VideoInfo, decoded: int, damage: _Damage, max_lost_share: float) -> None:
    if decoded == 0:
        raise InputVideoError(f"{path}: no frame could be decoded (truncated or corrupt file)")
    if not info.frames:  # the header does not say how many frames there are
        if damage.demux_error:
            raise InputVideoError(
                f"{path} is corrupt or truncated: reading failed after frame {decoded} ({damage.demux_error})"
            )
        total = decoded + damage.refused
    else:
        total = info.frames
    lost = max(total - decoded, damage.refused)
    if lost > max_lost_share * total:
        if damage.refused:
            raise InputVideoError(
                f"{path} is damaged: {lost} of {total} frames cannot be decoded "
                f"(more than the {100 * max_lost_share:g}% that may be skipped)"
            )
        raise InputVideoError(f"{path} is truncated: {decoded} of {info.frames} frames could be decoded")


def frames_skipped(info: VideoInfo, decoded: int) -> int:
    """Frames the header announces that did not decode (0 when the header gives no count)."""
    return max(0, info.frames - decoded) if info.frames else 0


def frames_at(info: VideoInfo, times_s: Sequence[float]) -> list[Frame | None]:
    """The upright frames shown at ``times_s`` (s, as :func:`iter_frames` reports them), found by seeking to the
    keyframe before each time and decoding forward: a few frames are decoded per picture, not the whole video.

    A time matches the frame within half a frame period; ``None`` where no frame matches. ``Frame.index`` is -1
    (unknown after a seek).
    """
    path = Path(info.path)
    half = 0.5 / info.fps if info.fps else 1.0 / 60.0
    k = info.rotation_deg // 90
    out: list[Frame | None] = []
    with _open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for t in times_s:
            found = None
            try:
                base = float(stream.time_base or 1)
                container.seek(max(int(float(t) / base), 0), stream=stream, backward=True)
                for frame in container.decode(stream):
                    if frame.time is None:
                        continue
                    if frame.time > t + half:
                        break
                    if abs(frame.time - t) <= half:
                        rgb = frame.to_ndarray(format="rgb24")
                        found = Frame(
                            index=-1,
                            time_s=float(frame.time),
                            rgb=upright(rgb, k),
                        )
                        break
            except av.FFmpegError as exc:
                raise InputVideoError(f"{path}: cannot read the frame at {t:.3f} s ({_why(exc)})") from exc
            out.append(found)
    return out


def keyframes_near(info: VideoInfo, times_s: Sequence[float]) -> list[np.ndarray]:
    """The upright pictures (``uint8[H, W, 3]``) of the keyframes at or before ``times_s`` (s): one frame decoded
    per time, so a glance over a long video costs a few frames (the same keyframe may come back for close times)."""
    path = Path(info.path)
    k = info.rotation_deg // 90
    out: list[np.ndarray] = []
    with _open(path) as container:
        stream = container.streams.video[0]
        base = float(stream.time_base or 1)
        for t in times_s:
            try:
                container.seek(max(int(float(t) / base), 0), stream=stream, backward=True)
                frame = next(container.decode(stream), None)
            except av.FFmpegError as exc:
                raise InputVideoError(f"{path}: cannot read the frame at {t:.3f} s ({_why(exc)})") from exc
            if frame is not None:
                out.append(upright(frame.to_ndarray(format="rgb24"), k))
    return out
