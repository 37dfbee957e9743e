"""The one pass over field values that the value rules share (bib_lsp.rules.value_pass)."""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.rules.registry import RULES
from bib_lsp.syntax.tree import Severity
from tests.rules.helpers import entry, found

CODES = (
    "bad-year",
    "bad-date",
    "bad-month",
    "bad-pages",
    "page-range-hyphen",
    "bad-isbn",
    "bad-issn",
    "bad-doi",
    "doi-as-url",
    "bad-url",
    "bad-name-list",
    "unescaped-special-char",
    "all-caps-title",
    "unprotected-acronym",
)


def test_every_code_is_registered_with_the_expected_severity() -> None:
    information = {"page-range-hyphen", "all-caps-title", "unprotected-acronym"}
    for code in CODES:
        wanted = Severity.INFORMATION if code in information else Severity.WARNING
        assert RULES[code].doc.severity is wanted, code


def test_damaged_entries_are_skipped() -> None:
    assert found("@article{k, year = {92}, title = {A & B}", "bad-year") == []


def test_findings_are_cached_per_dialect() -> None:
    document = Document(entry("pages = {12-19}"))
    checker = Checker(document, RuleOptions(dialect="bibtex"))
    assert [p.code for p in checker.diagnose() if p.code == "page-range-hyphen"] == [
        "page-range-hyphen"
    ]
    checker.options = RuleOptions(dialect="biblatex")
    assert [p.code for p in checker.diagnose() if p.code == "page-range-hyphen"] == []
