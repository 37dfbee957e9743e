"""Hypothesis strategies and checks shared by the document tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.syntax import parse
from bib_lsp.text import LineIndex

INSERTIONS = [
    "",
    "{",
    "}",
    '"',
    "(",
    ")",
    "@",
    "@misc{x,",
    "@book{k, title = {T}}\n",
    " # ",
    ",",
    "=",
    "title = ",
    "%",
    "\n",
    "\r\n",
    "\r",
    " ",
    "x",
    "é",
    "東京",
    "😀",
    "\n@",
    "}\n@misc(y, a = 1)",
    '"{"a}"',
]

SMALL_FRAGMENTS = [
    "@misc{a, t = {x}}",
    "@book(b, y = 1990, n = a # {b})",
    '@string{s = "S"}',
    "@comment{ a {b} }",
    "@comment{",
    "% note @x ",
    "%@misc{c, t = 1}",
    "free text ",
    "\n",
    "\r\n",
    "\r",
    "{",
    "}",
    '"',
    "@",
    "😀",
    "東",
]

small_texts = st.lists(st.sampled_from(SMALL_FRAGMENTS), max_size=12).map("".join)
insertions = st.one_of(
    st.sampled_from(INSERTIONS),
    st.lists(st.sampled_from(INSERTIONS), min_size=1, max_size=4).map("".join),
)


@st.composite
def edits(draw: st.DrawFn, length: int) -> tuple[int, int, str]:
    start = draw(st.integers(0, length))
    deleted = draw(st.sampled_from([0, 0, 1, 1, 2, 5, 30]))
    return start, min(start + deleted, length), draw(insertions)


def assert_matches_fresh_parse(doc: Document, expected_text: str) -> None:
    assert doc.text == expected_text
    assert doc.length == len(expected_text)
    fresh = parse(expected_text, doc.biber_comments)
    ours = list(doc.blocks())
    assert [s for s, _ in ours] == fresh.starts
    for (start, block), fresh_block in zip(ours, fresh.blocks, strict=True):
        assert block.same_as(fresh_block), (start, block.text, fresh_block.text)
    assert doc.problems() == fresh.problems()
    assert doc.line_count == LineIndex(expected_text).line_count


@contextlib.contextmanager
def chunk_size(size: int) -> Iterator[None]:
    """Documents made inside use chunks of ``size`` blocks (many chunks: splits,
    merges and per-chunk caches are exercised all the time)."""
    from bib_lsp.document import chunks as document_module

    saved = document_module.CHUNK_SIZE
    document_module.CHUNK_SIZE = size
    try:
        yield
    finally:
        document_module.CHUNK_SIZE = saved
