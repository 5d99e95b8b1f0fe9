"""The terminal summary's detection line (formcheck/cli/render.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from formcheck.cli.render import summary_lines


def _result(cut: int | None) -> SimpleNamespace:
    follow = {"frames_found": 97} if cut is None else {"frames_found": 97, "cut_another_look": cut}
    report = {
        "video": {"path": "v.mp4", "width": 1088, "height": 1920, "rotation_deg": 0, "fps": 60.0, "frames": 100,
                  "duration_s": 1.67},
        "pose": {"model": "full", "detected_frames": 77, "detection_rate": 0.77, "people_found": 1, "person": 0,
                 "candidates": [{"person": 0, "follow": follow}]},
    }  # fmt: skip
    out = Path("out")
    return SimpleNamespace(
        report=report,
        reused_pose=False,
        annotated=out / "annotated.mp4",
        html_path=out / "report.html",
        report_path=out / "report.json",
        pose_file=out / "pose.npz",
    )


def test_frames_cut_as_someone_else_are_said_beside_the_frames_found() -> None:
    pose = dict(summary_lines(_result(23)))["pose"]  # type: ignore[arg-type]
    assert "athlete found in 77/100 frames (77.0%)" in pose
    assert "23 frames left out where the track passed to someone who looks different" in pose


def test_nothing_is_said_when_nothing_was_cut() -> None:
    for cut in (None, 0):
        assert "left out" not in dict(summary_lines(_result(cut)))["pose"]  # type: ignore[arg-type]
