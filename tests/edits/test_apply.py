"""The client-side edit application the other tests rely on."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.text import Position, PositionEncoding
from tests.edits.apply import (
    BadEdit,
    apply_edits,
    apply_offsets,
    expand_snippet,
    offset_of,
    position_of,
)
from tests.edits.strategies import examples


def edit(l1: int, c1: int, l2: int, c2: int, text: str) -> lsp.TextEdit:
    return lsp.TextEdit(lsp.Range(lsp.Position(l1, c1), lsp.Position(l2, c2)), text)


def test_edits_apply_from_the_end_whatever_their_order() -> None:
    text = "ab\ncd\r\nef\rgh"
    edits = [edit(3, 0, 3, 2, "GH"), edit(0, 0, 0, 1, "A"), edit(1, 1, 2, 1, "-")]
    assert apply_edits(text, edits) == "Ab\nc-f\rGH"
    assert apply_edits(text, list(reversed(edits))) == "Ab\nc-f\rGH"


def test_insertions_at_one_place_keep_their_order() -> None:
    assert apply_edits("ab", [edit(0, 1, 0, 1, "1"), edit(0, 1, 0, 1, "2")]) == "a12b"


def test_positions_count_the_encodings_units() -> None:
    text = "a😀b\né"
    assert offset_of(text, lsp.Position(0, 3), "utf-16") == 2
    assert offset_of(text, lsp.Position(0, 5), "utf-8") == 2
    assert offset_of(text, lsp.Position(0, 2), "utf-32") == 2
    assert offset_of(text, lsp.Position(1, 1), "utf-16") == 5
    assert position_of(text, 2, "utf-8") == lsp.Position(0, 5)


@pytest.mark.parametrize(
    "bad",
    [
        [edit(0, 0, 0, 2, "x"), edit(0, 1, 0, 3, "y")],  # overlapping
        [edit(0, 2, 0, 1, "x")],  # backwards
        [edit(2, 0, 2, 0, "x")],  # past the last line
        [edit(0, 9, 0, 9, "x")],  # past the end of the line
        [edit(0, 2, 0, 2, "x")],  # inside the astral character (UTF-16)
    ],
)
def test_bad_edits_are_refused(bad: list[lsp.TextEdit]) -> None:
    with pytest.raises(BadEdit):
        apply_edits("a😀b\nc", bad)


def test_offsets_version() -> None:
    assert apply_offsets("abcdef", [(4, 6, "X"), (0, 1, ""), (2, 2, "+")]) == "b+cdX"
    with pytest.raises(BadEdit):
        apply_offsets("abc", [(0, 2, ""), (1, 3, "")])
    with pytest.raises(BadEdit):
        apply_offsets("abc", [(2, 5, "")])


texts = st.text(st.sampled_from(list("ab \n\r{}é😀東")), max_size=30)
encodings = st.sampled_from(["utf-8", "utf-16", "utf-32"])


@settings(max_examples=examples(200, 2000), deadline=None)
@given(texts, encodings, st.data())
def test_positions_agree_with_the_library_and_edits_with_offsets(
    text: str, encoding: str, data: st.DataObject
) -> None:
    doc = Document(text)
    # Offsets that do not split a `\r\n` (no position stands between them).
    cuts = [
        i for i in range(len(text) + 1) if not (0 < i < len(text) and text[i - 1 : i + 1] == "\r\n")
    ]
    for offset in cuts:
        p = position_of(text, offset, encoding)
        assert doc.position(offset, PositionEncoding(encoding)) == Position(p.line, p.character)
        assert offset_of(text, p, encoding) == offset
    chosen = sorted(data.draw(st.lists(st.sampled_from(cuts), max_size=6, unique=True)))
    # (distinct places: insertions at one place apply in their array order)
    pairs = list(zip(chosen[::2], chosen[1::2], strict=False))
    news = data.draw(
        st.lists(st.sampled_from(["", "x", "\n", "😀"]), min_size=len(pairs), max_size=len(pairs))
    )
    spans = [(a, b, n) for (a, b), n in zip(pairs, news, strict=True)]
    lsp_edits = [
        lsp.TextEdit(lsp.Range(position_of(text, a, encoding), position_of(text, b, encoding)), n)
        for a, b, n in spans
    ]
    shuffled = data.draw(st.permutations(lsp_edits))
    assert apply_edits(text, shuffled, encoding) == apply_offsets(text, spans)


def test_snippets_expand_to_their_defaults() -> None:
    assert expand_snippet("article{${1:key},\n  ${2|author,editor|} = {$3},\n}$0") == (
        "article{key,\n  author = {},\n}"
    )
    assert expand_snippet(r"a\$b\}c${1:x\}y}") == "a$b}cx}y"
