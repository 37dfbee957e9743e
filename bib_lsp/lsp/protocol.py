"""JSON-RPC hardening over pygls: the one module that touches pygls's internals.

Every pygls name this module relies on beyond its documented API is listed in
``PYGLS_PRIVATE``; ``tests/lsp/test_pygls_private.py`` checks that each still exists,
so that a pygls upgrade that moves one fails by name instead of quietly changing
what the server answers.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import math
from collections.abc import Callable, Generator
from typing import Any

import cattrs
from lsprotocol import types as lsp
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.feature_manager import FeatureManager
from pygls.lsp.server import LanguageServer
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    LanguageServerProtocol,
    lsp_method,
)

from bib_lsp.lsp.jsontext import JsonPieces, dumps
from bib_lsp.lsp.reading import strict_converter, what_is_wrong

logger = logging.getLogger(__name__)

METHOD, ATTRIBUTE, PROPERTY = "method", "attribute", "property"

# (owner, name, kind): a pygls name this module reads, calls or overrides although it
# is no documented API; an ATTRIBUTE is set on instances by the owner's __init__.
PYGLS_PRIVATE: tuple[tuple[type, str, str], ...] = (
    (LanguageServerProtocol, "_send_data", METHOD),  # overridden: never send nothing
    (LanguageServerProtocol, "_send_response", METHOD),  # overridden: RawJson results
    (LanguageServerProtocol, "_serialize_message", METHOD),  # json.dumps's default
    (LanguageServerProtocol, "_handle_notification", METHOD),  # overridden: no leak
    (LanguageServerProtocol, "_handle_cancel_notification", METHOD),  # overridden: quiet
    (LanguageServerProtocol, "_result_types", ATTRIBUTE),  # the type of each answer
    (LanguageServerProtocol, "_request_futures", ATTRIBUTE),  # requests under way
    (LanguageServerProtocol, "_include_headers", ATTRIBUTE),  # set by set_writer
    (LanguageServerProtocol, "_converter", ATTRIBUTE),  # cattrs, to read messages
    (LanguageServerProtocol, "_shutdown", ATTRIBUTE),  # `shutdown` was received
    (LanguageServerProtocol, "_server", ATTRIBUTE),  # the protocol's server
    (LanguageServerProtocol, "structure_message", METHOD),  # json.loads's object_hook
    (LanguageServerProtocol, "handle_message", METHOD),  # each message read
    (LanguageServerProtocol, "lsp_text_document__did_open", METHOD),  # replaced by name
    (LanguageServerProtocol, "lsp_text_document__did_change", METHOD),
    (LanguageServerProtocol, "lsp_text_document__did_close", METHOD),
    (LanguageServerProtocol, "fm", ATTRIBUTE),  # the feature manager
    (FeatureManager, "features", PROPERTY),  # our handlers, by method
    (LanguageServer, "_stop_event", ATTRIBUTE),  # set: stop reading
    (LanguageServer, "_report_server_error", METHOD),  # reports a failure to send
    (LanguageServer, "report_server_error", METHOD),  # the reading loop's error handler
)
# Built-in handlers are found by the attribute `lsp_method` puts on them.
LSP_METHOD_ATTRIBUTE = "method_name"
# pygls's reading loop logs a message it could not handle here, with a traceback.
READING_LOGGER, READING_FAILURE = "pygls.server", "Unable to handle message"


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
            # pygls keeps requests by id: one it cannot (an object) went unanswered.
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
    """Keeps pygls's traceback of a body that is not JSON out of the log:
    ``HardenedServer.report_server_error`` answers it and logs one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (record.msg == READING_FAILURE and isinstance(error, NOT_JSON))


_NOT_JSON_LOGGED = _NotJsonLogged()


class RawJson:
    """A result that is already JSON (in pieces), sent as it is: lsprotocol's
    classes and cattrs are ten times slower for thousands of diagnostics."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: JsonPieces) -> None:
        self.pieces = pieces

    @classmethod
    def of(cls, data: Any) -> RawJson:
        return cls([dumps(data)])


_WRITES: set[asyncio.Future[Any]] = set()


class _ClientOutput:
    """The writer to the client. Once the client has gone (a write finds its end
    closed), writes are dropped and ``gone`` is called, once: each answer would
    fail again, with a traceback apiece."""

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
    (``handle_message``), a quiet stop when the client has gone, and a fast path
    for JSON text."""

    _reporting = False  # a failure to send is being reported (to the client)
    initialize_seen = False  # an `initialize` request was read (and taken)

    @property
    def shut_down(self) -> bool:
        """Whether the client asked for `shutdown`."""
        return bool(self._shutdown)

    def set_writer(self, writer: Any, include_headers: bool = True) -> None:
        super().set_writer(_ClientOutput(writer, self._client_gone), include_headers)

    def _client_gone(self) -> None:
        """Read no more messages: the server has no one to answer."""
        logger.error("bib-lsp: the client closed its end of the connection; stopping")
        if self._server._stop_event is not None:
            self._server._stop_event.set()

    def notify_json(self, method: str, params: JsonPieces) -> None:
        """Send a notification whose parameters are already JSON."""
        head = b'{"jsonrpc":"2.0","method":' + dumps(method) + b',"params":'
        self.send_pieces([head, *params, b"}"])

    def send_pieces(self, body: JsonPieces) -> None:
        """Send one JSON-RPC message given as pieces of JSON, copying them once,
        into the message (not into a joined text first)."""
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
        """Send a message given as data (lsprotocol's classes), never nothing for a
        request: an answer that cannot be written as JSON (NaN and the infinities
        included) becomes an InternalError, another message is dropped, with one
        line in the log; pygls sent nothing, and the client waited forever."""
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

    def handle_message(self, message: Any) -> None:
        """Hold the LSP lifecycle, which pygls leaves to the server: before
        `initialize` a request is answered ServerNotInitialized; `initialize` is
        taken once, a second one is an InvalidRequest; after `shutdown` a request
        is an InvalidRequest. Notifications other than `exit` are dropped before
        `initialize` and after `shutdown`. And answer what is no JSON-RPC message
        (InvalidRequest) or whose parameters cannot be read (see
        ``structure_message``), with one line in the log."""
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
            # pygls files a notification whose handler is a generator (see
            # _hand_over) under a made-up id that no response takes out: a Future
            # kept for every keystroke.
            for key in [k for k in self._request_futures if k not in known]:
                del self._request_futures[key]

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        """Cancel the request ``msg_id`` if it has not started; a cancellation of a
        request already answered (or never seen) is ignored, logged at debug level:
        clients send one for every answer that crosses it, which is normal (pygls
        logged each as a warning, on the stderr that editors show as the log)."""
        future = self._request_futures.pop(msg_id, None)
        if future is None:
            logger.debug("bib-lsp: cancellation of request %r, which is not under way", msg_id)
        elif future.cancel():
            logger.debug("bib-lsp: request %r cancelled", msg_id)

    def _hand_over(self, method: str, params: Any) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    # Text synchronisation goes straight to our handlers: pygls's own copy of the
    # documents rebuilt a document's whole text on every change.
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


class HardenedServer(LanguageServer):
    """A pygls ``LanguageServer`` speaking through ``BibProtocol``, reading params
    by their JSON types (``lsp/reading.py``): a body that is not JSON is answered
    with a Parse error, and the exit code follows LSP (0 after `shutdown`)."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(
            name,
            version,
            protocol_cls=BibProtocol,
            converter_factory=strict_converter,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
        )
        logging.getLogger(READING_LOGGER).addFilter(_NOT_JSON_LOGGED)  # (once)

    @property
    def bib_protocol(self) -> BibProtocol:
        assert isinstance(self.protocol, BibProtocol)
        return self.protocol

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
        """0 when the client asked for `shutdown` before leaving, 1 otherwise."""
        return 0 if self.bib_protocol.shut_down else 1

    def start_io(self, *args: Any, **kwargs: Any) -> None:
        super().start_io(*args, **kwargs)
        # pygls's `exit` handler raises SystemExit with the code; start_io swallows it.
        if self.exit_code:
            raise SystemExit(self.exit_code)
