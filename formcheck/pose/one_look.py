"""One person per followed track, judged by look over the whole track.

The checks while tracking compare each detection with the track's recent look, so a track that passes from one
person to another through a few mixed detections (two people overlapping, the detector reporting one skeleton for
the pair) drifts through without any step being far enough to stop it: on the held-out Pose2Sim cam03 clip
(issue 10) the man's track ends on the woman he stands against, each detection within ``tracking.max_appearance``
of the last fifteen. Over the whole track the change is plain: the median looks of its frames before the moment
it passed to her and after differ by 0.37 (0.32 at half size), where one person's halves in the real-footage suite
differ by at most 0.20 (walkers from sun to shade, a man turning round). Past ``tracking.look_change_max`` the
shorter part is cut from the track. The part may also lie inside the track (a track that passes to someone and
back): any stretch of it against the rest, where one person's stretches differ by at most 0.20 (real and
synthetic), and cam03 played forwards then backwards, on the woman for 0.73 s in the middle, by 0.33 (any single
split there: 0.11). Beside a cut, frames still leaving the other person (off the path the kept frames beyond lead
along) go with it.
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.landmarks import shoulder_and_hip_midpoints, torso_lengths
from formcheck.pose.pixels import appearance_distance, appearance_distances

#: Frames whose median makes a look, at most (a long video is subsampled evenly), and ends tried for a stretch of
#: another look, at most (each pair of them is one stretch: ~500 pairs; its ends are then placed frame by frame, see
#: :func:`changed_stretch`).
_MAX_SAMPLES = 240
_MAX_BOUNDS = 30
#: Cuts of one track, at most: a track passes from one person to another once or twice, not more.
_MAX_CUTS = 3


def _median_look(colours: np.ndarray) -> np.ndarray:
    """The median colours ``[N_REGIONS, 3]`` of ``colours [T, N_REGIONS, 3]``, each region over the frames it is
    seen on (NaN where never): NumPy's ``nanmedian``, sorted once instead of per column (it is called ~1000 times
    per track)."""
    s = np.sort(colours, axis=0)  # NaN last
    n = np.isfinite(colours).sum(axis=0)
    lo, hi = np.maximum((n - 1) // 2, 0), np.maximum(n // 2, 0)
    med = (np.take_along_axis(s, lo[None], 0)[0] + np.take_along_axis(s, hi[None], 0)[0]) / 2.0
    return np.where(n > 0, med, np.nan)


def changed_stretch(colours: np.ndarray, min_side: int, dark_floor: float) -> tuple[float, int, int] | None:
    """The stretch of a track whose look differs most from the rest's: ``(distance, start, stop)``, the appearance
    distance between the median look of frames ``[start, stop)`` and of the frames outside, each at least
    ``min_side`` frames seen (None when the track is too short to have both). The stretch may touch either end of
    the track (a track that passes from one person to another) or lie inside it (one that
    passes to someone and back, A -> B -> A: Pose2Sim cam03 played forwards then backwards, 0.73 s on the woman in
    the middle of the man's 3.3 s). ``colours``: ``[T, N_REGIONS, 3]`` mean RGB per frame, NaN where not seen. The
    ends are placed frame by frame: the frames inside are those nearer the stretch's median than the rest's, in
    one run (most total distance saved)."""
    seen = np.flatnonzero(np.isfinite(colours).all(axis=2).any(axis=1))
    if seen.size < 2 * max(min_side, 1):
        return None
    pick = np.unique(np.linspace(0, seen.size - 1, min(seen.size, _MAX_SAMPLES)).round().astype(int))
    sample = colours[seen[pick]]
    least = max(int(np.ceil(min_side * pick.size / seen.size)), 1)  # min_side, in samples
    grid = np.unique(np.linspace(0, pick.size, min(pick.size, _MAX_BOUNDS) + 1).round().astype(int))
    best, at = -1.0, (0, 0)
    for a in grid:
        for b in grid[grid >= a + least]:
            if a + pick.size - b < least:
                continue
            inside, outside = sample[a:b], np.concatenate([sample[:a], sample[b:]])
            d = appearance_distance(_median_look(inside), _median_look(outside), dark_floor)
            if np.isfinite(d) and d > best:
                best, at = d, (int(a), int(b))
    if best < 0:
        return None
    a, b = at
    inner = _median_look(sample[a:b])
    outer = _median_look(np.concatenate([sample[:a], sample[b:]]))
    gain = np.nan_to_num(appearance_distances(colours[seen], outer, dark_floor)) - np.nan_to_num(
        appearance_distances(colours[seen], inner, dark_floor)
    )
    i, j = _best_run(gain)
    if j - i < min_side or seen.size - (j - i) < min_side:  # the run found is too short a part: the coarse ends
        i, j = int(pick[a]), int(pick[b - 1]) + 1
    return best, int(seen[i]), int(seen[j - 1]) + 1


def _best_run(gain: np.ndarray) -> tuple[int, int]:
    """``(i, j)``: the run ``gain[i:j]`` of largest sum (Kadane; at least one element)."""
    best, best_at = -np.inf, (0, 1)
    total, start = 0.0, 0
    for k, g in enumerate(gain):
        if total <= 0:
            total, start = 0.0, k
        total += float(g)
        if total > best:
            best, best_at = total, (start, k + 1)
    return best_at


def cut_to_one_look(
    colours: np.ndarray, min_side: int, max_change: float, dark_floor: float, guard: int = 0
) -> np.ndarray:
    """Boolean ``[T]``: the frames of a followed track to drop so that what is left is one person by look. While
    some stretch's look differs from the rest's by more than ``max_change`` (:func:`changed_stretch`), the stretch
    or the rest, whichever has fewer frames seen, is dropped, with the ``guard`` frames of the other next to each
    change (the landmarker passes from one person to the other over a frame or two of mixed skeletons), and what is
    left looked at again (at most :data:`_MAX_CUTS` times)."""
    colours = colours.copy()
    n = colours.shape[0]
    drop = np.zeros(n, dtype=bool)
    frame = np.arange(n)
    for _ in range(_MAX_CUTS):
        change = changed_stretch(colours, min_side, dark_floor)
        if change is None or change[0] <= max_change:
            break
        seen = np.isfinite(colours).all(axis=2).any(axis=1)
        _, start, stop = change
        inside = (frame >= start) & (frame < stop)
        kept_at = np.flatnonzero(seen)
        before = guard if start > kept_at[0] else 0  # a change at the stretch's start (not the track's)
        after = guard if stop <= kept_at[-1] else 0
        if seen[inside].sum() <= seen[~inside].sum():
            side = (frame >= start - before) & (frame < stop + after)  # the stretch goes
        else:
            side = (frame < start + before) | (frame >= stop - after)  # the rest goes
        drop |= side & seen
        colours[side] = np.nan
    return drop


def mixed_beside_cuts(image: np.ndarray, cut: np.ndarray, window: int, span: int, max_off_torso: float) -> np.ndarray:
    """Boolean ``[T]``: frames next to a cut (``cut [T]``, from :func:`cut_to_one_look`) that are still a mixed
    skeleton. The landmarker leaves the other person over a few frames, each skeleton further from them, and those
    frames' look can read nearer the kept person's than the other's (Pose2Sim cam03 played forwards then backwards:
    the man's track leaves the woman over four frames, 25 -> 66 -> 82 -> 134 px off his path, the last one's look
    already nearer hers). So on each kept side of a cut, the first ``window`` frames are compared with the kept
    person's path there: a straight line (hip midpoint against frame) fitted to the next ``span`` frames beyond,
    extrapolated back. When one of them lies more than ``max_off_torso`` torso lengths (the fit frames' median) off
    it, it and every frame between it and the cut are returned. ``image``: ``[T, 33, >=2]`` landmarks (px, NaN
    where not seen); a side with fewer than half of ``span`` frames seen (at least 3) is left as it is."""
    n = cut.shape[0]
    hips, torso = shoulder_and_hip_midpoints(image)[1], torso_lengths(image)
    seen = np.isfinite(hips).all(axis=1) & np.isfinite(torso)
    gone = cut | ~seen
    usable = seen & ~cut
    out = np.zeros(n, dtype=bool)
    for k in np.flatnonzero(gone[:-1] != gone[1:]):
        step = 1 if gone[k] else -1  # the kept side begins at k + 1 and goes on (a cut ends at k), or at k and back
        start = k + 1 if step == 1 else k
        end = start - step  # the gone run on the other side, from its frame next to the kept side
        while 0 <= end - step < n and gone[end - step]:
            end -= step
        if not cut[min(start - step, end) : max(start - step, end) + 1].any():
            continue  # frames merely unseen, not a cut
        run = np.arange(start, start + step * window, step)
        fit = np.arange(start + step * window, start + step * (window + span), step)
        run, fit = run[(run >= 0) & (run < n)], fit[(fit >= 0) & (fit < n)]
        fit = fit[usable[fit]]
        if fit.size < max(3, (span + 1) // 2) or not usable[run].any():
            continue
        slope, offset = np.polyfit(fit.astype(float), hips[fit], 1)  # each [2] (x, y)
        off = np.linalg.norm(hips[run] - (np.outer(run, slope) + offset), axis=1) / np.median(torso[fit])
        far = np.flatnonzero(usable[run] & (np.nan_to_num(off) > max_off_torso))  # not frames of another cut
        if far.size:
            out[run[: far[-1] + 1]] = True
    return out & usable
