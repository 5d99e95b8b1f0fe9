"""``formcheck analyze VIDEO``: a thin wrapper over :func:`formcheck.analyze.analyze_video`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from formcheck.analyze import analyze_video
from formcheck.cli.render import print_summary
from formcheck.config import MODEL_NAMES, load_config

MODELS = MODEL_NAMES


class _Bar:
    """A rich progress bar with frames/s and ETA, on stderr (stdout stays for the summary)."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description:<6}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[fps]:>6.1f} frames/s"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, done: int, total: int, stage: str) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total or None, fps=0.0)
        task_id = self.tasks[stage]
        self.progress.update(task_id, completed=done)
        task = self.progress.tasks[task_id]
        if task.elapsed:
            self.progress.update(task_id, fps=done / task.elapsed)


def analyze(
    video: Path = typer.Argument(
        ..., help="The video to analyse (mp4/mov, H.264/HEVC, any phone clip).", show_default=False
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",  # noqa: UP007 - typer needs Optional
        help="Output folder (default: <video>_formcheck next to the video).",
    ),
    model: str = typer.Option(
        "full",
        "--model",
        "-m",
        help="Pose model: lite (fastest), full, heavy (slowest, most accurate; built on first use).",
    ),
    person: int | None = typer.Option(
        None,
        "--person",
        help="Analyse another person: candidate rank "  # noqa: UP007
        "from the report's pose.candidates (0 = the runner chosen automatically).",
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        help="TOML file overriding the default "  # noqa: UP007
        "settings.",
    ),
    fresh: bool = typer.Option(False, "--fresh", help="Run pose inference again even if pose.npz exists."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Analyse a running video: annotated.mp4, pose.npz and report.json in the output folder."""
    from formcheck.errors import ConfigError

    if model not in MODELS:
        raise ConfigError(f"--model must be one of {', '.join(MODELS)}, got {model!r}")
    if person is not None and person < 0:
        raise ConfigError(f"--person must be 0 or more, got {person}")
    settings = load_config(config)
    err = Console(stderr=True)
    bar = _Bar(err)
    with bar.progress if not quiet else _Null():
        result = analyze_video(
            video,
            out_dir=out,
            model=model,
            person=person,
            config=settings,
            reuse_pose=not fresh,
            progress=None if quiet else bar,
        )
    print_summary(result)


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
