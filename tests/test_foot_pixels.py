"""Image structure around foot landmarks (formcheck/analysis/foot_pixels.py): a featureless patch reads low, a
shoe against a floor reads high, and a foot whose pixels show nothing gets no strike class."""

from __future__ import annotations

import numpy as np

from formcheck.analysis.foot_pixels import foot_structure, landmark_structure
from formcheck.analysis.strike import StrikeCues, classify_contact
from formcheck.analysis.types import CleanPose, View
from formcheck.config import load_config
from formcheck.pose.landmarks import LM


def _frame(shoe: int, floor: int) -> np.ndarray:
    """A 200x200 frame: floor grey ``floor`` below y=120, a wall above; a shoe (grey ``shoe``) from x 60..120 at
    y 105..120, plus a little sensor noise."""
    rng = np.random.default_rng(0)
    img = np.full((200, 200, 3), 180, np.float32)
    img[120:] = floor
    img[105:120, 60:120] = shoe
    img += rng.normal(0, 3, img.shape[:2])[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def _pose(n: int = 4) -> CleanPose:
    xy = np.full((n, 33, 2), np.nan)
    for heel, toe in ((LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)):
        xy[:, heel] = (62.0, 117.0)
        xy[:, toe] = (118.0, 117.0)
    return CleanPose(
        xy=xy,
        conf=np.ones((n, 33)),
        world=np.zeros((n, 33, 3)),
        times_s=np.arange(n) / 30.0,
        detected=np.ones(n, bool),
        fps=30.0,
        width=200,
        height=200,
    )


def test_structure_is_low_only_where_the_picture_is_featureless() -> None:
    dark_on_dark = _frame(shoe=20, floor=22)
    visible = _frame(shoe=30, floor=150)
    cfg = load_config().strike
    toe = np.array([118.0, 117.0])
    assert landmark_structure(visible, toe, 14.0) > 4 * cfg.min_landmark_contrast
    flat = dark_on_dark.copy()
    flat[:] = 21  # nothing at all to see around the toe
    assert landmark_structure(flat, toe, 14.0) < cfg.min_landmark_contrast
    assert landmark_structure(visible, np.array([np.nan, 1.0]), 14.0) is None


def test_foot_structure_medians_sampled_contacts_from_the_frame_source() -> None:
    cfg = load_config().strike
    asked: list[float] = []

    def frames(times):
        asked.extend(times)
        return [np.full((200, 200, 3), 21, np.uint8) if t < 0.01 else _frame(30, 150) for t in times]

    got = foot_structure(_pose(), [(0, "left"), (1, "left"), (2, "left"), (3, "right")], frames, cfg)
    assert set(got) == {"left", "right"}
    assert got["left"] > cfg.min_landmark_contrast  # one featureless contact of three does not decide
    assert len(asked) == 4


def test_a_foot_the_pixels_do_not_show_gets_no_strike() -> None:
    cfg = load_config().strike
    clear = StrikeCues(angle_deg=18.0, touch_s=-0.05, rotation_leg=0.05, ankle_deg=0.0, foot_px=45.0)
    side = View(kind="side", side="left")
    assert classify_contact(clear, "left", side, cfg)[0] == "forefoot"
    dark = StrikeCues(**{**clear.__dict__, "structure": cfg.min_landmark_contrast - 1})
    assert classify_contact(dark, "left", side, cfg)[0] is None
