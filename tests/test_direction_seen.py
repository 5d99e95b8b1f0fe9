"""Direction where the athlete is not seen: segments cover the clip and say how much of each the athlete is seen
in (``seen_s``); the per-frame direction (annotated.mp4, frames.csv) is given only where the athlete is seen."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analysis.direction import DirectionSegmenter, athlete_seen, direction_per_frame
from formcheck.analysis.types import CleanPose, Segment
from formcheck.config import load_config
from formcheck.pose.landmarks import LM

FPS = 10.0


def pose(n: int, unseen: slice) -> CleanPose:
    """A still figure whose hips are located except on the frames ``unseen`` (no world landmarks: no sweep)."""
    xy = np.full((n, 33, 2), 100.0)
    xy[unseen] = np.nan
    return CleanPose(
        xy=xy,
        conf=np.ones((n, 33)),
        world=np.full((n, 33, 3), np.nan),
        times_s=np.arange(n) / FPS,
        detected=np.isfinite(xy[:, 0, 0]),
        fps=FPS,
        width=640,
        height=480,
    )


def test_segments_say_how_much_of_them_the_athlete_is_seen_in():
    p = pose(60, slice(0, 25))
    assert athlete_seen(p).sum() == 35
    segs = DirectionSegmenter(load_config().direction, load_config().view).segment(p)
    assert segs[0].start_frame == 0 and segs[-1].end_frame == 60  # the clip is covered
    assert sum(s.seen_s or 0.0 for s in segs) == pytest.approx(3.5)
    assert segs[0].seen_s is not None and segs[0].seen_s < segs[0].end_s - segs[0].start_s


def test_no_direction_where_the_athlete_is_not_seen():
    segs = (Segment(0, 30, 0.0, 3.0, "backward", 1, 1.0), Segment(30, 50, 3.0, 5.0, "standing", 1, 2.0))
    seen = np.zeros(50, dtype=bool)
    seen[20:] = True
    seen[42] = False
    out = direction_per_frame(segs, 50, seen)
    assert out[:20] == [None] * 20 and out[20:30] == ["backward"] * 10
    assert out[42] is None and out[41] == out[43] == "standing"
    assert direction_per_frame(segs, 50)[0] == "backward"  # without ``seen``: every frame of a segment
    p = pose(10, slice(3, 5))
    assert list(athlete_seen(p)) == [True] * 3 + [False] * 2 + [True] * 5
    p.xy[7, LM.LEFT_HIP] = np.nan  # one hip lost: not located
    assert not athlete_seen(p)[7]


def test_a_blip_beside_an_unseen_stretch_is_not_a_segment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OpenCV crowd walker mirrored (issue 10): unseen for 6 s, then 0.2 s whose sweep read backward at the edge
    of view, 0.7 s standing, then walking forward. The unseen frames take the nearest label; counted by its span,
    the blip's run was 6.4 s long and swallowed the standing frames after it: the clip's first 7.1 s read
    backward. Counted by the frames it was measured on (2), it is merged away: no backward segment."""
    import formcheck.analysis.direction as direction

    n = 140
    sweep = np.full(n, np.nan)
    sweep[60:62] = 1.0  # 0.2 s "backward" (m/s, the stance foot's sweep along the facing direction)
    sweep[62:70] = 0.0  # standing
    sweep[70:] = -1.0  # walking forward
    monkeypatch.setattr(direction, "stance_sweep_m_s", lambda _pose: sweep)
    segs = DirectionSegmenter(load_config().direction, load_config().view).segment(pose(n, slice(0, 60)))
    assert [s.direction for s in segs] == ["forward"]
    # a backward stretch measured on enough frames (1.5 s) stays a segment of its own
    sweep[60:75] = 1.0
    segs = DirectionSegmenter(load_config().direction, load_config().view).segment(pose(n, slice(0, 60)))
    assert [s.direction for s in segs] == ["backward", "forward"]
    assert segs[0].start_frame == 0 and segs[-1].end_frame == n
