"""Video reading (rotation, timestamps, streaming, bad input) and H.264 writing."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from conftest import make_audio_only

from formcheck.errors import InputVideoError
from formcheck.video.reader import frames_at, iter_frames, probe
from formcheck.video.writer import H264Writer


@pytest.mark.parametrize("codec,fmt,name", [("libx264", "mp4", "c.mp4"), ("libx265", "mov", "c.mov")])
def test_rotation_metadata_is_applied(clip_factory, codec, fmt, name):
    # stored landscape 160x120 with a white bar on the stored top edge, displayed rotated 90 deg ccw
    path = clip_factory(name, frames=5, codec=codec, fmt=fmt, rotation=90)
    info = probe(path)
    assert info.rotation_deg == 90
    assert (info.width, info.height) == (120, 160)
    frame = next(iter(iter_frames(info)))
    assert frame.rgb.shape == (160, 120, 3)
    # ccw rotation moves the stored top edge to the left edge of the upright picture
    assert frame.rgb[:, :8].mean() > 200
    assert frame.rgb[:8, 20:].mean() < 100


@pytest.mark.parametrize("rotation", [0, 90])
def test_frames_scaled_while_decoding_keep_orientation_and_content(clip_factory, rotation):
    info = probe(clip_factory(frames=3, rotation=rotation))
    full = next(iter(iter_frames(info))).rgb
    w, h = info.width // 2, info.height // 2
    small = next(iter(iter_frames(info, size=(w, h)))).rgb
    assert small.shape == (h, w, 3)
    expected = cv2.resize(full, (w, h), interpolation=cv2.INTER_AREA)
    assert np.abs(small.astype(int) - expected.astype(int)).mean() < 4  # same picture, upright, within rounding
    same = next(iter(iter_frames(info, size=(info.width, info.height)))).rgb
    assert np.array_equal(same, full)


def test_a_run_of_frames_from_start_to_stop(clip_factory):
    info = probe(clip_factory(frames=12))
    every = list(iter_frames(info))
    assert [f.index for f in iter_frames(info, start=4, stop=9)] == [4, 5, 6, 7, 8]
    tail = list(iter_frames(info, start=9))
    assert [f.index for f in tail] == [9, 10, 11]
    assert [f.time_s for f in tail] == [f.time_s for f in every[9:]]
    assert np.array_equal(tail[0].rgb, every[9].rgb)
    assert list(iter_frames(info, start=5, stop=5)) == []


def test_unrotated_clip_keeps_its_orientation(clip_factory):
    info = probe(clip_factory(frames=3))
    frame = next(iter(iter_frames(info)))
    assert info.rotation_deg == 0 and frame.rgb.shape == (120, 160, 3)
    assert frame.rgb[:8].mean() > 200


def test_real_timestamps_are_kept_for_variable_frame_rate(clip_factory):
    # 60 fps with two dropped frames: gaps of 2/60 s must survive decoding
    times = [i / 60 for i in range(12) if i not in (4, 8)]
    info = probe(clip_factory(frames=len(times), fps=60, times_s=times))
    got = np.array([f.time_s for f in iter_frames(info)])
    np.testing.assert_allclose(got - got[0], np.array(times) - times[0], atol=1e-4)


def test_fractional_frame_rate_is_not_rounded(clip_factory):
    info = probe(clip_factory(frames=10, fps=30000 / 1001))
    assert info.fps == pytest.approx(29.97, abs=0.01)


def test_frames_are_streamed_not_loaded(clip_factory):
    info = probe(clip_factory(frames=40))
    it = iter_frames(info)
    first = next(it)
    assert first.index == 0
    assert hasattr(it, "__next__")  # a generator: frames arrive one at a time
    assert sum(1 for _ in it) == 39


@pytest.mark.parametrize("case", ["missing", "folder", "text", "empty", "audio"])
def test_bad_inputs_raise_one_line_errors(tmp_path: Path, case: str):
    path = tmp_path / "x.mp4"
    if case == "folder":
        path.mkdir()
    elif case == "text":
        path.write_text("this is not a video\n" * 50)
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "audio":
        make_audio_only(path)
    with pytest.raises(InputVideoError) as err:
        probe(path)
    assert "\n" not in str(err.value) and str(path.name) in str(err.value)


def test_truncated_file_is_refused(clip_factory, tmp_path: Path):
    good = clip_factory(frames=90, width=320, height=240)
    cut = tmp_path / "cut.mp4"
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputVideoError, match="truncated|corrupt|not a readable"):
        info = probe(cut)
        for _ in iter_frames(info):
            pass


def test_writer_output_is_browser_friendly_h264(tmp_path: Path):
    out = tmp_path / "o.mp4"
    times = [0.0, 0.05, 0.1, 0.2, 0.25]
    with H264Writer(out, 101, 64, fps=20) as w:
        for t in times:
            w.write(np.zeros((64, 101, 3), np.uint8), t)
    with av.open(str(out)) as c:
        s = c.streams.video[0]
        assert s.codec_context.name == "h264" and s.codec_context.pix_fmt == "yuv420p"
        got = [f.time for f in c.decode(s)]
    np.testing.assert_allclose(got, times, atol=1e-3)
    # faststart: the index (moov) precedes the media data (mdat)
    head = out.read_bytes()
    assert head.find(b"moov") < head.find(b"mdat")


def test_writer_leaves_nothing_when_interrupted(tmp_path: Path):
    out = tmp_path / "o.mp4"
    with pytest.raises(RuntimeError), H264Writer(out, 64, 64, fps=30) as w:
        w.write(np.zeros((64, 64, 3), np.uint8))
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_only_the_wanted_frames_are_converted_and_reading_stops_after_them(clip_factory):
    info = probe(clip_factory(frames=30))
    all_frames = list(iter_frames(info))
    picked = list(iter_frames(info, only={3, 17}))
    assert [f.index for f in picked] == [3, 17]
    np.testing.assert_array_equal(picked[1].rgb, all_frames[17].rgb)
    assert picked[1].time_s == all_frames[17].time_s


def test_frames_at_seeks_to_the_frame_shown_at_each_time(clip_factory):
    info = probe(clip_factory(frames=90, rotation=90))
    every = list(iter_frames(info))
    got = frames_at(info, [every[75].time_s, every[5].time_s, 99.0])
    np.testing.assert_array_equal(got[0].rgb, every[75].rgb)  # upright, exact frame, even going backward in time
    np.testing.assert_array_equal(got[1].rgb, every[5].rgb)
    assert got[2] is None
