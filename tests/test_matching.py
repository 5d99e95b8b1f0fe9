"""The shared contact matcher (formcheck.synth.matching) on hand-made cases."""

from __future__ import annotations

from formcheck.synth.matching import f1_score, match_contacts, tolerance_frames


def _s(foot: str, frame: int | None) -> dict:
    return {"foot": foot, "contact_frame": frame}


def _t(foot: str, frame: int) -> dict:
    return {"foot": foot, "frame": frame}


def test_same_foot_within_tolerance_only() -> None:
    steps = [_s("left", 10), _s("right", 20), _s("left", 40)]
    truth = [_t("left", 11), _t("left", 20), _t("right", 23)]
    pairs = match_contacts(steps, truth, 2)
    assert [(s["contact_frame"], c["frame"]) for s, c in pairs] == [(10, 11)]


def test_each_step_used_once_and_nearest_wins() -> None:
    steps = [_s("left", 10), _s("left", 12)]
    truth = [_t("left", 12), _t("left", 11)]
    pairs = match_contacts(steps, truth, 2)
    assert [(s["contact_frame"], c["frame"]) for s, c in pairs] == [(12, 12), (10, 11)]
    assert len(match_contacts([_s("left", 10)], [_t("left", 10), _t("left", 11)], 2)) == 1


def test_steps_without_a_frame_never_match() -> None:
    assert match_contacts([_s("left", None)], [_t("left", 5)], 2) == []


def test_tolerance_scales_with_fps_and_f1() -> None:
    assert tolerance_frames(30) == 2.0 and tolerance_frames(60) == 4.0
    assert tolerance_frames(60, 1.0) == 2.0
    assert f1_score(0, 0, 0) == 1.0
    assert f1_score(9, 1, 0) == 18 / 19
    assert f1_score(0, 3, 2) == 0.0
