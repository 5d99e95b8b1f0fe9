"""The one typed configuration: every setting and threshold, its unit and reason.

Defaults live in a single file, ``formcheck/defaults.toml`` (read here, nowhere else). A user file given with
``--config`` overrides any subset of it; unknown keys and wrong types are refused with a one-line error.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from formcheck.errors import ConfigError

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PoseConfig(_Section):
    """MediaPipe PoseLandmarker settings."""

    num_poses: int = Field(ge=1, le=8, description="people reported per frame (count)")
    min_detection_confidence: float = Field(ge=0, le=1, description="detector score to start a pose (0..1)")
    min_presence_confidence: float = Field(ge=0, le=1, description="presence score to keep a pose (0..1)")
    min_tracking_confidence: float = Field(ge=0, le=1, description="tracking score to skip re-detection (0..1)")


class TrackingConfig(_Section):
    """Associating detections across frames into people (tracks)."""

    max_jump_torso: float = Field(gt=0, description="largest torso-centre jump per frame (torso lengths)")
    max_gap_s: float = Field(gt=0, description="longest gap before a track is closed (s)")
    max_speed_torso_per_s: float = Field(gt=0, description="top speed for joining fragments (torso lengths/s)")
    motion_lag_s: float = Field(gt=0, le=2, description="lag over which movement is measured (s)")
    min_presence: float = Field(ge=0, le=1, description="least share of frames for a candidate (0..1)")


class VideoConfig(_Section):
    """Annotated-video encoding."""

    max_long_side_px: int = Field(ge=0, description="long side of annotated.mp4 (px; 0 = input size)")
    crf: int = Field(ge=0, le=51, description="x264 constant rate factor")
    preset: str = Field(description="x264 speed preset")


class Config(_Section):
    """All of formcheck's settings."""

    pose: PoseConfig
    tracking: TrackingConfig
    video: VideoConfig


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"config path is a folder, not a TOML file: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from exc


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_config(path: str | Path | None = None) -> Config:
    """The defaults, overridden by the TOML file at ``path`` if given. Raises :class:`ConfigError`."""
    data = _read_toml(DEFAULTS_PATH)
    if path is not None:
        data = _merge(data, _read_toml(Path(path)))
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        where = f" in {path}" if path else ""
        raise ConfigError(f"[{loc}] {first['msg']}{where}") from exc
