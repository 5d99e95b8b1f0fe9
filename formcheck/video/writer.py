"""H.264 MP4 writing that plays in browsers and on phones (libx264, yuv420p, faststart), written atomically.

Frames are RGB ``uint8[H, W, 3]``. Each frame can carry its own presentation time in seconds, so an output keeps
the exact (possibly variable) timing of its input.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import cv2
import numpy as np

from formcheck.atomic import atomic_path
from formcheck.errors import OutputError

#: Time base of written streams: 1/90000 s, the MPEG clock, fine enough for 24-240 fps and VFR.
TIME_BASE = Fraction(1, 90000)


class H264Writer:
    """Write RGB frames to an H.264 MP4 atomically: the file appears under its name only after ``close()``.

    Use as a context manager; if the block raises, the partial file is deleted.

    Parameters
    ----------
    path: destination ``.mp4``.
    width_px, height_px: frame size in pixels; odd sizes are padded by one pixel (yuv420p needs even sizes).
    fps: nominal frame rate in frames/s (used for frames written without a time and as the stream's rate).
    crf: x264 constant rate factor (lower = better quality, bigger file; 18-28 is sensible).
    preset: x264 speed preset.
    tune: x264 tuning ("" for none); "zerolatency" encodes each frame on all cores at once (slices), without
    B-frames or look-ahead: faster when frames arrive one by one, a bigger file at the same quality.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        width_px: int,
        height_px: int,
        fps: float,
        crf: int = 23,
        preset: str = "veryfast",
        threads: int = 0,
        tune: str = "",
    ) -> None:
        self.path = Path(path)
        self.width_px, self.height_px = int(width_px), int(height_px)
        self._enc_w, self._enc_h = self.width_px + self.width_px % 2, self.height_px + self.height_px % 2
        self.fps = float(fps)
        self._ctx = atomic_path(self.path)
        tmp = self._ctx.__enter__()
        try:
            self._container = av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"})
            rate = Fraction(self.fps).limit_denominator(1001)
            self._stream = self._container.add_stream("libx264", rate=rate)
            self._stream.width, self._stream.height = self._enc_w, self._enc_h
            self._stream.pix_fmt = "yuv420p"
            self._stream.time_base = TIME_BASE
            self._stream.codec_context.time_base = TIME_BASE
            self._stream.options = {"crf": str(int(crf)), "preset": preset, **({"tune": tune} if tune else {})}
            if threads:
                self._stream.codec_context.thread_count = threads
        except (av.FFmpegError, OSError) as exc:
            self._ctx.__exit__(type(exc), exc, exc.__traceback__)
            raise OutputError(f"cannot create video {self.path}: {exc}") from exc
        self._count = 0
        self._last_pts = -1
        self._closed = False

    def write(self, rgb: np.ndarray, time_s: float | None = None) -> None:
        """Append one RGB frame shown at ``time_s`` seconds (default: frame index / fps)."""
        if rgb.shape[:2] != (self.height_px, self.width_px):
            raise ValueError(f"frame is {rgb.shape[1]}x{rgb.shape[0]}, writer expects {self.width_px}x{self.height_px}")
        if (self._enc_w, self._enc_h) != (self.width_px, self.height_px):
            rgb = np.pad(
                rgb, ((0, self._enc_h - self.height_px), (0, self._enc_w - self.width_px), (0, 0)), mode="edge"
            )
        # OpenCV's SIMD RGB->I420 conversion is ~5x faster than libswscale's here, to within 1 code value.
        yuv = cv2.cvtColor(np.ascontiguousarray(rgb, dtype=np.uint8), cv2.COLOR_RGB2YUV_I420)
        frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")  # type: ignore[arg-type]
        t = self._count / self.fps if time_s is None else float(time_s)
        pts = int(round(t / TIME_BASE))
        pts = max(pts, self._last_pts + 1)  # strictly increasing, even if two times round alike
        frame.pts, frame.time_base = pts, TIME_BASE
        self._last_pts = pts
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self._count += 1

    @property
    def frames_written(self) -> int:
        """Number of frames written so far."""
        return self._count

    def close(self) -> Path:
        """Flush the encoder, finish the file and move it to its final name."""
        if self._closed:
            return self.path
        self._closed = True
        try:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
            self._container.close()
        except BaseException as exc:
            self._abort(exc)
            raise
        self._ctx.__exit__(None, None, None)
        return self.path

    def _abort(self, exc: BaseException) -> None:
        try:
            self._container.close()
        except Exception:  # noqa: BLE001 - the original error matters, not the cleanup's
            pass
        self._ctx.__exit__(type(exc), exc, exc.__traceback__)

    def __enter__(self) -> H264Writer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self.close()
        elif not self._closed:
            self._closed = True
            self._abort(exc)
