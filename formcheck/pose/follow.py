"""The follow pass: one candidate (the athlete) on every frame, one pose per frame, on a crop around them.

The sweep (:mod:`formcheck.pose.sweep`) says where the candidate is a few times a second; between its frames the
position is interpolated (across gaps up to ``pose.follow_max_gap_s``). Each frame is cropped to a box
``pose.follow_margin`` times the candidate's extent around that position, and a landmarker in VIDEO mode with one
pose looks there: MediaPipe then follows the person from frame to frame and runs its detector only when it loses
them, and a small runner fills the crop instead of a sliver of the frame. A result whose torso is further than
``pose.follow_max_offset_torso`` from where the sweep puts the candidate, or of another build, is someone else in
the crop: it is rejected (and counted), and after ``pose.follow_reset_after`` rejections in a row the landmarker is
made afresh. A result must also look like the candidate followed so far (the colours of :mod:`formcheck.pose.pixels`,
within ``tracking.max_appearance``): past the ends of what the sweep saw no sweep position vouches for who it is,
and a landmarker left to itself moves on to whoever stands closest; and within them a skeleton of two people can lie
within reach (the crowd walker at 0.6x size: her hips and legs with the shoulders of the man behind her). The video
is split into runs of consecutive frames followed at once, one landmarker each.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from formcheck.config import Config
from formcheck.pose.landmarks import N_LANDMARKS, shoulder_and_hip_midpoints
from formcheck.pose.pixels import N_REGIONS, person_colours
from formcheck.pose.tracking import looks_alike, torso_centre_and_length, track_look, within_reach
from formcheck.progress import Progress
from formcheck.timing import StageClock
from formcheck.timing import stage as clocked
from formcheck.video.stream import map_chunks

#: A run of frames to follow: ``(index, time s, picture)`` in order; the picture is the upright RGB frame at the
#: follow scale, or a :class:`formcheck.video.working_copy.StoredFrame` (cropped before its colour conversion).
FrameRun = Iterable[tuple[int, float, Any]]


def cut_picture(picture: Any, x0: int, y0: int, w: int, h: int) -> np.ndarray:
    if isinstance(picture, np.ndarray):
        return np.ascontiguousarray(picture[y0 : y0 + h, x0 : x0 + w])
    return np.asarray(picture.crop(x0, y0, w, h))


@dataclass(frozen=True)
class FollowPlan:
    """Where to look on each frame ``[T]``: ``centre_px [T, 2]`` the candidate's torso centre (px of the input;
    NaN: not followed there), ``extent_px [T]`` its extent (px of the input), ``torso_px`` its median torso
    length (px of the input), ``torso_track_px [T]`` its torso length per frame where the sweep puts it (px of the
    input, interpolated like the centre; None or NaN: the median is used there)."""

    centre_px: np.ndarray
    extent_px: np.ndarray
    torso_px: float
    torso_track_px: np.ndarray | None = None

    def torso_at(self, i: int) -> float:
        """The candidate's torso length (px of the input) expected on frame ``i``: where the sweep puts it, else
        its median (a walker coming toward the camera doubles in size; the median fits neither end)."""
        if self.torso_track_px is not None and 0 <= i < self.torso_track_px.size:
            v = float(self.torso_track_px[i])
            if np.isfinite(v) and v > 0:
                return v
        return self.torso_px

    @property
    def followed(self) -> np.ndarray:
        """Boolean ``[T]``: frames the candidate is looked for on."""
        return np.isfinite(self.centre_px[:, 0])


@dataclass(frozen=True)
class Followed:
    """The follow pass's result: ``image``/``world [T, 33, 4]`` (NaN where not found); counts of frames looked
    at, found, rejected (someone else in the crop) and landmarkers made afresh; ``colours [T, N_REGIONS, 3]``
    the mean RGB of each found frame's regions (:func:`formcheck.pose.pixels.person_colours`, NaN elsewhere;
    None when not sampled)."""

    image: np.ndarray
    world: np.ndarray
    looked: int
    found: int
    rejected: int
    resets: int
    colours: np.ndarray | None = None


def landmark_extent(lm: np.ndarray) -> float:
    """The larger of the width and height (px) of one person's landmarks ``lm [33, >=2]``."""
    xy = lm[:, :2]
    return float(np.max(np.nanmax(xy, axis=0) - np.nanmin(xy, axis=0)))


def _torso_centres(track: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sh, hp = shoulder_and_hip_midpoints(track[:, :, :2].astype(np.float64))
    return (sh + hp) / 2, np.linalg.norm(sh - hp, axis=1)


def _rolling_max(x: np.ndarray, half: int) -> np.ndarray:
    out = x.copy()
    for d in range(1, half + 1):
        out[d:] = np.fmax(out[d:], x[:-d])
        out[:-d] = np.fmax(out[:-d], x[d:])
    return out


def follow_plan(
    track: np.ndarray, frames: np.ndarray, times_s: np.ndarray, stride: int, max_gap_s: float, fps: float
) -> FollowPlan:
    """The plan for a candidate seen at sweep frames ``frames [S]`` with landmarks ``track [S, 33, 4]`` (px of
    the input, NaN unseen), for a video of frames at ``times_s [T]``: positions interpolated between sweep
    frames up to ``max_gap_s`` apart, held for ``stride`` frames beyond either end of each stretch seen; the
    extent is the largest within half a second."""
    n = times_s.size
    centre = np.full((n, 2), np.nan)
    extent = np.full(n, np.nan)
    length = np.full(n, np.nan)
    c, torso = _torso_centres(track)
    xy = track[:, :, :2].astype(np.float64)
    ok = np.any(np.all(np.isfinite(xy), axis=2), axis=1)
    e = np.full(xy.shape[0], np.nan)
    if ok.any():
        e[ok] = np.max(np.nanmax(xy[ok], axis=1) - np.nanmin(xy[ok], axis=1), axis=1)
    seen = np.flatnonzero(np.isfinite(c).all(axis=1) & np.isfinite(e) & np.isfinite(torso))
    if seen.size == 0:
        return FollowPlan(centre, extent, 1.0)
    for a, b in zip(seen[:-1], seen[1:], strict=True):
        fa, fb = int(frames[a]), int(frames[b])
        if times_s[min(fb, n - 1)] - times_s[fa] > max_gap_s + 1e-9:
            continue
        w = np.linspace(0.0, 1.0, fb - fa + 1)[:, None]
        centre[fa : fb + 1] = c[a] * (1 - w) + c[b] * w
        extent[fa : fb + 1] = e[a] * (1 - w[:, 0]) + e[b] * w[:, 0]
        length[fa : fb + 1] = torso[a] * (1 - w[:, 0]) + torso[b] * w[:, 0]
    for s in seen:  # the frames up to a stride beyond either end of each stretch seen: held there
        fs = int(frames[s])
        for i in range(max(fs - stride, 0), min(fs + stride, n - 1) + 1):
            if not np.isfinite(centre[i, 0]):
                centre[i], extent[i], length[i] = c[s], e[s], torso[s]
    extent = _rolling_max(extent, max(int(round(0.5 * fps)), 1))
    return FollowPlan(centre, extent, float(np.nanmedian(torso[seen])), length)


def crop_box(
    centre_px: np.ndarray, extent_px: float, scale: tuple[float, float], frame: tuple[int, int], config: Config
) -> tuple[int, int, int, int]:
    """``(x0, y0, w, h)`` (px of the followed frame, size ``frame`` (width, height)) of the crop around a
    candidate at ``centre_px`` with ``extent_px`` (px of the input; the followed frame is ``scale`` (x, y) times
    the input): a square ``follow_margin`` times the extent (at least ``follow_min_side_px``, rounded up to 16
    px so it changes seldom), shifted to lie inside the frame and cut to it."""
    fw, fh = frame
    side = max(extent_px * max(scale) * config.pose.follow_margin, config.pose.follow_min_side_px)
    side = int(np.ceil(side / 16.0) * 16)
    w, h = min(side, fw), min(side, fh)
    cx, cy = centre_px[0] * scale[0], centre_px[1] * scale[1]
    x0 = int(np.clip(round(cx - w / 2), 0, fw - w))
    y0 = int(np.clip(round(cy - h / 2), 0, fh - h))
    return x0, y0, w, h


def colours_of(
    picture: Any, lm: np.ndarray, scale: tuple[float, float], frame: tuple[int, int], config: Config
) -> np.ndarray:
    """The colours (:func:`formcheck.pose.pixels.person_colours`) of the person with landmarks ``lm`` (px of the
    input) on ``picture`` (a followed frame, ``scale`` (x, y) times the input, size ``frame``), read on the crop
    the follow pass would cut around them."""
    centre = torso_centre_and_length(lm)[0]
    x0, y0, w, h = crop_box(centre, landmark_extent(lm), scale, frame, config)
    at = lm.astype(np.float64).copy()
    at[:, 0] = at[:, 0] * scale[0] - x0
    at[:, 1] = at[:, 1] * scale[1] - y0
    return person_colours(cut_picture(picture, x0, y0, w, h), at)


def nearest_detection(
    found: list[np.ndarray], x0: int, y0: int, to_input: np.ndarray, ref: np.ndarray
) -> tuple[int, np.ndarray]:
    """The detection (index, landmarks in the input's pixels) of a crop cut at (x0, y0) whose torso centre is
    nearest ``ref`` (px of the input)."""
    shifted = []
    for lm in found:
        one = lm.copy()
        one[:, 0] += x0
        one[:, 1] += y0
        shifted.append(one * to_input)
    dist = [float(np.linalg.norm(torso_centre_and_length(one)[0] - ref)) for one in shifted]
    k = int(np.argmin(dist))
    return k, shifted[k]


class _Follower:
    """One run's landmarker and what it last found (see :func:`run_follow`)."""

    def __init__(self, make: Callable[[], Any], memory: int) -> None:
        self.make = make
        self.lm = make()
        self.misses = 0
        # frame, torso centre, extent and torso length (px of the input)
        self.last: tuple[int, np.ndarray, float, float] | None = None
        self.colours: deque[np.ndarray] = deque(maxlen=memory)  # the colours of what it last found, latest last

    def renew(self) -> None:
        self.lm.close()  # type: ignore[attr-defined]
        self.lm = self.make()
        self.misses = 0


def run_follow(
    plan: FollowPlan,
    runs: list[FrameRun],
    scale: tuple[float, float],
    frame_size: tuple[int, int],
    make: Callable[[], Any],
    config: Config,
    progress: Progress | None = None,
    clock: StageClock | None = None,
    extend_frames: int = 0,
    out: tuple[np.ndarray, np.ndarray] | None = None,
) -> Followed:
    """Follow the candidate of ``plan`` over ``runs`` (runs of consecutive frames, followed at once, each by
    its own landmarker from ``make()``: VIDEO mode, one pose). ``scale`` (x, y): followed-frame px per input px;
    ``frame_size``: the followed frames' (width, height) px.

    Past the end of a stretch the sweep saw, the landmarker keeps following on its own for as long as it finds
    the candidate again within ``extend_frames`` frames (the crop around where it last found them; a result must
    lie within ``tracking.max_jump_torso`` per frame of that): the sweep's few frames a second miss a person now
    and then, the follow pass need not.

    ``out``: the image and world arrays ``float32 [T, 33, 4]`` to fill (NaN first), e.g. the candidate's rows
    of the tracks, so no second track of every frame is held; made if None."""
    n = plan.centre_px.shape[0]
    if out is None:
        image = np.full((n, N_LANDMARKS, 4), np.nan, dtype=np.float32)
        world = np.full_like(image, np.nan)
    else:
        image, world = out
        if image.shape != (n, N_LANDMARKS, 4) or world.shape != image.shape:
            raise ValueError(f"run_follow: out arrays of shape {image.shape}, {world.shape}; expected {(n, 33, 4)}")
        image.fill(np.nan)
        world.fill(np.nan)
    counts = {"looked": 0, "found": 0, "rejected": 0, "resets": 0}
    looks = np.full((n, N_REGIONS, 3), np.nan, dtype=np.float32)
    to_input = np.array([1 / scale[0], 1 / scale[1], 1 / scale[0], 1.0], dtype=np.float32)
    limit = config.pose.follow_max_offset_torso
    change = config.tracking.max_torso_change
    jump = config.tracking.max_jump_torso
    planned = plan.followed
    made: list[_Follower] = []

    def worker() -> Callable[[tuple[int, float, np.ndarray]], bool]:
        me = _Follower(make, config.tracking.appearance_memory)
        made.append(me)

        def follow(item: tuple[int, float, np.ndarray]) -> bool:
            """Frame ``item`` followed; its landmarks written straight into ``image``/``world`` (each run writes
            only its own frames, so nothing per frame waits in the queues of later runs). True if found."""
            i, t, rgb = item
            if planned[i]:
                ref, extent, reach, build = plan.centre_px[i], float(plan.extent_px[i]), limit, plan.torso_at(i)
            elif me.last is not None and 0 < i - me.last[0] <= extend_frames:
                # past the plan, the build is the one last found: a walker going away shrinks past the sweep's median
                ref, extent, reach, build = me.last[1], me.last[2], jump * (i - me.last[0]), me.last[3]
            else:
                return False  # not looked at
            x0, y0, w, h = crop_box(ref, extent, scale, frame_size, config)
            crop = cut_picture(rgb, x0, y0, w, h)
            with clocked(clock, "pose.inference"):
                found, worlds = me.lm.detect(crop, t)  # type: ignore[attr-defined]
            counts["looked"] += 1
            if not found:
                return False
            k, lm = nearest_detection(found, x0, y0, to_input, ref)
            centre, torso = torso_centre_and_length(lm)
            colours = person_colours(crop, found[k])
            seen_as = track_look(list(me.colours))
            alike = looks_alike(colours, seen_as, config.tracking)
            if alike and within_reach(centre, torso, ref, build, reach, change):
                me.misses = 0
                me.last = (i, centre, landmark_extent(lm), torso)
                me.colours.append(colours)
                image[i], world[i], looks[i] = lm, worlds[k], colours
                return True
            me.misses += 1
            counts["rejected"] += 1
            if me.misses >= config.pose.follow_reset_after:
                me.renew()
                counts["resets"] += 1
            return False

        return follow

    try:
        workers = [worker() for _ in runs]
        done = 0
        for hit in map_chunks(list(runs), workers):
            counts["found"] += hit
            done += 1
            if progress is not None:
                progress(done, n, "follow")
    finally:
        for me in made:
            me.lm.close()  # type: ignore[attr-defined]
    return Followed(image, world, counts["looked"], counts["found"], counts["rejected"], counts["resets"], looks)


def _at(lm: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Where to look for a person found with landmarks ``lm [33, >=2]`` (px): torso centre, extent, torso length."""
    centre, length = torso_centre_and_length(lm)
    return centre, landmark_extent(lm), float(length)


def extend_backward(
    got: Followed,
    plan: FollowPlan,
    read: Callable[[int], tuple[float, Any]],
    scale: tuple[float, float],
    frame_size: tuple[int, int],
    make: Callable[[], Any],
    config: Config,
    extend_frames: int,
) -> Followed:
    """``got`` with each stretch found followed back in time, from its first frame, for as long as the candidate
    is found again within ``extend_frames`` frames (each result within ``tracking.max_jump_torso`` per frame of
    the last): the mirror of :func:`run_follow`'s extension past a stretch's end. The frames are given to a fresh
    VIDEO-mode landmarker in reverse order (with rising timestamps); started on someone else on the stretch's first
    frame, it starts again a frame further in, up to ``pose.follow_back_start_tries`` frames, and then goes back past
    the first frame for ``extend_frames`` only. ``read(i)``: frame ``i``'s (time s, upright RGB at the follow
    scale, or a picture to crop: see :data:`FrameRun`). ``got``'s arrays are filled in place (a copy would hold a
    third track of every frame at the pass's peak)."""
    if extend_frames <= 0:
        return got
    image, world = got.image, got.world
    found = np.isfinite(image[:, 0, 0])
    to_input = np.array([1 / scale[0], 1 / scale[1], 1 / scale[0], 1.0], dtype=np.float32)
    change, jump = config.tracking.max_torso_change, config.tracking.max_jump_torso
    looked = added = 0
    looks = got.colours if got.colours is not None else np.full((found.size, N_REGIONS, 3), np.nan, np.float32)
    memory = config.tracking.appearance_memory

    def candidate(
        lm: Any, i: int, t0: float, ref: np.ndarray, extent: float, torso: float, reach: float, look: Any
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """Frame ``i`` looked at around ``ref`` (px of the input) by ``lm``, started at ``t0`` s and going back in
        time (so shown at ``2 t0 - t``, rising): the candidate's (image, world, colours, torso centre) when the
        detection nearest ``ref`` is of the candidate's look and build, within ``reach`` torso lengths of ``ref``;
        else None."""
        t, picture = read(i)
        x0, y0, w, h = crop_box(ref, extent, scale, frame_size, config)
        crop = cut_picture(picture, x0, y0, w, h)
        people, worlds = lm.detect(crop, 2 * t0 - t)
        if not people:
            return None
        k, one = nearest_detection(people, x0, y0, to_input, ref)
        centre, length = torso_centre_and_length(one)
        colours = person_colours(crop, people[k])
        near = within_reach(centre, length, ref, torso, reach, change)
        return (one, worlds[k], colours, centre) if near and looks_alike(colours, look, config.tracking) else None

    starts = [s for s in range(1, found.size) if found[s] and not found[s - 1]]
    for s in starts:
        # the candidate's look: its colours on the first frames of the stretch (input px -> followed-frame px)
        ahead = [j for j in range(s, min(s + memory, found.size)) if found[j]][:5]
        seen_as = track_look([colours_of(read(j)[1], image[j], scale, frame_size, config) for j in ahead])
        # the landmarker starts on the stretch's first frame; started on someone else there (the detector picks the
        # most prominent person in the crop), it starts again a frame further in and follows the candidate back to
        # the first, up to pose.follow_back_start_tries frames in
        for a in range(s, min(s + config.pose.follow_back_start_tries, found.size)):
            if not found[a]:
                break
            t0 = read(a)[0]
            with make() as lm:
                on_track = all(
                    candidate(lm, j, t0, *_at(image[j]), jump, seen_as) is not None for j in range(a, s - 1, -1)
                )
                if not on_track:
                    continue
                last_i, (last_c, last_e, last_t) = s, _at(image[s])
                # a start that had someone else in the crop is trusted back for extend_frames only (the crowd walker
                # greyed: followed back 6.4 s beside the man she walks with, the track took him on 9 frames)
                stop = 0 if a == s else max(s - extend_frames, 0)
                j = s - 1
                while j >= stop and last_i - j <= extend_frames and not found[j]:
                    looked += 1
                    # of the build last found: a walker coming from afar has grown past the sweep's median
                    hit = candidate(lm, j, t0, last_c, last_e, last_t, jump * (last_i - j), seen_as)
                    if hit is not None:
                        image[j], world[j], looks[j], _ = hit
                        (last_c, last_e, last_t), last_i, added = _at(image[j]), j, added + 1
                    j -= 1
            break
    return Followed(image, world, got.looked + looked, got.found + added, got.rejected, got.resets, looks)
