"""The output folder of one analysis: never a source video's grave, one writer at a time, no stale temporaries.

- A source video that sits in the output folder under an output's name (``analyze o/annotated.mp4 --out o``) would
  be replaced by its own annotated video: refused before any work.
- The folder is locked (an ``flock`` on the folder itself: no lock file is left behind) while the analysis writes;
  a second analysis into it at once is refused.
- With the lock held, temporary files that a killed run of formcheck left (hidden ``.<output>.tmp-*``, from
  :mod:`formcheck.atomic` and :mod:`formcheck.atomic_set`) are deleted: only those names, nothing else.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Collection, Iterator
from pathlib import Path

from formcheck.errors import OutputError


def refuse_overwriting_source(video: Path, out: Path, names: Collection[str]) -> None:
    """Raise :class:`OutputError` if ``video`` is (the same file as) ``out/<name>`` for one of ``names``."""
    try:
        src = os.stat(video)
    except OSError:
        return
    for name in names:
        try:
            dst = os.lstat(out / name)  # a symlink there is replaced, not its target
        except OSError:
            continue
        if (dst.st_dev, dst.st_ino) == (src.st_dev, src.st_ino):
            raise OutputError(
                f"{video} is the output {name} of --out {out}: it would be overwritten; move it or choose another --out"
            )


def stale_pattern(names: Collection[str]) -> re.Pattern[str]:
    """File names of formcheck's temporaries for ``names``: ``.<stem>.tmp-<random><suffix>``, also nested (the
    video writer's own temporary inside the output set's: ``..<stem>.tmp-<r>.tmp-<r><suffix>``)."""
    stems = "|".join(sorted(re.escape(Path(n).stem) for n in names))
    return re.compile(rf"^\.{{1,2}}(?:{stems})\.tmp-[A-Za-z0-9_]+(?:\.tmp-[A-Za-z0-9_]+)?\.[A-Za-z0-9]+$")


def remove_stale_temporaries(out: Path, names: Collection[str]) -> int:
    """Delete formcheck's own temporary files for ``names`` in ``out``; return how many."""
    pattern = stale_pattern(names)
    n = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(out):
            if pattern.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    n += 1
    return n


@contextlib.contextmanager
def claim_output_folder(out: Path, names: Collection[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` for the block, after deleting the stale temporaries of ``names``.
    Raises :class:`OutputError` if another formcheck run holds it."""
    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(f"output folder {out} is not usable: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise OutputError(
                f"another formcheck run is writing to {out}: wait for it or choose another --out"
            ) from exc
        remove_stale_temporaries(out, names)
        yield
    finally:
        os.close(fd)
