"""The printable handout: one page, text extractable with the athlete's top faults in order, the generic sheet
with all four sections, key frames cropped around the athlete."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner

from formcheck.errors import OutputError
from formcheck.report.crops import MIN_ASPECT, athlete_box, crop
from formcheck.report.handout import SECTION_KEYS, generic_handout, handout_from_report, key_frame
from formcheck.report.handout_files import key_frame_pictures
from formcheck.report.handout_pdf import handout_pdf
from formcheck.report.tips_content import RULE_TITLES


def _poppler(tool: str) -> str:
    exe = shutil.which(tool)
    assert exe, f"poppler-utils' {tool} is required for this test (apt-get install poppler-utils)"
    return exe


def pdf_pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "h.pdf"
    path.write_bytes(pdf)
    info = subprocess.run([_poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([_poppler("pdftotext"), "-raw", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def picture(colour=(200, 40, 40)) -> bytes:
    img = np.full((240, 160, 3), colour, np.uint8)
    return cv2.imencode(".jpg", img)[1].tobytes()


def report(long: bool = False) -> dict:
    words = " and more" * (60 if long else 0)
    rules = [
        ("upright_posture", "ok", 95, []),
        ("arm_angle", "warn", 60, [40, 50, 60]),
        ("forefoot_landing", "fail", 30, [10, 20, 30]),
        ("short_steps", "fail", 10, [5, 15, 25, 35]),
        ("heel_drag", "warn", 70, [7]),
        ("symmetry", "not_assessable", None, []),
    ]
    return {
        "schema": "formcheck.report/1",
        "athlete": "Jörg Müller",
        "video": {"path": "clips/jorg.mp4"},
        "pose": {"person": 0},
        "rules": [
            {
                "id": rid,
                "verdict": v,
                "score": s,
                "message": f"measured for {rid}{words}",
                "tip": f"The tip for {rid}.{words}",
                "evidence_frames": ev,
            }
            for rid, v, s, ev in rules
        ],
        "tips": [],
    }


def test_handout_one_page_top_faults_in_order(tmp_path):
    rep = report()
    pics = {15: picture(), 20: picture((40, 200, 40)), 50: picture((40, 40, 200))}
    h = handout_from_report(rep, who="Jörg Müller", date="2026-12-01", pictures=pics)
    assert [f.rule_id for f in h.faults] == ["short_steps", "forefoot_landing", "arm_angle"]
    assert [f.frame for f in h.faults] == [25, 20, 50] and h.faults[2].picture is not None
    pdf = handout_pdf(h)
    assert pdf_pages(pdf, tmp_path) == 1
    text = pdf_text(pdf, tmp_path)
    assert "Jörg Müller" in text and "2026-12-01" in text
    pos = [text.index(RULE_TITLES[r]) for r in ("short_steps", "forefoot_landing", "arm_angle")]
    assert pos == sorted(pos)
    for rid in ("short_steps", "forefoot_landing", "arm_angle"):
        assert f"The tip for {rid}." in text
    assert "The tip for heel_drag" not in text  # only the top three
    assert "Upright posture" not in text.split("Technique cues")[0]  # an ok rule is not a fault
    for key in SECTION_KEYS:
        assert key in text
    assert pdf.count(b"/Subtype /Image") == 2  # short_steps has none at frame 25; the other two do


def test_long_texts_still_fit_one_page_on_letter_and_a4(tmp_path):
    h = handout_from_report(report(long=True), who="x" * 200, date="2026-12-01", pictures={25: picture()})
    for paper in ("a4", "letter"):
        pdf = handout_pdf(h, paper)
        assert pdf_pages(pdf, tmp_path) == 1
        assert "Complementary exercises" in pdf_text(pdf, tmp_path)


def test_generic_sheet_has_all_four_sections(tmp_path):
    h = generic_handout(date="2026-12-01", level="intermediate")
    assert not h.faults and not h.judged
    pdf = handout_pdf(h, "letter")
    assert pdf_pages(pdf, tmp_path) == 1
    text = pdf_text(pdf, tmp_path)
    pos = [text.index(k) for k in SECTION_KEYS]
    assert pos == sorted(pos) or len(set(pos)) == 4
    assert "Progression plan (intermediate)" in text and "Work on these first" not in text
    assert b"MediaBox [0 0 612.00 792.00]" in pdf  # US Letter


def test_key_frame_is_the_middle_evidence_frame():
    assert key_frame({"evidence_frames": [30, 10, 20]}) == 20
    assert key_frame({"evidence_frames": []}) is None and key_frame({}) is None


def test_athlete_box_pads_widens_and_stays_inside():
    xy = np.full((33, 2), np.nan)
    xy[:10] = np.column_stack([np.linspace(100, 120, 10), np.linspace(50, 250, 10)])
    x0, y0, x1, y1 = athlete_box(xy, 640, 480)
    assert y0 < 50 and y1 > 250 and (x1 - x0) >= MIN_ASPECT * (y1 - y0) - 2
    assert athlete_box(xy + [600, 300], 640, 480)[2:] == (640, 480)  # clamped at the frame's edge
    assert athlete_box(np.full((33, 2), np.nan), 640, 480) is None
    big = crop(np.zeros((480, 640, 3), np.uint8), (100, 100, 130, 160), 300)
    assert big.shape[:2] == (300, 150)  # a small figure is enlarged


def test_key_frame_pictures_crop_the_athlete_from_the_video(clip_factory):
    """The clip's red square moves 4 px a frame along the middle: the crop at frame 10 holds it, centred."""
    path = clip_factory("run.mp4", frames=30, width=320, height=240)
    n = 30
    lm = np.full((n, 33, 4), np.nan)
    for i in range(n):
        x = (i * 4) % 310
        lm[i, :4, :2] = [(x, 120), (x + 10, 120), (x, 130), (x + 10, 130)]
    # landmarks given at half the video's size are rescaled
    half = lm.copy()
    half[..., :2] /= 2
    got = key_frame_pictures(path, half, (160, 120), [10, 999], max_side_px=120)
    assert sorted(got) == [10]
    img = cv2.cvtColor(cv2.imdecode(np.frombuffer(got[10], np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    assert max(img.shape[:2]) == 120
    red = (img[..., 0] > 150) & (img[..., 1] < 90)
    ys, xs = np.nonzero(red)
    assert red.mean() > 0.1  # the square fills the middle of the crop, not a corner of a scene
    assert abs(xs.mean() - img.shape[1] / 2) < 0.15 * img.shape[1]


def test_cli_pdf_with_report_and_generic(tmp_path):
    import typer

    from formcheck.cli.tips import tips

    app = typer.Typer()
    app.command()(tips)
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "report.json").write_text(json.dumps(report()), encoding="utf-8")
    res = CliRunner().invoke(app, ["--report", str(tmp_path / "r"), "--pdf", str(tmp_path / "h.pdf")])
    assert res.exit_code == 0, res.output
    text = pdf_text((tmp_path / "h.pdf").read_bytes(), tmp_path)
    assert text.index("Short, quick steps") < text.index("Land on the forefoot") < text.index("Technique cues")
    res = CliRunner().invoke(app, ["--pdf", str(tmp_path / "g.pdf"), "--paper", "letter"])
    assert res.exit_code == 0, res.output
    assert all(k in pdf_text((tmp_path / "g.pdf").read_bytes(), tmp_path) for k in SECTION_KEYS)
    bad = CliRunner().invoke(app, ["--pdf", str(tmp_path / "x.pdf"), "--paper", "a5"])
    assert bad.exit_code != 0 and not (tmp_path / "x.pdf").exists()
    nowhere = CliRunner().invoke(app, ["--pdf", str(tmp_path / "no" / "such" / "x.pdf")])
    assert isinstance(nowhere.exception, OutputError) and not (tmp_path / "no").exists()  # no folder made


@pytest.mark.parametrize("name", ["Zoë Ωμέγα Дарья", "<b>&amp;</b>"])  # DejaVu Sans: Latin, Greek, Cyrillic
def test_any_name_prints_as_text(tmp_path, name):
    h = handout_from_report(report(), who=name, date="2026-12-01")
    assert name in pdf_text(handout_pdf(h), tmp_path)
