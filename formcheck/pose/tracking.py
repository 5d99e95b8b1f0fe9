"""Following several people across frames and choosing the runner.

MediaPipe reports up to ``num_poses`` people per frame in no stable order. :class:`PersonTracker` links each
detection to a track by torso-centre distance (Hungarian assignment, gated in torso lengths), and scores each
track by how much it moves: the sum over frames of the mean landmark displacement over ``motion_lag_s`` (divided by
the lag in frames, so the score is in torso lengths and does not depend on the frame rate). Measuring over a lag of
a fifth of a second rather than one frame keeps landmark jitter from passing for movement. The runner is the
person who stays in view and moves most, i.e. the highest score (the analysis ranks them again by what makes an
athlete: :mod:`formcheck.pose.athlete`).

One person per track: when the pose pass gives each detection's colours (:mod:`formcheck.pose.pixels`), a
detection whose look is far from a track's (``max_appearance``) does not continue it, and fragments are joined
only when their looks and body proportions (leg / torso length, ``max_proportion_ratio``) agree: a track that
cannot be continued with confidence is cut, not joined.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from formcheck.config import TrackingConfig
from formcheck.pose.athlete import median_torso_px
from formcheck.pose.landmarks import LM, N_LANDMARKS, torso_lengths
from formcheck.pose.outliers import mangled_frames
from formcheck.pose.pixels import appearance_distance

_TORSO = [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP]
TORSO_MEMORY = 9  # frames whose torso lengths set a track's gate scale
_CENTRE_MEMORY = 5  # detections whose centres say where a track is expected next
_SIZE_FRAMES = 5  # detections at a fragment's end whose torso lengths give its size there


def distinct_detections(image: list[np.ndarray], max_mean_distance_torso: float) -> list[int]:
    """Indices of the detections of one frame to keep, in order, leaving out those that repeat another: MediaPipe
    sometimes reports one person twice. Two detections are the same person when their landmarks lie, on average,
    within ``max_mean_distance_torso`` torso lengths of each other; the one with the higher mean visibility is
    kept."""
    keep = list(range(len(image)))
    vis = [float(np.nanmean(lm[:, 3])) for lm in image]
    for a in range(len(image)):
        for b in range(a + 1, len(image)):
            if a not in keep or b not in keep:
                continue
            _, torso = torso_centre_and_length(image[a])
            d = float(np.nanmean(np.linalg.norm(image[a][:, :2] - image[b][:, :2], axis=1))) / torso
            if d <= max_mean_distance_torso:
                keep.remove(b if vis[a] >= vis[b] else a)
    return keep


def one_person(a: np.ndarray, b: np.ndarray, max_mean_distance_torso: float) -> bool:
    """Whether two candidates' landmarks (``[T, 33, 4]`` px) are one person's: on the frames both are seen, their
    landmarks lie on average within ``max_mean_distance_torso`` torso lengths of each other (median over those
    frames; the same test as two detections of one frame, :func:`formcheck.pose.tracking.distinct_detections`).
    Two people who cross share a place for a frame or two, not for most of the frames they are both seen."""
    both = np.flatnonzero(np.isfinite(a[:, 0, 0]) & np.isfinite(b[:, 0, 0]))
    if both.size == 0:
        return False
    d = np.nanmean(np.linalg.norm(a[both, :, :2] - b[both, :, :2], axis=-1), axis=1)
    torso = np.array([torso_centre_and_length(a[i])[1] for i in both])
    return bool(np.median(d / torso) <= max_mean_distance_torso)


def merge_same_person(
    image: np.ndarray, world: np.ndarray, scores: np.ndarray, max_mean_distance_torso: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidates (``image``/``world [P, T, 33, 4]``, ``scores [P]``) with any two that are one person
    (:func:`one_person`: two tracks of one walker, e.g. one carried and one searched, that the tracker kept apart)
    made one: the earlier candidate keeps its frames and takes the other's where it has none; the motion scores add
    up. Order otherwise kept."""
    image, world, scores = image.copy(), world.copy(), scores.astype(np.float64).copy()
    alive = list(range(image.shape[0]))

    def same_pair() -> tuple[int, int] | None:
        pairs = ((i, j) for i in alive for j in alive if j > i)
        return next(((i, j) for i, j in pairs if one_person(image[i], image[j], max_mean_distance_torso)), None)

    while (pair := same_pair()) is not None:
        i, j = pair
        fill = ~np.isfinite(image[i, :, 0, 0])
        image[i, fill], world[i, fill] = image[j, fill], world[j, fill]
        scores[i] += scores[j]
        alive.remove(j)
    return image[alive], world[alive], scores[alive]


def torso_centre_and_length(image_lm: np.ndarray) -> tuple[np.ndarray, float]:
    """Torso centre (x, y px) and torso length (px, shoulder-midpoint to hip-midpoint; at least 1 px)."""
    return image_lm[_TORSO, :2].mean(axis=0), max(float(torso_lengths(image_lm)), 1.0)


def within_reach(
    centre: np.ndarray, length: float, ref: np.ndarray, torso_px: float, reach: float, max_change: float
) -> bool:
    """Whether a result with torso ``centre`` (px) and ``length`` (px) can be the person expected at ``ref`` (px)
    with a torso of ``torso_px`` (px, at least 1): within ``reach`` torso lengths of it and of that build (torso
    length within ``max_change`` times either way). The one same-person check of the follow pass and the carry."""
    expected = max(torso_px, 1.0)
    near = float(np.linalg.norm(centre - ref)) / expected <= reach
    return near and 1.0 / max_change <= length / expected <= max_change


def leg_ratio(image_lm: np.ndarray) -> float:
    """Mean over both legs of (thigh + shank length) / torso length in the image (NaN if not measurable)."""
    xy = image_lm[:, :2].astype(np.float64)
    _, torso = torso_centre_and_length(image_lm)
    legs = [
        np.linalg.norm(xy[h] - xy[k]) + np.linalg.norm(xy[k] - xy[a])
        for h, k, a in ((LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE), (LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE))
    ]
    return float(np.mean(legs)) / torso


def looks_alike(a: np.ndarray | None, b: np.ndarray | None, config: TrackingConfig) -> bool:
    """False only when both looks (``[N_REGIONS, 3]`` mean RGB) are known and further apart than
    ``config.max_appearance`` (:func:`formcheck.pose.pixels.appearance_distance`)."""
    if a is None or b is None:
        return True
    d = appearance_distance(a, b, config.appearance_dark_floor)
    return not (np.isfinite(d) and d > config.max_appearance)


def track_look(colours: list[np.ndarray]) -> np.ndarray | None:
    """Median appearance of a list of ``[N_REGIONS, 3]`` colour samples (None if empty)."""
    if not colours:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN regions stay NaN
        return np.nanmedian(np.stack(colours), axis=0)


@dataclass
class _Track:
    track_id: int
    frames: list[int] = field(default_factory=list)
    slot: dict[int, int] = field(default_factory=dict)
    image: list[np.ndarray] = field(default_factory=list)
    world: list[np.ndarray] = field(default_factory=list)
    centre: np.ndarray | None = None
    torso_px: float = 1.0
    recent_torso_px: list[float] = field(default_factory=list)
    last_time_s: float = -np.inf
    first_time_s: float = np.inf
    motion: float = 0.0
    members: list[int] = field(default_factory=list)
    colours: list[np.ndarray] = field(default_factory=list)
    legs: list[float] = field(default_factory=list)
    recent: list[tuple[float, np.ndarray]] = field(default_factory=list)  # (time s, torso centre px), latest last

    def expected(self, time_s: float) -> np.ndarray | None:
        """Where the torso centre should be at ``time_s`` (px): each of the last few centres carried forward at
        the median velocity between them, and the median of those (one stray detection moves neither); the last
        centre while fewer than three are known."""
        if len(self.recent) < 3:
            return self.centre
        t = np.array([r[0] for r in self.recent])
        c = np.stack([r[1] for r in self.recent])
        dt = np.diff(t)
        ok = dt > 0
        v = np.median(np.diff(c, axis=0)[ok] / dt[ok, None], axis=0) if ok.any() else np.zeros(2)
        return np.asarray(np.median(c + v * (time_s - t)[:, None], axis=0))

    def look(self, last: int | None = None, first: int | None = None) -> np.ndarray | None:
        """Median colours of the last ``last`` (or first ``first``) detections."""
        if first is not None:
            return track_look(self.colours[:first])
        return track_look(self.colours[-last:] if last else self.colours)


class PersonTracker:
    """Online association of per-frame detections into people.

    Parameters: ``config`` (gates, in torso lengths and seconds); ``fps``: the video's frame rate (frames/s).
    Call :meth:`update` once per frame in order, then :meth:`finish` for the arrays.
    """

    def __init__(self, config: TrackingConfig, fps: float, frame_size: tuple[int, int] | None = None) -> None:
        self.config = config
        self.fps = float(fps)
        self.frame_size = frame_size  # (width, height) px of the landmarks' frame, when known
        self.lag_frames = max(int(round(config.motion_lag_s * fps)), 1)
        self._tracks: list[_Track] = []
        self._n_frames = 0
        self.dropped_implausible = 0  # detections dropped by :meth:`_plausible` (count)

    def update(
        self,
        frame_index: int,
        time_s: float,
        image: list[np.ndarray],
        world: list[np.ndarray],
        colours: list[np.ndarray] | None = None,
    ) -> list[int]:
        """Add the detections of one frame (each ``[33, 4]``, with its colours ``[N_REGIONS, 3]`` when the pose
        pass sampled them); return the track id given to each detection (-1 for a duplicate, dropped)."""
        self._n_frames = max(self._n_frames, frame_index + 1)
        kept = distinct_detections(image, self.config.duplicate_torso)
        given = len(image)
        image, world = [image[i] for i in kept], [world[i] for i in kept]
        looks = [colours[i] for i in kept] if colours is not None else [None] * len(image)
        live = [t for t in self._tracks if time_s - t.last_time_s <= self.config.max_gap_s]
        ids: list[int] = [-1] * len(image)
        if image and live:
            cost = np.full((len(image), len(live)), np.inf)
            for i, lm in enumerate(image):
                c, _ = torso_centre_and_length(lm)
                for j, tr in enumerate(live):
                    cost[i, j] = np.linalg.norm(c - tr.expected(time_s)) / tr.torso_px
                    if not looks_alike(looks[i], tr.look(self.config.appearance_memory), self.config):
                        cost[i, j] = np.inf  # someone else: never continues this track
            finite = np.where(np.isfinite(cost), cost, 1e9)
            rows, cols = linear_sum_assignment(finite)
            for i, j in zip(rows, cols, strict=True):
                if cost[i, j] <= self.config.max_jump_torso:
                    ids[i] = live[j].track_id
                    if not self._plausible(live[j], image[i]):
                        ids[i] = -2  # a mangled detection of this person: of nobody, dropped
                        self.dropped_implausible += 1
        for i, lm in enumerate(image):
            if ids[i] == -2:
                ids[i] = -1
                continue
            if ids[i] < 0:
                track = _Track(track_id=len(self._tracks))
                self._tracks.append(track)
                ids[i] = track.track_id
            self._add(self._tracks[ids[i]], frame_index, time_s, lm, world[i], looks[i])
        out = [-1] * given
        for i, track_id in zip(kept, ids, strict=True):
            out[i] = track_id
        return out

    def _plausible(self, tr: _Track, lm: np.ndarray) -> bool:
        """Whether a detection matched to ``tr`` has the track's build: its torso length within
        ``max_torso_change`` (either way) of the track's recent median, its leg / torso ratio within
        ``max_proportion_ratio`` of the track's recent median. MediaPipe sometimes squashes one frame's skeleton
        (hips pulled up to the shoulders, ankles above the knees) or spreads it over two people."""
        if len(tr.recent_torso_px) < 3:
            return True
        _, torso = torso_centre_and_length(lm)
        ratio = torso / tr.torso_px
        limit = self.config.max_torso_change
        if not 1.0 / limit <= ratio <= limit:
            return False
        legs = np.asarray(tr.legs[-self.config.appearance_memory :])
        legs = legs[np.isfinite(legs)]
        mine = leg_ratio(lm)
        if legs.size < 3 or not np.isfinite(mine):
            return True
        ref = float(np.median(legs))
        return max(mine, ref) / max(min(mine, ref), 1e-6) <= self.config.max_proportion_ratio

    def _same_build(self, a: _Track, b: _Track) -> bool:
        """False only when both fragments' median leg/torso ratios are known and differ by more than
        ``max_proportion_ratio``."""
        la, lb = np.asarray(a.legs), np.asarray(b.legs)
        la, lb = la[np.isfinite(la)], lb[np.isfinite(lb)]
        if not la.size or not lb.size:
            return True
        ra, rb = float(np.median(la)), float(np.median(lb))
        return max(ra, rb) / max(min(ra, rb), 1e-6) <= self.config.max_proportion_ratio

    def _add(
        self,
        tr: _Track,
        frame_index: int,
        time_s: float,
        lm: np.ndarray,
        world: np.ndarray,
        colours: np.ndarray | None = None,
    ) -> None:
        centre, torso = torso_centre_and_length(lm)
        if colours is not None:
            tr.colours.append(colours)
        tr.legs.append(leg_ratio(lm))
        before = tr.slot.get(frame_index - self.lag_frames)
        if before is not None:
            step = np.linalg.norm(lm[:, :2] - tr.image[before][:, :2], axis=1).mean()
            tr.motion += float(step) / torso / self.lag_frames
        tr.slot[frame_index] = len(tr.frames)
        tr.frames.append(frame_index)
        tr.image.append(lm.astype(np.float32))
        tr.world.append(world.astype(np.float32))
        tr.recent_torso_px = (tr.recent_torso_px + [torso])[-TORSO_MEMORY:]
        tr.recent = (tr.recent + [(time_s, centre)])[-_CENTRE_MEMORY:]
        # the gate's scale: the median of the last few frames, so one squashed detection does not shrink it
        tr.centre, tr.torso_px, tr.last_time_s = centre, float(np.median(tr.recent_torso_px)), time_s
        tr.first_time_s = min(tr.first_time_s, time_s)

    def leader(self) -> int | None:
        """Id of the track that leads so far (highest motion score), or None before any detection."""
        if not self._tracks:
            return None
        return max(self._tracks, key=lambda t: (t.motion, len(t.frames))).track_id

    def _stitch(self) -> list[_Track]:
        """Join fragments of one person broken by detection gaps longer than ``max_gap_s``, or by a second track
        that a glitch started a few frames before the first one ended.

        A fragment joins an earlier chain when the jump between the chain's last position and the fragment's
        position is within reach at ``max_speed_torso_per_s`` (plus one frame's jump). They may share at most
        ``max_overlap_s`` of frames; then the jump is measured at the chain's last frame and the fragment's
        detections replace the chain's over the shared frames. Across a gap (at most ``max_stitch_gap_s``) each end,
        extrapolated across the gap at its own velocity, must land near the other end: within one frame's jump
        plus ``stitch_slack_torso_per_s`` x gap, and inside the frame (when its size is known): someone who walked
        out of the view and someone who walked in are not told apart by where they were. Looks and build must agree,
        and size: torso lengths within ``max_torso_change``, and ``stitch_size_change_per_s`` (log ratio) more per
        second of gap (someone coming nearer grows only so fast). When two chains could continue a fragment about as
        well, it is cut (starts its own chain), not joined.
        """
        chains: list[_Track] = []
        for tr in sorted(self._tracks, key=lambda t: t.frames[0]):
            fits: list[tuple[float, _Track]] = []
            for ch in chains:
                memory = self.config.appearance_memory
                if not self._same_build(ch, tr) or not looks_alike(ch.look(memory), tr.look(first=memory), self.config):
                    continue
                cost = self._join_cost(ch, tr)
                if cost is not None:
                    fits.append((cost, ch))
            fits.sort(key=lambda f: f[0])
            best = fits[0][1] if fits else None
            if len(fits) > 1 and fits[0][0] > self.config.stitch_ambiguity * fits[1][0]:
                best = None  # two people could continue it: cut, never guess
            if best is None:
                chains.append(
                    _Track(
                        track_id=tr.track_id,
                        frames=list(tr.frames),
                        image=list(tr.image),
                        world=list(tr.world),
                        centre=tr.centre,
                        torso_px=tr.torso_px,
                        last_time_s=tr.last_time_s,
                        motion=tr.motion,
                        first_time_s=tr.first_time_s,
                        members=[tr.track_id],
                        colours=list(tr.colours),
                        legs=list(tr.legs),
                    )
                )
            else:
                while best.frames and best.frames[-1] >= tr.frames[0]:  # shared frames: the fragment's
                    best.frames.pop()
                    best.image.pop()
                    best.world.pop()
                best.frames += tr.frames
                best.image += tr.image
                best.world += tr.world
                best.last_time_s = max(best.last_time_s, tr.last_time_s)
                best.motion += tr.motion
                best.members.append(tr.track_id)
                best.colours += tr.colours
                best.legs += tr.legs
        return chains

    def _end(self, tr: _Track, last: bool) -> tuple[np.ndarray, np.ndarray, float]:
        """Torso centre (px), velocity (px/s, over up to ``motion_lag_s``) and torso length (px) at the last (or
        first) detection of ``tr``."""
        idx = list(range(len(tr.frames)))
        idx = idx[::-1] if last else idx
        k = idx[min(self.lag_frames, len(idx) - 1)]
        here, torso = torso_centre_and_length(tr.image[idx[0]])
        there = torso_centre_and_length(tr.image[k])[0]
        dt = (tr.frames[idx[0]] - tr.frames[k]) / self.fps
        vel = (here - there) / dt if dt else np.zeros(2)
        return here, vel, torso

    def _out_of_view(self, centre: np.ndarray) -> bool:
        """Whether a torso centre (px) lies outside the frame (never, when the frame size is not known)."""
        if self.frame_size is None:
            return False
        w, h = self.frame_size
        return not (0.0 <= centre[0] <= w and 0.0 <= centre[1] <= h)

    def _join_cost(self, ch: _Track, tr: _Track) -> float | None:
        """How well fragment ``tr`` continues chain ``ch`` (0 best .. 1 at the limit), None if it cannot."""
        cfg = self.config
        overlap_s = ch.last_time_s - tr.first_time_s
        if overlap_s >= 0:
            if overlap_s > cfg.max_overlap_s:
                return None
            # the fragment's detection nearest the chain's last frame
            at = int(np.argmin(np.abs(np.asarray(tr.frames) - ch.frames[-1])))
            here = torso_centre_and_length(tr.image[at])[0]
            gap_s = abs(tr.frames[at] - ch.frames[-1]) / self.fps
        else:
            here, gap_s = torso_centre_and_length(tr.image[0])[0], -overlap_s
            if gap_s > cfg.max_stitch_gap_s:
                return None
        last_c = torso_centre_and_length(ch.image[-1])[0]
        size_then = median_torso_px(np.stack(ch.image[-_SIZE_FRAMES:]))
        size_now = median_torso_px(np.stack(tr.image[:_SIZE_FRAMES]))
        if abs(np.log(size_now / size_then)) > np.log(cfg.max_torso_change) + cfg.stitch_size_change_per_s * gap_s:
            return None  # another size: someone else, unless they came that much nearer in the gap
        # distances in the smaller end's torso lengths: in the larger one's, someone twice another's size standing
        # far from them looks near
        torso = min(size_then, size_now)
        jump = float(np.linalg.norm(here - last_c)) / torso
        reach = cfg.max_jump_torso + cfg.max_speed_torso_per_s * gap_s
        if jump > reach:
            return None
        if overlap_s >= 0:
            return jump / reach
        p_c, v_c, _ = self._end(ch, last=True)
        p_f, v_f, _ = self._end(tr, last=False)
        # each end extrapolated across the gap at its own velocity must land near the other end
        if self._out_of_view(p_c + v_c * gap_s) or self._out_of_view(p_f - v_f * gap_s):
            return None  # they walked out of the view in the gap (unseen, not just undetected): cut, not guessed
        ahead = float(np.linalg.norm(p_c + v_c * gap_s - p_f))
        back = float(np.linalg.norm(p_f - v_f * gap_s - p_c))
        miss = max(ahead, back) / torso
        allowed = cfg.max_jump_torso + cfg.stitch_slack_torso_per_s * gap_s
        return None if miss > allowed else max(jump / reach, miss / allowed)

    def finish(self, n_frames: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[list[int]]]:
        """Arrays of the candidate people, best first.

        Returns ``image [P, T, 33, 4]``, ``world [P, T, 33, 4]`` (NaN where a person is not seen), ``scores [P]``
        (motion score, torso lengths) and ``members`` (per person, the ids :meth:`update` gave its fragments).
        Fragments of one person split by long gaps are joined first (:meth:`_stitch`). People seen in
        fewer than ``min_presence`` of the frames are dropped unless nothing else remains.
        """
        t_total = max(n_frames or 0, self._n_frames)
        tracks = sorted(self._stitch(), key=lambda t: (-t.motion, -len(t.frames)))
        keep = [t for t in tracks if len(t.frames) >= self.config.min_presence * max(t_total, 1)]
        tracks = keep or tracks[:1]
        image = np.full((len(tracks), t_total, N_LANDMARKS, 4), np.nan, dtype=np.float32)
        world = np.full_like(image, np.nan)
        for p, tr in enumerate(tracks):
            if tr.frames:
                image[p, tr.frames] = np.stack(tr.image)
                world[p, tr.frames] = np.stack(tr.world)
                bad = mangled_frames(
                    image[p],
                    self.fps,
                    self.config.outlier_window_s,
                    self.config.max_torso_change,
                    self.config.max_hip_off_torso,
                )
                image[p, bad], world[p, bad] = np.nan, np.nan
                self.dropped_implausible += int(bad.sum())
        scores = np.array([t.motion for t in tracks], dtype=np.float64)
        return image, world, scores, [list(t.members) for t in tracks]
