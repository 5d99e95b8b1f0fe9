"""The judgement end to end on the bundled synthetic clips, against their truth: direction per segment (incl. the
standing parts of stand_run_stand), contacts (F1 within +-2 frames at 30 fps), strike class on matched contacts,
trunk lean and near-elbow error, every rule's expected verdict per clip (sample_videos/README.md says what each
clip shows), and the report.json / frames.csv contract. Pose extraction runs once per clip (module fixture)."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from conftest import SAMPLES

from formcheck.analyze import analyze_video
from formcheck.config import load_config
from formcheck.synth.matching import match_contacts, tolerance_frames

pytestmark = pytest.mark.slow

CLIPS = (
    "backward_good",
    "backward_lean_back_straight_arms",
    "backward_heel_long_steps",
    "forward_then_backward",
    "stand_run_stand",
    "backward_portrait",
)

#: What each clip is meant to show (sample_videos/README.md), as the verdict every rule must give. A set allows
#: either verdict where the clip sits near a band edge by design.
EXPECTED: dict[str, dict[str, str | set[str]]] = {
    "backward_good": {
        "upright_posture": "ok",
        "forefoot_landing": "ok",
        "short_steps": "ok",
        "arm_angle": "ok",
        "look_over_shoulder": "ok",
        "heel_drag": "ok",
        "symmetry": "ok",
        "trunk_stability": "ok",
        "fatigue": "not_assessable",
    },  # 6 s: too short to compare thirds
    "backward_lean_back_straight_arms": {
        "upright_posture": "fail",
        "arm_angle": "fail",
        "forefoot_landing": "ok",
        "short_steps": "ok",
        # no head turn in 6 s: what a runner who looks twice a minute shows 82 % of the time (look_confidence)
        "look_over_shoulder": "not_assessable",
        "heel_drag": "ok",
        "symmetry": "ok",
    },
    # 0.75 m steps = 0.94 leg lengths: warn band 0.8-1.0 by truth, so warn or fail, never ok
    "backward_heel_long_steps": {
        "forefoot_landing": "fail",
        "short_steps": {"warn", "fail"},
        "upright_posture": "ok",
        "arm_angle": "ok",
        "heel_drag": "ok",
        "symmetry": "ok",
    },
    "forward_then_backward": {
        "upright_posture": "ok",
        "forefoot_landing": "ok",
        "short_steps": "ok",
        "arm_angle": "ok",
        "heel_drag": "ok",
        "symmetry": "ok",
    },
    "stand_run_stand": {
        "upright_posture": "ok",
        "forefoot_landing": "ok",
        "short_steps": "ok",
        "arm_angle": "ok",
        "heel_drag": "ok",
    },
    "backward_portrait": {
        "upright_posture": "ok",
        "forefoot_landing": "ok",
        "short_steps": "ok",
        "arm_angle": "ok",
        "heel_drag": "ok",
        "symmetry": "ok",
    },
}


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> dict[str, tuple[dict, list[dict], dict]]:
    out = {}
    for name in CLIPS:
        d = tmp_path_factory.mktemp(name)
        res = analyze_video(SAMPLES / f"{name}.mp4", out_dir=d, model="full")
        with open(d / "frames.csv", newline="") as fh:
            rows = list(csv.DictReader(fh))
        truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
        out[name] = (json.loads(res.report_path.read_text()), rows, truth)
    return out


def _tol(truth: dict) -> float:
    return tolerance_frames(float(truth["video"]["fps"]))


@pytest.mark.parametrize("name", CLIPS)
def test_direction_view_and_contacts_match_truth(analysed, name):
    report, rows, truth = analysed[name]
    assert report["view"] == {"kind": truth["view"]["kind"], "side": truth["view"]["side"]}
    assert [s["direction"] for s in report["segments"]] == [s["direction"] for s in truth["segments"]]
    for got, want in zip(report["segments"], truth["segments"], strict=True):
        assert abs(got["start_s"] - want["start_s"]) < 0.5
    hits = len(match_contacts(report["steps"], truth["contacts"], _tol(truth)))
    f1 = 2 * hits / (len(report["steps"]) + len(truth["contacts"]))
    # must-show: F1 >= 0.95 over side views; a single clip may miss one contact (the first step from standing
    # lifts the foot only ~5 cm) or add one (the stopping step)
    assert f1 >= 0.9, (name, f1)
    # per-frame angles against truth (near side elbow)
    side = truth["view"]["side"]
    lean = np.array([float(r["trunk_lean_deg"] or "nan") for r in rows])
    elbow = np.array([float(r[f"elbow_{side}_deg"] or "nan") for r in rows])
    t_lean = np.array(truth["per_frame"]["trunk_lean_deg"], dtype=float)
    t_elbow = np.array(truth["per_frame"][f"elbow_{side}_deg"], dtype=float)
    assert np.nanmean(np.abs(lean - t_lean)) <= 3.0
    # the bench's target is <= 6 deg over the sweep; a single nearly straight arm (165 deg) reads 6.5 here
    assert np.nanmean(np.abs(elbow - t_elbow)) <= 7.0


def test_contact_f1_over_all_sample_clips(analysed):
    tp = n_pred = n_true = 0
    for report, _, truth in analysed.values():
        tp += len(match_contacts(report["steps"], truth["contacts"], _tol(truth)))
        n_pred += len(report["steps"])
        n_true += len(truth["contacts"])
    assert 2 * tp / (n_pred + n_true) >= 0.95


@pytest.mark.parametrize("name", CLIPS)
def test_strike_class_on_matched_contacts(analysed, name):
    """A matched contact's strike may be unknown (null: the cues disagree or the vote is weak) but is never the wrong
    class, and a fair share of contacts is classed. The strike cues disagree often on some clips: on the portrait
    sample MediaPipe's near heel reaches its ground level before the toe although the foot lands toe-first, and on
    the far foot MediaPipe often turns the foot the wrong way after contact; those contacts stay unknown."""
    report, _, truth = analysed[name]
    matched = known = 0
    for step, c in match_contacts(report["steps"], truth["contacts"], _tol(truth)):
        matched += 1
        if step["strike"] is not None:
            assert step["strike"] == c["first_part"], (name, c["frame"], step)
            assert 0 <= step["strike_confidence"] <= 1
            known += 1
    assert matched >= 8
    assert known >= 0.4 * matched, (name, known, matched)


@pytest.mark.parametrize("name", CLIPS)
def test_expected_verdicts(analysed, name):
    verdicts = {r["id"]: r["verdict"] for r in analysed[name][0]["rules"]}
    for rule, want in EXPECTED[name].items():
        allowed = want if isinstance(want, set) else {want}
        assert verdicts[rule] in allowed, (name, rule, verdicts[rule], want)


def test_look_over_shoulder_counts_the_head_turns_of_the_truth(analysed):
    for name, (report, _, truth) in analysed.items():
        turned = np.array(truth["per_frame"]["head_turned"], dtype=bool)
        true_turns = int(np.sum(np.diff(np.concatenate([[0], turned.astype(int)])) == 1))
        assert report["metrics"]["head_turns"] == true_turns, name


def test_step_length_measured_with_a_following_camera(analysed):
    """Step length (contact point to contact point, ground coordinates) against truth's step_length_leg, on every
    sample clip: each within 0.10 leg, and no bias over them (a leg length read short makes every step read long:
    at events.leg_percentile 90 the six read +0.055 on average, the heel striker +0.125)."""
    errors = []
    for name in CLIPS:
        report, _, truth = analysed[name]
        contacts = [c for c in truth["contacts"] if c["direction"] == "backward"]  # the metric is over backward steps
        want = [c["step_length_leg"] for c in contacts if c["step_length_leg"] is not None]
        got = report["metrics"]["step_length_leg"]
        assert got is not None, name
        errors.append(got - float(np.median(want)))
        assert got == pytest.approx(np.median(want), abs=0.10), name
    assert abs(float(np.mean(errors))) < 0.04, errors


def test_report_contract(analysed):
    report, rows, truth = analysed["backward_good"]
    assert set(rows[0]) == {
        "frame",
        "time_s",
        "detected",
        "trunk_lean_deg",
        "elbow_left_deg",
        "elbow_right_deg",
        "foot_angle_left_deg",
        "foot_angle_right_deg",
        "direction",
        "excluded",
    }
    assert len(rows) == report["video"]["frames"]
    assert all(r["excluded"] == "" for r in rows)  # a clean synthetic clip: nothing implausible
    for key in ("cadence_spm", "trunk_lean_deg", "elbow_deg"):
        assert key in report["metrics"]
    assert set(report["metrics"]["trunk_lean_deg"]) >= {"median", "p10", "p90"}
    assert 150 < report["metrics"]["cadence_spm"] < 210  # truth: 180 steps/min
    step = report["steps"][0]
    assert set(step) >= {
        "foot",
        "contact_frame",
        "contact_s",
        "toe_off_frame",
        "strike",
        "foot_angle_deg",
        "step_length_leg",
        "landing_distance_leg",
        "direction",
    }
    assert report["steps"][0]["step_length_leg"] is None  # the first contact has no previous one
    assert any(s["step_length_leg"] is not None for s in report["steps"])  # following camera: measured too
    for rule in report["rules"]:
        assert set(rule) >= {"id", "verdict", "score", "value", "unit", "target", "message", "tip", "evidence_frames"}
    heel_drag = next(r for r in report["rules"] if r["id"] == "heel_drag")
    assert heel_drag["target"] == "at least 0.06 leg"
    json.dumps(report, allow_nan=False)


def test_forward_segment_reported_not_judged(analysed):
    report = analysed["forward_then_backward"][0]
    fwd = [s for s in report["steps"] if s["direction"] == "forward"]
    assert fwd and all(s["contact_s"] < 3.3 for s in fwd)
    assert report["metrics"]["backward_s"] == pytest.approx(4.0, abs=0.5)


def test_standing_parts_are_standing(analysed):
    report, _, truth = analysed["stand_run_stand"]
    assert [s["direction"] for s in report["segments"]] == ["standing", "backward", "standing"]
    assert report["metrics"]["backward_s"] == pytest.approx(4.0, abs=0.5)
    assert all(s["direction"] == "backward" for s in report["steps"] if 2.5 < s["contact_s"] < 5.5)


def test_lite_model_never_classes_strikes(tmp_path):
    # the lite model reads this heel striker as a forefoot lander (bench_accuracy --model lite): unknown, not wrong
    res = analyze_video(SAMPLES / "backward_heel_long_steps.mp4", out_dir=tmp_path, model="lite")
    steps = res.report["steps"]
    assert len(steps) >= 10 and all(s["strike"] is None for s in steps)
    assert any(s["foot_angle_deg"] is not None for s in steps)  # the angle is still reported
    rule = next(r for r in res.report["rules"] if r["id"] == "forefoot_landing")
    assert rule["verdict"] == "not_assessable" and "lite" in rule["message"] and "--model full" in rule["message"]


def test_the_followed_lean_offset_brings_the_lean_nearer_the_truth(analysed):
    # cleaning.followed_lean_offset_deg (measured against a fresh look, not against any truth) takes away the tilt
    # that following gives the trunk: over the sample clips the lean errs less with it than without it
    offset = load_config(None).cleaning.followed_lean_offset_deg
    err = []
    for name in CLIPS:
        _, rows, truth = analysed[name]
        lean = np.array([float(r["trunk_lean_deg"] or "nan") for r in rows])
        e = lean - np.array(truth["per_frame"]["trunk_lean_deg"], dtype=float)
        err.append(e[np.isfinite(e)])
    e = np.concatenate(err)
    assert np.mean(np.abs(e)) < np.mean(np.abs(e - offset)) - 0.1, (np.mean(np.abs(e)), np.mean(np.abs(e - offset)))
