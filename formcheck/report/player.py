"""The watching part of report.html: annotated.mp4 beside the plots, a time cursor on every plot, click-to-seek on
plots, step rows, pictures and evidence frames, keyboard control, and the print stylesheet.

One inline script, allowed by its SHA-256 in the page's Content-Security-Policy (no other script can run, no inline
handler, nothing loaded from outside: the video is the page's own folder's ``annotated.mp4``). The script reads
only ``data-`` attributes the page wrote (times in seconds, plot geometry as fractions), never user text.
"""

from __future__ import annotations

import base64
import hashlib

from formcheck.report.plots import Plot

SCRIPT = r"""(function () {
"use strict";
var v = document.getElementById("fc-video");
var fps = parseFloat(document.body.getAttribute("data-fps")) || 30;
var plots = [].slice.call(document.querySelectorAll(".tplot"));
var rows = [].slice.call(document.querySelectorAll("tr[data-t]"));
var now = null;
function num(el, k) { return parseFloat(el.getAttribute("data-" + k)); }
function place(t) {
  plots.forEach(function (p) {
    var c = p.querySelector(".cursor"), t0 = num(p, "t0"), t1 = num(p, "t1");
    var x0 = num(p, "x0"), x1 = num(p, "x1"), f = (t - t0) / (t1 - t0);
    if (!(f >= 0 && f <= 1)) { c.style.display = "none"; return; }
    c.style.display = "block";
    c.style.left = ((x0 + f * (x1 - x0)) * 100).toFixed(3) + "%";
    c.style.top = (num(p, "y0") * 100).toFixed(3) + "%";
    c.style.height = ((num(p, "y1") - num(p, "y0")) * 100).toFixed(3) + "%";
    c.setAttribute("data-t", t.toFixed(4));
  });
  var cur = null;
  rows.forEach(function (r) { if (num(r, "t") <= t + 0.5 / fps) { cur = r; } });
  if (cur !== now) {
    if (now) { now.classList.remove("now"); }
    if (cur) { cur.classList.add("now"); }
    now = cur;
  }
}
function seek(t) {
  // a tenth of a frame past the frame's own time, so the browser shows that frame and not the one before it
  if (!isFinite(t)) { return; }
  t = Math.max(0, t);
  if (v && !v.classList.contains("gone")) { v.currentTime = t + 0.1 / fps; }
  place(t);
}
function step(k) {
  var n = Math.round(v.currentTime * fps - 0.1) + k;
  seek(Math.max(n, 0) / fps);
}
function tick() { place(v.currentTime); if (!v.paused) { window.requestAnimationFrame(tick); } }
if (v) {
  ["timeupdate", "seeked", "loadedmetadata"].forEach(function (k) {
    v.addEventListener(k, function () { place(v.currentTime); });
  });
  v.addEventListener("play", function () { window.requestAnimationFrame(tick); });
  v.addEventListener("error", function () {
    v.classList.add("gone");
    var n = document.getElementById("fc-novideo");
    if (n) { n.hidden = false; }
  }, true);
}
plots.forEach(function (p) {
  p.addEventListener("click", function (ev) {
    var r = p.getBoundingClientRect(), fx = (ev.clientX - r.left) / r.width;
    var f = (fx - num(p, "x0")) / (num(p, "x1") - num(p, "x0"));
    if (f >= 0 && f <= 1) { seek(num(p, "t0") + f * (num(p, "t1") - num(p, "t0"))); }
  });
});
document.addEventListener("click", function (ev) {
  var el = ev.target.closest ? ev.target.closest("[data-t]") : null;
  if (el && !el.classList.contains("cursor")) { seek(num(el, "t")); }
});
document.addEventListener("keydown", function (ev) {
  var tag = (ev.target.tagName || "").toLowerCase();
  if (ev.key === "Enter" && ev.target.hasAttribute && ev.target.hasAttribute("data-t")) {
    seek(num(ev.target, "t")); ev.preventDefault(); return;
  }
  if (!v || tag === "input" || tag === "textarea" || tag === "button") { return; }
  if (ev.key === " ") { if (v.paused) { v.play(); } else { v.pause(); } ev.preventDefault(); }
  else if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
    v.pause(); step(ev.key === "ArrowRight" ? 1 : -1); ev.preventDefault();
  }
});
var m = /^#t=([0-9.]+)$/.exec(window.location.hash);
place(m ? parseFloat(m[1]) : 0);
if (m) { seek(parseFloat(m[1])); }
}());
"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
#: report.html's policy: nothing from outside; images inline; the video from the page's own origin (its folder's
#: annotated.mp4); only the one script above, pinned by its hash.
REPORT_CSP = (
    "default-src 'none'; img-src data:; media-src 'self'; style-src 'unsafe-inline'; "
    f"script-src '{SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)

CSS = """
.watch{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,6fr);grid-template-rows:auto 1fr;
grid-template-areas:"screen plots" "side plots";gap:0 12px;align-items:start}
.screen{grid-area:screen}.side{grid-area:side}.watch .plots{grid-area:plots}
.pwrap{overflow-x:auto;background:#fff;border-radius:10px}
.tplot img{width:100%;height:auto;display:block}
.screen{position:sticky;top:0;z-index:2;background:#f5f6f8;padding:4px 0 6px}
.kf{font-size:1rem;margin:.8rem 0 .4rem}
.side .thumbs{grid-template-columns:repeat(auto-fill,minmax(180px,1fr))}
.screen video{width:100%;max-height:70vh;background:#000;border-radius:10px;display:block}
.screen video.gone{display:none}
.hint{color:#757575;font-size:.8rem;margin-top:4px}
.novideo{background:#fff3c4;border-radius:10px;padding:10px 12px;margin:0}
.tplot{position:relative;cursor:crosshair}
.tplot .cursor{position:absolute;width:2px;margin-left:-1px;background:#d81b60;display:none;pointer-events:none}
[data-t]{cursor:pointer}
tr.now td{background:#fce4ec!important;font-weight:600}tr.now td:first-child{box-shadow:inset 4px 0 #d81b60}
.ev{margin-top:.35rem;font-size:.82rem;color:#616161}
.ev button{font:inherit;font-size:.8rem;border:1px solid #bdbdbd;background:#fafafa;border-radius:8px;padding:0 6px;
margin:2px 3px 0 0;color:#212121}
.ev button:hover,tr[data-t]:hover td{background:#e3f2fd}
@media (max-width:820px){.watch{grid-template-columns:1fr;grid-template-rows:auto;
grid-template-areas:"screen" "plots" "side"}.screen video{max-height:34vh}.tplot{min-width:520px}}
@media print{
@page{margin:12mm}
body{background:#fff;font-size:10pt}
main{max-width:none;padding:0}
.watch{display:block}
.screen,.tplot .cursor,.ev{display:none!important}
.side{break-inside:avoid}.kf{break-after:avoid}
tr.now td{background:none!important;font-weight:inherit}tr.now td:first-child{box-shadow:none}
.thumbs img{max-height:80mm}
.cards{display:block;columns:2;column-gap:10px}
.card,.panel,figure,.tplot,tr,dl.facts,ol.tips li{break-inside:avoid;page-break-inside:avoid}
.card{display:block;margin:0 0 10px;box-shadow:none;border:1px solid #e0e0e0;border-left-width:6px}
.panel,.thumbs figure,.scroll{box-shadow:none;border:1px solid #e0e0e0}
h2{break-after:avoid;page-break-after:avoid}
.plots{display:block}.pwrap{overflow:visible}
.tplot{width:80%;margin:0 auto 6px;min-width:0!important}
.thumbs{display:flex;flex-wrap:wrap;gap:8px}.thumbs figure{width:48%}
.scroll{overflow:visible}table{font-size:7.5pt}th{position:static}th,td{padding:2px 4px}
}
"""


def seek_attrs(time_s: float | None) -> str:
    """Attributes that make an element seek the video to ``time_s`` (s) when clicked or entered ("" for None)."""
    if time_s is None or time_s != time_s:
        return ""
    return f' data-t="{time_s:.6f}" tabindex="0"'


def plot_html(plot: Plot, alt: str) -> str:
    """A plot with its time cursor; its axes' place and time span as data attributes for the script."""
    x0, y0, x1, y1 = plot.box
    t0, t1 = plot.t_range
    return (
        f'<div class="pwrap"><div class="tplot" data-x0="{x0:.5f}" data-x1="{x1:.5f}"'
        f' data-y0="{y0:.5f}" data-y1="{y1:.5f}"'
        f' data-t0="{t0:.4f}" data-t1="{t1:.4f}"><img src="{plot.uri}" alt="{alt}"><i class="cursor"></i></div></div>'
    )


def player_html(video_name: str, below: str) -> str:
    """The video (``video_name`` relative to the page, already escaped) with the ``below`` HTML under it (the step
    pictures: on paper, where the video cannot play, they take its place)."""
    return (
        '<div class="screen">'
        f'<video id="fc-video" src="{video_name}" controls preload="metadata" playsinline muted></video>'
        f'<p id="fc-novideo" class="novideo" hidden>The annotated video ({video_name}) is not beside this page:'
        " keep report.html and annotated.mp4 in the same folder to watch it here.</p>"
        '<div class="hint">Space: play or pause &middot; arrow keys: one frame back or forward &middot; click a plot,'
        " a step, a picture or an evidence frame to jump there.</div></div>"
        f'<div class="side"><h3 class="kf">Best and worst step</h3>{below}</div>'
    )


def script_tag() -> str:
    """The page's one script element (its hash is in :data:`REPORT_CSP`)."""
    return f"<script>{SCRIPT}</script>"
