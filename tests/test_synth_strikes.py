"""Opt-in realism of the synthetic athlete (issue 11): human ankles, spread strike angles, looks, motion blur.

The defaults must keep today's renders byte-for-byte (the accuracy sweep and the sample videos are measured
against them); every new option must change what it says and nothing it should not.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from formcheck.synth import SynthParams
from formcheck.synth.gait import GaitModel
from formcheck.synth.generate import Synthesizer
from formcheck.synth.render import face_materials
from formcheck.synth.shoes import load_shod_body

#: sha256 of every third frame (0, 3, ... 27) of the default 1 s clip, rendered before the opt-in fields existed
DEFAULT_PIXELS_SHA256 = "7a09964b958138cd71eb472cc32bb2d5b14e13fb26f869027bba7c77055c2fd8"


def _params(**kw: object) -> SynthParams:
    kw.setdefault("segments", [{"direction": "backward", "duration_s": 1.0}])
    return SynthParams.build(**kw)


def test_defaults_render_todays_pixels() -> None:
    synth = Synthesizer(_params())
    h = hashlib.sha256()
    for k in range(0, synth.n_frames, 3):
        h.update(synth.frame(k, measure=True).tobytes())
    assert h.hexdigest() == DEFAULT_PIXELS_SHA256


def _contacts(**kw: object) -> list[dict]:
    synth = Synthesizer(_params(**kw))
    for k in range(synth.n_frames):
        synth.frame(k, measure=True)
    return synth.truth().contacts


def test_classic_heel_strike_bends_the_ankle_far_human_does_not() -> None:
    body = load_shod_body()
    classic = GaitModel(body, _params(strike="heel")).build().contacts
    human = GaitModel(body, _params(strike="heel", ankle="human")).build().contacts
    assert min(c.dorsiflexion_deg for c in classic) > 35  # the extreme ankle issue 11 describes
    for c in human:
        assert 18 <= c.dorsiflexion_deg <= 30, c
        assert -20 <= c.strike_angle_deg <= -12, c
        assert c.descent_speed_m_s > 0.5  # the foot still moves down when it touches


@pytest.mark.slow
def test_truth_carries_pitch_class_and_ankle_of_each_contact() -> None:
    contacts = _contacts(strike="heel", ankle="human", strike_angle_deg=-10, strike_spread_deg=5)
    pitches = [c["foot_pitch_deg"] for c in contacts]
    assert all(c["strike"] == c["first_part"] for c in contacts)
    assert {c["strike"] for c in contacts} <= {"heel", "midfoot"}
    assert all(c["strike"] == "heel" for c in contacts if c["foot_pitch_deg"] < -5)
    assert max(pitches) - min(pitches) > 3  # spread per contact, not one angle
    assert all(-16 <= p <= -4 for p in pitches)
    assert all(10 <= c["ankle_dorsiflexion_deg"] <= 30 for c in contacts)


def test_spread_and_human_ankle_leave_the_main_random_stream_alone() -> None:
    """Opt-in options draw from their own generator: the pelvis path and contact times do not move."""
    body = load_shod_body()
    a = GaitModel(body, _params(strike="forefoot")).build()
    b = GaitModel(body, _params(strike="forefoot", strike_spread_deg=6)).build()
    assert [c.time_s for c in a.contacts] == [c.time_s for c in b.contacts]
    assert np.allclose(a.pelvis_track_x_m, b.pelvis_track_x_m)
    assert [round(c.strike_angle_deg, 3) for c in a.contacts] != [round(c.strike_angle_deg, 3) for c in b.contacts]


def test_tights_cover_the_shank_shorts_do_not() -> None:
    body = load_shod_body()
    shorts, tights, capris = (face_materials(body, w) for w in ("shorts", "tights", "capris"))
    skin = 0
    assert (tights == skin).sum() < (capris == skin).sum() < (shorts == skin).sum()
    assert np.array_equal(shorts == 3, tights == 3)  # the shoes stay shoes


@pytest.mark.slow
def test_motion_blur_changes_pixels_not_truth() -> None:
    """Blur averages sub-frames around each frame's instant; the truth stays the sharp clip's (within 2 px: the
    arm swing is normalised over the finer sampling)."""
    sharp = Synthesizer(_params(width_px=320, height_px=240))
    blurred = Synthesizer(_params(width_px=320, height_px=240, motion_blur=True))
    diff = []
    for k in range(sharp.n_frames):
        a, b = sharp.frame(k, measure=True), blurred.frame(k, measure=True)
        diff.append(float(np.mean(np.abs(a.astype(int) - b.astype(int)))))
    assert max(diff) > 0.2
    ta, tb = sharp.truth(), blurred.truth()
    assert [c["frame"] for c in ta.contacts] == [c["frame"] for c in tb.contacts]
    assert np.allclose(ta.landmarks_px(), tb.landmarks_px(), atol=2.0, equal_nan=True)


@pytest.mark.parametrize(
    "kw",
    [
        dict(shoes="white", background="white_hall", outfit="all_white"),
        dict(shoes="black", background="treadmill", lighting="dim", skin="deep"),
        dict(background="grass", lighting="bright", legwear="capris", skin="pale"),
        dict(lighting="overcast", shoes="neon", camera_height_m=0.5),
    ],
)
def test_new_looks_render_and_differ_from_the_default(kw: dict) -> None:
    base = Synthesizer(_params(width_px=320, height_px=240)).frame(0)
    img = Synthesizer(_params(width_px=320, height_px=240, **kw)).frame(0)
    assert img.shape == base.shape and img.dtype == np.uint8
    assert float(np.mean(np.abs(img.astype(int) - base.astype(int)))) > 3
