"""The C allocator's arena cap (formcheck.malloc) is applied on Linux, where the CLI sets it at start-up."""

from __future__ import annotations

import sys

import pytest

from formcheck.malloc import MAX_ARENAS, limit_arenas


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")
def test_arena_cap_is_applied_on_linux() -> None:
    assert MAX_ARENAS >= 1
    assert limit_arenas() is True
