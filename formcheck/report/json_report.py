"""``report.json`` (schema ``formcheck.report/1``): the machine-readable result other tools read.

Field names are a contract; see the README's "Output contract".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from formcheck import __version__
from formcheck.analysis.judge import Judgement
from formcheck.analysis.types import Metrics, Stats, Step
from formcheck.pose.athlete import candidate_fields
from formcheck.pose.sequence import PoseSequence
from formcheck.pose.store import PoseTracks
from formcheck.video.reader import VideoInfo

SCHEMA = "formcheck.report/1"


def _r(x: float, nd: int = 4) -> float | None:
    return round(float(x), nd) if x is not None and math.isfinite(float(x)) else None


def video_section(info: VideoInfo, seq: PoseSequence) -> dict[str, Any]:
    """``video``: path, frames (decoded), fps (mean, from real timestamps), duration_s, width/height (upright
    pixels), rotation_deg (display rotation applied, ccw degrees), plus codec and container."""
    return {
        "path": info.path,
        "frames": seq.n_frames,
        "fps": _r(seq.fps),
        "duration_s": _r(seq.duration_s),
        "width": info.width,
        "height": info.height,
        "rotation_deg": info.rotation_deg,
        "codec": info.codec,
        "container": info.container,
    }


def pose_section(tracks: PoseTracks, seq: PoseSequence) -> dict[str, Any]:
    """``pose``: model, detected_frames, detection_rate (0..1), person (index of the analysed candidate), and the
    candidates (each person found: presence 0..1, motion score in torso lengths, and the athlete-choice evidence
    with its ``confidence``: :func:`formcheck.pose.athlete.candidate_fields`; ``followed``: whether its landmarks
    come from the follow pass on every frame, and then ``follow``, what that pass did); ``sweep_frames``: the
    frames everyone was searched on (count; None for pose files of a dense pass); ``picture_box_px``: the picture
    inside black bars the search looked at (x0, y0, width, height px of the input; None: no bars)."""
    presence = tracks.presence()
    followed = tracks.followed or tuple(True for _ in range(tracks.n_people))
    stats = tracks.follow_stats or tuple({} for _ in range(tracks.n_people))
    return {
        "model": seq.model,
        "detected_frames": int(seq.detected.sum()),
        "detection_rate": _r(seq.detection_rate),
        "person": seq.person,
        "people_found": tracks.n_people,
        "tiled": tracks.tiled,
        "picture_box_px": list(tracks.picture_box) if tracks.picture_box is not None else None,
        "sweep_frames": int(tracks.sweep_frames.size) if tracks.sweep_frames is not None else None,
        "candidates": [
            {"person": i, "presence": _r(presence[i]), "motion_score": _r(tracks.scores[i], 2)}
            | candidate_fields(tracks.evidence, i)
            | {"followed": bool(followed[i])}
            | ({"follow": stats[i]} if stats[i] else {})
            for i in range(tracks.n_people)
        ],
    }


def json_safe(obj: Any, nd: int = 4) -> Any:
    """``obj`` with every non-finite float replaced by None, floats rounded to ``nd`` places, numpy scalars and
    tuples turned into plain JSON types."""
    if isinstance(obj, dict):
        return {str(k): json_safe(v, nd) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v, nd) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _r(float(obj), nd)
    return obj


def _stats(x: Stats | None) -> dict[str, Any] | None:
    return None if x is None else {"median": x.median, "p10": x.p10, "p90": x.p90, "n": x.n}


def metrics_section(m: Metrics) -> dict[str, Any]:
    """``metrics``: every field of :class:`Metrics` under its report.json name (statistics as ``{median, p10, p90,
    n}``, elbows as ``{left, right}``, the strike note as its text)."""
    return {
        "backward_s": m.backward_s,
        "backward_frames": m.backward_frames,
        "leg_length_px": m.leg_length_px,
        "camera_static": m.camera_static,
        "ground_slope_deg": m.ground_slope_deg,
        "cadence_spm": m.cadence_spm,
        "cadence_coverage": m.cadence_coverage,
        "steps_backward": m.steps_backward,
        "trunk_lean_deg": _stats(m.trunk_lean_deg),
        "trunk_sway_deg": m.trunk_sway_deg,
        "trunk_sway_stride_deg": m.trunk_sway_stride_deg,
        "elbow_deg": {"left": _stats(m.elbow_left_deg), "right": _stats(m.elbow_right_deg)},
        "near_side": m.near_side,
        "contact_time_s": m.contact_time_s,
        "step_length_leg": m.step_length_leg,
        "landing_distance_leg": m.landing_distance_leg,
        "heel_strike_share": m.heel_strike_share,
        "strikes_classified": m.strikes_classified,
        "heel_lift_leg": m.heel_lift_leg,
        "heel_lift_steps": m.heel_lift_steps,
        "heel_raise_leg": m.heel_raise_leg,
        "heel_raise_steps": m.heel_raise_steps,
        "step_time_asymmetry_pct": m.step_time_asymmetry_pct,
        "step_time_asymmetry_uncertainty_pct": m.step_time_asymmetry_uncertainty_pct,
        "head_turns": m.head_turns,
        "head_turns_per_min": m.head_turns_per_min,
        "head_turned_share": m.head_turned_share,
        "head_watched_s": m.head_watched_s,
        "fatigue_lean_change_deg": m.fatigue_lean_change_deg,
        "fatigue_uncertainty_deg": m.fatigue_uncertainty_deg,
        "strike_note": m.strike_note.text if m.strike_note else None,
        "counts": {
            k: {"used": c.used, "excluded": c.excluded, "why": dict(sorted(c.why.items()))} for k, c in m.counts.items()
        },
    }


def step_record(s: Step) -> dict[str, Any]:
    """One step of ``steps`` (``strike_index_deg`` stays as a null key until the next schema version)."""
    return {
        "foot": s.foot,
        "contact_frame": s.contact_frame,
        "contact_s": s.contact_s,
        "toe_off_frame": s.toe_off_frame,
        "strike": s.strike,
        "strike_confidence": s.strike_confidence,
        "foot_angle_deg": s.foot_angle_deg,
        "strike_index_deg": None,
        "step_length_leg": s.step_length_leg,
        "landing_distance_leg": s.landing_distance_leg,
        "direction": s.direction,
        "excluded": s.excluded,
    }


def judgement_sections(j: Judgement) -> dict[str, Any]:
    """``segments``, ``view``, ``steps``, ``metrics``, ``rules`` and ``tips`` (see the README's output contract)."""
    return json_safe(
        {
            "segments": [
                {"start_s": s.start_s, "end_s": s.end_s, "direction": s.direction, "seen_s": s.seen_s}
                for s in j.segments
            ],
            "view": {"kind": j.view.kind, "side": j.view.side if j.view.kind in ("side", "oblique") else None},
            "steps": [step_record(s) for s in j.steps],
            "metrics": metrics_section(j.metrics),
            "rules": [
                {
                    "id": v.id,
                    "verdict": v.verdict,
                    "score": v.score,
                    "value": v.value,
                    "unit": v.unit,
                    "target": v.target,
                    "message": v.message,
                    "tip": v.tip,
                    "evidence_frames": list(v.evidence_frames),
                }
                for v in j.verdicts
            ],
            "tips": list(j.tips),
        }
    )


def build_report(
    info: VideoInfo, tracks: PoseTracks, seq: PoseSequence, judgement: Judgement | None = None
) -> dict[str, Any]:
    """The report as a JSON-ready dict (NaN never appears: unknown values are null)."""
    report = {
        "schema": SCHEMA,
        "formcheck_version": __version__,
        "video": video_section(info, seq),
        "pose": pose_section(tracks, seq),
    }
    if judgement is not None:
        report.update(judgement_sections(judgement))
    return report
