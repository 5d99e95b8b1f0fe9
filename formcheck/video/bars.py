"""Black bars around the picture: a landscape clip re-posted in portrait (or the other way) shows its picture in a
band between bars, and the person detector, which sees the whole frame shrunk to 224 px, sees the people in that
band smaller by the bars' share.

The bars are found on a few keyframes spread over the video: rows and columns no pixel of which is brighter than
``pose.bars_black_level`` on any of them (H.264's black decodes to 0-2 levels). They count only when they take
``pose.bars_min_share`` of the frame's width or height: a dark edge of an ordinary picture is left alone. The sweep
then searches the picture inside the bars (:mod:`formcheck.pose.sweep`); the follow pass crops around the athlete
and needs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from formcheck.video.reader import VideoInfo, keyframes_near

Box = tuple[int, int, int, int]  # x0, y0, width, height (px)


def picture_box(frames: Sequence[np.ndarray], black_level: float, min_share: float) -> Box | None:
    """The picture inside black bars on ``frames`` (``uint8[H, W, 3]``, the same size): ``(x0, y0, w, h)`` px, or
    None when there are no bars of at least ``min_share`` of the width or height (or nothing but black)."""
    if not frames:
        return None
    brightest = np.max([f.max(axis=2) for f in frames], axis=0)
    rows = np.flatnonzero(brightest.max(axis=1) > black_level)
    cols = np.flatnonzero(brightest.max(axis=0) > black_level)
    if rows.size == 0 or cols.size == 0:
        return None
    h, w = brightest.shape
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    if h - (y1 - y0) < min_share * h and w - (x1 - x0) < min_share * w:
        return None
    return x0, y0, x1 - x0, y1 - y0


def find_bars(info: VideoInfo, samples: int, black_level: float, min_share: float) -> Box | None:
    """:func:`picture_box` of the keyframes nearest ``samples`` times spread evenly over ``info``'s video (px of
    the upright input)."""
    if samples < 1 or info.duration_s <= 0:
        return None
    frames = keyframes_near(info, [info.duration_s * k / samples for k in range(samples)])
    if len({f.shape for f in frames}) != 1:
        return None
    return picture_box(frames, black_level, min_share)
