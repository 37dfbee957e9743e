"""bad-pages and page-range-hyphen (bib_lsp.rules.pages) on inline entries, with their ranges."""

from __future__ import annotations

import pytest

from bib_lsp.syntax.tree import Severity
from tests.rules.helpers import entry, expect


@pytest.mark.parametrize(
    "field",
    [
        "pages = {12--19}",
        "pages = {e123}",
        "pages = {S12--S19, 22}",
        "pages = {12+}",
        "pages = {«pp. 12--19»}",
        "pages = {12, «various»}",
        "pages = 12",
        "pages = pagemacro",
    ],
)
def test_bad_pages(field: str) -> None:
    expect(entry(field), "bad-pages")


def test_pp_gets_its_own_message() -> None:
    (problem,) = expect(entry("pages = {«pp. 12--19»}"), "bad-pages")
    assert problem.message == "`pages` pp. 12--19 starts with `pp.`: styles add it themselves"


def test_page_range_hyphen_sits_on_the_hyphen_with_a_fix() -> None:
    problems = expect(entry("pages = {12«-»19, S1«-»S4}"), "page-range-hyphen")
    assert all(p.data == {"replace": "--"} for p in problems)
    assert all(p.severity is Severity.INFORMATION for p in problems)
    expect(entry("pages = {12--19}"), "page-range-hyphen")


def test_page_range_hyphen_is_bibtex_only() -> None:
    # biblatex parses the range and prints its own dash.
    expect(entry("pages = {12-19}"), "page-range-hyphen", "biblatex")


def test_pieces_joined_with_hash_map_back_to_their_place() -> None:
    expect(entry('pages = "1" # "2«-»19"'), "page-range-hyphen")
