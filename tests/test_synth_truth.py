"""Self-consistency of the synthetic athlete's ground truth (formcheck.synth)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.pose.landmarks import LM
from formcheck.synth import SynthParams, generate_clip
from formcheck.synth.generate import truth_path_for
from formcheck.synth.truth import SCHEMA, Truth

CLIPS = {
    "forefoot": dict(
        segments=[dict(direction="backward", duration_s=2.5)],
        strike="forefoot",
        seed=11,
        trunk_lean_deg=6.0,
        elbow_deg=95.0,
    ),
    "heel": dict(
        segments=[dict(direction="backward", duration_s=2.5, step_length_m=0.7)],
        strike="heel",
        side="left",
        trunk_lean_deg=-10.0,
        elbow_deg=160.0,
        seed=12,
        skin="dark",
        background="track",
    ),
    "fwd_bwd": dict(
        segments=[dict(direction="forward", duration_s=2.0), dict(direction="backward", duration_s=2.0)],
        seed=13,
        width_px=320,
        height_px=240,
    ),
    "stand_run": dict(
        segments=[
            dict(direction="standing", duration_s=1.2),
            dict(direction="backward", duration_s=2.0),
            dict(direction="standing", duration_s=1.2),
        ],
        seed=14,
        width_px=320,
        height_px=240,
    ),
}


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Truth]:
    out = {}
    folder = tmp_path_factory.mktemp("synth")
    for name, kw in CLIPS.items():
        mp4 = folder / f"{name}.mp4"
        truth = generate_clip(SynthParams(**kw), mp4)
        assert mp4.exists() and truth_path_for(mp4).exists()
        out[name] = Truth.load(truth_path_for(mp4))
        assert out[name].data == truth.data  # what was written is what was returned
    return out


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    u, v = a - b, c - b
    return math.degrees(math.acos(np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1)))


@pytest.mark.parametrize("name", list(CLIPS))
def test_schema_and_lengths(clips: dict[str, Truth], name: str) -> None:
    t = clips[name]
    assert t.data["schema"] == SCHEMA
    n = t.n_frames
    assert n == round(sum(s["duration_s"] for s in CLIPS[name]["segments"]) * t.data["video"]["fps"])
    for key, values in t.per_frame.items():
        assert len(values) == n, key
    assert all(len(row) == 33 for row in t.per_frame["landmarks_px"])
    assert t.data["params"]["seed"] == CLIPS[name]["seed"]
    assert 0.7 < t.data["leg_length_m"] < 0.9
    assert {c["first_part"] for c in t.contacts} <= {"heel", "midfoot", "forefoot"}


@pytest.mark.parametrize("name", list(CLIPS))
def test_contact_frame_is_where_the_foot_reaches_the_floor(clips: dict[str, Truth], name: str) -> None:
    t = clips[name]
    pf = t.per_frame
    assert len(t.contacts) >= 6
    for c in t.contacts:
        clear = pf[f"foot_clearance_{c['foot']}_m"]
        k = c["frame"]
        assert abs(clear[k]) < 1e-3, (c, clear[k])
        assert pf[f"phase_{c['foot']}"][k] == "stance"
        if k > 0:
            assert pf[f"phase_{c['foot']}"][k - 1] == "swing"
            assert clear[k - 1] > 0
    for side in ("left", "right"):
        clear = np.array(pf[f"foot_clearance_{side}_m"])
        stance = np.array(pf[f"phase_{side}"]) == "stance"
        assert np.all(np.abs(clear[stance]) < 1e-3)  # the standing foot neither floats nor sinks
        assert np.all(clear[~stance] > 0)  # the swinging foot never touches the floor


@pytest.mark.parametrize("name", list(CLIPS))
def test_step_and_landing_lengths_agree_with_positions(clips: dict[str, Truth], name: str) -> None:
    t = clips[name]
    leg = t.data["leg_length_m"]
    steps = 0
    for prev, c in zip(t.contacts, t.contacts[1:], strict=False):
        travel = 1.0 if c["direction"] == "forward" else -1.0
        assert c["foot"] != prev["foot"]  # feet alternate
        expected = (c["point_m"][0] - prev["point_m"][0]) * travel
        assert c["step_length_m"] == pytest.approx(expected, abs=2e-4)
        assert c["step_length_leg"] == pytest.approx(expected / leg, abs=1e-3)
        landing = (c["point_m"][0] - c["pelvis_m"][0]) * travel
        assert c["landing_distance_m"] == pytest.approx(landing, abs=2e-4)
        assert c["point_m"][1] == pytest.approx(0.0, abs=1e-3)  # the first part to touch is on the floor
        steps += 1
    assert steps >= 5


def test_step_length_and_cadence_match_the_request(clips: dict[str, Truth]) -> None:
    t = clips["heel"]
    lengths = [c["step_length_m"] for c in t.contacts if c["step_length_m"] is not None]
    assert np.median(lengths) == pytest.approx(0.7, rel=0.06)
    times = [c["time_exact_s"] for c in t.contacts]
    cadence = 60.0 / np.median(np.diff(times))
    assert cadence == pytest.approx(180.0, rel=0.03)


@pytest.mark.parametrize("name", ["forefoot", "heel"])
def test_angles_from_truth_pixels_match_truth_angles(clips: dict[str, Truth], name: str) -> None:
    """Side view: the near elbow and the trunk lean measured on the projected landmarks equal the 3D truth."""
    t = clips[name]
    pf = t.per_frame
    px = t.landmarks_px()
    near = t.data["view"]["side"]
    s = "LEFT" if near == "left" else "RIGHT"
    facing = 1.0 if near == "right" else -1.0  # the runner faces +X; seen from the left, +X is image-left
    for k in range(0, t.n_frames, 3):
        p = px[k]
        el = _angle(p[LM[f"{s}_SHOULDER"]], p[LM[f"{s}_ELBOW"]], p[LM[f"{s}_WRIST"]])
        assert el == pytest.approx(pf[f"elbow_{near}_deg"][k], abs=3.0)
        d = (p[LM.LEFT_SHOULDER] + p[LM.RIGHT_SHOULDER]) / 2 - (p[LM.LEFT_HIP] + p[LM.RIGHT_HIP]) / 2
        lean = math.degrees(math.atan2(facing * d[0], -d[1]))
        assert lean == pytest.approx(pf["trunk_lean_deg"][k], abs=1.5)
    # and the measured angles are close to what was asked (the truth is measured, not copied)
    assert np.median(pf["trunk_lean_deg"]) == pytest.approx(CLIPS[name]["trunk_lean_deg"], abs=1.5)
    assert np.median(pf[f"elbow_{near}_deg"]) == pytest.approx(CLIPS[name]["elbow_deg"], abs=3.0)


def test_strike_style_shows_in_first_part_and_foot_angle(clips: dict[str, Truth]) -> None:
    fore, heel = clips["forefoot"].contacts, clips["heel"].contacts
    assert all(c["first_part"] == "forefoot" and c["foot_angle_deg"] > 8 for c in fore)
    assert all(c["first_part"] == "heel" and c["foot_angle_deg"] < -8 for c in heel)
    assert all(c["foot_angle_touchdown_deg"] < -12 for c in heel)


def test_foot_angle_truth_matches_heel_and_toe_landmarks(clips: dict[str, Truth]) -> None:
    t = clips["forefoot"]
    world = np.array([[p if p else [np.nan] * 3 for p in row] for row in t.per_frame["landmarks_world_m"]])
    for k in range(0, t.n_frames, 5):
        for side, s in (("left", "LEFT"), ("right", "RIGHT")):
            d = world[k, LM[f"{s}_FOOT_INDEX"]] - world[k, LM[f"{s}_HEEL"]]
            expected = math.degrees(math.atan2(-d[1], d[0]))
            assert t.per_frame[f"foot_angle_{side}_deg"][k] == pytest.approx(expected, abs=0.05)


def test_direction_follows_segments_and_pelvis_motion(clips: dict[str, Truth]) -> None:
    t = clips["fwd_bwd"]
    pf = t.per_frame
    fps = t.data["video"]["fps"]
    assert pf["direction"][0] == "forward" and pf["direction"][-1] == "backward"
    assert [s["direction"] for s in t.data["segments"]] == ["forward", "backward"]
    world = np.array([[p if p else [np.nan] * 3 for p in row] for row in pf["landmarks_world_m"]])
    hip_x = (world[:, LM.LEFT_HIP, 0] + world[:, LM.RIGHT_HIP, 0]) / 2
    early, late = slice(0, int(1.4 * fps)), slice(int(2.6 * fps), t.n_frames)
    assert np.all(np.diff(hip_x[early]) > 0)  # forward: toward where the chest faces (+X)
    assert np.all(np.diff(hip_x[late]) < 0)  # backward: toward the back
    dirs = {c["direction"] for c in t.contacts}
    assert dirs == {"forward", "backward"}
    assert all(c["step_length_m"] > 0.3 for c in t.contacts if c["step_length_m"] and c["time_s"] < 1.4)


def test_visibility_marks_far_side_hidden_in_side_view(clips: dict[str, Truth]) -> None:
    t = clips["forefoot"]  # right side toward the camera
    vis = np.array(t.per_frame["landmarks_visible"])
    assert vis[:, LM.RIGHT_SHOULDER].mean() > 0.9 and vis[:, LM.RIGHT_HIP].mean() > 0.9
    assert vis[:, LM.LEFT_HIP].mean() < 0.2


def test_standing_segments_stand_still_without_contacts(clips: dict[str, Truth]) -> None:
    t = clips["stand_run"]
    pf = t.per_frame
    fps = t.data["video"]["fps"]
    direction = np.array(pf["direction"])
    assert [s["direction"] for s in t.data["segments"]] == ["standing", "backward", "standing"]
    assert direction[0] == "standing" and direction[-1] == "standing"
    assert set(direction[int(1.3 * fps) : int(3.1 * fps)]) == {"backward"}
    assert t.contacts and all(c["direction"] == "backward" for c in t.contacts)
    assert all(1.0 < c["time_exact_s"] < 3.3 for c in t.contacts)
    world = np.array([[p if p else [np.nan] * 3 for p in row] for row in pf["landmarks_world_m"]])
    hip_x = (world[:, LM.LEFT_HIP, 0] + world[:, LM.RIGHT_HIP, 0]) / 2
    still = slice(0, int(0.6 * fps))  # well inside the first standing segment
    assert np.ptp(hip_x[still]) < 0.03  # stays in place (a small sway only)
    for side in ("left", "right"):
        assert np.all(np.array(pf[f"foot_clearance_{side}_m"])[still] < 1e-3)  # both feet planted
        assert set(np.array(pf[f"phase_{side}"])[still]) == {"stance"}
        assert np.all(np.abs(np.array(pf[f"foot_angle_{side}_deg"])[still]) < 3)  # flat
        assert np.all(np.array(pf[f"elbow_{side}_deg"])[still] > 140)  # arms relaxed
        assert np.all(np.array(pf[f"knee_{side}_deg"])[still] > 160)  # legs nearly straight
    assert abs(float(np.mean(pf["trunk_lean_deg"][still.start : still.stop]))) < 5
    assert np.ptp(hip_x[int(1.5 * fps) : int(2.8 * fps)]) > 0.5  # and runs in between
