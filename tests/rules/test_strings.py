"""undefined-macro, macro-defined-after-use and unused-macro."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions
from tests.rules.helpers import located

CODES = ("undefined-macro", "macro-defined-after-use", "unused-macro")


def found(text: str, dialect: str = "bibtex") -> list[tuple[str, str, int]]:
    return located(text, CODES, dialect)


def test_a_macro_without_a_definition_is_flagged_where_it_is_used() -> None:
    text = '@string{acm = "ACM"}\n@misc{k, note = acm # " and " # ieee, title = {T}}\n'
    assert found(text) == [("undefined-macro", "ieee", 2)]


def test_names_are_compared_without_regard_to_case() -> None:
    text = '@string{ACM = "ACM"}\n@misc{k, note = acm}\n'
    assert found(text) == []


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_month_macros_are_predefined(dialect: str) -> None:
    assert found("@misc{k, month = jan # {~1}, note = DEC}\n", dialect) == []


def test_plain_bst_journal_macros_count_for_bibtex_only() -> None:
    text = "@article{k, journal = cacm}\n"
    assert found(text, "bibtex") == []
    assert found(text, "biblatex") == [("undefined-macro", "cacm", 1)]


def test_a_misspelt_month_gets_a_hint() -> None:
    (problem,) = Checker(Document("@misc{k, month = january}\n")).diagnose()
    assert problem.code == "undefined-macro"
    assert "`jan` to `dec`" in problem.message
    assert problem.data == {"macro": "january"}


def test_a_use_above_the_definition_is_flagged_with_its_own_code() -> None:
    text = '@misc{k, note = later}\n@string{later = "L"}\n@misc{j, note = later}\n'
    assert found(text) == [("macro-defined-after-use", "later", 1)]


def test_a_string_using_a_string_defined_below_it() -> None:
    text = '@string{a = b # "x"}\n@string{b = "B"}\n@misc{k, note = a}\n'
    assert found(text) == [("macro-defined-after-use", "b", 1)]


def test_a_definition_anywhere_above_counts_even_if_another_is_below() -> None:
    text = '@string{m = "1"}\n@misc{k, note = m}\n@string{m = "2"}\n'
    assert found(text) == []


def test_an_unused_macro_is_a_hint_on_its_name() -> None:
    text = '@string{used = "U"}\n@string{spare = "S"}\n@misc{k, note = used}\n'
    doc = Document(text)
    (problem,) = [p for p in Checker(doc).diagnose() if p.code == "unused-macro"]
    assert text[problem.start : problem.end] == "spare"
    assert problem.severity.value == "hint"


def test_a_macro_library_without_entries_is_left_alone() -> None:
    assert found('@string{a = "A"}\n@string{b = "B"}\n') == []


def test_a_macro_used_only_by_itself_is_unused() -> None:
    text = '@string{a = a # "x"}\n@misc{k, title = {T}}\n'
    assert ("unused-macro", "a", 1) in found(text)


def test_findings_follow_edits_of_the_definitions() -> None:
    text = '@misc{k, note = m}\n\n@string{x = "X"}\n'
    doc = Document(text)
    checker = Checker(doc, RuleOptions(dialect="bibtex"))
    assert [p.code for p in checker.diagnose()] == ["undefined-macro", "unused-macro"]
    # Renaming the definition to `m`: the use is now defined after it is used.
    at = text.index("x =")
    checker.update(doc.edit(at, at + 1, "m"))
    assert [p.code for p in checker.diagnose()] == ["macro-defined-after-use"]
    # Moving the definition to the top: all is well.
    definition = '@string{m = "X"}\n'
    checker.update(doc.edit(doc.length - len(definition), doc.length, ""))
    checker.update(doc.edit(0, 0, definition))
    assert checker.diagnose() == []
