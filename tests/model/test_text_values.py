"""The validators of printed text (bib_lsp.model.text_values): name lists, special
characters, capitals."""

from __future__ import annotations

from bib_lsp.model import text_values as tv

# ------------------------------------------------------------------------------ name lists


def _names(text: str) -> list[tuple[str, str]]:
    return [(text[p.start : p.end], p.message) for p in tv.check_name_list(text)]


def test_good_name_lists() -> None:
    assert _names("Doe, Jane and Roe, Richard") == []
    assert _names("Doe, Jr., Jane and others") == []
    assert _names("{Barnes and Noble, Inc.} and Jane Doe") == []
    assert _names("Jane Doe AND Richard Roe") == []
    assert _names("Anderson, Sandra and Band, Alex") == []


def test_bad_name_lists() -> None:
    assert _names("and Jane Doe") == [("and", "starts with `and`")]
    assert _names("Jane Doe and") == [("and", "ends with `and`")]
    assert _names("Jane Doe and and Richard Roe") == [("and", "has `and` twice in a row")]
    assert _names("Doe, J., Roe, R., Poe, E.") == [
        ("Doe, J., Roe, R., Poe, E.", "a name has 5 commas (names are separated by `and`)")
    ]
    text = "A. Smith and Doe, J., Roe, R."
    assert _names(text) == [
        ("Doe, J., Roe, R.", "a name has 3 commas (names are separated by `and`)")
    ]


# ------------------------------------------------------------------------------ special chars


def _special(text: str) -> list[tuple[int, str, bool]]:
    return [(s.offset, s.char, s.unbalanced) for s in tv.find_special_chars(text)]


def test_escaped_and_math_characters_are_fine() -> None:
    assert _special(r"A \& B, 50\%, \$5, \#1, a\_b") == []
    assert _special(r"On $x_1$ and $$y_2$$") == []
    assert _special(r"See \url{http://a.org/x_y%20#z} and \href{http://a_b}{text}") == []
    assert _special(r"See \path=http://a.org/x_y= now") == []


def test_unescaped_characters_are_located() -> None:
    assert _special("A & B") == [(2, "&", False)]
    assert _special("50% of a_b") == [(2, "%", False), (8, "_", False)]
    assert _special(r"line\\& more") == [(6, "&", False)]  # \\ is a line break
    assert _special("#1") == [(0, "#", False)]
    assert _special(r"\href{http://a}{a & b}") == [(18, "&", False)]
    assert _special("costs $5") == [(6, "$", True)]
    assert _special("$a$ and $b") == [(8, "$", True)]
    assert _special("$a & b$") == [(3, "&", False)]


# ------------------------------------------------------------------------------ capitals


def _words(text: str) -> list[str]:
    return [w.text for w in tv.unprotected_words(text)]


def test_unprotected_words_skip_braces_and_accents() -> None:
    assert _words(r"The {NASA} way of \TeX: {\em BIG} \'Ecole") == [
        "The",
        "way",
        "of",
        "\\TeX",
    ]
    assert tv.capitals("McDonald") == 2


def test_all_caps() -> None:
    assert tv.is_all_caps(tv.unprotected_words("A BOOK OF EXAMPLES"))
    assert tv.is_all_caps(tv.unprotected_words("THE {\\TeX}BOOK AND MORE"))
    assert not tv.is_all_caps(tv.unprotected_words("NASA"))  # one word: an acronym
    assert not tv.is_all_caps(tv.unprotected_words("The NASA Way"))
    assert not tv.is_all_caps(tv.unprotected_words("{A BOOK OF EXAMPLES}"))


def test_keys_in_cite_and_ref_are_not_text() -> None:
    # Found in review: `note = {see \cite{a_b}}` was flagged for its `_`.
    from bib_lsp.model.text_values import find_special_chars

    assert find_special_chars(r"see \cite{a_b} and \ref{fig_1}") == []
    assert [s.char for s in find_special_chars(r"see \cite{a_b} and A_B")] == ["_"]
