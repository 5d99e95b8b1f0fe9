"""``formcheck tips [--report report.json] [--level beginner|intermediate]``: a thin wrapper over
:func:`formcheck.report.tips.tips_text`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from formcheck.errors import ConfigError
from formcheck.report.tips import Section, tips_text


def load_report(path: Path) -> dict[str, Any]:
    """Read a report.json (or the report.json inside a folder). Raises :class:`ConfigError` with one line."""
    path = Path(path)
    if path.is_dir():
        path = path / "report.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"report not found: {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read report {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("formcheck.report/"):
        raise ConfigError(f'{path} is not a formcheck report (no "schema": "formcheck.report/1")')
    return data


def print_sections(sections: list[Section], console: Console) -> None:
    """Print ``sections`` as headed bullet lists."""
    for section in sections:
        console.print(Text(section.title, style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for item in section.items:
            grid.add_row(" -", Text(item))
        console.print(grid)
        console.print()


def tips(
    report: Path | None = typer.Option(
        None,
        "--report",
        help="A report.json (or its folder) from "  # noqa: UP045
        "`formcheck analyze`: tips are ordered by your faults.",
    ),
    level: str = typer.Option("beginner", "--level", help="beginner or intermediate (which progression plan)."),
) -> None:
    """Technique cues, safety, a progression plan and complementary exercises for backward running."""
    data = load_report(report) if report is not None else None
    print_sections(tips_text(data, level), Console())
