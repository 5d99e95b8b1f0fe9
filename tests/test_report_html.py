"""report.html: self-contained, escaped, script-free, small, and it renders in a real headless Chromium."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
import shutil
import subprocess

import cv2
import numpy as np
import pytest
import typed_fixtures as tf

from formcheck.analysis.step_score import pick_steps, step_fault
from formcheck.analysis.types import Segment, StepPicks, View
from formcheck.config import load_config
from formcheck.report.html import CSP, ReportPage, render_html, write_html_report
from formcheck.report.player import SCRIPT

EVIL = "<script>alert(1)</script>.mp4"
RULE_IDS = (
    "upright_posture",
    "short_steps",
    "forefoot_landing",
    "arm_angle",
    "look_over_shoulder",
    "heel_drag",
    "symmetry",
    "trunk_stability",
    "fatigue",
)


def make_page(duration_s: float = 60.0, fps: float = 60.0, path: str = "clips/run.mp4", **kw) -> ReportPage:
    """A well-formed report page for a clip of ``duration_s`` at ``fps``."""
    n = int(round(duration_s * fps))
    rng = np.random.default_rng(3)
    t = np.arange(n) / fps
    lean = 6 + 3 * np.sin(2 * np.pi * t / 20) + rng.normal(0, 1, n)
    el_l = 95 + 15 * np.sin(2 * np.pi * 1.5 * t)
    el_r = 100 + 15 * np.sin(2 * np.pi * 1.5 * t + np.pi)
    lean[100:130] = np.nan  # a dropout
    steps = []
    for k, ts in enumerate(np.arange(2.0, duration_s - 0.5, 0.35)):
        f = int(ts * fps)
        strike = ("forefoot", "midfoot", "heel")[k % 3 if k % 7 else 2]
        steps.append(
            tf.step(
                f,
                float(ts),
                foot="left" if k % 2 else "right",
                strike=strike,
                foot_angle_deg=8.0 - 4 * (k % 5),
                step_length_leg=0.6 + 0.05 * (k % 6),
                landing_distance_leg=None if k % 4 == 0 else 0.3,
            )
        )
    kinds = ["ok", "warn", "fail", "ok", "not_assessable", "ok", "warn", "ok", "not_assessable"]
    verdicts = [tf.verdict(rid, v) for rid, v in zip(RULE_IDS, kinds, strict=True)]
    verdicts[3] = tf.verdict(RULE_IDS[3], "ok", ok_band=(70.0, 110.0), warn_band=(55.0, 130.0), target="70 to 110 deg")
    j = tf.judgement(
        n,
        fps,
        steps=tuple(steps),
        verdicts=tuple(verdicts),
        tips=(
            "Land on the balls of your feet.",
            "Shorten your steps.",
            "Glance back more often.",
            "Keep your arms bent.",
        ),
        lean=lean,
        elbow_left=el_l,
        elbow_right=el_r,
        segments=(
            Segment(0, int(1.5 * fps), 0.0, 1.5, "standing", 1),
            Segment(int(1.5 * fps), n, 1.5, duration_s, "backward", 1),
        ),
        picks=StepPicks(best=1, worst=0) if len(steps) > 1 else StepPicks(),
    )
    return tf.page(j, path=path, **kw)


def degenerate_page(path: str = "x.mp4") -> ReportPage:
    verdicts = tuple(
        tf.verdict(rid, "not_assessable", target="-", message=f"reason-{rid}", tip="", ok_band=None, warn_band=None)
        for rid in RULE_IDS
    )
    m = tf.metrics(cadence_spm=None, trunk_lean_deg=None, elbow_left_deg=None, elbow_right_deg=None)
    return tf.page(tf.judgement(0, 30.0, verdicts=verdicts, m=m), path=path)


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    img = np.zeros((200, 120, 3), np.uint8)
    img[:] = colour
    cv2.circle(img, (60, 100), 30, (255, 255, 255), -1)
    return cv2.imencode(".jpg", img)[1].tobytes()


# --- escaping and CSP ----------------------------------------------------------------------------------------------


def test_script_file_name_is_escaped_and_no_script_can_run(tmp_path):
    page = make_page(5.0, 30.0, path=f"/videos/{EVIL}", athlete='<img src=x onerror="alert(2)">')
    j = page.judgement
    j = dataclasses.replace(
        j,
        tips=(*j.tips, "</li><script>alert(3)</script>"),
        verdicts=(dataclasses.replace(j.verdicts[0], message="<b onclick=alert(4)>x</b>"), *j.verdicts[1:]),
    )
    out = write_html_report(dataclasses.replace(page, judgement=j), tmp_path / "report.html")
    text = out.read_text(encoding="utf-8")
    # exactly one script, ours, pinned by its hash; no user string inside it, no inline handler anywhere
    assert text.lower().count("<script") == 1 and f"<script>{SCRIPT}</script>" in text
    assert not re.search(r"<[^>]+\son\w+\s*=", text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.mp4" in text
    assert "<img src=x" not in text and "onerror=" not in text.replace("onerror=&quot;", "")
    assert "<b onclick" not in text
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert csp is not None
    directives = {d.strip().split()[0]: d.strip().split()[1:] for d in csp.group(1).split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert directives["script-src"] == [f"'sha256-{digest}'"]  # no 'unsafe-inline': only this exact script runs
    assert directives["img-src"] == ["data:"] and directives["media-src"] == ["'self'"]
    # nothing is referenced outside the page but the annotated video beside it
    assert re.findall(r'(?:src|href)="(?!data:)([^"]*)"', text) == ["annotated.mp4"]


def test_csp_constant_is_the_strict_one():
    assert CSP.startswith("default-src 'none'; img-src data:; style-src 'unsafe-inline'")


# --- content -------------------------------------------------------------------------------------------------------


def test_report_shows_every_rule_tips_in_order_and_steps():
    page = make_page(10.0, 30.0, thumbnails={"best": _jpeg((0, 120, 0)), "worst": _jpeg((0, 0, 160))})
    text = render_html(page)
    for title in ("Upright posture", "Land on the forefoot", "Arms near 90 degrees", "Form holds when tired"):
        assert title in text
    positions = [
        text.index(e) for e in ("Land on the balls of your feet.", "Shorten your steps.", "Glance back more often.")
    ]
    assert positions == sorted(positions)
    assert text.count("data:image/jpeg;base64,") == 2
    assert text.count("data:image/svg+xml;base64,") == 4  # trunk lean, elbows, foot angle, cadence
    assert text.count("<tr class=") == len(page.judgement.steps)
    assert "Not assessable: the head is not visible" in text


def test_degenerate_report_renders_reasons_without_crashing(tmp_path):
    text = write_html_report(degenerate_page(), tmp_path / "r.html").read_text()
    for rid in RULE_IDS:
        assert f"reason-{rid}" in text
    assert "No steps were detected" in text
    assert "No per-frame measurements to plot" in text
    no_rules = degenerate_page()
    no_rules = dataclasses.replace(no_rules, judgement=dataclasses.replace(no_rules.judgement, verdicts=()))
    assert "No rules were judged" in render_html(no_rules)


def test_target_bar_is_drawn_from_the_verdict_bands():
    page = make_page(6.0, 30.0)
    text = render_html(page)
    assert text.count('<div class="bar"') == sum(1 for v in page.judgement.verdicts if v.verdict != "not_assessable")
    # the arm card's bar spans its own 55..130 band: the value 7.5 lies far left of it, so its mark is near 0%
    j = page.judgement
    one = dataclasses.replace(page, judgement=dataclasses.replace(j, verdicts=(j.verdicts[3],)))
    mark = re.search(r'<i class="m" style="left:([\d.]+)%', render_html(one))
    assert mark is not None and float(mark.group(1)) < 15


def test_best_and_worst_step_choice():
    cfg = load_config()
    steps = (
        tf.step(1, 0.1, strike="heel", foot_angle_deg=-10.0, step_length_leg=1.2, landing_distance_leg=None),
        tf.step(2, 0.2, strike="forefoot", foot_angle_deg=9.0, step_length_leg=0.6, landing_distance_leg=None),
        tf.step(3, 0.3, strike="midfoot", foot_angle_deg=2.0, step_length_leg=0.7, landing_distance_leg=None),
        # worse, but not backward running
        tf.step(
            4,
            0.4,
            strike="heel",
            foot_angle_deg=-30.0,
            step_length_leg=2.0,
            landing_distance_leg=None,
            direction="forward",
        ),
        tf.step(5, 0.5, strike=None, foot_angle_deg=None, step_length_leg=None, landing_distance_leg=None),
    )
    assert step_fault(steps[1], cfg) == 0.0
    # heel 1.0 + (8.5 - -10) / 10 deg + (1.2 - 0.8) / 0.2 (the short_steps warn band)
    assert step_fault(steps[0], cfg) == pytest.approx(1.0 + 1.85 + 2.0)
    assert step_fault(steps[4], cfg) is None
    assert pick_steps(steps, cfg) == StepPicks(best=1, worst=0)
    assert pick_steps(steps[1:2], cfg) == StepPicks(best=0)
    assert pick_steps((), cfg) == StepPicks()
    assert pick_steps(steps[4:], cfg) == StepPicks()


# --- size ----------------------------------------------------------------------------------------------------------


def test_one_minute_60fps_report_is_under_5mb(tmp_path):
    page = make_page(60.0, 60.0, thumbnails={"best": _jpeg((0, 120, 0)), "worst": _jpeg((0, 0, 160))})
    assert page.judgement.pose.n_frames == 3600
    out = write_html_report(page, tmp_path / "report.html")
    size = out.stat().st_size
    assert size < 5 * 1024 * 1024, size
    assert size < 1024 * 1024  # downsampled plots keep it far below the bound


# --- a real browser ------------------------------------------------------------------------------------------------


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("no headless browser installed: apt-get install chromium (.ci/run installs it)")
    return exe


def _screenshot(html_path, tmp_path, width: int = 1200, height: int = 3000) -> tuple[np.ndarray, str]:
    png = tmp_path / f"shot_{html_path.stem}_{width}.png"
    cmd = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / ('profile_' + html_path.stem)}",
        "--enable-logging=stderr",
        "--v=0",
        f"--screenshot={png}",
        f"--window-size={width},{height}",
        html_path.resolve().as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert png.exists(), f"chromium wrote no screenshot (rc {proc.returncode}): {proc.stderr[-2000:]}"
    img = cv2.imread(str(png))
    assert img is not None
    return img, proc.stderr


def _page_errors(log: str) -> list[str]:
    """Console messages and CSP refusals in chromium's log (dbus/GPU noise of a headless box is ignored)."""
    keys = ("Uncaught", "Refused to", "violates", ":CONSOLE")
    return [ln for ln in log.splitlines() if any(k in ln for k in keys)]


def test_chromium_detects_a_blocked_script(tmp_path):
    """The console check below can fail: a page with an inline script under our CSP logs a refusal."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{CSP}">'
        "</head><body><p>x</p><script>document.body.innerHTML='ran'</script></body></html>"
    )
    _, log = _screenshot(bad, tmp_path, 400, 300)
    assert any("Content Security Policy" in ln for ln in _page_errors(log)), log[-2000:]


def test_chromium_renders_report_without_console_errors(tmp_path):
    page = make_page(
        60.0, 60.0, path=f"/videos/{EVIL}", thumbnails={"best": _jpeg((0, 120, 0)), "worst": _jpeg((0, 0, 160))}
    )
    out = write_html_report(page, tmp_path / "report.html")
    img, log = _screenshot(out, tmp_path)
    assert _page_errors(log) == [], "\n".join(_page_errors(log))
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(float)
    assert gray.std() > 10, "screenshot is blank"
    # the plots (white panels with dark lines) fill the middle of the page: several distinct grey levels there
    assert len(np.unique(gray[800:2400] // 16)) > 6
    # and the page on a phone width renders too
    phone, log2 = _screenshot(out, tmp_path, 390, 2400)
    assert _page_errors(log2) == []
    assert cv2.cvtColor(phone, cv2.COLOR_BGR2GRAY).std() > 10


def test_chromium_renders_degenerate_report(tmp_path):
    out = write_html_report(degenerate_page(path=EVIL), tmp_path / "empty.html")
    img, log = _screenshot(out, tmp_path, 800, 1200)
    assert _page_errors(log) == []
    assert cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).std() > 5


# --- thumbnails from a real video ------------------------------------------------------------------------------------


def test_step_thumbnails_are_upright_frames_at_the_picked_contacts(clip_factory):
    from formcheck.report.thumbnails import step_thumbnails
    from formcheck.video.reader import iter_frames, probe

    path = clip_factory("rot.mp4", frames=20, width=160, height=120, rotation=90)
    frames = {f.index: f for f in iter_frames(probe(path))}
    steps = (tf.step(2, frames[2].time_s, strike="heel"), tf.step(12, frames[12].time_s))
    thumbs = step_thumbnails(steps, StepPicks(best=1, worst=0), path, max_side_px=80)
    assert sorted(thumbs) == ["best", "worst"]
    for key, idx in (("best", 12), ("worst", 2)):
        jpeg = thumbs[key]
        assert jpeg[:3] == b"\xff\xd8\xff"
        img = cv2.cvtColor(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        assert img.shape == (80, 60, 3)  # upright 120x160 scaled to a long side of 80
        assert img[:, :4].mean() > 200  # the stored top bar is on the left edge once upright
        same = cv2.resize(frames[idx].rgb, (60, 80), interpolation=cv2.INTER_AREA).astype(float)
        other = cv2.resize(frames[12 if idx == 2 else 2].rgb, (60, 80), interpolation=cv2.INTER_AREA).astype(float)
        assert np.abs(img - same).mean() < np.abs(img - other).mean()
    assert step_thumbnails(steps, StepPicks(), path, max_side_px=80) == {}


def test_a_view_that_cannot_show_landings_gets_no_best_worst_step_nor_foot_angle_plot():
    cfg = load_config()
    steps = (tf.step(30, 1.0, strike="heel", foot_angle_deg=-20.0), tf.step(40, 1.3, foot_angle_deg=15.0))
    assert pick_steps(steps, cfg, "side") == StepPicks(best=1, worst=0)
    assert pick_steps(steps, cfg, "oblique") == StepPicks()
    assert pick_steps(steps, cfg, "front") == StepPicks()
    side = make_page(duration_s=10.0, fps=30.0)
    plots_side = render_html(side).count('class="pwrap"')
    assert plots_side == 4  # trunk lean, elbows, foot angle at contact, cadence
    j = dataclasses.replace(side.judgement, view=View(kind="oblique", side="left"), picks=StepPicks())
    oblique = dataclasses.replace(side, judgement=j)
    text = render_html(oblique)
    assert text.count('class="pwrap"') == plots_side - 1  # only the foot angle plot is left out
    assert "No best/worst step: an oblique view cannot show how the foot lands." in text
