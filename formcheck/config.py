"""The one typed configuration: every setting and threshold, its unit and reason.

Defaults live in a single file, ``formcheck/defaults.toml`` (read here, nowhere else). A user file given with
``--config`` overrides any subset of it; unknown keys and wrong types are refused with a one-line error.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from formcheck.errors import ConfigError

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")

#: The pose models, smallest first (the one list: CLI choices, bundles and config all use it).
ModelName = Literal["lite", "full", "heavy"]
MODEL_NAMES: tuple[str, ...] = get_args(ModelName)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PoseConfig(_Section):
    """MediaPipe PoseLandmarker settings."""

    num_poses: int = Field(ge=1, le=8, description="people reported per frame (count)")
    min_detection_confidence: float = Field(ge=0, le=1, description="detector score to start a pose (0..1)")
    min_presence_confidence: float = Field(ge=0, le=1, description="presence score to keep a pose (0..1)")
    min_tracking_confidence: float = Field(ge=0, le=1, description="tracking score to skip re-detection (0..1)")
    inference_threads: int = Field(ge=0, le=16, description="landmarkers run at once (count; 0 = per core, <= 4)")
    min_chunk_frames: int = Field(ge=1, description="shortest run of frames given to one landmarker (frames)")
    max_long_side_px: int = Field(ge=0, description="long side of the frames the pose models see (px; 0 = input)")
    tile_below_torso_share: float = Field(
        ge=0, le=1, description="second pass on tiles when the athlete's torso is under this share (0 = never)"
    )
    tile_below_presence: float = Field(
        ge=0, le=1, description="second pass on tiles when the athlete is found on under this share of searched frames"
    )
    bars_samples: int = Field(ge=0, description="frames looked at for black bars (count; 0 = never)")
    bars_black_level: float = Field(ge=0, le=255, description="brightest level of a black bar (8-bit)")
    bars_min_share: float = Field(ge=0, le=1, description="bars this share of the width or height count (0..1)")
    sweep_hz: float = Field(gt=0, description="frames a second searched for everyone (Hz)")
    sweep_model: ModelName = Field(description="pose model of the sweep (lite, full or heavy)")
    sweep_num_poses: int = Field(ge=1, le=16, description="people reported per searched frame (count)")
    follow_num_poses: int = Field(ge=1, le=4, description="people the follow landmarker may report (count)")
    follow_smoothed: bool = Field(description="let MediaPipe smooth the followed landmarks over time (lags)")
    follow_margin: float = Field(ge=1, description="follow crop side against the athlete's extent (x)")
    follow_min_side_px: int = Field(ge=32, description="smallest follow crop side (px of the followed frames)")
    follow_max_gap_s: float = Field(ge=0, description="longest sweep gap the athlete is followed across (s)")
    follow_max_offset_torso: float = Field(gt=0, description="follow result's distance from the sweep's (torso)")
    follow_extend_s: float = Field(ge=0, description="follow past the sweep's track while found within (s)")
    follow_back_start_tries: int = Field(ge=1, description="frames a follow back in time may start from (count)")
    follow_reset_after: int = Field(ge=1, description="rejected follow results before a fresh landmarker (count)")
    carry_max_misses: int = Field(ge=0, description="searched frames in a row without a carried person (count)")
    carry_start_tries: int = Field(ge=1, description="sightings a carry may start from, its end's first (count)")
    follow_full_below_torso_px: float = Field(
        ge=0, description="athlete torso in the working copy under which crops come from full frames (px)"
    )
    tile_side_share: float = Field(gt=0, le=1, description="tile side, share of the frame's short side (0..1)")
    tile_overlap: float = Field(ge=0, lt=1, description="overlap of neighbouring tiles, share of a side (0..1)")

    def threads(self) -> int:
        """How many landmarkers to run at once (count)."""
        import os

        return self.inference_threads or max(1, min(4, os.cpu_count() or 1))


class TrackingConfig(_Section):
    """Associating detections across frames into people (tracks)."""

    max_jump_torso: float = Field(gt=0, description="largest torso-centre jump per frame (torso lengths)")
    max_gap_s: float = Field(gt=0, description="longest gap before a track is closed (s)")
    max_speed_torso_per_s: float = Field(gt=0, description="top speed for joining fragments (torso lengths/s)")
    motion_lag_s: float = Field(gt=0, le=2, description="lag over which movement is measured (s)")
    min_presence: float = Field(ge=0, le=1, description="least share of frames for a candidate (0..1)")
    duplicate_torso: float = Field(ge=0, description="mean landmark distance of a repeated detection (torso)")
    max_overlap_s: float = Field(ge=0, description="longest overlap of two fragments still joined (s)")
    max_appearance: float = Field(gt=0, description="largest appearance distance of one person (0..~1)")
    appearance_dark_floor: float = Field(ge=0, description="grey level added before chromaticity (0..255)")
    appearance_memory: int = Field(ge=1, description="detections whose colours make a track's look (count)")
    max_proportion_ratio: float = Field(gt=1, description="largest leg/torso ratio change of one person (x)")
    max_stitch_gap_s: float = Field(ge=0, description="longest gap across which fragments are joined (s)")
    stitch_slack_torso_per_s: float = Field(
        ge=0, description="speed change allowed across a joined gap (torso lengths/s)"
    )
    stitch_size_change_per_s: float = Field(
        ge=0, description="size change allowed across a gap beyond max_torso_change (log ratio per s)"
    )
    stitch_ambiguity: float = Field(gt=0, le=1, description="cost ratio under which the best join is clear (0..1)")
    max_torso_change: float = Field(gt=1, description="largest torso length change against recent frames (x)")
    outlier_window_s: float = Field(gt=0, description="frames either side that judge a detection (s)")
    max_hip_off_torso: float = Field(gt=0, description="largest hip offset from the frames around (torso lengths)")
    look_change_max: float = Field(gt=0, description="largest look change of one followed person (0..~1)")
    look_change_min_s: float = Field(gt=0, description="shortest part of a followed track judged by its look (s)")
    look_change_min_frames: int = Field(ge=2, description="fewest frames of such a part (count)")
    look_change_guard_s: float = Field(ge=0, description="frames beside a change of look also cut (s)")
    mixed_window_s: float = Field(ge=0, description="frames beside a cut checked for a mixed skeleton (s)")
    mixed_path_s: float = Field(gt=0, description="kept frames beyond them whose path they are checked against (s)")
    mixed_max_off_torso: float = Field(gt=0, description="farthest off that path one person's hips lie (torso lengths)")


class AthleteConfig(_Section):
    """Choosing the athlete among the candidates (see :mod:`formcheck.pose.athlete`)."""

    stride_s: tuple[float, float] = Field(description="stride periods of walking and running (s)")
    min_strides: float = Field(gt=0, description="strides a stretch must span to show a gait (count)")
    max_fill_s: float = Field(ge=0, description="longest detection gap filled for the gait (s)")
    gait_full_swing_torso: float = Field(gt=0, description="ankle offset swing of a full gait (torso lengths)")
    travel_full_torso: float = Field(gt=0, description="hip travel scoring full (torso lengths)")
    travel_window_s: float = Field(gt=0, description="window of the net hip displacement (s)")
    base_weight: float = Field(ge=0, description="score weight of merely being there (0..1)")
    travel_weight: float = Field(ge=0, description="score weight of travel (0..1)")
    gait_weight: float = Field(ge=0, description="score weight of a gait (0..1)")
    size_power: float = Field(ge=0, description="exponent of relative size in the score")
    presence_power: float = Field(ge=0, description="exponent of the presence credit in the score")
    presence_full_s: float = Field(gt=0, description="seconds seen that count without a gait (s)")
    close_confidence: float = Field(ge=0, le=1, description="confidence below which the choice is close (0..1)")


class VideoConfig(_Section):
    """Annotated-video encoding."""

    max_long_side_px: int = Field(ge=0, description="long side of annotated.mp4 (px; 0 = input size)")
    crf: int = Field(ge=0, le=51, description="x264 constant rate factor")
    preset: Literal[
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"
    ] = Field(description="x264 speed preset")
    tune: Literal["", "zerolatency", "film", "animation", "grain", "stillimage", "fastdecode"] = Field(
        description='x264 tuning ("" = none)'
    )
    touchdown_hold_s: float = Field(gt=0, le=2, description="touchdown marker time on screen (s)")
    decoder_threads: int = Field(ge=0, le=64, description="decoder threads during inference (count; 0 = auto)")
    max_lost_share: float = Field(ge=0, le=1, description="share of undecodable frames skipped, not refused (0..1)")
    min_bits_per_pixel: float = Field(ge=0, description="smallest annotated.mp4 size per pixel, disk check (bit)")
    fallback_fps: float = Field(gt=0, description="frame rate assumed when the video states none (frames/s)")
    working_copy_max_mb: int = Field(ge=0, description="largest working copy of the frames (MiB; 0 = none)")
    thumbnail_max_side_px: int = Field(ge=16, description="long side of report.html's step pictures (px)")


class PlausibilityConfig(_Section):
    """What a human body and a runner's step can do: measurements beyond it are excluded and counted."""

    max_bone_torso: float = Field(gt=0, description="longest limb bone against the torso (ratio)")
    torso_range: tuple[float, float] = Field(description="torso length against its running median (ratio)")
    torso_window_s: float = Field(gt=0, description="window of that running median (s)")
    max_hip_speed_torso_s: float = Field(gt=0, description="fastest hip travel in the image (torso lengths/s)")
    trunk_range_deg: tuple[float, float] = Field(description="trunk lean a runner can hold (deg)")
    max_trunk_speed_deg_s: float = Field(gt=0, description="fastest trunk-lean change (deg/s)")
    foot_range_deg: tuple[float, float] = Field(description="foot angle any frame can show (deg, + toe lower)")
    ankle_range_deg: tuple[float, float] = Field(description="shank-to-foot angle (deg, 90 = neutral)")
    contact_foot_range_deg: tuple[float, float] = Field(description="foot angle at initial contact (deg)")
    min_step_s: float = Field(gt=0, description="shortest time between two contacts (s)")
    min_stride_s: float = Field(gt=0, description="shortest time between two contacts of one foot (s)")
    stride_share: float = Field(gt=0, le=1, description="shortest step / stride against the track's own (share)")
    min_gait: float = Field(ge=0, le=1, description="gait periodicity from which its stride is used (0..1)")


class CleaningConfig(_Section):
    """Landmark cleaning before angles and events."""

    max_gap_s: float = Field(ge=0, le=5, description="longest dropout filled by interpolation (s)")
    cutoff_hz: float = Field(gt=0, description="low-pass cut-off, scaled to the real frame rate (Hz)")
    swap_ratio: float = Field(gt=0, le=1, description="exchange leg labels below this cost ratio (0..1)")
    followed_lean_offset_deg: float = Field(
        ge=-5, le=5, description="added to the full model's followed trunk lean (deg, + toward the chest)"
    )


class ViewConfig(_Section):
    """Camera view from the body's apparent width."""

    side_max_ratio: float = Field(gt=0, description="width/torso ratio at or below which: side view")
    front_min_ratio: float = Field(gt=0, description="width/torso ratio at or above which: front/back view")
    facing_min_agreement: float = Field(
        gt=0.5, le=1, description="share of a segment's facing votes that must agree to tell the facing (0..1)"
    )


class DirectionConfig(_Section):
    """Segments of one direction of travel."""

    window_s: float = Field(gt=0, description="averaging window of the stance sweep (s)")
    standing_max_m_s: float = Field(ge=0, description="below this sweep speed: standing (m/s)")
    standing_max_depth_m_s: float = Field(ge=0, description="the same for front/back views (m/s)")
    depth_rise_leg_s: float = Field(gt=0, description="front/back: stance-foot image rise that decides (leg/s)")
    depth_growth_per_s: float = Field(gt=0, description="front/back: figure growth rate that decides (1/s)")
    depth_travel_log: float = Field(gt=0, description="side/oblique standing stretch: growth in all that is travel")
    min_segment_s: float = Field(ge=0, description="shorter segments are merged into a neighbour (s)")
    min_locomotion_steps: int = Field(ge=1, description="contacts in a row that make a stretch locomotion (count)")
    min_travel_torso: float = Field(ge=0, description="ground covered making locomotion, small feet (torso lengths)")


class EventsConfig(_Section):
    """Initial contact / toe-off detection and strike classes."""

    contact_leg: float = Field(gt=0, description="foot height at or below which it is on the ground (leg)")
    airborne_leg: float = Field(gt=0, description="foot height above which it is in the air (leg)")
    toe_off_leg: float = Field(gt=0, description="foot height whose up-crossing ends stance (leg)")
    min_stance_s: float = Field(ge=0, description="a toe-off sooner than this after its contact is not one (s)")
    min_stride_s: float = Field(gt=0, description="shortest time between contacts of one foot (s)")
    ground_window_s: float = Field(gt=0, description="window of the ground level (s)")
    contact_min_visibility: float = Field(ge=0, le=1, description="no contact fires below this visibility (0..1)")
    contact_max_pitch_deg: float = Field(gt=0, le=90, description="no contact on a foot pitched toes down more (deg)")
    settle_leg: float = Field(gt=0, description="a foot this low that stops descending is down (leg)")
    landing_sweep_leg: float = Field(gt=0, description="least foot sweep vs the pelvis around a landing (leg)")
    impact_first_share: float = Field(gt=0, le=1, description="first deceleration peak this share of the top (0..1)")
    landing_match_s: tuple[float, float] = Field(
        description="a height contact this long before / after a sweep landing is it (s)"
    )
    refine_s: float = Field(ge=0, description="contact refined to the impact within this before (s)")
    forefoot_min_deg: float = Field(description="foot angle at contact above which: forefoot (deg)")
    heel_max_deg: float = Field(description="foot angle at contact below which: heel (deg)")
    contact_timing_frames: float = Field(ge=0, description="contact timing uncertainty per foot (frames)")
    max_step_s: float = Field(gt=0, description="contacts further apart are not one step (s)")
    ball_of_foot: float = Field(ge=0, le=1, description="ball of the foot, share of heel -> toe tip (0..1)")
    leg_percentile: float = Field(gt=0, le=100, description="percentile of hip -> ankle taken as leg length")
    strike_models: list[ModelName] = Field(
        min_length=1, description="pose models whose foot landmarks can class strikes"
    )
    far_min_visibility: float = Field(ge=0, le=1, description="far-side landmarks used above this (0..1)")
    head_turn_fraction: float = Field(gt=0, le=1, description="nose lead below this share of normal: turned")
    head_turn_min_s: float = Field(ge=0, description="shortest head turn counted (s)")
    head_turn_merge_s: float = Field(ge=0, description="turns closer than this are one look (s)")
    cadence_max_step_s: float = Field(gt=0, description="contacts further apart are a pause for cadence (s)")
    cadence_min_coverage: float = Field(ge=0, le=1, description="step times must cover this share of backward (0..1)")
    cadence_min_steps: int = Field(ge=1, description="least step times for a cadence (count)")
    heel_lift_window_s: float = Field(gt=0, description="heel lift is the peak within this after toe-off (s)")
    stance_fallback_s: float = Field(gt=0, description="stance taken as this long when toe-off is unknown (s)")
    ground_slope_min_steps: int = Field(ge=2, description="least footprints for the ground's slope (count)")
    ground_slope_min_span_leg: float = Field(gt=0, description="footprints must span this across (leg lengths)")
    fatigue_min_frames: int = Field(ge=3, description="least measured frames to compare thirds (count)")
    fatigue_block_s: float = Field(gt=0, description="lean blocks for the fatigue change's uncertainty (s)")
    sway_highpass_hz: float = Field(gt=0, description="trunk sway is the lean above this frequency (Hz)")


class StrikeConfig(_Section):
    """Strike class from several cues at each contact (formcheck/analysis/strike.py)."""

    ground_window_s: float = Field(gt=0, description="window of each landmark's own ground level (s)")
    touch_leg: float = Field(gt=0, description="heel / toe within this of its ground: touched (leg)")
    touch_window_s: float = Field(gt=0, description="first touch searched this far around contact (s)")
    touch_mid_s: float = Field(description="toe-down minus heel-down time between heel and forefoot (s)")
    touch_scale_s: float = Field(gt=0, description="heel-toe touch time difference of a full vote (s)")
    rotation_s: float = Field(gt=0, description="foot rotation measured over this after contact (s)")
    rotation_mid_leg: float = Field(description="heel minus toe descent between heel and forefoot (leg)")
    rotation_scale_leg: float = Field(gt=0, description="heel minus toe descent of a full vote (leg)")
    angle_mid_deg: float = Field(description="foot angle at contact between heel and forefoot (deg)")
    angle_scale_deg: float = Field(gt=0, description="foot angle from the middle of a full vote (deg)")
    ankle_mid_deg: float = Field(description="shank-foot angle vs stance between heel and forefoot (deg)")
    ankle_scale_deg: float = Field(gt=0, description="shank-foot angle from the middle of a full vote (deg)")
    angle_weight: float = Field(ge=0, description="weight of the foot-angle cue")
    touch_weight: float = Field(ge=0, description="weight of the first-touch cue")
    rotation_weight: float = Field(ge=0, description="weight of the rotation-after-contact cue")
    ankle_weight: float = Field(ge=0, description="weight of the shank-foot (ankle) cue")
    min_cues: int = Field(ge=1, description="fewest measurable cues for a strike class")
    veto_min_weight: float = Field(ge=0, description="cues of at least this weight can veto a class")
    disagree_vote: float = Field(gt=0, le=1, description="a cue voting against this strongly: unknown (0..1)")
    min_confidence: float = Field(ge=0, le=1, description="near foot: strike unknown below this confidence")
    far_min_confidence: float = Field(ge=0, le=1, description="far foot: strike unknown below this confidence")
    min_foot_px: float = Field(ge=0, description="strike unknown when heel->toe is shorter (px)")
    far_foot_min_visibility: float = Field(ge=0, le=1, description="far foot strike unknown below this (0..1)")
    min_fps: float = Field(gt=0, description="no strike class from videos under this frame rate (fps)")
    edge_of_view_s: float = Field(ge=0, description="strike unknown with the person lost this near the contact (s)")
    picture_edge_foot: float = Field(
        ge=0, description="strike unknown with the foot this near the picture's side or bottom edge (foot lengths)"
    )
    pixel_check_contacts: int = Field(ge=1, description="contacts per foot whose pixels are checked")
    pixel_radius_foot: float = Field(gt=0, description="half-side of the checked square, share of the foot")
    min_landmark_contrast: float = Field(ge=0, description="heel/toe image structure below this: unknown (grey)")


class BandRule(_Section):
    """A rule judged by where one measured value falls: ``ok`` band, ``warn`` band around it, else fail."""

    views: list[Literal["side", "oblique", "front", "back"]] = Field(description="views the rule can judge")
    ok: tuple[float, float] = Field(description="[low, high] of the ok band, in the rule's unit")
    warn: tuple[float, float] = Field(description="[low, high] of the warn band (contains ok)")
    min_count: int = Field(ge=1, description="least frames or steps needed for a verdict (count)")

    @model_validator(mode="after")
    def _bands(self) -> BandRule:
        if not (self.warn[0] <= self.ok[0] <= self.ok[1] <= self.warn[1]):
            raise ValueError("bands must nest: warn[0] <= ok[0] <= ok[1] <= warn[1]")
        return self


class RulesConfig(_Section):
    """Thresholds of every rule (units in defaults.toml beside each value)."""

    upright_posture: BandRule
    short_steps: BandRule
    landing_distance: BandRule
    forefoot_landing: BandRule
    arm_angle: BandRule
    look_over_shoulder: BandRule
    heel_drag: BandRule
    symmetry: BandRule
    trunk_stability: BandRule
    fatigue: BandRule
    fatigue_min_s: float = Field(ge=0, description="backward running needed to compare thirds (s)")
    fatigue_z: float = Field(gt=0, description="standard errors in the fatigue change's 95 % half-width")
    symmetry_z: float = Field(gt=0, description="standard errors in the step-time asymmetry's 95 % half-width")
    fatigue_max_half_width_deg: float = Field(
        gt=0, description="fatigue not assessable when the change's 95 % half-width is over this (deg)"
    )
    walking_below_spm: float = Field(
        gt=0, description="cadence under which the athlete walks: arms and heel drag not judged (steps/min)"
    )
    look_max_turned_share: float = Field(ge=0, le=1, description="head turned more than this share: warn")
    look_confidence: float = Field(
        gt=0, lt=1, description="confidence of the head-turn rate's Poisson interval the rule is judged on (0..1)"
    )
    evidence_frames_max: int = Field(ge=1, description="most extreme-lean frames a rule cites (count)")
    step_fault_foot_angle_deg: float = Field(gt=0, description="foot angle short of forefoot per fault unit (deg)")
    lean_min_facing_share: float = Field(
        ge=0, le=1, description="lean rules need the facing told on this share of side-seen frames (0..1)"
    )
    level_max_ground_slope_deg: float = Field(
        gt=0, description="posture and landing not assessable when the ground slopes more in the picture (deg)"
    )


class Config(_Section):
    """All of formcheck's settings."""

    pose: PoseConfig
    tracking: TrackingConfig
    athlete: AthleteConfig
    video: VideoConfig
    cleaning: CleaningConfig
    plausibility: PlausibilityConfig
    view: ViewConfig
    direction: DirectionConfig
    events: EventsConfig
    strike: StrikeConfig
    rules: RulesConfig


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
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not a UTF-8 text file (byte {exc.start}): save it as UTF-8 TOML") from exc
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


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
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
