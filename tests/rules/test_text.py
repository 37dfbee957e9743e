"""unescaped-special-char, all-caps-title and unprotected-acronym (bib_lsp.rules.text)
on inline entries, with their ranges."""

from __future__ import annotations

import pytest

from tests.rules.helpers import entry, expect, found


def test_unescaped_special_char_sits_on_the_character() -> None:
    marked = entry("title = {Examples «&» 50«%» of $x_1$ a«_»b}")
    problems = expect(marked, "unescaped-special-char")
    assert problems[0].message == "`title` has an unescaped `&` (write `\\&`)"


def test_special_chars_outside_text_fields_are_fine() -> None:
    text = entry("url = {http://a.org/x_y%20}, doi = {10.1000/a_b}, note = {\\url{http://a_b}}")
    assert found(text, "unescaped-special-char") == []
    assert found('@preamble{ "\\def\\a#1{#1}" }', "unescaped-special-char") == []
    assert found('@string{s = "A & B"}', "unescaped-special-char") == []
    assert found(entry("bibsource = {a_b}"), "unescaped-special-char") == []


def test_unbalanced_dollar() -> None:
    (problem,) = expect(entry("note = {costs «$»5}"), "unescaped-special-char")
    assert "never closes" in problem.message


def test_all_caps_title() -> None:
    marked = entry("title = { «A BOOK OF EXAMPLES» }", "book")
    for dialect in ("bibtex", "biblatex"):
        expect(marked, "all-caps-title", dialect)
    expect(marked.replace("«", "").replace("»", ""), "unprotected-acronym")  # one finding
    expect(entry("title = {The {NASA} Way}"), "all-caps-title")
    expect(entry("journal = {JOURNAL OF EXAMPLES}"), "all-caps-title")


def test_unprotected_acronym_sits_on_the_word_with_a_fix() -> None:
    marked = entry("title = {Examples from «NASA» and {IBM} with «\\LaTeX»}")
    problems = expect(marked, "unprotected-acronym")
    assert [p.data for p in problems] == [{"replace": "{NASA}"}, {"replace": "{\\LaTeX}"}]
    assert problems[0].message == ("`title`: NASA is lower-cased by styles that do (write {NASA})")


@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        (entry("title = {Examples from NASA}"), "biblatex"),  # styles keep the case
        (entry("title = {Examples from NASA}", "book"), "bibtex"),  # plain.bst keeps it
        (entry("booktitle = {Proceedings of NASA}", "inproceedings"), "bibtex"),
        (entry("journal = {NASA Tech Briefs}"), "bibtex"),
        (entry("title = {Examples from {NASA}}"), "bibtex"),
    ],
)
def test_unprotected_acronym_not_reported(text: str, dialect: str) -> None:
    assert found(text, "unprotected-acronym", dialect) == []
