"""Diagnostics through the real server: they appear, move with edits, clear, and
carry code, source and a link to the rule's page; push and pull."""

from __future__ import annotations

from lsprotocol import types as lsp

from tests.lsp.conftest import Session

URI = "file:///tmp/bib-lsp-tests/refs.bib"

BROKEN = """\
@book{knuth84,
  title = {The {TeX book},
  author = {Donald E. Knuth},
  publisher = {Addison-Wesley},
  year  = 1984,
}

@misc{ok, title = {Fine}}
"""


def change(
    start: tuple[int, int], end: tuple[int, int], text: str
) -> lsp.TextDocumentContentChangeEvent:
    return lsp.TextDocumentContentChangePartial(
        range=lsp.Range(lsp.Position(*start), lsp.Position(*end)), text=text
    )


async def test_unclosed_brace_is_reported_where_it_is(session: Session) -> None:
    (d,) = await session.open(URI, BROKEN)
    assert d.code == "unbalanced-braces"
    assert d.source == "bib-lsp"
    assert d.severity == lsp.DiagnosticSeverity.Error
    assert d.range == lsp.Range(lsp.Position(1, 10), lsp.Position(1, 11))
    assert "probably never closed" in d.message
    assert d.code_description is not None
    assert d.code_description.href.endswith("/bib_lsp/rule_docs/unbalanced-braces.md")


async def test_diagnostics_move_with_edits_and_clear_when_fixed(session: Session) -> None:
    await session.open(URI, BROKEN)
    # Two lines inserted above: the diagnostic moves down with its brace.
    (d,) = await session.change(URI, [change((0, 0), (0, 0), "% notes\n\n")])
    assert d.range.start == lsp.Position(3, 10)
    # Typing the missing brace fixes it.
    assert await session.change(URI, [change((3, 18), (3, 18), "}")]) == []
    # Breaking another entry reports that one, once.
    (d,) = await session.change(URI, [change((9, 24), (9, 25), "")])
    assert d.code == "unbalanced-braces"
    assert d.range.start.line == 9


async def test_several_changes_in_one_notification(session: Session) -> None:
    await session.open(URI, "@misc{a, title = {x}}\n")
    result = await session.change(
        URI,
        [
            change((0, 20), (0, 21), ""),  # drop the entry's `}`
            change((0, 0), (0, 0), "@misc{b, year = 1}\n"),  # then add a line above
        ],
    )
    assert [(d.code, d.range.start.line) for d in result] == [("unbalanced-braces", 1)]


async def test_full_text_replacement(session: Session) -> None:
    await session.open(URI, BROKEN)
    result = await session.change(
        URI, [lsp.TextDocumentContentChangeWholeDocument(text="@misc{a, t = ,}\n")]
    )
    assert [(d.code, d.range.start.character) for d in result] == [("missing-value", 11)]


async def test_position_encoding_counts_what_the_client_counts(session: Session) -> None:
    # "Gödel 😀 東京" before the missing comma: 11 characters, 12 UTF-16 units,
    # 18 UTF-8 bytes.
    text = "@misc{k, author = {Gödel 😀 東京} title = {x}}\n"
    (d,) = await session.open(URI, text)
    assert d.code == "missing-comma"
    prefix = text[: text.index(" title")]
    expected = {
        "utf-16": len(prefix.encode("utf-16-le")) // 2,
        "utf-8": len(prefix.encode("utf-8")),
        "utf-32": len(prefix),
    }[session.encoding]
    assert d.range.start == lsp.Position(0, expected)
    assert session.encoding == ("utf-8" if session.profile == "neovim" else "utf-16")


async def test_edit_ranges_are_read_in_the_negotiated_encoding(session: Session) -> None:
    text = "@misc{k, note = {😀東}, title = {x}}\n"
    await session.open(URI, text)
    # Delete the `,` after the emoji value: its column depends on the encoding.
    at = text.index("},") + 1
    column = {
        "utf-16": len(text[:at].encode("utf-16-le")) // 2,
        "utf-8": len(text[:at].encode("utf-8")),
        "utf-32": at,
    }[session.encoding]
    (d,) = await session.change(URI, [change((0, column), (0, column + 1), "")])
    assert d.code == "missing-comma"
    assert d.range.start.character == column


async def test_closing_a_document_clears_its_diagnostics(session: Session) -> None:
    await session.open(URI, BROKEN)
    cleared = await session.close(URI)
    if session.pull:
        # Nothing is pushed; a pull for a closed document gets an empty report.
        assert await session.diagnostics(URI) == []
    else:
        assert cleared == []


async def test_pull_reports_unchanged_until_the_document_changes(session: Session) -> None:
    if not session.pull:
        return
    await session.open(URI, BROKEN)
    first = await session.client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(lsp.TextDocumentIdentifier(URI))
    )
    assert isinstance(first, lsp.RelatedFullDocumentDiagnosticReport)
    assert first.result_id
    again = await session.client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(
            lsp.TextDocumentIdentifier(URI), previous_result_id=first.result_id
        )
    )
    assert isinstance(again, lsp.RelatedUnchangedDocumentDiagnosticReport)
    assert again.result_id == first.result_id
    await session.change(URI, [change((0, 0), (0, 0), "\n")])
    after = await session.client.text_document_diagnostic_async(
        lsp.DocumentDiagnosticParams(
            lsp.TextDocumentIdentifier(URI), previous_result_id=first.result_id
        )
    )
    assert isinstance(after, lsp.RelatedFullDocumentDiagnosticReport)
    assert after.result_id != first.result_id
    assert after.items[0].range.start.line == 2


async def test_a_certain_field_typo_is_a_warning_and_a_doubtful_one_a_hint(
    session: Session,
) -> None:
    text = "@misc{k, title = {T}, adress = {Paris}, editon = {2}}\n"
    found = await session.open(URI, text)
    severities = {text[d.range.start.character : d.range.end.character]: d.severity for d in found}
    assert severities == {
        "adress": lsp.DiagnosticSeverity.Warning,  # `address`, and nothing else
        "editon": lsp.DiagnosticSeverity.Hint,  # `edition` or `editor`?
    }
