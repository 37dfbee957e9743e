"""missing-required-field (dialect bibtex) against the real `bibtex` with plain.bst,
on every bibliography of ../shared/corpus/texlive (`\\nocite{*}`).

The one justified difference: a field whose value is a `@string` macro that the file
does not define (it lives in another .bib, as in beebe/ and archaeologie/). BibTeX,
reading the file alone, warns "undefined string" and then "empty X"; bib-lsp counts
the field as given (the macro may be defined elsewhere in the workspace) and leaves
the undefined macro to its own rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bib_lsp.document import Document
from bib_lsp.document.io import read_bib
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import view
from tests.rules.bibtex_oracle import bibtex_available, empty_field_warnings
from tests.syntax.helpers import CORPUS_DIR

TEXLIVE = CORPUS_DIR / "texlive"
FILES = sorted(TEXLIVE.rglob("*.bib")) if TEXLIVE.is_dir() else []

pytestmark = [
    pytest.mark.skipif(not bibtex_available(), reason="bibtex (TeX Live) is not installed"),
    pytest.mark.skipif(not FILES, reason="../shared/corpus/texlive is not available"),
]


def ours(path: Path) -> tuple[set[tuple[str, frozenset[str]]], Checker]:
    doc = Document(read_bib(path).text)
    checker = Checker(doc, RuleOptions(dialect="bibtex"))
    found = set()
    for p in checker.diagnose():
        if p.code == "missing-required-field":
            located = doc.block_at(p.start)
            assert located is not None
            entry = view(located[1])
            assert entry is not None and entry.key is not None
            assert isinstance(p.data, dict)
            found.add((entry.key, frozenset(p.data["fields"])))
    return found, checker


def _undefined_macro_value(checker: Checker, key: str, fields: frozenset[str]) -> bool:
    """Whether every named field holds only macros that the file does not define."""
    located = checker.index.entry(key)
    if located is None:
        return False
    entry = view(located[1])
    assert entry is not None
    for name in fields:
        f = entry.field(name)
        if f is None or f.value is None:
            return False
        pieces = f.value.pieces
        if not pieces or not all(
            p.kind is K.MACRO and p.text.lower() not in checker.index.strings for p in pieces
        ):
            return False
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TEXLIVE)))
def test_same_missing_fields_as_bibtex(path: Path) -> None:
    theirs = empty_field_warnings(path)
    found, checker = ours(path)
    # Nothing bibtex does not also report ...
    assert found - theirs == set()
    # ... and everything it reports, unless the field is an undefined macro.
    unexplained = {
        (key, fields)
        for key, fields in theirs - found
        if not _undefined_macro_value(checker, key, fields)
    }
    assert unexplained == set()
