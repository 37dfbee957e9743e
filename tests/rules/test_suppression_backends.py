"""The suppression comment before an entry changes nothing BibTeX or biber read: the
real `bibtex` (plain.bst) and `biber --tool` give the same output with and without
it, while the in-entry form makes BibTeX skip the rest of the entry."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.rules.helpers import found

ENTRY = (
    "@article{a, author = {Ann Author}, title = {Title}, journal = {J}, year = 2000,\n"
    "  pages = {1-2}, note = {N}}\n"
)
BEFORE = (
    "% bib-lsp: ignore[page-range-hyphen:pages]\n"
    "% bib-lsp: ignore[unknown-field, empty-field:note]\n" + ENTRY
)
INSIDE = ENTRY.replace("  pages", "  % bib-lsp: ignore[page-range-hyphen]\n  pages")


def bibtex(tmp_path: Path, text: str) -> str:
    """The bibliography plain.bst makes of every entry of ``text``."""
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "main.aux").write_text(
        "\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="ascii"
    )
    subprocess.run(
        ["bibtex", "-terse", "main"], cwd=tmp_path, capture_output=True, timeout=120, check=False
    )
    return (tmp_path / "main.bbl").read_text(encoding="utf-8")


def biber(tmp_path: Path, text: str) -> str:
    """The entries as biber reads them (`biber --tool` writes them back out)."""
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["biber", "--tool", "--output-file=out.bib", "refs.bib"],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return (tmp_path / "out.bib").read_text(encoding="utf-8")


def test_the_comments_silence_what_they_name() -> None:
    assert [p.code for p in found(ENTRY)] == ["page-range-hyphen"]
    assert found(BEFORE) == []
    # Silenced too, but BibTeX skips the rest of that entry, which is said.
    assert [p.code for p in found(INSIDE)] == ["comment-in-entry"]


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex is not installed")
def test_bibtex_reads_the_entry_alike_with_the_comment_before_it(tmp_path: Path) -> None:
    plain = bibtex(tmp_path, ENTRY)
    assert "pages 1--2" in plain and "N." in plain
    assert bibtex(tmp_path, BEFORE) == plain
    # The form inside the entry: BibTeX skips the rest of the entry (pages, note).
    inside = bibtex(tmp_path, INSIDE)
    assert "pages" not in inside and "N." not in inside


@pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed")
def test_biber_reads_the_entry_alike_with_either_comment(tmp_path: Path) -> None:
    plain = biber(tmp_path, ENTRY)
    assert "PAGES = {1--2}" in plain and "NOTE = {N}" in plain
    assert biber(tmp_path, BEFORE) == plain
    assert biber(tmp_path, INSIDE) == plain  # biber reads `%` as a comment anywhere
