"""`%` outside entries: BibTeX 0.99 reads an `@` after it as an entry, biber (btparse)
reads the rest of the line as a comment. Both readings, against the real tools."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Severity
from tests.backends import biber, biber_keys, bibtex, bibtex_keys, needs_biber, needs_bibtex
from tests.syntax.test_fuzz import ALPHABET, FRAGMENTS
from tests.syntax.test_locality import SUFFIXES

OLD_ABOVE = "%@misc{old, title = {Old}}\n@misc{old, title = {New}, year = 2000}\n"
TEMPLATE = "%@article{tmpl,\n%  title = {T},\n%}\n@misc{real, title = {Real}, year = 2000}\n"
MAINTAINER = (
    "% Maintainer: Jane <jane@example.org>\n% licence: http://x}\n"
    "@misc{real, title = {Real}, year = 2000}\n"
)
MID_LINE = (
    "junk % @misc{x, title = {X}}\n@misc{a, title = {A}} % @misc{b, title = {B}}\n"
    "@misc{c, title = {C}}\n"
)


def codes(text: str, dialect: str) -> list[str]:
    problems = Checker(Document(text), RuleOptions(dialect=dialect)).diagnose()
    return [p.code for p in problems]


# -- the two readings ------------------------------------------------------------------


@pytest.mark.parametrize("text", [OLD_ABOVE, TEMPLATE, MAINTAINER, MID_LINE])
def test_biber_reading_finds_no_entry_on_a_comment_line(text: str) -> None:
    tree = parse(text, biber_comments=True)
    assert tree.tree_text() == text
    assert tree.problems() == []
    entries = [b.text for b in tree.blocks if b.kind is not K.JUNK_BLOCK]
    assert all(not any(line.lstrip().startswith("%") for line in e.splitlines()) for e in entries)


def test_bibtex_reading_reads_the_entry_and_says_biber_would_not() -> None:
    tree = parse(OLD_ABOVE)
    assert [b.kind for b in tree.blocks][:2] == [K.JUNK_BLOCK, K.ENTRY]
    (problem,) = tree.problems()
    assert (problem.code, problem.start, problem.end) == ("commented-out-entry", 0, 1)
    assert problem.severity is Severity.INFORMATION
    assert "biber reads the rest of the line as a comment" in problem.message


@pytest.mark.parametrize("text", [OLD_ABOVE, TEMPLATE, MAINTAINER])
def test_the_biblatex_dialect_reports_nothing_on_comment_lines(text: str) -> None:
    assert codes(text, "biblatex") == []


def test_the_bibtex_dialect_keeps_bibtex_reading() -> None:
    assert codes(OLD_ABOVE, "bibtex") == ["commented-out-entry", "duplicate-key", "duplicate-key"]
    found = codes(TEMPLATE, "bibtex")
    assert found[0] == "commented-out-entry" and "unbalanced-braces" in found
    found = codes(MAINTAINER, "bibtex")
    assert found[:2] == ["commented-out-entry", "missing-entry-body"]


def test_a_brace_in_a_comment_line_is_no_stray_brace_for_biber() -> None:
    assert parse("% licence: http://x}\n", biber_comments=True).problems() == []
    assert [p.code for p in parse("licence: http://x}\n", biber_comments=True).problems()] == [
        "unbalanced-braces"
    ]


_texts = st.one_of(
    st.lists(st.sampled_from(ALPHABET), max_size=200).map("".join),
    st.lists(st.sampled_from([*FRAGMENTS, "%", "% x @y{", "\n%@misc{a,"]), max_size=40).map(
        "".join
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts)
def test_biber_reading_is_lossless_and_local(text: str) -> None:
    from bib_lsp.syntax.parser import parse_block

    tree = parse(text, biber_comments=True)
    assert tree.tree_text() == text
    for start, block in tree:
        end = start + len(block.text)
        if end == len(text):
            continue
        for suffix in SUFFIXES:
            again = parse_block(text[: end + 1] + suffix, start, biber_comments=True)
            assert (again.end, again.node, tuple(again.problems)) == (
                end,
                block.node,
                block.problems,
            )


# -- the dialect chooses the reading ---------------------------------------------------


def test_auto_dialect_ignores_entries_on_comment_lines_as_evidence() -> None:
    # A biblatex-only type in a commented-out entry does not make the file biblatex.
    text = "%@online{tmpl, url = {u}}\n@book{b, title = {T}, author = {A}, year = 1990}\n"
    checker = Checker(Document(text))
    assert checker.dialect == "bibtex"
    assert not checker.document.biber_comments
    assert "commented-out-entry" in [p.code for p in checker.diagnose()]


def test_auto_dialect_biblatex_reads_comment_lines_as_biber() -> None:
    text = OLD_ABOVE + "@online{web, title = {W}, url = {https://example.org}, date = {2020}}\n"
    checker = Checker(Document(text))
    assert checker.dialect == "biblatex"
    assert checker.document.biber_comments
    assert "duplicate-key" not in [p.code for p in checker.diagnose()]


def test_changing_the_dialect_reads_the_text_again() -> None:
    doc = Document(OLD_ABOVE)
    checker = Checker(doc, RuleOptions(dialect="bibtex"))
    assert [p.code for p in checker.diagnose()].count("duplicate-key") == 2
    checker.options = RuleOptions(dialect="biblatex")
    assert doc.biber_comments
    assert [p.code for p in checker.diagnose()] == []
    assert doc.text == OLD_ABOVE
    checker.options = RuleOptions(dialect="bibtex")
    assert [p.code for p in checker.diagnose()].count("duplicate-key") == 2


def test_an_edit_that_makes_the_file_biblatex_switches_the_reading() -> None:
    doc = Document(OLD_ABOVE)
    checker = Checker(doc)
    assert checker.dialect == "bibtex" and "duplicate-key" in [p.code for p in checker.diagnose()]
    end = doc.length
    checker.update(
        doc.edit(
            end, end, "@online{web, title = {W}, url = {https://example.org}, date = {2020}}\n"
        )
    )
    assert checker.dialect == "biblatex" and doc.biber_comments
    assert [p.code for p in checker.diagnose()] == []
    fresh = Checker(Document(doc.text)).diagnose()
    assert checker.diagnose() == fresh


# -- the real tools --------------------------------------------------------------------


@needs_biber
def test_biber_ignores_entries_on_comment_lines() -> None:
    assert biber_keys(OLD_ABOVE) == ["old"]
    assert "New" in biber(OLD_ABOVE).output and "Old" not in biber(OLD_ABOVE).output
    assert biber_keys(TEMPLATE) == ["real"]
    run = biber(MAINTAINER)
    assert biber_keys(MAINTAINER) == ["real"] and run.log == ""
    assert sorted(biber_keys(MID_LINE)) == ["a", "c"]


@needs_bibtex
def test_bibtex_reads_entries_on_comment_lines() -> None:
    run = bibtex(OLD_ABOVE)
    assert "Repeated entry" in run.log  # the `%` line's entry came first
    assert "Old" in run.output and "New" not in run.output
    assert sorted(bibtex_keys(TEMPLATE)) == ["real", "tmpl"]
    assert sorted(bibtex_keys(MID_LINE)) == ["a", "b", "c", "x"]


def test_formatting_keeps_a_commented_out_entry_on_its_line() -> None:
    # Spread over lines, its fields would come out of biber's comment.
    from bib_lsp.formatting.engine import format_text

    text = "%@misc{a, t={1}} @misc{b, t={2}}\n@misc{c,t={3}}\n"
    assert format_text(text) == "%@misc{a, t={1}} @misc{b, t={2}}\n@misc{c,\n  t = {3}\n}\n"
    assert format_text(TEMPLATE).startswith("%@article{tmpl,\n%  title = {T},\n%}\n")
