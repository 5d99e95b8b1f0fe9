"""steps.csv: one row per step, the step fields as columns, empty cells for null, written atomically."""

from __future__ import annotations

import csv
import math

import typed_fixtures as tf

from formcheck.report.steps_csv import COLUMNS, steps_csv_text, write_steps_csv

STEPS = [
    tf.step(12, 0.4, toe_off_frame=20, foot_angle_deg=7.25, step_length_leg=0.61234567, landing_distance_leg=0.3),
    tf.step(
        30,
        1.0,
        foot="right",
        toe_off_frame=None,
        strike=None,
        foot_angle_deg=math.nan,
        step_length_leg=None,
        landing_distance_leg=None,
        direction="forward",
    ),
]


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_columns_values_and_empty_cells(tmp_path):
    out = write_steps_csv(STEPS, tmp_path / "steps.csv")
    assert out == tmp_path / "steps.csv"
    with open(out, newline="") as fh:
        assert next(csv.reader(fh)) == list(COLUMNS)
    rows = _rows(out)
    assert len(rows) == 2
    a, b = rows
    assert a["step"] == "0" and a["foot"] == "left" and a["contact_frame"] == "12" and a["strike"] == "forefoot"
    assert float(a["foot_angle_deg"]) == 7.25
    assert float(a["step_length_leg"]) == round(0.61234567, 4)
    assert b["contact_frame"] == "30" and float(b["contact_s"]) == 1.0
    for col in (
        "toe_off_frame",
        "strike",
        "foot_angle_deg",
        "step_length_leg",
        "landing_distance_leg",
    ):
        assert b[col] == "", col
    assert "strike_index_deg" not in COLUMNS  # always empty: dropped
    assert b["direction"] == "forward"
    assert set(COLUMNS) >= {
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


def test_no_steps_gives_header_only_and_no_temp_files(tmp_path):
    out = write_steps_csv([], tmp_path / "sub" / "steps.csv")
    assert out.read_text() == ",".join(COLUMNS) + "\n"
    assert [p.name for p in out.parent.iterdir()] == ["steps.csv"]
    assert steps_csv_text(()).count("\n") == 1
