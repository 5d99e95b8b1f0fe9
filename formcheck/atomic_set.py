"""A set of outputs that appear together or not at all.

Each output is written to a hidden temporary name in its folder; :meth:`OutputSet.commit` renames them all to their
final names, and leaving the ``with`` block by an error deletes them, so a failed run leaves no file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from types import TracebackType

from formcheck.errors import OutputError


class OutputSet:
    """Temporary paths for final output names in ``folder``; committed together."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self._pending: dict[Path, Path] = {}

    def path(self, name: str) -> Path:
        """A fresh temporary path (same folder, same suffix) that becomes ``folder/name`` on commit."""
        final = self.folder / name
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{final.stem}.tmp-", suffix=final.suffix, dir=self.folder)
            os.close(fd)
        except OSError as exc:
            raise OutputError(f"cannot write to {self.folder}: {exc.strerror or exc}") from exc
        self._pending[final] = Path(tmp)
        return Path(tmp)

    def commit(self) -> list[Path]:
        """Move every temporary file to its final name; return the final paths."""
        mask = os.umask(0)
        os.umask(mask)
        done = []
        for final, tmp in self._pending.items():
            os.chmod(tmp, 0o666 & ~mask)
            os.replace(tmp, final)
            done.append(final)
        self._pending.clear()
        return done

    def discard(self) -> None:
        """Delete every temporary file not yet committed."""
        for tmp in self._pending.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._pending.clear()

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.discard()
