"""Document positions agree exactly with a LineIndex over the same text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.text import LineIndex, Position, PositionEncoding, units_in
from tests.document.strategies import edits, small_texts

ENCODINGS = list(PositionEncoding)


def assert_same_positions(doc: Document, text: str) -> None:
    index = LineIndex(text)
    assert doc.line_count == index.line_count
    for offset in range(-1, len(text) + 2):
        assert doc.line_of(offset) == index.line_of(offset), offset
        for enc in ENCODINGS:
            assert doc.position(offset, enc) == index.position(offset, enc), (offset, enc)
    for line in range(index.line_count):
        assert doc.line_start(line) == index.line_start(line)
        assert doc.line_end(line) == index.line_end(line)
        assert doc.line_end(line, include_break=True) == index.line_end(line, include_break=True)
        content = text[index.line_start(line) : index.line_end(line)]
        for enc in ENCODINGS:
            for column in range(-1, units_in(content, enc) + 3):
                pos = Position(line, column)
                assert doc.offset(pos, enc) == index.offset(pos, enc), (pos, enc)
    for enc in ENCODINGS:
        assert doc.offset(Position(-1, 0), enc) == 0
        assert doc.offset(Position(index.line_count, 0), enc) == len(text)
    with pytest.raises(IndexError):
        doc.line_start(index.line_count)


@settings(max_examples=150, deadline=None)
@given(small_texts, st.data())
def test_positions_after_random_edits(text: str, data: st.DataObject) -> None:
    doc = Document(text)
    assert_same_positions(doc, text)
    for _ in range(data.draw(st.integers(1, 6))):
        start, end, new = data.draw(edits(len(text)))
        doc.edit(start, end, new)
        text = text[:start] + new + text[end:]
        assert_same_positions(doc, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\r\n",
        "\r\r\n\n",
        "@misc{a, t = {x}}\r\n@misc{b,\r\n t = {😀東}}\r",
        "😀\r\n東\n\ré",
        "@misc{a}\r",
    ],
)
def test_positions_of_fixed_texts(text: str) -> None:
    assert_same_positions(Document(text), text)


def test_crlf_split_by_an_edit_then_joined() -> None:
    text = "@misc{a, t = 1}\r\n@misc{b, t = 2}\r\n"
    doc = Document(text)
    cut = text.index("\n")
    doc.edit(cut, cut, "x")  # "\rx\n": two line breaks now
    text = text[:cut] + "x" + text[cut:]
    assert_same_positions(doc, text)
    doc.edit(cut, cut + 1, "")  # "\r\n" again: one line break
    text = text[:cut] + text[cut + 1 :]
    assert doc.line_count == 3
    assert_same_positions(doc, text)
