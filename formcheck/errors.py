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
