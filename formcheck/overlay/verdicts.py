"""The annotated video's drawing: skeleton coloured by verdict, trunk line and angle, elbow angles, touchdown
markers with the strike class, step counter, live cadence, direction of travel and "not assessable" notices.

Annotators read an :class:`~formcheck.overlay.plan.OverlayPlan` and draw; they never judge. Sizes scale with the
frame so the overlay stays legible on a phone in portrait and landscape.
"""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.overlay.plan import OverlayPlan
from formcheck.pose.landmarks import LM

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
PARTS: dict[str, tuple[tuple[int, int], ...]] = {
    "trunk": (
        (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER),
        (LM.LEFT_HIP, LM.RIGHT_HIP),
        (LM.LEFT_SHOULDER, LM.LEFT_HIP),
        (LM.RIGHT_SHOULDER, LM.RIGHT_HIP),
        (LM.NOSE, LM.LEFT_EAR),
        (LM.NOSE, LM.RIGHT_EAR),
    ),
    "arms": (
        (LM.LEFT_SHOULDER, LM.LEFT_ELBOW),
        (LM.LEFT_ELBOW, LM.LEFT_WRIST),
        (LM.RIGHT_SHOULDER, LM.RIGHT_ELBOW),
        (LM.RIGHT_ELBOW, LM.RIGHT_WRIST),
    ),
    "legs": (
        (LM.LEFT_HIP, LM.LEFT_KNEE),
        (LM.LEFT_KNEE, LM.LEFT_ANKLE),
        (LM.LEFT_ANKLE, LM.LEFT_HEEL),
        (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX),
        (LM.LEFT_ANKLE, LM.LEFT_FOOT_INDEX),
        (LM.RIGHT_HIP, LM.RIGHT_KNEE),
        (LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
        (LM.RIGHT_ANKLE, LM.RIGHT_HEEL),
        (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX),
        (LM.RIGHT_ANKLE, LM.RIGHT_FOOT_INDEX),
    ),
}
FEET = {"left": (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), "right": (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)}


def unit_px(shape: tuple[int, ...]) -> float:
    """The overlay's size unit (px): 1/240 of the frame's short side, so everything scales with the frame."""
    return max(min(shape[0], shape[1]) / 240.0, 1.0)


def put_text(
    scene: np.ndarray, text: str, org: tuple[int, int], u: float, colour: RGB = (255, 255, 255), size: float = 1.0
) -> None:
    """White-on-dark outlined text, legible on any background; ``size`` in overlay units."""
    scale = 0.27 * u * size
    thick = max(int(round(0.55 * u * size)), 1)
    d = max(int(round(0.5 * u)), 1)  # a dark halo drawn at offsets: same thickness, so the glyphs line up
    for dx, dy in ((-d, -d), (0, -d), (d, -d), (-d, 0), (d, 0), (-d, d), (0, d), (d, d)):
        cv2.putText(
            scene, text, (org[0] + dx, org[1] + dy), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thick, cv2.LINE_AA
        )
    cv2.putText(scene, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thick, cv2.LINE_AA)


def _pt(p: np.ndarray) -> tuple[int, int] | None:
    return (int(round(p[0])), int(round(p[1]))) if np.all(np.isfinite(p)) else None


class VerdictSkeletonAnnotator:
    """Bones coloured by the verdict of the rule each part belongs to (trunk, arms, legs)."""

    def annotate(self, scene: np.ndarray, xy: np.ndarray, part_verdict: dict[str, str]) -> np.ndarray:
        """Draw on ``scene`` in place; ``xy`` [33, 2] px in scene coordinates."""
        u = unit_px(scene.shape)
        width = max(int(round(0.9 * u)), 2)
        for part, bones in PARTS.items():
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
    ) -> np.ndarray:
        """Draw on ``scene`` in place; angles in degrees (NaN = not measured: nothing drawn)."""
        u = unit_px(scene.shape)
        hips = (xy[LM.LEFT_HIP] + xy[LM.RIGHT_HIP]) / 2
        shoulders = (xy[LM.LEFT_SHOULDER] + xy[LM.RIGHT_SHOULDER]) / 2
        ph, ps = _pt(hips), _pt(shoulders)
        if ph and ps and np.isfinite(trunk_lean_deg):
            cv2.line(scene, ph, ps, trunk_rgb, max(int(round(1.6 * u)), 3), cv2.LINE_AA)
            put_text(scene, f"lean {trunk_lean_deg:+.0f} deg", (ps[0] + int(12 * u), ps[1] - int(10 * u)), u)
        for side, value in elbows_deg.items():
            p = _pt(xy[LM.LEFT_ELBOW if side == "left" else LM.RIGHT_ELBOW])
            if p and np.isfinite(value):
                put_text(scene, f"{value:.0f}", (p[0] + int(2.5 * u), p[1] + int(2 * u)), u, size=0.85)
        return scene


class TouchdownAnnotator:
    """A ring under the landing foot, coloured and labelled by the strike class, held for a few frames."""

    def annotate(self, scene: np.ndarray, xy: np.ndarray, foot: str, strike: str | None) -> np.ndarray:
        """Draw on ``scene`` in place at the current position of ``foot`` (``xy`` [33, 2] px)."""
        u = unit_px(scene.shape)
        heel, toe = FEET[foot]
        centre = _pt((xy[heel] + xy[toe]) / 2)
        if centre is None:
            return scene
        colour = STRIKE_RGB.get(strike, STRIKE_RGB[None])
        radius = int(round(7 * u))
        cv2.circle(scene, centre, radius, colour, max(int(round(1.3 * u)), 2), cv2.LINE_AA)
        label = (strike or "unknown").upper()
        put_text(scene, label, (centre[0] - radius, centre[1] + radius + int(9 * u)), u, colour, size=0.9)
        return scene


class HudAnnotator:
    """Step counter, live cadence and direction of travel at the top; not-assessable notices at the bottom."""

    def annotate(
        self, scene: np.ndarray, steps: int, cadence_spm: float | None, direction: str | None, notices: tuple[str, ...]
    ) -> np.ndarray:
        """Draw on ``scene`` in place."""
        u = unit_px(scene.shape)
        x, y = int(4 * u), int(12 * u)
        cadence = f"{cadence_spm:.0f} steps/min" if cadence_spm else "-"
        put_text(scene, f"steps {steps}   cadence {cadence}", (x, y), u)
        if direction:
            colour = (120, 200, 255) if direction == "backward" else (230, 230, 230)
            put_text(scene, f"running {direction.upper()}", (x, y + int(12 * u)), u, colour)
        h = scene.shape[0]
        for k, line in enumerate(reversed(notices)):
            put_text(scene, line[:60], (x, h - int(4 * u) - k * int(9 * u)), u, (220, 220, 220), size=0.7)
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
            xy = p.xy[frame] * self.scale
            parts = dict(p.part_verdict)
            self.skeleton.annotate(scene, xy, parts)
            trunk_rgb = VERDICT_RGB.get(parts.get("trunk", "not_assessable"), VERDICT_RGB["not_assessable"])
            self.angles.annotate(
                scene,
                xy,
                p.trunk_lean_deg[frame],
                {"left": p.elbow_left_deg[frame], "right": p.elbow_right_deg[frame]},
                trunk_rgb,
            )
            for td in p.active_touchdowns(frame):
                self.touchdown.annotate(scene, xy, td.foot, td.strike)
            direction = p.direction[frame] if frame < len(p.direction) else None
            self.hud.annotate(scene, p.steps_done(frame), p.cadence_spm(frame), direction, p.notices)
        return scene
