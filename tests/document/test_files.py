"""Finding the workspace's `.bib` files, and telling which changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bib_lsp.document.files import changed_files, find_bib_files
from bib_lsp.model.summaries import Workspace, summarise


def test_files_are_found_outside_hidden_and_tool_folders(tmp_path: Path) -> None:
    for name in ("a.bib", "sub/b.BIB", ".git/c.bib", "node_modules/d.bib", "e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("@misc{k}\n")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in find_bib_files(str(tmp_path))]
    assert found == ["a.bib", "sub/b.BIB"]
    assert len(find_bib_files(str(tmp_path), limit=1)) == 1


def test_changed_files_are_told_apart_by_time_and_size(tmp_path: Path) -> None:
    a, b = tmp_path / "a.bib", tmp_path / "b.bib"
    a.write_text('@string{x = "1"}\n')
    b.write_text("@misc{k}\n")
    workspace = Workspace()
    for path in (a, b):
        summary = summarise(str(path))
        assert summary is not None
        workspace.update(summary)
    assert changed_files([str(tmp_path)], workspace.stamps()) == ([], [])
    a.write_text('@string{x = "12"}\n')  # one byte more
    b.unlink()
    (tmp_path / "c.bib").write_text("")
    changed, gone = changed_files([str(tmp_path)], workspace.stamps())
    assert sorted(Path(p).name for p in changed) == ["a.bib", "c.bib"]
    assert [Path(p).name for p in gone] == ["b.bib"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_only_regular_files_are_found(tmp_path: Path) -> None:
    """A FIFO named `x.bib` is not a file to read: opening it would wait for a writer."""
    os.mkfifo(tmp_path / "pipe.bib")
    (tmp_path / "real.bib").write_text("@misc{a}\n", encoding="utf-8")
    (tmp_path / "dir.bib").mkdir()
    assert [Path(p).name for p in find_bib_files(str(tmp_path))] == ["real.bib"]
