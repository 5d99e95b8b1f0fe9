"""Domain errors. Each carries a one-line, user-facing message; only the CLI turns them into exit codes."""

from __future__ import annotations


class FormcheckError(Exception):
    """Base of every error a user can cause or fix. ``str(err)`` is one line that says what to do."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


class InputVideoError(FormcheckError):
    """The input video is missing, unreadable, not a video, empty or truncated."""

    exit_code = 2


class NoPersonError(FormcheckError):
    """No person was found in the video (or the requested ``--person`` does not exist)."""

    exit_code = 3


class ModelError(FormcheckError):
    """A pose model bundle is missing, corrupted, or could not be built."""

    exit_code = 4


class OutputError(FormcheckError):
    """The output location cannot be written."""

    exit_code = 5


class ConfigError(FormcheckError):
    """A configuration file or option is invalid."""

    exit_code = 6


class PoseFileError(FormcheckError):
    """A saved pose file is unreadable or fails validation."""

    exit_code = 7


class BatchError(FormcheckError):
    """A batch input (folder, manifest, output folder, athlete name) is unusable."""

    exit_code = 2


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (SIGINT, SIGTERM, SIGHUP). A ``KeyboardInterrupt``, so nothing that catches
    ``Exception`` swallows it and every ``finally`` and ``with`` block on the way out still cleans up.

    ``exit_code`` is the shell's convention for a signal: 128 + the signal number.
    """

    def __init__(self, signum: int, outcome: str = "stopped, no partial output left behind") -> None:
        import signal

        self.signum = int(signum)
        self.exit_code = 128 + self.signum
        try:
            name = signal.Signals(self.signum).name
        except ValueError:
            name = f"signal {self.signum}"
        super().__init__(f"interrupted by {name}: {outcome}")
