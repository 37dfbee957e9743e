"""bad-key, bad-field-name and entries-on-last-line."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions, diagnose
from bib_lsp.syntax.tree import Severity
from tests.backends import biber, bibtex, bibtex_keys, needs_biber, needs_bibtex
from tests.rules.helpers import expect, found, messages, spans

# -- bad-key ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("o'neil", "key `o'neil` contains `'`: biber cannot read it"),
        ("a(b)", "key `a(b)` contains `(` and `)`: biber cannot read it"),
        ("a~b", "key `a~b` contains `~`: `\\cite` fails on it"),
        ("a\\b", "key `a\\b` contains `\\`: biber cannot read it and `\\cite` fails on it"),
        ("a'~", "key `a'~` contains `'` and `~`: biber cannot read it and `\\cite` fails on it"),
        ("a\x01b", "key `a?b` contains the control character U+0001: biber cannot read it"),
        ("a\x7fb", "key `a?b` contains the control character U+007F: biber cannot read it"),
    ],
)
def test_keys_with_characters_biber_or_latex_reject(key: str, message: str) -> None:
    text = f"@misc{{{key}, title = {{T}}}}\n"
    assert messages(text, "bad-key", "auto") == [(key, message)]


@pytest.mark.parametrize(
    "key",
    [
        "knuth84",
        "Knuth:1984:TB",
        "doe-2020_a.b/c+d",
        "müller2020",
        "a@b",
        "a[1]",
        "x&y$z^w!?|<>*`;",
        "2020",
    ],
)
def test_keys_every_tool_accepts(key: str) -> None:
    assert messages(f"@misc{{{key}, title = {{T}}}}\n", "bad-key", "auto") == []


def test_bad_key_is_an_error_on_the_key() -> None:
    marked = "@string{a = {x}}\n@book{«o'neil»,\n  title = {T},\n}\n"
    problems = expect(marked, "bad-key", "auto")
    assert [p.severity for p in problems] == [Severity.ERROR]


def test_keys_the_parser_already_cuts_short_are_left_to_the_parser() -> None:
    # `,{}=#"%` and white space end the key; the parser reports what follows.
    for text in ("@misc{a#b, title = {T}}\n", "@misc{a{b, title = {T}}\n", "@misc{, x = {T}}\n"):
        codes = {p.code for p in diagnose(Document(text))}
        assert "bad-key" not in codes
        assert codes


def test_no_key_check_in_string_or_comment_entries() -> None:
    assert messages('@comment{o\'neil}\n@preamble{"x~y"}\n', "bad-key", "auto") == []


# -- bad-field-name ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("2ndauthor", "field name `2ndauthor` cannot start with a digit"),
        ("0", "field name `0` cannot start with a digit"),
        ("ti\\tle", "field name `ti\\tle` contains `\\`: biber cannot read it"),
        ("ti\x01tle", "field name `ti?tle` contains the control character U+0001"),
        ("ti\x7ftle", "field name `ti?tle` contains the control character U+007F"),
    ],
)
def test_field_names_bibtex_or_biber_reject(field: str, message: str) -> None:
    text = f"@misc{{k,\n  title = {{T}},\n  {field} = {{x}},\n}}\n"
    problems = found(text, "bad-field-name", "auto")
    assert [(text[p.start : p.end], p.message, p.severity) for p in problems] == [
        (field, message, Severity.ERROR)
    ]
    assert problems[0].start == text.index(field)


@pytest.mark.parametrize(
    "field", ["title", "t1", "ti.tle", "ti-tle", "ti:tle", "ti@tle", "tié", "ti_tle", "ti+tle"]
)
def test_field_names_both_accept(field: str) -> None:
    assert messages(f"@misc{{k, {field} = {{x}}}}\n", "bad-field-name", "auto") == []


def test_macro_names_are_checked_too() -> None:
    text = '@string{1st = "First"}\n'
    assert messages(text, "bad-field-name", "auto") == [
        ("1st", "macro name `1st` cannot start with a digit")
    ]


def test_a_field_the_parser_reported_is_not_reported_again() -> None:
    # `2020` without `=` is a missing-equals already.
    text = "@misc{k, title = {T}, 2020}\n"
    assert messages(text, "bad-field-name", "auto") == []
    assert "missing-equals" in {p.code for p in diagnose(Document(text))}


# -- entries-on-last-line ---------------------------------------------------------------

A = "@misc{a, title = {A}}"
B = "@misc{b, title = {B}}"
C = "@misc{c, title = {C}}"
MESSAGE = (
    "BibTeX ignores this and the rest of the line: it stops reading after an entry that "
    "ends on the last line of the file"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Facts from BibTeX 0.99d: which entries it drops.
        (f"{A} {B}", [B]),
        (f"{A} {B}\n", [B]),  # a final LF does not help: the line before it is the last
        (f"{A} {B}\r", [B]),  # nor does a lone CR
        (f"x\n{A} {B} {C}", [f"{B} {C}"]),
        (f"{A} {B}   ", [B]),  # the range ends before trailing blanks
        (f"{A} {B} % note", [f"{B} % note"]),
        (f"{A}\t{B}\n", [B]),
        (f"{A},{B}\n", [B]),
        (f"@misc{{a,\n title = {{A}}}} {B}", [B]),  # the first entry began on an earlier line
        ("@comment{x} " + B, [B]),  # BibTeX stops right after the word `comment`
        ('@string{x = "y"} ' + B, [B]),
        ('@preamble{"y"} ' + B, [B]),
        ("@misc{a title = {A}} " + B, [B]),  # a broken entry on the line stops it too
        ("x@y.org " + B, [B]),
        (f"{A} @comment{{x}} {B}", [B]),  # dropping a comment loses nothing
    ],
)
def test_entries_bibtex_drops_at_the_end_of_the_file(text: str, expected: list[str]) -> None:
    assert messages(text, "entries-on-last-line", "auto") == [(e, MESSAGE) for e in expected]


@pytest.mark.parametrize(
    "text",
    [
        f"{A} {B}\r\n",  # BibTeX leaves the LF of a final CR LF unread and reads on
        f"{A} {B}\n\n",  # the last line is the empty one
        f"{A} {B}\n   ",
        f"{A}\n{B}",
        f"{A}\n{B}\n",
        f"{A} {B}\n{C}\n",  # not the last line
        f"x\r\n{A} {B}\r\n",
        f"{A} @comment{{x}}",
        f"{A} junk",
        f"{A} {{x}}",
        "@misc{b, title = {B}} @misc{c,\n title = {C}}",  # c ends on the next line
        f"@comment{{x\n}} {B}",  # BibTeX's @comment ended on the first line
        f"@misc{{a,\n title = {{A}} {B}",  # a broken entry ran into the line
        "",
        "\n",
        "x",
        A,
    ],
)
def test_entries_bibtex_reads(text: str) -> None:
    assert messages(text, "entries-on-last-line", "auto") == []


def test_entries_on_last_line_is_a_warning_and_follows_edits() -> None:
    doc = Document(f"{A}\n{B}\n")
    checker = Checker(doc)
    assert [p for p in checker.diagnose() if p.code == "entries-on-last-line"] == []
    checker.update(doc.edit(len(A), len(A) + 1, " "))  # join the two lines
    problems = [p for p in checker.diagnose() if p.code == "entries-on-last-line"]
    assert [(doc.slice(p.start, p.end), p.severity) for p in problems] == [(B, Severity.WARNING)]
    checker.update(doc.edit(doc.length, doc.length, "@misc{c, title = {C}}\n"))
    assert [p for p in checker.diagnose() if p.code == "entries-on-last-line"] == []


def test_a_long_last_line_is_looked_at_only_so_far() -> None:
    # Many comments before the first dropped entry: the check gives up, and says nothing.
    text = A + " @comment{x}" * 100 + " " + B
    assert messages(text, "entries-on-last-line", "auto") == []
    text = A + " @comment{x}" * 10 + " " + B
    assert spans(text, "entries-on-last-line", "auto") == [B]


def test_the_range_ends_before_a_long_run_of_trailing_blanks() -> None:
    text = f"{A} {B}" + " \t" * 300 + "\n"
    assert spans(text, "entries-on-last-line", "auto") == [B]


def test_entries_on_last_line_is_for_bibtex_only() -> None:
    from bib_lsp.rules import RuleOptions

    text = "@misc{first, title = {One}} @misc{second, title = {Two}}"
    bibtex = Checker(Document(text), RuleOptions(dialect="bibtex")).diagnose()
    assert [p.code for p in bibtex] == ["entries-on-last-line"]
    biblatex = Checker(Document(text), RuleOptions(dialect="biblatex")).diagnose()
    assert "entries-on-last-line" not in {p.code for p in biblatex}


# -- equals-in-key ---------------------------------------------------------------------

ABNT = "@misc{abnt-and-type=e,\n  title = {Untitled},\n}\n@misc{other, title = {T}}\n"


def test_a_key_with_equals_is_a_key_in_the_bibtex_dialect() -> None:
    problems = Checker(Document(ABNT), RuleOptions(dialect="bibtex")).diagnose()
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    assert not {"missing-key", "equals-in-key"} & {p.code for p in problems}


def test_a_key_with_equals_is_an_error_at_the_equals_in_the_biblatex_dialect() -> None:
    marked = "@misc{abnt-and-type«=»e,\n  title = {Untitled},\n}\n"
    (problem,) = expect(marked, "equals-in-key", "biblatex")
    assert problem.severity is Severity.ERROR
    assert "stops at this `=`" in problem.message
    assert "missing-key" not in {
        p.code for p in found(marked.replace("«", "").replace("»", ""), None, "biblatex")
    }


@pytest.mark.parametrize(
    "text", ["@misc{title = {x}}\n", "@misc{title={x}}\n", "@misc{a=, year = 1}\n"]
)
def test_a_field_where_the_key_should_be_is_still_a_missing_key(text: str) -> None:
    assert "missing-key" in {p.code for p in found(text, None, "bibtex")}


@needs_bibtex
def test_bibtex_reads_a_key_with_equals() -> None:
    assert sorted(bibtex_keys(ABNT)) == ["abnt-and-type=e", "other"]


@needs_biber
def test_biber_rejects_a_key_with_equals_at_the_equals() -> None:
    run = biber(ABNT)
    assert 'found "=", expected ","' in run.log
    assert "abnt-and-type" not in run.output


# -- comment-in-entry ------------------------------------------------------------------

COMMENTED = (
    "@misc{c,\n  title = {T},\n  % checked\n  note = {N},\n  year = 2000,\n}\n"
    "@misc{d, title = {D}, year = 2001}\n"
)


def test_a_comment_inside_an_entry_is_reported_in_the_bibtex_dialect() -> None:
    marked = COMMENTED.replace("% checked", "«% checked»")
    (problem,) = expect(marked, "comment-in-entry", "bibtex")
    assert problem.severity is Severity.WARNING
    assert "skips the rest of the entry, so the 2 fields after it are lost" in problem.message


def test_only_the_first_comment_of_an_entry_is_reported() -> None:
    text = "@misc{c, % one\n  title = {T}, % two\n}\n"
    (problem,) = found(text, "comment-in-entry", "bibtex")
    assert "though no field comes after it" not in problem.message
    assert text[problem.start : problem.end] == "% one"
    last = "@misc{c,\n  title = {T},\n  % end\n}\n"
    (problem,) = found(last, "comment-in-entry", "bibtex")
    assert "though no field comes after it" in problem.message


def test_a_comment_inside_an_entry_is_fine_for_biblatex() -> None:
    assert found(COMMENTED, "comment-in-entry", "biblatex") == []


@needs_bibtex
def test_bibtex_skips_the_rest_of_an_entry_after_a_comment() -> None:
    run = bibtex(COMMENTED)
    assert "You're missing a field name" in run.log
    assert "I'm skipping whatever remains of this entry" in run.log
    item = run.output.split("\\bibitem{c}", 1)[1].split("\\bibitem", 1)[0]
    assert "T." in item and "N" not in item and "2000" not in item


@needs_biber
def test_biber_reads_a_comment_inside_an_entry_as_a_comment() -> None:
    run = biber(COMMENTED)
    assert run.log == ""
    assert "NOTE = {N}" in run.output and "DATE = {2000}" in run.output
