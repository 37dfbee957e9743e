"""Formatting through the server, in both client profiles: minimal edits in the
negotiated encoding, range formatting, settings, broken entries left alone."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.edits.apply import apply_edits
from tests.lsp.conftest import PROFILES, Session, start

URI = "file:///tmp/bib-lsp-tests/format.bib"
TEXT = (
    "@article{a,\n  author = {Ä Writer},\n  title = {T},\n}\n\n"
    "@book{b,title={😀 B},\n     year = 2001}\n\n"
    "@misc{broken, title = {unclosed\n}\n"
    "@misc{c,note={N}}\n"
)
OPTIONS = lsp.FormattingOptions(tab_size=4, insert_spaces=True)


def applied(session: Session, text: str, edits: list[lsp.TextEdit]) -> str:
    """The text after the edits (positions in the negotiated encoding)."""
    return apply_edits(text, edits, session.encoding)


async def test_document_formatting_is_minimal_and_keeps_broken_entries(session: Session) -> None:
    await session.open(URI, TEXT)
    edits = await session.client.text_document_formatting_async(
        lsp.DocumentFormattingParams(lsp.TextDocumentIdentifier(URI), OPTIONS)
    )
    assert edits
    assert all(e.range.start.line >= 5 for e in edits)  # entry `a` is tidy: untouched
    result = applied(session, TEXT, edits)
    assert "@book{b,\n  title = {😀 B},\n  year = 2001\n}" in result
    assert "@misc{broken, title = {unclosed\n}\n" in result  # byte for byte
    assert result.endswith("@misc{c,\n  note = {N}\n}\n")


async def test_range_formatting_touches_only_the_entries_in_the_range(session: Session) -> None:
    await session.open(URI, TEXT)
    edits = await session.client.text_document_range_formatting_async(
        lsp.DocumentRangeFormattingParams(
            lsp.TextDocumentIdentifier(URI),
            lsp.Range(lsp.Position(5, 0), lsp.Position(5, 3)),
            OPTIONS,
        )
    )
    result = applied(session, TEXT, edits)
    assert "@book{b,\n  title = {😀 B},\n  year = 2001\n}" in result
    assert result.endswith("@misc{c,note={N}}\n")  # outside the range


@pytest.mark.parametrize("profile", PROFILES)
async def test_format_settings(client: LanguageClient, profile: str) -> None:
    options = {
        "diagnostics": {"debounceMs": 0},
        "format": {"typeCase": "upper", "indent": "tab", "alignEquals": True},
    }
    session = await start(client, profile, options)
    await session.open(URI, TEXT)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(lsp.TextDocumentIdentifier(URI), OPTIONS)
    )
    result = applied(session, TEXT, edits)
    assert result.startswith("@ARTICLE{a,\n\tauthor = {Ä Writer},\n\ttitle  = {T},\n}")
    assert "@BOOK{b,\n\ttitle = {😀 B},\n\tyear  = 2001\n}" in result
