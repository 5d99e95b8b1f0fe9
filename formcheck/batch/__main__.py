"""``python -m formcheck.batch INPUT --out DIR`` (and ``python -m formcheck.batch progress ATHLETE --out DIR``):
the batch commands without the main CLI."""

from __future__ import annotations

import sys

from formcheck.batch.commands import main

if __name__ == "__main__":
    sys.exit(main())
