"""``formcheck tips [--report report.json] [--level beginner|intermediate] [--pdf FILE [--paper a4|letter]]``: a
thin wrapper over :func:`formcheck.report.tips.tips_text` and, with ``--pdf``, the one-page handout
(:mod:`formcheck.report.handout_pdf`)."""

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
    pdf: Path | None = typer.Option(
        None,
        "--pdf",
        help="Write a one-page printable handout to this file "  # noqa: UP045
        "(with --report: the athlete's top faults with a key frame each).",
    ),
    paper: str = typer.Option("a4", "--paper", help="Paper of the --pdf handout: a4 or letter."),
) -> None:
    """Technique cues, safety, a progression plan and complementary exercises for backward running."""
    data = load_report(report) if report is not None else None
    sections = tips_text(data, level)
    if pdf is None:
        print_sections(sections, Console())
        return
    write_pdf(data, report, pdf, level, paper)
    Console().print(f"handout  {pdf}")


def write_pdf(data: dict[str, Any] | None, report: Path | None, pdf: Path, level: str, paper: str) -> None:
    """The handout for ``data`` (read from ``report``), or the generic sheet, written to ``pdf``."""
    from datetime import date

    from formcheck.atomic import check_writable_dir
    from formcheck.errors import OutputError
    from formcheck.report.handout import generic_handout
    from formcheck.report.handout_files import folder_handout
    from formcheck.report.handout_pdf import PAPERS, write_handout_pdf

    if paper not in PAPERS:
        raise ConfigError(f"--paper must be one of {', '.join(PAPERS)}, got {paper!r}")
    folder = Path(pdf).resolve().parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {pdf}: the folder {folder} does not exist")
    check_writable_dir(folder)
    if data is not None and report is not None:
        folder = Path(report) if Path(report).is_dir() else Path(report).parent
        handout = folder_handout(data, folder, level=level)
    else:
        handout = generic_handout(date=date.today().isoformat(), level=level)
    write_handout_pdf(handout, pdf, paper)
