"""Shared fixtures: small videos made on the fly with PyAV (the tests never read ../shared)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_videos"


def make_clip(
    path: Path,
    *,
    frames: int = 30,
    width: int = 160,
    height: int = 120,
    fps: float = 30.0,
    codec: str = "libx264",
    fmt: str | None = None,
    rotation: int = 0,
    times_s: list[float] | None = None,
    faststart: bool = True,
) -> Path:
    """Write a test clip whose stored frame i has a white bar along its top edge and a moving square.

    With ``rotation`` the stream carries a display matrix (FFmpeg convention, ccw degrees). ``times_s`` gives
    explicit presentation times (variable frame rate).
    """
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", format=fmt, options=options) as container:
        stream = container.add_stream(codec, rate=Fraction(fps).limit_denominator(1001))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, 90000)
        if rotation:
            stream.set_display_rotation(rotation)
        for i in range(frames):
            img = np.full((height, width, 3), 40, np.uint8)
            img[: max(height // 10, 2)] = 255
            x = (i * 4) % max(width - 10, 1)
            img[height // 2 : height // 2 + 10, x : x + 10] = (255, 0, 0)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            t = times_s[i] if times_s is not None else i / fps
            frame.pts, frame.time_base = int(round(t * 90000)), Fraction(1, 90000)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def make_audio_only(path: Path, seconds: float = 1.0) -> Path:
    """An .m4a/.mp4 holding one AAC audio stream and no video."""
    rate = 44100
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate)
        n = int(seconds * rate)
        tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(n) / rate)).astype(np.float32)
        for start in range(0, n, 1024):
            chunk = tone[start : start + 1024]
            frame = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


@pytest.fixture
def clip_factory(tmp_path: Path):
    """Call with a file name and make_clip keyword arguments; returns the path."""

    def factory(name: str = "clip.mp4", **kwargs) -> Path:
        return make_clip(tmp_path / name, **kwargs)

    return factory


@pytest.fixture(scope="module")
def real_footage_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where a real-footage test file writes its variants' outputs (one folder per file)."""
    return tmp_path_factory.mktemp("real_footage")
