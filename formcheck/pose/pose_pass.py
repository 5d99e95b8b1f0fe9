"""The pose pass: find everyone where it is needed, follow the athlete on every frame -> :class:`PoseTracks`.

1. The sweep (:mod:`formcheck.pose.sweep`): the source is decoded once (into the working copy when there is one)
   and everyone is looked for on ``pose.sweep_hz`` frames a second, in IMAGE mode, several frames at once.
2. The sweep's detections are tracked into people (:class:`PersonTracker`, at the sweep's rate) and the athlete is
   chosen among them (:mod:`formcheck.pose.athlete`). When nobody or only a small figure is found, the sweep is
   run again on tiles of the full-size frames (:mod:`formcheck.pose.tiles`). Each person is then carried back and
   forward out of the stretches they were seen on (:mod:`formcheck.pose.carry`: VIDEO mode finds people late, so
   played backwards a clip found them on other frames) and the detections are tracked again.
3. The follow pass (:mod:`formcheck.pose.follow`): the athlete on every frame, one pose per frame on a crop around
   them, runs of frames followed at once; crops come from the working copy, or from full-size frames decoded again
   when the athlete is small there (or there is no copy).

The other candidates keep the sweep's landmarks, interpolated between its frames (they are drawn dimmed and
ranked; ``--person`` follows the one chosen on every frame: :func:`follow_candidate`). Landmarks are in the
input's pixels.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from formcheck.config import Config
from formcheck.pose.athlete import choice_confidence, choose, order_candidates, rerank_followed
from formcheck.pose.carry import carry_sweep
from formcheck.pose.extract import Landmarker
from formcheck.pose.follow import Followed, FollowPlan, FrameRun, extend_backward, follow_plan, run_follow
from formcheck.pose.models import ensure_model
from formcheck.pose.one_look import cut_to_one_look, mixed_beside_cuts
from formcheck.pose.outliers import mangled_frames, unchecked_frames
from formcheck.pose.sequence import mean_fps
from formcheck.pose.store import PoseTracks, video_fingerprint
from formcheck.pose.sweep import Sweep, run_sweep
from formcheck.pose.tiles import TiledLandmarker
from formcheck.pose.tracking import PersonTracker, merge_same_person, one_person
from formcheck.progress import Progress
from formcheck.timing import StageClock
from formcheck.timing import stage as clocked
from formcheck.video.bars import find_bars
from formcheck.video.reader import VideoInfo, iter_frames
from formcheck.video.working_copy import StoredFrame, WorkingCopy


def pose_chunks(info: VideoInfo, threads: int, min_frames: int) -> list[tuple[int, int | None]]:
    """Split the video into ``threads`` runs of consecutive frames ``(start, stop)`` (stop None: to the end), each
    at least ``min_frames`` long; one run when the frame count is unknown."""
    if not info.frames:
        return [(0, None)]
    runs = _bounds(info.frames, threads, min_frames)
    return [(a, b if i < len(runs) - 1 else None) for i, (a, b) in enumerate(runs)]


#: Raised whenever a change of the pose pass's code changes what it finds for the same settings, so pose files
#: kept in output folders are computed again rather than reused: 2 = sleeves in the appearance, and the follow
#: pass's look check past the sweep (issue 10); 3 = a followed track cut to one look (:mod:`formcheck.pose.one_look`);
#: 4 = a stretch of another look inside the track is cut too (A -> B -> A); 5 = mixed skeletons beside a cut;
#: 6 = fragments of another size are not joined across a gap; 7 = the mixed-skeleton check passes over the frames of
#: another cut; 8 = the follow pass asks the look on frames the sweep saw too; 9 = the stitch measures in the smaller
#: end's torso lengths, and the carry and follow looks leave out hidden limbs; 10 = those looks ask every limb again
#: (leaving hidden ones out let the carry take someone else in the crowd clip, tilted and mirrored); 11 = a carry
#: started on someone else starts again further into the stretch (``pose.carry_start_tries``); 12 = tiles are searched
#: when the athlete was found on few searched frames (``pose.tile_below_presence``); 13 = the sweep searches the
#: picture inside black bars (:mod:`formcheck.video.bars`); 14 = a follow back in time started on someone else starts
#: again further into the stretch (``pose.follow_back_start_tries``); 15 = and goes back past the stretch's first frame
#: for ``pose.follow_extend_s`` only.
POSE_PASS_REVISION = 17


def pose_settings_key(config: Config) -> str:
    """SHA-256 of what, beside the video and the model, decides the pose file: the formcheck version, the pose
    pass's revision (:data:`POSE_PASS_REVISION`) and the pose tracking and athlete-choice settings. A pose file
    made with another key is computed again rather than reused."""
    from formcheck import __version__

    blob = json.dumps(
        {
            "formcheck": __version__,
            "revision": POSE_PASS_REVISION,
            "pose": config.pose.model_dump(),
            "tracking": config.tracking.model_dump(),
            "athlete": config.athlete.model_dump(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def inference_size(info: VideoInfo, max_long_side_px: int) -> tuple[int, int]:
    """Size (width, height px) of the frames the sweep searches when there is no working copy: the input's, shrunk
    so its long side is at most ``max_long_side_px`` (0 keeps the input size)."""
    long_side = max(info.width, info.height)
    if not max_long_side_px or long_side <= max_long_side_px:
        return info.width, info.height
    scale = max_long_side_px / long_side
    return max(int(round(info.width * scale)), 1), max(int(round(info.height * scale)), 1)


@dataclass(frozen=True)
class Candidates:
    """The sweep's people, athlete first: ``image``/``world [P, S, 33, 4]`` at the sweep frames, ``scores [P]``,
    ``evidence`` per candidate, ``fps`` the sweep's rate (frames/s)."""

    image: np.ndarray
    world: np.ndarray
    scores: np.ndarray
    evidence: tuple[dict, ...]
    fps: float


def track_sweep(sweep: Sweep, fps: float, config: Config, frame_size: tuple[int, int] | None = None) -> Candidates:
    """Track the sweep's detections into people at the sweep's rate and order them athlete first. The jump gate
    between searched frames is the per-frame one, or what ``tracking.max_speed_torso_per_s`` covers between two
    searched frames if that is more (1.2 torso lengths at 10 Hz); fragments may share up to two searched frames
    (two landmarkers deal in turn: one may hold a person the other has just lost)."""
    rate = fps / sweep.stride
    t = config.tracking
    gates = t.model_copy(
        update={
            "max_jump_torso": max(t.max_jump_torso, t.max_speed_torso_per_s / rate),
            "max_overlap_s": max(t.max_overlap_s, 2.0 / rate),
        }
    )
    tracker = PersonTracker(gates, rate, frame_size)
    for j, index in enumerate(sweep.frames):
        tracker.update(j, float(sweep.times_s[index]), sweep.image[j], sweep.world[j], sweep.colours[j])
    image, world, scores, _ = tracker.finish(int(sweep.frames.size))
    image, world, scores = merge_same_person(image, world, scores, t.duplicate_torso)
    image, world, scores, evidence = order_candidates(image, world, scores, sweep.shifts_px, rate, config.athlete)
    return Candidates(image, world, scores, evidence, rate)


def needs_tiles(cands: Candidates, width: int, height: int, config: Config) -> bool:
    """Whether to search again on tiles (:mod:`formcheck.pose.tiles`): nobody was found, the athlete only on under
    ``pose.tile_below_presence`` of the searched frames, or the athlete's median torso is under
    ``pose.tile_below_torso_share`` of the frame's short side."""
    if not config.pose.tile_below_torso_share:
        return False
    if cands.image.shape[0] == 0 or not cands.evidence or _presence(cands) < config.pose.tile_below_presence:
        return True
    short = max(min(width, height), 1)
    return float(cands.evidence[0].get("torso_px") or 0.0) < config.pose.tile_below_torso_share * short


def _presence(cands: Candidates) -> float:
    return float(np.isfinite(cands.image[0, :, 0, 0]).mean()) if cands.image.shape[0] else 0.0


def densify(sparse: np.ndarray, frames: np.ndarray, n_frames: int, out: np.ndarray | None = None) -> np.ndarray:
    """``[T, 33, 4]`` from landmarks ``sparse [S, 33, 4]`` at frames ``frames [S]``: linear between consecutive
    sweep frames where both are seen, NaN elsewhere. ``out``: the float32 array to fill (made if None)."""
    if out is None:
        out = np.empty((n_frames, *sparse.shape[1:]), dtype=np.float32)
    out.fill(np.nan)
    if frames.size == 0:
        return out
    out[frames] = sparse
    for j in range(frames.size - 1):
        a, b = int(frames[j]), int(frames[j + 1])
        if b - a > 1 and np.isfinite(sparse[j, 0, 0]) and np.isfinite(sparse[j + 1, 0, 0]):
            w = np.linspace(0.0, 1.0, b - a + 1, dtype=np.float32)[1:-1, None, None]
            out[a + 1 : b] = sparse[j] * (1 - w) + sparse[j + 1] * w
    return out


def _densify_people(sparse: np.ndarray, frames: np.ndarray, n_frames: int) -> np.ndarray:
    """:func:`densify` of every person of ``sparse [P, S, 33, 4]``: ``[P, T, 33, 4]``."""
    if not sparse.shape[0]:
        return np.zeros((0, n_frames, *sparse.shape[2:]), dtype=np.float32)
    out = np.empty((sparse.shape[0], n_frames, *sparse.shape[2:]), dtype=np.float32)
    for person, dense in zip(sparse, out, strict=True):  # filled in place: no second copy of every frame
        densify(person, frames, n_frames, out=dense)
    return out


def spread_shifts(shifts: np.ndarray, frames: np.ndarray, n_frames: int) -> np.ndarray:
    """Per-frame background shift ``[T, 2]`` (px) from the shifts between consecutive sweep frames: each shared
    evenly over the frames it spans (NaN before the first sweep frame)."""
    out = np.full((n_frames, 2), np.nan)
    for j in range(1, frames.size):
        a, b = int(frames[j - 1]), int(frames[j])
        out[a + 1 : b + 1] = shifts[j] / max(b - a, 1)
    return out


def _bounds(n: int, threads: int, min_frames: int) -> list[tuple[int, int]]:
    k = max(1, min(threads, n // max(min_frames, 1)))
    edges = [round(n * i / k) for i in range(k + 1)]
    return [(edges[i], edges[i + 1]) for i in range(k)]


def _copy_run(copy: WorkingCopy, a: int, b: int) -> Iterator[tuple[int, float, StoredFrame]]:
    for i in range(a, b):
        yield i, copy.times_s[i], copy.stored(i)


def _source_run(info: VideoInfo, a: int, b: int, config: Config) -> FrameRun:
    frames = iter_frames(info, start=a, stop=b, threads=config.video.decoder_threads, max_lost_share=1.0)
    return ((f.index, f.time_s, f.rgb) for f in frames)


def follow_candidate(
    info: VideoInfo,
    plan: FollowPlan,
    model_path: Path,
    config: Config,
    copy: WorkingCopy | None,
    progress: Progress | None = None,
    clock: StageClock | None = None,
    out: tuple[np.ndarray, np.ndarray] | None = None,
) -> Followed:
    """Follow the candidate of ``plan`` on every frame (:func:`formcheck.pose.follow.run_follow`): on crops of
    the working copy when there is one, unless it is scaled down and the candidate's torso is under
    ``pose.follow_full_below_torso_px`` there: then of the full-size frames decoded again (followed forward
    only). ``out``: the image and world arrays ``[T, 33, 4]`` to fill (made if None)."""
    n = plan.centre_px.shape[0]
    bounds = _bounds(n, config.pose.threads(), config.pose.min_chunk_frames)
    scale_y = copy.geometry.scale_y if copy is not None else 1.0
    small = scale_y < 1.0 and plan.torso_px * scale_y < config.pose.follow_full_below_torso_px
    extend = int(round(config.pose.follow_extend_s * (info.fps or config.video.fallback_fps)))

    def follower() -> Landmarker:
        return Landmarker(
            model_path, config.pose, num_poses=config.pose.follow_num_poses, unsmoothed=not config.pose.follow_smoothed
        )

    if copy is not None and not small:
        g = copy.geometry
        runs: list[FrameRun] = [_copy_run(copy, a, b) for a, b in bounds]
        scale, size = (g.scale_x, g.scale_y), (g.width, g.height)
    else:
        runs = [_source_run(info, a, b, config) for a, b in bounds]
        scale, size = (1.0, 1.0), (info.width, info.height)
    got = run_follow(plan, runs, scale, size, follower, config, progress, clock, extend_frames=extend, out=out)
    if copy is not None and not small:  # stretches followed back in time too: frames read by index
        got = extend_backward(
            got, plan, lambda i: (copy.times_s[i], copy.stored(i)), scale, size, follower, config, extend
        )
    return got


def run_pose_pass(
    info: VideoInfo,
    model_name: str,
    model_path: Path,
    config: Config,
    progress: Progress | None,
    clock: StageClock | None = None,
    copy: WorkingCopy | None = None,
) -> PoseTracks:
    """Every person's landmarks over ``info``'s video, the athlete's on every frame (see the module docstring).
    ``copy`` (optional, empty) is filled with the video's frames at its size on the way. ``clock`` (optional) is
    told the threads' busy time: decoding, inference, pixel sampling."""
    fps = info.fps or config.video.fallback_fps
    size = (copy.geometry.width, copy.geometry.height) if copy is not None else None
    size = size or inference_size(info, config.pose.max_long_side_px)
    n_poses = config.pose.sweep_num_poses

    search_model = ensure_model(config.pose.sweep_model, build_missing=True)

    def searcher() -> Landmarker:
        return Landmarker(search_model, config.pose, num_poses=n_poses)

    with clocked(clock, "sweep"):
        pc = config.pose
        picture = find_bars(info, pc.bars_samples, pc.bars_black_level, pc.bars_min_share)
        sweep = run_sweep(info, config, searcher, copy, size, progress, clock, picture=picture)
        cands = track_sweep(sweep, fps, config, (info.width, info.height))
    tiled = False
    pw, ph = (picture[2], picture[3]) if picture is not None else (info.width, info.height)
    if needs_tiles(cands, pw, ph, config):

        def tiles() -> TiledLandmarker:
            return TiledLandmarker(model_path, config.pose, pw, ph)

        full = (info.width, info.height)
        again = run_sweep(info, config, tiles, None, full, progress, clock, workers=1, picture=picture)
        more = track_sweep(again, fps, config, (info.width, info.height))
        if _presence(more) > _presence(cands):
            sweep, cands, tiled = again, more, True
    if config.pose.carry_max_misses and cands.image.shape[0]:
        with clocked(clock, "carry"):
            carried = carry_sweep(sweep, cands.image, cands.fps, info, config, copy, search_model)
            if carried.added:
                sweep, cands = carried.sweep, track_sweep(carried.sweep, fps, config, (info.width, info.height))
    n = int(sweep.times_s.size)
    people, worlds = (_densify_people(a, sweep.frames, n) for a in (cands.image, cands.world))
    followed = [False] * people.shape[0]
    tracks = PoseTracks(
        image=people,
        world=worlds,
        scores=cands.scores,
        timestamps_s=sweep.times_s,
        fps=mean_fps(sweep.times_s, fps),
        width=info.width,
        height=info.height,
        source=info.path,
        model=model_name,
        rotation_deg=info.rotation_deg,
        fingerprint=video_fingerprint(info.path),
        settings=pose_settings_key(config),
        evidence=cands.evidence,
        background_shift_px=spread_shifts(sweep.shifts_px, sweep.frames, n),
        tiled=tiled,
        picture_box=picture,
        sweep_frames=sweep.frames,
        followed=tuple(followed),
    )
    if tracks.n_people == 0:
        return tracks
    with clocked(clock, "follow"):
        tracks = with_followed(tracks, 0, info, model_path, config, copy, progress, clock, in_place=True)
        if tracks.follow_stats and tracks.follow_stats[0].get("cut_another_look"):
            tracks = after_cut(tracks, config)
        while (k := same_person_as_athlete(tracks, config)) is not None:
            tracks = with_followed(tracks, k, info, model_path, config, copy, progress, clock, in_place=True)
            tracks = merged_pair(tracks, config, k)
        if tracks.n_people > 1 and tracks.evidence and tracks.evidence[0].get("close"):
            tracks = with_followed(tracks, 1, info, model_path, config, copy, progress, clock, in_place=True)
            tracks = closer_choice(tracks, config)
    return tracks


def closer_choice(tracks: PoseTracks, config: Config) -> PoseTracks:
    """``tracks`` whose two best candidates, both followed, are ranked again on the followed landmarks
    (:func:`formcheck.pose.athlete.rerank_followed`): the pair swapped when the second is the better, the evidence
    of both replaced; the others keep their place and their sweep evidence. When the two are one person (two
    fragments of one track the sweep could not join, each now followed over the other's frames too:
    :func:`one_person`), they become one candidate instead (:func:`merged_pair`)."""
    if one_person(tracks.image[0], tracks.image[1], config.tracking.duplicate_torso):
        return merged_pair(tracks, config)
    pair = tracks.image[:2]
    order, evidence = rerank_followed(pair, tracks.background_shift_px, tracks.fps, config.athlete)
    followed, stats = _follow_records(tracks)
    return _candidates_in_order(
        tracks,
        order + list(range(2, tracks.n_people)),
        (tracks.image, tracks.world, tracks.scores, followed, stats),
        tuple(evidence) + tuple(tracks.evidence[2:]),
    )


def _follow_records(tracks: PoseTracks) -> tuple[list[bool], list[dict]]:
    """Per candidate: whether it is followed and its follow record (files without them: followed, no record)."""
    followed = list(tracks.followed) or [True] * tracks.n_people
    stats = list(tracks.follow_stats) or [{} for _ in range(tracks.n_people)]
    return followed, stats


def _candidates_in_order(
    tracks: PoseTracks,
    idx: list[int],
    per_person: tuple[np.ndarray, np.ndarray, np.ndarray, list[bool], list[dict]],
    evidence: tuple[dict, ...],
) -> PoseTracks:
    """``tracks`` holding the candidates ``per_person`` (image, world, motion scores, followed, follow records,
    each indexed by candidate) in the order ``idx``, with ``evidence`` (already in that order)."""
    image, world, scores, followed, stats = per_person
    return replace(
        tracks,
        image=image[idx],
        world=world[idx],
        scores=scores[idx],
        evidence=evidence,
        followed=tuple(followed[i] for i in idx),
        follow_stats=tuple(stats[i] for i in idx),
    )


def merged_pair(tracks: PoseTracks, config: Config, other: int = 1) -> PoseTracks:
    """``tracks`` with candidates 0 and ``other``, one person, made one candidate (first): candidate 0's landmarks
    where it is seen, the other's elsewhere. Every candidate's evidence is taken again on the landmarks now held
    (the athlete's followed on every frame); the merged one stays first, its confidence against the best of the
    others (close when under ``athlete.close_confidence``), and its follow record says how many frames came from
    the other fragment (``merged_frames``, added up over merges)."""
    a_seen = np.isfinite(tracks.image[0, :, 0, 0])
    image = np.where(a_seen[:, None, None], tracks.image[0], tracks.image[other])
    world = np.where(a_seen[:, None, None], tracks.world[0], tracks.world[other])
    added = int((~a_seen & np.isfinite(tracks.image[other, :, 0, 0])).sum())
    keep = [0] + [k for k in range(1, tracks.n_people) if k != other]
    all_image = np.concatenate([image[None], tracks.image[keep[1:]]])
    all_world = np.concatenate([world[None], tracks.world[keep[1:]]])
    followed, stats = _follow_records(tracks)
    stats0 = {**stats[0], "merged_frames": int(stats[0].get("merged_frames", 0)) + added}
    kept_stats = [stats0] + [stats[k] for k in keep[1:]]
    kept_followed = [True] + [followed[k] for k in keep[1:]]
    scores = np.concatenate([[max(tracks.scores[0], tracks.scores[other])], tracks.scores[keep[1:]]])
    return _first_with_fresh_evidence(tracks, config, (all_image, all_world, scores, kept_followed, kept_stats))


def after_cut(tracks: PoseTracks, config: Config) -> PoseTracks:
    """``tracks`` whose athlete (candidate 0, followed) had part of its track cut as someone else's look
    (``cut_another_look``): every candidate's evidence taken again on the landmarks now held, the athlete first, its
    confidence against the best of the others (close when under ``athlete.close_confidence``, so the second is
    then followed and the pair ranked again). The sweep's evidence was taken on the track with both people in it."""
    followed, stats = _follow_records(tracks)
    return _first_with_fresh_evidence(tracks, config, (tracks.image, tracks.world, tracks.scores, followed, stats))


def _first_with_fresh_evidence(
    tracks: PoseTracks,
    config: Config,
    per_person: tuple[np.ndarray, np.ndarray, np.ndarray, list[bool], list[dict]],
) -> PoseTracks:
    """``tracks`` holding the candidates ``per_person`` (image, world, motion scores, followed, follow records;
    candidate 0 the athlete, followed), each one's evidence taken on those landmarks: the athlete stays first, the
    others in order of their score, and the athlete's confidence is against the best of them."""
    cfg = config.athlete
    found = choose(per_person[0], tracks.background_shift_px, tracks.fps, cfg)
    others = sorted(range(1, len(found)), key=lambda i: -found[i].score)
    second = max((found[i].score for i in others), default=None)
    conf, close = choice_confidence(found[0].score, second, cfg.close_confidence)
    first = {**found[0].as_dict(), "confidence": conf, "close": close, "followed_choice": True}
    evidence = (first,) + tuple(found[i].as_dict() for i in others)
    return _candidates_in_order(tracks, [0, *others], per_person, evidence)


def same_person_as_athlete(tracks: PoseTracks, config: Config) -> int | None:
    """The first other candidate that is the athlete (candidate 0, followed) again: one person on the frames
    both are seen (:func:`formcheck.pose.tracking.one_person`), e.g. a stretch the tracker started afresh that
    the follow pass has since reached; None when there is none."""
    thr = config.tracking.duplicate_torso
    return next((k for k in range(1, tracks.n_people) if one_person(tracks.image[0], tracks.image[k], thr)), None)


def with_followed(
    tracks: PoseTracks,
    person: int,
    info: VideoInfo,
    model_path: Path,
    config: Config,
    copy: WorkingCopy | None,
    progress: Progress | None = None,
    clock: StageClock | None = None,
    in_place: bool = False,
) -> PoseTracks:
    """``tracks`` with candidate ``person`` followed on every frame (its sweep landmarks replaced by the follow
    pass's; implausible frames dropped, :func:`formcheck.pose.outliers.mangled_frames`, and those with too few
    others around to check them against, :func:`formcheck.pose.outliers.unchecked_frames`). ``in_place``: write
    into ``tracks``' own arrays instead of copies (for tracks nobody else holds, the pose pass's own: every copy
    is another ~1 MB per person per minute of video at the pass's peak)."""
    if tracks.followed and tracks.followed[person]:
        return tracks
    frames = tracks.sweep_frames if tracks.sweep_frames is not None else np.arange(tracks.timestamps_s.size)
    fps = tracks.fps
    stride = int(np.median(np.diff(frames))) if frames.size > 1 else 1
    plan = follow_plan(
        tracks.image[person, frames], frames, tracks.timestamps_s, stride, config.pose.follow_max_gap_s, fps
    )
    out = (tracks.image[person], tracks.world[person]) if in_place else None  # the plan is made: overwritten
    got = follow_candidate(info, plan, model_path, config, copy, progress, clock, out)
    image, world = got.image, got.world
    t = config.tracking
    bad = mangled_frames(image, fps, t.outlier_window_s, t.max_torso_change, t.max_hip_off_torso)
    bad |= unchecked_frames(image, fps, t.outlier_window_s)
    image[bad], world[bad] = np.nan, np.nan
    other = np.zeros(bad.shape, dtype=bool)
    if got.colours is not None:  # a track that passed from one person to another keeps its longer part
        looks = got.colours.copy()
        looks[bad] = np.nan
        min_side = max(int(round(t.look_change_min_s * fps)), t.look_change_min_frames)
        guard = max(int(round(t.look_change_guard_s * fps)), 1)
        other = cut_to_one_look(looks, min_side, t.look_change_max, t.appearance_dark_floor, guard)
        if other.any():
            window, span = (max(int(round(secs * fps)), 1) for secs in (t.mixed_window_s, t.mixed_path_s))
            other |= mixed_beside_cuts(image, other, window, span, t.mixed_max_off_torso)
        image[other], world[other] = np.nan, np.nan
    all_image, all_world = (tracks.image, tracks.world) if in_place else (tracks.image.copy(), tracks.world.copy())
    all_image[person], all_world[person] = image, world
    followed = list(tracks.followed) or [False] * tracks.n_people
    followed[person] = True
    stats = list(tracks.follow_stats) or [{} for _ in range(tracks.n_people)]
    stats[person] = {
        "frames_looked": got.looked,
        "frames_found": got.found,
        "rejected_someone_else": got.rejected,
        "landmarkers_renewed": got.resets,
        "implausible_dropped": int(bad.sum()),
        "cut_another_look": int(other.sum()),
    }
    return replace(tracks, image=all_image, world=all_world, followed=tuple(followed), follow_stats=tuple(stats))
