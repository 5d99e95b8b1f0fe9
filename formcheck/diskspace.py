"""Running out of disk space: refused before the long work where the need can be estimated, and one clear error
(exit 5, nothing left behind) where it happens anyway."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from formcheck.errors import OutputError
from formcheck.video.reader import VideoInfo

#: errno values that mean "the disk (or the user's quota) is full".
FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
MB = 1_000_000


def estimated_video_bytes(info: VideoInfo, size_px: tuple[int, int], bits_per_pixel: float) -> int:
    """An under-estimate of annotated.mp4's size (bytes): ``bits_per_pixel`` bits per output pixel (``size_px``:
    width, height) and frame (the header's count, else duration x frame rate)."""
    frames = info.frames or int(round(info.duration_s * info.fps))
    return int(size_px[0] * size_px[1] * max(frames, 0) * bits_per_pixel / 8)


def ensure_free_space(out: Path, needed_bytes: int) -> None:
    """Raise :class:`OutputError` if the file system holding ``out`` has less than ``needed_bytes`` free."""
    if needed_bytes <= 0:
        return
    try:
        free = shutil.disk_usage(out).free
    except OSError:
        return  # cannot tell: the write itself will say
    if free < needed_bytes:
        raise OutputError(
            f"no space left in {out}: the outputs need at least {_mb(needed_bytes)} MB, {_mb(free)} MB are free"
        )


def _mb(n: int) -> str:
    return f"{n / MB:.1f}"


def is_disk_full(exc: BaseException) -> bool:
    """True for an OSError (PyAV's included) meaning the disk or quota is full, or an error caused by one."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in FULL:
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


@contextlib.contextmanager
def disk_full_is_output_error(out: str | os.PathLike[str]) -> Iterator[None]:
    """Within the block, a full disk (wherever it is hit: the video encoder, an atomic write, numpy's savez)
    becomes ``OutputError("no space left in OUT")``, exit 5."""
    try:
        yield
    except (OSError, OutputError) as exc:
        if is_disk_full(exc):
            raise OutputError(f"no space left in {Path(out)}: free some space or choose another --out") from exc
        raise
