"""Terminal output of the CLI (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from formcheck.analyze import AnalysisResult
from formcheck.console import PIPE_WIDTH, stdout_console  # noqa: F401 - re-exported
from formcheck.report.terminal import print_verdicts


def _skipped(video: dict) -> str:
    n = int(video.get("frames_skipped") or 0)
    return f" ({n} damaged frame{'s' if n != 1 else ''} skipped: could not be decoded)" if n else ""


def _cut(pose: dict) -> str:
    """What the chosen track lost to someone else's look (``cut_another_look`` of its follow record), if anything."""
    mine: dict = next((c for c in pose.get("candidates", []) if c.get("person") == pose.get("person")), {})
    n = int((mine.get("follow") or {}).get("cut_another_look") or 0)
    if not n:
        return ""
    return f"; {n} frame{'s' if n != 1 else ''} left out where the track passed to someone who looks different"


def summary_lines(result: AnalysisResult) -> list[tuple[str, str]]:
    """(label, text) rows of the analysis summary: the video, the detection, and where the outputs are."""
    rep = result.report
    v, p = rep["video"], rep["pose"]
    rotated = f", rotated {v['rotation_deg']}°" if v["rotation_deg"] else ""
    people = f"; {p['people_found']} people found, analysing #{p['person']}" if p["people_found"] > 1 else ""
    reused = " (pose.npz reused: no inference)" if result.reused_pose else ""
    return [
        (
            "video",
            f"{v['path']}: {v['width']}x{v['height']}{rotated}, {v['fps']:.2f} fps, {v['frames']} frames, "
            f"{v['duration_s']:.2f} s{_skipped(v)}",
        ),
        (
            "pose",
            f"model {p['model']}: athlete found in {p['detected_frames']}/{v['frames']} frames "
            f"({100 * p['detection_rate']:.1f}%){_cut(p)}{people}{reused}",
        ),
        ("annotated", str(result.annotated)),
        ("report", f"{result.html_path} (open in a browser), {result.report_path}"),
        ("pose file", str(result.pose_file)),
    ]


def print_summary(result: AnalysisResult, console: Console | None = None) -> None:
    """Print the verdicts table, key numbers and top tips, then the summary; long paths are never cut."""
    console = console or stdout_console()
    print_verdicts(result.report, console)
    for label, text in summary_lines(result):
        console.print(f"[bold]{label:>10}[/bold]  {escape(text)}", soft_wrap=True, highlight=False)
