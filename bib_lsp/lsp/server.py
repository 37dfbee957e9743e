"""The pygls language server: documents, settings and diagnostics.

Documents are kept as incremental ``Document``s, not in pygls's workspace: pygls
rebuilds a document's whole text and line list on every change, which costs tens
of milliseconds per keystroke in a large bibliography. ``BibProtocol`` replaces
pygls's built-in text synchronisation with a plain hand-over to our handlers.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import heapq
import logging
import traceback
from collections.abc import Callable, Generator
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from bib_lsp import __version__
from bib_lsp.document import ChunkFindings, Document, TextChange
from bib_lsp.lsp import convert
from bib_lsp.lsp.config import SECTION, Settings, parse_settings
from bib_lsp.rules import Checker
from bib_lsp.text import PositionEncoding

logger = logging.getLogger(__name__)
R = TypeVar("R")


class _Unreadable:
    """Stands in for a message that could not be read; pygls drops it."""

    jsonrpc = "unreadable"


class RawJson:
    """A result that is already plain JSON data: sent as it is, without lsprotocol's
    classes and cattrs (ten times slower for thousands of diagnostics)."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data


class BibProtocol(LanguageServerProtocol):
    """pygls's protocol without its own copy of open documents, with an answer to
    every request whose parameters cannot be read, and a fast path for JSON data."""

    def notify_json(self, method: str, params: Any) -> None:
        self._send_data({"jsonrpc": "2.0", "method": method, "params": params})

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        if error is None and isinstance(result, RawJson):
            self._result_types.pop(msg_id, None)
            self._send_data({"jsonrpc": "2.0", "id": msg_id, "result": result.data})
            return
        super()._send_response(msg_id, result, error)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            # pygls would only log this, and the client would wait forever.
            method = data.get("method")
            if "id" in data and method is not None:
                self._send_response(data["id"], None, error.to_response_error())
            text = f"bib-lsp: could not read the {method!r} message: {error}"
            logger.error(text)
            self._server.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, text))
            return _Unreadable()

    def _hand_over(self, method: str, params: Any) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: lsp.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        yield from self._hand_over(lsp.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: lsp.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        yield from self._hand_over(lsp.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: lsp.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        yield from self._hand_over(lsp.TEXT_DOCUMENT_DID_CLOSE, params)


class BibLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "bib-lsp",
            __version__,
            protocol_cls=BibProtocol,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
        )
        self.documents: dict[str, Document] = {}
        self.checkers: dict[str, Checker] = {}
        self.initial_settings = Settings()
        self.settings = Settings()
        self.encoding = PositionEncoding.UTF16
        self.pull = False  # the client asks for diagnostics (textDocument/diagnostic)
        self.can_fetch_configuration = False
        self.can_refresh_diagnostics = False
        self._generation = 0  # bumped when the settings change
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self._reports: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        self._chunk_items: dict[str, dict[int, _ChunkItems]] = {}

    @property
    def bib_protocol(self) -> BibProtocol:
        assert isinstance(self.protocol, BibProtocol)
        return self.protocol

    # -- messages --------------------------------------------------------------------
    def warn(self, message: str) -> None:
        self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, message))

    def log_failure(self, where: str) -> None:
        text = f"bib-lsp: {where} failed:\n{traceback.format_exc()}"
        logger.error(text)
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, text))

    # -- settings --------------------------------------------------------------------
    def apply_settings(self, raw: object, base: Settings) -> None:
        settings, problems = parse_settings(raw, base)
        for problem in problems:
            self.warn(problem)
        if settings != self.settings:
            self.settings = settings
            self._generation += 1
            self.refresh_all()

    async def fetch_settings(self) -> None:
        if not self.can_fetch_configuration:
            return
        items = [lsp.ConfigurationItem(section=SECTION)]
        result = await self.workspace_configuration_async(lsp.ConfigurationParams(items))
        if result:
            self.apply_settings(result[0], self.initial_settings)

    # -- diagnostics -----------------------------------------------------------------
    def report(self, uri: str) -> tuple[str, list[dict[str, Any]]]:
        """The diagnostics of an open document and their result id (cached)."""
        doc = self.documents[uri]
        result_id = f"{self._generation}:{doc.version}"
        cached = self._reports.get(uri)
        if cached is not None and cached[0] == result_id:
            return cached
        checker = self.checkers[uri]
        checker.options = self.settings.rule_options
        parts, whole = checker.diagnose_parts()
        chunk_items = self._chunk_items.setdefault(uri, {})
        kept: dict[int, _ChunkItems] = {}
        local: list[dict[str, Any]] = []
        for part in parts:
            here = doc.position(part.start, self.encoding)
            line, column = here.line, here.character
            chunk = chunk_items.get(id(part.token))
            if chunk is None or not chunk.fits(part, self._generation, self.encoding, column):
                chunk = _ChunkItems(part, self._generation, self.encoding, column, line, doc, uri)
            kept[id(part.token)] = chunk
            local.extend(chunk.at_line(line))
        self._chunk_items[uri] = kept
        items = local
        if whole:
            converted = [convert.diagnostic_json(p, doc, self.encoding, uri) for p in whole]
            items = list(heapq.merge(local, converted, key=_position_order))
        self._reports[uri] = (result_id, items)
        return result_id, items

    def schedule(self, uri: str, delay_ms: int) -> None:
        """Publish the document's diagnostics after ``delay_ms`` (debounce); a later
        change cancels an earlier pending publication."""
        if self.pull:
            return
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        doc = self.documents.get(uri)
        if doc is None:
            return
        if delay_ms <= 0:
            self.publish(uri, doc.version)
            return
        loop = asyncio.get_running_loop()
        self._pending[uri] = loop.call_later(delay_ms / 1000, self.publish, uri, doc.version)

    def publish(self, uri: str, version: int) -> None:
        self._pending.pop(uri, None)
        doc = self.documents.get(uri)
        if doc is None or doc.version != version:
            return  # closed, or a newer version has its own publication coming
        try:
            _, items = self.report(uri)
        except Exception:
            self.log_failure(f"diagnostics for {uri}")
            items = []
        params = {"uri": uri, "version": version, "diagnostics": items}
        self.bib_protocol.notify_json(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def refresh_all(self) -> None:
        self._reports.clear()
        if self.pull:
            if self.can_refresh_diagnostics:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in list(self.documents):
            self.schedule(uri, 0)


class _ChunkItems:
    """A chunk's diagnostics as LSP JSON with lines relative to the chunk's first
    line: reused, re-based, while the chunk, its findings (they change with the
    dialect), the settings, the encoding and the column at which the chunk starts
    stay the same (an edit elsewhere only moves it)."""

    __slots__ = ("column", "encoding", "generation", "items", "problems", "token")

    def __init__(
        self,
        part: ChunkFindings,
        generation: int,
        encoding: PositionEncoding,
        column: int,
        line: int,
        doc: Document,
        uri: str,
    ) -> None:
        self.token = part.token
        self.problems = part.problems  # a new list when the dialect or options change
        self.generation = generation
        self.encoding = encoding
        self.column = column
        self.items: list[dict[str, Any]] = []
        for p in part.problems:
            d = convert.diagnostic_json(p.shifted(part.start), doc, encoding, uri)
            r = d["range"]
            r["start"]["line"] -= line
            r["end"]["line"] -= line
            self.items.append(d)

    def fits(
        self, part: ChunkFindings, generation: int, encoding: PositionEncoding, column: int
    ) -> bool:
        return (
            self.token is part.token
            and self.problems is part.problems
            and self.generation == generation
            and self.encoding is encoding
            and self.column == column
        )

    def at_line(self, line: int) -> list[dict[str, Any]]:
        if not line:
            return self.items
        out = []
        for d in self.items:
            r = d["range"]
            s, e = r["start"], r["end"]
            moved = dict(d)
            moved["range"] = {
                "start": {"line": s["line"] + line, "character": s["character"]},
                "end": {"line": e["line"] + line, "character": e["character"]},
            }
            out.append(moved)
        return out


def _position_order(d: dict[str, Any]) -> tuple[int, int, int, int, str]:
    s, e = d["range"]["start"], d["range"]["end"]
    return s["line"], s["character"], e["line"], e["character"], d["code"]


def settle_heap() -> None:
    """Move everything alive into the collector's permanent generation.

    A large document is millions of long-lived objects without reference cycles;
    left in the cyclic collector's care, every full collection walks all of them
    (0.4 s and more with a 50,000-entry file open), stalling whichever keystroke it
    lands on. Frozen objects are still freed by reference counting when a later
    edit drops them. No collection first: over a heap that size it takes seconds,
    and what parsing leaves behind has no cycles to collect.
    """
    gc.freeze()


def guarded(default: Callable[[], R]) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Log a failing handler's traceback to the client and answer with ``default()``
    instead: one bad request must not take the server down."""

    def decorate(handler: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(handler)
        def run(ls: BibLanguageServer, params: Any) -> R:
            try:
                return handler(ls, params)
            except Exception:
                ls.log_failure(handler.__name__)
                return default()

        return run

    return decorate


def create_server() -> BibLanguageServer:
    server = BibLanguageServer()

    @server.feature(lsp.INITIALIZE)
    @guarded(lambda: None)
    def initialize(ls: BibLanguageServer, params: lsp.InitializeParams) -> None:
        caps = params.capabilities
        chosen = ServerCapabilitiesBuilder.choose_position_encoding(caps)
        ls.encoding = convert.encoding(chosen)
        ls.pull = caps.text_document is not None and caps.text_document.diagnostic is not None
        workspace = caps.workspace
        ls.can_fetch_configuration = bool(workspace and workspace.configuration)
        ls.can_refresh_diagnostics = bool(
            workspace and workspace.diagnostics and workspace.diagnostics.refresh_support
        )
        settings, problems = parse_settings(params.initialization_options)
        for problem in problems:
            ls.warn(problem)
        ls.initial_settings = ls.settings = settings

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: BibLanguageServer, params: lsp.InitializedParams) -> None:
        try:
            await ls.fetch_settings()
        except Exception:
            ls.log_failure("reading the configuration")

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: BibLanguageServer, params: lsp.DidChangeConfigurationParams
    ) -> None:
        try:
            if ls.can_fetch_configuration:
                await ls.fetch_settings()
            elif isinstance(params.settings, dict):
                ls.apply_settings(params.settings.get(SECTION), ls.initial_settings)
        except Exception:
            ls.log_failure("reading the configuration")

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @guarded(lambda: None)
    def did_open(ls: BibLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        doc = Document(item.text, uri=item.uri, version=item.version)
        ls.documents[item.uri] = doc
        ls.checkers[item.uri] = Checker(doc, ls.settings.rule_options)
        ls._reports.pop(item.uri, None)
        ls.schedule(item.uri, 0)
        settle_heap()

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(lambda: None)
    def did_change(ls: BibLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None:
            return
        changes = [
            TextChange(c.text, convert.from_range(c.range) if isinstance(c, _Partial) else None)
            for c in params.content_changes
        ]
        block_changes = doc.apply_changes(changes, ls.encoding, params.text_document.version)
        ls.checkers[uri].update(block_changes)
        ls.schedule(uri, ls.settings.debounce_ms)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(lambda: None)
    def did_close(ls: BibLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.documents.pop(uri, None)
        ls.checkers.pop(uri, None)
        ls._reports.pop(uri, None)
        ls._chunk_items.pop(uri, None)
        pending = ls._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if not ls.pull:
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))

    @server.feature(
        lsp.TEXT_DOCUMENT_DIAGNOSTIC,
        lsp.DiagnosticOptions(
            identifier="bib-lsp", inter_file_dependencies=False, workspace_diagnostics=False
        ),
    )
    @guarded(_empty_report)
    def diagnostic(ls: BibLanguageServer, params: lsp.DocumentDiagnosticParams) -> Any:
        uri = params.text_document.uri
        if uri not in ls.documents:
            return _empty_report()
        result_id, items = ls.report(uri)
        if params.previous_result_id == result_id:
            return RawJson({"kind": "unchanged", "resultId": result_id})
        # Plain JSON data, like publishDiagnostics: see convert.diagnostic_json.
        return RawJson({"kind": "full", "resultId": result_id, "items": items})

    return server


_Partial = lsp.TextDocumentContentChangePartial


def _empty_report() -> Any:
    return RawJson({"kind": "full", "items": []})
