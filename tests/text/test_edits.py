"""The minimal edit between two texts, as formatting and quick fixes hand it out."""

from __future__ import annotations

import pytest

from bib_lsp.text import LineIndex, PositionEncoding
from bib_lsp.text.edits import apply, trimmed


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a\n\r\nb", "a\n\nb"),  # the `\r` of a CRLF removed
        ("a\r\nb", "a\nb"),
        ("a\nb", "a\r\nb"),  # a `\r` put before a `\n`
        ("x\r\n", "x\r\ny\r\n"),
        ("a\r\n\r\nb", "a\r\nb"),
    ],
)
def test_an_edit_never_ends_inside_a_crlf(old: str, new: str) -> None:
    edit = trimmed(0, old, new)
    assert apply(old, [edit]) == new
    for offset in (edit.start, edit.end):
        assert old[offset - 1 : offset + 1] != "\r\n"
    # So its ends are LSP positions that give the same offsets back.
    lines = LineIndex(old)
    for offset in (edit.start, edit.end):
        position = lines.position(offset, PositionEncoding.UTF16)
        assert lines.offset(position, PositionEncoding.UTF16) == offset


def test_an_edit_is_the_least_that_differs() -> None:
    edit = trimmed(10, "abcXdef", "abcYYdef")
    assert (edit.start, edit.end, edit.text) == (13, 14, "YY")
