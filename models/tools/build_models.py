"""Build the PoseLandmarker ``.task`` bundles from the PyPI / npm registries (see models/README.md).

    python models/tools/build_models.py [lite full heavy] [--out models/] [--check]

``--check`` rebuilds into a temporary folder and verifies the bytes against ``MODEL_SHA256`` and against any
bundle already in ``--out``, without writing anything there. Exit status 1 on any mismatch or error.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from formcheck.errors import FormcheckError  # noqa: E402
from formcheck.pose.bundles import MODEL_NAMES, build_bundles, sha256_file  # noqa: E402
from formcheck.pose.models import MODEL_SHA256  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build (or check) the bundles, print one line per bundle; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="{lite,full,heavy}", help="bundles to build (default: all)")
    parser.add_argument("--out", type=Path, default=REPO / "models", help="output folder (default: models/)")
    parser.add_argument("--check", action="store_true", help="rebuild in a temp folder and compare, write nothing")
    args = parser.parse_args(argv)
    names = list(dict.fromkeys(args.names or MODEL_NAMES))
    started = time.monotonic()
    ok = True
    try:
        with tempfile.TemporaryDirectory(prefix="formcheck-models-") as tmp:
            built = build_bundles(names, Path(tmp) if args.check else args.out)
            for name, path in built.items():
                digest = sha256_file(path)
                status = "ok" if digest == MODEL_SHA256[name] else f"MISMATCH (expected {MODEL_SHA256[name]})"
                existing = args.out / path.name
                if args.check and existing.is_file() and existing.read_bytes() != path.read_bytes():
                    status += f"; differs from {existing}"
                ok &= status == "ok"
                print(f"{name:5} {path.stat().st_size:>9} bytes  sha256 {digest}  {status}")
    except FormcheckError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{'checked' if args.check else 'built'} {len(names)} bundle(s) in {time.monotonic() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
