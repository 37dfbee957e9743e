"""dangling-reference, crossref-before-entry and crossref-chain."""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions
from tests.rules.helpers import located

CODES = ("dangling-reference", "crossref-before-entry", "crossref-chain")
BOOK = "author = {A}, title = {T}, publisher = {P}, year = 2000"


def found(text: str, dialect: str = "bibtex") -> list[tuple[str, str, int]]:
    return located(text, CODES, dialect)


def test_a_crossref_to_a_missing_key_is_flagged_on_the_key() -> None:
    text = f"@inbook{{c, crossref = {{tug2002}}, chapter = 1, {BOOK}}}\n@book{{tug2020, {BOOK}}}\n"
    assert found(text) == [("dangling-reference", "tug2002", 1)]
    (problem,) = [p for p in Checker(Document(text)).diagnose() if p.code == CODES[0]]
    assert problem.data == {"key": "tug2002"}
    assert problem.severity.value == "error"


def test_keys_match_without_regard_to_case() -> None:
    text = f"@inbook{{c, crossref = {{TUG}}, chapter = 1, {BOOK}}}\n@book{{tug, {BOOK}}}\n"
    assert found(text) == []


def test_biblatex_reference_lists_are_checked_key_by_key() -> None:
    text = (
        "@online{c, related = { a , nope}, xdata = {gone}, xref = {a}, url = {u}}\n"
        f"@book{{a, {BOOK}}}\n"
    )
    assert found(text, "biblatex") == [
        ("dangling-reference", "nope", 1),
        ("dangling-reference", "gone", 1),
    ]
    # In BibTeX these fields mean nothing: not checked.
    assert found(text, "bibtex") == []


def test_a_parent_above_its_child_is_flagged_for_bibtex_only() -> None:
    text = f"@book{{p, {BOOK}}}\n@inbook{{c, crossref = {{p}}, chapter = 1, {BOOK}}}\n"
    assert found(text) == [("crossref-before-entry", "p", 2)]
    assert found(text, "biblatex") == []
    below = f"@inbook{{c, crossref = {{p}}, chapter = 1, {BOOK}}}\n@book{{p, {BOOK}}}\n"
    assert found(below) == []


def test_a_parent_with_its_own_crossref_is_a_chain() -> None:
    text = (
        f"@inbook{{c, crossref = {{b}}, chapter = 1, {BOOK}}}\n"
        f"@book{{b, crossref = {{a}}, {BOOK}}}\n"
        f"@book{{a, {BOOK}}}\n"
    )
    assert found(text) == [("crossref-chain", "b", 1)]
    assert found(text, "biblatex") == []


def test_findings_follow_edits_of_the_parent() -> None:
    text = f"@inbook{{c, crossref = {{p}}, chapter = 1, {BOOK}}}\n@book{{q, {BOOK}}}\n"
    doc = Document(text)
    checker = Checker(doc, RuleOptions(dialect="bibtex"))
    assert [p.code for p in checker.diagnose()] == ["dangling-reference"]
    at = text.index("{q,") + 1
    checker.update(doc.edit(at, at + 1, "p"))
    assert checker.diagnose() == []
