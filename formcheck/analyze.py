"""``analyze``: the composition of the stages for one video.

video -> (decode | pose inference + person tracking | skeleton drawing + H.264 encode, overlapped) -> PoseTracks
-> chosen runner's PoseSequence -> judgement (analysis + rules) -> report.json, frames.csv, pose.npz, annotated.mp4
(written together, or not at all).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.analysis.judge import judge
from formcheck.atomic import check_writable_dir
from formcheck.atomic import write_json as _write_json
from formcheck.atomic import write_text as _write_text
from formcheck.atomic_set import OutputSet
from formcheck.config import Config, load_config
from formcheck.errors import InputVideoError, NoPersonError, PoseFileError
from formcheck.overlay.plan import OverlayPlan, build_plan
from formcheck.overlay.skeleton import OTHER_RGB, SkeletonAnnotator
from formcheck.overlay.verdicts import VerdictOverlay
from formcheck.pose.extract import Landmarker
from formcheck.pose.models import ensure_model
from formcheck.pose.sequence import PoseSequence, mean_fps
from formcheck.pose.store import PoseTracks, video_fingerprint
from formcheck.pose.tracking import PersonTracker
from formcheck.report.frames_csv import frames_csv_text
from formcheck.report.html import write_html_report
from formcheck.report.json_report import build_report
from formcheck.report.steps_csv import write_steps_csv
from formcheck.report.thumbnails import step_thumbnails
from formcheck.video.reader import Frame, VideoInfo, frames_at, iter_frames, probe
from formcheck.video.stream import map_chunks, run_streaming
from formcheck.video.writer import H264Writer

ANNOTATED, POSE_FILE, REPORT = "annotated.mp4", "pose.npz", "report.json"
FRAMES_CSV, STEPS_CSV, REPORT_HTML = "frames.csv", "steps.csv", "report.html"

#: Progress callback: (frames done, frames expected or 0 if unknown, stage name).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class AnalysisResult:
    """What ``analyze`` produced: the output paths, the report dict and the runner's pose sequence."""

    out_dir: Path
    annotated: Path
    pose_file: Path
    report_path: Path
    html_path: Path
    report: dict
    pose: PoseSequence
    reused_pose: bool


def default_out_dir(video: Path) -> Path:
    """Outputs go next to the video, in ``<video stem>_formcheck/``."""
    return video.with_name(f"{video.stem}_formcheck")


def output_size(info: VideoInfo, config: Config) -> tuple[int, int, float]:
    """Size (width, height px) of annotated.mp4 and its scale from the input: the input's size, shrunk so its long
    side is at most ``video.max_long_side_px`` (0 keeps the input size)."""
    cap = config.video.max_long_side_px
    long_side = max(info.width, info.height)
    scale = 1.0 if not cap or long_side <= cap else cap / long_side
    return int(round(info.width * scale)), int(round(info.height * scale)), scale


def pose_chunks(info: VideoInfo, threads: int, min_frames: int) -> list[tuple[int, int | None]]:
    """Split the video into ``threads`` runs of consecutive frames ``(start, stop)`` (stop None: to the end), each
    at least ``min_frames`` long; one run when the frame count is unknown."""
    n = info.frames
    k = max(1, min(threads, n // max(min_frames, 1))) if n else 1
    bounds = [round(n * i / k) for i in range(k + 1)]
    return [(bounds[i], bounds[i + 1] if i < k - 1 else None) for i in range(k)]


def _pose_pass(
    info: VideoInfo, model_name: str, model_path: Path, config: Config, progress: Progress | None
) -> PoseTracks:
    """Detect and track every person. The video is split into runs of consecutive frames (one per landmarker,
    ``pose.threads()``), each decoded and detected on its own threads at once; results are tracked here in frame
    order. Each landmarker sees consecutive frames, as MediaPipe's video mode expects."""
    tracker = PersonTracker(config.tracking, info.fps or 30.0)
    times: list[float] = []
    expected = info.frames or int(round(info.duration_s * info.fps))
    chunks = pose_chunks(info, config.pose.threads(), config.pose.min_chunk_frames)
    with ExitStack() as stack:
        landmarkers = [stack.enter_context(Landmarker(model_path, config.pose)) for _ in chunks]

        def detector(landmarker: Landmarker) -> Callable[[Frame], tuple[int, float, list, list]]:
            def detect(frame: Frame) -> tuple[int, float, list, list]:  # the pixels are dropped here
                image, world = landmarker.detect(frame.rgb, frame.time_s)
                return frame.index, frame.time_s, image, world

            return detect

        sources = [iter_frames(info, threads=config.video.decoder_threads, start=a, stop=b) for a, b in chunks]
        for index, time_s, image, world in map_chunks(sources, [detector(lm) for lm in landmarkers]):
            tracker.update(index, time_s, image, world)
            times.append(time_s)
            if progress is not None:
                progress(len(times), expected, "pose")
    image, world, scores, _ = tracker.finish(len(times))
    ts = np.asarray(times, dtype=np.float64)
    return PoseTracks(
        image=image,
        world=world,
        scores=scores,
        timestamps_s=ts,
        fps=mean_fps(ts, info.fps or 30.0),
        width=info.width,
        height=info.height,
        source=info.path,
        model=model_name,
        rotation_deg=info.rotation_deg,
        fingerprint=video_fingerprint(info.path),
        settings=pose_settings_key(config),
    )


def _render_pass(
    info: VideoInfo,
    tracks: PoseTracks,
    person: int,
    plan: OverlayPlan,
    config: Config,
    annotated_tmp: Path,
    progress: Progress | None,
) -> None:
    """Decode again (scaled to the output size while converting to RGB), draw the verdict overlay (and the other
    people, dimmed), encode annotated.mp4. Inference is over, so decoding, drawing and encoding overlap on all
    cores."""
    w, h, scale = output_size(info, config)
    overlay = VerdictOverlay(plan, scale)
    others = SkeletonAnnotator(OTHER_RGB, thickness_px=2.0)
    to_out = np.array([scale, scale, 1.0, 1.0], dtype=np.float32)
    with H264Writer(
        annotated_tmp, w, h, info.fps or 30.0, crf=config.video.crf, preset=config.video.preset, tune=config.video.tune
    ) as writer:

        def draw(frame: Frame) -> tuple[float, np.ndarray]:
            scene = frame.rgb if frame.rgb.flags.writeable else frame.rgb.copy()
            i = min(frame.index, tracks.image.shape[1] - 1)
            for p in range(tracks.n_people):
                if p != person:
                    others.annotate(scene, tracks.image[p, i] * to_out)
            return frame.time_s, overlay.annotate(scene, frame.index)

        def encode(item: tuple[float, np.ndarray]) -> None:
            writer.write(item[1], item[0])
            if progress is not None:
                progress(writer.frames_written, tracks.image.shape[1], "video")

        run_streaming(iter_frames(info, size=(w, h)), draw, encode)


def pose_settings_key(config: Config) -> str:
    """SHA-256 of what, beside the video and the model, decides the pose file: the formcheck version and the pose
    and tracking settings. A pose file made with another key is computed again rather than reused."""
    import hashlib
    import json

    from formcheck import __version__

    blob = json.dumps(
        {"formcheck": __version__, "pose": config.pose.model_dump(), "tracking": config.tracking.model_dump()},
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


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


def _thumbnails(report: dict, video: Path) -> dict[str, bytes] | None:
    """JPEG thumbnails of the best and worst step; None (no pictures) if the video cannot be read again."""
    try:
        return step_thumbnails(report, video)
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
) -> AnalysisResult:
    """Analyse one video and write ``annotated.mp4``, ``pose.npz``, ``report.json``, ``report.html``,
    ``frames.csv`` and ``steps.csv`` into ``out_dir`` (all of them, or none on error).

    ``person`` chooses a candidate by rank (0 = the runner chosen automatically: the person who stays in view and
    moves most). With ``reuse_pose`` an existing ``pose.npz`` for the same video and model skips inference.
    Raises :class:`formcheck.errors.FormcheckError` subclasses; on error no output file is left behind.
    """
    video = Path(video)
    info = probe(video)  # input errors first, before anything is created
    config = config or load_config()
    wanted = Path(out_dir) if out_dir is not None else default_out_dir(video)
    created = not wanted.exists()
    out = check_writable_dir(wanted)
    try:
        return _analyze_into(
            video, info, out, model=model, person=person, config=config, reuse_pose=reuse_pose, progress=progress
        )
    except BaseException:
        if created:  # leave no trace of a failed run: not even the folder we made for it
            with contextlib.suppress(OSError):
                out.rmdir()
        raise


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
) -> AnalysisResult:
    pose_path = out / POSE_FILE
    tracks = _load_cached(pose_path, info, model, pose_settings_key(config)) if reuse_pose else None
    reused = tracks is not None
    with OutputSet(out) as outputs:
        if tracks is None:
            tracks = _pose_pass(info, model, ensure_model(model, build_missing=True), config, progress)
            if tracks.n_people == 0:
                raise NoPersonError(
                    f"no person was detected in {video} ({tracks.timestamps_s.size} frames): is the runner in view?"
                )
            tracks.save(outputs.path(POSE_FILE))
        seq = tracks.person(0 if person is None else person)
        judgement = judge(seq, config, frames=lambda ts: [f.rgb if f else None for f in frames_at(info, ts)])
        report = build_report(info, tracks, seq, judgement)
        _write_json(outputs.path(REPORT), report)
        frames_text = frames_csv_text(judgement)
        _write_text(outputs.path(FRAMES_CSV), frames_text)
        frames = list(csv.DictReader(io.StringIO(frames_text)))
        write_steps_csv(report["steps"], outputs.path(STEPS_CSV))
        write_html_report(report, frames, outputs.path(REPORT_HTML), _thumbnails(report, video), config)
        plan = build_plan(report, frames, judgement.pose.xy, seq.timestamps_s, seq.fps, config.video.touchdown_hold_s)
        _render_pass(info, tracks, seq.person, plan, config, outputs.path(ANNOTATED), progress)
        outputs.commit()
    return AnalysisResult(
        out_dir=out,
        annotated=out / ANNOTATED,
        pose_file=pose_path,
        report_path=out / REPORT,
        html_path=out / REPORT_HTML,
        report=report,
        pose=seq,
        reused_pose=reused,
    )
