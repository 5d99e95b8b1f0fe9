"""Property tests: random, NaN-laden, very short and single-frame landmark sequences never crash the judgement,
every verdict stays in the allowed set and the report sections hold no NaN."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formcheck.analysis.judge import judge
from formcheck.config import load_config
from formcheck.pose.sequence import PoseSequence
from formcheck.report.frames_csv import COLUMNS, frames_csv_text
from formcheck.report.json_report import judgement_sections
from formcheck.rules import RULE_IDS, VERDICTS

CFG = load_config()


@st.composite
def sequences(draw) -> PoseSequence:
    t = draw(st.integers(0, 40))
    fps = draw(st.sampled_from([24.0, 30.0, 59.94, 120.0]))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    image = rng.uniform(-50, 700, size=(t, 33, 4)).astype(np.float32)
    image[:, :, 3] = rng.uniform(0, 1, size=(t, 33))
    world = rng.uniform(-1, 1, size=(t, 33, 4)).astype(np.float32)
    detected = rng.uniform(size=t) > draw(st.floats(0, 1))
    image[~detected] = np.nan
    world[~detected] = np.nan
    holes = rng.uniform(size=(t, 33)) < draw(st.floats(0, 0.5))  # single landmarks missing
    image[:, :, :2][holes] = np.nan
    if draw(st.booleans()) and t:  # a frozen person (zero motion, zero lengths)
        image[detected] = image[detected][:1] if detected.any() else image[detected]
    return PoseSequence(
        image=image, world=world, timestamps_s=np.arange(t) / fps, detected=detected, fps=fps, width=640, height=480
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sequences())
def test_judge_never_crashes_and_stays_in_contract(seq):
    j = judge(seq, CFG)
    assert [v.id for v in j.verdicts] == list(RULE_IDS)
    assert all(v.verdict in VERDICTS for v in j.verdicts)
    assert all(v.score is None or 0 <= v.score <= 100 for v in j.verdicts)
    sections = judgement_sections(j)
    json.dumps(sections, allow_nan=False)  # raises on NaN / inf
    assert sections["view"]["kind"] in ("side", "oblique", "front", "back")
    assert all(s["direction"] in ("backward", "forward", "standing") for s in sections["segments"])
    lines = frames_csv_text(j).splitlines()
    assert lines[0].split(",") == list(COLUMNS) and len(lines) == seq.n_frames + 1


def test_single_frame_and_empty():
    for t in (0, 1, 2):
        image = np.full((t, 33, 4), 100.0, dtype=np.float32)
        seq = PoseSequence(
            image=image,
            world=np.zeros((t, 33, 4), np.float32),
            timestamps_s=np.arange(t) / 30.0,
            detected=np.ones(t, bool),
            fps=30.0,
            width=640,
            height=480,
        )
        j = judge(seq, CFG)
        assert {v.verdict for v in j.verdicts} == {"not_assessable"}
        assert all(v.message for v in j.verdicts)
