"""report.html: self-contained, escaped, script-free, small, and it renders in a real headless Chromium."""

from __future__ import annotations

import math
import re
import shutil
import subprocess

import cv2
import numpy as np
import pytest

from formcheck.report.html import CSP, render_html, rule_band, write_html_report
from formcheck.report.thumbnails import best_and_worst, step_fault

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


def make_report(duration_s: float = 60.0, fps: float = 60.0, path: str = "clips/run.mp4") -> tuple[dict, dict]:
    """A well-formed report dict and per-frame columns for a clip of ``duration_s`` at ``fps``."""
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
            {
                "foot": "left" if k % 2 else "right",
                "contact_frame": f,
                "contact_s": round(float(ts), 4),
                "toe_off_frame": f + 10,
                "strike": strike,
                "foot_angle_deg": round(8 - 4 * (k % 5), 2),
                "strike_index_deg": round(5 - 4 * (k % 5), 2),
                "step_length_leg": round(0.6 + 0.05 * (k % 6), 3),
                "landing_distance_leg": None if k % 4 == 0 else 0.3,
                "direction": "backward",
            }
        )
    verdicts = ["ok", "warn", "fail", "ok", "not_assessable", "ok", "warn", "ok", "not_assessable"]
    rules = []
    for rid, v in zip(RULE_IDS, verdicts, strict=True):
        na = v == "not_assessable"
        rules.append(
            {
                "id": rid,
                "verdict": v,
                "score": None if na else {"ok": 92, "warn": 66, "fail": 21}[v],
                "value": None if na else 7.5,
                "unit": "deg",
                "target": "-3 to 12 deg",
                "message": "the head is not visible" if na else f"{rid} measured 7.5 deg",
                "tip": f"Tip for {rid}.",
                "evidence_frames": [10, 20],
            }
        )
    rules[3]["target"] = {"ok": [70, 110], "warn": [55, 130]}
    report = {
        "schema": "formcheck.report/1",
        "formcheck_version": "0.1.0",
        "video": {
            "path": path,
            "frames": n,
            "fps": fps,
            "duration_s": duration_s,
            "width": 1920,
            "height": 1080,
            "rotation_deg": 0,
        },
        "pose": {"model": "full", "detected_frames": n - 30, "detection_rate": (n - 30) / n, "person": 0},
        "segments": [
            {"start_s": 0.0, "end_s": 1.5, "direction": "standing"},
            {"start_s": 1.5, "end_s": duration_s, "direction": "backward"},
        ],
        "view": {"kind": "side", "side": "left"},
        "steps": steps,
        "metrics": {
            "cadence_spm": 171.4,
            "trunk_lean_deg": {"median": 6.1, "p10": 3.2, "p90": 9.0},
            "elbow_deg": {
                "left": {"median": 95.0, "p10": 80.0, "p90": 110.0},
                "right": {"median": 100.0, "p10": 85.0, "p90": 115.0},
            },
        },
        "rules": rules,
        "tips": [
            "Land on the balls of your feet.",
            "Shorten your steps.",
            "Glance back more often.",
            "Keep your arms bent.",
        ],
    }
    cols = {
        "frame": list(range(n)),
        "time_s": t.tolist(),
        "detected": [1] * n,
        "trunk_lean_deg": lean.tolist(),
        "elbow_left_deg": el_l.tolist(),
        "elbow_right_deg": el_r.tolist(),
        "foot_angle_left_deg": [None] * n,
        "foot_angle_right_deg": [None] * n,
        "direction": ["backward"] * n,
    }
    return report, cols


def degenerate_report(path: str = "x.mp4") -> dict:
    return {
        "schema": "formcheck.report/1",
        "video": {
            "path": path,
            "frames": None,
            "fps": None,
            "duration_s": None,
            "width": None,
            "height": None,
            "rotation_deg": None,
        },
        "pose": {"model": None, "detected_frames": 0, "detection_rate": None, "person": None},
        "segments": [],
        "view": {"kind": None, "side": None},
        "steps": [],
        "metrics": {"cadence_spm": None, "trunk_lean_deg": None},
        "rules": [
            {
                "id": rid,
                "verdict": "not_assessable",
                "score": None,
                "value": None,
                "unit": "deg",
                "target": None,
                "message": f"reason-{rid}",
                "tip": None,
                "evidence_frames": [],
            }
            for rid in RULE_IDS
        ],
        "tips": [],
    }


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    img = np.zeros((200, 120, 3), np.uint8)
    img[:] = colour
    cv2.circle(img, (60, 100), 30, (255, 255, 255), -1)
    return cv2.imencode(".jpg", img)[1].tobytes()


# --- escaping and CSP ----------------------------------------------------------------------------------------------


def test_script_file_name_is_escaped_and_no_script_can_run(tmp_path):
    report, cols = make_report(5.0, 30.0, path=f"/videos/{EVIL}")
    report["athlete"] = '<img src=x onerror="alert(2)">'
    report["tips"].append("</li><script>alert(3)</script>")
    report["rules"][0]["message"] = "<b onclick=alert(4)>x</b>"
    out = write_html_report(report, cols, tmp_path / "report.html")
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.mp4" in text
    assert "<img src=x" not in text and "onerror=" not in text.replace("onerror=&quot;", "")
    assert "<b onclick" not in text
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert csp is not None
    directives = {d.strip().split()[0]: d.strip().split()[1:] for d in csp.group(1).split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    assert "script-src" not in directives  # falls back to default-src 'none': no script of any kind
    assert directives["img-src"] == ["data:"]
    # nothing is referenced outside the page
    assert not re.search(r'(src|href)="(?!data:)', text)


def test_csp_constant_is_the_strict_one():
    assert CSP.startswith("default-src 'none'; img-src data:; style-src 'unsafe-inline'")


# --- content -------------------------------------------------------------------------------------------------------


def test_report_shows_every_rule_tips_in_order_and_steps():
    report, cols = make_report(10.0, 30.0)
    text = render_html(report, cols, {"best": _jpeg((0, 120, 0)), "worst": _jpeg((0, 0, 160))})
    for title in ("Upright posture", "Land on the forefoot", "Arms near 90 degrees", "Form holds when tired"):
        assert title in text
    positions = [
        text.index(e) for e in ("Land on the balls of your feet.", "Shorten your steps.", "Glance back more often.")
    ]
    assert positions == sorted(positions)
    assert text.count("data:image/jpeg;base64,") == 2
    assert text.count("data:image/svg+xml;base64,") == 4  # trunk lean, elbows, foot angle, cadence
    assert text.count("<tr class=") == len(report["steps"])
    assert "Not assessable: the head is not visible" in text


def test_degenerate_report_renders_reasons_without_crashing(tmp_path):
    report = degenerate_report()
    text = write_html_report(report, None, tmp_path / "r.html").read_text()
    for rid in RULE_IDS:
        assert f"reason-{rid}" in text
    assert "No steps were detected" in text
    assert "No per-frame measurements to plot" in text
    # even an almost empty dict renders
    assert "<html" in render_html({}, [], None)
    assert "No rules were judged" in render_html({"rules": [], "steps": None, "tips": None}, {}, {})


def test_frames_from_csv_rows_with_empty_cells_are_plotted():
    report, cols = make_report(6.0, 30.0)
    rows = [
        {k: ("" if (v := cols[k][i]) is None or (isinstance(v, float) and math.isnan(v)) else str(v)) for k in cols}
        for i in range(len(cols["frame"]))
    ]
    text = render_html(report, rows)
    assert text.count("data:image/svg+xml;base64,") == 4


def test_target_bands_read_from_text_object_or_defaults():
    defaults = {"upright_posture": {"ok": (-3.0, 12.0), "warn": (-8.0, 20.0)}}
    assert rule_band({"id": "upright_posture", "target": "-3 to 12 deg"}, defaults) == {
        "ok": (-3.0, 12.0),
        "warn": (-8.0, 20.0),
    }
    assert rule_band({"id": "short_steps", "target": "at most 0.8 leg"}, {})["ok"] == (0.0, 0.8)
    assert rule_band({"id": "arm_angle", "target": {"ok": [70, 110]}}, {}) == {"ok": (70.0, 110.0)}
    assert rule_band({"id": "upright_posture", "target": None}, defaults) == defaults["upright_posture"]
    assert rule_band({"id": "zzz", "target": "whatever"}, defaults) is None


def test_best_and_worst_step_choice():
    steps = [
        {
            "contact_frame": 1,
            "strike": "heel",
            "foot_angle_deg": -10.0,
            "step_length_leg": 1.2,
            "direction": "backward",
        },
        {
            "contact_frame": 2,
            "strike": "forefoot",
            "foot_angle_deg": 9.0,
            "step_length_leg": 0.6,
            "direction": "backward",
        },
        {
            "contact_frame": 3,
            "strike": "midfoot",
            "foot_angle_deg": 2.0,
            "step_length_leg": 0.7,
            "direction": "backward",
        },
        {
            "contact_frame": 4,
            "strike": "heel",
            "foot_angle_deg": -30.0,
            "step_length_leg": 2.0,
            "direction": "forward",
        },  # worse, but not backward running
        {"contact_frame": None, "strike": "forefoot"},
    ]
    assert step_fault(steps[1]) == 0.0
    assert step_fault(steps[0]) == pytest.approx(1.0 + 1.5 + 2.0)
    assert best_and_worst({"steps": steps}) == {"best": 1, "worst": 0}
    assert best_and_worst({"steps": [steps[1]]}) == {"best": 0}
    assert best_and_worst({"steps": []}) == {}
    assert best_and_worst({"steps": [{"contact_frame": 5, "strike": None}]}) == {}


# --- size ----------------------------------------------------------------------------------------------------------


def test_one_minute_60fps_report_is_under_5mb(tmp_path):
    report, cols = make_report(60.0, 60.0)
    assert len(cols["frame"]) == 3600
    thumbs = {"best": _jpeg((0, 120, 0)), "worst": _jpeg((0, 0, 160))}
    out = write_html_report(report, cols, tmp_path / "report.html", thumbs)
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
    report, cols = make_report(60.0, 60.0, path=f"/videos/{EVIL}")
    out = write_html_report(
        report, cols, tmp_path / "report.html", {"best": _jpeg((0, 120, 0)), "worst": _jpeg((0, 0, 160))}
    )
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
    out = write_html_report(degenerate_report(path=EVIL), None, tmp_path / "empty.html")
    img, log = _screenshot(out, tmp_path, 800, 1200)
    assert _page_errors(log) == []
    assert cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).std() > 5


# --- thumbnails from a real video ------------------------------------------------------------------------------------


def test_grab_frames_one_pass_upright_and_exact_frames(clip_factory):
    from formcheck.report.thumbnails import grab_frames, step_thumbnails
    from formcheck.video.reader import iter_frames, probe

    path = clip_factory("rot.mp4", frames=20, width=160, height=120, rotation=90)
    got = grab_frames(path, [2, 12, 999], max_side_px=80)
    assert sorted(got) == [2, 12]
    ref = {f.index: f.rgb for f in iter_frames(probe(path)) if f.index in (2, 12)}
    for idx, jpeg in got.items():
        assert jpeg[:3] == b"\xff\xd8\xff"
        img = cv2.cvtColor(cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        assert img.shape == (80, 60, 3)  # upright 120x160 scaled to a long side of 80
        assert img[:, :4].mean() > 200  # the stored top bar is on the left edge once upright
        same = cv2.resize(ref[idx], (60, 80), interpolation=cv2.INTER_AREA).astype(float)
        other = cv2.resize(ref[12 if idx == 2 else 2], (60, 80), interpolation=cv2.INTER_AREA).astype(float)
        assert np.abs(img - same).mean() < np.abs(img - other).mean()
    times = {f.index: f.time_s for f in iter_frames(probe(path))}
    report = {
        "steps": [
            {"contact_frame": 2, "contact_s": times[2], "strike": "heel", "direction": "backward"},
            {"contact_frame": 12, "contact_s": times[12], "strike": "forefoot", "direction": "backward"},
        ]
    }
    thumbs = step_thumbnails(report, path, max_side_px=80)
    assert thumbs == {"best": got[12], "worst": got[2]}
    assert grab_frames(path, []) == {}
