"""Workspace symbols, references and renaming through the server, in both client
profiles, over a workspace of `.bib`, LaTeX and Markdown files."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.edits.apply import apply_edits
from tests.lsp.conftest import PROFILES, Session, start

OPEN = (
    "@string{aw = {Addison-Wesley}}\n"
    "@book{knuth84, title = {The {\\TeX}book}, publisher = aw}\n"
    "@misc{lamport, crossref = {knuth84}}\n"
)
OTHER = (
    "@inbook{ch1, crossref = {Knuth84}, publisher = aw # { Inc.}}\n"
    "@article{unopened99, title = {A Hidden Gem}}\n"
)
TEX = (
    "\\documentclass{article}\n% Ünïcode\nSee é \\citep[p.~3]{lamport, knuth84} and \\cite{ch1}.\n"
)
MD = "As [see @knuth84, p. 3; @ch1] says.\nMail knuth84@example.org or @knuth84.\n"


async def workspace(client: LanguageClient, profile: str, tmp_path: Path) -> Session:
    (tmp_path / "other.bib").write_text(OTHER, encoding="utf-8")
    (tmp_path / "paper.tex").write_text(TEX, encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "notes.md").write_text(MD, encoding="utf-8")
    session = await start(client, profile, {"diagnostics": {"debounceMs": 0}}, tmp_path.as_uri())
    await session.open((tmp_path / "refs.bib").as_uri(), OPEN)
    await symbols_when(session, "unopened")  # the workspace has been read
    return session


async def symbols_when(session: Session, query: str) -> list[lsp.SymbolInformation]:
    """The symbols for ``query`` once there are any: the workspace is read in the
    background (15 s at most)."""
    for _ in range(300):
        found = await session.client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query))
        if found:
            assert all(isinstance(s, lsp.SymbolInformation) for s in found)
            return found  # type: ignore[return-value]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no symbol for {query!r}")


def column(session: Session, text: str) -> int:
    """The length of ``text`` in the session's position encoding."""
    if session.encoding == "utf-8":
        return len(text.encode("utf-8"))
    if session.encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def spot(session: Session, text: str, needle: str, nth: int = 0) -> tuple[int, int, int]:
    """(line, start, end) of the ``nth`` occurrence of ``needle``, in the session's units."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at)
    start = column(session, text[text.rfind("\n", 0, at) + 1 : at])
    return line, start, start + column(session, needle)


def places(locations: list[lsp.Location], root: Path) -> set[tuple[str, int, int, int]]:
    out = set()
    for loc in locations:
        name = Path(loc.uri.removeprefix("file://")).relative_to(root).as_posix()
        assert loc.range.start.line == loc.range.end.line
        out.add((name, loc.range.start.line, loc.range.start.character, loc.range.end.character))
    return out


@pytest.mark.parametrize("profile", PROFILES)
async def test_workspace_symbols_from_open_and_unopened_files_with_progress(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    session = await workspace(client, profile, tmp_path)
    (found,) = await symbols_when(session, "UNOPENED")
    assert found.kind == lsp.SymbolKind.Struct
    assert found.location.uri == (tmp_path / "other.bib").as_uri()
    line, start, end = spot(session, OTHER, "unopened99")
    assert found.location.range == lsp.Range(lsp.Position(line, start), lsp.Position(line, end))
    assert found.container_name == "A Hidden Gem"
    assert [s.name for s in await symbols_when(session, "hidden gem")] == ["unopened99"]
    found = await symbols_when(session, "u")
    assert [s.name for s in found] == ["unopened99", "knuth84"]  # starting with it first
    assert found[1].location.uri == (tmp_path / "refs.bib").as_uri()
    (macro,) = await symbols_when(session, "aw")
    assert (macro.name, macro.kind) == ("aw", lsp.SymbolKind.Constant)
    # The first scan told the client how far it was.
    for _ in range(300):
        reports = client.progress_reports.get("bib-lsp-workspace-scan", [])
        if reports and isinstance(reports[-1], lsp.WorkDoneProgressEnd):
            break
        await asyncio.sleep(0.05)
    assert isinstance(reports[0], lsp.WorkDoneProgressBegin)
    assert isinstance(reports[-1], lsp.WorkDoneProgressEnd)


async def references(
    session: Session, uri: str, position: tuple[int, int], declaration: bool = True
) -> list[lsp.Location]:
    found = await session.client.text_document_references_async(
        lsp.ReferenceParams(
            context=lsp.ReferenceContext(include_declaration=declaration),
            text_document=lsp.TextDocumentIdentifier(uri),
            position=lsp.Position(*position),
        )
    )
    assert found is not None
    return found


@pytest.mark.parametrize("profile", PROFILES)
async def test_references_of_a_key_and_of_a_macro(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    session = await workspace(client, profile, tmp_path)
    uri = (tmp_path / "refs.bib").as_uri()
    definition = ("refs.bib", *spot(session, OPEN, "knuth84"))
    uses = {
        ("refs.bib", *spot(session, OPEN, "knuth84", 1)),
        ("other.bib", *spot(session, OTHER, "Knuth84")),
        ("paper.tex", *spot(session, TEX, "knuth84")),
        ("notes/notes.md", *spot(session, MD, "knuth84")),
        ("notes/notes.md", *spot(session, MD, "knuth84", 2)),  # not the mail address
    }
    line, start, _ = definition[1:]
    assert (
        places(await references(session, uri, (line, start + 2)), tmp_path) == {definition} | uses
    )
    # From a use in `crossref`, without the declaration.
    line, start, _ = spot(session, OPEN, "knuth84", 1)
    assert places(await references(session, uri, (line, start), False), tmp_path) == uses
    # A macro: its definition and its uses in every .bib file.
    line, start, _ = spot(session, OPEN, "aw", 1)
    assert places(await references(session, uri, (line, start)), tmp_path) == {
        ("refs.bib", *spot(session, OPEN, "aw")),
        ("refs.bib", *spot(session, OPEN, "aw", 1)),
        ("other.bib", *spot(session, OTHER, "aw")),
    }
    # Elsewhere: no references.
    found = await session.client.text_document_references_async(
        lsp.ReferenceParams(
            context=lsp.ReferenceContext(True),
            text_document=lsp.TextDocumentIdentifier(uri),
            position=lsp.Position(1, 2),
        )
    )
    assert found is None


def apply(text: str, edits: list[lsp.TextEdit], session: Session) -> str:
    """``text`` with ``edits`` applied (ranges in the session's units)."""
    return apply_edits(text, edits, session.encoding)


async def rename(
    session: Session, uri: str, position: tuple[int, int], new: str
) -> dict[str, list[lsp.TextEdit]]:
    edit = await session.client.text_document_rename_async(
        lsp.RenameParams(lsp.TextDocumentIdentifier(uri), lsp.Position(*position), new)
    )
    assert edit is not None
    if session.profile == "visual-studio-code":  # it takes documentChanges
        assert edit.changes is None and edit.document_changes is not None
        out: dict[str, list[lsp.TextEdit]] = {}
        for change in edit.document_changes:
            assert isinstance(change, lsp.TextDocumentEdit)
            out[change.text_document.uri] = list(change.edits)  # type: ignore[arg-type]
        return out
    assert edit.document_changes is None and edit.changes is not None
    return dict(edit.changes)


@pytest.mark.parametrize("profile", PROFILES)
async def test_renaming_a_key_and_a_macro_across_files(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    session = await workspace(client, profile, tmp_path)
    uri = (tmp_path / "refs.bib").as_uri()
    line, start, end = spot(session, OPEN, "knuth84", 1)
    prepared = await session.client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, start + 1))
    )
    assert isinstance(prepared, lsp.PrepareRenamePlaceholder)
    assert prepared.placeholder == "knuth84"
    assert prepared.range == lsp.Range(lsp.Position(line, start), lsp.Position(line, end))
    edits = await rename(session, uri, (line, start), "knuth:1984")
    texts = {
        uri: OPEN,
        (tmp_path / "other.bib").as_uri(): OTHER,
        (tmp_path / "paper.tex").as_uri(): TEX,
        (tmp_path / "notes" / "notes.md").as_uri(): MD,
    }
    assert set(edits) == set(texts)
    renamed = {u: apply(texts[u], e, session) for u, e in edits.items()}
    assert renamed[uri] == OPEN.replace("knuth84", "knuth:1984")
    assert renamed[(tmp_path / "other.bib").as_uri()] == OTHER.replace("Knuth84", "knuth:1984")
    assert "{lamport, knuth:1984}" in renamed[(tmp_path / "paper.tex").as_uri()]
    md = renamed[(tmp_path / "notes" / "notes.md").as_uri()]
    assert md == MD.replace("@knuth84", "@knuth:1984")
    # A macro, from its definition.
    line, start, _ = spot(session, OPEN, "aw")
    edits = await rename(session, uri, (line, start), "addwes")
    assert set(edits) == {uri, (tmp_path / "other.bib").as_uri()}
    assert apply(OPEN, edits[uri], session) == OPEN.replace("aw", "addwes")
    # A change of case only is no collision.
    edits = await rename(session, uri, (line, start), "AW")
    assert len(edits[uri]) == 2


@pytest.mark.parametrize("profile", PROFILES)
async def test_refusals(client: LanguageClient, profile: str, tmp_path: Path) -> None:
    session = await workspace(client, profile, tmp_path)
    uri = (tmp_path / "refs.bib").as_uri()
    key = spot(session, OPEN, "knuth84")[:2]
    macro = spot(session, OPEN, "aw")[:2]
    cases = [
        (key, "o'neil", "biber cannot read it"),
        (key, "a b", "not a valid key"),
        (key, "CH1", "already an entry with the key `CH1`"),  # in the unopened file
        (key, "Lamport", "already an entry with the key"),
        (macro, "2x", "not a valid macro name"),
        (macro, "AW2", None),
    ]
    for position, new, message in cases:
        request = session.client.text_document_rename_async(
            lsp.RenameParams(lsp.TextDocumentIdentifier(uri), lsp.Position(*position), new)
        )
        if message is None:
            assert await request is not None
            continue
        with pytest.raises(JsonRpcException, match=message):
            await request
    title = spot(session, OPEN, "title")[:2]
    with pytest.raises(JsonRpcException, match="only an entry key or an @string macro"):
        await session.client.text_document_rename_async(
            lsp.RenameParams(lsp.TextDocumentIdentifier(uri), lsp.Position(*title), "x")
        )
    with pytest.raises(JsonRpcException, match="only an entry key or an @string macro"):
        await session.client.text_document_prepare_rename_async(
            lsp.PrepareRenameParams(lsp.TextDocumentIdentifier(uri), lsp.Position(*title))
        )


CASED = (
    "@book{Key, author = {A, B}, title = {Upper}, date = {2000}}\n"
    "@book{key, author = {A, B}, title = {Lower}, date = {2000}}\n"
    "@inbook{ch, author = {C, D}, title = {Ch}, booktitle = {B}, date = {2000},"
    " crossref = {key}}\n"
)
CASED_TEX = "\\cite{Key} and \\cite{key}.\n"


@pytest.mark.parametrize("profile", PROFILES)
async def test_biblatex_keys_are_compared_with_case_in_the_editor(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    """In the biblatex dialect `Key` and `key` are two entries, as for biber: the
    diagnostics say so, and definition, references and rename keep them apart."""
    (tmp_path / "paper.tex").write_text(CASED_TEX, encoding="utf-8")
    options = {"diagnostics": {"debounceMs": 0}, "dialect": "biblatex"}
    session = await start(client, profile, options, tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    diagnostics = await session.open(uri, CASED)
    codes = sorted(str(d.code) for d in diagnostics)
    assert codes == ["key-case-mismatch", "key-case-mismatch"]
    # Definition from the crossref: the entry spelled `key`, not the first in any case.
    # (The spot is the brace before the key; one character on is the key.)
    line, col, _ = spot(session, CASED, "{key}")
    found = await session.client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, col + 1))
    )
    assert found is not None
    target = found[0]
    assert isinstance(target, lsp.LocationLink | lsp.Location)
    shown = target.target_selection_range if isinstance(target, lsp.LocationLink) else target.range
    assert shown.start.line == 1
    # References of `Key`: its entry and its citation only.
    line, col, _ = spot(session, CASED, "Key")
    assert places(await references(session, uri, (line, col)), tmp_path) == {
        ("refs.bib", *spot(session, CASED, "Key")),
        ("paper.tex", *spot(session, CASED_TEX, "Key")),
    }
    # Renaming `Key` leaves `key` and its uses alone.
    edits = await rename(session, uri, (line, col), "Upper")
    assert apply(CASED, edits[uri], session) == CASED.replace("{Key,", "{Upper,")
    tex = (tmp_path / "paper.tex").as_uri()
    assert apply(CASED_TEX, edits[tex], session) == CASED_TEX.replace("{Key}", "{Upper}")
    # A new key spelled like another entry's is refused; another case is not.
    with pytest.raises(JsonRpcException, match="already an entry with the key `key`"):
        await rename(session, uri, (line, col), "key")
    assert await rename(session, uri, (line, col), "KEY")
