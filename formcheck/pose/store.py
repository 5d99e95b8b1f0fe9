"""Every person found in a video, and the pose file (``pose.npz``) that lets re-analysis skip inference.

The file holds all candidate people so that ``--person`` can choose another one without running the model again,
and a fingerprint of the source video and model so a stale file is never reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.atomic import atomic_path
from formcheck.errors import NoPersonError, OutputError, PoseFileError
from formcheck.pose.athlete import background_track
from formcheck.pose.landmarks import N_LANDMARKS
from formcheck.pose.sequence import PoseSequence

SCHEMA = "formcheck.pose/1"


def video_fingerprint(path: str | os.PathLike[str], chunk_bytes: int = 1 << 20) -> str:
    """A cheap content fingerprint of a file: SHA-256 of its size and its first and last ``chunk_bytes``."""
    path = Path(path)
    size = path.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with open(path, "rb") as fh:
        h.update(fh.read(chunk_bytes))
        if size > chunk_bytes:
            fh.seek(max(size - chunk_bytes, chunk_bytes))
            h.update(fh.read(chunk_bytes))
    return h.hexdigest()


@dataclass(frozen=True)
class PoseTracks:
    """All candidate people of one video, best candidate (the runner) first.

    ``image``/``world``: ``float32[P, T, 33, 4]`` as in :class:`PoseSequence` (NaN where that person is not seen);
    ``scores``: ``float64[P]`` motion score (torso lengths moved in total); ``timestamps_s``: ``float64[T]``;
    ``fingerprint``: of the source video; ``settings``: a hash of what else made these tracks (formcheck version,
    pose and tracking settings; see :func:`formcheck.pose.pose_pass.pose_settings_key`), so a file made otherwise
    is not reused. ``evidence``: per candidate, why it ranks where it does
    (:class:`formcheck.pose.athlete.Evidence` as a dict; empty for files made before the athlete choice);
    ``background_shift_px``: ``float64[T, 2]`` the background's shift per frame (px, NaN unknown; None when not
    measured); ``tiled``: found by the second detection pass on tiles of the frame (small or distant people);
    ``picture_box``: the picture inside black bars the sweep searched (x0, y0, width, height px; None: no bars);
    ``sweep_frames``: ``int64[S]`` the frames everyone was searched on (:mod:`formcheck.pose.sweep`; None for files
    made by a dense pass); ``followed``: per candidate, whether its landmarks come from the follow pass on every
    frame (True) or are the sweep's, interpolated between its frames (False; empty: all dense); ``follow_stats``:
    per candidate, what the follow pass did (frames looked at, found, rejected as someone else, landmarkers made
    afresh; empty when not followed).
    """

    image: np.ndarray
    world: np.ndarray
    scores: np.ndarray
    timestamps_s: np.ndarray
    fps: float
    width: int
    height: int
    source: str
    model: str
    rotation_deg: int
    fingerprint: str
    settings: str = ""
    evidence: tuple[dict, ...] = ()
    background_shift_px: np.ndarray | None = None
    tiled: bool = False
    picture_box: tuple[int, int, int, int] | None = None
    sweep_frames: np.ndarray | None = None
    followed: tuple[bool, ...] = ()
    follow_stats: tuple[dict, ...] = ()

    def __post_init__(self) -> None:
        p, t = self.scores.shape[0], self.timestamps_s.shape[0]
        for name in ("image", "world"):
            arr = getattr(self, name)
            if arr.shape != (p, t, N_LANDMARKS, 4):
                raise PoseFileError(
                    f"invalid pose data: {name} must have shape ({p}, {t}, {N_LANDMARKS}, 4), got {arr.shape}"
                )

    @property
    def n_people(self) -> int:
        """Number of candidate people P."""
        return int(self.scores.shape[0])

    def presence(self) -> np.ndarray:
        """Share of frames (0..1) in which each person is seen, ``float64[P]``."""
        if self.timestamps_s.size == 0:
            return np.zeros(self.n_people)
        return np.isfinite(self.image[:, :, 0, 0]).mean(axis=1)

    def person(self, index: int = 0) -> PoseSequence:
        """The pose sequence of candidate ``index`` (0 = the runner). Raises :class:`NoPersonError`."""
        if self.n_people == 0:
            raise NoPersonError(f"no person was detected in {self.source}")
        if not 0 <= index < self.n_people:
            raise NoPersonError(
                f"--person {index} does not exist: {self.n_people} "
                f"{'person was' if self.n_people == 1 else 'people were'} found "
                f"(choose 0-{self.n_people - 1})"
            )
        detected = np.isfinite(self.image[index, :, 0, 0])
        return PoseSequence(
            image=self.image[index],
            world=self.world[index],
            timestamps_s=self.timestamps_s,
            detected=detected,
            fps=self.fps,
            width=self.width,
            height=self.height,
            source=self.source,
            model=self.model,
            person=index,
            rotation_deg=self.rotation_deg,
            background_px=None if self.background_shift_px is None else background_track(self.background_shift_px),
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the pose file atomically (compressed npz with a JSON header)."""
        meta = {
            "schema": SCHEMA,
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
            "source": self.source,
            "model": self.model,
            "rotation_deg": self.rotation_deg,
            "fingerprint": self.fingerprint,
            "settings": self.settings,
            "evidence": list(self.evidence),
            "tiled": self.tiled,
            "picture_box": list(self.picture_box) if self.picture_box is not None else None,
            "followed": list(self.followed),
            "follow_stats": list(self.follow_stats),
        }
        arrays: dict[str, np.ndarray] = {
            "meta": np.array(json.dumps(meta)),
            "image": self.image,
            "world": self.world,
            "scores": self.scores,
            "timestamps_s": self.timestamps_s,
        }
        if self.background_shift_px is not None:
            arrays["background_shift_px"] = self.background_shift_px
        if self.sweep_frames is not None:
            arrays["sweep_frames"] = self.sweep_frames
        with atomic_path(path) as tmp:  # compressed straight into the file: no copy of it in memory
            try:
                with open(tmp, "wb") as fh:
                    np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
            except OSError as exc:
                raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return Path(path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> PoseTracks:
        """Read and validate a pose file. Raises :class:`PoseFileError` with the reason."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("schema") != SCHEMA:
                    raise PoseFileError(f"{path}: not a {SCHEMA} pose file")
                return cls(
                    image=data["image"].astype(np.float32),
                    world=data["world"].astype(np.float32),
                    scores=data["scores"].astype(np.float64),
                    timestamps_s=data["timestamps_s"].astype(np.float64),
                    fps=float(meta["fps"]),
                    width=int(meta["width"]),
                    height=int(meta["height"]),
                    source=str(meta["source"]),
                    model=str(meta["model"]),
                    rotation_deg=int(meta["rotation_deg"]),
                    fingerprint=str(meta["fingerprint"]),
                    settings=str(meta.get("settings", "")),
                    evidence=tuple(meta.get("evidence", [])),
                    tiled=bool(meta.get("tiled", False)),
                    picture_box=_box(meta.get("picture_box")),
                    background_shift_px=(
                        data["background_shift_px"].astype(np.float64) if "background_shift_px" in data else None
                    ),
                    sweep_frames=data["sweep_frames"].astype(np.int64) if "sweep_frames" in data else None,
                    followed=tuple(bool(f) for f in meta.get("followed", [])),
                    follow_stats=tuple(dict(f) for f in meta.get("follow_stats", [])),
                )
        except PoseFileError:
            raise
        except (OSError, ValueError, KeyError, json.JSONDecodeError, zipfile.BadZipFile) as exc:
            raise PoseFileError(f"cannot read pose file {path}: {exc}") from exc


def _box(value: object) -> tuple[int, int, int, int] | None:
    """A stored ``picture_box`` (a list of four ints, or None)."""
    if not isinstance(value, list) or len(value) != 4:
        return None
    x0, y0, w, h = (int(v) for v in value)
    return x0, y0, w, h
