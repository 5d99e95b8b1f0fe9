"""``formcheck synth``: render a synthetic runner with exact ground truth (a thin wrapper over
generate_clip)."""

from __future__ import annotations

from pathlib import Path

import typer

from formcheck.errors import ConfigError


def synth(
    out: Path = typer.Argument(..., help="Output .mp4; the truth goes to <name>.truth.json beside it."),  # noqa: B008
    strike: str = typer.Option("forefoot", help="forefoot | midfoot | heel: which part of the foot lands first."),
    trunk_lean: float = typer.Option(None, "--trunk-lean", help="Trunk lean, degrees (+ forward, - back)."),
    elbow: float = typer.Option(None, help="Mean elbow angle, degrees (180 = straight)."),
    arm_swing: float = typer.Option(None, "--arm-swing", help="Shoulder swing amplitude, degrees."),
    direction: str = typer.Option("backward", help="backward | forward | standing (ignored with --segments)."),
    duration: float = typer.Option(6.0, help="Clip length, seconds (ignored with --segments)."),
    segments: str = typer.Option(
        None, help="Chained segments, e.g. 'standing:1,forward:3,backward:4' (direction:seconds)."
    ),
    cadence: float = typer.Option(None, help="Steps per minute (default depends on the direction)."),
    step_length: float = typer.Option(None, "--step-length", help="Step length, metres."),
    duty_factor: float = typer.Option(None, "--duty-factor", help="Stance fraction of the stride (0.2-0.6)."),
    overstride: float = typer.Option(None, help="Extra landing distance along travel, metres."),
    heel_drag: float = typer.Option(None, "--heel-drag", help="0..1: heel stays low through push-off."),
    asymmetry: float = typer.Option(None, help="Right-leg timing offset, fraction of a stride (-0.3..0.3)."),
    head_turn_every: float = typer.Option(None, "--head-turn-every", help="Look over the shoulder every N s."),
    head_turn_duration: float = typer.Option(None, "--head-turn-duration", help="Each look lasts N s."),
    stumble_at: float = typer.Option(None, "--stumble-at", help="Stumble at this time, seconds."),
    view: str = typer.Option("side", help="side | oblique | front | back."),
    side: str = typer.Option("right", help="left | right: which side of the body faces the camera."),
    camera: str = typer.Option("follow", help="follow (pans with the runner) | static."),
    distance: float = typer.Option(None, help="Camera distance, metres (default: frame the runner)."),
    camera_height: float = typer.Option(None, "--camera-height", help="Camera height, metres."),
    fps: float = typer.Option(30.0, help="Frames per second (24-120)."),
    width: int = typer.Option(640, help="Frame width, pixels (landscape)."),
    height: int = typer.Option(480, help="Frame height, pixels (landscape)."),
    portrait: bool = typer.Option(False, "--portrait", help="Swap width and height (a phone held upright)."),
    skin: str = typer.Option(None, help="light | medium | tan | dark."),
    look: str = typer.Option(None, help="Outfit: red_black | blue_grey | white_navy | yellow_green | black_orange."),
    background: str = typer.Option(None, help="gym | track | hall."),
    crf: int = typer.Option(None, help="x264 quality (lower = better, bigger)."),
    seed: int = typer.Option(0, help="Random seed; the same seed gives the same clip and truth."),
) -> None:
    """Render a synthetic runner (backward by default) with exact ground truth: OUT.mp4 + OUT.truth.json."""
    from formcheck.synth import generate_clip
    from formcheck.synth.params import Segment, SynthParams, parse_segments

    if direction not in ("backward", "forward", "standing"):
        raise ConfigError(f"--direction must be backward, forward or standing, got '{direction}'")
    segs = parse_segments(segments) if segments else [Segment(direction=direction, duration_s=duration)]  # type: ignore[call-arg, arg-type]
    if cadence is not None or step_length is not None:
        segs = [
            s.model_copy(
                update={k: v for k, v in (("cadence_spm", cadence), ("step_length_m", step_length)) if v is not None}
            )
            for s in segs
        ]
    w, h = (min(width, height), max(width, height)) if portrait else (width, height)
    options = {
        "strike": strike,
        "trunk_lean_deg": trunk_lean,
        "elbow_deg": elbow,
        "arm_swing_deg": arm_swing,
        "duty_factor": duty_factor,
        "overstride_m": overstride,
        "heel_drag": heel_drag,
        "asymmetry": asymmetry,
        "head_turn_every_s": head_turn_every,
        "head_turn_duration_s": head_turn_duration,
        "stumble_at_s": stumble_at,
        "view": view,
        "side": side,
        "camera": camera,
        "camera_distance_m": distance,
        "camera_height_m": camera_height,
        "skin": skin,
        "outfit": look,
        "background": background,
        "crf": crf,
    }
    params = SynthParams.build(
        seed=seed,
        segments=[s.model_dump() for s in segs],
        fps=fps,
        width_px=w,
        height_px=h,
        **{k: v for k, v in options.items() if v is not None},
    )
    truth = generate_clip(params, out)
    n_contacts = len(truth.contacts)
    typer.echo(f"wrote {out} ({truth.n_frames} frames, {n_contacts} contacts) and its truth JSON")
