"""End to end through the real server process (both client profiles): format,
fix and rename a document, each answer's edits applied client-side and sent
back as the client would, and what the document means checked after each."""

from __future__ import annotations

from dataclasses import replace

from lsprotocol import types as lsp

from tests.edits.apply import apply_edits
from tests.lsp.conftest import Session
from tests.meaning import Thing, meaning

URI = "file:///tmp/bib-lsp-tests/edits.bib"
TEXT = (
    "@string{conf = {Conférence}}\n"
    "@Book{parent,  title={Main 😀 Volume},\n  year = 1999, publisher = conf}\n"
    "@InCollection{child,\n    title = {Part},\n    Title = {Part again},\n"
    "    crossref = {parent}, booktitle = conf # { 2024}}\n"
    "@misc{broken, title = {unclosed\n"
)


async def _send(session: Session, text: str) -> list[lsp.Diagnostic]:
    return await session.change(URI, [lsp.TextDocumentContentChangeWholeDocument(text)])


async def test_format_fix_and_rename_keep_everything_else(session: Session) -> None:
    await session.open(URI, TEXT)
    # Formatting: the same meaning, the broken entry kept as written.
    edits = await session.client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            lsp.TextDocumentIdentifier(URI), lsp.FormattingOptions(2, True)
        )
    )
    assert edits
    text = apply_edits(TEXT, edits, session.encoding)
    assert meaning(text, loose=True) == meaning(TEXT, loose=True)
    assert "@misc{broken, title = {unclosed" in text
    diagnostics = await _send(session, text)

    # The quick fix for the duplicate `title`: that one field goes.
    (duplicate,) = [d for d in diagnostics if d.code == "duplicate-field"]
    actions = await session.client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(URI),
            duplicate.range,
            lsp.CodeActionContext([duplicate], only=["quickfix"]),
        )
    )
    (remove,) = [a for a in actions or [] if isinstance(a, lsp.CodeAction) and "Remove" in a.title]
    assert remove.edit is not None and remove.edit.changes is not None
    fixed = apply_edits(text, remove.edit.changes[URI], session.encoding)
    before, after = meaning(text), meaning(fixed)
    child = next(i for i, t in enumerate(before) if isinstance(t, Thing) and t.key == "child")
    gone = next(i for i, f in enumerate(before[child].fields) if f[0] == "title" and i > 0)
    assert after == [*before[:child], before[child].without(gone), *before[child + 1 :]]
    diagnostics = await _send(session, fixed)
    assert not [d for d in diagnostics if d.code == "duplicate-field"]

    # Renaming the key `parent` (at its use in `crossref`) and the macro `conf`.
    line = fixed.split("\n").index(next(x for x in fixed.split("\n") if "crossref" in x))
    column = fixed.split("\n")[line].index("parent")
    text = fixed
    for position, new in [
        (lsp.Position(line, column + 2), "main2024"),
        (lsp.Position(0, 9), "cnf"),
    ]:
        edit = await session.client.text_document_rename_async(
            lsp.RenameParams(lsp.TextDocumentIdentifier(URI), position, new)
        )
        assert edit is not None
        if edit.document_changes is not None:
            (change,) = edit.document_changes
            assert isinstance(change, lsp.TextDocumentEdit)
            edits = list(change.edits)  # type: ignore[arg-type]
        else:
            assert edit.changes is not None
            edits = edit.changes[URI]
        renamed = apply_edits(text, edits, session.encoding)
        old_name = "parent" if new == "main2024" else "conf"
        assert renamed.replace(new, old_name) == text  # the name, and nothing else
        assert len(edits) == text.count(old_name)
        text = renamed
        await _send(session, text)
    things = meaning(text)
    assert replace(things[0], fields=()) == replace(meaning(TEXT)[0], fields=())
    assert things[0].fields[0][0] == "cnf"
