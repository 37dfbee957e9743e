"""Every real .bib file of the corpus: lossless, well formed, and free of problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from tests.syntax.helpers import check_tree, corpus_files, corpus_params, entries, read_source


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file_round_trips_and_has_no_problems(path: Path) -> None:
    source = read_source(path)
    tree = parse(source)
    assert tree.tree_text() == source
    assert sum(len(block.text) for _, block in tree) == len(source)
    check_tree(tree, source)
    # The corpus files are valid BibTeX: a regression guard against false alarms.
    assert tree.problems() == []


def test_corpus_is_substantial() -> None:
    files = corpus_files()
    if not files:
        pytest.skip("the .bib corpus is not available")
    assert len(files) >= 100
    total_entries = 0
    for path in files:
        total_entries += sum(1 for e in entries(parse(read_source(path))) if e.kind is K.ENTRY)
    # Not vacuous: the corpus holds thousands of real entries.
    assert total_entries > 5000
