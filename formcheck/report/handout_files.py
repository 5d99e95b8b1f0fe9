"""The handout of one analysed video: its key frames cut from annotated.mp4 (skeleton and rings already drawn)
around the athlete, then the PDF.

:func:`key_frame_pictures` receives what it needs (video, landmarks, frame numbers); :func:`folder_handout` is
the convenience for a results folder (``formcheck tips --report``), reading report.json's folder's pose.npz for
the landmarks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date as _date
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.errors import InputVideoError, PoseFileError
from formcheck.report.crops import athlete_frames
from formcheck.report.handout import Handout, fault_frames, handout_from_report, handout_from_verdicts, rules_of
from formcheck.video.reader import probe

ANNOTATED, POSE_FILE = "annotated.mp4", "pose.npz"


def key_frame_pictures(
    video_path: str | os.PathLike[str],
    landmarks_px: np.ndarray,
    landmarks_size: tuple[int, int],
    frames: list[int],
    max_side_px: int = 480,
) -> dict[int, bytes]:
    """JPEG crops of the athlete at ``frames`` of ``video_path``. ``landmarks_px`` [T, 33, >=2]: the athlete's
    landmarks in pixels of a ``landmarks_size`` (width, height) picture (rescaled to the video's size, e.g. the
    input's landmarks on annotated.mp4). Frames out of range or without landmarks are left out; an unreadable
    video gives no pictures."""
    if not frames or landmarks_px.ndim != 3:
        return {}
    try:
        info = probe(video_path)
    except InputVideoError:
        return {}
    sx, sy = info.width / landmarks_size[0], info.height / landmarks_size[1]
    scale = np.array([sx, sy])
    wanted = {int(f): landmarks_px[int(f), :, :2] * scale for f in frames if 0 <= int(f) < landmarks_px.shape[0]}
    try:
        return athlete_frames(video_path, wanted, max_side_px)
    except InputVideoError:
        return {}


def _athlete_landmarks(folder: Path, report: Mapping[str, Any]) -> tuple[np.ndarray, tuple[int, int]] | None:
    from formcheck.pose.store import PoseTracks

    try:
        tracks = PoseTracks.load(folder / POSE_FILE)
    except (PoseFileError, OSError):
        return None
    person = (report.get("pose") or {}).get("person")
    if not isinstance(person, int) or not 0 <= person < tracks.n_people:
        return None
    return tracks.image[person], (tracks.width, tracks.height)


def folder_handout(
    report: Mapping[str, Any], folder: Path, *, level: str = "beginner", who: str | None = None, date: str | None = None
) -> Handout:
    """The handout of the report found in ``folder`` (with key frames when annotated.mp4 and pose.npz are there).
    ``who`` defaults to the report's athlete, else the video's file name; ``date`` to the report file's date."""
    video = (report.get("video") or {}).get("path") or ""
    who = who or str(report.get("athlete") or "") or Path(str(video)).name or folder.name
    if date is None:
        stamp = folder / "report.json"
        date = (_date.fromtimestamp(stamp.stat().st_mtime) if stamp.exists() else _date.today()).isoformat()
    pictures: dict[int, bytes] = {}
    found = _athlete_landmarks(folder, report) if (folder / ANNOTATED).is_file() else None
    if found is not None:
        pictures = key_frame_pictures(folder / ANNOTATED, found[0], found[1], fault_frames(report))
    return handout_from_report(report, who=who, date=date, level=level, pictures=pictures)


HANDOUT = "handout.pdf"


def write_result_handout(
    verdicts: Sequence[Any],
    landmarks_px: np.ndarray,
    landmarks_size: tuple[int, int],
    annotated: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    *,
    who: str,
    date: str,
    level: str = "beginner",
    paper: str = "a4",
) -> Path:
    """Write an analysis' handout to ``out_path``, its key frames cut from the ``annotated`` video.
    ``verdicts``: the typed verdicts; ``landmarks_px`` [T, 33, >=2]: the judged athlete's landmarks in a
    ``landmarks_size`` (width, height) picture."""
    from formcheck.report.handout_pdf import write_handout_pdf

    pictures = key_frame_pictures(annotated, landmarks_px, landmarks_size, fault_frames(rules_of(verdicts)))
    handout = handout_from_verdicts(verdicts, who=who, date=date, level=level, pictures=pictures)
    return write_handout_pdf(handout, out_path, paper)
