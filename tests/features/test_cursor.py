"""What the cursor is typing: `|` marks it in each text; `[...]` marks the range a
completion replaces."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.features.cursor import FIELD, NOTHING, TYPE, VALUE, Cursor, cursor_at
from tests.syntax.test_fuzz import ALPHABET, FRAGMENTS


def at(marked: str) -> tuple[Cursor, str]:
    """The cursor at `|`, and the text it replaces (between the markers `[` `]`
    when the text has them; the markers are not part of the document)."""
    text = marked.replace("[", "").replace("]", "")
    offset = text.index("|")
    text = text.replace("|", "")
    cursor = cursor_at(Document(text), offset)
    return cursor, text[cursor.start : cursor.end]


@pytest.mark.parametrize(
    ("marked", "kind", "replaced", "prefix"),
    [
        ("@|", TYPE, "", ""),
        ("@art|", TYPE, "art", "art"),
        ("@ar|ticle{k, title = {T}}", TYPE, "article", "ar"),
        ("% notes\n\n@in|", TYPE, "in", "in"),
        ("@misc{k, ti|}", FIELD, "ti", "ti"),
        ("@misc{k, ti|tle = {T}}", FIELD, "title", "ti"),
        ("@misc{k,\n  |\n}", FIELD, "", ""),
        ("@misc{k, title = {T},\n  |\n}", FIELD, "", ""),
        ("@misc{k, title = {T},|}", FIELD, "", ""),
        ("@misc{k, title = {T}\n  |\n}", FIELD, "", ""),
        ("@misc{k, month = |}", VALUE, "", ""),
        ("@misc{k, month = ja|}", VALUE, "ja", "ja"),
        ("@misc{k, journal = {Jour|nal}}", VALUE, "Journal", "Jour"),
        ("@misc{k, crossref = {a|bc}}", VALUE, "abc", "a"),
        ("@misc{k, related = {one, tw|o, three}}", VALUE, "two", "tw"),
        ('@misc{k, journal = "J|"}', VALUE, "J", "J"),
        ("@misc{k|, title = {T}}", NOTHING, "", ""),
        ("some free text| here", NOTHING, "", ""),
        ("@misc{k, title| = {T}}", FIELD, "title", "title"),
        ("@misc{k, title |= {T}}", NOTHING, "", ""),
    ],
)
def test_what_the_cursor_types(marked: str, kind: str, replaced: str, prefix: str) -> None:
    cursor, text = at(marked)
    assert (cursor.kind, text, cursor.prefix) == (kind, replaced, prefix)


def test_the_entry_around_the_cursor_is_known() -> None:
    cursor, _ = at("@Article{k, author = {A}, title = {T},\n  |\n}")
    assert cursor.entry_type == "article"
    assert cursor.present == {"author", "title"}
    cursor, _ = at("@book{k, crossref = {x|}, title = {T}}")
    assert (cursor.kind, cursor.field_name, cursor.delimiter) == (VALUE, "crossref", "{")
    assert cursor.present == {"title"}


def test_inside_a_broken_entry_and_at_the_ends_of_the_file() -> None:
    assert at("|@misc{k}")[0].kind == NOTHING
    assert at("@misc{k, title = {unclosed, ti|")[0].kind == VALUE
    assert at("@misc{k, note = {x}, ye|")[0].kind == FIELD
    cursor, text = at("@misc{k,\r\n  é 😀 = 1,\r\n  ye|\r\n}\r\n")
    assert (cursor.kind, text) == (FIELD, "ye")
    # Where an entry left open meets the next one, what is typed joins the two.
    assert at("@misc{k, title = {x\n|@misc{j}\n")[0].kind == NOTHING


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_text_any_place_gives_a_range_around_the_cursor(data: st.DataObject) -> None:
    text = data.draw(st.lists(st.sampled_from(FRAGMENTS + ALPHABET), max_size=30).map("".join))
    offset = data.draw(st.integers(0, len(text)))
    cursor = cursor_at(Document(text), offset)
    assert cursor.start <= offset <= cursor.end or cursor.kind == NOTHING
    if cursor.kind != NOTHING:
        assert text[cursor.start : offset] == cursor.prefix


FIELDS = [
    "title = {T},",
    "author = {A and B}, ",
    "year = 2020,\n  ",
    "note = {x} # y,",
    "journal = jacm,",
    " ,",
    "pages = {1--2}",
    "\n  % c\n",
    "= {v},",
    "{x},",
    'url = "a,b",',
]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_an_entry_of_many_fields_reads_as_if_whole(data: st.DataObject) -> None:
    """Only the fields next to the cursor are read into tokens (``cursor.NEAR``),
    and every place reads as it would with all of them."""
    pieces = st.sampled_from(FIELDS + FRAGMENTS + ALPHABET)
    body = data.draw(st.lists(pieces, min_size=5, max_size=40).map("".join))
    text = "@misc{k, " + body + data.draw(st.sampled_from(["}", "\n}\n", "", " @misc{j,}"]))
    doc = Document(text)
    offsets = data.draw(st.lists(st.integers(0, len(text)), min_size=1, max_size=8))
    windowed = [cursor_at(doc, o) for o in offsets]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("bib_lsp.features.cursor.NEAR", 10**9)
        assert [cursor_at(doc, o) for o in offsets] == windowed


def test_completing_in_an_entry_of_a_hundred_thousand_fields_reads_little() -> None:
    """The cursor in the middle of 100,000 fields: the fields present are known,
    and reading them takes a few MB (a token per piece took 110 MB)."""
    text = "@misc{many,\n" + "".join(f"  f{i} = {{v {i}}},\n" for i in range(100_000))
    text += "  ti\n}\n"
    doc = Document(text)
    offset = text.index("  ti\n") + 4
    tracemalloc.start()
    try:
        cursor = cursor_at(doc, offset)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (cursor.kind, cursor.prefix) == (FIELD, "ti")
    assert len(cursor.present) == 100_000 and "f99999" in cursor.present
    assert peak < 30 * 2**20, peak / 2**20
