"""A large document is checked in stages: the parser's problems are published at
once, the index and the rules follow in the background (with work-done progress),
then every finding is published; edits and requests are served meanwhile. The
server is started with a low threshold (BIB_LSP_STAGED_ABOVE) so that small
documents take the staged path."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.conftest import start

URI = "file:///tmp/bib-lsp-tests/large.bib"
STAGED = ClientServerConfig(
    server_command=[sys.executable, "-m", "bib_lsp"],
    server_env={**os.environ, "BIB_LSP_STAGED_ABOVE": "20"},
)


def document(count: int) -> str:
    """``count`` complete articles, then one that lacks its journal (a rule's
    finding), one with a missing comma (the parser's) and one that cross-refers
    to the first."""
    entries = [
        f"@article{{a{i},\n  author = {{Ann Writer}},\n  title = {{Paper {i}}},\n"
        f"  journal = {{Journal}},\n  year = 2001,\n}}\n"
        for i in range(count)
    ]
    entries.append(
        "@article{nojournal,\n  author = {B. Writer},\n  title = {T},\n  year = 2002,\n}\n"
    )
    entries.append("@misc{comma,\n  title = {x}\n  year = 2003,\n}\n")
    entries.append("@inproceedings{child,\n  title = {Part},\n  crossref = {a0},\n}\n")
    return "\n".join(entries)


@pytest_lsp.fixture(config=STAGED)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    published: list[lsp.PublishDiagnosticsParams] = []
    lsp_client.published = published  # type: ignore[attr-defined]

    # Every publication in order (pytest-lsp's own handler keeps the last only).
    features = lsp_client.protocol.fm.features
    keep_last = features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def on_publish(params: lsp.PublishDiagnosticsParams) -> None:
        published.append(params)
        keep_last(params)

    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = on_publish

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        pass  # accepted, as editors do

    yield
    await lsp_client.shutdown_session()


def _codes(diagnostics: list[lsp.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


async def _until(what: str, condition: Any, seconds: float = 60) -> None:
    """Wait (polling) until ``condition()`` holds; fail after ``seconds``."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _checks(client: LanguageClient) -> list[list[Any]]:
    """The work-done progress of the staged checks, per token."""
    return [v for k, v in client.progress_reports.items() if str(k).startswith("bib-lsp-check-")]


async def test_syntax_first_then_every_finding_with_progress(client: LanguageClient) -> None:
    published: list[lsp.PublishDiagnosticsParams] = client.published  # type: ignore[attr-defined]
    await start(client, "visual-studio-code", {"diagnostics": {"debounceMs": 0}})
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(URI, "bibtex", 1, document(40)))
    )
    await _until("two publications", lambda: len(published) >= 2)
    first, complete = published[0], published[-1]
    assert _codes(first.diagnostics) == {"missing-comma"}  # the parser's, at once
    assert {"missing-comma", "missing-required-field"} <= _codes(complete.diagnostics)
    assert first.version == complete.version == 1
    (reports,) = _checks(client)
    assert isinstance(reports[0], lsp.WorkDoneProgressBegin)
    assert reports[0].title == "bib-lsp: checking large.bib"
    assert isinstance(reports[-1], lsp.WorkDoneProgressEnd)


async def test_edits_and_requests_while_checking(client: LanguageClient) -> None:
    published: list[lsp.PublishDiagnosticsParams] = client.published  # type: ignore[attr-defined]
    await start(client, "visual-studio-code", {"diagnostics": {"debounceMs": 0}})
    text = document(3000)  # a few hundred milliseconds of background work
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(URI, "bibtex", 1, text))
    )
    await _until("the first publication", lambda: len(published) >= 1)
    # An edit while the rules run: the missing comma is put in.
    line = text.splitlines().index("  title = {x}")
    at = lsp.Position(line, len("  title = {x}"))
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=URI, version=2),
            [lsp.TextDocumentContentChangePartial(range=lsp.Range(at, at), text=",")],
        )
    )
    # A request that needs the whole index: the crossref target's preview.
    child = text.splitlines().index("  crossref = {a0},")
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(URI), lsp.Position(child, 15))
    )
    assert hover is not None and "Paper 0" in str(hover.contents)
    await _until(
        "every finding of version 2",
        lambda: (
            any(r and isinstance(r[-1], lsp.WorkDoneProgressEnd) for r in _checks(client))
            and published[-1].version == 2
            and "missing-required-field" in _codes(published[-1].diagnostics)
        ),
    )
    assert "missing-comma" not in _codes(published[-1].diagnostics)
    # The parser's findings only until the check is over, then every finding, in
    # every publication after (whether the edit came before the end or after).
    codes = [_codes(p.diagnostics) for p in published]
    over = next(i for i, c in enumerate(codes) if "missing-required-field" in c)
    assert all(c <= {"missing-comma"} for c in codes[:over]), codes
    assert all("missing-required-field" in c for c in codes[over:]), codes


async def test_a_client_that_pulls_is_told_to_pull_again(client: LanguageClient) -> None:
    capabilities = client_capabilities("neovim")
    capabilities.workspace = capabilities.workspace or lsp.WorkspaceClientCapabilities()
    capabilities.workspace.diagnostics = lsp.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True
    )
    await client.initialize_session(
        lsp.InitializeParams(capabilities=capabilities, initialization_options={})
    )
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(URI, "bibtex", 1, document(40)))
    )

    async def pull() -> set[str]:
        report = await client.text_document_diagnostic_async(
            lsp.DocumentDiagnosticParams(lsp.TextDocumentIdentifier(URI))
        )
        assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)
        return _codes(list(report.items))

    first = await pull()
    await _until("a refresh request", lambda: client.diagnostic_refresh_count > 0)
    assert first <= {"missing-comma"}
    assert {"missing-comma", "missing-required-field"} <= await pull()
