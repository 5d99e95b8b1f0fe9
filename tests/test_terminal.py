"""Terminal summary: the rules table with coloured verdicts, the key numbers and the top three tips."""

from __future__ import annotations

from rich.console import Console

from formcheck.report.terminal import key_numbers, print_verdicts, rules_table, target_str

REPORT = {
    "schema": "formcheck.report/1",
    "pose": {"detection_rate": 0.95},
    "steps": [{"foot": "left"}] * 42,
    "metrics": {
        "cadence_spm": 172.4,
        "trunk_lean_deg": {"median": 6.3, "p10": 2.0, "p90": 9.5},
        "elbow_deg": {"left": {"median": 93.0}, "right": {"median": 101.0}},
    },
    "rules": [
        {
            "id": "upright_posture",
            "verdict": "ok",
            "score": 95,
            "value": 6.3,
            "unit": "deg",
            "target": "-3 to 12 deg",
            "message": "trunk lean 6.3 deg: upright",
            "tip": "keep it",
        },
        {
            "id": "forefoot_landing",
            "verdict": "fail",
            "score": 12,
            "value": 0.8,
            "unit": "",
            "target": {"ok": [0, 0.1], "warn": [0, 0.3]},
            "message": "mostly heel landings",
            "tip": "land forefoot",
        },
        {
            "id": "arm_angle",
            "verdict": "warn",
            "score": 60,
            "value": 125.0,
            "unit": "deg",
            "target": "70 to 110 deg",
            "message": "elbow off 90",
            "tip": "bend",
        },
        {
            "id": "look_over_shoulder",
            "verdict": "not_assessable",
            "score": None,
            "value": None,
            "unit": "",
            "target": None,
            "message": "the head is not visible",
            "tip": None,
        },
    ],
    "tips": ["Tip one.", "Tip two.", "Tip three.", "Tip four."],
}


def _render(report, width=160, color=False):
    console = Console(width=width, record=True, color_system="truecolor" if color else None, force_terminal=color)
    print_verdicts(report, console)
    return console.export_text(), console


def test_table_rows_and_verdict_colours():
    table = rules_table(REPORT)
    assert table.row_count == 4
    console = Console(width=160, record=True, color_system="truecolor", force_terminal=True)
    console.print(table)
    ansi = console.export_text(styles=True, clear=False)
    text = console.export_text()
    for word in (
        "Upright posture",
        "OK",
        "FAIL",
        "WARN",
        "n/a",
        "the head is not visible",
        "-3 to 12 deg",
        "ok 0 to 0.1, warn 0 to 0.3",
        "125.0 deg",
    ):
        assert word in text, word
    assert "\x1b[1;31mFAIL" in ansi and "\x1b[1;32mOK" in ansi  # bold red fail, bold green ok


def test_key_numbers_and_top_three_tips():
    text, _ = _render(REPORT)
    assert "172 steps/min" in text
    assert "6.3 deg" in text
    assert "left 93 deg, right 101 deg" in text
    assert "Steps: 42" in text
    assert "1. Tip one." in text and "3. Tip three." in text
    assert "Tip four." not in text


def test_degenerate_report_does_not_crash():
    empty = {
        "rules": [],
        "tips": [],
        "steps": [],
        "metrics": {"cadence_spm": None, "trunk_lean_deg": None},
        "pose": None,
    }
    text, _ = _render(empty)
    assert "no rules were judged" in text
    assert "Cadence: -" in text and "Steps: 0" in text
    assert "No tips" in text
    text2, _ = _render({})
    assert "Steps: 0" in text2
    assert dict(key_numbers({}))["Elbows"] == "left -, right -"


def test_user_markup_is_not_interpreted():
    rep = {
        "rules": [{"id": "x", "verdict": "warn", "message": "[bold red]boom[/]", "value": None}],
        "tips": ["[link=http://x]click[/link]"],
    }
    text, _ = _render(rep)
    assert "[bold red]boom[/]" in text
    assert "[link=http://x]click[/link]" in text


def test_target_str_shapes():
    assert target_str(None) == "-"
    assert target_str("at most 0.8 leg") == "at most 0.8 leg"
    assert target_str([70, 110]) == "70 to 110"
    assert target_str({"ok": [70, 110]}) == "ok 70 to 110"
