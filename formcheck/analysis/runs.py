"""Runs of True in a boolean per-frame mask: the one place the analysis finds them."""

from __future__ import annotations

import numpy as np


def true_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` frame indices (end exclusive) of each run of True in the 1-D ``mask``, in order."""
    edges = np.diff(np.concatenate([[0], np.asarray(mask).astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))
