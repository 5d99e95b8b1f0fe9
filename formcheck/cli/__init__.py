"""The command-line interface: a thin typer layer over plain functions.

Each command lives in its own module and is registered here. Domain errors (:mod:`formcheck.errors`) become one
line on stderr and a non-zero exit code; nothing else in the package exits the process.
"""

from __future__ import annotations

import sys

import typer

from formcheck import __version__
from formcheck.errors import FormcheckError

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
    from formcheck.cli import analyze, batch, synth, tips

    app.command("analyze")(analyze.analyze)
    app.command("batch")(batch.batch)
    app.command("progress")(batch.progress)
    app.command("tips")(tips.tips)
    app.command("synth")(synth.synth)


def get_app() -> typer.Typer:
    """The app with every command registered (for tests driving it with typer's CliRunner)."""
    _register()
    return app


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: run the app, turning domain errors into one stderr line and an exit code."""
    _register()
    try:
        # without standalone mode click *returns* typer.Exit's code instead of raising it
        code = app(args=argv, standalone_mode=False)
    except FormcheckError as err:
        print(f"formcheck: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("formcheck: interrupted", file=sys.stderr)
        return 130
    except typer.Exit as ex:
        return ex.exit_code
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.exceptions.Abort):
            print("formcheck: aborted", file=sys.stderr)
            return 130
        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        print(f"formcheck: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 70
    return code if isinstance(code, int) else 0


def run() -> None:
    """Entry point that exits the process with :func:`main`'s code."""
    sys.exit(main())
