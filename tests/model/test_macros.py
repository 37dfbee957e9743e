"""The predefined macros (bib_lsp.model.macros): the one list of month names and
what is derived from it."""

from __future__ import annotations

from bib_lsp.model.macros import (
    ENGLISH_MONTHS,
    MONTH_NAMES,
    MONTH_NUMBERS,
    MONTHS,
    PLAIN_BST_MACROS,
    predefined,
    predefined_text,
)


def test_months_in_order_with_their_macros_and_numbers() -> None:
    assert list(MONTH_NAMES)[:2] == ["jan", "feb"]
    assert list(MONTH_NAMES.values())[-1] == "December"
    assert frozenset(MONTH_NAMES) == MONTHS
    assert {name: n for n, name in enumerate(MONTH_NAMES, 1)} == MONTH_NUMBERS
    assert MONTH_NUMBERS["sep"] == 9


def test_english_months_take_macros_full_names_and_sept() -> None:
    assert ENGLISH_MONTHS["mar"] == ENGLISH_MONTHS["march"] == 3
    assert ENGLISH_MONTHS["sept"] == 9
    assert len(ENGLISH_MONTHS) == 12 + 11 + 1  # `may` is both


def test_predefined_per_dialect() -> None:
    assert predefined("biblatex") == MONTHS
    assert predefined("bibtex") == MONTHS | PLAIN_BST_MACROS
    assert "cacm" in predefined("bibtex")
    assert predefined_text("cacm", "bibtex") == "Communications of the ACM"
    assert predefined_text("cacm", "biblatex") is None
    assert predefined_text("may", "biblatex") == "May"
