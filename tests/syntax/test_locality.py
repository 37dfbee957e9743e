"""The contract that incremental re-parsing rests on: a block's parse depends only on
the text from its start to its end plus, at most, the one character after it.

If a block looked further ahead, an edit there could change the block without
touching it, and the editor would show a stale tree. Each block is re-read with
everything after its end plus one character replaced by other text: it must come
out the same.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.syntax import parse
from bib_lsp.syntax.parser import parse_block
from tests.syntax.test_fuzz import ALPHABET, FRAGMENTS

texts = st.one_of(
    st.lists(st.sampled_from(ALPHABET), max_size=200).map("".join),
    st.lists(st.sampled_from(FRAGMENTS + ALPHABET), max_size=40).map("".join),
)


SUFFIXES = ["", "x", "}", "{", "\n@misc{z, t = 1}\n", '"', "\n}\n", "@", " = {q}}"]


def assert_local(text: str, suffixes: list[str] = SUFFIXES) -> None:
    tree = parse(text)
    for start, block in tree:
        end = start + len(block.text)
        if end == len(text):
            continue  # the last block may depend on everything after it
        kept = text[: end + 1]
        for suffix in suffixes:
            again = parse_block(kept + suffix, start)
            assert again.end == end, (text, start, suffix)
            assert again.node == block.node, (text, start, suffix)
            assert tuple(again.problems) == block.problems, (text, start, suffix)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.lists(texts, max_size=3))
def test_blocks_look_at_most_one_character_ahead(text: str, suffixes: list[str]) -> None:
    assert_local(text, SUFFIXES + suffixes)


def test_comment_cut_off_by_an_entry_takes_the_blank_lines_before_it() -> None:
    # Found by a random edit sequence: an unclosed `@comment` body cut off by the
    # next entry ended at the line break, two characters before that entry's `@`;
    # deleting the `@` then left a stale `@comment` block.
    text = "@comment{ unclosed\n\n@misc{a, t = 1}\n"
    assert_local(text)
    doc = Document(text)
    at = text.index("@misc")
    doc.edit(at, at + 1, "")
    fresh = parse(doc.text)
    assert [(s, b.text) for s, b in doc.blocks()] == [(s, b.text) for s, b in fresh]
    assert doc.problems() == fresh.problems()


def test_a_key_that_cannot_be_a_field_name_is_not_looked_past() -> None:
    # Found by a reviewer's fuzzing: `a(@title` was read as a possible field name
    # (a missing key) by looking for `=` past it, while the block itself ended at
    # the `@`; typing `{` after that `@` then left a stale block.
    text = "@misc{a(@title = {x}}"
    assert_local(text, [*SUFFIXES, "{", "{title = {x}}"])
    doc = Document(text)
    doc.edit(9, 9, "{")
    fresh = parse(doc.text)
    assert [(s, b.text) for s, b in doc.blocks()] == [(s, b.text) for s, b in fresh]
    assert doc.problems() == fresh.problems()
