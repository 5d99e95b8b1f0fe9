"""The pose container every later stage reads: one person's landmarks over a video, validated on construction.

Units and conventions
- ``image``: ``float32[T, 33, 4]`` = (x px, y px, z, visibility). x/y are pixels in the *upright* frame (rotation
  metadata already applied), origin top-left, y down. z is MediaPipe's relative depth scaled by the frame width
  (same scale as x; smaller = nearer the camera). visibility is in [0, 1]. Rows of undetected frames are NaN.
- ``world``: ``float32[T, 33, 4]`` = (x m, y m, z m, visibility), MediaPipe world landmarks: metres, origin at the
  hip midpoint, y down. NaN where undetected.
- ``timestamps_s``: ``float64[T]`` real presentation times in seconds, strictly increasing (variable frame rate
  is kept as it is).
- ``fps``: float, the mean frame rate (frames per second) derived from the timestamps; never rounded.
- ``background_px``: ``float64[T, 2]`` or None: where a background point that started at (0, 0) is in each frame
  (px; a following camera's pan moves it), as the pose pass estimated it; None when not known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.errors import PoseFileError
from formcheck.pose.landmarks import N_LANDMARKS


@dataclass(frozen=True)
class PoseSequence:
    """One person's raw (unsmoothed) pose landmarks for every frame of a video."""

    image: np.ndarray
    world: np.ndarray
    timestamps_s: np.ndarray
    detected: np.ndarray
    fps: float
    width: int
    height: int
    source: str = ""
    model: str = ""
    person: int = 0
    rotation_deg: int = 0
    background_px: np.ndarray | None = None

    def __post_init__(self) -> None:
        image = np.asarray(self.image, dtype=np.float32)
        world = np.asarray(self.world, dtype=np.float32)
        ts = np.asarray(self.timestamps_s, dtype=np.float64)
        det = np.asarray(self.detected, dtype=bool)
        object.__setattr__(self, "image", image)
        object.__setattr__(self, "world", world)
        object.__setattr__(self, "timestamps_s", ts)
        object.__setattr__(self, "detected", det)
        object.__setattr__(self, "fps", float(self.fps))
        t = ts.shape[0] if ts.ndim == 1 else -1
        _expect(ts.ndim == 1, "timestamps_s must be 1-D", f"shape {ts.shape}")
        _expect(
            image.shape == (t, N_LANDMARKS, 4), f"image must have shape ({t}, {N_LANDMARKS}, 4)", f"shape {image.shape}"
        )
        _expect(
            world.shape == (t, N_LANDMARKS, 4), f"world must have shape ({t}, {N_LANDMARKS}, 4)", f"shape {world.shape}"
        )
        _expect(det.shape == (t,), f"detected must have shape ({t},)", f"shape {det.shape}")
        if self.background_px is not None:
            bg = np.asarray(self.background_px, dtype=np.float64)
            _expect(bg.shape == (t, 2), f"background_px must have shape ({t}, 2)", f"shape {bg.shape}")
            object.__setattr__(self, "background_px", bg)
        _expect(bool(np.all(np.isfinite(ts))), "timestamps_s must be finite", "non-finite values")
        _expect(
            t < 2 or bool(np.all(np.diff(ts) > 0)), "timestamps_s must be strictly increasing", "a non-increasing step"
        )
        _expect(np.isfinite(self.fps) and self.fps > 0, "fps must be a positive number", f"{self.fps}")
        _expect(self.width > 0 and self.height > 0, "frame size must be positive", f"{self.width}x{self.height}")
        _expect(
            not bool(np.any(np.isfinite(image[~det, :, :2]))),
            "undetected frames must be NaN",
            "finite landmarks in a frame marked undetected",
        )

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.timestamps_s.shape[0])

    @property
    def detection_rate(self) -> float:
        """Fraction of frames (0..1) with a detected person."""
        return float(self.detected.mean()) if self.n_frames else 0.0

    @property
    def duration_s(self) -> float:
        """Seconds from the first frame's start to the last frame's end (one mean frame period added)."""
        if self.n_frames == 0:
            return 0.0
        return float(self.timestamps_s[-1] - self.timestamps_s[0] + 1.0 / self.fps)


def mean_fps(timestamps_s: np.ndarray, fallback: float) -> float:
    """Mean frame rate (frames/s) from presentation times; ``fallback`` when fewer than two frames."""
    ts = np.asarray(timestamps_s, dtype=np.float64)
    if ts.size < 2 or ts[-1] <= ts[0]:
        return float(fallback)
    return float((ts.size - 1) / (ts[-1] - ts[0]))


def _expect(ok: bool, what: str, got: str) -> None:
    if not ok:
        raise PoseFileError(f"invalid pose data: {what}, got {got}")
