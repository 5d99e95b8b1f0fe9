"""Direction of travel toward or away from the camera.

- Front and back views, static camera: the stance-foot cue is read relative to the hips. Read against the image
  alone, a static camera 3 m high gave the opposite direction on three of eight synthetic clips (a stance foot on a
  static floor moves the way the runner travels; on a following camera's moving floor, the other way).
- Side and oblique views: a stretch the stance sweep reads as standing is travel in depth when the back or front is
  turned to the camera and the figure grows or shrinks by more than a step or lunge on the spot can make it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis.direction import DirectionSegmenter, depth_image_cues
from formcheck.analysis.types import CleanPose
from formcheck.analyze import analyze_video
from formcheck.config import load_config
from formcheck.pose.landmarks import LM
from formcheck.synth import SynthParams, generate_clip

FPS = 10.0


def walker(seconds: float, growth_per_s: float, turned: float, grow_for_s: float | None = None) -> CleanPose:
    """A figure whose torso grows at ``growth_per_s`` (1/s) for ``grow_for_s`` seconds (all of them when None),
    with the shoulders and hips ``turned`` torso lengths apart in image x, left minus right (- : the back turned to
    the camera, + : the front, 0 : side on); its world feet stand still under the hips, so the stance sweep reads
    standing."""
    n = int(seconds * FPS)
    t = np.arange(n) / FPS
    torso = 40.0 * np.exp(growth_per_s * np.minimum(t, grow_for_s if grow_for_s is not None else seconds))
    xy = np.zeros((n, 33, 2))
    cx, cy = 320.0, 200.0 + 2.0 * t
    xy[:, :, 0] = cx
    xy[:, :, 1] = (cy + torso / 2)[:, None]  # everything at the hips, then the shoulders and feet placed
    for left, right, y in (
        (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, cy - torso / 2),
        (LM.LEFT_HIP, LM.RIGHT_HIP, cy + torso / 2),
    ):
        xy[:, left, 0] = cx + turned * torso / 2
        xy[:, right, 0] = cx - turned * torso / 2
        xy[:, left, 1] = xy[:, right, 1] = y
    for lm in (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX, LM.LEFT_ANKLE, LM.RIGHT_ANKLE):
        xy[:, lm, 1] = cy + 2.2 * torso
    world = np.zeros((n, 33, 3))
    world[:, LM.LEFT_SHOULDER, 0] = world[:, LM.LEFT_HIP, 0] = -0.15
    world[:, LM.RIGHT_SHOULDER, 0] = world[:, LM.RIGHT_HIP, 0] = 0.15
    for lm in (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX):
        world[:, lm, 1] = 0.9
    return CleanPose(
        xy=xy,
        conf=np.ones((n, 33)),
        world=world,
        times_s=t,
        detected=np.ones(n, dtype=bool),
        fps=FPS,
        width=640,
        height=480,
    )


def directions(pose: CleanPose, kind: str = "oblique") -> list[str]:
    cfg = load_config()
    return [s.direction for s in DirectionSegmenter(cfg.direction, cfg.view).segment(pose, view_kind=kind)]


@pytest.mark.parametrize(
    ("growth", "turned", "expected"),
    [
        (0.08, -0.5, "backward"),  # back to the camera, coming closer
        (-0.08, -0.5, "forward"),  # back to the camera, going away
        (0.08, 0.5, "forward"),  # face on, coming closer
        (-0.08, 0.5, "backward"),  # face on, going away
    ],
)
def test_a_standing_read_with_travel_in_depth_is_a_direction(growth: float, turned: float, expected: str) -> None:
    assert directions(walker(5.0, growth, turned)) == [expected]


def test_no_direction_from_depth_without_travel_or_a_turned_body() -> None:
    cfg = load_config().direction
    assert cfg.depth_travel_log > 0.08 * 1.5  # the lunge below moves less than a step
    assert directions(walker(5.0, 0.08, -0.5, grow_for_s=1.5)) == ["standing"]  # a lunge, then still
    assert directions(walker(5.0, 0.08, 0.0)) == ["standing"]  # side on: the order of the shoulders is noise
    assert directions(walker(5.0, 0.03, -0.5)) == ["standing"]  # slower than depth_growth_per_s
    assert directions(walker(5.0, 0.0, -0.5)) == ["standing"]


def test_the_stance_foot_cue_is_read_relative_to_the_hips() -> None:
    """A static camera: the hips come down the image (the runner approaches) while the stance foot stays on the
    floor. Relative to the hips the foot rises: moving away from the camera relative to the body. Against the image
    alone it would not move at all."""
    n = 40
    p = walker(n / FPS, 0.0, -0.5)
    xy = p.xy.copy()
    t = p.times_s
    hip_drop = 30.0 * t  # px/s down the image (the walker drifts 2 px/s more)
    for lm in range(33):
        xy[:, lm, 1] += hip_drop
    for lm in (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX):
        xy[:, lm, 1] = xy[0, lm, 1] + 5.0  # the left foot on the floor ...
    for lm in (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX):
        xy[:, lm, 1] = xy[:, LM.LEFT_HEEL, 1] - 30.0  # ... the right one lifted: the left is the lower throughout
    pose = CleanPose(xy, p.conf, p.world, t, p.detected, p.fps, p.width, p.height)
    rise, growth = depth_image_cues(pose)
    leg = 2.2 * 40.0 - 20.0  # the ankles below the hips (px; they stay in place on the figure)
    assert rise == pytest.approx(-(30.0 + 2.0) / leg, rel=0.02)
    assert growth == pytest.approx(0.0, abs=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("view", "direction", "seed"),
    [("back", "backward", 902), ("back", "forward", 904), ("front", "backward", 906)],
)
def test_front_and_back_views_from_a_raised_static_camera(tmp_path: Path, view: str, direction: str, seed: int):
    """The three clips the image-only cue reversed (camera 3 m high, static): now the direction of the truth."""
    mp4 = tmp_path / "clip.mp4"
    generate_clip(
        SynthParams.build(
            seed=seed,
            view=view,
            camera="static",
            camera_height_m=3.0,
            width_px=640,
            height_px=480,
            segments=[{"direction": direction, "duration_s": 4.0}],
        ),
        mp4,
    )
    report = analyze_video(mp4, out_dir=tmp_path / "out").report
    assert report["view"]["kind"] == view
    assert [s["direction"] for s in report["segments"]] == [direction]


@pytest.mark.parametrize(("beside", "expected"), [(-1.0, "forward"), (1.0, "standing")])
def test_a_standing_read_between_travel_the_same_way_continues_it(
    monkeypatch: pytest.MonkeyPatch, beside: float, expected: str
) -> None:
    """The OpenCV crowd walker mirrored (issue 10) walks away up the image with her back to the camera; where her
    stance sweep flattens (in depth) she reads standing for 3.9 s between forward stretches, shrinking at 0.05/s,
    0.19 in all, under the 0.2 asked of travel in depth on its own. Between two stretches of travel the way the
    depth cue reads, nobody lunges on the spot: the rate decides. Between stretches the other way, it stays
    standing."""
    import formcheck.analysis.direction as direction

    cfg = load_config().direction
    p = walker(9.0, -0.06, -0.5)  # back turned, going away: the depth cue reads forward
    assert 0.06 * 3.0 < cfg.depth_travel_log < 0.06 * 9.0 and 0.06 > cfg.depth_growth_per_s
    sweep = np.full(p.n_frames, beside)
    sweep[30:60] = 0.0  # 3 s read standing by the stance sweep
    monkeypatch.setattr(direction, "stance_sweep_m_s", lambda _pose: sweep)
    segs = DirectionSegmenter(cfg, load_config().view).segment(p, view_kind="oblique")
    middle = [s.direction for s in segs if s.start_frame <= 45 < s.end_frame]
    assert middle == [expected]
    # after the last stretch of travel (a last step toward the camera, then standing still, grows the figure at the
    # rate of travel too) it stays standing: nothing travels beyond it
    last = walker(6.0, -0.06, -0.5)
    monkeypatch.setattr(direction, "stance_sweep_m_s", lambda _pose: sweep[:60])
    segs = DirectionSegmenter(cfg, load_config().view).segment(last, view_kind="oblique")
    assert [s.direction for s in segs if s.start_frame <= 45 < s.end_frame] == ["standing"]
