"""The progress callback the long stages report through."""

from __future__ import annotations

from collections.abc import Callable

#: Progress callback: (frames done, frames expected or 0 if unknown, stage name: "pose" or "video").
Progress = Callable[[int, int, str], None]
