"""Running a typer app as a command: every way it can end becomes an exit code and at most one stderr line.

- Usage errors (no arguments, unknown option or command, missing or malformed value): typer's own usage block,
  exit 2.
- Domain errors (:mod:`formcheck.errors`): ``formcheck: error: <one line>``, the error's exit code.
- SIGINT, SIGTERM, SIGHUP: the run stops and cleans up, ``formcheck: interrupted by SIG...``, exit 128 + N.
- Anything else is a bug: ``formcheck: internal error: ...``, exit 70 (no traceback).

Shared by ``formcheck`` (:mod:`formcheck.cli`) and ``python -m formcheck.batch``; it never imports either.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer

from formcheck.errors import FormcheckError, Interrupted
from formcheck.signals import stop_signals_raise

#: Exit code of a bug (BSD sysexits' EX_SOFTWARE).
INTERNAL_ERROR = 70
#: Exit code of a Ctrl-C that arrives outside the signal handlers (shell convention: 128 + SIGINT).
SIGINT_EXIT = 130

F = TypeVar("F", bound=Callable[..., Any])


def say(message: str) -> None:
    """One line on stderr, prefixed ``formcheck: ``."""
    print(f"formcheck: {' '.join(str(message).split())}", file=sys.stderr, flush=True)


def guarded(command: F) -> F:
    """Wrap a typer command so that domain errors and stop signals end it with one line and their exit code (seen
    the same way by the console script and by typer's ``CliRunner``)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except FormcheckError as err:
            say(f"error: {err}")
            raise typer.Exit(err.exit_code) from err
        except Interrupted as stop:
            say(str(stop))
            raise typer.Exit(stop.exit_code) from stop

    return wrapper  # type: ignore[return-value]


def run_app(app: typer.Typer, argv: Sequence[str] | None = None, prog_name: str | None = None) -> int:
    """Run ``app`` on ``argv`` (default: the process arguments) and return its exit code; never raises."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with stop_signals_raise():
            app(args=args, prog_name=prog_name, standalone_mode=True)
    except SystemExit as done:
        return _code(done.code)
    except FormcheckError as err:  # raised outside a guarded command (e.g. while registering the commands)
        say(f"error: {err}")
        return err.exit_code
    except Interrupted as stop:
        say(str(stop))
        return stop.exit_code
    except KeyboardInterrupt:
        say("interrupted")
        return SIGINT_EXIT
    except Exception as exc:  # noqa: BLE001 - a bug: one line, not a traceback
        say(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return INTERNAL_ERROR
    return 0


def _code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
