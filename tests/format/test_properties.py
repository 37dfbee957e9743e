"""Formatting properties over generated files and option sets: the meaning is
kept, formatting twice gives what formatting once gave, broken entries stay byte
for byte, and the edits are minimal (never the whole document for a small change)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.formatting import FormatOptions, format_edits, format_text
from bib_lsp.formatting.engine import _newline
from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from tests.document.strategies import SMALL_FRAGMENTS
from tests.format.options import options
from tests.meaning import kept_by_formatting

FRAGMENTS = [
    *SMALL_FRAGMENTS,
    "@article{k1,\n  author = {A. Writer and B. Other},\n  title = {{DNA} in \\TeX},\n}\n",
    '@Book{K2, Title="Quoted {"}" , YEAR = 1999 , pages={1-5},}',
    "@inproceedings{k3, booktitle = {{Proc.}} # { of } # conf, crossref = {k2}}\n",
    "@misc{k4,\n  % bib-lsp: ignore[empty-field]\n  note = {},\n  % trailing comment\n}\n",
    "@misc{k5, title = {a\n    long\n    value}, url = {http://x.org/a_b}}",
    '@string{conf = "Conference"}\n',
    '@preamble{ "\\newcommand{\\noopsort}[1]{}" # {x} }\n',
    "@misc{k6}",
    "@misc{k7, title = {unclosed\n",
    "@misc{k8, title = {T} note = {missing comma}}\n",
    "% a comment line\n",
    "\n\n\n",
    "  \t\n",
    "@misc(k9, year = 2000)",
    "@misc{k10, title = {A} % comment in a value\n # {B}}",
]

texts = st.lists(st.sampled_from(FRAGMENTS), max_size=10).map("".join)
crlf = st.booleans()


@settings(max_examples=1000, deadline=None)
@given(texts, crlf, options)
def test_formatting_keeps_meaning_and_is_idempotent(
    text: str, windows: bool, chosen: FormatOptions
) -> None:
    if windows:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    once = format_text(text, chosen)
    assert kept_by_formatting(once, chosen) == kept_by_formatting(text, chosen)
    assert format_text(once, chosen) == once
    for _, block in parse(text):
        if block.problems and block.kind is not K.JUNK_BLOCK:  # broken entries as they were
            assert block.text.rstrip() in once


@settings(max_examples=100, deadline=None)
@given(texts)
@example("\r\n@misc{k10, title = {A} % comment in a value\n # {B}}")
def test_edits_touch_only_what_changes(text: str) -> None:
    tidy = format_text(text)
    # The new entry ends with the file's line break: one of the other kind could
    # turn which kind most of the file's lines end with, and so all of them.
    newline = "\r\n" if _newline(Document(tidy)) == "\r\n" else "\n"
    doc = Document(tidy + "@misc{new,title={T}}" + newline)
    edits = format_edits(doc)
    assert all(edit.start >= len(tidy) - 1 for edit in edits)  # only the new entry


# Entries aligned every way formatting writes them, and by hand (blanks anywhere),
# some broken (kept as written, so their alignment stays a habit of the file).
NAMES = ["id", "url", "year", "title", "author", "journal", "keywords", "shorthand", "shortauthor"]


@st.composite
def aligned_entry(draw: st.DrawFn) -> str:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=5))
    how = draw(st.sampled_from(["none", "equals", "values", "per-entry", "by hand"]))
    column = draw(st.integers(2, 16))
    longest = max(len(n) for n in names)
    lines = []
    for name in names:
        if how == "equals":
            head = name + " " * max(1, column - len(name)) + "= "
        elif how == "values":
            head = f"{name} =" + " " * max(1, column - len(name) - 2)
        elif how == "per-entry":
            head = name + " " * (longest - len(name) + 1) + "= "
        elif how == "by hand":
            head = name + " " * draw(st.integers(0, 3)) + "=" + " " * draw(st.integers(0, 3))
        else:
            head = f"{name} = "
        lines.append(draw(st.sampled_from(["  ", "    ", "\t"])) + head + "{x}")
    comma = draw(st.sampled_from([",\n"] * 5 + ["\n"]))  # "\n": a syntax error
    return "@misc{k,\n" + comma.join(lines) + "\n}\n"


@settings(max_examples=1000, deadline=None)
@given(st.lists(aligned_entry(), min_size=2, max_size=8).map("\n".join), options)
def test_auto_alignment_formats_to_a_fixed_point(text: str, chosen: FormatOptions) -> None:
    """What the file's entries mostly do is what formatting's own output mostly
    does: formatting it again changes nothing."""
    chosen = replace(chosen, align="auto")
    once = format_text(text, chosen)
    assert format_text(once, chosen) == once
