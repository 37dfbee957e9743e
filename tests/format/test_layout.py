"""Formatting with the defaults follows the file's own habits, so a consistently
written file is left as it is; options override them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bib_lsp.document.io import read_bib
from bib_lsp.formatting import FormatOptions, format_text

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "texlive"

BEEBE = (  # values in one column after `name =`
    "@Article{a,\n"
    '  author =       "A. Writer",\n'
    '  title =        "On X",\n'
    "  acknowledgement = ack-nhfb,\n"
    "}\n\n"
    "@Book{b,\n"
    '  author =       "B. Writer",\n'
    '  publisher =    "P",\n'
    "  year = 2001}\n"
)
COLUMN = (  # `=` in one column for the whole file
    "@article{a,\n  author       = {A},\n  title        = {T},\n}\n\n"
    "@book{b,\n  editor       = {E},\n  publisher    = {P},\n  year={2001}}\n"
)
PER_ENTRY = (  # `=` after each entry's longest name
    "@article{a,\n    author = {A},\n    title  = {T},\n}\n\n"
    "@book{b,\n    editor    = {E},\n    publisher = {P}, year = 2001}\n"
)


def test_values_in_one_column() -> None:
    out = format_text(BEEBE)
    assert out.startswith(BEEBE.split("@Book")[0])  # the tidy entry is untouched
    assert out.endswith('  publisher =    "P",\n  year =         2001\n}\n')


def test_equals_in_one_column() -> None:
    out = format_text(COLUMN)
    assert out.endswith("  publisher    = {P},\n  year         = {2001}\n}\n")


def test_equals_after_the_longest_name_with_the_files_indent() -> None:
    out = format_text(PER_ENTRY)
    assert out.endswith("    publisher = {P},\n    year      = 2001\n}\n")


def test_options_override_habits() -> None:
    out = format_text(BEEBE, FormatOptions(indent="\t", align=0))
    assert '@Book{b,\n\tauthor = "B. Writer",\n\tpublisher = "P",\n\tyear = 2001\n}' in out


# `=` in one column, `shortauthor` too long for it (one blank before its `=`);
# `d` has a syntax error (no comma after `title`), so it stays as written, values
# in one column.
OVERFLOW = (
    "@book{a,\n  title = {T},\n  keywords = {K},\n  shortauthor = {S},\n}\n\n"
    "@book{b,\n  editor    = {E},\n  title     = {T},\n  shorthand = {S},\n}\n\n"
    "@book{c,\n  author    = {A},\n  year      = {2000},\n  shorthand = {S},\n}\n\n"
    "@book{d,\n  author =    {A},\n  year =      {2000},\n"
    "  title =     {T}\n  note =      {N},\n}\n"
)


def test_a_name_too_long_for_the_column_keeps_the_column() -> None:
    """The entry formatting aligns (`=` in column 10, `shortauthor = ` past it)
    reads as `=` in column 10 the next time, not as values in column 12: the
    second formatting used to turn the whole file into `name =` and values
    aligned (fuzz/regressions/formatting/crash-c6c44d81…)."""
    once = format_text(OVERFLOW)
    assert once.startswith("@book{a,\n  title     = {T},\n  keywords  = {K},\n  shortauthor = {S},")
    assert once[once.index("@book{b") :] == OVERFLOW[OVERFLOW.index("@book{b") :]
    assert format_text(once) == once


def test_entries_aligned_each_their_own_way_format_to_a_fixed_point() -> None:
    """`=` after the longest name of each entry (per entry) put four of these five
    in one column; formatting again then moved `=` of the fifth to that column."""
    text = (
        "@misc{a,\n  keywords    = {K},\n  title       = {T},\n}\n\n"
        "@misc{b,\n  keywords = {K},\n  title    = {T},\n}\n\n"
        "@misc{c,\n  keywords       = {K},\n  title          = {T},\n}\n\n"
        "@misc{d,\n  keywords            = {K},\n  title               = {T},\n}\n\n"
        "@misc{e,\n  shortauthor = {S},\n  title       = {T},\n}\n"
    )
    once = format_text(text)
    assert format_text(once) == once


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not there")
@pytest.mark.parametrize(
    "name", ["beebe/tugboat.bib", "beebe/serif.bib", "beebe/font.bib", "base/xampl.bib"]
)
def test_tidy_real_files_are_left_as_they_are(name: str) -> None:
    text = read_bib(CORPUS / name).text
    assert format_text(text) == text


def test_free_text_keeps_characters_that_are_no_bibtex_blank() -> None:
    """Free text keeps its no-break spaces and control characters at its ends:
    BibTeX skips only spaces, tabs, line and form feeds. Stripped as Python's
    blanks, they were lost, and text after a broken entry could become its body
    (`@misc.org|` then `\\x1f(x)` read as `@misc.org|(x)` on the next format)."""
    text = "@misc{a, title = {T}}\n\u00a0note\u00a0\n\n@misc{b, title = {U}}\n"
    assert "\u00a0note\u00a0\n" in format_text(text, FormatOptions())
    broken = "@misc.org| \x1f\x1f(Internet),\n"
    once = format_text(broken, FormatOptions())
    assert "\x1f\x1f(Internet)" in once
    assert format_text(once, FormatOptions()) == once
