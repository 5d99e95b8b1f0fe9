"""The annotated video reads the verdicts: a plan built from a report, and the drawn touchdown markers compared with
the synthetic athlete's truth."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest
import typed_fixtures as tf
from conftest import SAMPLES

from formcheck.overlay.plan import build_plan
from formcheck.overlay.verdicts import STRIKE_RGB, VerdictOverlay, unit_px
from formcheck.pose.landmarks import LM


def fake_judgement(n: int, xy: np.ndarray | None = None, lean: np.ndarray | None = None):
    steps = (
        tf.step(10, 1 / 3, foot="left", strike="heel"),
        tf.step(20, 2 / 3, foot="right", strike="forefoot"),
        tf.step(30, 1.0, foot="left", strike=None),
        tf.step(40, 4 / 3, foot="right", strike="forefoot"),
    )
    verdicts = (
        tf.verdict("upright_posture", "fail"),
        tf.verdict("arm_angle", "ok"),
        tf.verdict("forefoot_landing", "not_assessable", message="front view"),
    )
    return tf.judgement(n, 30.0, steps=steps, verdicts=verdicts, xy=xy, lean=lean)


def test_plan_reads_touchdowns_counts_cadence_and_notices():
    n = 60
    plan = build_plan(fake_judgement(n, lean=np.full(n, 5.0)), hold_s=0.2)
    assert plan.hold_frames == 6
    assert [t.strike for t in plan.active_touchdowns(12)] == ["heel"]
    assert plan.active_touchdowns(16) == [] and plan.active_touchdowns(9) == []
    assert plan.steps_done(9) == 0 and plan.steps_done(35) == 3
    assert plan.cadence_spm(25) is None  # two steps are not a cadence yet
    assert plan.cadence_spm(45) == pytest.approx(180.0)
    assert plan.part_verdict == {"trunk": "fail", "arms": "ok", "legs": "not_assessable"}
    assert any("forefoot landing: not assessable (front view)" in s for s in plan.notices)
    assert np.isnan(plan.elbow_left_deg).all() and plan.trunk_lean_deg[3] == 5.0
    assert plan.direction[0] == "backward"


def test_a_contact_excluded_for_its_timing_is_no_step_on_the_video():
    """The Sports2D walker played backwards: two contacts 2 frames apart (one excluded as ``step_timing``) made
    the live cadence read 146 steps/min for a walker at 97."""
    n = 60
    j = fake_judgement(n)
    extra = tf.step(12, 0.4, foot="right", strike="forefoot", excluded="step_timing")
    plan = build_plan(replace(j, steps=(*j.steps, extra)), hold_s=0.2)
    assert [t.frame for t in plan.touchdowns] == [10, 20, 30, 40]
    assert plan.steps_done(35) == 3 and plan.cadence_spm(45) == pytest.approx(180.0)
    assert [t.number for t in plan.touchdowns] == [1, 2, 3, 4]


def test_no_live_cadence_where_the_clip_cadence_was_withheld():
    n = 60
    j = fake_judgement(n)
    assert build_plan(j, hold_s=0.2).cadence_spm(45) == pytest.approx(180.0)
    withheld = replace(j, metrics=replace(j.metrics, cadence_spm=None, cadence_coverage=0.1))
    assert build_plan(withheld, hold_s=0.2).cadence_spm(45) is None


def test_overlay_draws_markers_only_while_held():
    n = 50
    xy = np.full((n, 33, 2), np.nan)
    xy[:, LM.LEFT_HEEL] = (100, 200)
    xy[:, LM.LEFT_FOOT_INDEX] = (140, 200)
    plan = build_plan(fake_judgement(n, xy=xy), hold_s=0.2)
    overlay = VerdictOverlay(plan)
    red = np.array(STRIKE_RGB["heel"])

    def ring_pixels(frame: int) -> int:
        scene = overlay.annotate(np.zeros((240, 320, 3), np.uint8), frame)
        return int(np.all(scene[150:250, 60:180] == red, axis=2).sum())

    assert ring_pixels(9) == 0 and ring_pixels(10) > 50 and ring_pixels(15) > 50 and ring_pixels(16) == 0


# --- the real thing: markers on a synthetic clip against its truth ------------------------------------------------


def strike_seen(rgb: np.ndarray, centre: np.ndarray, radius: float) -> str | None:
    """The strike class whose marker colour fills the ring around ``centre`` ("unknown" for the grey ring of a
    strike the analysis could not read), or None."""
    h, w = rgb.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot(xx - centre[0], yy - centre[1])
    ring = rgb[(r > 0.75 * radius) & (r < 1.25 * radius)].astype(int)
    if ring.size == 0:
        return None
    for name in ("heel", "forefoot", None):
        c = np.array(STRIKE_RGB[name])
        share = float((np.abs(ring - c).max(axis=1) < 70).mean())
        if share > 0.35:
            return name or "unknown"
    return None


@pytest.mark.slow
@pytest.mark.parametrize("clip", ["backward_heel_long_steps", "backward_good"])
def test_touchdown_markers_appear_at_truth_contacts_with_truth_strike(tmp_path: Path, clip: str):
    from formcheck.analyze import analyze_video

    res = analyze_video(SAMPLES / f"{clip}.mp4", out_dir=tmp_path, model="full")
    truth = json.loads((SAMPLES / f"{clip}.truth.json").read_text())
    lm = truth["per_frame"]["landmarks_px"]
    with av.open(str(res.annotated)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    radius = 7 * unit_px(frames[0].shape)
    hits, classes = 0, []
    for contact in truth["contacts"]:
        f, foot = contact["frame"], contact["foot"]
        heel, toe = (LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX) if foot == "left" else (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)
        seen = {}
        for k in range(max(f - 6, 0), min(f + 3, len(frames))):
            centre = (np.asarray(lm[k][heel]) + np.asarray(lm[k][toe])) / 2
            seen[k] = strike_seen(frames[k], centre, radius)
        onsets = [k for k in seen if seen[k] and not seen.get(k - 1)]
        near = [k for k in onsets if abs(k - f) <= 2]
        if near:
            hits += 1
            classes.append((seen[near[0]], contact["first_part"]))
    print(f"{clip}: {hits}/{len(truth['contacts'])} touchdown markers at truth contacts, classes {classes}")
    assert hits >= 0.9 * len(truth["contacts"]), f"{hits}/{len(truth['contacts'])} touchdown markers found"
    assert all(shown == true for shown, true in classes if shown != "unknown"), classes
    assert sum(shown != "unknown" for shown, _ in classes) >= 0.4 * len(classes), classes


def _texts(overlay: VerdictOverlay, frame: int) -> str:
    """Every text the overlay draws on ``frame`` (640x480), words single-spaced."""
    drawn = " ".join(p.text for p in overlay.draw_graphics(np.zeros((480, 640, 3), np.uint8), frame))
    return " ".join(drawn.split())


def test_frames_with_excluded_measurements_say_so_on_the_video():
    from dataclasses import replace

    n = 20
    j = fake_judgement(n)
    trunk = np.zeros(n, np.int8)
    trunk[7] = 4  # "trunk" in plausibility.REASONS
    j = replace(j, quality=replace(j.quality, trunk=trunk))
    plan = build_plan(j, hold_s=0.2)
    assert plan.excluded[7] == ("trunk",) and plan.excluded[6] == ()
    overlay = VerdictOverlay(plan)

    assert "implausible" in _texts(overlay, 7) and "trunk" in _texts(overlay, 7)
    assert "implausible" not in _texts(overlay, 6)
    # unseen, not implausible: the frame says what was not measured and why, in its own words
    trunk[8], trunk[9] = 9, 10  # "end_on", "facing" in plausibility.REASONS
    plan = build_plan(replace(j, quality=replace(j.quality, trunk=trunk)), hold_s=0.2)
    overlay = VerdictOverlay(plan)
    assert "turned to the camera here" in _texts(overlay, 8) and "implausible" not in _texts(overlay, 8)
    assert "which way the runner faces is not clear here" in _texts(overlay, 9)
    assert "implausible" not in _texts(overlay, 9)


def test_the_video_and_the_notes_name_the_same_reasons_unseen_rather_than_implausible():
    from formcheck.analysis.types import UNSEEN
    from formcheck.overlay.verdicts import UNSEEN_HERE

    assert set(UNSEEN_HERE) == set(UNSEEN)  # a new "unseen" reason must not read "implausible" on the video


def test_a_frame_without_the_athlete_says_so_on_the_video():
    plan = build_plan(fake_judgement(12), hold_s=0.2)
    plan.xy[5] = np.nan  # not found there (out of view, hidden, or cut from the track as someone else)
    overlay = VerdictOverlay(plan)

    assert "athlete not found here" in _texts(overlay, 5)
    assert "not found" not in _texts(overlay, 4) and "not found" not in _texts(overlay, 6)


def test_the_hud_says_standing_not_running_standing():
    from formcheck.overlay.verdicts import hud_lines

    assert [t for t, _ in hud_lines(3, None, "standing")] == ["steps 3 | cadence -", "STANDING"]
    assert hud_lines(3, 180.0, "backward")[1][0] == "running BACKWARD"
    assert len(hud_lines(0, None, None)) == 1  # the athlete not seen: no direction line


def test_the_live_cadence_counts_no_gap_as_a_step() -> None:
    """The OpenCV crowd walker at 10 fps: her contacts are found only here and there, and the live cadence read 35-45
    steps/min across the gaps for a walker at ~100. Touchdowns ``max_step_s`` or more apart are a pause or missed
    contacts: the cadence counts only the steps since the last such gap, and none is shown ``max_step_s`` after the
    last touchdown."""
    n = 150
    steps = tuple(
        tf.step(f, f / 30.0, foot="left" if k % 2 == 0 else "right", strike=None)
        for k, f in enumerate((10, 28, 46, 100, 118, 136))  # 0.6 s steps (100/min), then 1.8 s missed, then three more
    )
    j = tf.judgement(n, 30.0, steps=steps, verdicts=())
    plain = build_plan(j, hold_s=0.2)
    assert plain.cadence_spm(137) == pytest.approx(60.0 * 5 / (136 - 10) * 30)  # across the gap: 71/min
    plan = build_plan(j, hold_s=0.2, max_step_s=1.0)
    assert plan.cadence_spm(50) == pytest.approx(100.0)
    assert plan.cadence_spm(80) is None  # 1.1 s since the last touchdown: a pause, no live cadence
    assert plan.cadence_spm(119) is None  # two steps since the gap: not a cadence yet
    assert plan.cadence_spm(137) == pytest.approx(100.0)
