"""Code actions through the server: a quick fix per fixable diagnostic, applied as
the editor would apply it, and fix-all."""

from __future__ import annotations

import attrs
import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities

from tests.edits.apply import apply_edits
from tests.lsp.conftest import PROFILES, Session

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
    action, *ignoring = await actions_for(session, [problem])
    assert [a.title for a in ignoring] == [
        "Ignore `missing-comma` in this entry",  # between fields: not in one
        "Ignore `missing-comma` in this file",
    ]
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
    action, *_ = await actions_for(session, [problem])
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


async def test_every_diagnostic_can_be_ignored_in_its_entry_or_field_and_in_the_file(
    session: Session,
) -> None:
    text = (
        "% bib-lsp: ignore-file[empty-field]\n"
        "@misc{a, title = {T}}\n"
        "@article{b, author = {A}, title = {T}, journal = {J}, year = 2000,\n"
        "  pages = {1-2}}\n"
        "@misc{a, note = {N}}\n"
    )
    found = {d.code: d for d in await session.open(URI, text)}
    assert set(found) == {"page-range-hyphen", "duplicate-key"}
    pages = await actions_for(session, [found["page-range-hyphen"]])
    fix, entry, whole = pages
    assert fix.is_preferred
    for action in (entry, whole):  # offered, never preferred: they hide, not repair
        assert action.kind == lsp.CodeActionKind.QuickFix
        assert not action.is_preferred
    assert entry.title == "Ignore `page-range-hyphen` in `pages` of this entry"
    after, edits = applied(session, text, entry)
    # Before the entry, naming the field: BibTeX reads no comment inside an entry.
    assert after == text.replace("@article", "% bib-lsp: ignore[page-range-hyphen:pages]\n@article")
    changes = [lsp.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in edits]
    left = await session.change(URI, list(changes))
    assert [d.code for d in left] == ["duplicate-key", "duplicate-key"]
    # A finding about several entries: the comment before the later one.
    later = max(left, key=lambda d: d.range.start.line)
    _, entry, whole = await actions_for(session, [later])
    assert entry.title == "Ignore `duplicate-key` in this entry"
    after, _ = applied(session, after, entry)
    assert "% bib-lsp: ignore[duplicate-key]\n@misc{a, note" in after
    # The file form joins the file's comment at the top.
    assert whole.title == "Ignore `duplicate-key` in this file"
    after, _ = applied(session, after, whole)
    assert after.startswith("% bib-lsp: ignore-file[empty-field, duplicate-key]\n")


async def test_fix_all_never_adds_an_ignore_comment(session: Session) -> None:
    text = "@misc{k, title = {T}, note = jx}\n"
    (problem,) = await session.open(URI, text)
    assert problem.code == "undefined-macro"
    assert await actions_for(session, [], only=["source.fixAll"]) == []


async def test_an_undefined_macro_is_defined_in_its_spelling_with_the_cursor_in_the_value(
    session: Session,
) -> None:
    text = "@article{k, author = {A}, title = {T}, journal = IEEE_J_EDL, year = 2000}\n"
    (problem,) = await session.open(URI, text)
    define, *_ = await actions_for(session, [problem])
    assert define.title == "Define `IEEE_J_EDL` at the top"
    # These clients do not announce snippet edits: a plain edit, the value empty.
    after, _ = applied(session, text, define)
    assert after == "@string{IEEE_J_EDL = {}}\n" + text


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_client_taking_snippet_edits_gets_the_cursor_in_the_macro_value(
    client: LanguageClient, profile: str
) -> None:
    capabilities = client_capabilities(profile)
    assert capabilities.workspace is not None
    edit = capabilities.workspace.workspace_edit or lsp.WorkspaceEditClientCapabilities()
    capabilities.workspace.workspace_edit = attrs.evolve(
        edit, document_changes=True, snippet_edit_support=True
    )
    result = await client.initialize_session(
        lsp.InitializeParams(
            capabilities=capabilities,
            initialization_options={"diagnostics": {"debounceMs": 0}},
            root_uri="file:///tmp/bib-lsp-tests",
        )
    )
    session = Session(client, profile, result)
    text = "@article{k, author = {A}, title = {T}, journal = IEEE_J_EDL, year = 2000}\n"
    (problem,) = await session.open(URI, text)
    define, *_ = await actions_for(session, [problem])
    assert define.edit is not None and define.edit.changes is None
    [change] = define.edit.document_changes or []
    assert isinstance(change, lsp.TextDocumentEdit)
    assert change.text_document.uri == URI
    [snippet] = change.edits
    assert isinstance(snippet, lsp.SnippetTextEdit)
    assert snippet.range == lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    assert snippet.snippet.value == "@string{IEEE_J_EDL = {$0\\}\\}\n"


async def test_a_quote_inside_a_quoted_value_is_one_error_with_a_fix(session: Session) -> None:
    text = '@misc{q,\n  title = "He said "hi"",\n  year = 2000,\n}\n'
    (problem,) = await session.open(URI, text)
    assert problem.code == "quote-in-quoted-value"
    assert problem.range.start == lsp.Position(1, 19)  # the inner `"`
    action, *ignore = await actions_for(session, [problem])
    assert [a.title.split()[0] for a in ignore] == ["Ignore", "Ignore"]
    assert action.is_preferred
    after, edits = applied(session, text, action)
    assert after == '@misc{q,\n  title = "He said {"hi"}",\n  year = 2000,\n}\n'
    assert len(edits) == 2  # `{` and `}`: nothing else of the line is rewritten
    assert await session.change(URI, [lsp.TextDocumentContentChangeWholeDocument(after)]) == []
