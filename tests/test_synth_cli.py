"""``formcheck synth`` through the CLI layer."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcheck.cli import _register, app, main
from formcheck.errors import ConfigError
from formcheck.synth.truth import Truth


def test_cli_writes_clip_and_truth(tmp_path: Path) -> None:
    _register()
    out = tmp_path / "heel.mp4"
    res = CliRunner().invoke(
        app,
        [
            "synth",
            str(out),
            "--strike",
            "heel",
            "--trunk-lean",
            "15",
            "--elbow",
            "160",
            "--duration",
            "0.6",
            "--width",
            "320",
            "--height",
            "240",
            "--seed",
            "3",
        ],
    )
    assert res.exit_code == 0, res.output
    assert out.exists() and out.stat().st_size > 1000
    truth = Truth.load(tmp_path / "heel.truth.json")
    p = truth.data["params"]
    assert (p["strike"], p["trunk_lean_deg"], p["elbow_deg"], p["seed"]) == ("heel", 15.0, 160.0, 3)
    assert truth.n_frames == 18
    assert truth.data["video"]["path"] == "heel.mp4"


def test_cli_portrait_segments_and_view(tmp_path: Path) -> None:
    out = tmp_path / "p.mp4"
    code = main(
        [
            "synth",
            str(out),
            "--portrait",
            "--width",
            "320",
            "--height",
            "240",
            "--segments",
            "forward:0.4,backward:0.4",
            "--view",
            "oblique",
            "--side",
            "left",
            "--fps",
            "24",
        ]
    )
    assert code == 0
    t = Truth.load(tmp_path / "p.truth.json")
    assert (t.data["video"]["width"], t.data["video"]["height"]) == (240, 320)
    assert [s["direction"] for s in t.data["segments"]] == ["forward", "backward"]
    assert t.data["view"] == {"kind": "oblique", "side": "left"}
    assert t.n_frames == round(0.8 * 24)


@pytest.mark.parametrize(
    "args",
    [
        ["--view", "sideways"],
        ["--segments", "back:2"],
        ["--fps", "500"],
        ["--strike", "toe"],
        ["--direction", "up"],
    ],
)
def test_cli_bad_options_are_config_errors(tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.mp4"
    assert main(["synth", str(out), "--duration", "0.2", *args]) == ConfigError.exit_code
    assert "error" in capsys.readouterr().err
    assert not out.exists()
