"""The typo suggestions for entry types and field names (bib_lsp.model.suggest)."""

from __future__ import annotations

import pytest

from bib_lsp.model.known_names import KNOWN_FIELDS, KNOWN_TYPES, METADATA_FIELDS
from bib_lsp.model.suggest import certain, one_slip, same_case, suggest


@pytest.mark.parametrize(
    ("name", "dialect", "types", "expected"),
    [
        ("artcle", "bibtex", True, "article"),
        ("yaer", "bibtex", False, "year"),  # letters swapped
        ("jounral", "biblatex", False, "journal"),
        ("subseries", "biblatex", False, None),  # a known name inside a longer one
        ("xmldata", "biblatex", False, None),  # more than a slip of the fingers
        ("gadget", "biblatex", True, None),
    ],
)
def test_suggest(name: str, dialect: str, types: bool, expected: str | None) -> None:
    assert suggest(name, dialect, types) == expected


def test_suggestions_are_known_names_of_the_dialect_but_never_metadata() -> None:
    for dialect in ("bibtex", "biblatex"):
        assert suggest("artcle", dialect, True) in KNOWN_TYPES[dialect]
        found = suggest("timestam", dialect, False)
        assert found is None or (found in KNOWN_FIELDS[dialect] and found not in METADATA_FIELDS)


@pytest.mark.parametrize(
    ("written", "expected"), [("TITEL", "TITLE"), ("Titel", "Title"), ("titel", "title")]
)
def test_same_case(written: str, expected: str) -> None:
    assert same_case(written, "title") == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("adress", "address", True),  # dropped
        ("urll", "url", True),  # added
        ("titke", "title", True),  # changed
        ("yaer", "year", True),  # neighbours swapped
        ("ab", "ba", True),
        ("abc", "cba", False),  # two changes
        ("abc", "abc", False),  # no slip at all
        ("ab", "abcd", False),
    ],
)
def test_one_slip(a: str, b: str, expected: bool) -> None:
    assert one_slip(a, b) is expected
    assert one_slip(b, a) is expected


@pytest.mark.parametrize(
    ("name", "suggestion", "dialect", "expected"),
    [
        ("adress", "address", "bibtex", True),
        ("jounral", "journal", "biblatex", True),
        ("ulr", "url", "bibtex", False),  # three letters: too short
        ("editon", "edition", "bibtex", False),  # `editor` is one slip away too
        ("jrnl", "journal", "bibtex", False),  # more than one slip
    ],
)
def test_certain(name: str, suggestion: str, dialect: str, expected: bool) -> None:
    assert certain(name, suggestion, dialect) is expected
