"""Carrying the sweep's people back and forward in time, on crops around them.

The sweep's landmarkers run in VIDEO mode: once MediaPipe's person detector has found someone, it follows them
from one searched frame to the next, but only forward in time. A person the detector misses until some frame (a
face blurred for privacy, a walker ~80 px tall among a dozen, legs hidden behind someone in front) is then found
from that frame on, and the same clip played backwards finds them on other frames: the athlete choice, which
counts presence, changed with the direction of time (issue 10: the Pose2Sim man seen on 14 of 17 searched frames
forward and 9 of 17 backward; the vtest.avi woman missed for 5 s forward, and for 6 s at the other end backward).

Here every candidate is carried out of each stretch of searched frames it was seen on (gaps up to
``pose.follow_max_gap_s`` belong to the stretch: the follow pass interpolates across them), in both directions of
time alike: a landmarker (the sweep's model, VIDEO mode, one pose; shown an empty picture first, so it follows
nobody) is started on a crop around the candidate at
the stretch's first (last) sighting, then given the searched frames before (after) it in turn, each cropped around
where it last found them; a result counts when it is where the candidate could have got to (the sweep's own jump
gate per searched frame), of the candidate's build (``tracking.max_torso_change`` against its recent torso) and
look (``tracking.max_appearance``). Started on someone else at that sighting (the detector on the crop picks the
most prominent person), it starts again from the next sighting into the stretch, up to ``pose.carry_start_tries``,
and follows the candidate out to the end before going on. The carry stops at a frame the candidate is seen on, or after
``pose.carry_max_misses`` searched frames in a row without them; a result the sweep already has on that frame
(another track of the same person) is passed through, not added twice. What is found is added to the sweep's
detections, which are then tracked again.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.config import Config
from formcheck.pose.extract import Landmarker
from formcheck.pose.follow import crop_box, cut_picture, landmark_extent, nearest_detection
from formcheck.pose.pixels import person_colours
from formcheck.pose.sweep import Sweep
from formcheck.pose.tracking import (
    TORSO_MEMORY,
    distinct_detections,
    looks_alike,
    torso_centre_and_length,
    track_look,
    within_reach,
)
from formcheck.video.reader import VideoInfo, frames_at
from formcheck.video.working_copy import WorkingCopy


@dataclass(frozen=True)
class Carried:
    """The sweep with the detections the carry added; ``looked``: crops searched, ``added``: detections added."""

    sweep: Sweep
    looked: int
    added: int


#: What a landmarker is shown between two carries: nobody (mid-grey), so it lets go of whom it followed.
_BLANK = np.full((64, 64, 3), 128, dtype=np.uint8)


def _is_known(lm: np.ndarray, known: list[np.ndarray], duplicate_torso: float) -> bool:
    """Whether ``lm`` repeats one of the detections ``known`` (mean landmark distance within ``duplicate_torso``
    torso lengths: :func:`formcheck.pose.tracking.distinct_detections`)."""
    return any(len(distinct_detections([other, lm], duplicate_torso)) == 1 for other in known)


def _detection_index(sweep: Sweep, j: int, lm: np.ndarray) -> int | None:
    for k, one in enumerate(sweep.image[j]):
        if one.shape == lm.shape and np.allclose(one, lm, equal_nan=True):
            return k
    return None


def carry_people(
    sweep: Sweep,
    people: np.ndarray,
    rate: float,
    read: Callable[[int], Any],
    scale: tuple[float, float],
    frame_size: tuple[int, int],
    make: Callable[[], Any],
    config: Config,
    workers: int,
) -> Carried:
    """Carry each candidate of ``people [P, S, 33, 4]`` (the sweep's tracks at its searched frames, px of the input)
    out of each stretch it was seen on (sightings at most ``pose.follow_max_gap_s`` apart: the follow pass
    interpolates across such gaps), back from the stretch's first sighting and forward from its last, frame by
    frame with one VIDEO-mode landmarker (one pose) from ``make()``, shown an empty picture before each carry so
    that it starts afresh (see the module docstring).
    ``rate``: searched frames a second; ``read(i)``: video frame ``i`` as a picture
    :func:`formcheck.pose.follow.cut_picture` can crop, at ``scale`` (x, y: its px per input px), ``frame_size`` (width,
    height px). The carries are dealt in turn to ``workers`` landmarkers run at once (each a context manager); what
    they found is added in the carries' order, so the result does not depend on which finishes first."""
    t = config.tracking
    gate = max(t.max_jump_torso, t.max_speed_torso_per_s / rate)  # per searched frame, as track_sweep's
    offset = config.pose.follow_max_offset_torso
    max_gap = int(round(config.pose.follow_max_gap_s * rate))  # searched frames the follow pass bridges
    to_input = np.array([1 / scale[0], 1 / scale[1], 1 / scale[0], 1.0], dtype=np.float32)
    image = [list(x) for x in sweep.image]
    world = [list(x) for x in sweep.world]
    colours = [list(x) for x in sweep.colours]
    n = len(image)
    looked = added = 0
    Found = tuple[np.ndarray, np.ndarray, np.ndarray]

    def search(lm: Any, j: int, ref: np.ndarray, extent: float) -> Found | None:
        picture = read(int(sweep.frames[j]))
        x0, y0, w, h = crop_box(ref, extent, scale, frame_size, config)
        crop = cut_picture(picture, x0, y0, w, h)
        found, worlds = lm.detect(crop, float(sweep.times_s[int(sweep.frames[j])]))
        if not found:
            return None
        k, one = nearest_detection(found, x0, y0, to_input, ref)
        return one, worlds[k], person_colours(crop, found[k])

    def accept(got: Found, ref: np.ndarray, torso: float, reach: float, look: np.ndarray | None) -> bool:
        """Whether a result can be the candidate expected at ``ref`` with ``torso`` (px): within ``reach`` torso
        lengths of it, of that build, of the candidate's look."""
        c, length = torso_centre_and_length(got[0])
        return within_reach(c, length, ref, torso, reach, t.max_torso_change) and looks_alike(got[2], look, t)

    def add(k: int, got: Found) -> None:
        nonlocal added
        if not _is_known(got[0], image[k], t.duplicate_torso):  # else the sweep (or another carry) has them there
            image[k].append(got[0])
            world[k].append(got[1])
            colours[k].append(got[2])
            added += 1

    Job = tuple[int, int, np.ndarray, np.ndarray, np.ndarray | None]  # from, step, seen, track, look
    jobs: list[Job] = []
    for p in range(people.shape[0]):
        seen = np.isfinite(people[p, :, 0, 0])
        rows = np.flatnonzero(seen)
        if rows.size == 0:
            continue
        mine = [_detection_index(sweep, int(j), people[p, j]) for j in rows]
        look = track_look([sweep.colours[int(j)][k] for j, k in zip(rows, mine, strict=True) if k is not None])
        # before and after each stretch (sightings at most max_gap apart)
        pairs = list(zip(rows[:-1], rows[1:], strict=True))
        starts = [int(rows[0])] + [int(b) for a, b in pairs if b - a > max_gap + 1]
        ends = [int(a) for a, b in pairs if b - a > max_gap + 1] + [int(rows[-1])]
        for j, step in [(s, -1) for s in starts] + [(e, 1) for e in ends]:
            if 0 <= j + step < n and not seen[j + step]:
                jobs.append((j, step, seen, people[p], look))

    def start(
        lm: Any, j: int, step: int, rows: np.ndarray, track: np.ndarray, torso: float, look: np.ndarray | None
    ) -> tuple[Found | None, int]:
        """The landmarker started on the candidate at the stretch's end ``j`` (the carry then goes ``step``): what
        it found there, and the crops searched. Started on someone else there, it starts again up to
        ``pose.carry_start_tries`` sightings into the stretch and follows the candidate back to ``j``."""
        inward = rows[rows >= j] if step < 0 else rows[rows <= j][::-1]
        looks = 0
        for s in inward[: config.pose.carry_start_tries]:
            lm.detect(_BLANK, 0.0)  # shown nobody, the landmarker forgets whom it followed: it starts afresh
            ref = torso_centre_and_length(track[s])[0]
            got = search(lm, int(s), ref, landmark_extent(track[s]))
            looks += 1
            if got is None or not accept(got, ref, torso, offset, look):
                continue
            last = int(s)
            for k in range(int(s) + step, j + step, step):  # from the sighting it started on back to j
                ref = torso_centre_and_length(got[0])[0]
                found = search(lm, k, ref, landmark_extent(got[0]))
                looks += 1
                if found is None or not accept(found, ref, torso, gate * abs(k - last), look):
                    break
                got, last = found, k
            if last == j:
                return got, looks
        return None, looks

    def carry(lm: Any, job: Job) -> tuple[list[tuple[int, Found]], int]:
        """One carry: what it found, frame by frame, and how many crops it searched."""
        j, step, seen, track, look = job
        rows = np.flatnonzero(seen)
        torsos = np.array([torso_centre_and_length(track[r])[1] for r in rows])
        # the build to keep: the median torso of the candidate's sightings nearest j, then of those found
        recent = list(torsos[np.argsort(np.abs(rows - j), kind="stable")[:TORSO_MEMORY]])
        got, looks = start(lm, j, step, rows, track, float(np.median(recent)), look)
        out = list[tuple[int, Found]]()
        if got is None:
            return out, looks  # nobody there, or it started on someone else each time
        last, k, misses = j, j + step, 0
        while 0 <= k < n and not seen[k] and misses < config.pose.carry_max_misses:
            ref, torso = torso_centre_and_length(got[0])
            recent = (recent + [torso])[-TORSO_MEMORY:]
            found = search(lm, k, ref, landmark_extent(got[0]))
            looks += 1
            if found is not None and accept(found, ref, float(np.median(recent)), gate * abs(k - last), look):
                out.append((k, found))
                got, last, misses = found, k, 0
            else:
                misses += 1
            k += step
        return out, looks

    def work(batch: list[Job]) -> list[tuple[list[tuple[int, Found]], int]]:
        with make() as lm:
            return [carry(lm, job) for job in batch]

    # the carries dealt in turn to the landmarkers, run at once; what they found added in the carries' order
    k_ = max(1, min(workers, len(jobs)))
    with ThreadPoolExecutor(k_, thread_name_prefix="formcheck-carry") as pool:
        done = list(pool.map(work, [jobs[w::k_] for w in range(k_)]))
    for i in range(len(jobs)):
        found, looks = done[i % k_][i // k_]
        looked += looks
        for k, got in found:
            add(k, got)
    out = replace(sweep, image=image, world=world, colours=colours)
    return Carried(out, looked, added)


def carry_sweep(
    sweep: Sweep,
    people: np.ndarray,
    rate: float,
    info: VideoInfo,
    config: Config,
    copy: WorkingCopy | None,
    model_path: Path,
) -> Carried:
    """:func:`carry_people` on the working copy's frames (or, without one, on the input's frames found by
    seeking), with landmarkers of the sweep's model (``model_path``)."""
    if copy is not None:
        g = copy.geometry
        read: Callable[[int], Any] = copy.stored
        scale, size = (g.scale_x, g.scale_y), (g.width, g.height)
    else:

        def read(i: int) -> np.ndarray:
            frame = frames_at(info, [float(sweep.times_s[i])])[0]
            if frame is None:
                return np.zeros((info.height, info.width, 3), dtype=np.uint8)  # undecodable: nobody found there
            return frame.rgb

        scale, size = (1.0, 1.0), (info.width, info.height)

    def make() -> Landmarker:
        return Landmarker(model_path, config.pose, num_poses=1, unsmoothed=True)

    return carry_people(sweep, people, rate, read, scale, size, make, config, config.pose.threads())
