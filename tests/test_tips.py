"""`formcheck tips`: cues, safety, plans and exercises; with a report, ordered by the athlete's faults."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from formcheck.errors import ConfigError
from formcheck.report.tips import faults, tips_text
from formcheck.report.tips_content import CUES, EXERCISES, PLANS, RULE_TITLES


def _report(verdicts: dict[str, tuple[str, int | None]], tips=None):
    return {
        "schema": "formcheck.report/1",
        "rules": [
            {"id": rid, "verdict": v, "score": s, "message": "m", "tip": "t"} for rid, (v, s) in verdicts.items()
        ],
        "tips": tips if tips is not None else [],
    }


def _titles(sections):
    return [s.title for s in sections]


def test_without_report_all_content_in_fixed_order():
    secs = tips_text(None, "beginner")
    assert _titles(secs) == ["Technique cues", "Safety", "Progression plan (beginner)", "Complementary exercises"]
    assert secs[0].items == [text for _, text in CUES]
    assert any("Weeks 1-2" in item for item in secs[2].items)
    joined = " ".join(secs[3].items).lower()
    for word in ("lunges", "calf raises", "hip bridges", "planks", "side planks", "russian twists", "hamstrings"):
        assert word in joined, word
    assert any("fall" in s.lower() for s in secs[1].items)


def test_levels_differ_and_unknown_level_is_an_error():
    beg, inter = tips_text(None, "beginner"), tips_text(None, "intermediate")
    assert beg[2].items != inter[2].items
    assert len(inter[2].items) == len(PLANS["intermediate"])
    with pytest.raises(ConfigError, match="--level"):
        tips_text(None, "expert")


def test_faults_order_fail_then_warn_by_score():
    rep = _report(
        {
            "arm_angle": ("warn", 70),
            "upright_posture": ("ok", 95),
            "heel_drag": ("warn", 55),
            "forefoot_landing": ("fail", 30),
            "fatigue": ("not_assessable", None),
        }
    )
    assert faults(rep) == ["forefoot_landing", "heel_drag", "arm_angle"]
    assert faults(None) == [] and faults({"rules": None}) == [] and faults({"rules": ["junk", 3]}) == []


def test_report_faults_pull_their_cues_and_exercises_first():
    rep = _report({"arm_angle": ("fail", 10), "upright_posture": ("ok", 95)}, tips=["Bend the elbows."])
    secs = tips_text(rep, "beginner")
    assert secs[0].title.startswith("Your priorities") and secs[0].items == ["Bend the elbows."]
    cues = secs[1].items
    arm_cue = next(text for rules, text in CUES if "arm_angle" in rules)
    assert cues[0] == arm_cue
    assert sorted(cues) == sorted(text for _, text in CUES)  # nothing lost
    rep2 = _report({"trunk_stability": ("fail", 5)})
    ex = tips_text(rep2, "beginner")[-1].items
    assert ex[0] == next(text for rules, text in EXERCISES if "trunk_stability" in rules)
    assert "Planks" in ex[0]
    # without a report the order is the content order: the first cue is posture, not arms
    assert tips_text(None)[0].items[0] != arm_cue


def test_report_without_faults_or_tips():
    rep = _report({rid: ("not_assessable", None) for rid in RULE_TITLES})
    secs = tips_text(rep, "beginner")
    assert "No faults" in secs[0].items[0]
    rep2 = _report({"symmetry": ("warn", 60)})
    assert "left/right symmetry" in tips_text(rep2)[0].items[0]


# --- CLI -----------------------------------------------------------------------------------------------------------


def _app():
    import typer

    from formcheck.cli.tips import tips

    app = typer.Typer()
    app.command()(tips)
    return app


def test_cli_without_report():
    res = CliRunner().invoke(_app(), ["--level", "intermediate"])
    assert res.exit_code == 0, res.output
    assert "Progression plan (intermediate)" in res.output and "Safety" in res.output


def test_cli_with_report_orders_by_fault(tmp_path):
    rep = _report({"heel_drag": ("fail", 20)}, tips=["Lift the heels."])
    (tmp_path / "report.json").write_text(json.dumps(rep))
    res = CliRunner().invoke(_app(), ["--report", str(tmp_path / "report.json")])
    assert res.exit_code == 0, res.output
    assert res.output.index("Lift the heels.") < res.output.index("Technique cues")
    # a folder holding report.json works too
    assert CliRunner().invoke(_app(), ["--report", str(tmp_path)]).exit_code == 0


@pytest.mark.parametrize(
    "content, match",
    [
        (None, "not found"),
        ("{not json", "not valid JSON"),
        ('{"a": 1}', "not a formcheck report"),
        ("[1, 2]", "not a formcheck"),
    ],
)
def test_cli_bad_report_is_a_one_line_config_error(tmp_path, content, match):
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content)
    res = CliRunner().invoke(_app(), ["--report", str(path)])
    assert res.exit_code != 0
    assert isinstance(res.exception, ConfigError)
    assert match in str(res.exception) and "\n" not in str(res.exception)


def test_cli_bad_level_is_config_error():
    res = CliRunner().invoke(_app(), ["--level", "pro"])
    assert isinstance(res.exception, ConfigError)
