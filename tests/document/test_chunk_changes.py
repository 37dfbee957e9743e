"""Documents keep a journal of the chunks each edit replaced, so that a consumer
caching something per chunk (the server's diagnostics) can follow edits by
touching only those chunks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from tests.document.strategies import chunk_size, edits, small_texts


def _snapshot(doc: Document) -> list[tuple[object, int]]:
    """Each chunk's identity and start line."""
    out = []
    for ci in range(doc.chunk_count):
        part = doc.collect_chunk(ci, "none", lambda block, previous: [])
        out.append((part.token, doc.chunk_line(ci)))
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_texts, st.data())
def test_the_journal_names_every_replaced_chunk_and_line_shift(
    text: str, data: st.DataObject
) -> None:
    with chunk_size(2):
        doc = Document(text)
        seen = _snapshot(doc)
        _, cursor = doc.chunk_changes(None)
        for _ in range(data.draw(st.integers(1, 4))):
            for _ in range(data.draw(st.integers(1, 3))):  # several edits per read
                doc.edit(*data.draw(edits(doc.length)))
            changes, cursor = doc.chunk_changes(cursor)
            now = _snapshot(doc)
            if changes is None:  # the chunk list was rebuilt: start over
                seen = now
                continue
            # Replay the journal on what we saw: same chunks where nothing was
            # named, and start lines moved by the line changes named before them.
            assert len(now) == len(seen)
            named = {ci for ci, _ in changes}
            shift = 0
            for ci, (token, line) in enumerate(now):
                if ci not in named:
                    assert token is seen[ci][0]
                    assert line == seen[ci][1] + shift
                shift += sum(delta for j, delta in changes if j == ci)
            seen = now


def test_an_edit_inside_a_line_names_one_chunk_and_no_shift() -> None:
    text = "".join(f"@misc{{k{i}, note = {{n}}}}\n" for i in range(40))
    with chunk_size(4):
        doc = Document(text)
        _, cursor = doc.chunk_changes(None)
        at = text.index("k20") + 1
        doc.edit(at, at, "x")
        changes, cursor = doc.chunk_changes(cursor)
        assert changes == [(doc.chunk_at(at), 0)]
        doc.edit(at, at, "\n")
        changes, _ = doc.chunk_changes(cursor)
        assert changes == [(doc.chunk_at(at), 1)]


def test_forgetting_a_block_names_its_chunk_once() -> None:
    text = "".join(f"@misc{{k{i}}}\n" for i in range(40))
    with chunk_size(4):
        doc = Document(text)
        doc.collect("findings:test", lambda block, previous: [])  # something cached per chunk
        _, cursor = doc.chunk_changes(None)
        start, block = doc.block_at(text.index("k30"))  # type: ignore[misc]
        doc.forget(block, "findings:")
        doc.forget(block, "findings:")  # nothing cached any more: named once
        changes, _ = doc.chunk_changes(cursor)
        assert changes == [(doc.chunk_at(start), 0)]
