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


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not there")
@pytest.mark.parametrize(
    "name", ["beebe/tugboat.bib", "beebe/serif.bib", "beebe/font.bib", "base/xampl.bib"]
)
def test_tidy_real_files_are_left_as_they_are(name: str) -> None:
    text = read_bib(CORPUS / name).text
    assert format_text(text) == text
