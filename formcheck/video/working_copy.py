"""The working copy: every frame of the video, decoded once, scaled to the working size, kept raw on disk.

Decoding is the dearest step of a large or modern video (a 4K HEVC frame costs ~33 ms on one core, a 1768x994 VP9
frame ~6 ms), and three passes want the frames: the athlete sweep, the follow pass (crops around the athlete) and
the render pass. The sweep decodes the source once, scales each frame with FFmpeg's scaler (in the decoder's own
YUV, before any colour conversion: a 4K frame never reaches Python at full size) to the working size
(``pose.max_long_side_px``) and appends it, as raw I420 (yuv420p, 1.5 bytes/px), to a
temporary file in the output folder; the later passes read frames back by index (one ``pread`` and one colour
conversion of the small frame: no decoding, no seeking). The file is deleted when the analysis ends, and a killed
run's copy is a stale temporary removed by the next run (:mod:`formcheck.outfolder`).

Frames are stored as the decoder gives them (before the display rotation); :meth:`WorkingCopy.rgb` applies it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import av
import cv2
import numpy as np

from formcheck.video.reader import VideoInfo, upright

#: The working copy's file name inside the output folder (as a hidden temporary ``.frames.tmp-<r>.yuv``).
COPY_NAME = "frames.yuv"


def _even(x: float) -> int:
    return max(2, int(round(x / 2.0)) * 2)


def i420_planes(yuv: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Views of the Y ``[H, W]``, U and V ``[H/2, W/2]`` planes of an I420 array of a ``width`` x ``height`` frame."""
    flat = yuv.reshape(-1)
    n = width * height
    y = flat[:n].reshape(height, width)
    u = flat[n : n * 5 // 4].reshape(height // 2, width // 2)
    v = flat[n * 5 // 4 :].reshape(height // 2, width // 2)
    return y, u, v


def i420_pack(y: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The I420 array ``uint8[H*3/2, W]`` (OpenCV's layout) of planes Y ``[H, W]``, U and V ``[H/2, W/2]``."""
    h, w = y.shape
    return np.concatenate([y.reshape(-1), u.reshape(-1), v.reshape(-1)]).reshape(h * 3 // 2, w)


def working_size(info: VideoInfo, max_long_side_px: int) -> tuple[int, int]:
    """Size (width, height px, both even, upright) of the working copy: the input's, shrunk so its long side is
    at most ``max_long_side_px`` (0 keeps the input size)."""
    long_side = max(info.width, info.height)
    scale = 1.0 if not max_long_side_px or long_side <= max_long_side_px else max_long_side_px / long_side
    return _even(info.width * scale), _even(info.height * scale)


def copy_bytes(info: VideoInfo, size: tuple[int, int]) -> int:
    """Bytes of a working copy of ``info``'s frames at ``size`` (width, height px) (estimated from the header's
    frame count, or its duration and rate)."""
    frames = info.frames or int(round(info.duration_s * (info.fps or 30.0)))
    return int(frames * size[0] * size[1] * 3 // 2)


@dataclass(frozen=True)
class CopyGeometry:
    """``width``/``height`` of the upright working frames (px); ``scale_x``/``scale_y`` working px per input px;
    ``stored`` (width, height px) of the frames as stored (before the rotation of ``rotation_deg``)."""

    width: int
    height: int
    scale_x: float
    scale_y: float
    rotation_deg: int
    stored: tuple[int, int]


def copy_geometry(info: VideoInfo, size: tuple[int, int]) -> CopyGeometry:
    """Where ``info``'s upright frames land in a working copy of ``size`` (width, height px)."""
    w, h = size
    k = info.rotation_deg // 90
    stored = (h, w) if k % 2 else (w, h)
    return CopyGeometry(w, h, w / info.width, h / info.height, info.rotation_deg, stored)


class WorkingCopy:
    """A raw I420 file of frames (see the module docstring). Written in frame order by :meth:`append`, then read
    by index from any thread by :meth:`rgb`. Use as a context manager (the file is deleted at exit)."""

    def __init__(self, folder: str | os.PathLike[str], geometry: CopyGeometry) -> None:
        self.geometry = geometry
        sw, sh = geometry.stored
        self._shape = (sh * 3 // 2, sw)
        self.frame_bytes = sw * sh * 3 // 2
        fd, name = tempfile.mkstemp(prefix=".frames.tmp-", suffix=".yuv", dir=str(folder))
        self.path = Path(name)
        self._fd = fd
        self.times_s: list[float] = []
        self._lock = threading.Lock()

    @property
    def n_frames(self) -> int:
        return len(self.times_s)

    def append(self, frame: av.VideoFrame, time_s: float) -> np.ndarray:
        """Scale ``frame`` (as decoded) to the copy's size in YUV, store it; returns the stored I420 array."""
        sw, sh = self.geometry.stored
        if frame.format.name == "yuv420p" and (frame.width, frame.height) == (sw, sh):
            yuv = frame.to_ndarray()  # already I420 at the copy's size: one copy out of FFmpeg's planes
        else:
            yuv = frame.reformat(width=sw, height=sh, format="yuv420p", interpolation="AREA").to_ndarray()
        data = np.ascontiguousarray(yuv)
        if data.size != self.frame_bytes:  # PyAV pads odd planes: never for the even sizes we ask for
            raise ValueError(f"working copy: frame of {data.size} bytes, expected {self.frame_bytes}")
        os.pwrite(self._fd, data.data, self.n_frames * self.frame_bytes)
        self.times_s.append(float(time_s))
        return data.reshape(self._shape)

    def yuv(self, index: int) -> np.ndarray:
        """The stored I420 array ``uint8[H*3/2, W]`` of frame ``index``."""
        buf = os.pread(self._fd, self.frame_bytes, index * self.frame_bytes)
        if len(buf) != self.frame_bytes:
            raise IndexError(f"working copy has no frame {index}")
        return np.frombuffer(buf, dtype=np.uint8).reshape(self._shape)

    def to_rgb(self, yuv: np.ndarray, size: tuple[int, int] | None = None) -> np.ndarray:
        """Upright RGB ``uint8[H, W, 3]`` of a stored I420 array, at ``size`` (width, height px, upright; None:
        the copy's size). Scaling is bilinear on the Y, U and V planes before the colour conversion (OpenCV's area
        averaging costs ~7x more at 1768 -> 1280 px)."""
        k = self.geometry.rotation_deg // 90
        if size is not None and tuple(size) != (self.geometry.width, self.geometry.height):
            sw, sh = (size[1], size[0]) if k % 2 else (size[0], size[1])
            sw, sh = max(2, sw + sw % 2), max(2, sh + sh % 2)
            y, u, v = i420_planes(yuv, *self.geometry.stored)
            yuv = i420_pack(
                cv2.resize(y, (sw, sh), interpolation=cv2.INTER_LINEAR),
                cv2.resize(u, (sw // 2, sh // 2), interpolation=cv2.INTER_LINEAR),
                cv2.resize(v, (sw // 2, sh // 2), interpolation=cv2.INTER_LINEAR),
            )
            rgb = cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420)
            rgb = upright(rgb, k)
            want = (size[1], size[0])
            return rgb if rgb.shape[:2] == want else np.ascontiguousarray(rgb[: want[0], : want[1]])
        rgb = cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420)
        return upright(rgb, k)

    def stored(self, index: int) -> StoredFrame:
        """Frame ``index`` as stored, to be cropped before its colour conversion (:class:`StoredFrame`)."""
        return StoredFrame(self, self.yuv(index))

    def rgb(self, index: int, size: tuple[int, int] | None = None) -> np.ndarray:
        """Upright RGB ``uint8[H, W, 3]`` of frame ``index`` at ``size`` (width, height px; None: the copy's)."""
        return self.to_rgb(self.yuv(index), size)

    def pictures_at(self, times_s: Sequence[float], size: tuple[int, int]) -> list[np.ndarray | None]:
        """Upright RGB frames shown at ``times_s`` (s; the frame within half a frame period, else None), at
        ``size`` (width, height px: the input's, for measurements in its pixels)."""
        times = np.asarray(self.times_s)
        half = 0.5 * float(np.median(np.diff(times))) if times.size > 1 else 1.0
        out: list[np.ndarray | None] = []
        for t in times_s:
            i = int(np.argmin(np.abs(times - t))) if times.size else -1
            if i < 0 or abs(times[i] - t) > half + 1e-9:
                out.append(None)
                continue
            out.append(self.rgb(i, size))
        return out

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1
                with contextlib.suppress(OSError):
                    self.path.unlink()

    def __enter__(self) -> WorkingCopy:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class StoredFrame:
    """One frame of a working copy as stored (I420): :meth:`crop` converts only the pixels asked for."""

    def __init__(self, copy: WorkingCopy, yuv: np.ndarray) -> None:
        self.copy, self.yuv = copy, yuv

    def crop(self, x0: int, y0: int, w: int, h: int) -> np.ndarray:
        """Upright RGB ``uint8[h, w, 3]`` of the box at (x0, y0) (px of the upright frame at the copy's size)."""
        g = self.copy.geometry
        if g.rotation_deg:  # rare (phone metadata): convert the frame, then cut
            return np.ascontiguousarray(self.copy.to_rgb(self.yuv)[y0 : y0 + h, x0 : x0 + w])
        ax, ay = x0 - x0 % 2, y0 - y0 % 2  # chroma is shared by 2x2 pixels: cut on even lines
        bw, bh = w + (x0 - ax), h + (y0 - ay)
        bw, bh = min(bw + bw % 2, g.width - ax), min(bh + bh % 2, g.height - ay)
        y, u, v = i420_planes(self.yuv, g.width, g.height)
        half = (slice(ay // 2, (ay + bh) // 2), slice(ax // 2, (ax + bw) // 2))
        i420 = i420_pack(y[ay : ay + bh, ax : ax + bw], u[half], v[half])
        rgb = cv2.cvtColor(i420, cv2.COLOR_YUV2RGB_I420)
        return np.ascontiguousarray(rgb[y0 - ay : y0 - ay + h, x0 - ax : x0 - ax + w])
