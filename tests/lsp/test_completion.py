"""Completion through the server, in both client profiles."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.conftest import PROFILES, Session, start

URI = "file:///tmp/bib-lsp-tests/complete.bib"


async def documentation(session: Session, item: lsp.CompletionItem) -> str:
    """The item's documentation as the client gets it: with the list, or (clients
    that say so) on completionItem/resolve."""
    if session.capabilities.completion_provider and item.documentation is None:
        assert item.data is not None  # resolved on request
        item = await session.client.completion_item_resolve_async(item)
    assert isinstance(item.documentation, lsp.MarkupContent)
    return item.documentation.value


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
    assert await documentation(session, article) == await documentation(session, article)
    assert "Required: `author`, `title`, `journal`, `year`." in await documentation(
        session, article
    )
    fields = await complete(session, 2, 2)
    names = [i.label for i in sorted(fields, key=lambda i: i.sort_text or "")]
    assert names[:3] == ["author", "journal", "year"]  # required first; title is there
    assert "title" not in names
    author = next(i for i in fields if i.label == "author")
    about = await documentation(session, author)
    assert about.startswith("**author** (name list)")
    assert "Required in `@article` (or `editor`)." not in about  # only @book has that choice
    assert "Required in `@article`." in about


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


async def labels_when(
    session: Session, uri: str, line: int, character: int, wanted: bool, label: str
) -> list[lsp.CompletionItem]:
    """Completion items once ``label`` is (or is no longer) among them: the workspace
    is read in the background, so the test waits for it (15 s at most)."""
    for _ in range(300):
        result = await session.client.text_document_completion_async(
            lsp.CompletionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, character))
        )
        assert isinstance(result, lsp.CompletionList)
        if any(i.label == label for i in result.items) == wanted:
            return result.items
        await asyncio.sleep(0.05)
    raise AssertionError(f"{label!r} {'never came' if wanted else 'stayed'}")


@pytest.mark.parametrize("profile", PROFILES)
async def test_macros_of_the_workspaces_other_files(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    strings = tmp_path / "strings.bib"
    strings.write_text('@string{jphys = "Journal of {Physics}"}\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "more.bib").write_text('@string{jchem = "J. Chem."}\n')
    session = await start(client, profile, {"diagnostics": {"debounceMs": 0}}, tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    text = '@string{jown = "Mine"}\n@article{k, journal = j}\n'
    await session.open(uri, text)
    items = await labels_when(session, uri, 1, 23, True, "jchem")
    watched = [r for r in client.registrations if r.method == "workspace/didChangeWatchedFiles"]  # type: ignore[attr-defined]
    assert len(watched) == (1 if profile == "visual-studio-code" else 0)  # neovim 0.11: no
    jphys = next(i for i in items if i.label == "jphys")
    assert jphys.detail == "Journal of {Physics}"
    assert "Defined in `strings.bib`, line 1." in await documentation(session, jphys)
    order = sorted(items, key=lambda i: i.sort_text or "")
    assert [i.label for i in order].index("jown") < [i.label for i in order].index("jphys")
    # The file changes on disk: the client's watcher tells the server, or (a client
    # without one) the server finds out by itself within seconds.
    strings.write_text('@string{jnew = "New"}\n', encoding="utf-8")
    if watched:
        session.client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams(
                [lsp.FileEvent(strings.as_uri(), lsp.FileChangeType.Changed)]
            )
        )
    items = await labels_when(session, uri, 1, 23, True, "jnew")
    assert "jphys" not in {i.label for i in items}
    strings.unlink()
    session.client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            [lsp.FileEvent(strings.as_uri(), lsp.FileChangeType.Deleted)]
        )
    )
    await labels_when(session, uri, 1, 23, False, "jnew")
    # An open file speaks for itself, unsaved text and all.
    other = (tmp_path / "sub" / "more.bib").as_uri()
    await session.open(other, '@string{jchem = "J. Chem. (edited)"}\n')
    items = await labels_when(session, uri, 1, 23, True, "jchem")
    assert next(i for i in items if i.label == "jchem").detail == "J. Chem. (edited)"


async def test_months_closed_sets_and_values_used_elsewhere(session: Session) -> None:
    text = (
        "@article{a, journal = {Journal of Fluid Mechanics}, pubstate = {}}\n"
        "@article{b, journal = {Journal of Fluid Mechanics}}\n"
        "@article{c, journal = {Nature}, month = }\n"
        "@article{d, journal = {}}\n"
    )
    await session.open(URI, text)
    lines = text.splitlines()

    def ordered(items: list[lsp.CompletionItem]) -> list[str]:
        return [i.label for i in sorted(items, key=lambda i: i.sort_text or "")]

    months = ordered(await complete(session, 2, len(lines[2]) - 1))
    assert months[:3] == ["apr", "aug", "dec"]  # the month macros first, in `month`
    states = ordered(await complete(session, 0, lines[0].index("{}}") + 1))
    assert "forthcoming" in states
    journals = await complete(session, 3, lines[3].index("{}") + 1)
    assert ordered(journals) == ["Journal of Fluid Mechanics", "Nature"]  # most used first
    assert journals[0].detail in ("used 2 times", "used 1 time")
