"""Overlay text cost per frame (ms): layout (HUD, four notices, elbow/lean/strike labels) and drawing, at three
frame sizes, landscape and portrait. Prints a table; asserts nothing."""

from __future__ import annotations

import time

import numpy as np

from formcheck.overlay.text import Label, draw_text, layout_frame

NOTICES = ["upright posture: not assessable (a front view cannot show trunk lean; film from the side)"] * 4
HUD = [("steps 12 | cadence 180 steps/min", (255, 255, 255)), ("running BACKWARD", (120, 200, 255))]


def per_frame_ms(h: int, w: int, frames: int = 120) -> tuple[float, float]:
    scene = np.full((h, w, 3), 100, np.uint8)
    t_layout = t_draw = 0.0
    for i in range(frames):
        labels = [
            Label(f"{80 + i % 30}", (w / 2, h / 2), 3.0),
            Label(f"{85 + i % 25}", (w / 2 + 4, h / 2 + 2), 3.0),
            Label(f"lean +{i % 7} deg", (w / 2, h / 3), 10.0, order=("above", "right", "left")),
            Label("HEEL", (w / 2, 0.85 * h), 14.0, order=("below", "above", "right", "left")),
        ]
        t0 = time.perf_counter()
        placed = layout_frame(scene.shape, HUD, NOTICES, labels)
        t1 = time.perf_counter()
        for p in placed:
            draw_text(scene, p)
        t_layout += t1 - t0
        t_draw += time.perf_counter() - t1
    return 1000 * t_layout / frames, 1000 * t_draw / frames


def main() -> None:
    print(f"{'frame':>11} {'layout ms':>10} {'draw ms':>8}")
    for h, w in ((240, 320), (320, 240), (720, 1280), (1280, 720), (1080, 1920)):
        lay, draw = per_frame_ms(h, w)
        print(f"{w:>5}x{h:<5} {lay:>10.3f} {draw:>8.3f}")


if __name__ == "__main__":
    main()
