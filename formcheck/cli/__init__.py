"""The command-line interface: a thin typer layer over plain functions.

Each command lives in its own module and is registered here (the batch commands live in
:mod:`formcheck.batch.commands`). :mod:`formcheck.command` turns usage errors, domain errors
(:mod:`formcheck.errors`) and stop signals into an exit code and at most one line on stderr; nothing else in the
package exits the process.
"""

from __future__ import annotations

import sys

import typer

from formcheck import __version__
from formcheck.command import guarded, run_app
from formcheck.malloc import limit_arenas

app = typer.Typer(
    name="formcheck",
    help="Form checker for backward (retro) running: analyse a video, get verdicts, an annotated video and tips.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"formcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """formcheck: a form checker for backward running."""


def _register() -> None:
    if app.registered_commands:
        return
    from formcheck.batch import commands as batch
    from formcheck.cli import analyze, synth, tips

    app.command("analyze")(guarded(analyze.analyze))
    app.command("batch")(guarded(batch.batch))
    app.command("progress")(guarded(batch.progress))
    app.command("tips")(guarded(tips.tips))
    app.command("synth")(guarded(synth.synth))


def get_app() -> typer.Typer:
    """The app with every command registered (for tests driving it with typer's CliRunner)."""
    _register()
    return app


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the app; usage errors, domain errors and stop signals become an exit code
    and at most one line on stderr (see :mod:`formcheck.command`)."""
    _register()
    return run_app(app, argv, prog_name="formcheck")


def run() -> None:
    """Entry point that exits the process with :func:`main`'s code (the C allocator's arenas capped first:
    :mod:`formcheck.malloc`)."""
    limit_arenas()
    sys.exit(main())
