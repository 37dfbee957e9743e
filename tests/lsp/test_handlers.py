"""The handlers are top-level functions, registered by their method groups, and
read their document through one helper: called in-process here (no transport)."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import pytest
from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.lsp import completion, diagnostics, formatting, hover, navigation, semantic, server
from bib_lsp.lsp.documents import OpenDocument
from bib_lsp.lsp.protocol import RawJson
from bib_lsp.lsp.server import BibLanguageServer, create_server
from bib_lsp.rules import Checker

URI = "file:///tmp/handlers.bib"
OTHER = "file:///tmp/not-open.bib"
TEXT = "@article{smith2020,\n  title = {A Title},\n}\n"


def opened(ls: BibLanguageServer, text: str = TEXT) -> OpenDocument:
    doc = Document(text, uri=URI, version=1)
    document = OpenDocument(URI, doc, Checker(doc))
    ls.documents[URI] = document
    return document


def failures(ls: BibLanguageServer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    logged: list[str] = []
    monkeypatch.setattr(ls, "log_failure", logged.append)
    return logged


def test_every_registered_handler_is_importable_from_its_module() -> None:
    ls = create_server()
    for method, handler in ls.protocol.fm.features.items():
        function = getattr(handler, "func", handler)  # pygls binds `ls` (a partial)
        module = importlib.import_module(function.__module__)
        assert getattr(module, function.__name__) is function, method


def test_a_document_not_open_gets_the_methods_empty_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ls = BibLanguageServer()
    logged = failures(ls, monkeypatch)
    where = lsp.TextDocumentIdentifier(OTHER)
    at = lsp.Position(0, 1)
    assert hover.on_hover(ls, lsp.HoverParams(where, at)) is None
    listed = completion.completion_request(ls, lsp.CompletionParams(where, at))
    assert listed == lsp.CompletionList(is_incomplete=False, items=[])
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    assert formatting.format_document(ls, lsp.DocumentFormattingParams(where, options)) == []
    tokens = semantic.semantic_tokens_full(ls, lsp.SemanticTokensParams(where))
    assert tokens == lsp.SemanticTokens(data=[])
    report = asyncio.run(diagnostics.diagnostic(ls, lsp.DocumentDiagnosticParams(where)))
    assert isinstance(report, RawJson)
    assert b"".join(report.pieces) == b'{"kind":"full","items":[]}'
    assert server.status(ls, {"textDocument": {"uri": OTHER}}) is None
    assert logged == []


def test_an_open_document_is_handed_to_the_handler() -> None:
    ls = BibLanguageServer()
    opened(ls)
    where = lsp.TextDocumentIdentifier(URI)
    found = hover.on_hover(ls, lsp.HoverParams(where, lsp.Position(0, 12)))
    assert found is not None
    assert server.status(ls, {"textDocument": {"uri": URI}}) == {
        "dialect": "bibtex",
        "detected": True,
        "entries": 1,
        "checking": False,
        "version": server.__version__,
    }


def test_a_failing_handler_is_logged_under_its_name_and_answers_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ls = BibLanguageServer()
    opened(ls)
    logged = failures(ls, monkeypatch)

    def boom(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(ls, "open_documents", boom)  # both handlers ask for them
    where = lsp.TextDocumentIdentifier(URI)
    at = lsp.Position(0, 12)
    assert navigation.definition_request(ls, lsp.DefinitionParams(where, at)) is None
    assert completion.completion_request(ls, lsp.CompletionParams(where, at)).items == []
    assert logged == ["goto_definition", "complete"]


def test_closing_drops_the_record_with_its_timer_and_check() -> None:
    async def run() -> None:
        ls = BibLanguageServer()
        ls.pull = True  # nothing published on close (no transport here)
        document = opened(ls)
        loop = asyncio.get_running_loop()
        document.pending = loop.call_later(60, lambda: None)
        document.analysis = loop.create_task(asyncio.sleep(60))
        pending, analysis = document.pending, document.analysis
        identifier = lsp.TextDocumentIdentifier(URI)
        server.did_close(ls, lsp.DidCloseTextDocumentParams(identifier))
        assert URI not in ls.documents
        assert pending.cancelled()
        await asyncio.sleep(0)
        assert analysis.cancelled()

    asyncio.run(run())
