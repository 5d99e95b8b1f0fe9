"""The C allocator's arenas: at most a few, so memory freed by one thread is reused by the next.

glibc gives each thread that allocates its own arena (up to 8 per core), and an arena keeps the memory freed in it.
The pose, follow and render passes run on pools of threads, each allocating per-frame arrays, so the process's
resident size grew with the video's length beyond what it held: ``bench/bench_analyze.py --long`` (640x480) read a
peak RSS of 444 MiB for 1 minute and 557 MiB for 10 minutes with glibc's default, 420 and 501 MiB with 2 arenas
(``MALLOC_ARENA_MAX=2``) at the same speed. The CLI's entry point and the batch pool's worker initializer set the
cap before their threads start.
"""

from __future__ import annotations

import ctypes
import sys

#: Arenas the C allocator may make (count): see the module docstring.
MAX_ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt parameter number for the arena limit (malloc.h)


def limit_arenas(count: int = MAX_ARENAS) -> bool:
    """Cap glibc's malloc arenas at ``count`` for this process (call before any thread starts); whether it was
    applied (False off Linux, or on a C library without ``mallopt``)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(_M_ARENA_MAX, int(count)))
    except (OSError, AttributeError):
        return False
