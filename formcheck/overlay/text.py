"""Text on the annotated video: sizes, outlines, wrapping and a layout that keeps every label inside the frame and
off every other label.

The layout is a pure function (:func:`layout_frame`) from the frame size and the texts to draw to the boxes they
will occupy, so it can be tested without drawing; :func:`draw_text` then paints one placed text. Units: pixels of
the output frame.

Sizes: a text's ascent (height of a capital above the baseline) is 1/:data:`ASCENT_PER_SHORT_SIDE` of the frame's
short side times its relative ``size``, never less than :data:`MIN_ASCENT_PX`. A phone shows a video scaled to fit
its screen; the worst case is a landscape clip watched on a phone held upright (a 1280x720 clip shown ~390 CSS px
wide), where 1/26 of the short side still comes out at ~8 CSS px, about the capital height of 11-12 px body text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

RGB = tuple[int, int, int]
FONT = cv2.FONT_HERSHEY_DUPLEX
#: Ascent of body text as a fraction 1/N of the frame's short side (see the module docstring).
ASCENT_PER_SHORT_SIDE = 26.0
#: No text is smaller than this (px ascent): Hershey glyphs below ~10 px lose their strokes (at 320x240 the
#: old overlay drew ~5 px text that read as smudges).
MIN_ASCENT_PX = 11
#: Share of the frame height the bottom notices may take; further lines end in "...".
NOTICE_SHARE = 0.4
#: Hershey's space is narrow: words are joined by two so they stay apart at every size.
SPACE = "  "
_H_ASCENT = cv2.getTextSize("H", FONT, 1.0, 1)[0][1]  # ascent of a capital at scale 1 (px)

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (px, x1/y1 exclusive)


@dataclass(frozen=True)
class TextStyle:
    """How big one text is drawn: ``ascent_px`` (capital height), cv2 ``scale``, stroke ``thickness`` and dark
    ``halo`` (px added around each stroke), ``gap_px`` kept free between texts."""

    ascent_px: int
    scale: float
    thickness: int
    halo: int
    gap_px: int

    @property
    def line_px(self) -> int:
        """Distance between the baselines of two wrapped lines (px)."""
        return int(round(self.ascent_px * 1.45)) + 2 * self.halo


def text_style(shape: Sequence[int], size: float = 1.0) -> TextStyle:
    """The style of a text of relative ``size`` (1 = body text) on a frame of ``shape`` (h, w, ...)."""
    ascent = max(int(round(size * min(shape[0], shape[1]) / ASCENT_PER_SHORT_SIDE)), MIN_ASCENT_PX)
    thickness = max(int(round(ascent / 11)), 1)
    halo = max(int(round(ascent / 8)), 1)
    return TextStyle(ascent, ascent / _H_ASCENT, thickness, halo, max(int(round(ascent / 4)), 2))


@lru_cache(maxsize=4096)
def measure(text: str, style: TextStyle) -> tuple[int, int, int]:
    """(width, ascent, descent) of ``text`` in px, halo included (cached: the same texts come back every frame)."""
    (w, h), base = cv2.getTextSize(text, FONT, style.scale, style.thickness)
    pad = style.halo + style.thickness
    return w + 2 * pad, h + pad, base + pad


def _fit_word(word: str, max_w: int, style: TextStyle) -> list[str]:
    """A word too long for a line, cut into pieces that fit (one character at least per piece)."""
    pieces, cur = [], ""
    for ch in word:
        if cur and measure(cur + ch, style)[0] > max_w:
            pieces.append(cur)
            cur = ""
        cur += ch
    return pieces + ([cur] if cur else [])


def wrap(text: str, max_w: int, style: TextStyle) -> list[str]:
    """``text`` broken at spaces into lines at most ``max_w`` px wide (a longer word is cut between letters)."""
    lines: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur}{SPACE}{word}" if cur else word
        if measure(trial, style)[0] <= max_w:
            cur = trial
            continue
        if cur:
            lines.append(cur)
        parts = _fit_word(word, max_w, style) if measure(word, style)[0] > max_w else [word]
        lines.extend(parts[:-1])
        cur = parts[-1]
    return lines + ([cur] if cur else [])


@dataclass(frozen=True)
class Label:
    """A text tied to a point of the picture: placed beside ``anchor`` (px) at ``clear_px`` from it, trying the
    sides in ``order`` ("right", "left", "above", "below"), then the same sides shifted up and down by lines."""

    text: str
    anchor: tuple[float, float]
    clear_px: float
    colour: RGB = (255, 255, 255)
    size: float = 1.0
    order: tuple[str, ...] = ("right", "left", "above", "below")


@dataclass(frozen=True)
class Placed:
    """A text ready to draw: baseline origin ``org`` (px), the ``box`` it covers (halo included), its style."""

    text: str
    org: tuple[int, int]
    box: Box
    style: TextStyle
    colour: RGB


def _placed(text: str, x: int, top: int, style: TextStyle, colour: RGB) -> Placed:
    w, asc, desc = measure(text, style)
    pad = style.halo + style.thickness
    return Placed(text, (x + pad, top + asc), (x, top, x + w, top + asc + desc), style, colour)


def overlaps(a: Box, b: Box, gap: int = 0) -> bool:
    """True when boxes ``a`` and ``b`` come closer than ``gap`` px."""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _block(lines: list[tuple[str, RGB]], style: TextStyle, x: int, top: int) -> list[Placed]:
    out = []
    for text, colour in lines:
        p = _placed(text, x, top, style, colour)
        out.append(p)
        top = p.box[3] + style.gap_px // 2
    return out


def _notice_lines(notices: Sequence[str], style: TextStyle, width: int, budget_px: int) -> list[str]:
    """The notices wrapped to ``width``; as many lines as fit in ``budget_px``, the last cut one ending in "..."."""
    lines = [ln for n in notices for ln in wrap(n, width, style)]
    _, asc, desc = measure("Hg", style)
    per_line = asc + desc + style.gap_px // 2
    keep = max(budget_px // per_line, 1)
    if len(lines) <= keep:
        return lines
    last = lines[keep - 1]
    while last and measure(last + " ...", style)[0] > width:
        last = last[:-1]
    return lines[: keep - 1] + [last.rstrip() + " ..."]


def _candidates(label: Label, w: int, h: int, step: int) -> list[tuple[int, int]]:
    """Top-left corners to try for a ``w`` x ``h`` label, in order of preference."""
    ax, ay, r = label.anchor[0], label.anchor[1], label.clear_px
    side = {
        "right": (ax + r, ay - h / 2),
        "left": (ax - r - w, ay - h / 2),
        "above": (ax - w / 2, ay - r - h),
        "below": (ax - w / 2, ay + r),
    }
    base = [side[s] for s in label.order if s in side]
    out: list[tuple[int, int]] = []
    for k in (0, 1, -1, 2, -2, 3, -3, 4, -4):
        out.extend((int(round(x)), int(round(y + k * step))) for x, y in base)
    return out


def _place_label(label: Label, shape: Sequence[int], taken: list[Box], margin: int) -> Placed | None:
    style = text_style(shape, label.size)
    w, asc, desc = measure(label.text, style)
    fh, fw = int(shape[0]), int(shape[1])
    if w > fw - 2 * margin or asc + desc > fh - 2 * margin:
        return None
    for x, y in _candidates(label, w, asc + desc, asc + desc + style.gap_px):
        x = min(max(x, margin), fw - margin - w)
        y = min(max(y, margin), fh - margin - asc - desc)
        p = _placed(label.text, x, y, style, label.colour)
        if not any(overlaps(p.box, t, style.gap_px) for t in taken):
            return p
    return None


def layout_frame(
    shape: Sequence[int],
    hud: Sequence[tuple[str, RGB]] = (),
    notices: Sequence[str] = (),
    labels: Sequence[Label] = (),
    notice_rgb: RGB = (225, 225, 225),
    notices_top: bool = False,
) -> list[Placed]:
    """Where every text of one frame goes (pure: nothing is drawn).

    ``hud``: (text, colour) lines stacked at the top left, wrapped to the frame width; ``notices``: sentences
    wrapped and stacked at the bottom, or under the HUD with ``notices_top`` (at most :data:`NOTICE_SHARE` of the
    height, the last line cut with "...");
    ``labels``: placed in the given order (most important first) beside their anchors, never overlapping a text
    placed before; a label that finds no free place inside the frame is left out. Every returned box lies inside
    the frame, at least a margin from its edges.
    """
    size = (int(shape[0]), int(shape[1]))
    placed = list(_fixed_layout(size, tuple(hud), tuple(notices), notice_rgb, notices_top))
    taken = [p.box for p in placed]
    margin = _margin(size)
    for label in labels:
        p = _place_label(label, size, taken, margin)
        if p is not None:
            placed.append(p)
            taken.append(p.box)
    return placed


def _margin(size: tuple[int, int]) -> int:
    body = text_style(size, 1.0)
    return max(body.halo + 1, int(round(0.25 * body.ascent_px)))


@lru_cache(maxsize=64)
def _fixed_layout(
    size: tuple[int, int],
    hud: tuple[tuple[str, RGB], ...],
    notices: tuple[str, ...],
    notice_rgb: RGB,
    notices_top: bool = False,
) -> tuple[Placed, ...]:
    """The HUD lines at the top and the notices at the bottom, or under the HUD (cached: they change rarely from
    frame to frame)."""
    fh, fw = size
    body = text_style(size, 1.0)
    margin = _margin(size)
    width = fw - 2 * margin
    top_lines = [(ln, c) for text, c in hud for ln in wrap(text, width, body)]
    placed = _block(top_lines, body, margin, margin)
    note_style = text_style(size, 0.85)
    used_top = placed[-1].box[3] if placed else 0
    budget = min(int(NOTICE_SHARE * fh), fh - margin - used_top - note_style.gap_px)
    lines = _notice_lines(notices, note_style, width, budget) if notices and budget > 0 else []
    if lines:
        _, asc, desc = measure("Hg", note_style)
        height = len(lines) * (asc + desc) + (len(lines) - 1) * (note_style.gap_px // 2)
        top = fh - margin - height
        if notices_top:  # under the HUD (its last line's bottom, 0 without one), a gap apart
            top = used_top + note_style.gap_px if placed else margin
        placed += _block([(ln, notice_rgb) for ln in lines], note_style, margin, top)
    return tuple(placed)


#: Sprites kept (count). A frame shows about ten texts, nearly all as on the frame before, so a few hundred hold
#: every text of a stretch of frames. Each holds ~36 KB (the outline mask and the glyphs of its box): 2048 of them
#: let the render pass grow with the video until full (597 sprites, ~21 MB, after 3 minutes of 640x480).
_SPRITES = 256


@lru_cache(maxsize=_SPRITES)
def _sprite(
    text: str, style: TextStyle, colour: RGB, org: tuple[int, int], size: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """``text`` drawn at ``org`` in a ``size`` (h, w) box: the outline mask (the glyphs widened by the halo, uint8
    0/1) and the picture inside it (the coloured glyphs on black, uint8 RGB). Cached: the same texts come back
    frame after frame, so a frame costs one masked copy per text."""
    mask = np.zeros(size, np.uint8)
    cv2.putText(mask, text, org, FONT, style.scale, 255, style.thickness, cv2.LINE_AA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * style.halo + 1, 2 * style.halo + 1))
    halo = (cv2.dilate(mask, kernel) > 0).astype(np.uint8)
    rgb = (mask[..., None].astype(np.uint16) * np.asarray(colour, np.uint16) // 255).astype(np.uint8)
    return halo, rgb


def draw_text(scene: np.ndarray, p: Placed) -> np.ndarray:
    """Paint ``p`` on ``scene`` in place: the text in its colour inside a dark outline (the glyphs' mask widened
    by the halo).

    The outline is a dilated mask rather than a thicker stroke: cv2 spaces thicker glyphs further apart, so a
    thick dark copy would not line up with the coloured text."""
    x0, y0, x1, y1 = p.box
    roi = scene[y0:y1, x0:x1]
    if roi.size == 0:
        return scene
    halo, rgb = _sprite(p.text, p.style, tuple(p.colour), (p.org[0] - x0, p.org[1] - y0), roi.shape[:2])
    try:
        done = cv2.copyTo(rgb, halo, roi) is roi  # in place into the view (numpy's masked copy is ~500x slower)
    except cv2.error:  # a view whose layout OpenCV cannot take (e.g. strided columns)
        done = False
    if not done:
        np.copyto(roi, rgb, where=halo[..., None].astype(bool))
    return scene
