"""Edge cases of editing: empty texts, ends, block boundaries, typing an entry."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from tests.document.strategies import assert_matches_fresh_parse

TWO = "@misc{a, t = {x}}\n@book{b, y = 1990}\n"


def edited(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def test_empty_document() -> None:
    doc = Document("")
    assert doc.text == "" and doc.length == 0
    assert list(doc.blocks()) == [] and doc.problems() == []
    assert doc.line_count == 1
    assert doc.line_start(0) == 0 and doc.line_end(0) == 0 and doc.line_of(5) == 0
    doc.edit(0, 0, "")
    assert doc.text == ""
    doc.edit(0, 0, "@misc{k}")
    assert_matches_fresh_parse(doc, "@misc{k}")


def test_edit_that_empties_the_document_and_refills_it() -> None:
    doc = Document(TWO)
    doc.edit(0, len(TWO), "")
    assert_matches_fresh_parse(doc, "")
    assert doc.line_count == 1 and list(doc.blocks()) == []
    doc.edit(0, 0, TWO)
    assert_matches_fresh_parse(doc, TWO)


@pytest.mark.parametrize("new", ["x", "@", "}", "{", "@misc{z, a = 1}", "\r\n", "\n", "😀"])
def test_insert_at_start_and_end(new: str) -> None:
    doc = Document(TWO)
    doc.edit(0, 0, new)
    text = new + TWO
    assert_matches_fresh_parse(doc, text)
    doc.edit(len(text), len(text), new)
    text += new
    assert_matches_fresh_parse(doc, text)


BOUNDARIES = [TWO.index("@book"), TWO.index("}") + 1, TWO.index("@book") - 1]


@pytest.mark.parametrize("at", BOUNDARIES, ids=["before-@", "after-}", "before-newline"])
@pytest.mark.parametrize(
    ("deleted", "new"),
    [(0, "x"), (0, "@"), (0, "}"), (0, "{"), (0, ","), (1, ""), (0, "\r"), (0, '"'), (2, "y")],
)
def test_edits_at_block_boundaries(at: int, deleted: int, new: str) -> None:
    doc = Document(TWO)
    doc.edit(at, at + deleted, new)
    assert_matches_fresh_parse(doc, edited(TWO, at, at + deleted, new))


def test_deleting_the_at_merges_an_entry_into_free_text() -> None:
    doc = Document(TWO)
    at = TWO.index("@book")
    doc.edit(at, at + 1, "")
    text = edited(TWO, at, at + 1, "")
    assert_matches_fresh_parse(doc, text)
    assert [b.kind for _, b in doc.blocks()] == [K.ENTRY, K.JUNK_BLOCK]


@pytest.mark.parametrize("prefix", ["", TWO, TWO + "free text\r\n"])
def test_typing_an_entry_character_by_character(prefix: str) -> None:
    entry = '@article{knuth84,\r\n  title = "The {\\TeX}book",\n  year = 1984 # {a},\n}\n'
    doc = Document(prefix)
    text = prefix
    for ch in entry:
        doc.edit(len(text), len(text), ch)
        text += ch
        assert_matches_fresh_parse(doc, text)
    assert doc.problems() == []
    last = list(doc.blocks())[-2][1]
    assert last.kind is K.ENTRY and last.text == entry.rstrip("\n")


def test_typing_inside_an_entry_then_deleting_back() -> None:
    doc = Document(TWO)
    at = TWO.index("{x}") + 2
    text = TWO
    for ch in '{nested} "q" @ é😀':
        doc.edit(at, at, ch)
        text = edited(text, at, at, ch)
        at += 1
        assert_matches_fresh_parse(doc, text)
    while text != TWO:
        doc.edit(at - 1, at, "")
        text = edited(text, at - 1, at, "")
        at -= 1
        assert_matches_fresh_parse(doc, text)


@pytest.mark.parametrize(
    ("text", "start", "end", "new"),
    [
        # typing the `}` that balances the comment body
        ("@comment{ @misc{a, b}", 21, 21, "}"),
        # deleting the `{` that kept the comment body unbalanced
        ("@comment{ @misc{a, t = {x}}", 23, 24, ""),
    ],
)
def test_unbalanced_comment_body_becomes_balanced(
    text: str, start: int, end: int, new: str
) -> None:
    expected = edited(text, start, end, new)
    assert [b.kind for _, b in parse(expected)] == [K.COMMENT_ENTRY]
    doc = Document(text)
    doc.edit(start, end, new)
    assert_matches_fresh_parse(doc, expected)
