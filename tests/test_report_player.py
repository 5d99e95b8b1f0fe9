"""report.html in a real headless Chromium (driven over the DevTools pipe, :mod:`cdp`): the plots' cursors follow
the video, clicks and keys seek it, no request leaves the page's folder, the page works without the video, and
printed on A4 and Letter no rule card is split across pages."""

from __future__ import annotations

import re
import subprocess

import pytest
from cdp import Browser
from conftest import make_clip
from test_report_html import _jpeg, make_page

from formcheck.report.html import write_html_report
from formcheck.report.tips_content import RULE_TITLES

FPS = 30.0
WAIT_SEEK = """new Promise(function (done) {
  var v = document.getElementById("fc-video");
  v.addEventListener("seeked", function () { setTimeout(function () { done(v.currentTime); }, 30); }, {once: true});
  %s
})"""
READY = """new Promise(function (done) {
  var v = document.getElementById("fc-video");
  if (v.readyState >= 1) { done(v.readyState); return; }
  if (v.error) { done(-1); return; }
  v.addEventListener("loadedmetadata", function () { done(v.readyState); });
  v.addEventListener("error", function () { done(-1); }, true);
})"""
SHOWN = """new Promise(function (done) {  // the presentation time of the frame on screen
  var v = document.getElementById("fc-video");
  v.requestVideoFrameCallback(function (now, meta) { done(meta.mediaTime); });
  v.currentTime = v.currentTime;
})"""
CURSORS = """[].map.call(document.querySelectorAll(".tplot"), function (p) {
  var c = p.querySelector(".cursor");
  var a = {}; ["x0", "x1", "t0", "t1"].forEach(function (k) { a[k] = parseFloat(p.getAttribute("data-" + k)); });
  return {left: c.style.display === "none" ? null : parseFloat(c.style.left), box: a,
          px: c.getBoundingClientRect().left - p.getBoundingClientRect().left, w: p.getBoundingClientRect().width};
})"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """report.html for a 6 s clip at 30 fps with its annotated.mp4 beside it."""
    out = tmp_path_factory.mktemp("report")
    page = make_page(6.0, FPS, thumbnails={"best": _jpeg((0, 120, 0)), "worst": _jpeg((0, 0, 160))})
    write_html_report(page, out / "report.html")
    make_clip(out / "annotated.mp4", frames=180, width=320, height=240, fps=FPS)
    return out, page


@pytest.fixture(scope="module")
def browser(tmp_path_factory, folder):
    with Browser(tmp_path_factory.mktemp("profile")) as b:
        b.open((folder[0] / "report.html").as_uri())
        assert b.js(READY) >= 1, "the video did not load"
        yield b


def test_every_plot_cursor_follows_the_video_time(browser):
    seen = []
    for t in (2.8, 3.6, 4.6):
        got = browser.js(WAIT_SEEK % f"v.currentTime = {t};")
        assert got == pytest.approx(t, abs=0.5 / FPS)
        cursors = browser.js(CURSORS)
        assert len(cursors) == 4  # trunk lean, elbows, foot angle, cadence
        for c in cursors:
            b = c["box"]
            f = (got - b["t0"]) / (b["t1"] - b["t0"])
            assert 0 <= f <= 1 and c["left"] is not None
            assert c["left"] == pytest.approx(100 * (b["x0"] + f * (b["x1"] - b["x0"])), abs=0.05)
            assert c["px"] == pytest.approx(c["w"] * c["left"] / 100, abs=1.5)  # drawn where the style says
        seen.append([c["left"] for c in cursors])
    for a, b in zip(seen, seen[1:], strict=False):
        assert all(y > x for x, y in zip(a, b, strict=True))  # every cursor moved right as time went on


def test_clicking_a_step_row_seeks_to_its_contact(browser, folder):
    steps = folder[1].judgement.steps
    for k in (1, 5):
        got = browser.js(WAIT_SEEK % f'document.querySelectorAll("tr[data-t]")[{k}].click();')
        assert got == pytest.approx(steps[k].contact_s, abs=0.5 / FPS)
        now = browser.js('[].indexOf.call(document.querySelectorAll("tr[data-t]"), document.querySelector("tr.now"))')
        assert now == k


def test_thumbnail_evidence_and_plot_clicks_seek(browser, folder):
    page = folder[1]
    best = page.judgement.steps[page.judgement.picks.best]
    got = browser.js(WAIT_SEEK % 'document.querySelector(".thumbs figure[data-t]").click();')
    assert got == pytest.approx(best.contact_s, abs=0.5 / FPS)
    frame = page.judgement.verdicts[0].evidence_frames[1]
    got = browser.js(WAIT_SEEK % 'document.querySelectorAll(".card")[0].querySelectorAll(".ev button")[1].click();')
    assert got == pytest.approx(frame / FPS, abs=0.5 / FPS)
    assert browser.js(SHOWN) == pytest.approx(frame / FPS, abs=1e-3)  # that very frame is shown, not the one before
    # a click at 60 % of the first plot's axes
    click = """var p = document.querySelector(".tplot"), r = p.getBoundingClientRect();
      var x0 = parseFloat(p.dataset.x0), x1 = parseFloat(p.dataset.x1);
      p.dispatchEvent(new MouseEvent("click", {bubbles: true, clientX: r.left + r.width * (x0 + 0.6 * (x1 - x0)),
                                                clientY: r.top + r.height / 2}));"""
    got = browser.js(WAIT_SEEK % click)
    t0, t1 = browser.js('[document.querySelector(".tplot").dataset.t0, document.querySelector(".tplot").dataset.t1]')
    assert got == pytest.approx(float(t0) + 0.6 * (float(t1) - float(t0)), abs=1.0 / FPS)


def test_keyboard_frame_steps_and_play_pause(browser):
    browser.js(WAIT_SEEK % "v.currentTime = 3.0;")
    key = 'document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "%s", bubbles: true}));'
    for k in range(1, 6):  # five frames forward, one at a time, without drifting
        after = browser.js(WAIT_SEEK % (key % "ArrowRight"))
        assert after == pytest.approx(3.0 + k / FPS, abs=0.2 / FPS)
    assert browser.js(SHOWN) == pytest.approx(3.0 + 5 / FPS, abs=1e-3)
    back = browser.js(WAIT_SEEK % (key % "ArrowLeft") + "")
    assert back == pytest.approx(3.0 + 4 / FPS, abs=0.2 / FPS)
    played = browser.js(
        "new Promise(function (done) { var v = document.getElementById('fc-video');"
        " v.addEventListener('play', function () { done(!v.paused); }, {once: true}); %s })" % (key % " ")
    )
    assert played is True
    paused = "(function () { %s return document.getElementById('fc-video').paused; })()" % (key % " ")
    assert browser.js(paused) is True


def test_no_request_leaves_the_folder(browser, folder):
    base = folder[0].as_uri() + "/"
    urls = browser.requests()
    assert any(u == base + "annotated.mp4" for u in urls)  # the video was asked for, from beside the page
    outside = [u for u in urls if not u.startswith("data:") and not u.startswith(base)]
    assert outside == []
    assert browser.console_errors() == []


def test_the_request_check_can_fail(tmp_path):
    """Control: a page (without our CSP) that loads a picture from the parent folder is seen doing so."""
    (tmp_path / "pic.png").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "p.html").write_text('<img src="../pic.png"><p>x</p>')
    with Browser(tmp_path / "profile") as b:
        b.open((tmp_path / "sub" / "p.html").as_uri())
        base = (tmp_path / "sub").as_uri() + "/"
        assert [u for u in b.requests() if not u.startswith(base)] == [(tmp_path / "pic.png").as_uri()]


def test_without_the_video_everything_else_shows(tmp_path):
    page = make_page(6.0, FPS, thumbnails={"best": _jpeg((0, 120, 0))})
    write_html_report(page, tmp_path / "report.html")
    with Browser(tmp_path / "profile") as b:
        b.open((tmp_path / "report.html").as_uri())
        assert b.js(READY) == -1
        shown = b.js(
            "[!document.getElementById('fc-novideo').hidden, document.querySelectorAll('.card').length,"
            " document.querySelectorAll('.tplot img').length, document.querySelectorAll('tr[data-t]').length,"
            " getComputedStyle(document.getElementById('fc-video')).display]"
        )
        assert shown == [True, 9, 4, len(page.judgement.steps), "none"]
        # clicking a step still moves the plot cursors, without a video to seek
        b.js('document.querySelectorAll("tr[data-t]")[2].click()')
        assert all(c["left"] is not None for c in b.js(CURSORS)[:2])


def _pdf_pages(pdf_path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [
        subprocess.run(
            ["pdftotext", "-f", str(k), "-l", str(k), str(pdf_path), "-"], capture_output=True, check=True
        ).stdout.decode()
        for k in range(1, n + 1)
    ]


@pytest.mark.parametrize("paper,size_in", [("a4", (8.27, 11.69)), ("letter", (8.5, 11.0))])
def test_printed_report_never_splits_a_card(browser, folder, paper, size_in):
    pdf = folder[0] / f"print_{paper}.pdf"
    pdf.write_bytes(browser.pdf(*size_in))
    pages = _pdf_pages(pdf)
    assert 2 <= len(pages) <= 8, len(pages)
    for v in folder[1].judgement.verdicts:
        title = RULE_TITLES[v.id]  # also in the overall panel's "Work on": the card's is the last
        last = v.tip or v.message  # the card's last line of text
        where_title = [k for k, p in enumerate(pages) if title in p.replace("\n", " ")]
        where_last = [k for k, p in enumerate(pages) if last in p.replace("\n", " ")]
        assert where_title and where_last and where_title[-1] == where_last[-1], (title, where_title, where_last)
    text = "".join(pages)
    assert "Space: play or pause" not in text  # the video's controls and hints are not printed
    assert "Best and worst step" in text
