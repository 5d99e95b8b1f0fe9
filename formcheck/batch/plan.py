"""Discover the jobs of a batch: one per video, from a folder of athletes or a CSV manifest.

Folder: each sub-folder is an athlete (videos anywhere below it); a video directly in the folder names its athlete
by its file name (the name without any ISO date in it, e.g. ``alice_2026-11-02.mp4`` -> ``alice``).
Manifest (``.csv``): columns ``athlete``, ``date`` (or ``session_date``), ``video`` (or ``video_path``/``path``,
relative to the manifest's folder) and optional ``notes``.

Session date (ISO): the manifest's, else a date like 2026-11-02 in the file name, else the file's mtime date.
The stable job id is ``athlete/date/video stem``; its outputs go to ``OUT/<athlete>/<date>_<stem>/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from formcheck.errors import BatchError

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".3gp"})
DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
UNDATED = "undated"
#: What some file system refuses in a name (POSIX: "/" and NUL; Windows/exFAT/SMB also the rest, and control
#: characters). Everything else, letters of every script included, is kept.
_REFUSED = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
#: Longest folder name written (UTF-8 bytes): under the 255-byte limit of common file systems, with room for "-N".
MAX_NAME_BYTES = 200


@dataclass(frozen=True)
class Job:
    """One video of a batch. ``video`` is the path to read, ``source`` how the input named it (relative to the
    input folder, or as written in the manifest), ``out_dir`` the folder for its outputs."""

    athlete: str
    date: str
    video: Path
    source: str
    notes: str
    out_dir: Path

    @property
    def id(self) -> str:
        return f"{self.athlete}/{self.date}/{self.video.stem}"


def safe_name(text: str) -> str:
    """``text`` as one harmless path component: letters of any script kept ("Jörg Müller" stays), only what a file
    system refuses replaced by "_", no leading or trailing dots or spaces, not empty, at most
    :data:`MAX_NAME_BYTES` bytes of UTF-8 (NFC, so the same name typed on a Mac or on Linux is the same folder)."""
    name = _REFUSED.sub("_", unicodedata.normalize("NFC", text)).strip(" .") or "_"
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    return name.rstrip(" .") or "_"


def _iso(text: str) -> str | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def session_date(video: Path, given: str | None = None) -> str:
    """The session date: ``given`` (ISO), else a date in the file name, else the file's mtime date."""
    if given:
        iso = _iso(given.strip())
        if iso is None or len(given.strip()) != 10:
            raise BatchError(f"session date {given!r} for {video} is not an ISO date like 2026-11-02")
        return iso
    iso = _iso(video.name)
    if iso is not None:
        return iso
    try:
        return dt.date.fromtimestamp(video.stat().st_mtime).isoformat()
    except OSError:
        return UNDATED


def athlete_from_name(video: Path) -> str:
    """A top-level video's athlete: its stem without the date and the separators around it."""
    name = DATE_RE.sub(" ", video.stem)
    name = re.sub(r"[\s_\-.]+", " ", name).strip()
    return name or video.stem


def plan_jobs(source: str | os.PathLike[str], out: str | os.PathLike[str]) -> list[Job]:
    """Every job of the batch, sorted by (athlete, date, source). Raises :class:`BatchError` for bad input."""
    # absolute paths: workers (Ray's especially) may run in another working directory
    src, out = Path(source).absolute(), Path(out).absolute()
    if src.is_dir():
        entries = _from_folder(src, out)
    elif src.is_file() and src.suffix.lower() == ".csv":
        entries = _from_manifest(src)
    elif src.exists():
        raise BatchError(f"batch input {src} must be a folder of videos or a .csv manifest")
    else:
        raise BatchError(f"batch input {src} does not exist")
    if not entries:
        raise BatchError(f"no videos found in {src} (looked for {', '.join(sorted(VIDEO_SUFFIXES))})")
    jobs: list[Job] = []
    used: set[Path] = set()
    for athlete, date, video, shown, notes in sorted(entries, key=lambda e: (e[0], e[1], e[3])):
        folder = out / safe_name(athlete) / safe_name(f"{date}_{video.stem}")
        n = 2
        base = folder
        while folder in used:  # same athlete, date and stem (e.g. a.mp4 and a.mov): keep both
            folder = base.with_name(f"{base.name}-{n}")
            n += 1
        used.add(folder)
        jobs.append(Job(athlete=athlete, date=date, video=video, source=shown, notes=notes, out_dir=folder))
    return jobs


def _is_video(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in VIDEO_SUFFIXES and not path.name.startswith(".")


def _from_folder(src: Path, out: Path) -> list[tuple[str, str, Path, str, str]]:
    out_abs = out.resolve()
    entries = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if any(part.startswith(".") for part in rel.parts) or not _is_video(path):
            continue
        if out_abs == path.resolve() or out_abs in path.resolve().parents:
            continue  # our own outputs (annotated.mp4) when --out is inside the input folder
        if any(part.endswith("_formcheck") for part in rel.parts[:-1]):
            continue  # outputs of `formcheck analyze` next to the videos
        athlete = rel.parts[0] if len(rel.parts) > 1 else athlete_from_name(path)
        entries.append((athlete, session_date(path), path, rel.as_posix(), ""))
    return entries


def _pick(row: dict[str, str], *names: str) -> str:
    for name in names:
        value = row.get(name)
        if value is not None and value.strip():
            return value.strip()
    return ""


def _from_manifest(src: Path) -> list[tuple[str, str, Path, str, str]]:
    try:
        text = src.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchError(f"cannot read manifest {src}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))  # a quoted field may hold newlines: keep them
    fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
    if "athlete" not in fields or not fields & {"video", "video_path", "path"}:
        raise BatchError(f"manifest {src} needs the columns athlete and video (optional: date, notes)")
    entries = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "") for k, v in raw.items() if isinstance(v, str)}
        athlete, shown = _pick(row, "athlete"), _pick(row, "video", "video_path", "path")
        if not athlete and not shown:
            continue  # blank line
        if not athlete or not shown:
            raise BatchError(f"manifest {src} line {line}: athlete and video are both required")
        video = Path(shown).expanduser()
        video = video if video.is_absolute() else src.parent / video
        given = _pick(row, "date", "session_date", "session date")
        try:
            date = session_date(video, given or None)
        except BatchError as exc:
            raise BatchError(f"manifest {src} line {line}: {exc}") from exc
        entries.append((athlete, date, video, shown, _pick(row, "notes")))
    return entries
