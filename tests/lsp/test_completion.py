"""Completion through the server, in both client profiles."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session

URI = "file:///tmp/bib-lsp-tests/complete.bib"


async def complete(session: Session, line: int, character: int) -> list[lsp.CompletionItem]:
    result = await session.client.text_document_completion_async(
        lsp.CompletionParams(lsp.TextDocumentIdentifier(URI), lsp.Position(line, character))
    )
    assert isinstance(result, lsp.CompletionList)
    return result.items


async def test_macros_and_keys_with_the_range_they_replace(session: Session) -> None:
    # Non-ASCII before the cursor: the range is in the negotiated encoding.
    text = (
        '@string{tub = "TUGboat"}\n'
        "@proceedings{tug2020, title = {TUG 2020}}\n"
        "@inproceedings{k, title = {Ä 😀}, journal = tu, crossref = {tug}}\n"
    )
    await session.open(URI, text)
    line = text.splitlines()[2]
    column = len(line[: line.index("tu,") + 2].encode("utf-16-le")) // 2
    if session.encoding == "utf-8":
        column = len(line[: line.index("tu,") + 2].encode("utf-8"))
    items = await complete(session, 2, column)
    tub = next(i for i in items if i.label == "tub")
    assert tub.detail == "TUGboat"
    assert isinstance(tub.text_edit, lsp.TextEdit)
    start = tub.text_edit.range.start.character
    assert tub.text_edit.range.end.character == column
    assert start == column - 2  # `tu` is replaced
    keys = await complete(session, 2, column + len(", crossref = {tug"))
    first = min(keys, key=lambda i: i.sort_text or "")
    assert first.label == "tug2020"


async def test_nothing_to_complete_in_a_key(session: Session) -> None:
    await session.open(URI, "@misc{k, title = {T}}\n")
    assert list(await complete(session, 0, 7)) == []


async def test_entry_types_and_fields_as_the_client_takes_them(session: Session) -> None:
    await session.open(URI, "@\n@article{k, title = {T},\n  \n}\n")
    types = {i.label: i for i in await complete(session, 0, 1)}
    article = types["article"]
    assert isinstance(article.text_edit, lsp.TextEdit)
    if article.insert_text_format == lsp.InsertTextFormat.Snippet:
        assert article.text_edit.new_text.startswith("article{${1:key},")
    else:
        assert article.text_edit.new_text.startswith("article{,\n  author = {},")
    assert isinstance(article.documentation, lsp.MarkupContent)
    fields = await complete(session, 2, 2)
    names = [i.label for i in sorted(fields, key=lambda i: i.sort_text or "")]
    assert names[:3] == ["author", "journal", "year"]  # required first; title is there
    assert "title" not in names


async def test_at_the_end_of_a_crlf_file_in_a_broken_entry_after_non_ascii(
    session: Session,
) -> None:
    # An unclosed entry at the very end of the file, CRLF line breaks, and
    # characters before the cursor that are more than one unit in UTF-16 and UTF-8.
    text = "@article{k,\r\n  title = {Ä 😀},\r\n  jour"
    await session.open(URI, text)
    items = await complete(session, 2, 6)
    journal = next(i for i in items if i.label == "journal")
    assert isinstance(journal.text_edit, lsp.TextEdit)
    assert journal.text_edit.range == lsp.Range(lsp.Position(2, 2), lsp.Position(2, 6))
    assert journal.sort_text is not None and journal.sort_text.startswith("0")  # required
    # At the very start of the file: nothing to complete, and no error.
    assert list(await complete(session, 0, 0)) == []
