"""The suppression comment before an entry changes nothing BibTeX or biber read: the
real `bibtex` (plain.bst) and `biber --tool` give the same output with and without
it, while the in-entry form makes BibTeX skip the rest of the entry."""

from __future__ import annotations

from tests.backends import biber, bibtex, needs_biber, needs_bibtex
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


def test_the_comments_silence_what_they_name() -> None:
    assert [p.code for p in found(ENTRY)] == ["page-range-hyphen"]
    assert found(BEFORE) == []
    # Silenced too, but BibTeX skips the rest of that entry, which is said.
    assert [p.code for p in found(INSIDE)] == ["comment-in-entry"]


@needs_bibtex
def test_bibtex_reads_the_entry_alike_with_the_comment_before_it() -> None:
    plain = bibtex(ENTRY).output
    assert "pages 1--2" in plain and "N." in plain
    assert bibtex(BEFORE).output == plain
    # The form inside the entry: BibTeX skips the rest of the entry (pages, note).
    inside = bibtex(INSIDE).output
    assert "pages" not in inside and "N." not in inside


@needs_biber
def test_biber_reads_the_entry_alike_with_either_comment() -> None:
    plain = biber(ENTRY).output
    assert "PAGES = {1--2}" in plain and "NOTE = {N}" in plain
    assert biber(BEFORE).output == plain
    assert biber(INSIDE).output == plain  # biber reads `%` as a comment anywhere
