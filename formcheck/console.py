"""The stdout console of the commands (rich), sized for a terminal or a pipe."""

from __future__ import annotations

import os

from rich.console import Console

#: Width (columns) of tables written to a file or a pipe, where no terminal says how wide it is: wide enough that
#: the "Why" column of the verdicts table is not folded a word per line (rich would use 80). $COLUMNS wins.
PIPE_WIDTH = 120


def stdout_console() -> Console:
    """A console for standard output: the terminal's width, or :data:`PIPE_WIDTH` when not a terminal."""
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=PIPE_WIDTH)
    return console
