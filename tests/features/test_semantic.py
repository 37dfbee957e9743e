"""Semantic highlighting: what each piece of a `.bib` file is."""

from __future__ import annotations

from hypothesis import given, settings

from bib_lsp.document import Document
from bib_lsp.features.semantic import TOKEN_MODIFIERS, TOKEN_TYPES, block_tokens
from bib_lsp.text import LINE_BREAK_RE
from tests.syntax.test_fuzz import mixed_texts


def tokens(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(text, type, modifiers) of every token, in order."""
    out = []
    for start, block in Document(text).blocks():
        found = block_tokens(block)
        for i in range(0, len(found), 4):
            at, length, kind, bits = found[i : i + 4]
            modifiers = tuple(m for n, m in enumerate(TOKEN_MODIFIERS) if bits & (1 << n))
            out.append((text[start + at : start + at + length], TOKEN_TYPES[kind], modifiers))
    return out


def test_an_entry() -> None:
    text = '@Article{knuth:84, title = {The {\\TeX}book} # " vol. 1", year = 1984, month = jan}'
    assert tokens(text) == [
        ("@Article", "type", ()),
        ("knuth:84", "variable", ("declaration",)),
        ("title", "property", ()),
        ("{The {\\TeX}book}", "string", ()),
        ("#", "operator", ()),
        ('" vol. 1"', "string", ()),
        ("year", "property", ()),
        ("1984", "number", ()),
        ("month", "property", ()),
        ("jan", "macro", ("defaultLibrary",)),
    ]


def test_strings_preamble_comments_and_free_text() -> None:
    text = (
        "% a comment line\n"
        '@string{jfm = "J. Fluid Mech."}\n'
        '@preamble{"\\newcommand"}\n'
        "@comment{not\n  read}\n"
        "@misc{k,\n  % gone = x,\n  journal = jfm}\n"
    )
    assert tokens(text) == [
        ("% a comment line", "comment", ()),
        ("@string", "keyword", ()),
        ("jfm", "macro", ("declaration",)),
        ('"J. Fluid Mech."', "string", ()),
        ("@preamble", "keyword", ()),
        ('"\\newcommand"', "string", ()),
        ("@comment", "keyword", ()),
        ("{not", "comment", ()),
        ("read}", "comment", ()),
        ("@misc", "type", ()),
        ("k", "variable", ("declaration",)),
        ("% gone = x,", "comment", ()),
        ("journal", "property", ()),
        ("jfm", "macro", ()),
    ]


def test_keys_in_reference_fields() -> None:
    text = "@book{b, crossref = {Conf20}, related = { a , b:2 }}"
    assert tokens(text)[2:] == [
        ("crossref", "property", ()),
        ("Conf20", "variable", ()),
        ("related", "property", ()),
        ("a", "variable", ()),
        ("b:2", "variable", ()),
    ]


def test_a_value_over_lines_is_a_token_per_line() -> None:
    text = "@book{b,\r\n  abstract = {One\r\n\r\n    two}}\r\n"
    assert tokens(text)[3:] == [("{One", "string", ()), ("two}", "string", ())]


def test_a_broken_entry_and_the_next() -> None:
    text = "@book{b, title = {Open\n@misc{m, note = x}"
    assert [t[:2] for t in tokens(text)] == [
        ("@book", "type"),
        ("b", "variable"),
        ("title", "property"),
        ("{Open", "string"),
        ("@misc", "type"),
        ("m", "variable"),
        ("note", "property"),
        ("x", "macro"),
    ]


@settings(max_examples=300, deadline=None)
@given(mixed_texts)
def test_tokens_are_in_order_within_lines_and_not_blank(text: str) -> None:
    for _start, block in Document(text).blocks():
        found = block_tokens(block)
        end = 0
        for i in range(0, len(found), 4):
            at, length = found[i], found[i + 1]
            piece = block.text[at : at + length]
            assert at >= end and length > 0
            assert not LINE_BREAK_RE.search(piece) and piece.strip(" \t") == piece
            end = at + length
