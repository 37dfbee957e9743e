"""A `"` inside a quoted value (`title = "He said "hi""`): one located error naming
the inner quote, the value read as meant, and a quick fix both backends accept."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.features.fixes import Finding, fixes_for
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.syntax import parse
from bib_lsp.syntax.views import entry_view
from bib_lsp.text.edits import apply
from tests.backends import biber, bibtex, needs_biber, needs_bibtex

TEXT = '@misc{q,\n  title = "He said "hi"",\n  year = 2000,\n}\n'
FIXED = '@misc{q,\n  title = "He said {"hi"}",\n  year = 2000,\n}\n'


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_one_error_at_the_inner_quote(dialect: str) -> None:
    problems = Checker(Document(TEXT), RuleOptions(dialect=dialect)).diagnose()
    assert [p.code for p in problems] == ["quote-in-quoted-value"]
    (problem,) = problems
    assert problem.start == TEXT.index('"hi') and problem.end == problem.start + 1
    assert "ends the quoted value" in problem.message
    assert '`"He said {"hi"}"`' in problem.message


def test_the_value_is_read_as_meant_and_the_tree_is_lossless() -> None:
    tree = parse(TEXT)
    assert tree.tree_text() == TEXT
    start, block = next(iter(tree))
    entry = entry_view(block, start)
    assert entry is not None
    assert [f.name for f in entry.fields] == ["title", "year"]
    title = entry.fields[0].value
    assert title is not None and title.pieces[0].content == 'He said "hi"'


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ('"a "b" c"', '"a {"b"} c"'),
        ('"He said "hi"."', '"He said {"hi"}."'),
        ('"He said "hi"', '"He said {"}hi"'),
    ],
)
def test_other_shapes(value: str, meant: str) -> None:
    text = f"@misc{{q, title = {value}}}\n"
    problems = parse(text).problems()
    assert [p.code for p in problems] == ["quote-in-quoted-value"]
    assert f"`{meant}`" in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        '@misc{q, title = "x"y, z = "1"}\n',  # another field on the line: no guess
        '@misc{q, title = "a "b\n}\n',  # no closing quote on the line
        '@misc{q, title = "x" # y}\n',  # concatenation, no inner quote
    ],
)
def test_no_guess_when_the_line_does_not_say(text: str) -> None:
    assert "quote-in-quoted-value" not in [p.code for p in parse(text).problems()]


def test_the_quick_fix_puts_the_inner_quotes_in_braces() -> None:
    doc = Document(TEXT)
    checker = Checker(doc, RuleOptions(dialect="bibtex"))
    (problem,) = checker.diagnose()
    (fix,) = fixes_for(Finding(problem.code, problem.start, problem.end), doc, checker.index)
    assert fix.preferred and not fix.safe
    assert apply(TEXT, fix.edits) == FIXED
    assert Checker(Document(FIXED), RuleOptions(dialect="bibtex")).diagnose() == []


@needs_bibtex
def test_bibtex_ends_the_value_at_the_inner_quote_and_reads_the_fix_as_meant() -> None:
    run = bibtex(TEXT)
    assert "I was expecting a `,' or a `}'" in run.log
    assert "He said." in run.output and "hi" not in run.output
    fixed = bibtex(FIXED)
    assert "error" not in fixed.log.lower()
    assert 'He said {"hi"}, 2000.' in fixed.output


@needs_biber
def test_biber_rejects_the_entry_and_reads_the_fix_as_meant() -> None:
    run = biber(TEXT)
    assert 'found "hi"' in run.log and run.output.strip() == ""
    fixed = biber(FIXED)
    assert fixed.log == ""
    assert 'TITLE = {He said {"hi"}}' in fixed.output
