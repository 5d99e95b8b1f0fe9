"""Step pictures of the report: cropped around the athlete (not the scene), skeleton and strike ring drawn."""

from __future__ import annotations

import cv2
import numpy as np
import typed_fixtures as tf

from formcheck.analysis.types import StepPicks
from formcheck.overlay.verdicts import STRIKE_RGB
from formcheck.pose.landmarks import LM
from formcheck.report.thumbnails import step_picture, step_thumbnails


def figure_xy(x: float, top: float = 300.0, height: float = 200.0) -> np.ndarray:
    """A standing figure's landmarks: a vertical stick ``height`` px tall at ``x``, feet at the bottom."""
    xy = np.full((33, 2), np.nan)
    for i in range(33):
        xy[i] = (x + (i % 3 - 1) * 12, top + height * (i / 32))
    xy[LM.LEFT_HEEL] = (x - 10, top + height)
    xy[LM.LEFT_FOOT_INDEX] = (x + 20, top + height)
    return xy


def decode(jpeg: bytes) -> np.ndarray:
    return cv2.cvtColor(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def test_small_figure_in_a_big_scene_fills_the_picture():
    scene = np.full((994, 1768, 3), 90, np.uint8)  # the clip size: the runner is a small figure
    step = tf.step(5, 0.2, foot="left", strike="heel")
    img = decode(step_picture(scene, figure_xy(1200.0), step, {"legs": "fail"}, 360))
    h, w = img.shape[:2]
    assert max(h, w) == 360 and h > w  # portrait crop around a standing figure, not a 16:9 scene
    red = np.all(np.abs(img.astype(int) - STRIKE_RGB["heel"]) < 60, axis=2)
    assert red.sum() > 200  # the strike ring (and the red legs of a failed landing rule) are drawn
    ys, _ = np.nonzero(red)
    assert ys.mean() > 0.6 * h  # at the feet, in the lower part of the picture
    # the figure's 200 px became ~260 px of a 360 px picture: the foot is big enough to see
    assert (np.abs(img.astype(int) - 90).max(axis=2) > 40).any(axis=1).sum() > 0.6 * h


def test_step_thumbnails_crop_at_each_picked_contact(clip_factory):
    path = clip_factory("run.mp4", frames=30, width=640, height=480)
    n = 30
    xy = np.stack([figure_xy(40.0 + 15 * i, top=150.0, height=250.0) for i in range(n)])
    steps = (tf.step(5, 5 / 30, strike="heel"), tf.step(20, 20 / 30, strike="forefoot"))
    got = step_thumbnails(steps, StepPicks(best=1, worst=0), path, 300, xy, {"legs": "ok"})
    assert set(got) == {"best", "worst"}
    for key in got:
        img = decode(got[key])
        assert max(img.shape[:2]) == 300 and img.shape[0] > img.shape[1]
    green = np.all(np.abs(decode(got["best"]).astype(int) - STRIKE_RGB["forefoot"]) < 60, axis=2)
    assert green.sum() > 100  # a forefoot ring on the best step
    # without landmarks the whole frame is kept (the old behaviour)
    whole = decode(step_thumbnails(steps, StepPicks(best=1), path, 300)["best"])
    assert whole.shape[:2] == (225, 300)
