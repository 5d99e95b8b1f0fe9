"""The sweep's second look for people hidden behind a large one (formcheck.pose.hidden), with stand-in
landmarkers: what is greyed, when it looks again, and which second-look detections are kept."""

from __future__ import annotations

import numpy as np

from formcheck.config import load_config
from formcheck.pose.hidden import GREY, HiddenLook, person_box


def _person(x0: float, y0: float, x1: float, y1: float, vis: float = 0.9) -> np.ndarray:
    """33 landmarks spread over the box (x0, y0)-(x1, y1) px, hips at its centre."""
    lm = np.zeros((33, 4), np.float32)
    lm[:, 0] = np.linspace(x0, x1, 33)
    lm[:, 1] = np.linspace(y0, y1, 33)
    lm[[23, 24], 0], lm[[23, 24], 1] = (x0 + x1) / 2, (y0 + y1) / 2
    lm[:, 3] = vis
    return lm


class _Stub:
    def __init__(self, people: list[np.ndarray]) -> None:
        self.people = people
        self.shown: list[np.ndarray] = []

    def detect(self, rgb: np.ndarray, time_s: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
        self.shown.append(rgb.copy())
        return [p.copy() for p in self.people], [np.zeros((33, 4), np.float32) for _ in self.people]


def _look(first: list[np.ndarray], again: list[np.ndarray], num_poses: int = 4) -> HiddenLook:
    look = HiddenLook.__new__(HiddenLook)
    look.config, look.num_poses, look.looks_again = load_config().pose, num_poses, 0
    look._first, look._again = _Stub(first), _Stub(again)  # type: ignore[assignment]
    return look


def test_person_box_uses_seen_landmarks_and_pads_by_its_height() -> None:
    lm = _person(100, 100, 200, 300)
    lm[:5, 3] = 0.1  # hidden: left out of the box
    x0, y0, x1, y1 = person_box(lm, 0.5, 0.05)  # type: ignore[misc]
    seen = lm[5:]
    pad = 0.05 * (seen[:, 1].max() - seen[:, 1].min())
    assert np.isclose(y0, seen[:, 1].min() - pad) and np.isclose(x1, seen[:, 0].max() + pad)
    assert person_box(_person(0, 0, 10, 10, vis=0.1), 0.5, 0.05) is None


def test_a_large_person_is_greyed_and_the_one_behind_kept() -> None:
    rgb = np.full((400, 400, 3), 30, np.uint8)
    big = _person(150, 100, 350, 390)  # 0.36 of the frame
    behind = _person(20, 50, 120, 300)  # hips outside the big box
    again_big = _person(160, 110, 340, 380)  # the big one found again: hips inside its greyed box
    look = _look([big], [again_big, behind])
    image, world = look.detect(rgb, 0.0)
    assert len(image) == len(world) == 2 and np.array_equal(image[1], behind)
    shown = look._again.shown[0]  # type: ignore[attr-defined]
    assert (shown[250, 250] == GREY).all() and (shown[250, 50] == 30).all()
    assert look.looks_again == 1 and (rgb == 30).all()  # the frame itself is left alone


def test_no_second_look_for_small_people_or_a_full_frame() -> None:
    rgb = np.zeros((400, 400, 3), np.uint8)
    small = _person(10, 10, 60, 110)  # 0.04 of the frame: hides nobody
    look = _look([small], [_person(200, 200, 300, 300)])
    assert len(look.detect(rgb, 0.0)[0]) == 1 and look.looks_again == 0
    full = _look([_person(0, 0, 390, 390), _person(0, 0, 10, 10)], [_person(200, 200, 300, 300)], num_poses=2)
    assert len(full.detect(rgb, 0.0)[0]) == 2 and full.looks_again == 0  # as many as asked for: no room
    nobody = _look([], [_person(200, 200, 300, 300)])
    assert nobody.detect(rgb, 0.0)[0] == [] and nobody.looks_again == 0
