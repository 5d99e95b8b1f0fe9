"""What the pose pass reads from the pixels besides landmarks: how the background moved since the previous frame
(camera pan) and the colours each detected person wears (for telling people apart).

Called from the pose pass once per frame while the frame's pixels are still there (see
:func:`formcheck.analyze._pose_pass`); everything else in the pose stage sees landmarks only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.pose.landmarks import LM

#: Body regions whose mean colour describes a person's appearance, as (landmark a, landmark b, share of the way
#: from a to b): chest (shirt), pelvis (shorts), thighs and shanks (legs), upper arms (sleeves). The sleeves tell
#: apart two people in dark clothes whose jackets differ above the chest: on the OpenCV crowd clip (issue 10) the
#: woman in a black coat and the man in a navy jacket with red shoulders and sleeves read 0.30 apart on the first
#: six regions (under tracking.max_appearance, so his track was joined to hers), 0.65 with the sleeves; her own
#: frames, first half against second, 0.10 and 0.08.
REGIONS: tuple[tuple[tuple[int, int], tuple[int, int], float], ...] = (
    ((LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER), (LM.LEFT_HIP, LM.RIGHT_HIP), 0.35),
    ((LM.LEFT_HIP, LM.RIGHT_HIP), (LM.LEFT_HIP, LM.RIGHT_HIP), 0.0),
    ((LM.LEFT_HIP, LM.LEFT_HIP), (LM.LEFT_KNEE, LM.LEFT_KNEE), 0.5),
    ((LM.RIGHT_HIP, LM.RIGHT_HIP), (LM.RIGHT_KNEE, LM.RIGHT_KNEE), 0.5),
    ((LM.LEFT_KNEE, LM.LEFT_KNEE), (LM.LEFT_ANKLE, LM.LEFT_ANKLE), 0.5),
    ((LM.RIGHT_KNEE, LM.RIGHT_KNEE), (LM.RIGHT_ANKLE, LM.RIGHT_ANKLE), 0.5),
    ((LM.LEFT_SHOULDER, LM.LEFT_SHOULDER), (LM.LEFT_ELBOW, LM.LEFT_ELBOW), 0.5),
    ((LM.RIGHT_SHOULDER, LM.RIGHT_SHOULDER), (LM.RIGHT_ELBOW, LM.RIGHT_ELBOW), 0.5),
)
N_REGIONS = len(REGIONS)
_THUMB_WIDTH = 256  # px: width of the grey thumbnail whose shift measures the camera pan
_PATCH_TORSO = 0.12  # half-size of a colour patch, torso lengths


@dataclass(frozen=True)
class FrameSample:
    """``shift_px``: how far the background moved since the previous frame of the same run (x, y px of the full
    frame; NaN for a run's first frame); ``colours``: per detection ``float32[N_REGIONS, 3]`` mean RGB (0..255,
    NaN where the region is outside the frame)."""

    shift_px: np.ndarray
    colours: list[np.ndarray]


def grey_thumbnail(rgb: np.ndarray) -> tuple[np.ndarray, int]:
    step = max(1, rgb.shape[1] // _THUMB_WIDTH)
    g = rgb[::step, ::step].astype(np.float32).mean(axis=2)
    return g - g.mean(), step


def phase_shift(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Translation (dx, dy px, subpixel) that moves image ``a`` onto ``b`` (phase correlation, Hann window)."""
    win = np.outer(np.hanning(a.shape[0]), np.hanning(a.shape[1])).astype(np.float32)
    fa, fb = np.fft.rfft2(a * win), np.fft.rfft2(b * win)
    cross = fb * np.conj(fa)
    cross /= np.maximum(np.abs(cross), 1e-9)
    corr = np.fft.irfft2(cross, s=a.shape)
    h, w = corr.shape
    iy, ix = np.unravel_index(int(np.argmax(corr)), corr.shape)
    out = []
    for i, n, along in ((ix, w, lambda d: corr[iy, (ix + d) % w]), (iy, h, lambda d: corr[(iy + d) % h, ix])):
        vm, v0, vp = along(-1), along(0), along(1)
        denom = vm - 2 * v0 + vp
        frac = 0.5 * (vm - vp) / denom if abs(denom) > 1e-12 else 0.0
        pos = i + float(np.clip(frac, -0.5, 0.5))
        out.append(pos - n if pos > n / 2 else pos)
    return np.array(out, dtype=np.float64)


def person_colours(rgb: np.ndarray, lm: np.ndarray) -> np.ndarray:
    """Mean RGB (0..255) of small patches at each of :data:`REGIONS`, ``float32[N_REGIONS, 3]`` (NaN outside the
    frame). ``lm``: one person's image landmarks ``[33, 4]`` (px)."""
    h, w = rgb.shape[:2]
    xy = lm[:, :2].astype(np.float64)
    sh, hp = xy[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]].mean(0), xy[[LM.LEFT_HIP, LM.RIGHT_HIP]].mean(0)
    r = max(int(round(_PATCH_TORSO * float(np.linalg.norm(sh - hp)))), 1)
    out = np.full((N_REGIONS, 3), np.nan, dtype=np.float32)
    for k, (a, b, share) in enumerate(REGIONS):
        p = xy[list(a)].mean(0) * (1 - share) + xy[list(b)].mean(0) * share
        if not np.all(np.isfinite(p)):
            continue
        x, y = int(round(p[0])), int(round(p[1]))
        x0, x1, y0, y1 = max(x - r, 0), min(x + r + 1, w), max(y - r, 0), min(y + r + 1, h)
        if x1 > x0 and y1 > y0:
            out[k] = rgb[y0:y1, x0:x1].reshape(-1, 3).mean(axis=0)
    return out


class PixelSampler:
    """One per run of consecutive frames (one per landmarker): keeps the previous frame's thumbnail."""

    def __init__(self) -> None:
        self._prev: np.ndarray | None = None

    def sample(self, rgb: np.ndarray, people: list[np.ndarray]) -> FrameSample:
        """The background's shift since the previous frame given to this sampler, and each person's colours."""
        thumb, step = grey_thumbnail(rgb)
        shift = np.full(2, np.nan)
        if self._prev is not None and self._prev.shape == thumb.shape:
            shift = phase_shift(self._prev, thumb) * step
        self._prev = thumb
        return FrameSample(shift_px=shift, colours=[person_colours(rgb, lm) for lm in people])


def appearance_distance(a: np.ndarray, b: np.ndarray, dark_floor: float) -> float:
    """How different two appearances (``[N_REGIONS, 3]`` mean RGB) look, 0 (same) .. ~1: the mean over regions
    seen in both of the chromaticity difference (r, g shares, x4) plus the relative brightness difference, each
    region's brightness divided by the person's mean brightness so shade and sun change little. NaN if no region
    is seen in both. ``dark_floor`` (grey levels) is added to every channel first: near black, a colour has no
    chromaticity (a black coat reading RGB (3, 0, 1) one frame and (0, 0, 0) the next is noise, not a change of
    colour), so dark regions count as grey."""
    return float(appearance_distances(a[None], b, dark_floor)[0])


def appearance_distances(many: np.ndarray, one: np.ndarray, dark_floor: float) -> np.ndarray:
    """:func:`appearance_distance` of each of ``many`` (``[T, N_REGIONS, 3]``) from ``one`` (``[N_REGIONS, 3]``):
    ``float64 [T]``."""
    both = np.isfinite(many).all(axis=2) & np.isfinite(one).all(axis=1)[None]
    a = np.where(both[..., None], many, 0.0).astype(np.float64) + dark_floor
    b = np.where(both[..., None], one[None], 0.0).astype(np.float64) + dark_floor
    sa, sb = a.sum(axis=2), b.sum(axis=2)
    chroma = np.abs(a / sa[..., None] - b / sb[..., None])[..., :2].sum(axis=2) * 4.0
    n = both.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ma = np.where(both, sa, 0.0).sum(axis=1) / n
        mb = np.where(both, sb, 0.0).sum(axis=1) / n
        rel = np.abs(sa / ma[:, None] - sb / mb[:, None])
        return np.where(both, chroma + rel, 0.0).sum(axis=1) / n / 2.0
