"""Atomic writing: outputs appear whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.atomic import atomic_path, check_writable_dir, write_json
from formcheck.atomic_set import OutputSet
from formcheck.errors import OutputError


def test_write_json_is_complete_and_refuses_nan(tmp_path: Path):
    write_json(tmp_path / "a.json", {"x": 1})
    assert json.loads((tmp_path / "a.json").read_text()) == {"x": 1}
    with pytest.raises(ValueError):
        write_json(tmp_path / "b.json", {"x": float("nan")})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_atomic_path_keeps_the_old_file_on_error(tmp_path: Path):
    target = tmp_path / "r.txt"
    target.write_text("old")
    with pytest.raises(KeyError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise KeyError("crash")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_output_set_commits_together_or_not_at_all(tmp_path: Path):
    with OutputSet(tmp_path) as outs:
        outs.path("a.txt").write_text("a")
        outs.path("b.txt").write_text("b")
        assert not (tmp_path / "a.txt").exists()
        outs.commit()
    assert (tmp_path / "a.txt").read_text() == "a" and (tmp_path / "b.txt").read_text() == "b"
    with pytest.raises(RuntimeError), OutputSet(tmp_path / "new") as outs:
        outs.path("c.txt").write_text("c")
        raise RuntimeError
    assert list((tmp_path / "new").iterdir()) == []


def test_unwritable_folder_is_an_output_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="not writable"):
        check_writable_dir(blocker / "sub")
