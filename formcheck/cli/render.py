"""Terminal output of the CLI (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from formcheck.analyze import AnalysisResult


def print_summary(result: AnalysisResult, console: Console | None = None) -> None:
    """A short summary of one analysis: the video, the detection, and where the outputs are."""
    console = console or Console()
    rep = result.report
    v, p = rep["video"], rep["pose"]
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row("video", f"{escape(v['path'])}  {v['width']}x{v['height']}  {v['fps']:.2f} fps  {v['frames']} frames  "
                  f"{v['duration_s']:.2f} s" + (f"  (rotated {v['rotation_deg']}°)" if v["rotation_deg"] else ""))
    people = f"  ({p['people_found']} people found, analysing #{p['person']})" if p["people_found"] > 1 else ""
    table.add_row("pose", f"model {p['model']}: athlete found in {p['detected_frames']}/{v['frames']} frames "
                  f"({100 * p['detection_rate']:.1f}%){people}" + ("  (pose.npz reused: no inference)" if result.reused_pose
                                                                     else ""))
    table.add_row("outputs", escape(f"{result.annotated}\n{result.report_path}\n{result.pose_file}"))
    console.print(table)
