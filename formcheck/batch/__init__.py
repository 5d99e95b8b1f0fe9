"""Coach batch mode: many athletes' videos at once, resumable, fault-isolated, on local processes or Ray.

``plan`` finds the jobs, ``task.run_job`` analyses one video (picklable, never raises), ``state`` decides what is
already done, ``engines`` run the jobs, ``summary``/``index``/``progress`` present the results. Heavy modules
(analysis, matplotlib, Ray) are imported lazily so worker processes start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from formcheck.batch.runner import BatchResult, run_batch

__all__ = ["BatchResult", "run_batch"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from formcheck.batch import runner

        return getattr(runner, name)
    raise AttributeError(name)
