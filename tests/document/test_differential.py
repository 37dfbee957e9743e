"""The heart: after every edit, the incremental document equals a fresh parse."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from tests.document.strategies import assert_matches_fresh_parse, chunk_size, edits, small_texts
from tests.syntax.helpers import XAMPL, corpus_text

DIFFERENTIAL = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def run_edits(data: st.DataObject, text: str, switch: bool = False) -> None:
    """Random edits; ``switch``: between them, sometimes change how `%` outside
    entries is read (BibTeX's or biber's reading), as a dialect change does."""
    doc = Document(text, biber_comments=switch and data.draw(st.booleans(), label="biber"))
    assert_matches_fresh_parse(doc, text)
    for _ in range(data.draw(st.integers(1, 20), label="edit count")):
        start, end, new = data.draw(edits(len(text)), label="edit")
        doc.edit(start, end, new)
        text = text[:start] + new + text[end:]
        assert_matches_fresh_parse(doc, text)
        if switch and data.draw(st.booleans(), label="switch"):
            doc.set_biber_comments(not doc.biber_comments)
            assert_matches_fresh_parse(doc, text)


@DIFFERENTIAL
@given(st.data())
def test_random_edits_on_xampl(data: st.DataObject) -> None:
    run_edits(data, XAMPL_TEXT)


@DIFFERENTIAL
@given(small_texts, st.data())
def test_random_edits_on_small_texts(text: str, data: st.DataObject) -> None:
    run_edits(data, text)


@DIFFERENTIAL
@given(small_texts, st.data())
def test_random_edits_and_switches_between_the_readings_of_comments(
    text: str, data: st.DataObject
) -> None:
    run_edits(data, text, switch=True)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_edits_focused_near_one_entry(data: st.DataObject) -> None:
    # Edits clustered in a single entry of the middle of xampl.bib, where damage
    # must stay local and repairs must restore the old blocks.
    text = XAMPL_TEXT
    middle = text.index("@", len(text) // 2)
    doc = Document(text)
    for _ in range(data.draw(st.integers(1, 10))):
        start = data.draw(st.integers(max(middle - 5, 0), min(middle + 200, len(text))))
        end = min(start + data.draw(st.integers(0, 3)), len(text))
        new = data.draw(st.sampled_from(["", "{", "}", '"', "@", "\r\n", ",", "😀"]))
        doc.edit(start, end, new)
        text = text[:start] + new + text[end:]
        assert_matches_fresh_parse(doc, text)


def _xampl() -> str:
    try:
        return corpus_text(XAMPL)
    except BaseException:  # pytest.skip outside a test: fall back to a stand-in
        return ""


XAMPL_TEXT = _xampl()
if not XAMPL_TEXT:
    import pytest

    pytestmark = pytest.mark.skip(reason=f"{XAMPL} is not available (../shared/corpus)")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from([1, 2, 4, 8]))
def test_random_edits_with_tiny_chunks(data: st.DataObject, size: int) -> None:
    # With a handful of blocks per chunk, edits split, merge and shift chunks all
    # the time: the bookkeeping (Fenwick sums, chunk boundaries) must stay exact.
    with chunk_size(size):
        run_edits(data, XAMPL_TEXT)


def test_empty_document_has_no_block_at_any_offset() -> None:
    doc = Document("")
    assert doc.block_at(0) is None
    doc.edit(0, 0, "@misc{k}")
    found = doc.block_at(3)
    assert found is not None and found[0] == 0 and found[1].text == "@misc{k}"


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_deleting_large_stretches_with_small_chunks(data: st.DataObject) -> None:
    # Deletions that empty or shrink chunks make them merge with their neighbours.
    with chunk_size(8):
        # Small entries: a deletion of a few dozen characters empties most of a chunk.
        text = "".join(f"@misc{{k{i}, t = {i}}}\n" for i in range(120))
        doc = Document(text)
        for _ in range(data.draw(st.integers(1, 12))):
            start = data.draw(st.integers(0, len(text)))
            end = min(len(text), start + data.draw(st.integers(0, 200)))
            new = data.draw(st.sampled_from(["", "@misc{x, t = 1}\n", "}"]))
            doc.edit(start, end, new)
            text = text[:start] + new + text[end:]
            assert_matches_fresh_parse(doc, text)


def test_deletions_that_shrink_a_chunk_to_almost_nothing() -> None:
    # Deleting all but one block of a chunk makes it merge with a neighbour; every
    # position and length here is tried, so each chunk boundary case comes up.
    with chunk_size(8):
        entry = "@misc{k, t = 1}\n"  # two blocks: the entry and the line break
        text = entry * 40
        chunk = 4 * len(entry)  # eight blocks
        for start in range(chunk - 4, 2 * chunk + 4):
            for length in range(chunk - 12, chunk + 4):
                doc = Document(text)
                doc.edit(start, start + length, "")
                assert_matches_fresh_parse(doc, text[:start] + text[start + length :])
                doc.edit(0, 0, entry)  # and the document keeps working afterwards
                assert_matches_fresh_parse(doc, entry + text[:start] + text[start + length :])
