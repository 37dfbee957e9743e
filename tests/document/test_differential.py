"""The heart: after every edit, the incremental document equals a fresh parse."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from tests.document.strategies import assert_matches_fresh_parse, edits, small_texts
from tests.syntax.helpers import XAMPL, corpus_text

DIFFERENTIAL = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def run_edits(data: st.DataObject, text: str) -> None:
    doc = Document(text)
    assert_matches_fresh_parse(doc, text)
    for _ in range(data.draw(st.integers(1, 20), label="edit count")):
        start, end, new = data.draw(edits(len(text)), label="edit")
        doc.edit(start, end, new)
        text = text[:start] + new + text[end:]
        assert_matches_fresh_parse(doc, text)


@DIFFERENTIAL
@given(st.data())
def test_random_edits_on_xampl(data: st.DataObject) -> None:
    run_edits(data, XAMPL_TEXT)


@DIFFERENTIAL
@given(small_texts, st.data())
def test_random_edits_on_small_texts(text: str, data: st.DataObject) -> None:
    run_edits(data, text)


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
