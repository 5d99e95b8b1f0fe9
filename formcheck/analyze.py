"""``analyze``: the composition of the stages for one video.

video -> pose pass (:mod:`formcheck.pose.pose_pass`: decode | pose inference + person tracking) -> PoseTracks
-> chosen runner's PoseSequence -> judgement (:mod:`formcheck.analysis.judge`: analysis + rules) -> outputs written
from the typed judgement: report.json, frames.csv, steps.csv, report.html, pose.npz and annotated.mp4 (render
pass, :mod:`formcheck.overlay.render`), written together, or not at all.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.analysis.judge import Judgement, judge
from formcheck.atomic import check_writable_dir
from formcheck.atomic import write_json as _write_json
from formcheck.atomic import write_text as _write_text
from formcheck.atomic_set import OutputSet
from formcheck.config import Config, load_config
from formcheck.diskspace import disk_full_is_output_error, ensure_free_space, estimated_video_bytes
from formcheck.errors import InputVideoError, NoPersonError, OutputError, PoseFileError
from formcheck.outfolder import claim_output_folder, refuse_overwriting_source
from formcheck.overlay.plan import OverlayPlan, build_plan
from formcheck.overlay.render import output_size, render_annotated
from formcheck.pose.models import ensure_model
from formcheck.pose.pose_pass import pose_settings_key, run_pose_pass, with_followed
from formcheck.pose.sequence import PoseSequence
from formcheck.pose.store import PoseTracks, video_fingerprint
from formcheck.progress import Progress
from formcheck.report.frames_csv import frames_csv_text
from formcheck.report.html import ReportPage, write_html_report
from formcheck.report.json_report import build_report
from formcheck.report.steps_csv import write_steps_csv
from formcheck.report.thumbnails import step_thumbnails
from formcheck.timing import StageClock, stage
from formcheck.video.reader import VideoInfo, frames_at, frames_skipped, probe
from formcheck.video.working_copy import WorkingCopy, copy_bytes, copy_geometry, working_size

ANNOTATED, POSE_FILE, REPORT = "annotated.mp4", "pose.npz", "report.json"
FRAMES_CSV, STEPS_CSV, REPORT_HTML = "frames.csv", "steps.csv", "report.html"
OUTPUTS = (ANNOTATED, POSE_FILE, REPORT, FRAMES_CSV, STEPS_CSV, REPORT_HTML)


#: More outputs written inside the same all-or-nothing set, after annotated.mp4 is drawn: called with the
#: judgement, the analysed pose sequence, annotated.mp4's (not yet committed) path and a function giving the path to
#: write an output of a given name to.
ExtraOutputs = Callable[[Judgement, PoseSequence, Path, Callable[[str], Path]], None]


@dataclass(frozen=True)
class AnalysisResult:
    """What ``analyze`` produced: the output paths, the judgement, the report (report.json's content, for callers
    that want the JSON form) and the runner's pose sequence."""

    out_dir: Path
    annotated: Path
    pose_file: Path
    report_path: Path
    html_path: Path
    judgement: Judgement
    report: dict[str, Any]
    pose: PoseSequence
    reused_pose: bool


def default_out_dir(video: Path) -> Path:
    """Outputs go next to the video, in ``<video stem>_formcheck/``."""
    return video.with_name(f"{video.stem}_formcheck")


def _load_cached(pose_path: Path, info: VideoInfo, model_name: str, settings: str) -> PoseTracks | None:
    if not pose_path.is_file():
        return None
    try:
        tracks = PoseTracks.load(pose_path)
    except PoseFileError:
        return None
    fresh = (
        tracks.model == model_name
        and tracks.fingerprint == video_fingerprint(info.path)
        and tracks.settings == settings
    )
    return tracks if fresh else None


def _thumbnails(
    j: Judgement, video: Path | Callable[[Sequence[float]], list[np.ndarray | None]], config: Config, plan: OverlayPlan
) -> dict[str, bytes] | None:
    """JPEG thumbnails of the best and worst step (cropped around the athlete, skeleton and strike ring drawn);
    None (no pictures) if the video cannot be read again."""
    try:
        return step_thumbnails(j.steps, j.picks, video, config.video.thumbnail_max_side_px, plan.xy, plan.part_verdict)
    except InputVideoError:
        return None


def analyze_video(
    video: str | os.PathLike[str],
    *,
    out_dir: str | os.PathLike[str] | None = None,
    model: str = "full",
    person: int | None = None,
    config: Config | None = None,
    reuse_pose: bool = True,
    progress: Progress | None = None,
    extra_outputs: ExtraOutputs | None = None,
    clock: StageClock | None = None,
) -> AnalysisResult:
    """Analyse one video and write ``annotated.mp4``, ``pose.npz``, ``report.json``, ``report.html``,
    ``frames.csv`` and ``steps.csv`` into ``out_dir`` (all of them, or none on error).

    ``person`` chooses a candidate by rank (0 = the athlete chosen automatically by travel, gait, presence and
    size: :mod:`formcheck.pose.athlete`). With ``reuse_pose`` an existing ``pose.npz`` for the same video and
    model skips inference.
    Raises :class:`formcheck.errors.FormcheckError` subclasses; on error no output file is left behind.
    ``clock``, if given, is told the wall time of each pass (:mod:`formcheck.timing`; for benchmarks).
    """
    video = Path(video)
    info = probe(video)  # input errors first, before anything is created
    config = config or load_config()
    wanted = Path(out_dir) if out_dir is not None else default_out_dir(video)
    refuse_overwriting_source(video, wanted, OUTPUTS)  # issue 13: before any work
    created = not wanted.exists()
    out = check_writable_dir(wanted)
    try:
        with claim_output_folder(out, OUTPUTS), disk_full_is_output_error(out):  # issue 13: lock, stale temps, ENOSPC
            need = estimated_video_bytes(info, output_size(info, config)[:2], config.video.min_bits_per_pixel)
            ensure_free_space(out, need)
            return _analyze_into(
                video,
                info,
                out,
                model=model,
                person=person,
                config=config,
                reuse_pose=reuse_pose,
                progress=progress,
                extra_outputs=extra_outputs,
                clock=clock,
            )
    except BaseException:
        if created:  # leave no trace of a failed run: not even the folder we made for it
            with contextlib.suppress(OSError):
                out.rmdir()
        raise


def _pose_tracks(
    info: VideoInfo,
    pose_path: Path,
    model: str,
    config: Config,
    reuse_pose: bool,
    progress: Progress | None,
    clock: StageClock | None = None,
    copy: WorkingCopy | None = None,
) -> tuple[PoseTracks, bool]:
    """Every person's tracks, from ``pose_path`` when it was made from this video with these settings, else from
    a new pose pass; and whether they were reused."""
    tracks = _load_cached(pose_path, info, model, pose_settings_key(config)) if reuse_pose else None
    if tracks is not None:
        return tracks, True
    tracks = run_pose_pass(info, model, _model_path(model), config, progress, clock, copy)
    if tracks.n_people == 0:
        raise NoPersonError(
            f"no person was detected in {info.path} ({tracks.timestamps_s.size} frames): is the runner in view?"
        )
    return tracks, False


def _model_path(model: str) -> Path:
    return ensure_model(model, build_missing=True)


def open_working_copy(info: VideoInfo, out: Path, config: Config) -> contextlib.AbstractContextManager:
    """The working copy (:mod:`formcheck.video.working_copy`) in ``out``, at ``pose.max_long_side_px``, or at
    annotated.mp4's ``video.max_long_side_px`` when that one would pass ``video.working_copy_max_mb``; a null
    context (None: each pass decodes the source again) when both would, or the disk has not twice its size free."""
    cap = config.video.working_copy_max_mb * 2**20
    fits = [
        s
        for s in (config.pose.max_long_side_px, config.video.max_long_side_px)
        if copy_bytes(info, working_size(info, s)) <= cap
    ]
    if not fits:
        return contextlib.nullcontext()
    size = working_size(info, fits[0])
    need = copy_bytes(info, size)
    try:
        ensure_free_space(out, 2 * need)
    except OutputError:
        return contextlib.nullcontext()
    return WorkingCopy(out, copy_geometry(info, size))


def _picture_source(info: VideoInfo, copy: WorkingCopy | None) -> Callable[[Sequence[float]], list[np.ndarray | None]]:
    """Upright RGB frames at given times at the input's size, for the strike's pixel check and the step pictures:
    from the working copy when there is one (no seeking in the source), else by seeking."""
    if copy is not None:
        return lambda times: copy.pictures_at(times, (info.width, info.height))
    return lambda times: _pictures_at(info, times)


def _pictures_at(info: VideoInfo, times_s: Sequence[float]) -> list[np.ndarray | None]:
    """The upright RGB frames at ``times_s`` for the strike's pixel check; None for a frame that cannot be read (a
    damaged packet costs that check one sample, never the analysis)."""
    out: list[np.ndarray | None] = []
    for t in times_s:
        try:
            found = frames_at(info, [t])[0]
        except InputVideoError:
            found = None
        out.append(found.rgb if found is not None else None)
    return out


def _analyze_into(
    video: Path,
    info: VideoInfo,
    out: Path,
    *,
    model: str,
    person: int | None,
    config: Config,
    reuse_pose: bool,
    progress: Progress | None,
    extra_outputs: ExtraOutputs | None = None,
    clock: StageClock | None = None,
) -> AnalysisResult:
    pose_path = out / POSE_FILE
    with OutputSet(out) as outputs, ExitStack() as stack:
        copy = stack.enter_context(open_working_copy(info, out, config))
        with stage(clock, "pose pass"):
            tracks, reused = _pose_tracks(info, pose_path, model, config, reuse_pose, progress, clock, copy)
            if copy is not None and copy.n_frames != tracks.timestamps_s.size:
                copy = None  # pose.npz reused: the copy was never filled; the passes below decode the source
            if person and tracks.followed and person < tracks.n_people and not tracks.followed[person]:
                tracks = with_followed(tracks, person, info, _model_path(model), config, copy, progress, clock)
                reused = False
            if not reused:
                tracks.save(outputs.path(POSE_FILE))
        with stage(clock, "judgement"):
            seq = tracks.person(0 if person is None else person)
            pictures = _picture_source(info, copy)
            judgement = judge(seq, config, frames=pictures)
        with stage(clock, "reports"):
            report = build_report(info, tracks, seq, judgement)
            report["video"]["frames_skipped"] = frames_skipped(info, tracks.timestamps_s.size)  # issue 13
            _write_json(outputs.path(REPORT), report)
            _write_text(outputs.path(FRAMES_CSV), frames_csv_text(judgement))
            write_steps_csv(judgement.steps, outputs.path(STEPS_CSV))
            plan = build_plan(judgement, config.video.touchdown_hold_s, config.events.cadence_max_step_s)
            page = ReportPage(
                video=info,
                seq=seq,
                judgement=judgement,
                forefoot_min_deg=config.events.forefoot_min_deg,
                heel_max_deg=config.events.heel_max_deg,
                thumbnails=_thumbnails(judgement, pictures, config, plan),
                landing_views=tuple(config.rules.forefoot_landing.views),
            )
            write_html_report(page, outputs.path(REPORT_HTML))
        with stage(clock, "render pass"):
            annotated = outputs.path(ANNOTATED)
            render_annotated(info, tracks, seq.person, plan, config, annotated, progress, clock, copy)
        with stage(clock, "extra outputs"):
            if extra_outputs is not None:  # e.g. batch's handout.pdf: committed with the rest, or not at all
                extra_outputs(judgement, seq, annotated, outputs.path)
        with stage(clock, "commit"):
            outputs.commit()
    return AnalysisResult(
        out_dir=out,
        annotated=out / ANNOTATED,
        pose_file=pose_path,
        report_path=out / REPORT,
        html_path=out / REPORT_HTML,
        judgement=judgement,
        report=report,
        pose=seq,
        reused_pose=reused,
    )
