"""The real-footage suite's walking clip (Sports2D, 1768x994, see tests/test_real_footage.py): its variants in a file
of their own, so that pytest-xdist (a file per worker) runs them beside the other clips' instead of after them."""

from __future__ import annotations

import real_footage as rf

test_real_footage_walk = rf.variant_test(rf.suite(only=rf.OWN_FILE))
