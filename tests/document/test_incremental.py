"""An edit re-reads only the blocks it touches; the rest are the same objects."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import entry_view
from tests.document.strategies import assert_matches_fresh_parse
from tests.syntax.helpers import XAMPL, corpus_text, entries

ENTRY_COUNT = 2000


@pytest.fixture(scope="module")
def large_text() -> str:
    source = corpus_text(XAMPL)
    views = [e for e in entries(parse(source)) if e.kind is K.ENTRY and e.key_span is not None]
    assert views
    parts = []
    for i in range(ENTRY_COUNT):
        e = views[i % len(views)]
        assert e.key_span is not None
        entry_text = (
            source[e.span.start : e.key_span.start]
            + f"{e.key}-{i}"
            + source[e.key_span.end : e.span.end]
        )
        parts.append(entry_text)
    return "\n\n".join(parts) + "\n"


def entry_index_of(doc: Document, key: str) -> tuple[int, int]:
    """(block index, absolute start) of the entry with this key."""
    for i, (start, block) in enumerate(doc.blocks()):
        view = entry_view(block, start)
        if view is not None and view.key == key:
            return i, start
    raise AssertionError(key)


def test_edit_inside_one_entry_keeps_all_other_blocks(large_text: str) -> None:
    doc = Document(large_text)
    before = [block for _, block in doc.blocks()]
    assert len(before) > 2 * ENTRY_COUNT - 10
    middle, start = entry_index_of(doc, key_at(doc, 1000))
    for i in (0, middle - 1, middle + 1, len(before) - 1):
        before[i].cache["marker"] = i
    block = before[middle]
    at = start + block.text.index("=") + 1
    doc.edit(at, at, " {inserted} #")
    text = large_text[:at] + " {inserted} #" + large_text[at:]
    after = [block for _, block in doc.blocks()]
    assert len(after) == len(before)
    assert all(a is b for a, b in zip(after[:middle], before[:middle], strict=True))
    assert all(a is b for a, b in zip(after[middle + 1 :], before[middle + 1 :], strict=True))
    assert after[middle] is not before[middle]
    assert "{inserted}" in after[middle].text
    for i in (0, middle - 1, middle + 1, len(before) - 1):
        assert after[i].cache["marker"] == i
    assert "marker" not in after[middle].cache
    assert_matches_fresh_parse(doc, text)


def key_at(doc: Document, n: int) -> str:
    for start, block in doc.blocks():
        view = entry_view(block, start)
        if view is not None and view.key is not None and view.key.endswith(f"-{n}"):
            return view.key
    raise AssertionError(n)


def test_removing_a_closing_brace_reparses_a_handful_of_blocks(large_text: str) -> None:
    doc = Document(large_text)
    before = [block for _, block in doc.blocks()]
    middle, start = entry_index_of(doc, key_at(doc, 1200))
    view = entry_view(before[middle], start)
    assert view is not None and view.close_delim is not None
    close = view.close_delim.start
    doc.edit(close, close + 1, "")
    text = large_text[:close] + large_text[close + 1 :]
    old_ids = {id(b) for b in before}
    after = [block for _, block in doc.blocks()]
    new_blocks = [b for b in after if id(b) not in old_ids]
    assert 1 <= len(new_blocks) <= 3
    assert len(after) >= len(before) - 2
    assert all(a is b for a, b in zip(after[:middle], before[:middle], strict=True))
    tail = len(before) - middle - 2
    assert all(a is b for a, b in zip(after[-tail:], before[-tail:], strict=True))
    problems = doc.problems()
    assert [p.code for p in problems] == ["unbalanced-braces"]
    assert problems[0].start == view.open_delim.start  # type: ignore[union-attr]
    assert_matches_fresh_parse(doc, text)
    # Putting the brace back restores blocks equal to the original ones.
    doc.edit(close, close, "}")
    assert doc.text == large_text
    assert doc.problems() == []
    assert all(a.same_as(b) for (_, a), b in zip(doc.blocks(), before, strict=True))
