"""``formcheck batch INPUT --out DIR`` and ``formcheck progress ATHLETE --out DIR``: thin typer wrappers over
:mod:`formcheck.batch`, registered by the main CLI (:mod:`formcheck.cli`) and by ``python -m formcheck.batch``
(:func:`main`, which does not load the main CLI)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from formcheck.command import guarded, run_app


def batch(
    input: Path = typer.Argument(
        ...,
        help="A folder (a sub-folder per athlete, or athlete in the file name) or a "
        "CSV manifest (athlete, date, video, notes).",
        show_default=False,
    ),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Output folder: a folder per athlete and session, summary.csv and index.html."
    ),
    workers: int = typer.Option(2, "--workers", "-w", help="Videos analysed at once (local engine)."),
    engine: str = typer.Option("local", "--engine", help="local (processes on this machine) or ray."),
    address: str | None = typer.Option(
        None,
        "--address",
        help="Ray cluster HOST:PORT (default: start a local "  # noqa: UP007
        "Ray instance).",
    ),
    model: str = typer.Option("full", "--model", "-m", help="Pose model: lite, full, heavy."),
    config: Path | None = typer.Option(None, "--config", help="TOML file overriding the default settings."),  # noqa: UP007
) -> None:
    """Analyse folders of athletes' videos: resumable, a failed video never stops the others."""
    from formcheck.batch.runner import run_batch

    err = Console(stderr=True)
    bar = Progress(
        TextColumn("[bold]videos"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task_id = bar.add_task("videos", total=None)

    def on_progress(result, done: int, total: int) -> None:
        bar.update(task_id, completed=done, total=total)

    with bar:
        res = run_batch(
            input,
            out,
            workers=workers,
            engine=engine,
            address=address,
            model=model,
            config_path=config,
            progress=on_progress,
        )
    failed = res.failed
    ran = len(res.results) - res.reused
    print(
        f"{len(res.results)} videos: {len(res.results) - len(failed)} ok, {len(failed)} failed "
        f"({res.reused} already done, {ran} run) in {res.seconds:.1f} s"
    )
    print(f"summary: {res.summary_path}")
    print(f"index:   {res.index_path}")
    if failed:
        print("failed:")
        for r in failed:
            print(f"  {r.athlete} {r.date} {r.source}: {r.error}")
        raise typer.Exit(1)


def progress(
    athlete: str = typer.Argument(..., help="The athlete's name, as in summary.csv.", show_default=False),
    out: Path = typer.Option(..., "--out", "-o", help="The batch output folder (holding summary.csv)."),
) -> None:
    """Show an athlete's rule scores across sessions (from a batch's summary.csv)."""
    from formcheck.batch.progress import athlete_trend, progress_table
    from formcheck.console import stdout_console

    stdout_console().print(progress_table(athlete_trend(out, athlete)))


def batch_app() -> typer.Typer:
    """A typer app with just ``batch`` and ``progress`` (for ``python -m formcheck.batch``)."""
    app = typer.Typer(
        name="formcheck.batch",
        help="Analyse folders of athletes' videos (the batch commands of formcheck).",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.command("batch")(guarded(batch))
    app.command("progress")(guarded(progress))
    return app


def main(argv: list[str] | None = None) -> int:
    """``python -m formcheck.batch [batch] INPUT --out DIR`` / ``... progress ATHLETE --out DIR``: ``batch`` is the
    default command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in ("batch", "progress", "--help"):
        args.insert(0, "batch")
    return run_app(batch_app(), args, prog_name="python -m formcheck.batch")
