"""`formcheck analyze` end to end on the bundled synthetic clips (known answers from their truth files)."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from conftest import SAMPLES

from formcheck.analyze import analyze_video
from formcheck.pose.landmarks import LM
from formcheck.video.reader import iter_frames, probe

pytestmark = pytest.mark.slow

SAMPLE_CLIPS = sorted(SAMPLES.glob("*.mp4"))


def decoded_times(path: Path) -> list[float]:
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264" and s.codec_context.pix_fmt == "yuv420p"
        return [f.time for f in c.decode(s)]


def test_there_are_sample_clips():
    names = {p.stem for p in SAMPLE_CLIPS}
    assert len(names) >= 5 and "backward_good" in names


@pytest.mark.parametrize("clip", SAMPLE_CLIPS, ids=lambda p: p.stem)
def test_sample_clip_athlete_found_and_outputs_whole(tmp_path: Path, clip: Path):
    res = analyze_video(clip, out_dir=tmp_path, model="full")
    assert res.pose.detection_rate >= 0.98, f"{clip.name}: {res.pose.detection_rate:.3f}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "annotated.mp4",
        "frames.csv",
        "pose.npz",
        "report.html",
        "report.json",
        "steps.csv",
    ]
    src = [f.time_s for f in iter_frames(probe(clip))]
    out = decoded_times(res.annotated)
    assert len(out) == len(src)
    np.testing.assert_allclose(out, src, atol=1e-3)
    report = json.loads(res.report_path.read_text())
    assert report["schema"] == "formcheck.report/1"
    for key in ("path", "frames", "fps", "duration_s", "width", "height", "rotation_deg"):
        assert key in report["video"]
    for key in ("model", "detected_frames", "detection_rate", "person"):
        assert key in report["pose"]
    assert report["video"]["frames"] == len(src) and report["pose"]["model"] == "full"


def truth_of(clip: Path) -> dict:
    return json.loads(clip.with_name(clip.stem + ".truth.json").read_text())


def test_landmarks_land_on_the_truth_skeleton(tmp_path: Path):
    clip = SAMPLES / "backward_good.mp4"
    truth = truth_of(clip)
    res = analyze_video(clip, out_dir=tmp_path, model="full")
    lm = np.array(truth["per_frame"]["landmarks_px"], dtype=object)
    errs = []
    for i in range(res.pose.n_frames):
        for j in (LM.LEFT_HIP, LM.RIGHT_HIP, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
            t = lm[i][j]
            if t is not None and res.pose.detected[i]:
                errs.append(np.hypot(*(res.pose.image[i, j, :2] - np.asarray(t, dtype=float))))
    leg = truth["leg_length_m"]
    assert len(errs) > 100 and leg > 0
    assert np.median(errs) < 0.05 * truth["video"]["height"], np.median(errs)


def rotate_stored(src: Path, dst: Path) -> Path:
    """Re-encode ``src`` as a phone does: HEVC in .mov, stored sideways (rotated 90 deg clockwise) with a display
    matrix that undoes it."""
    info = probe(src)
    with av.open(str(dst), "w", format="mov") as out:
        s = out.add_stream("libx265", rate=Fraction(info.fps).limit_denominator(1001), options={"log-level": "error"})
        s.width, s.height, s.pix_fmt = info.height, info.width, "yuv420p"
        s.time_base = Fraction(1, 90000)
        s.set_display_rotation(90)  # the player turns it 90 deg ccw: back to upright
        for f in iter_frames(info):
            sideways = np.ascontiguousarray(np.rot90(f.rgb, k=-1))
            frame = av.VideoFrame.from_ndarray(sideways, format="rgb24")
            frame.pts, frame.time_base = int(round(f.time_s * 90000)), Fraction(1, 90000)
            for p in s.encode(frame):
                out.mux(p)
        for p in s.encode(None):
            out.mux(p)
    return dst


def test_rotated_portrait_phone_clip_comes_out_upright(tmp_path: Path):
    clip = SAMPLES / "backward_portrait.mp4"
    rotated = rotate_stored(clip, tmp_path / "phone.mov")
    info = probe(rotated)
    assert info.rotation_deg == 90 and info.height > info.width and info.codec == "hevc"
    upright = analyze_video(clip, out_dir=tmp_path / "a", model="full")
    phone = analyze_video(rotated, out_dir=tmp_path / "b", model="full")
    with av.open(str(phone.annotated)) as c:
        s = c.streams.video[0]
        assert (s.width, s.height) == (info.width, info.height)  # portrait pixels, no rotation needed
    both = upright.pose.detected & phone.pose.detected
    assert both.mean() > 0.95
    nose_up = upright.pose.image[both, LM.NOSE, 1]
    ankle_up = phone.pose.image[both, LM.LEFT_ANKLE, 1]
    assert np.all(phone.pose.image[both, LM.NOSE, 1] < ankle_up)  # head above feet: upright
    d = np.abs(phone.pose.image[both, LM.NOSE, :2] - upright.pose.image[both, LM.NOSE, :2])
    assert np.median(d) < 6 and nose_up.size > 0


def test_sixty_fps_keeps_real_timestamps(tmp_path: Path):
    from formcheck.cli import main

    clip = tmp_path / "sixty.mp4"
    assert main(["synth", str(clip), "--fps", "60", "--duration", "1.5", "--seed", "4"]) == 0
    res = analyze_video(clip, out_dir=tmp_path / "o", model="lite")
    assert res.report["video"]["fps"] == pytest.approx(60.0, abs=0.01)
    np.testing.assert_allclose(np.diff(res.pose.timestamps_s), 1 / 60, atol=1e-4)
    np.testing.assert_allclose(decoded_times(res.annotated), res.pose.timestamps_s, atol=1e-3)


def test_second_run_reuses_the_pose_file_and_person_choice(tmp_path: Path):
    clip = SAMPLES / "backward_good.mp4"
    first = analyze_video(clip, out_dir=tmp_path, model="lite")
    again = analyze_video(clip, out_dir=tmp_path, model="lite")
    assert not first.reused_pose and again.reused_pose
    np.testing.assert_array_equal(first.pose.image, again.pose.image)
    # a judgement setting leaves the pose file valid; a tracking setting (it shapes the tracks) does not
    from formcheck.config import load_config

    judged = tmp_path / "judged.toml"
    judged.write_text("[rules.upright_posture]\nok = [-5.0, 10.0]\n")
    assert analyze_video(clip, out_dir=tmp_path, model="lite", config=load_config(judged)).reused_pose
    tracked = tmp_path / "tracked.toml"
    tracked.write_text("[tracking]\nmax_jump_torso = 0.8\n")
    assert not analyze_video(clip, out_dir=tmp_path, model="lite", config=load_config(tracked)).reused_pose
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "formcheck",
            "analyze",
            str(clip),
            "--out",
            str(tmp_path),
            "--model",
            "lite",
            "--person",
            "5",
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 3 and "--person 5 does not exist" in res.stderr
    assert "Traceback" not in res.stderr


def test_cli_main_job_prints_a_summary(tmp_path: Path):
    clip = SAMPLES / "backward_good.mp4"
    res = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", str(clip), "--out", str(tmp_path / "o"), "--model", "lite"],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert "athlete found in" in res.stdout and "annotated.mp4" in res.stdout
    assert (tmp_path / "o" / "report.json").is_file()
