"""Typed generation parameters of a synthetic clip. Units are in the field names; every field is documented.

One defaults source: the field defaults below (the CLI reads them). Per-segment overrides (cadence, step
length) fall back to direction-specific defaults: backward running uses shorter, quicker steps than a forward
jog.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from formcheck.errors import ConfigError

Direction = Literal["backward", "forward", "standing"]
Strike = Literal["forefoot", "midfoot", "heel"]
View = Literal["side", "oblique", "front", "back"]
Side = Literal["left", "right"]
CameraMode = Literal["follow", "static"]
Skin = Literal["light", "medium", "tan", "dark", "pale", "deep"]
Outfit = Literal["red_black", "blue_grey", "white_navy", "yellow_green", "black_orange", "all_black", "all_white"]
Background = Literal["gym", "track", "hall", "grass", "treadmill", "white_hall"]
Ankle = Literal["classic", "human"]
ShoeColour = Literal["black", "white", "red", "grey", "neon"]
Legwear = Literal["shorts", "tights", "capris"]
Lighting = Literal["standard", "dim", "bright", "overcast"]

#: Defaults that depend on the direction of travel (design choice: FIELD_NOTES "short, quick steps" backward).
DIRECTION_DEFAULTS: dict[str, dict[str, float]] = {
    "backward": {"cadence_spm": 180.0, "step_length_m": 0.55},
    "forward": {"cadence_spm": 166.0, "step_length_m": 0.85},
    # standing still: no steps and no travel (the cadence only keeps the gait clock running underneath)
    "standing": {"cadence_spm": 170.0, "step_length_m": 0.0},
}

#: Default foot angle at touchdown per strike style, degrees (positive = toe lower than heel). Pronounced on
#: purpose: MediaPipe compresses foot angles (OFFLINE.md).
STRIKE_ANGLE_DEG: dict[str, float] = {"forefoot": 16.0, "midfoot": 0.5, "heel": -16.0}


class Segment(BaseModel):
    """One stretch of a clip with a single direction of travel (or standing still in place)."""

    model_config = ConfigDict(extra="forbid")

    direction: Direction = Field(
        "backward",
        description="Direction of travel relative to where the chest faces; standing = stands still in place "
        "(feet planted, arms relaxed, a small sway; no contacts).",
    )
    duration_s: float = Field(6.0, gt=0, le=120, description="Length of the segment, seconds.")
    cadence_spm: float | None = Field(
        None, ge=60, le=260, description="Steps per minute; None = the direction's default."
    )
    step_length_m: float | None = Field(
        None, ge=0, le=2.5, description="Distance travelled per step, metres; None = default."
    )

    def resolved(self, name: str) -> float:
        """The segment's value of ``cadence_spm`` / ``step_length_m`` with defaults applied."""
        value = getattr(self, name)
        return DIRECTION_DEFAULTS[self.direction][name] if value is None else float(value)


class SynthParams(BaseModel):
    """Everything that determines a synthetic clip. Same params (including ``seed``) -> same clip and
    truth."""

    model_config = ConfigDict(extra="forbid")

    seed: int = Field(0, ge=0, description="Random seed: small natural variations, look details.")
    segments: list[Segment] = Field(
        default_factory=lambda: [Segment()],  # type: ignore[call-arg]
        description="Consecutive segments; the clip lasts their total duration.",
    )
    fps: float = Field(30.0, ge=24, le=120, description="Frame rate, frames/s.")
    width_px: int = Field(640, ge=128, le=3840, description="Frame width, pixels.")
    height_px: int = Field(480, ge=128, le=3840, description="Frame height, pixels.")
    # Gait
    duty_factor: float = Field(0.40, ge=0.2, le=0.6, description="Stance time / stride time of each foot.")
    trunk_lean_deg: float = Field(
        4.0, ge=-30, le=40, description="Trunk lean, degrees; + toward the chest (forward), - back."
    )
    elbow_deg: float = Field(90.0, ge=40, le=180, description="Mean elbow angle, degrees; 180 = straight.")
    arm_swing_deg: float = Field(
        22.0, ge=0, le=60, description="Shoulder swing amplitude (half of peak to peak), degrees."
    )
    strike: Strike = Field("forefoot", description="Which part of the foot lands first.")
    strike_angle_deg: float | None = Field(
        None, ge=-35, le=40, description="Foot angle at touchdown, degrees; None = per strike."
    )
    strike_spread_deg: float = Field(
        0.0,
        ge=0,
        le=15,
        description="Extra per-contact spread of the foot angle at touchdown, degrees: each contact's angle is drawn "
        "uniformly within +-this of strike_angle (0 = today's small natural jitter only).",
    )
    ankle: Ankle = Field(
        "classic",
        description="classic = the foot placed for the step alone (a heel landing far behind the hips bends the "
        "ankle 40-50 deg); human = a human ankle: the hips ride as high as the stance legs allow (the landing leg "
        "nearly straight) and a heel landing is placed close enough under the hips that the ankle is dorsiflexed "
        "at most dorsiflexion_max_deg at touchdown.",
    )
    dorsiflexion_max_deg: float = Field(
        28.0, ge=10, le=45, description="ankle=human: most ankle dorsiflexion at touchdown, degrees (shank vs foot)."
    )
    overstride_m: float = Field(
        0.04,
        ge=-0.2,
        le=0.5,
        description="Extra landing distance beyond the natural one, metres (along travel).",
    )
    heel_drag: float = Field(
        0.0, ge=0, le=1, description="0 = clean push-off; 1 = heel stays low and drags into early swing."
    )
    vertical_oscillation_m: float = Field(
        0.05, ge=0, le=0.15, description="Peak-to-peak up-down motion of the pelvis, metres."
    )
    asymmetry: float = Field(
        0.0,
        ge=-0.3,
        le=0.3,
        description="Right-leg timing offset, fraction of a stride: + makes the left->right "
        "step longer and the right->left step shorter.",
    )
    head_turn_every_s: float | None = Field(
        None, gt=0.5, le=60, description="Look over the shoulder every this many seconds; None = never."
    )
    head_turn_duration_s: float = Field(0.8, gt=0.1, le=5, description="How long each look lasts, seconds.")
    head_turn_deg: float = Field(70.0, ge=0, le=90, description="Head yaw when looking over the shoulder, degrees.")
    stumble_at_s: float | None = Field(None, ge=0, description="Time of a stumble, seconds; None = no stumble.")
    # Camera
    view: View = Field("side", description="Camera position relative to the runner.")
    side: Side = Field("right", description="Which side of the body faces the camera (side/oblique views).")
    camera: CameraMode = Field("follow", description="follow = pans with the runner (moving floor); static.")
    camera_distance_m: float | None = Field(
        None, gt=0.5, le=60, description="Camera to runner distance, metres; None = auto."
    )
    camera_height_m: float = Field(1.0, ge=0.1, le=5.0, description="Camera height above the floor, metres.")
    vertical_fov_deg: float = Field(48.0, ge=15, le=110, description="Vertical field of view, degrees.")
    # Look
    skin: Skin = Field("medium", description="Skin colour set.")
    outfit: Outfit = Field("blue_grey", description="Clothing colour set (shirt, shorts, shoes).")
    background: Background = Field("gym", description="Room: wall and floor pattern.")
    shoes: ShoeColour | None = Field(
        None, description="Shoe colour (upper and sole) overriding the outfit's; None = the outfit's shoes."
    )
    legwear: Legwear = Field(
        "shorts", description="shorts; tights = leggings to the ankle; capris = 3/4 tights to mid-shank."
    )
    lighting: Lighting = Field(
        "standard", description="standard; dim (low, warm, noisy); bright (harsh, high contrast); overcast (flat)."
    )
    motion_blur: bool = Field(
        False,
        description="Average three sub-frame renders spread over 2/3 of the frame interval (a 1/45 s shutter at "
        "30 fps).",
    )
    crf: int = Field(23, ge=0, le=51, description="x264 constant rate factor of the mp4.")

    @model_validator(mode="after")
    def _check(self) -> SynthParams:
        if self.stumble_at_s is not None and self.stumble_at_s >= self.duration_s:
            raise ValueError(f"stumble_at_s {self.stumble_at_s} is past the end of the clip ({self.duration_s} s)")
        return self

    @property
    def duration_s(self) -> float:
        """Total clip length, seconds."""
        return float(sum(s.duration_s for s in self.segments))

    @property
    def strike_angle(self) -> float:
        """Foot angle at touchdown, degrees, with the per-strike default applied."""
        return STRIKE_ANGLE_DEG[self.strike] if self.strike_angle_deg is None else float(self.strike_angle_deg)

    @property
    def n_frames(self) -> int:
        """Number of frames in the clip."""
        return max(1, int(round(self.duration_s * self.fps)))

    @classmethod
    def build(cls, **kwargs: object) -> SynthParams:
        """Validate keyword parameters, turning validation errors into one-line :class:`ConfigError`."""
        try:
            return cls.model_validate(kwargs)
        except ValidationError as exc:
            msgs = "; ".join(f"[{'.'.join(str(x) for x in e['loc']) or 'params'}] {e['msg']}" for e in exc.errors())
            raise ConfigError(f"invalid synth parameters: {msgs}") from None


def parse_segments(text: str, duration_s: float | None = None) -> list[Segment]:
    """Parse ``"forward:3,backward:4,standing:2"`` (direction:seconds, comma-separated) into segments."""
    segs = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, _, dur = part.partition(":")
        name = name.strip().lower()
        if name not in ("backward", "forward", "standing"):
            raise ConfigError(f"segment '{part}': direction must be backward, forward or standing")
        try:
            seconds = float(dur) if dur.strip() else (duration_s or 6.0)
        except ValueError:
            raise ConfigError(f"segment '{part}': '{dur}' is not a number of seconds") from None
        if not 0 < seconds <= 120:
            raise ConfigError(f"segment '{part}': duration must be in (0, 120] s")
        segs.append(Segment(direction=name, duration_s=seconds))  # type: ignore[arg-type, call-arg]
    if not segs:
        raise ConfigError(f"no segments in '{text}' (expected e.g. 'forward:3,backward:4')")
    return segs
