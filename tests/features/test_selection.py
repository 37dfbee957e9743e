"""Smart selection: the ranges around a place, innermost first, each strictly
larger than the one before."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.features.selection import selection_ranges
from tests.syntax.test_fuzz import mixed_texts

TEXT = (
    "% header one\n"
    "% header two\n"
    "\n"
    "@article{k1,\n"
    '  title = {Hello {Big {W}orld} x} # " y",\n'
    "  year = 2020,\n"
    "  related = {a, bcd}\n"
    "}\n"
)
ENTRY = TEXT[TEXT.index("@article") :].rstrip("\n")
FIELDS = ENTRY[ENTRY.index("title") : ENTRY.index("bcd}") + 4]
BODY = ENTRY[ENTRY.index("k1") : ENTRY.index("bcd}") + 4]


def chain(marked: str, text: str = TEXT) -> list[str]:
    """The selections at `|` in ``marked`` (found in ``text``), without the last:
    the whole file."""
    offset = text.index(marked.replace("|", "")) + marked.index("|")
    ranges = selection_ranges(Document(text), offset)
    assert ranges[-1] == (0, len(text))
    return [text[a:b] for a, b in ranges[:-1]]


def test_in_a_nested_brace_group() -> None:
    assert chain("{W|}orld") == [
        "W",
        "{W}",
        "Big {W}orld",
        "{Big {W}orld}",
        "Hello {Big {W}orld} x",
        "{Hello {Big {W}orld} x}",
        '{Hello {Big {W}orld} x} # " y"',
        'title = {Hello {Big {W}orld} x} # " y"',
        'title = {Hello {Big {W}orld} x} # " y",',
        FIELDS,
        BODY,
        ENTRY,
    ]


def test_on_names() -> None:
    assert chain("ti|tle") == [
        "title",
        'title = {Hello {Big {W}orld} x} # " y"',
        'title = {Hello {Big {W}orld} x} # " y",',
        FIELDS,
        BODY,
        ENTRY,
    ]
    assert chain("@art|icle") == ["article", "@article", ENTRY]
    assert chain("k1|,") == ["k1", BODY, ENTRY]  # the cursor just after the key
    assert chain("20|20") == ["2020", "year = 2020", "year = 2020,", FIELDS, BODY, ENTRY]


def test_a_key_in_a_list() -> None:
    assert chain("bc|d") == [
        "bcd",
        "a, bcd",
        "{a, bcd}",
        "related = {a, bcd}",
        FIELDS,
        BODY,
        ENTRY,
    ]


def test_in_free_text() -> None:
    assert chain("% header t|wo") == [
        "two",
        "% header two",
        "% header one\n% header two",
        "% header one\n% header two\n\n",
    ]


def test_just_after_an_entry() -> None:
    assert chain("\n}|\n") == [ENTRY]


def test_empty_and_broken_texts() -> None:
    assert selection_ranges(Document(""), 0) == [(0, 0)]
    text = "@book{k, title = {Open\n@misc{m}"
    assert chain("Op|en", text) == [
        "Open",
        "{Open",
        "title = {Open",
        "k, title = {Open",
        "@book{k, title = {Open\n",  # the entry ends where the next one starts
    ]


def test_crlf_and_non_ascii() -> None:
    text = "@book{Ünal,\r\n  title = {Ça va},\r\n}\r\n"
    assert chain("Ça v|a", text)[:3] == ["va", "Ça va", "{Ça va}"]


@settings(max_examples=200, deadline=None)
@given(mixed_texts, st.integers(min_value=0, max_value=400))
def test_every_chain_grows_strictly_around_the_offset(text: str, at: int) -> None:
    offset = min(at, len(text))
    ranges = selection_ranges(Document(text), offset)
    assert ranges[0][0] <= offset <= ranges[0][1]
    for (a, b), (c, d) in pairwise(ranges):
        assert c <= a and b <= d and (c, d) != (a, b)
