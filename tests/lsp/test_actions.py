"""Code actions through the server: a quick fix per fixable diagnostic, applied as
the editor would apply it, and fix-all."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.edits.apply import apply_edits
from tests.lsp.conftest import Session

URI = "file:///tmp/bib-lsp-tests/actions.bib"


def applied(session: Session, text: str, action: lsp.CodeAction) -> tuple[str, list[lsp.TextEdit]]:
    """The text after the action's edits, applied as the client would."""
    assert action.edit is not None and action.edit.changes is not None
    edits = action.edit.changes[URI]
    return apply_edits(text, edits, session.encoding), edits


async def actions_for(
    session: Session, diagnostics: list[lsp.Diagnostic], only: list[str] | None = None
) -> list[lsp.CodeAction]:
    whole = lsp.Range(lsp.Position(0, 0), lsp.Position(99, 0))
    result = await session.client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(URI),
            whole if not diagnostics else diagnostics[0].range,
            lsp.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


async def test_a_quick_fix_inserts_the_missing_comma_and_the_diagnostic_goes(
    session: Session,
) -> None:
    # Non-ASCII before the place of the fix: the edit's columns are in the
    # negotiated encoding.
    text = "@misc{k,\n  title = {Ä 😀 T}\n  note = {N}\n}\n"
    (problem,) = await session.open(URI, text)
    assert problem.code == "missing-comma"
    (action,) = await actions_for(session, [problem])
    assert action.kind == lsp.CodeActionKind.QuickFix
    assert action.is_preferred
    assert list(action.diagnostics or []) == [problem]
    after, edits = applied(session, text, action)
    assert after == "@misc{k,\n  title = {Ä 😀 T},\n  note = {N}\n}\n"
    changes = [lsp.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in edits]
    assert await session.change(URI, list(changes)) == []


async def test_fix_all_is_offered_when_asked_for_and_covers_every_safe_fix(
    session: Session,
) -> None:
    text = "@misc{k,\n  title = {T}\n  note = {N}\n  howpublished = {H}\n}\n"
    problems = await session.open(URI, text)
    assert [d.code for d in problems] == ["missing-comma", "missing-comma"]
    (action,) = await actions_for(session, [], only=["source.fixAll"])
    assert action.kind == "source.fixAll.bib-lsp"
    after, _ = applied(session, text, action)
    assert after == "@misc{k,\n  title = {T},\n  note = {N},\n  howpublished = {H}\n}\n"


async def test_an_entry_missing_a_field_gets_it_as_a_placeholder(session: Session) -> None:
    text = "@article{k,\n  author = {A},\n  title = {T},\n  year = 2000,\n}\n"
    (problem,) = await session.open(URI, text)
    (action,) = await actions_for(session, [problem])
    assert action.title == "Add `journal`"
    after, _ = applied(session, text, action)
    assert after == text.replace("2000,\n", "2000,\n  journal = {},\n")


async def test_a_stale_diagnostic_gets_no_fix(session: Session) -> None:
    # The client sends back a diagnostic from before an edit: its place no longer
    # holds that finding, and a fix there would edit the wrong text.
    text = "@misc{k,\n  title = {T}\n  note = {N}\n}\n"
    (problem,) = await session.open(URI, text)
    stale = lsp.Diagnostic(
        range=lsp.Range(lsp.Position(1, 2), lsp.Position(1, 2)),  # before `title =`
        message=problem.message,
        code=problem.code,
        source=problem.source,
    )
    assert await actions_for(session, [stale]) == []


async def test_a_quote_inside_a_quoted_value_is_one_error_with_a_fix(session: Session) -> None:
    text = '@misc{q,\n  title = "He said "hi"",\n  year = 2000,\n}\n'
    (problem,) = await session.open(URI, text)
    assert problem.code == "quote-in-quoted-value"
    assert problem.range.start == lsp.Position(1, 19)  # the inner `"`
    (action,) = await actions_for(session, [problem])
    assert action.is_preferred
    after, edits = applied(session, text, action)
    assert after == '@misc{q,\n  title = "He said {"hi"}",\n  year = 2000,\n}\n'
    assert len(edits) == 2  # `{` and `}`: nothing else of the line is rewritten
    assert await session.change(URI, [lsp.TextDocumentContentChangeWholeDocument(after)]) == []
