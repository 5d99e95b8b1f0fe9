"""Running MediaPipe's PoseLandmarker (Tasks API, VIDEO mode) on frames with their real timestamps.

Raw landmarks only: MediaPipe's Tasks API does no smoothing and neither do we here (cleaning is the analysis
stage's job).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from types import TracebackType

import numpy as np

from formcheck.config import PoseConfig
from formcheck.errors import Interrupted, ModelError
from formcheck.pose.landmarks import N_LANDMARKS
from formcheck.signals import stop_signals_deferred

_silence_lock = threading.Lock()
_silence_depth = 0
_saved_stderr: int | None = None


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Silence what MediaPipe's native code prints on file descriptor 2 (TFLite/glog start-up notices) while the
    block runs, so the user sees only formcheck's own messages. Python-level errors still propagate.

    Safe when several landmarker threads enter at once: the first one in redirects fd 2, the last one out restores
    it (a nested save would otherwise keep the redirected descriptor and silence stderr for good)."""
    global _silence_depth, _saved_stderr
    with _silence_lock:
        if _silence_depth == 0:
            try:
                sys.stderr.flush()
                saved = os.dup(2)
            except (OSError, ValueError):
                saved = None
            if saved is not None:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                os.close(devnull)
            _saved_stderr = saved
        _silence_depth += 1
    try:
        yield
    finally:
        with _silence_lock:
            _silence_depth -= 1
            if _silence_depth == 0 and _saved_stderr is not None:
                os.dup2(_saved_stderr, 2)
                os.close(_saved_stderr)
                _saved_stderr = None


_UNSMOOTHED_STEP_MS = 10_000_000  # ms between frames of an unsmoothed landmarker: 10^4 s, against a 3 s filter


class Landmarker:
    """A PoseLandmarker in VIDEO mode (it follows people from frame to frame: call :meth:`detect` once per frame,
    in order) or, with ``image_mode``, IMAGE mode (every call looks afresh with the person detector: frames in any
    order, the same answer whichever way the video runs). Use as a context manager.

    ``model_path`` is a verified ``.task`` bundle (see :mod:`formcheck.pose.models`); ``num_poses`` overrides
    ``config.num_poses`` (people reported per frame).

    With one pose in VIDEO mode MediaPipe smooths the landmarks over time (a one-euro filter with a 0.05 Hz
    minimum cutoff; with more poses it does not): its lag, 0.4 frame on the synthetic clips, put contacts a frame
    late. ``unsmoothed`` gives such a landmarker timestamps ``_UNSMOOTHED_STEP_MS`` apart (the frames still in order:
    it still follows from frame to frame), so the filter passes every frame through; the analysis filters the
    landmarks itself, knowing the true frame times.
    """

    def __init__(
        self,
        model_path: str | os.PathLike[str],
        config: PoseConfig,
        *,
        num_poses: int | None = None,
        image_mode: bool = False,
        unsmoothed: bool = False,
    ) -> None:
        from mediapipe.tasks.python import BaseOptions, vision

        self.image_mode = image_mode
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=vision.RunningMode.IMAGE if image_mode else vision.RunningMode.VIDEO,
            num_poses=num_poses or config.num_poses,
            min_pose_detection_confidence=config.min_detection_confidence,
            min_pose_presence_confidence=config.min_presence_confidence,
            min_tracking_confidence=config.min_tracking_confidence,
            output_segmentation_masks=False,
        )
        try:
            with stop_signals_deferred(), native_stderr_silenced():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load pose model {model_path}: {str(exc).splitlines()[0]}") from exc
        except Interrupted:
            if hasattr(self, "_landmarker"):  # made, then stopped: release its graph (and its start-up notices)
                self.close()
            raise
        self._last_ms = -1
        self._calls = 0
        self._unsmoothed = unsmoothed and not image_mode and (num_poses or config.num_poses) == 1

    def detect(self, rgb: np.ndarray, time_s: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Detect people in one upright RGB frame shown at ``time_s`` seconds.

        Returns two lists with one ``float32[33, 4]`` per person: image landmarks (x px, y px, z scaled like x,
        visibility 0..1) and world landmarks (x, y, z metres about the hip midpoint, visibility).
        """
        import mediapipe as mp

        h, w = rgb.shape[:2]
        if self._unsmoothed:  # see the class docstring: frames far apart in time pass the smoothing unchanged
            ms = self._last_ms + _UNSMOOTHED_STEP_MS if self._calls else 0
        else:
            ms = max(int(round(time_s * 1000.0)), self._last_ms + 1)  # strictly increasing, as VIDEO mode needs
        self._last_ms = ms
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        call = (
            (lambda: self._landmarker.detect(image))
            if self.image_mode
            else (lambda: self._landmarker.detect_for_video(image, ms))
        )
        if self._calls:
            result = call()
        else:  # the first call prints native start-up notices
            with native_stderr_silenced():
                result = call()
        self._calls += 1
        images: list[np.ndarray] = []
        worlds: list[np.ndarray] = []
        for k, person in enumerate(result.pose_landmarks):
            arr = np.empty((N_LANDMARKS, 4), dtype=np.float32)
            for i, lm in enumerate(person):
                vis = lm.visibility if lm.visibility is not None else 1.0
                arr[i] = (lm.x * w, lm.y * h, lm.z * w, vis)
            images.append(arr)
            warr = np.full((N_LANDMARKS, 4), np.nan, dtype=np.float32)
            if k < len(result.pose_world_landmarks):
                for i, lm in enumerate(result.pose_world_landmarks[k]):
                    warr[i] = (lm.x, lm.y, lm.z, arr[i, 3])
            worlds.append(warr)
        return images, worlds

    def close(self) -> None:
        """Release the graph (its native threads may still print start-up notices: silenced)."""
        with native_stderr_silenced():
            self._landmarker.close()

    def __enter__(self) -> Landmarker:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
