"""heel_drag catches a dragged heel: a runner rendered with the heel kept low through push-off (``--heel-drag 1``)
read 0.15 leg on the old measure (the foot's peak height after toe-off), like a clean runner, and was told "clean
push-off". The heel's height above the toe at toe-off tells them apart (defaults.toml [rules.heel_drag])."""

from __future__ import annotations

import pytest

from formcheck.analyze import analyze_video
from formcheck.synth import SynthParams, generate_clip

pytestmark = pytest.mark.slow


def test_a_rendered_heel_dragger_fails_heel_drag(tmp_path):
    clip = tmp_path / "drag.mp4"
    params = SynthParams.build(
        seed=701,
        segments=[{"direction": "backward", "duration_s": 3.5}],
        heel_drag=1.0,
        strike="forefoot",
        skin="tan",
        outfit="white_navy",
        background="track",
        crf=23,
    )
    generate_clip(params, clip)
    report = analyze_video(clip, out_dir=tmp_path / "out", model="full").report
    rule = next(r for r in report["rules"] if r["id"] == "heel_drag")
    assert rule["verdict"] == "fail", rule["message"]
    assert report["metrics"]["heel_raise_leg"] < 0.02
    assert report["metrics"]["heel_lift_leg"] > 0.1  # the old measure: as high as a clean push-off
