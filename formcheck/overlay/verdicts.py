"""The annotated video's drawing: skeleton coloured by verdict, trunk line and angle, elbow angles, touchdown
markers with the strike class, step counter, live cadence, direction of travel and "not assessable" notices.

Annotators read an :class:`~formcheck.overlay.plan.OverlayPlan` and draw; they never judge. Lines scale with the
frame; every text is placed by :func:`formcheck.overlay.text.layout_frame` (minimum size, outlined, inside the
frame, never on another label, notices wrapped) so the overlay stays legible on a phone in portrait and landscape.
"""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.overlay.plan import OverlayPlan
from formcheck.overlay.text import Label, Placed, draw_text, layout_frame
from formcheck.pose.landmarks import BODY_PARTS, LM

RGB = tuple[int, int, int]
VERDICT_RGB: dict[str, RGB] = {
    "ok": (60, 200, 90),
    "warn": (255, 190, 40),
    "fail": (235, 60, 60),
    "not_assessable": (175, 175, 175),
}
#: Touchdown marker colour per strike class (None = class unknown).
STRIKE_RGB: dict[str | None, RGB] = {
    "forefoot": (40, 230, 110),
    "midfoot": (255, 200, 0),
    "heel": (255, 40, 40),
    None: (200, 200, 200),
}
FEET = {"left": (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), "right": (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)}


#: Said on a frame where the athlete is not found at all (not in view, hidden, or cut from the track as someone
#: else: :mod:`formcheck.pose.one_look`), so a skeleton that vanishes is not taken for a fault of the video.
NOT_FOUND_HERE = "athlete not found here"
#: What the video says on a frame where a measurement was unseen rather than implausible, by reason.
UNSEEN_HERE: dict[str, str] = {
    "end_on": "turned to the camera here: no trunk lean or elbow angle",
    "facing": "which way the runner faces is not clear here: no trunk lean or head turn",
}


def unit_px(shape: tuple[int, ...]) -> float:
    """The overlay's size unit (px): 1/240 of the frame's short side, so everything scales with the frame."""
    return max(min(shape[0], shape[1]) / 240.0, 1.0)


def _pt(p: np.ndarray) -> tuple[int, int] | None:
    return (int(round(p[0])), int(round(p[1]))) if np.all(np.isfinite(p)) else None


class VerdictSkeletonAnnotator:
    """Bones coloured by the verdict of the rule each part belongs to (trunk, arms, legs)."""

    def annotate(self, scene: np.ndarray, xy: np.ndarray, part_verdict: dict[str, str]) -> np.ndarray:
        """Draw on ``scene`` in place; ``xy`` [33, 2] px in scene coordinates."""
        u = unit_px(scene.shape)
        width = max(int(round(0.9 * u)), 2)
        for part, bones in BODY_PARTS.items():
            colour = VERDICT_RGB.get(part_verdict.get(part, "not_assessable"), VERDICT_RGB["not_assessable"])
            for a, b in bones:
                pa, pb = _pt(xy[a]), _pt(xy[b])
                if pa and pb:
                    cv2.line(scene, pa, pb, colour, width, cv2.LINE_AA)
        for i in (LM.LEFT_ELBOW, LM.RIGHT_ELBOW, LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_WRIST, LM.RIGHT_WRIST):
            p = _pt(xy[i])
            if p:
                cv2.circle(scene, p, max(width, 2), (255, 255, 255), -1, cv2.LINE_AA)
        return scene


class AngleAnnotator:
    """The trunk line (hip midpoint to shoulder midpoint) with its lean, and each measured elbow angle."""

    def annotate(
        self, scene: np.ndarray, xy: np.ndarray, trunk_lean_deg: float, elbows_deg: dict[str, float], trunk_rgb: RGB
    ) -> list[Label]:
        """Draw the trunk line on ``scene`` in place and return the angle labels to place (NaN angle = not
        measured: nothing drawn). Angles in degrees."""
        u = unit_px(scene.shape)
        hips = (xy[LM.LEFT_HIP] + xy[LM.RIGHT_HIP]) / 2
        shoulders = (xy[LM.LEFT_SHOULDER] + xy[LM.RIGHT_SHOULDER]) / 2
        ph, ps = _pt(hips), _pt(shoulders)
        labels = []
        if ph and ps and np.isfinite(trunk_lean_deg):
            cv2.line(scene, ph, ps, trunk_rgb, max(int(round(1.6 * u)), 3), cv2.LINE_AA)
            labels.append(
                Label(f"lean {trunk_lean_deg:+.0f} deg", (ps[0], ps[1]), 10 * u, order=("above", "right", "left"))
            )
        for side, value in elbows_deg.items():
            p = _pt(xy[LM.LEFT_ELBOW if side == "left" else LM.RIGHT_ELBOW])
            if p and np.isfinite(value):
                labels.append(Label(f"{value:.0f}", (p[0], p[1]), 3 * u, size=0.9))
        return labels


class TouchdownAnnotator:
    """A ring under the landing foot, coloured and labelled by the strike class, held for a few frames."""

    def annotate(self, scene: np.ndarray, xy: np.ndarray, foot: str, strike: str | None) -> list[Label]:
        """Draw the ring on ``scene`` in place at the current position of ``foot`` (``xy`` [33, 2] px); return
        its label to place."""
        u = unit_px(scene.shape)
        heel, toe = FEET[foot]
        centre = _pt((xy[heel] + xy[toe]) / 2)
        if centre is None:
            return []
        colour = STRIKE_RGB.get(strike, STRIKE_RGB[None])
        radius = int(round(7 * u))
        cv2.circle(scene, centre, radius, colour, max(int(round(1.3 * u)), 2), cv2.LINE_AA)
        label = (strike or "unknown").upper()
        return [Label(label, (centre[0], centre[1]), radius + 2 * u, colour, order=("below", "above", "right", "left"))]


def hud_lines(steps: int, cadence_spm: float | None, direction: str | None) -> list[tuple[str, RGB]]:
    """The top lines: step counter and live cadence, then the direction of travel."""
    cadence = f"{cadence_spm:.0f} steps/min" if cadence_spm else "-"
    lines: list[tuple[str, RGB]] = [(f"steps {steps} | cadence {cadence}", (255, 255, 255))]
    if direction:
        colour = (120, 200, 255) if direction == "backward" else (230, 230, 230)
        lines.append(("STANDING" if direction == "standing" else f"running {direction.upper()}", colour))
    return lines


class HudAnnotator:
    """Step counter, live cadence and direction of travel at the top; not-assessable notices at the bottom."""

    def annotate(
        self, scene: np.ndarray, steps: int, cadence_spm: float | None, direction: str | None, notices: tuple[str, ...]
    ) -> np.ndarray:
        """Draw on ``scene`` in place (wrapped, inside the frame)."""
        for p in layout_frame(scene.shape, hud_lines(steps, cadence_spm, direction), notices):
            draw_text(scene, p)
        return scene


class VerdictOverlay:
    """Everything drawn on one frame, from the plan. ``scale``: output pixels per input pixel."""

    def __init__(self, plan: OverlayPlan, scale: float = 1.0) -> None:
        self.plan = plan
        self.scale = scale
        self.skeleton = VerdictSkeletonAnnotator()
        self.angles = AngleAnnotator()
        self.touchdown = TouchdownAnnotator()
        self.hud = HudAnnotator()

    def annotate(self, scene: np.ndarray, frame: int) -> np.ndarray:
        """Draw frame ``frame``'s overlay on ``scene`` (the output-size picture) in place."""
        p = self.plan
        if 0 <= frame < p.n_frames:
            for placed in self.draw_graphics(scene, frame):
                draw_text(scene, placed)
        return scene

    def draw_graphics(self, scene: np.ndarray, frame: int) -> list[Placed]:
        """Draw the skeleton, trunk line and rings of frame ``frame`` on ``scene``; return where its texts go
        (HUD at the top, notices at the bottom, then strike, lean and elbow labels beside what they name)."""
        p = self.plan
        xy = p.xy[frame] * self.scale
        parts = dict(p.part_verdict)
        self.skeleton.annotate(scene, xy, parts)
        trunk_rgb = VERDICT_RGB.get(parts.get("trunk", "not_assessable"), VERDICT_RGB["not_assessable"])
        labels: list[Label] = []
        for td in p.active_touchdowns(frame):
            labels += self.touchdown.annotate(scene, xy, td.foot, td.strike)
        labels += self.angles.annotate(
            scene,
            xy,
            p.trunk_lean_deg[frame],
            {"left": p.elbow_left_deg[frame], "right": p.elbow_right_deg[frame]},
            trunk_rgb,
        )
        direction = p.direction[frame] if frame < len(p.direction) else None
        hud = hud_lines(p.steps_done(frame), p.cadence_spm(frame), direction)
        notices = p.notices
        what = p.excluded[frame] if frame < len(p.excluded) else ()
        if what:  # the quality mask is drawn, not hidden: say which measurement was left out and why
            implausible = [s.replace("_", " ") for s in what if s not in UNSEEN_HERE]
            if implausible:
                notices = (f"excluded as implausible here: {', '.join(implausible)}", *notices)
            notices = tuple(words for key, words in UNSEEN_HERE.items() if key in what) + notices
        if not np.isfinite(p.xy[frame]).any():
            notices = (NOT_FOUND_HERE, *notices)
        return layout_frame(scene.shape, hud, notices, labels, notices_top=p.notices_top)
