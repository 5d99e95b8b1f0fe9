"""Signal cleaning: left/right leg swap correction, short-gap filling, low-pass filtering, per-landmark confidence.

MediaPipe's Tasks API does not smooth landmarks (mediapipe #4507), and peers report left/right swaps mid-run
(Sports2D #35); both are handled here, before any angle or event is computed.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, filtfilt

from formcheck.analysis.runs import true_runs
from formcheck.analysis.types import CleanPose
from formcheck.config import CleaningConfig
from formcheck.pose.landmarks import LM
from formcheck.pose.sequence import PoseSequence

#: Leg landmarks (left, right) exchanged together when the legs' labels swap.
LEG_PAIRS: tuple[tuple[int, int], ...] = tuple(
    (int(LM[f"LEFT_{n}"]), int(LM[f"RIGHT_{n}"])) for n in ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX")
)


class Cleaner:
    """Clean a :class:`PoseSequence` into a :class:`CleanPose`.

    Parameters (``[cleaning]`` of the config): ``max_gap_s`` longest dropout filled by linear interpolation (s);
    ``cutoff_hz`` low-pass cut-off of a zero-phase 2nd-order Butterworth filter, converted to the clip's real frame
    rate (Hz); ``swap_ratio`` a frame's leg labels are exchanged when the swapped assignment is closer to the
    previous frame than this fraction of the kept one (0..1).
    """

    def __init__(self, cfg: CleaningConfig) -> None:
        self.max_gap_s = cfg.max_gap_s
        self.cutoff_hz = cfg.cutoff_hz
        self.swap_ratio = cfg.swap_ratio

    def clean(self, seq: PoseSequence, exclude: np.ndarray | None = None) -> CleanPose:
        """Run every cleaning step; returns the cleaned pose (the action method). Frames where ``exclude``
        (bool[T]) is set are implausible landmark sets: treated as missing, and never filled from their
        neighbours (they stay NaN)."""
        # one float64 copy of each quantity, cleaned in place: at 10 minutes of video a [T, 33, 4] float64 array is
        # 19 MB, and copies of the whole input made the cleaning the analysis's peak of memory
        image = np.asarray(seq.image)
        t = image.shape[0]
        xy = image[:, :, :2].astype(np.float64) if t else np.zeros((0, 33, 2))
        vis = np.nan_to_num(image[:, :, 3].astype(np.float64), nan=0.0) if t else np.zeros((0, 33))
        world = np.asarray(seq.world)[:, :, :3].astype(np.float64) if t else np.zeros((0, 33, 3))
        xy[~np.isfinite(xy)] = np.nan
        world[~np.isfinite(world)] = np.nan
        drop = np.zeros(t, dtype=bool) if exclude is None else np.asarray(exclude, dtype=bool)
        xy[drop], world[drop], vis[drop] = np.nan, np.nan, 0.0
        apply_leg_swaps(leg_swap_masks(xy, self.swap_ratio), xy, vis, world)
        fps = float(seq.fps)  # PoseSequence guarantees a positive frame rate
        max_gap = max(int(round(self.max_gap_s * fps)), 0)
        for arr in (xy, world):
            _fill_gaps_into(arr, max_gap)
            arr[drop] = np.nan
            _lowpass_into(arr, self.cutoff_hz, fps)
        conf = np.clip(vis, 0.0, 1.0, out=vis)
        if t:
            conf[~np.isfinite(image[:, :, 0]) | drop[:, None]] = 0.0
        return CleanPose(
            xy=xy,
            conf=conf,
            world=world,
            times_s=np.asarray(seq.timestamps_s, dtype=np.float64),
            detected=np.asarray(seq.detected, dtype=bool),
            fps=fps,
            width=int(seq.width),
            height=int(seq.height),
        )


#: Groups of leg pairs whose labels are corrected together: MediaPipe often swaps the feet (ankle, heel, foot
#: index) without the knees, so each group has its own swap path.
SWAP_GROUPS: tuple[tuple[tuple[int, int], ...], ...] = (LEG_PAIRS[:1], LEG_PAIRS[1:])


def leg_swap_masks(xy: np.ndarray, swap_ratio: float) -> list[np.ndarray]:
    """Per pair of :data:`LEG_PAIRS`, bool[T]: where that pair's left/right labels should be exchanged.

    Each group of :data:`SWAP_GROUPS` gets the label path (kept / exchanged per frame) that minimises the summed
    frame-to-frame movement of its landmarks over the whole clip (Viterbi over two states), so one ambiguous
    frame (the feet crossing) cannot start a chain of wrong exchanges as a frame-by-frame rule would. Keeping the
    raw labels costs nothing; exchanging costs ``(1 - swap_ratio)`` x the median frame-to-frame movement per frame,
    so labels change only where the movement clearly says so. Frames with a missing landmark keep their labels.
    """
    t = xy.shape[0]
    masks = [np.zeros(t, dtype=bool) for _ in LEG_PAIRS]
    k = 0
    for group in SWAP_GROUPS:
        left = [a for a, _ in group]
        right = [b for _, b in group]
        legs = xy[:, left + right]  # [T, 2 x group, 2]: only these landmarks copied, not the whole pose
        idx = np.flatnonzero(np.all(np.isfinite(legs), axis=(1, 2)))
        if idx.size >= 2:
            legs = legs[idx]
            lp, rp = legs[:, : len(left)], legs[:, len(left) :]
            keep = np.linalg.norm(lp[1:] - lp[:-1], axis=2).sum(1) + np.linalg.norm(rp[1:] - rp[:-1], axis=2).sum(1)
            cross = np.linalg.norm(lp[1:] - rp[:-1], axis=2).sum(1) + np.linalg.norm(rp[1:] - lp[:-1], axis=2).sum(1)
            unary = (1.0 - swap_ratio) * max(float(np.median(keep)), 1e-6)
            n = idx.size
            cost = np.array([0.0, unary])
            back = np.zeros((n, 2), dtype=np.int8)
            for i in range(1, n):
                # state 0 = raw labels, 1 = exchanged; same state -> "keep" movement, different -> "cross"
                to0 = (cost[0] + keep[i - 1], cost[1] + cross[i - 1])
                to1 = (cost[0] + cross[i - 1], cost[1] + keep[i - 1])
                back[i] = (int(to0[1] < to0[0]), int(to1[1] < to1[0]))
                cost = np.array([min(to0), min(to1) + unary])
            state = int(cost[1] < cost[0])
            path = np.zeros(n, dtype=bool)
            for i in range(n - 1, -1, -1):
                path[i] = bool(state)
                state = int(back[i, state]) if i > 0 else state
            for _ in group:
                masks[k][idx[path]] = True
                k += 1
        else:
            k += len(group)
    return masks


def apply_leg_swaps(masks: list[np.ndarray], *arrays: np.ndarray) -> None:
    """Exchange the left/right leg labels in place in every array of ``arrays`` (axis 0 time, axis 1 landmark)
    where ``masks`` (one bool[T] per pair of :data:`LEG_PAIRS`, from :func:`leg_swap_masks`) say so."""
    for (a, b), m in zip(LEG_PAIRS, masks, strict=True):
        for arr in arrays:
            tmp = arr[m, a].copy()
            arr[m, a] = arr[m, b]
            arr[m, b] = tmp


def fill_gaps(arr: np.ndarray, max_gap_frames: int) -> np.ndarray:
    """Linear interpolation over interior NaN runs of at most ``max_gap_frames`` frames, per channel (axis 0 is
    time). Longer gaps and the ends stay NaN."""
    out = np.array(arr, dtype=np.float64, copy=True)
    _fill_gaps_into(out, max_gap_frames)
    return out


def _fill_gaps_into(out: np.ndarray, max_gap_frames: int) -> None:
    """:func:`fill_gaps` in place on a float64 array ``out``."""
    t = out.shape[0]
    if t < 3 or max_gap_frames <= 0:
        return
    flat = out.reshape(t, -1)
    idx = np.arange(t)
    for c in range(flat.shape[1]):
        col = flat[:, c]
        bad = ~np.isfinite(col)
        if not bad.any() or bad.all():
            continue
        good = ~bad
        filled = np.interp(idx, idx[good], col[good])
        # runs of NaN: fill only short interior ones
        for s, e in true_runs(bad):
            if s > 0 and e < t and e - s <= max_gap_frames:
                col[s:e] = filled[s:e]


def lowpass(arr: np.ndarray, cutoff_hz: float, fps: float, order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth low-pass along axis 0 over each finite run (runs too short to filter are kept raw).
    The normalised cut-off is ``cutoff_hz / (fps / 2)``, so the same setting means the same Hz at any frame
    rate; a cut-off at or above Nyquist leaves the signal unfiltered."""
    out = np.array(arr, dtype=np.float64, copy=True)
    _lowpass_into(out, cutoff_hz, fps, order)
    return out


def _lowpass_into(out: np.ndarray, cutoff_hz: float, fps: float, order: int = 2) -> None:
    """:func:`lowpass` in place on a float64 array ``out``."""
    t = out.shape[0]
    wn = cutoff_hz / (fps / 2.0)
    if t < 4 or not 0 < wn < 0.99:
        return
    b, a = butter(order, wn)
    pad = 3 * max(len(a), len(b))
    flat = out.reshape(t, -1)
    finite = np.isfinite(flat)
    for c in range(flat.shape[1]):
        ok = finite[:, c]
        if not ok.any():
            continue
        for s, e in true_runs(ok):
            if e - s > pad:
                flat[s:e, c] = filtfilt(b, a, flat[s:e, c])
