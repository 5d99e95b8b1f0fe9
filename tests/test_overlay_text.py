"""Overlay text: every box inside the frame, no two boxes on top of each other, a minimum size, notices wrapped
(not cut), and the drawn ink inside the boxes the layout promised."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from formcheck.overlay.plan import OverlayPlan, Touchdown
from formcheck.overlay.text import MIN_ASCENT_PX, Label, draw_text, layout_frame, overlaps, text_style, wrap
from formcheck.overlay.verdicts import VerdictOverlay
from formcheck.pose.landmarks import LM

SHAPES = [(240, 320), (320, 240), (720, 1280), (1280, 720), (1080, 1920), (480, 640)]
NOTICES = (
    "upright posture: not assessable (a front view cannot show trunk lean; film from the side)",
    "forefoot landing: not assessable (the feet are under 28 px in this video: film closer or in higher "
    "resolution, and use the full or heavy model)",
    "short steps: not assessable (too little data to judge step length (0 of 6 needed))",
)
HUD = [("steps 12 | cadence 180 steps/min", (255, 255, 255)), ("running BACKWARD", (120, 200, 255))]


def hostile_labels(h: int, w: int) -> list[Label]:
    """Labels crowded on one point, on the corners and outside the frame, as a clip's worst frame could give."""
    mid = (w / 2, h / 2)
    labels = [
        Label("95", mid, 3.0, size=0.9),
        Label("87", (mid[0] + 4, mid[1] + 2), 3.0, size=0.9),  # the elbows of a side view, almost on each other
        Label("lean +4 deg", mid, 10.0, order=("above", "right", "left")),
        Label("HEEL", (mid[0], mid[1] + 5), 14.0, order=("below", "above", "right", "left")),
        Label("FOREFOOT", (mid[0] + 6, mid[1] + 5), 14.0, order=("below", "above", "right", "left")),
    ]
    for x, y in ((0, 0), (w, 0), (0, h), (w, h), (-50, h / 2), (w + 80, -30)):
        labels.append(Label("UNKNOWN", (x, y), 10.0))
    return labels


def boxes_ok(placed, h: int, w: int) -> None:
    for p in placed:
        x0, y0, x1, y1 = p.box
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, (p.text, p.box, (w, h))
        assert p.style.ascent_px >= MIN_ASCENT_PX
    for a, b in itertools.combinations(placed, 2):
        assert not overlaps(a.box, b.box), (a.text, a.box, b.text, b.box)


@pytest.mark.parametrize("h,w", SHAPES)
def test_layout_inside_the_frame_and_never_overlapping(h, w):
    labels = hostile_labels(h, w)
    placed = layout_frame((h, w, 3), HUD, NOTICES, labels)
    boxes_ok(placed, h, w)
    texts = [p.text for p in placed]
    # the crowded elbow pair both find a place (side by side is the usual case), and the strike label too
    assert "95" in texts and "87" in texts and "HEEL" in texts
    a, b = (next(p for p in placed if p.text == t) for t in ("95", "87"))
    assert not overlaps(a.box, b.box, a.style.gap_px)  # a visible gap: "95" and "87" never read "9587"


@pytest.mark.parametrize("h,w", SHAPES)
def test_notices_wrap_with_every_word_kept(h, w):
    notices = NOTICES[:1] if w < 300 else NOTICES[:2]  # a 240 px wide frame has room for one long notice
    placed = layout_frame((h, w, 3), HUD, notices, [])
    boxes_ok(placed, h, w)
    bottom = [p for p in placed if p.box[1] > h / 2]
    words = " ".join(p.text for p in bottom).split()
    assert words == " ".join(notices).split()  # nothing cut, in order
    assert len(bottom) > len(notices) or w >= 1280  # a narrow frame needed more than one line per notice
    assert bottom[-1].box[3] <= h - 2  # the last line is not at the edge ("...no backward running was fou")


def test_too_many_notices_end_in_an_ellipsis_inside_the_budget():
    placed = layout_frame((240, 320, 3), HUD, NOTICES * 4, [])
    boxes_ok(placed, 240, 320)
    bottom = [p for p in placed if p.box[1] > 60]
    assert bottom[-1].text.endswith("...")
    assert bottom[0].box[1] >= 240 * 0.6 - 1


def test_minimum_text_size_on_a_small_frame():
    small, big = text_style((240, 320)), text_style((1080, 1920))
    assert small.ascent_px >= MIN_ASCENT_PX and text_style((120, 160)).ascent_px == MIN_ASCENT_PX
    assert big.ascent_px == round(1080 / 26)


def test_wrap_cuts_a_word_longer_than_the_line():
    style = text_style((240, 320))
    lines = wrap("x" * 80 + " end", 150, style)
    assert "".join(lines[:-1]) + lines[-1].split()[0] == "x" * 80 or "".join(lines).startswith("x" * 80)
    assert lines[-1].endswith("end") and len(lines) >= 3


@pytest.mark.parametrize("h,w", [(240, 320), (1280, 720)])
def test_drawn_ink_stays_inside_each_box(h, w):
    placed = layout_frame((h, w, 3), HUD, NOTICES, hostile_labels(h, w))
    for p in placed:
        scene = np.full((h, w, 3), 128, np.uint8)
        draw_text(scene, p)
        changed = np.any(scene != 128, axis=2)
        ys, xs = np.nonzero(changed)
        assert ys.size > 0, p.text
        x0, y0, x1, y1 = p.box
        assert xs.min() >= x0 and xs.max() < x1 and ys.min() >= y0 and ys.max() < y1, (p.text, p.box)
        region = scene[y0:y1, x0:x1]
        assert (region.max(axis=2) < 40).any() and (region.max(axis=2) > 200).any()  # dark outline, light text


def test_overlay_frame_at_320x240_portrait_text_inside_and_apart():
    """The whole overlay of a crowded frame: skeleton elbows 4 px apart, a touchdown, four notices."""
    n = 5
    xy = np.full((n, 33, 2), np.nan)
    h, w = 320, 240
    xy[:, LM.LEFT_SHOULDER] = xy[:, LM.RIGHT_SHOULDER] = (120, 100)
    xy[:, LM.LEFT_HIP] = xy[:, LM.RIGHT_HIP] = (120, 180)
    xy[:, LM.LEFT_ELBOW], xy[:, LM.RIGHT_ELBOW] = (118, 140), (122, 142)
    xy[:, LM.LEFT_HEEL], xy[:, LM.LEFT_FOOT_INDEX] = (110, 300), (130, 300)
    plan = OverlayPlan(
        xy=xy,
        times_s=np.arange(n) / 30.0,
        trunk_lean_deg=np.full(n, 4.0),
        elbow_left_deg=np.full(n, 95.0),
        elbow_right_deg=np.full(n, 87.0),
        direction=("backward",) * n,
        touchdowns=(Touchdown("left", 1, 1 / 30, "heel", 1),),
        hold_frames=6,
        part_verdict={"trunk": "ok", "arms": "ok", "legs": "fail"},
        notices=tuple(f"{r}: not assessable (the feet are under 28 px in this video)" for r in ("posture", "steps")),
    )
    placed = VerdictOverlay(plan).draw_graphics(np.zeros((h, w, 3), np.uint8), 2)
    boxes_ok(placed, h, w)
    assert {"95", "87", "HEEL", "lean +4 deg"} <= {p.text for p in placed}


def test_drawing_on_a_strided_view_matches_a_plain_frame():
    """The fast masked copy writes into views; a view it cannot take (strided columns) gets the same pixels."""
    placed = layout_frame((240, 320, 3), HUD, NOTICES[:1], [Label("95", (160, 120), 3.0)])
    plain = np.zeros((240, 320, 3), np.uint8)
    strided = np.zeros((240, 640, 3), np.uint8)[:, ::2]
    for p in placed:
        draw_text(plain, p)
        draw_text(strided, p)
    assert plain.max() == 255 and np.array_equal(plain, strided)


@pytest.mark.parametrize("h,w", SHAPES)
def test_notices_go_under_the_hud_when_asked_inside_the_frame_and_apart(h, w):
    notices = NOTICES[:1] if w < 300 else NOTICES[:2]
    boxes_ok(layout_frame((h, w, 3), HUD, notices, hostile_labels(h, w), notices_top=True), h, w)
    placed = layout_frame((h, w, 3), HUD, notices, [], notices_top=True)
    hud = {(p.text, p.box) for p in layout_frame((h, w, 3), HUD, (), [])}
    lines = [p for p in placed if (p.text, p.box) not in hud]
    assert " ".join(p.text for p in lines).split() == " ".join(notices).split()  # all of them, in order
    assert min(p.box[1] for p in lines) >= max(b[3] for _, b in hud)  # under the HUD
    assert max(p.box[3] for p in lines) <= h * 0.6  # in the upper part, off an athlete near the bottom


def test_notices_move_up_only_for_an_athlete_who_stays_near_the_bottom():
    from formcheck.overlay.plan import notices_at_top

    n, h = 40, 576
    low = np.full((n, 33, 2), np.nan)
    low[:, :, 1] = np.linspace(450, 570, 33)  # the OpenCV crowd walker near the bottom of a raised camera's view
    assert notices_at_top(low, h)
    tall = np.full((n, 33, 2), np.nan)
    tall[:, :, 1] = np.linspace(100, 560, 33)  # a runner filling the height: the top is not free either
    assert not notices_at_top(tall, h)
    mid = low.copy()
    mid[:, :, 1] -= 200  # in the middle of the picture: the bottom is free
    assert not notices_at_top(mid, h)
    assert not notices_at_top(np.full((n, 33, 2), np.nan), h)  # nobody seen
    half = low.copy()
    half[: n // 2 + 1] = mid[: n // 2 + 1]  # near the bottom on fewer than half the frames
    assert not notices_at_top(half, h)
