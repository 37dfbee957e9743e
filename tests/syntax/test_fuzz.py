"""Property tests: any text parses without raising, losslessly, into a sound tree."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.syntax import parse
from tests.syntax.helpers import check_tree, entries

PUNCTUATION = [*'@{}()",=#%', "\\", "'"]
LETTERS = list("abcxyzABZ_-:.")
DIGITS = list("0179")
BLANKS = [" ", "\n", "\r\n", "\r", "\t", "\f", "\u2028", "\v"]
NON_ASCII = ["é", "東", "😀", "\u00a0"]
ALPHABET = PUNCTUATION + LETTERS + DIGITS + BLANKS + NON_ASCII

FRAGMENTS = [
    "@article{",
    "@misc(",
    "\n@misc(",
    "@string{",
    "@STRING(",
    "@preamble{",
    "@comment{",
    "@Comment",
    "@",
    "@ ",
    "key,",
    "key",
    "k:1,",
    "title = ",
    "year=",
    "author =",
    "{x}",
    "{a {b} c}",
    '"y"',
    '"Ein {"a}ra"',
    "{",
    "}",
    '"',
    "(",
    ")",
    " # ",
    "#",
    "1984",
    "macro",
    ",",
    "=",
    "% comment\n",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "junk text ",
    "jane@example.org",
    "é東😀",
]

raw_texts = st.lists(st.sampled_from(ALPHABET), max_size=80).map("".join)
structured_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)
mixed_texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(ALPHABET)), max_size=40
).map("".join)

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str) -> None:
    tree = parse(text)
    check_tree(tree, text)
    for problem in tree.problems():
        assert problem.code
        assert problem.message
    # Views can be built for every block without error, inside the block's span.
    for entry in entries(tree):
        assert 0 <= entry.span.start < entry.span.end <= len(text)
        for field in entry.fields:
            assert entry.span.start <= field.span.start <= field.span.end <= entry.span.end


@FUZZ
@given(raw_texts)
def test_punctuation_soup(text: str) -> None:
    check(text)


@FUZZ
@given(structured_texts)
def test_entry_like_fragments(text: str) -> None:
    check(text)


@FUZZ
@given(mixed_texts)
def test_fragments_and_characters(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode(text: str) -> None:
    check(text)


def test_fuzz_strategies_reach_entries() -> None:
    # Guard against a vacuous fuzz: the structured fragments really do form entries.
    tree = parse('@article{key,title = {x} # "y",}\n@misc(key,year=1984)')
    assert [e.key for e in entries(tree)] == ["key", "key"]
    assert tree.problems() == []
