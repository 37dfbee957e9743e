"""Edits say which blocks left and which arrived, so indexes built over blocks (keys,
@strings) can follow a document without re-reading it; and every block can tell
where it is now."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document, TextChange
from bib_lsp.text import LineIndex, PositionEncoding
from tests.document.strategies import edits, small_texts


def _ids(doc: Document) -> list[int]:
    return [id(block) for _, block in doc.blocks()]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_texts, st.data())
def test_reported_changes_keep_an_index_of_blocks_exact(text: str, data: st.DataObject) -> None:
    doc = Document(text)
    index = {id(block): block for _, block in doc.blocks()}
    for _ in range(data.draw(st.integers(1, 10))):
        start, end, new = data.draw(edits(doc.length))
        changes = doc.edit(start, end, new)
        for block in changes.removed:
            assert index.pop(id(block)) is block
        for block in changes.added:
            index[id(block)] = block
        assert sorted(index) == sorted(_ids(doc))
        for start_offset, block in doc.blocks():
            assert doc.start_of(block) == start_offset


@settings(max_examples=100, deadline=None)
@given(small_texts, st.data())
def test_changes_of_several_edits_in_one_notification_fold_together(
    text: str, data: st.DataObject
) -> None:
    doc = Document(text)
    before = {id(b): b for _, b in doc.blocks()}
    changes = []
    for _ in range(data.draw(st.integers(1, 4))):
        start, end, new = data.draw(edits(len(text)))
        # A position cannot point between the \r and \n of a line break.
        start, end = (
            o - 1 if 0 < o < len(text) and text[o - 1 : o + 1] == "\r\n" else o
            for o in (start, end)
        )
        index = LineIndex(text)
        changes.append(TextChange(new, index.range(start, end, PositionEncoding.UTF32)))
        text = text[:start] + new + text[end:]
    total = doc.apply_changes(changes, PositionEncoding.UTF32)
    assert doc.text == text
    after = {id(b) for _, b in doc.blocks()}
    # Removed: blocks that were there before and are gone; added: the new ones now there.
    assert {id(b) for b in total.removed} == set(before) - after
    assert {id(b) for b in total.added} == after - set(before)


def test_a_block_of_another_document_has_no_place_here() -> None:
    text = "@misc{a}\n\n@misc{b}\n"
    one, two = Document(text), Document(text)
    _, block = list(one.blocks())[2]
    assert one.start_of(block) == 10
    assert two.start_of(block) is None
    one.edit(0, 0, "% note\n")
    assert one.start_of(block) == 17  # the entry moved down, untouched
