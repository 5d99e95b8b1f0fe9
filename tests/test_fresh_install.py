"""A plain ``pip install .`` (no extras, so no click, pytest or ray beside typer) gives clean usage errors: typer's
usage message and exit 2, never a traceback or an "internal error" (issue 13, item 1).

Builds a real venv from this checkout (the pip cache makes it a minute or two; the registries are reached only for
what the cache lacks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=300)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    res = subprocess.run(
        [str(where / "bin" / "pip"), "install", "-q", str(REPO)], capture_output=True, text=True, timeout=1500, env=env
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return where


def _run(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORMCHECK_")}
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env=env, cwd=venv.parent)


def test_no_extras_installed(venv: Path) -> None:
    code = "import importlib.util as u; print([m for m in ('pytest', 'ray', 'click') if u.find_spec(m)])"
    res = _run(venv, str(venv / "bin" / "python"), "-c", code)
    # no test extras, and no separate click (typer >= 0.2x carries its own): the set-up that used to crash
    assert res.stdout.strip() == "[]", res.stdout + res.stderr


@pytest.mark.parametrize(
    "args",
    [(), ("analyze",), ("analyze", "x.mp4", "--bogus"), ("analyse",), ("analyze", "x.mp4", "--person", "abc")],
    ids=["no-args", "no-video", "unknown-option", "unknown-command", "bad-int"],
)
def test_usage_errors_are_clean(venv: Path, args: tuple[str, ...]) -> None:
    res = _run(venv, str(venv / "bin" / "formcheck"), *args)
    text = res.stdout + res.stderr
    assert res.returncode == 2, text
    assert "Usage:" in text and "Traceback" not in text and "internal error" not in text, text


def test_user_error_and_batch_module(venv: Path) -> None:
    res = _run(venv, str(venv / "bin" / "formcheck"), "analyze", "missing.mp4")
    assert res.returncode == 2 and res.stderr.strip() == "formcheck: error: video not found: missing.mp4"
    res = _run(venv, str(venv / "bin" / "python"), "-m", "formcheck.batch", "in", "--bogus")
    assert res.returncode == 2 and "Usage:" in res.stderr and "Traceback" not in res.stderr
