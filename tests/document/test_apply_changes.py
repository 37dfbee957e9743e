"""LSP changes in all three position encodings, applied in sequence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document, TextChange
from bib_lsp.text import LineIndex, Position, PositionEncoding, Range
from tests.document.strategies import assert_matches_fresh_parse, insertions

ENCODINGS = list(PositionEncoding)
TEXT = '@misc{emoji😀, title = {東京 😀 x},\r\n  note = "é"}\r\n@book{b, a = 1}\n'


def rng(l0: int, c0: int, l1: int, c1: int) -> Range:
    return Range(Position(l0, c0), Position(l1, c1))


def reference(text: str, changes: list[TextChange], encoding: PositionEncoding) -> str:
    for change in changes:
        if change.range is None:
            text = change.text
            continue
        start, end = LineIndex(text).offset_range(change.range, encoding)
        text = text[:start] + change.text + text[end:]
    return text


# Column of the `x` after "{東京 😀 " on line 0, in each encoding's units.
X_COLUMN = {
    PositionEncoding.UTF32: len("@misc{emoji😀, title = {東京 😀 "),
    PositionEncoding.UTF16: len("@misc{emoji😀, title = {東京 😀 ") + 2,
    PositionEncoding.UTF8: len("@misc{emoji😀, title = {東京 😀 ".encode()),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_hand_computed_changes(encoding: PositionEncoding) -> None:
    doc = Document(TEXT)
    col = X_COLUMN[encoding]
    doc.apply_changes(
        [
            TextChange("y", rng(0, col, 0, col + 1)),  # x -> y
            TextChange("", rng(1, 2, 1, 6)),  # delete "note" on line 1
            TextChange("N", rng(1, 2, 1, 2)),  # type a new name there
            TextChange("\r\n", rng(2, 0, 2, 0)),  # a blank line before @book
        ],
        encoding,
        version=7,
    )
    expected = '@misc{emoji😀, title = {東京 😀 y},\r\n  N = "é"}\r\n\r\n@book{b, a = 1}\n'
    assert doc.text == expected
    assert doc.version == 7
    assert_matches_fresh_parse(doc, expected)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_change_splitting_a_crlf_and_clamping(encoding: PositionEncoding) -> None:
    doc = Document(TEXT)
    doc.apply_changes(
        [
            TextChange("!", rng(0, 10_000, 0, 10_000)),  # past the end: before the \r\n
            TextChange("END", rng(99, 0, 99, 5)),  # past the last line: the end
        ],
        encoding,
    )
    lines = TEXT.split("\r\n", 1)
    expected = lines[0] + "!\r\n" + lines[1] + "END"
    assert doc.text == expected
    assert_matches_fresh_parse(doc, expected)


def test_full_replacement_then_ranged_change() -> None:
    doc = Document(TEXT)
    doc.apply_changes(
        [TextChange("@misc{k, a = {😀}}\r\n"), TextChange("b", rng(0, 9, 0, 10))],
        PositionEncoding.UTF16,
    )
    assert doc.text == "@misc{k, b = {😀}}\r\n"
    assert_matches_fresh_parse(doc, doc.text)


@st.composite
def changes(draw: st.DrawFn) -> TextChange:
    if draw(st.integers(0, 15)) == 0:
        return TextChange(draw(insertions))
    l0, l1 = sorted(draw(st.lists(st.integers(-1, 6), min_size=2, max_size=2)))
    c0 = draw(st.integers(-1, 40))
    c1 = draw(st.integers(-1, 40))
    if l0 == l1 and c1 < c0:
        c0, c1 = c1, c0
    return TextChange(draw(insertions), rng(l0, c0, l1, c1))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(ENCODINGS),
    st.lists(st.lists(changes(), min_size=1, max_size=5), min_size=1, max_size=4),
)
def test_random_changes_agree_with_line_index(
    encoding: PositionEncoding, batches: list[list[TextChange]]
) -> None:
    doc = Document(TEXT)
    text = TEXT
    for batch in batches:
        doc.apply_changes(batch, encoding)
        text = reference(text, batch, encoding)
        assert_matches_fresh_parse(doc, text)
