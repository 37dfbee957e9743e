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
import inspect
import itertools
import json
import logging
import math
import os
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar

import cattrs
from lsprotocol import types as lsp
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    LanguageServerProtocol,
    lsp_method,
)

from bib_lsp import __version__
from bib_lsp.document import Document, TextChange
from bib_lsp.features.citation import DEFAULT_STYLE, StyleError, load_style
from bib_lsp.lsp import (
    actions,
    completion,
    convert,
    formatting,
    hover,
    navigation,
    references,
)
from bib_lsp.lsp.config import SECTION, Settings, parse_settings
from bib_lsp.lsp.diagnostics import DiagnosticsCache, JsonPieces, dumps
from bib_lsp.lsp.reading import strict_converter, what_is_wrong
from bib_lsp.lsp.workspace import ClientProgress, WorkspaceFiles, folders_of, uri_path
from bib_lsp.model.index import BibIndex
from bib_lsp.model.summaries import MacroDef
from bib_lsp.rules import Checker
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.text import PositionEncoding, Range

logger = logging.getLogger(__name__)
R = TypeVar("R")
POLL_SECONDS = 5.0  # how often workspace files are checked when the client does not watch them
PARENT_POLL_SECONDS = 2.0  # how often the client's process is looked for (initialize's processId)


def _is_id(value: object) -> bool:
    """JSON-RPC: an id is a string, a number or null (true is none of them)."""
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or (isinstance(value, (str, int)) and not isinstance(value, bool))


def _invalid_request(data: dict[str, Any]) -> str | None:
    """What makes an object with "jsonrpc" no JSON-RPC message, if anything."""
    if "method" in data:
        if not isinstance(data["method"], str):
            return "a method is a string"
        if not _is_id(data.get("id")):
            # pygls keeps requests by id, and one it cannot (an object) was never
            # answered.
            return "an id is a number or a string"
    elif "result" not in data and "error" not in data:
        return "a message has a method (a request or a notification) or a result or an error"
    return None


class _Unreadable:
    """Stands in for a message that could not be read (``json.loads`` takes what
    ``structure_message`` returns): ``handle_message`` logs ``why`` and, unless
    ``code`` is None, answers it with that error under ``msg_id``."""

    jsonrpc = "unreadable"

    def __init__(self, why: str, code: int | None = None, msg_id: Any = None) -> None:
        self.why, self.code, self.msg_id = why, code, msg_id


# What a message body that is not JSON raises in json.loads (ValueError includes
# UnicodeDecodeError: bytes that are not UTF-8; RecursionError: nesting too deep).
NOT_JSON = (ValueError, RecursionError)
_JSON_KINDS = {str: "a string", int: "a number", float: "a number", bool: "true or false"}


class _NotJsonLogged(logging.Filter):
    """Keeps pygls's report of a message body that is not JSON (a traceback) out of
    the log: ``BibLanguageServer.report_server_error`` answers it with a Parse
    error and logs one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (record.msg == "Unable to handle message" and isinstance(error, NOT_JSON))


_NOT_JSON_LOGGED = _NotJsonLogged()


class RawJson:
    """A result that is already JSON (in pieces): sent as it is, without lsprotocol's
    classes and cattrs (ten times slower for thousands of diagnostics) and without
    encoding again what is cached as JSON."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: JsonPieces) -> None:
        self.pieces = pieces

    @classmethod
    def of(cls, data: Any) -> RawJson:
        return cls([dumps(data)])


_WRITES: set[asyncio.Future[Any]] = set()


class _ClientOutput:
    """The writer to the client. Once the client has gone (a write finds its end
    closed), writes are dropped and ``gone`` is called, once: each answer would fail
    again, with a traceback apiece."""

    def __init__(self, writer: Any, gone: Callable[[], None]) -> None:
        self.writer = writer
        self.gone = gone
        self.closed = False

    def write(self, data: bytes) -> Any:
        if self.closed:
            return None
        try:
            return self.writer.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.closed = True
            self.gone()
            return None
        except ValueError:  # our end is closed: the server is stopping (`exit`),
            self.closed = True  # and a task cancelled on the way still reports
            return None

    def close(self) -> Any:
        try:
            return self.writer.close()
        except (OSError, ValueError):  # closed already, or the pipe is broken
            return None


class BibProtocol(LanguageServerProtocol):
    """pygls's protocol without its own copy of open documents, with an answer to
    every request whose parameters cannot be read, the LSP lifecycle held
    (``handle_message``), a quiet stop when the client has gone, and a fast path for
    JSON text."""

    _reporting = False  # a failure to send is being reported (to the client)

    def set_writer(self, writer: Any, include_headers: bool = True) -> None:
        super().set_writer(_ClientOutput(writer, self._client_gone), include_headers)

    def _client_gone(self) -> None:
        """Read no more messages: the server has no one to answer (with its input
        closed too, as when the client died, it then exits)."""
        logger.error("bib-lsp: the client closed its end of the connection; stopping")
        if self._server._stop_event is not None:
            self._server._stop_event.set()

    def notify_json(self, method: str, params: JsonPieces) -> None:
        """Send a notification whose parameters are already JSON."""
        head = b'{"jsonrpc":"2.0","method":' + dumps(method) + b',"params":'
        self.send_pieces([head, *params, b"}"])

    def send_pieces(self, body: JsonPieces) -> None:
        """Send one JSON-RPC message given as pieces of JSON (as pygls's
        ``_send_data`` does for data), copying them once, into the message (not
        into a joined text first)."""
        if self.writer is None:
            logger.error("bib-lsp: no transport to send to")
            return
        if self._include_headers:
            header = (
                f"Content-Length: {sum(map(len, body))}\r\n"
                f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
            ).encode("ascii")
            body = [header, *body]
        try:
            written = self.writer.write(b"".join(body))
        except BrokenPipeError:
            logger.exception("bib-lsp: the client went away")
            raise
        except Exception as error:
            logger.exception("bib-lsp: could not send a message")
            if not self._reporting:  # (the report is a message too: once)
                self._reporting = True
                try:
                    self._server._report_server_error(error, JsonRpcInternalError)
                finally:
                    self._reporting = False
            return
        if inspect.isawaitable(written):  # a writer that must be awaited
            task = asyncio.ensure_future(written)
            _WRITES.add(task)  # kept alive until done
            task.add_done_callback(_WRITES.discard)

    def _send_data(self, data: Any) -> None:
        """Send a message given as data (lsprotocol's classes), as pygls does, but
        never nothing for a request: pygls logged a traceback when the data could
        not be written as JSON and sent nothing, and the client waited forever.
        Here the answer to a request becomes an InternalError and another message
        is dropped, with one line in the log. NaN and the infinities are no JSON
        either (pygls wrote them as they are)."""
        if not data:
            return
        try:
            body = json.dumps(data, default=self._serialize_message, allow_nan=False)
        except Exception as error:  # RecursionError (deep nesting) and ValueError too
            self._unserialisable(data, error)
            return
        self.send_pieces([body.encode(self.CHARSET)])

    def _unserialisable(self, data: Any, error: Exception) -> None:
        why = " ".join(f"{type(error).__name__}: {error}".split())
        method = getattr(data, "method", None)
        if method is None and hasattr(data, "id"):  # an answer (a result or an error)
            text = f"bib-lsp: the answer to request {data.id!r} could not be written as JSON"
            self.send_error(data.id, JsonRpcInternalError.CODE, f"{text} ({why})")
        else:
            text = f"bib-lsp: a {method!r} message could not be written as JSON; not sent"
        self.log_line(f"{text} ({why})", to_client=method != lsp.WINDOW_LOG_MESSAGE)

    def send_error(self, msg_id: Any, code: int, message: str) -> None:
        """Send an error answer (as JSON text: lsprotocol would leave a null id out)."""
        error = {"code": code, "message": message}
        self.send_pieces([dumps({"jsonrpc": "2.0", "id": msg_id, "error": error})])

    def log_line(self, text: str, to_client: bool = True) -> None:
        """One line about a message the protocol refused or could not send: on
        stderr, and as a ``window/logMessage`` error."""
        logger.error(text)
        if to_client:
            self._server.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, text))

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        if error is None and isinstance(result, RawJson):
            self._result_types.pop(msg_id, None)
            head = b'{"jsonrpc":"2.0","id":' + dumps(msg_id) + b',"result":'
            self.send_pieces([head, *result.pieces, b"}"])
            return
        super()._send_response(msg_id, result, error)

    initialize_seen = False  # an `initialize` request was read (and taken)

    def handle_message(self, message: Any) -> None:
        """Hold the LSP lifecycle, which pygls leaves to the server: before
        `initialize` a request is answered ServerNotInitialized; `initialize` is
        taken once, a second one is an InvalidRequest; after `shutdown` a request
        is an InvalidRequest (pygls would leave it unanswered). Notifications
        other than `exit` are dropped before `initialize` and after `shutdown`.

        And answer what is no JSON-RPC message: JSON that is no object with
        "jsonrpc", an object without a method that is no response, a method or
        an id of the wrong type (InvalidRequest), and parameters that cannot be
        read (see ``structure_message``). pygls logged a traceback for each and
        answered none."""
        if isinstance(message, _Unreadable):
            if message.code is not None:
                self.send_error(message.msg_id, message.code, message.why)
            self.log_line(message.why)
            return
        if not hasattr(message, "jsonrpc"):
            self._not_a_message(message)
            return
        method = getattr(message, "method", None)
        if method is not None and method != lsp.EXIT and message.jsonrpc == self.VERSION:
            error: JsonRpcException | None = None
            if self._shutdown:
                error = JsonRpcInvalidRequest("bib-lsp: the server was shut down")
            elif method == lsp.INITIALIZE:
                if self.initialize_seen:
                    error = JsonRpcInvalidRequest("bib-lsp: the server was initialized already")
                self.initialize_seen = True
            elif not self.initialize_seen:
                error = JsonRpcServerNotInitialized("bib-lsp: initialize comes first")
            if error is not None:
                if hasattr(message, "id"):
                    self._send_response(message.id, None, error.to_response_error())
                return
        super().handle_message(message)

    def _not_a_message(self, message: Any) -> None:
        """JSON that is no JSON-RPC message: InvalidRequest, under the object's id
        if it has one that can be answered (a response is only logged)."""
        if isinstance(message, list):
            why = "bib-lsp: a batch (a JSON array) is not part of LSP"
        elif isinstance(message, dict):
            why = 'bib-lsp: a message has "jsonrpc": "2.0"'
        else:
            kind = _JSON_KINDS.get(type(message), "null")
            why = f"bib-lsp: a message is a JSON object, not {kind}"
        data = message if isinstance(message, dict) else {}
        msg_id = data.get("id")
        if "method" in data or ("result" not in data and "error" not in data):
            self.send_error(msg_id if _is_id(msg_id) else None, JsonRpcInvalidRequest.CODE, why)
        self.log_line(why)

    def structure_message(self, data: dict[str, Any]) -> Any:
        if "jsonrpc" not in data:
            # A value inside a message (json.loads calls this for every object),
            # or an object that is no JSON-RPC message (see handle_message).
            return data
        if "method" in data and "params" not in data:
            # JSON-RPC lets params be left out; pygls's reading of a message of a
            # method it does not know requires them (an Internal Error).
            data = {**data, "params": None}
        msg_id = data.get("id")
        invalid = _invalid_request(data)
        if invalid is not None:
            code = JsonRpcInvalidRequest.CODE
            return _Unreadable(f"bib-lsp: {invalid}", code, msg_id if _is_id(msg_id) else None)
        try:
            return self._converter.structure(data, self._message_type(data))
        except Exception as error:
            # pygls logged a traceback of this, and never answered.
            method = data.get("method")
            why = f"bib-lsp: could not read the {method!r} message: {what_is_wrong(error)}"
            if "id" in data and method is not None:
                readable = isinstance(error, cattrs.BaseValidationError)
                code = JsonRpcInvalidParams.CODE if readable else JsonRpcInternalError.CODE
                return _Unreadable(why, code, msg_id)
            return _Unreadable(why)  # a notification or a response: not answered

    def _message_type(self, data: dict[str, Any]) -> Any:
        """The class a message is read into (as pygls's ``structure_message``)."""
        if "id" in data:
            if "error" in data:
                return lsp.ResponseErrorMessage
            if "method" in data:
                return self.get_message_type(data["method"]) or JsonRPCRequestMessage
            return self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
        return self.get_message_type(data.get("method", "")) or JsonRPCNotification

    def parse_error(self, error: Exception) -> None:
        """Answer a message whose body is not JSON (JSON-RPC: Parse error, id null)."""
        why = " ".join(f"{type(error).__name__}: {error}".split())
        text = f"bib-lsp: a message is not JSON ({why})"
        self.send_error(None, JsonRpcParseError.CODE, text)
        self.log_line(text)

    def _handle_notification(self, method_name: str, params: Any) -> None:
        known = set(self._request_futures)  # the requests under way: a handful
        try:
            super()._handle_notification(method_name, params)
        finally:
            # pygls files a notification whose handler is a generator (didOpen,
            # didChange, didClose, ...: see _hand_over) in _request_futures under a
            # made-up id, and only a response takes an entry out: a Future kept
            # for every keystroke (8,000 edits: 8 MiB).
            for key in [k for k in self._request_futures if k not in known]:
                del self._request_futures[key]

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
            converter_factory=strict_converter,
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
        self.snippets = False  # the client takes snippets in completion items
        self.resolve_documentation = False  # the client asks for it on completionItem/resolve
        self.watch_files = False  # the client watches files for us when asked to
        self.files = WorkspaceFiles()
        self._generation = 0  # bumped when the settings change
        self._pending: dict[str, asyncio.TimerHandle] = {}
        # Per document: what the last report was for, its result id, its JSON.
        self._reports: dict[str, tuple[tuple[int, int, int], str, JsonPieces]] = {}
        self._result_ids = itertools.count(1)  # never repeated, even across re-opens
        self._caches: dict[str, DiagnosticsCache] = {}
        self._style_failures: set[str] = set()  # styles the user was told about
        # Documents of more blocks than this are checked in stages (see did_open);
        # BIB_LSP_STAGED_ABOVE changes it (for tests and benchmarks).
        self.staged_above = int(os.environ.get("BIB_LSP_STAGED_ABOVE", STAGED_ABOVE))
        self._analyses: dict[str, asyncio.Task[None]] = {}
        logging.getLogger("pygls.server").addFilter(_NOT_JSON_LOGGED)  # (once)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls's reading loop hands what it could not handle here as a
        JsonRpcException: a body that is not JSON is answered with a Parse error.
        (Anything else is pygls's: a message to the user.)"""
        if source is JsonRpcException and isinstance(error, NOT_JSON):
            self.bib_protocol.parse_error(error)
            return
        super().report_server_error(error, source)

    @property
    def exit_code(self) -> int:
        """0 when the client asked for `shutdown` before leaving, 1 otherwise (LSP:
        `exit`)."""
        return 0 if self.protocol._shutdown else 1

    def watch_parent(self, pid: int | None) -> None:
        """LSP, on `initialize`'s processId: "If the parent process is not alive
        then the server should exit" (pygls 2 keeps the id and does nothing with
        it). A daemon thread looks for the process every ``PARENT_POLL_SECONDS``.
        A process that is not there when `initialize` comes is not watched: its
        id is from another machine or container. POSIX only: on Windows,
        ``os.kill(pid, 0)`` would end the process."""
        if pid is None or pid <= 0 or pid == os.getpid() or os.name != "posix":
            return
        if not _alive(pid):
            self.log_info(f"bib-lsp: no process {pid} here (the client's); not watching it")
            return
        watcher = threading.Thread(
            target=self._watch_parent, args=(pid,), name="bib-lsp-parent", daemon=True
        )
        watcher.start()

    def _watch_parent(self, pid: int) -> None:
        while _alive(pid):
            time.sleep(PARENT_POLL_SECONDS)
        logger.error("bib-lsp: the client's process %d has gone; exiting", pid)
        # Not through the event loop: the thread reading stdin waits for a message
        # that will not come, and an orderly exit waits for it. Nothing is lost:
        # the documents are the editor's. (1 as for `exit` without `shutdown`.)
        os._exit(self.exit_code)

    def start_io(self, *args: Any, **kwargs: Any) -> None:
        super().start_io(*args, **kwargs)
        # pygls's `exit` handler raises SystemExit with the code, and start_io
        # swallows it.
        if self.exit_code:
            raise SystemExit(self.exit_code)

    def checker(self, uri: str) -> Checker:
        """The checker of an open document, with its index complete (a large
        document's index may still be building in the background: a request that
        needs it finishes it now) and the current options."""
        checker = self.checkers[uri]
        if not checker.index.complete:
            with gc_paused():
                checker.index.build()
        checker.options = self.settings.rule_options
        return checker

    def open_documents(self) -> dict[str, tuple[Document, BibIndex]]:
        """The open documents with their live (complete) indexes, by URI."""
        return {u: (d, self.checker(u).index) for u, d in self.documents.items()}

    def citation_style(self) -> object:
        """The configured citation style, loaded (once); the default one, after a
        message, when it cannot be read."""
        spec = self.settings.citation_style
        try:
            return load_style(spec)
        except StyleError as error:
            if spec not in self._style_failures:
                self._style_failures.add(spec)
                self.warn(f"bib-lsp: {error}; using {DEFAULT_STYLE}")
            return load_style(DEFAULT_STYLE)

    @property
    def bib_protocol(self) -> BibProtocol:
        assert isinstance(self.protocol, BibProtocol)
        return self.protocol

    # -- messages --------------------------------------------------------------------
    def warn(self, message: str) -> None:
        self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, message))

    def log_info(self, message: str) -> None:
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Info, message))

    def log_failure(self, where: str) -> None:
        text = f"bib-lsp: {where} failed:\n{traceback.format_exc()}"
        logger.error(text)
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, text))

    # -- settings --------------------------------------------------------------------
    def apply_settings(self, raw: object, base: Settings) -> None:
        settings, problems = parse_settings(raw, base)
        for problem in problems:
            self.warn(problem)
        self.files.max_bytes = settings.max_file_size
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
    def report(self, uri: str) -> tuple[str, JsonPieces]:
        """The diagnostics of an open document as a JSON array (in pieces), in text
        order, and their result id (cached).

        Costs about the chunks an edit changed, not the size of the document or
        its number of diagnostics: see ``DiagnosticsCache``.
        """
        doc = self.documents[uri]
        state = (self._generation, doc.version, id(doc))
        cached = self._reports.get(uri)
        if cached is not None and cached[0] == state:
            return cached[1], cached[2]
        checker = self.checkers[uri]
        checker.options = self.settings.rule_options
        with gc_paused():
            cache = self._caches.get(uri)
            if cache is None:
                cache = self._caches[uri] = DiagnosticsCache(uri)
            pieces = cache.update(doc, checker, self._generation, self.encoding)
        result_id = str(next(self._result_ids))
        self._reports[uri] = (state, result_id, pieces)
        return result_id, pieces

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
            items = [b"[]"]
        head = b'{"uri":' + dumps(uri) + b',"version":%d,"diagnostics":' % version
        self.bib_protocol.notify_json(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, [head, *items, b"}"])

    # -- staged analysis of large documents ------------------------------------------
    def start_analysis(self, uri: str) -> None:
        old = self._analyses.pop(uri, None)
        if old is not None:
            old.cancel()
        task = asyncio.get_running_loop().create_task(self.analyse(uri))
        self._analyses[uri] = task
        task.add_done_callback(lambda t: self._analysis_done(uri, t))

    def _analysis_done(self, uri: str, task: asyncio.Task[None]) -> None:
        if self._analyses.get(uri) is task:
            del self._analyses[uri]
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            text = "".join(traceback.format_exception(error)) if error else ""
            self.window_log_message(
                lsp.LogMessageParams(lsp.MessageType.Error, f"bib-lsp: checking {uri}:\n{text}")
            )

    async def analyse(self, uri: str) -> None:
        """Build the index and run the rules over a staged document in slices of
        about ``SLICE_SECONDS``, yielding to the event loop in between (edits and
        requests are served meanwhile; one that needs the index finishes it), then
        publish every finding. Reported as work-done progress."""
        doc, checker = self.documents[uri], self.checkers[uri]
        name = uri.rsplit("/", 1)[-1]
        window = self.client_capabilities.window
        progress = ClientProgress(
            self,
            bool(window and window.work_done_progress),
            token=f"bib-lsp-check-{next(self._result_ids)}",
            title=f"bib-lsp: checking {name}",
        )
        await progress.begin(100)

        def current() -> bool:
            return self.documents.get(uri) is doc and self.checkers.get(uri) is checker

        # The collector stays paused for the whole check, not per slice: each
        # re-enabling would let it walk the millions of objects made so far.
        try:
            with gc_paused():
                while current() and not checker.index.build(time.perf_counter() + SLICE_SECONDS):
                    progress.report(checker.index.progress() * INDEX_SHARE // 100, 100)
                    await asyncio.sleep(0)
                ci = 0
                while current() and ci < doc.chunk_count:
                    deadline = time.perf_counter() + SLICE_SECONDS
                    checker.options = self.settings.rule_options
                    while ci < doc.chunk_count and time.perf_counter() < deadline:
                        checker.warm(ci)
                        ci += 1
                    share = ci * (100 - INDEX_SHARE - JSON_SHARE) // max(doc.chunk_count, 1)
                    progress.report(INDEX_SHARE + share, 100)
                    await asyncio.sleep(0)
                # The findings as LSP JSON, ahead of the publication that would
                # convert them all at once (seconds for 100,000 entries).
                cache = self._caches.get(uri)
                if cache is None:
                    cache = self._caches[uri] = DiagnosticsCache(uri)
                while current() and not cache.prime(
                    doc,
                    checker,
                    self._generation,
                    self.encoding,
                    time.perf_counter() + SLICE_SECONDS,
                ):
                    await asyncio.sleep(0)
                if not current():
                    return
                checker.staged = False
                self._reports.pop(uri, None)
                # Over before the complete diagnostics go out: a client may take the
                # first publication after the end as the complete one.
                progress.end("checked")
                if self.pull:
                    self.workspace_diagnostic_refresh(None)
                else:
                    self.publish(uri, doc.version)
                settle_heap()
        finally:
            progress.end("stopped")  # (nothing if it ended above)

    def refresh_all(self) -> None:
        self._reports.clear()
        if self.pull:
            if self.can_refresh_diagnostics:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in list(self.documents):
            self.schedule(uri, 0)


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (signal 0 is only a check)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # there, but another user's
    return True


STAGED_ABOVE = 4_000  # blocks (entries and the text between them): about 2,000 entries
SLICE_SECONDS = 0.02  # of background analysis between looks at the event loop
INDEX_SHARE = 40  # percent of the progress bar the index takes
JSON_SHARE = 5  # and the conversion of the findings to LSP JSON


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
            except JsonRpcException:
                raise  # an answer meant for the client (a refused rename)
            except Exception:
                ls.log_failure(handler.__name__)
                return default()

        return run

    return decorate


def guarded_async(
    default: Callable[[], R],
) -> Callable[[Callable[..., Awaitable[R]]], Callable[..., Awaitable[R]]]:
    """``guarded`` for a coroutine handler."""

    def decorate(handler: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
        @functools.wraps(handler)
        async def run(ls: BibLanguageServer, params: Any) -> R:
            try:
                return await handler(ls, params)
            except JsonRpcException:
                raise
            except Exception:
                ls.log_failure(handler.__name__)
                return default()

        return run

    return decorate


STATUS = "bibLsp/status"


def _no_status() -> dict[str, object] | None:
    return None


def _status_uri(params: Any) -> str | None:
    """The document URI of ``bibLsp/status`` params (pygls hands the params of a
    method it does not know as named tuples; a dict is taken too)."""
    document = getattr(params, "textDocument", None)
    if document is None and isinstance(params, dict):
        document = params.get("textDocument")
    uri = getattr(document, "uri", None)
    if uri is None and isinstance(document, dict):
        uri = document.get("uri")
    return uri if isinstance(uri, str) else None


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
        completion_caps = caps.text_document.completion if caps.text_document else None
        item_caps = completion_caps.completion_item if completion_caps else None
        ls.snippets = bool(item_caps and item_caps.snippet_support)
        resolvable = item_caps.resolve_support if item_caps else None
        ls.resolve_documentation = bool(resolvable and "documentation" in resolvable.properties)
        watching = workspace.did_change_watched_files if workspace else None
        ls.watch_files = bool(watching and watching.dynamic_registration)
        ls.files.folders = folders_of(params)
        ls.can_refresh_diagnostics = bool(
            workspace and workspace.diagnostics and workspace.diagnostics.refresh_support
        )
        settings, problems = parse_settings(params.initialization_options)
        for problem in problems:
            ls.warn(problem)
        ls.initial_settings = ls.settings = settings
        ls.files.max_bytes = settings.max_file_size
        ls.files.tell = ls.log_info
        ls.watch_parent(params.process_id)

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: BibLanguageServer, params: lsp.InitializedParams) -> None:
        # Without the client's watcher, files changed on disk are found by polling.
        window = ls.client_capabilities.window
        progress = ClientProgress(ls, bool(window and window.work_done_progress))
        ls.files.start(ls.log_failure, 0 if ls.watch_files else POLL_SECONDS, progress)
        try:
            if ls.watch_files and ls.files.folders:
                await ls.client_register_capability_async(WorkspaceFiles.watcher())
        except Exception:
            ls.log_failure("asking the client to watch .bib files")
        try:
            await ls.fetch_settings()
        except Exception:
            ls.log_failure("reading the configuration")

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded(lambda: None)
    def did_change_watched_files(
        ls: BibLanguageServer, params: lsp.DidChangeWatchedFilesParams
    ) -> None:
        ls.files.changed(params)

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
        # One pause for the whole opening: each re-enabling of the collector after
        # a large step would set off a full collection over the new heap.
        with gc_paused():
            doc = Document(item.text, uri=item.uri, version=item.version)
            # A large document is checked in stages: its syntax problems now, the
            # rest from a background task (ls.analyse) that leaves room for edits and
            # requests; a client that pulls diagnostics must be able to be told to
            # pull again.
            staged = doc.block_count > ls.staged_above and (
                not ls.pull or ls.can_refresh_diagnostics
            )
            ls.documents[item.uri] = doc
            ls.checkers[item.uri] = Checker(doc, ls.settings.rule_options, staged=staged)
            ls._reports.pop(item.uri, None)
            ls._caches.pop(item.uri, None)
            ls.schedule(item.uri, 0)
            settle_heap()
        if staged:
            ls.start_analysis(item.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(lambda: None)
    def did_change(ls: BibLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None:
            return
        changes = [
            TextChange(c.text, _change_range(c.range) if isinstance(c, _Partial) else None)
            for c in params.content_changes
        ]
        block_changes = doc.apply_changes(changes, ls.encoding, params.text_document.version)
        ls.checkers[uri].update(block_changes)
        # Not left to the version in the report's key: a client may send one twice.
        ls._reports.pop(uri, None)
        ls.schedule(uri, ls.settings.debounce_ms)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(lambda: None)
    def did_close(ls: BibLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.documents.pop(uri, None)
        ls.checkers.pop(uri, None)
        analysis = ls._analyses.pop(uri, None)
        if analysis is not None:
            analysis.cancel()
        ls._reports.pop(uri, None)
        ls._caches.pop(uri, None)
        pending = ls._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        path = uri_path(uri)
        if path is not None:
            ls.files.refresh(path)  # what the editor left on disk
        if not ls.pull:
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=completion.TRIGGERS, resolve_provider=True),
    )
    @guarded(_no_completions)
    def complete(ls: BibLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None:
            return _no_completions()
        checker = ls.checker(uri)
        open_documents = ls.open_documents()
        return completion.completion(
            params,
            doc,
            checker,
            ls.encoding,
            completion.ClientTakes(ls.snippets, ls.resolve_documentation),
            ls.files.macros_elsewhere(uri, open_documents),
        )

    @server.feature(lsp.COMPLETION_ITEM_RESOLVE)
    def resolve(ls: BibLanguageServer, item: lsp.CompletionItem) -> lsp.CompletionItem:
        try:
            uri = completion.uri_of(item)
            doc = ls.documents.get(uri) if uri else None
            index = ls.checker(uri).index if doc is not None and uri else None
            return completion.resolve(item, doc, index)
        except Exception:
            ls.log_failure("completionItem/resolve")
            return item  # as it was: without documentation

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded(_no_hover)
    def on_hover(ls: BibLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None:
            return None
        checker = ls.checker(uri)
        open_documents = ls.open_documents()
        macros = ls.files.macros_elsewhere(uri, open_documents)

        def elsewhere(name: str) -> MacroDef | None:
            return next((m for m in macros(name) if m.name.lower() == name), None)

        return hover.hover_at(params, doc, checker, ls.encoding, ls.citation_style(), elsewhere)

    @server.feature(STATUS)
    @guarded(_no_status)
    def status(ls: BibLanguageServer, params: Any) -> dict[str, object] | None:
        """``bibLsp/status`` (an extension of ours, for editors' status bars): the
        dialect the document is checked in and whether it was detected, and how many
        entries it has. Params: ``{"textDocument": {"uri": ...}}``; null for a
        document that is not open, InvalidParams when the params name none."""
        uri = _status_uri(params)
        if uri is None:
            raise JsonRpcInvalidParams("bib-lsp: bibLsp/status takes {textDocument: {uri}}")
        doc = ls.documents.get(uri)
        if doc is None:
            return None
        checker = ls.checkers[uri]
        checker.options = ls.settings.rule_options
        if not checker.index.complete:  # not worth finishing it now: say so instead
            return {
                "dialect": None,
                "detected": ls.settings.dialect == "auto",
                "entries": None,
                "checking": True,
                "version": __version__,
            }
        return {
            "dialect": checker.dialect,
            "detected": ls.settings.dialect == "auto",
            "entries": checker.index.entry_count,
            "checking": checker.staged,
            "version": __version__,
        }

    # -- navigation and structure (lsp/navigation.py) ------------------------------
    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL, lsp.DocumentSymbolOptions(label="bib-lsp"))
    @guarded(_no_items)
    def document_symbol(ls: BibLanguageServer, params: lsp.DocumentSymbolParams) -> Any:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None:
            return _no_items()
        tree = navigation.hierarchical(ls.client_capabilities)
        fields = ls.checker(uri).index.entry_count <= navigation.FIELDS_UP_TO
        return RawJson(navigation.document_symbols(doc, ls.encoding, tree, fields))

    @server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
    @guarded(_no_items)
    def folding_range(ls: BibLanguageServer, params: lsp.FoldingRangeParams) -> Any:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return _no_items()
        client = navigation.folding_client(ls.client_capabilities)
        return RawJson(navigation.folding_ranges(doc, ls.encoding, client))

    @server.feature(lsp.TEXT_DOCUMENT_SELECTION_RANGE)
    @guarded(_no_items)
    def selection_range(ls: BibLanguageServer, params: lsp.SelectionRangeParams) -> Any:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return _no_items()
        return navigation.selection(doc, params.positions, ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded(_no_definition)
    def goto_definition(ls: BibLanguageServer, params: lsp.DefinitionParams) -> Any:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None:
            return None
        open_documents = ls.open_documents()
        return navigation.goto_definition(
            doc,
            ls.checker(uri).index,
            params.position,
            ls.encoding,
            navigation.link_support(ls.client_capabilities),
            uri,
            ls.files.macros_elsewhere(uri, open_documents),
            open_documents,
        )

    @server.feature(lsp.WORKSPACE_SYMBOL)
    @guarded(_no_items)
    def workspace_symbol(ls: BibLanguageServer, params: lsp.WorkspaceSymbolParams) -> Any:
        return references.workspace_symbols(
            params.query, ls.open_documents(), ls.files, ls.encoding
        )

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @guarded_async(_no_definition)
    async def find_references(ls: BibLanguageServer, params: lsp.ReferenceParams) -> Any:
        doc = ls.documents.get(params.text_document.uri)
        found = doc and references.target(doc, params.position, ls.encoding)
        if not found:
            return None
        documents = ls.open_documents()
        everywhere = await references.find_all(
            found, documents, ls.files.folders, ls.files.max_bytes, ls.files.too_large
        )
        declaration = params.context.include_declaration
        return references.locations(everywhere, documents, declaration, ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(_no_definition)
    def prepare_rename(ls: BibLanguageServer, params: lsp.PrepareRenameParams) -> Any:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        return references.prepare(doc, params.position, ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    @guarded_async(_no_definition)
    async def rename(ls: BibLanguageServer, params: lsp.RenameParams) -> Any:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        found = references.target(doc, params.position, ls.encoding)
        if found is None:
            raise references.Refused(
                "bib-lsp: only an entry key or an @string macro can be renamed"
            )
        documents = ls.open_documents()
        references.check_rename(found, params.new_name, documents, ls.files)
        everywhere = await references.find_all(
            found, documents, ls.files.folders, ls.files.max_bytes, ls.files.too_large
        )
        if references.stale(everywhere, ls.open_documents()):
            raise references.Refused("bib-lsp: a document changed while renaming; try again")
        document_changes = references.takes_document_changes(ls.client_capabilities)
        return references.workspace_edit(
            everywhere, params.new_name, documents, ls.encoding, document_changes
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DocumentLinkOptions(resolve_provider=False)
    )
    @guarded(_no_items)
    def document_link(ls: BibLanguageServer, params: lsp.DocumentLinkParams) -> Any:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return _no_items()
        tooltips = navigation.tooltips(ls.client_capabilities)
        return RawJson(navigation.document_links(doc, ls.encoding, tooltips))

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, navigation.LEGEND)
    @guarded(_no_tokens)
    def semantic_tokens_full(ls: BibLanguageServer, params: lsp.SemanticTokensParams) -> Any:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return _no_tokens()
        return RawJson(navigation.semantic_tokens(doc, ls.encoding))

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, navigation.LEGEND)
    @guarded(_no_tokens)
    def semantic_tokens_range(ls: BibLanguageServer, params: lsp.SemanticTokensRangeParams) -> Any:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return _no_tokens()
        return RawJson(navigation.semantic_tokens(doc, ls.encoding, params.range))

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    @guarded(_no_edits)
    def format_document(
        ls: BibLanguageServer, params: lsp.DocumentFormattingParams
    ) -> list[lsp.TextEdit]:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return []
        return formatting.formatting(doc, ls.settings.format, params.options, ls.encoding)

    @server.feature(lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
    @guarded(_no_edits)
    def format_range(
        ls: BibLanguageServer, params: lsp.DocumentRangeFormattingParams
    ) -> list[lsp.TextEdit]:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return []
        return formatting.formatting(
            doc, ls.settings.format, params.options, ls.encoding, params.range
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=actions.KINDS, resolve_provider=False),
    )
    @guarded(_no_actions)
    def code_action(ls: BibLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None:
            return []
        checker = ls.checker(uri)
        return actions.code_actions(params, doc, checker, ls.encoding)

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
            return RawJson.of({"kind": "unchanged", "resultId": result_id})
        # JSON text, like publishDiagnostics: see BibLanguageServer.report.
        head = b'{"kind":"full","resultId":' + dumps(result_id) + b',"items":'
        return RawJson([head, *items, b"}"])

    return server


_Partial = lsp.TextDocumentContentChangePartial


def _change_range(r: lsp.Range) -> Range:
    """The range of a change; a reversed one (end before start) is the same span
    with its ends swapped, as in vscode-languageserver-textdocument. (Positions past
    the end of a line or of the text are clamped by the document.)"""
    if (r.end.line, r.end.character) < (r.start.line, r.start.character):
        r = lsp.Range(r.end, r.start)
    return convert.from_range(r)


def _no_completions() -> lsp.CompletionList:
    return lsp.CompletionList(is_incomplete=False, items=[])


def _no_hover() -> lsp.Hover | None:
    return None


def _no_edits() -> list[lsp.TextEdit]:
    return []


def _no_actions() -> list[lsp.CodeAction]:
    return []


def _no_items() -> list[Any]:
    return []


def _no_definition() -> None:
    return None


def _no_tokens() -> lsp.SemanticTokens:
    return lsp.SemanticTokens(data=[])


def _empty_report() -> Any:
    return RawJson.of({"kind": "full", "items": []})
