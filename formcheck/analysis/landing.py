"""Landings from the foot's sweep relative to the pelvis (Zeni et al. 2008), to check the height detector's contacts.

During stance the foot stands on the ground while the body travels over it, so relative to the pelvis it moves
against the direction of travel; in swing it moves the other way, faster than the body. The foot is therefore
furthest toward the travel direction (relative to the pelvis) at the landing, and furthest the other way at the
push-off. This holds walking or running, forward or backward (a backward runner's foot lands behind the body, which
is toward where they travel; FIELD_NOTES "Gait events"), on a static or a following camera (it is relative to the
pelvis), whatever side the camera is on (``travel`` carries the sign).

:func:`sweep_leg` gives that signed position; :func:`sweep_landings` its maxima, one per stride; :func:`reconcile`
keeps the height detector's contact at each landing (its timing is the better one: the foot's descent stopping; a
runner's foot is furthest forward a little before it touches down, as the swing leg draws back; the impact is
then searched from the landing on),
takes the sweep's landing where the height detector found none near (a walker's stance foot often reads above the
ground level of a tilted or perspective ground, a toe-first landing reads down only once the heel is down), and
drops height contacts no landing explains (a swing foot dipping toward the ground, a second trigger mid-stance).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from formcheck.analysis.types import CleanPose, Foot
from formcheck.pose.landmarks import LM

_FOOT = {"left": (int(LM.LEFT_HEEL), int(LM.LEFT_FOOT_INDEX)), "right": (int(LM.RIGHT_HEEL), int(LM.RIGHT_FOOT_INDEX))}


def sweep_leg(pose: CleanPose, foot: Foot, travel: np.ndarray, leg_px: float) -> np.ndarray:
    """Per frame, how far the foot (mean of heel and foot index) is ahead of the pelvis (hip midpoint) toward the
    direction of travel, image x, in leg lengths; NaN where the foot or the pelvis is unknown or ``travel`` (per
    frame +1: travelling toward image +x, -1: toward -x, 0: standing or unknown) is 0, and on the first frame of a
    new direction (the sweep changes sign there)."""
    heel, toe = _FOOT[foot]
    xy = pose.xy
    fx = (xy[:, heel, 0] + xy[:, toe, 0]) / 2.0
    px = (xy[:, LM.LEFT_HIP, 0] + xy[:, LM.RIGHT_HIP, 0]) / 2.0
    t = np.asarray(travel, dtype=np.float64)
    u = np.where(t != 0, (fx - px) * t / leg_px, np.nan)
    u[1:][t[1:] != t[:-1]] = np.nan  # the sweep flips sign where the direction changes: no landing there
    return u


def sweep_landings(u: np.ndarray, min_gap_frames: int, min_sweep_leg: float) -> tuple[np.ndarray, np.ndarray]:
    """(frames int64[n], sub-frame positions float64[n]) of the landings in ``u`` (:func:`sweep_leg`): maxima whose
    sweep on both sides is at least ``min_sweep_leg`` (leg lengths: the foot swung forward to them and the body then
    passed over the foot), at least ``min_gap_frames`` apart, within stretches where ``u`` is known (a maximum at
    the edge of a stretch is not known to be one)."""
    frames: list[int] = []
    subs: list[float] = []
    ok = np.isfinite(u)
    idx = np.flatnonzero(ok)
    if idx.size < 3:
        return np.zeros(0, np.int64), np.zeros(0)
    breaks = np.flatnonzero(np.diff(idx) > 1)
    for run in np.split(idx, breaks + 1):
        if run.size < 3:
            continue
        seg = u[run[0] : run[-1] + 1]
        peaks, _ = find_peaks(seg, prominence=min_sweep_leg, distance=max(min_gap_frames, 1))
        for p in peaks:
            frac = 0.0
            den = seg[p - 1] - 2 * seg[p] + seg[p + 1]
            if den < 0:  # parabola through the peak and its neighbours
                frac = float(np.clip(0.5 * (seg[p - 1] - seg[p + 1]) / den, -0.5, 0.5))
            frames.append(int(run[0] + p))
            subs.append(float(run[0] + p + frac))
    return np.asarray(frames, np.int64), np.asarray(subs, np.float64)


def reconcile(
    height: np.ndarray, landings: np.ndarray, before_frames: float, after_frames: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which contacts are landings. ``height``: the height detector's contacts (sorted impact positions, frames);
    ``landings``: the sweep's (sorted, frames). Returns (kept: int64 indices into ``height``, sorted; their landings:
    int64 indices into ``landings``; added: int64 indices into ``landings``): each landing keeps the nearest height
    contact from ``before_frames`` before it to ``after_frames`` after it (each height contact serves one landing
    at most), or is added itself when there is none; height contacts no landing keeps are dropped."""
    pairs: list[tuple[int, int]] = []
    added: list[int] = []
    used: set[int] = set()
    h = np.asarray(height, dtype=np.float64)
    for k, z in enumerate(np.asarray(landings, dtype=np.float64)):
        near = [
            (abs(h[i] - z), i) for i in range(h.size) if i not in used and -before_frames <= h[i] - z <= after_frames
        ]
        if near:
            i = min(near)[1]
            used.add(i)
            pairs.append((i, k))
        else:
            added.append(k)
    pairs.sort()
    kept = np.asarray([i for i, _ in pairs], np.int64)
    return kept, np.asarray([k for _, k in pairs], np.int64), np.asarray(added, np.int64)
