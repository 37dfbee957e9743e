"""Protocol abuse (issue 10): the real server process over stdio, sent what a
careless or broken client sends. Requests for unknown or closed documents, at
positions out of bounds and with reversed ranges, with malformed params, for
unknown methods; `didChange` out of order or out of bounds; requests before
`initialize` and after `shutdown`; cancellation; a client that goes away; bodies
that are not JSON or no JSON-RPC message; answers that cannot be written as JSON.

Every request gets an answer the LSP 3.17 specification allows (a result, empty
or null where it allows that, or a JSON-RPC error), notifications never get one,
no handler fails (the server logs a failure as a `window/logMessage` error, which
is checked), and the server goes on serving. Every wait is bounded by the
client's timeout: a server that stops answering fails the test, never hangs it.

The requests are generated from what `initialize` advertises, so a feature added
later is covered here without a change, or fails ``test_every_capability_is_known``
until its methods are named in ``CAPABILITY_METHODS``.

Text synchronisation, as decided (see docs/architecture.md, "The server"): a
position past the end of its line is the end of the line, a line past the last is
the end of the text (LSP: "If the character value is greater than the line length
it defaults back to the line length"); a reversed range is the same span with its
ends swapped (as vscode-languageserver-textdocument does); the changes of one
`didChange` apply in order, each in the coordinates its predecessors left; a change
with a negative line or column cannot be read (positions are uintegers) and is
dropped; a version lower than or equal to the current one is taken as it is (the
change is applied: dropping it would leave the server's text behind the client's);
a change to a document that is not open is ignored."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from lsprotocol import types as lsp

from tools.raw_lsp import EDITOR_CAPABILITIES, OPTIONS, Message, RawLspClient

TIMEOUT = 15.0  # seconds any one awaited answer may take
INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32600, -32601, -32602
INTERNAL_ERROR = -32603
SERVER_NOT_INITIALIZED, REQUEST_FAILED, REQUEST_CANCELLED = -32002, -32803, -32800
STATUS = "bibLsp/status"
RESOLVE = lsp.COMPLETION_ITEM_RESOLVE

TEXT = """\
@string{jr = "Journal of Research"}

@article{smith2020,
  author = {Smith, John},
  title = {A Title},
  journal = jr,
  year = 2020,
  url = {https://example.org/a},
}

@book{doe2019,
  author = {Doe, Jane},
  title = {Book},
  publisher = {P},
  year = 2019,
}
"""
KEY = (2, 12)  # a position inside `smith2020`: a normal hover there has an answer


class Client(RawLspClient):
    """The raw client, with a timeout on every wait; it keeps the failures the
    server logs."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(timeout=TIMEOUT, env=env)
        self.failures: list[str] = []  # "bib-lsp: X failed" log messages
        self.logged_errors: list[str] = []  # every error the server logged to the client
        self.published_uris: list[str] = []  # of every publishDiagnostics, in order
        self.responses: list[Message] = []  # every response received, in order

    def note(self, message: Message) -> None:
        super().note(message)
        method = message.get("method")
        if method == lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            self.published_uris.append(message["params"]["uri"])
        elif method == "window/logMessage":
            text = message["params"]["message"]
            if message["params"]["type"] == 1:
                self.logged_errors.append(text)
                if re.search(r"failed:|checking .*:\n", text):
                    self.failures.append(text)
        elif method is None and "id" in message:
            self.responses.append(message)

    def close_document(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        self.published(uri, None)  # the clearing one: no version

    def hover_works(self, uri: str) -> None:
        """A normal hover still has its answer."""
        answer = self.request("textDocument/hover", document_position(uri, *KEY))
        assert "smith2020" in json.dumps(answer["result"]), answer


@pytest.fixture
def client() -> Iterator[Client]:
    server = Client()
    try:
        yield server
    finally:
        server.close()


def document_position(uri: str, line: int, character: int) -> dict[str, Any]:
    return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}


def position(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


# -- requests generated from the advertised capabilities ---------------------------


def _options(value: Any) -> dict[str, Any] | None:
    """A capability's options: None when it is off, {} when it is just on."""
    if value is None or value is False:
        return None
    return value if isinstance(value, dict) else {}


def _with_resolve(method: str, resolve: str) -> Callable[[dict[str, Any]], list[str]]:
    return lambda o: [method, resolve] if o.get("resolveProvider") else [method]


# Each capability of ServerCapabilities and the requests it stands for.
CAPABILITY_METHODS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "completionProvider": _with_resolve(lsp.TEXT_DOCUMENT_COMPLETION, lsp.COMPLETION_ITEM_RESOLVE),
    "hoverProvider": lambda o: [lsp.TEXT_DOCUMENT_HOVER],
    "signatureHelpProvider": lambda o: [lsp.TEXT_DOCUMENT_SIGNATURE_HELP],
    "declarationProvider": lambda o: [lsp.TEXT_DOCUMENT_DECLARATION],
    "definitionProvider": lambda o: [lsp.TEXT_DOCUMENT_DEFINITION],
    "typeDefinitionProvider": lambda o: [lsp.TEXT_DOCUMENT_TYPE_DEFINITION],
    "implementationProvider": lambda o: [lsp.TEXT_DOCUMENT_IMPLEMENTATION],
    "referencesProvider": lambda o: [lsp.TEXT_DOCUMENT_REFERENCES],
    "documentHighlightProvider": lambda o: [lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT],
    "documentSymbolProvider": lambda o: [lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL],
    "codeActionProvider": _with_resolve(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CODE_ACTION_RESOLVE),
    "codeLensProvider": _with_resolve(lsp.TEXT_DOCUMENT_CODE_LENS, lsp.CODE_LENS_RESOLVE),
    "documentLinkProvider": _with_resolve(
        lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DOCUMENT_LINK_RESOLVE
    ),
    "colorProvider": lambda o: [lsp.TEXT_DOCUMENT_DOCUMENT_COLOR],
    "workspaceSymbolProvider": _with_resolve(lsp.WORKSPACE_SYMBOL, lsp.WORKSPACE_SYMBOL_RESOLVE),
    "documentFormattingProvider": lambda o: [lsp.TEXT_DOCUMENT_FORMATTING],
    "documentRangeFormattingProvider": lambda o: [lsp.TEXT_DOCUMENT_RANGE_FORMATTING],
    "documentOnTypeFormattingProvider": lambda o: [lsp.TEXT_DOCUMENT_ON_TYPE_FORMATTING],
    "renameProvider": lambda o: (
        [lsp.TEXT_DOCUMENT_RENAME, lsp.TEXT_DOCUMENT_PREPARE_RENAME]
        if o.get("prepareProvider")
        else [lsp.TEXT_DOCUMENT_RENAME]
    ),
    "foldingRangeProvider": lambda o: [lsp.TEXT_DOCUMENT_FOLDING_RANGE],
    "selectionRangeProvider": lambda o: [lsp.TEXT_DOCUMENT_SELECTION_RANGE],
    "executeCommandProvider": lambda o: [lsp.WORKSPACE_EXECUTE_COMMAND],
    "callHierarchyProvider": lambda o: [lsp.TEXT_DOCUMENT_PREPARE_CALL_HIERARCHY],
    "linkedEditingRangeProvider": lambda o: [lsp.TEXT_DOCUMENT_LINKED_EDITING_RANGE],
    "semanticTokensProvider": lambda o: (
        ([lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL] if o.get("full") else [])
        + (
            [lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA]
            if isinstance(o.get("full"), dict) and o["full"].get("delta")
            else []
        )
        + ([lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE] if o.get("range") else [])
    ),
    "monikerProvider": lambda o: [lsp.TEXT_DOCUMENT_MONIKER],
    "typeHierarchyProvider": lambda o: [lsp.TEXT_DOCUMENT_PREPARE_TYPE_HIERARCHY],
    "inlineValueProvider": lambda o: [lsp.TEXT_DOCUMENT_INLINE_VALUE],
    "inlayHintProvider": _with_resolve(lsp.TEXT_DOCUMENT_INLAY_HINT, lsp.INLAY_HINT_RESOLVE),
    "diagnosticProvider": lambda o: (
        [lsp.TEXT_DOCUMENT_DIAGNOSTIC]
        + ([lsp.WORKSPACE_DIAGNOSTIC] if o.get("workspaceDiagnostics") else [])
    ),
    "inlineCompletionProvider": lambda o: [lsp.TEXT_DOCUMENT_INLINE_COMPLETION],
}
# Capabilities that stand for no request of the client's (notifications, settings),
# and `workspace`, whose file operations are looked at separately.
NOT_REQUESTS = {"positionEncoding", "textDocumentSync", "notebookDocumentSync", "experimental"}
FILE_OPERATIONS = {
    "willCreate": lsp.WORKSPACE_WILL_CREATE_FILES,
    "willRename": lsp.WORKSPACE_WILL_RENAME_FILES,
    "willDelete": lsp.WORKSPACE_WILL_DELETE_FILES,
}


def advertised_requests(capabilities: dict[str, Any]) -> list[str]:
    """Every request the capabilities advertise, and our own `bibLsp/status`."""
    methods: list[str] = []
    for name, value in capabilities.items():
        options = _options(value)
        if options is None or name in NOT_REQUESTS:
            continue
        if name == "workspace":
            file_operations = options.get("fileOperations") or {}
            methods += [m for key, m in FILE_OPERATIONS.items() if file_operations.get(key)]
            continue
        assert name in CAPABILITY_METHODS, f"name the requests of {name!r} in CAPABILITY_METHODS"
        methods += CAPABILITY_METHODS[name](options)
    return [*methods, STATUS]


@attrs.frozen
class Place:
    """What one generated request is about."""

    uri: str
    start: tuple[int, int]
    end: tuple[int, int]

    def range(self) -> dict[str, Any]:
        return {"start": position(*self.start), "end": position(*self.end)}


FORMATTING = {"tabSize": 2, "insertSpaces": True}
# A value for each required field of a request's params (by its JSON name; by
# method and name where methods differ, or for an optional field that is worth
# sending), from what the request is about.
SAMPLES: dict[Any, Callable[[Place], Any]] = {
    "textDocument": lambda p: {"uri": p.uri},
    "position": lambda p: position(*p.start),
    "positions": lambda p: [position(*p.start), position(*p.end)],
    "range": lambda p: p.range(),
    "options": lambda p: FORMATTING,
    "newName": lambda p: "renamed2020",
    "query": lambda p: "smith",
    "ch": lambda p: "}",
    "command": lambda p: "bib-lsp.no-such-command",
    "previousResultId": lambda p: "1",
    "context": lambda p: {"diagnostics": []},
    (lsp.TEXT_DOCUMENT_REFERENCES, "context"): lambda p: {"includeDeclaration": True},
    (lsp.TEXT_DOCUMENT_COMPLETION, "context"): lambda p: {"triggerKind": 1},
    (lsp.COMPLETION_ITEM_RESOLVE, "label"): lambda p: "smith2020",
    (lsp.COMPLETION_ITEM_RESOLVE, "data"): lambda p: {"uri": p.uri, "about": ["smith2020"]},
    (lsp.CODE_LENS_RESOLVE, "range"): lambda p: p.range(),
    (lsp.DOCUMENT_LINK_RESOLVE, "range"): lambda p: p.range(),
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def params_for(method: str, place: Place) -> Any:
    if method == STATUS:
        return {"textDocument": {"uri": place.uri}}
    kind = lsp.METHOD_TO_TYPES[method][2]
    params: dict[str, Any] = {}
    for field in attrs.fields(kind):
        name = _camel(field.name)
        required = field.default is attrs.NOTHING
        sample = SAMPLES.get((method, name), SAMPLES.get(name) if required else None)
        if sample is None:
            assert not required, f"{method}: add a sample of {name!r} to SAMPLES"
            continue
        params[name] = sample(place)
    return params


def takes_document(method: str) -> bool:
    if method == STATUS:
        return True
    kind = lsp.METHOD_TO_TYPES[method][2]
    return any(field.name == "text_document" for field in attrs.fields(kind))


# What "nothing" looks like in each request's result.
EMPTY: list[Any] = [
    None,
    [],
    {"data": []},
    {"isIncomplete": False, "items": []},
    {"kind": "full", "items": []},
]


def check_answer(method: str, answer: Message, empty: bool = False) -> str | None:
    """What is wrong with ``answer`` to ``method``, if anything."""
    if "error" in answer:
        code = answer["error"].get("code")
        if code in (INVALID_PARAMS, REQUEST_FAILED):
            return None
        return f"{method}: error {answer['error']}"
    if "result" not in answer:
        return f"{method}: neither result nor error: {answer}"
    if empty and takes_document(method) and answer["result"] not in EMPTY:
        return f"{method}: not empty for a document that is not open: {answer['result']}"
    return None


def abuse(client: Client, methods: list[str], places: dict[str, Place], empty: bool) -> None:
    problems = []
    for label, place in places.items():
        for method in methods:
            answer = client.request(method, params_for(method, place))
            problem = check_answer(method, answer, empty)
            if problem:
                problems.append(f"{label}: {problem}")
    assert problems == []
    assert client.failures == []


URI = "file:///tmp/bib-lsp-abuse/a.bib"


def test_every_capability_is_known(client: Client) -> None:
    methods = advertised_requests(client.initialize())
    for wanted in (
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.TEXT_DOCUMENT_HOVER,
        lsp.TEXT_DOCUMENT_RENAME,
        lsp.TEXT_DOCUMENT_PREPARE_RENAME,
        lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE,
        lsp.TEXT_DOCUMENT_DIAGNOSTIC,
        lsp.WORKSPACE_SYMBOL,
    ):
        assert wanted in methods


def test_every_request_for_a_document_never_opened_or_closed(client: Client) -> None:
    methods = advertised_requests(client.initialize())
    closed = "file:///tmp/bib-lsp-abuse/closed.bib"
    client.open(closed, TEXT)
    client.close_document(closed)
    places = {
        "never opened": Place("file:///tmp/bib-lsp-abuse/nowhere.bib", KEY, KEY),
        "not a file URI": Place("untitled:Untitled-1", KEY, KEY),
        "not a URI": Place("no uri at all", KEY, KEY),
        "closed": Place(closed, KEY, KEY),
    }
    abuse(client, methods, places, empty=True)
    client.open(URI, TEXT)
    client.hover_works(URI)


def test_every_request_at_positions_out_of_bounds(client: Client) -> None:
    methods = advertised_requests(client.initialize())
    client.open(URI, TEXT)
    big = 2**31 - 1  # the largest uinteger
    points = {
        "past the end of a line": (2, 10_000),
        "past the end of the file": (10_000, 0),
        "at the end of the file": (TEXT.count("\n"), 0),
        "largest": (big, big),
        "larger than a uinteger": (2**40, 2**40),
        "negative": (-1, -1),
    }
    places = {label: Place(URI, point, point) for label, point in points.items()}
    places["range past the end"] = Place(URI, (0, 0), (10_000, 10_000))
    places["range beyond the file"] = Place(URI, (10_000, 0), (10_001, 5))
    abuse(client, methods, places, empty=False)
    client.hover_works(URI)


def test_every_request_with_a_reversed_range(client: Client) -> None:
    methods = advertised_requests(client.initialize())
    client.open(URI, TEXT)
    places = {
        "reversed": Place(URI, (5, 3), (0, 0)),
        "reversed on a line": Place(URI, (2, 12), (2, 2)),
        "reversed from past the end": Place(URI, (10_000, 0), (1, 0)),
    }
    abuse(client, methods, places, empty=False)
    client.hover_works(URI)


# -- malformed params and unknown methods ------------------------------------------

MALFORMED: dict[str, Callable[[Any], dict[str, Any]]] = {
    "params an array": lambda good: {"params": list(good.values())},
    "params null": lambda good: {"params": None},
    "params missing": lambda good: {},
    "params a string": lambda good: {"params": "textDocument"},
    "fields missing": lambda good: {"params": {}},
    "document a number": lambda good: {"params": {**good, "textDocument": 5}},
    "uri a number": lambda good: {"params": {**good, "textDocument": {"uri": 5}}},
    "uri null": lambda good: {"params": {**good, "textDocument": {"uri": None}}},
    "position of strings": lambda good: {
        "params": {**good, "position": {"line": "2", "character": "x"}}
    },
    "position of digits": lambda good: {
        "params": {**good, "position": {"line": "2", "character": "12"}}
    },
    "position of fractions": lambda good: {
        "params": {**good, "position": {"line": 2.5, "character": 12}}
    },
    "position of booleans": lambda good: {
        "params": {**good, "position": {"line": True, "character": False}}
    },
}
DOCUMENT_SPOILS = {"document a number", "uri a number", "uri null"}
SAMPLE_REQUESTS = [
    lsp.TEXT_DOCUMENT_HOVER,
    lsp.TEXT_DOCUMENT_COMPLETION,
    lsp.TEXT_DOCUMENT_DEFINITION,
    lsp.TEXT_DOCUMENT_REFERENCES,
    lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
    lsp.TEXT_DOCUMENT_FORMATTING,
    lsp.TEXT_DOCUMENT_RANGE_FORMATTING,
    lsp.TEXT_DOCUMENT_RENAME,
    lsp.TEXT_DOCUMENT_PREPARE_RENAME,
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.TEXT_DOCUMENT_SELECTION_RANGE,
    lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE,
    lsp.TEXT_DOCUMENT_DIAGNOSTIC,
    lsp.WORKSPACE_SYMBOL,
    lsp.COMPLETION_ITEM_RESOLVE,
    STATUS,
]


def sentinel(client: Client) -> None:
    """Nothing came back but the answer to a request sent last (the ones before it
    all had theirs), and the server still serves."""
    client.responses.clear()
    client.hover_works(URI)
    assert [r["id"] for r in client.responses] == [next(client.ids) - 1]
    client.responses.clear()


def test_malformed_params_of_requests_get_invalid_params(client: Client) -> None:
    client.initialize()
    client.open(URI, TEXT)
    place = Place(URI, KEY, KEY)
    problems = []
    for method in SAMPLE_REQUESTS:
        good = params_for(method, place)
        for label, spoil in MALFORMED.items():
            if label.startswith("position") and "position" not in good:
                continue
            if label in DOCUMENT_SPOILS and "textDocument" not in good:
                continue
            request_id = next(client.ids)
            client.send({"id": request_id, "method": method, **spoil(good)})
            answer = client.response_to(request_id)
            if answer.get("error", {}).get("code") == INVALID_PARAMS:
                continue
            problems.append(f"{method}, {label}: {answer}")
    assert problems == []
    assert client.failures == []
    sentinel(client)


def test_malformed_notifications_are_ignored(client: Client) -> None:
    client.initialize()
    client.open(URI, TEXT)
    item = {"uri": URI, "languageId": "bibtex", "version": 9, "text": "@misc{x,"}
    notifications: list[tuple[str, Any]] = [
        ("textDocument/didOpen", [item]),
        ("textDocument/didOpen", None),
        ("textDocument/didOpen", {"textDocument": 5}),
        ("textDocument/didOpen", {"textDocument": {"uri": URI, "version": 9, "text": 5}}),
        ("textDocument/didChange", None),
        ("textDocument/didChange", {"textDocument": {"uri": URI}, "contentChanges": "x"}),
        ("textDocument/didChange", {"textDocument": {"uri": URI, "version": 9}}),
        (
            "textDocument/didChange",
            {"textDocument": {"uri": URI, "version": 9}, "contentChanges": [{"range": 5}]},
        ),
        ("textDocument/didClose", {}),
        ("textDocument/didClose", [URI]),
        ("textDocument/didSave", {"textDocument": 5}),
        ("workspace/didChangeConfiguration", []),
        ("workspace/didChangeConfiguration", {"settings": {"bib-lsp": 5}}),
        ("workspace/didChangeWatchedFiles", {"changes": 5}),
        ("workspace/didChangeWorkspaceFolders", {"event": None}),
        ("$/cancelRequest", {}),
        ("$/cancelRequest", None),
        ("$/cancelRequest", {"id": None}),
        ("$/setTrace", {"value": "loud"}),
        ("initialized", []),
        ("window/workDoneProgress/cancel", {"token": None}),
    ]
    client.responses.clear()
    for method, params in notifications:
        client.send({"method": method, "params": params})
    client.send({"method": "textDocument/didClose"})  # no params at all
    # The document is as it was: open, unchanged.
    sentinel(client)
    assert client.request(STATUS, {"textDocument": {"uri": URI}})["result"]["entries"] == 2
    assert client.failures == []
    # At most a line each (pygls logged a traceback for each it could not read).
    said = client.stderr()
    assert "Traceback" not in said, said[-3000:]
    assert len(said.splitlines()) <= len(notifications) + 1, said[-3000:]


def test_params_of_the_wrong_type_are_not_converted(client: Client) -> None:
    """cattrs converted what it was given to the type a field wants: a number
    where a URI goes became the string "5" (a document of that name was opened,
    closed, checked), "2" a line, 2.5 line 2, null the URI "None", "false" true. A
    request's params of the wrong JSON type are InvalidParams saying where; a
    notification's are dropped with one log line."""
    client.initialize()
    client.open(URI, TEXT)
    doc = {"uri": URI}
    key = position(*KEY)
    for params, where in (
        ({"textDocument": {"uri": 5}, "position": key}, "$.params.textDocument.uri"),
        ({"textDocument": {"uri": None}, "position": key}, "$.params.textDocument.uri"),
        ({"textDocument": doc, "position": {"line": "2", "character": 12}}, "position.line"),
        ({"textDocument": doc, "position": {"line": 2.5, "character": 12}}, "position.line"),
        ({"textDocument": doc, "position": {"line": 2, "character": True}}, "position.character"),
    ):
        answer = client.request(lsp.TEXT_DOCUMENT_HOVER, params)
        assert answer.get("error", {}).get("code") == INVALID_PARAMS, (params, answer)
        assert where in answer["error"]["message"], answer
    context = {"includeDeclaration": "false"}
    answer = client.request(
        lsp.TEXT_DOCUMENT_REFERENCES, {**document_position(URI, *KEY), "context": context}
    )
    assert answer["error"]["code"] == INVALID_PARAMS, answer
    assert "context.includeDeclaration" in answer["error"]["message"], answer
    # JSON has one kind of number: 2.0 is the integer 2.
    whole = {"line": 2.0, "character": 12.0}
    answer = client.request(lsp.TEXT_DOCUMENT_HOVER, {"textDocument": doc, "position": whole})
    assert "smith2020" in json.dumps(answer["result"]), answer
    client.logged_errors.clear()
    other = "file:///tmp/bib-lsp-abuse/other.bib"
    item = {"uri": other, "languageId": "bibtex", "version": 1, "text": ENTRY}
    notifications: list[tuple[str, Any]] = [
        (lsp.TEXT_DOCUMENT_DID_OPEN, {"textDocument": {**item, "uri": 5}}),
        (lsp.TEXT_DOCUMENT_DID_OPEN, {"textDocument": {**item, "version": "1"}}),
        (lsp.TEXT_DOCUMENT_DID_OPEN, {"textDocument": {**item, "text": 5}}),
        (
            lsp.TEXT_DOCUMENT_DID_CHANGE,
            {"textDocument": {"uri": URI, "version": "2"}, "contentChanges": [{"text": ""}]},
        ),
        (
            lsp.TEXT_DOCUMENT_DID_CHANGE,
            {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": 5}]},
        ),
        (lsp.TEXT_DOCUMENT_DID_CLOSE, {"textDocument": {"uri": 5}}),
        (lsp.TEXT_DOCUMENT_DID_CLOSE, {"textDocument": {"uri": None}}),
    ]
    for method, params in notifications:
        client.send({"method": method, "params": params})
    sentinel(client)
    # Nothing was opened, changed or closed (and no diagnostics went to "5" or "None").
    for uri, entries in ((URI, 2), ("5", None), (other, None), ("None", None)):
        status = client.request(STATUS, {"textDocument": {"uri": uri}})["result"]
        assert (status and status["entries"]) == entries, (uri, status)
    assert not {"5", "None"} & set(client.published_uris), client.published_uris
    assert len(client.logged_errors) == len(notifications), client.logged_errors
    assert all("could not read" in text for text in client.logged_errors), client.logged_errors
    said = client.stderr()
    assert "Traceback" not in said, said[-3000:]
    # A line for each of the six requests and each notification.
    assert said.count("could not read") == 6 + len(notifications), said[-3000:]
    assert client.failures == []


def test_unknown_methods(client: Client) -> None:
    client.initialize()
    client.open(URI, TEXT)
    for method in ("bibLsp/noSuchRequest", "textDocument/noSuchRequest", "$/noSuchRequest"):
        answer = client.request(method, {"textDocument": {"uri": URI}})
        assert answer["error"]["code"] == METHOD_NOT_FOUND, answer
        for params in ({"params": None}, {}, {"params": [1, 2]}):  # (params may be left out)
            request_id = next(client.ids)
            client.send({"id": request_id, "method": method, **params})
            answer = client.response_to(request_id)
            assert answer["error"]["code"] == METHOD_NOT_FOUND, answer
    # Not advertised: MethodNotFound too.
    answer = client.request(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, document_position(URI, *KEY))
    assert answer["error"]["code"] == METHOD_NOT_FOUND, answer
    client.responses.clear()
    for method in ("bibLsp/noSuchNotification", "$/noSuchNotification", "$/progress"):
        client.notify(method, {"textDocument": {"uri": URI}})
        client.send({"method": method})
    sentinel(client)
    assert client.failures == []


# -- lifecycle: before initialize, after shutdown, exit ----------------------------


def exit_code(client: Client) -> int:
    """The server's exit code, once it has gone (within a few seconds)."""
    return client.proc.wait(timeout=5)


def test_before_initialize_requests_get_server_not_initialized(client: Client) -> None:
    for method, params in (
        (lsp.TEXT_DOCUMENT_HOVER, document_position(URI, *KEY)),
        (STATUS, {"textDocument": {"uri": URI}}),
        (lsp.WORKSPACE_SYMBOL, {"query": ""}),
        ("bibLsp/noSuchRequest", None),
        (lsp.SHUTDOWN, None),
    ):
        answer = client.request(method, params)
        assert answer["error"]["code"] == SERVER_NOT_INITIALIZED, (method, answer)
    # Notifications are dropped: the document was not opened.
    item = {"uri": URI, "languageId": "bibtex", "version": 1, "text": TEXT}
    client.notify("textDocument/didOpen", {"textDocument": item})
    client.notify("initialized", {})
    client.notify("$/cancelRequest", {"id": 1})
    client.initialize()
    assert client.request(STATUS, {"textDocument": {"uri": URI}})["result"] is None
    client.open(URI, TEXT)
    client.hover_works(URI)


def test_initialize_only_once(client: Client) -> None:
    client.initialize()
    client.open(URI, TEXT)
    answer = client.request("initialize", {"processId": None, "capabilities": {}})
    assert answer["error"]["code"] == INVALID_REQUEST, answer
    # Nothing was reset: the document is still open, the settings still hold.
    client.hover_works(URI)
    assert client.failures == []


def test_unreadable_initialize_leaves_room_for_a_good_one(client: Client) -> None:
    answer = client.request("initialize", {"capabilities": 5})
    assert answer["error"]["code"] == INVALID_PARAMS, answer
    client.initialize()
    client.open(URI, TEXT)
    client.hover_works(URI)


def test_after_shutdown_requests_get_invalid_request_and_exit_exits_0(client: Client) -> None:
    client.initialize()
    client.open(URI, TEXT)
    answer = client.request(lsp.SHUTDOWN)
    assert "error" not in answer and answer["result"] is None
    for method, params in (
        (lsp.TEXT_DOCUMENT_HOVER, document_position(URI, *KEY)),
        (STATUS, {"textDocument": {"uri": URI}}),
        ("bibLsp/noSuchRequest", None),
        (lsp.SHUTDOWN, None),
        (lsp.INITIALIZE, {"capabilities": {}}),
    ):
        answer = client.request(method, params)
        assert answer["error"]["code"] == INVALID_REQUEST, (method, answer)
    client.responses.clear()
    client.change(URI, 2, {"text": ""})  # notifications are dropped
    client.notify("bibLsp/noSuchNotification", {})
    client.notify("exit")
    assert exit_code(client) == 0
    assert client.responses == []
    assert client.failures == []


def test_exit_without_shutdown_exits_1(client: Client) -> None:
    client.initialize()
    client.open(URI, TEXT)
    client.notify("exit")
    assert exit_code(client) == 1


def test_exit_before_initialize_exits_1(client: Client) -> None:
    client.notify("exit")
    assert exit_code(client) == 1


def _sleeper() -> subprocess.Popen[bytes]:
    """A process that stands for the client's (initialize's processId)."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])


def test_the_server_exits_when_the_client_process_goes(client: Client) -> None:
    """LSP: "If the parent process is not alive then the server should exit". The
    client's process here is not the one that talks to the server (the test is),
    so the server's input stays open: only the processId tells it."""
    parent = _sleeper()
    try:
        client.initialize(process_id=parent.pid)
        client.open(URI, TEXT)
        time.sleep(2.5)  # longer than the server waits between looks
        client.hover_works(URI)  # the process is there: the server goes on
        parent.kill()
        parent.wait(timeout=TIMEOUT)
        assert _gone_within(client.proc, 10) == 1  # as `exit` without `shutdown`
    finally:
        parent.kill()
        parent.wait(timeout=TIMEOUT)
    said = client.stderr()
    assert "Traceback" not in said and "has gone; exiting" in said, said[-3000:]
    assert len(said.splitlines()) == 1, said[-3000:]


def test_a_process_id_that_is_not_there_is_not_watched(client: Client) -> None:
    """A processId with no process behind it at `initialize` is from another
    machine or container (or the client has gone, and then so has its end of the
    pipes): the server serves on."""
    gone = _sleeper()
    gone.kill()
    gone.wait(timeout=TIMEOUT)
    client.initialize(process_id=gone.pid)
    client.open(URI, TEXT)
    time.sleep(2.5)
    client.hover_works(URI)
    assert client.proc.poll() is None


def test_exit_with_a_request_pending(client: Client) -> None:
    """`exit` right behind a request: the process goes, answered or not."""
    client.initialize()
    client.open(URI, TEXT)
    client.request(lsp.SHUTDOWN)
    client.send({"id": next(client.ids), "method": lsp.WORKSPACE_SYMBOL, "params": {"query": ""}})
    client.notify("exit")
    assert exit_code(client) == 0


# -- didChange out of order and out of bounds ---------------------------------------


def apply_change(text: str, change: dict[str, Any]) -> str:
    """What a change makes of ``text`` as decided (see the module's docstring);
    ``text`` is ASCII, so a column is a code point."""
    if "range" not in change:
        return str(change["text"])
    lines = text.split("\n")

    def offset(p: dict[str, int]) -> int:
        line, character = p["line"], p["character"]
        if line < 0:
            return 0
        if line >= len(lines):
            return len(text)
        start = sum(len(s) + 1 for s in lines[:line])
        return start + min(max(character, 0), len(lines[line]))

    start, end = sorted((offset(change["range"]["start"]), offset(change["range"]["end"])))
    return text[:start] + change["text"] + text[end:]


def edit(start: tuple[int, int], end: tuple[int, int], text: str) -> dict[str, Any]:
    return {"range": {"start": position(*start), "end": position(*end)}, "text": text}


class Synced:
    """A document the test changes as a client would (or would not), with the text
    the server should then hold; ``check`` compares what the server says of it with
    what it says of a fresh document of the expected text."""

    def __init__(self, client: Client, uri: str, text: str, version: int) -> None:
        self.client, self.uri, self.text, self.version = client, uri, text, version
        self.checks = 0
        self.published = client.open(uri, text, version)["diagnostics"]

    def change(self, version: int, changes: list[dict[str, Any]]) -> None:
        self.client.send(
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": self.uri, "version": version},
                    "contentChanges": changes,
                },
            }
        )
        for change in changes:
            self.text = apply_change(self.text, change)
        self.version = version
        self.published = self.client.published(self.uri, version)["diagnostics"]
        self.check()

    def what_the_server_says(self, uri: str) -> str:
        """The document's symbols, pulled diagnostics and status, as JSON with the
        document's URI left out."""
        client = self.client
        doc = {"textDocument": {"uri": uri}}
        said = [
            client.request(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL, doc)["result"],
            client.request(lsp.TEXT_DOCUMENT_DIAGNOSTIC, doc)["result"]["items"],
            client.request(lsp.TEXT_DOCUMENT_FOLDING_RANGE, doc)["result"],
            client.request(STATUS, doc)["result"],
        ]
        return json.dumps(said).replace(uri, "URI")

    def check(self) -> None:
        self.checks += 1
        fresh = f"file:///tmp/bib-lsp-abuse/expected-{self.checks}.bib"
        published = self.client.open(fresh, self.text)["diagnostics"]
        assert self.published == json.loads(json.dumps(published).replace(fresh, self.uri))
        assert self.what_the_server_says(self.uri) == self.what_the_server_says(fresh)
        self.client.close_document(fresh)


ENTRY = "@misc{added,\n  title = {Added},\n}\n"


def test_did_change_out_of_order_and_out_of_bounds(client: Client) -> None:
    client.initialize()
    doc = Synced(client, URI, TEXT, 10)
    doc.check()
    doc.change(5, [edit((1, 0), (1, 0), ENTRY)])  # a lower version
    doc.change(5, [edit((0, 0), (0, 1), "")])  # the same version again: `@` gone
    doc.change(5, [edit((0, 0), (0, 0), "@")])  # and back
    doc.change(11, [edit((10_000, 0), (10_000, 9), ENTRY.replace("added", "end"))])
    doc.change(12, [edit((2, 400), (2, 500), "% past the line end")])
    doc.change(13, [edit((3, 2), (2, 0), "@article{again,\n  ")])  # reversed
    # Negative numbers are no uinteger: the change cannot be read, and is dropped
    # (with a message in the log), as the whole notification.
    client.change(URI, 14, edit((-1, -1), (0, -5), "% negative\n"))
    doc.check()
    doc.change(15, [edit((4, 0), (10_000, 0), "")])  # to beyond the end
    # Several changes, each in the text its predecessors left, over one another.
    doc.change(
        16,
        [
            edit((0, 0), (0, 0), TEXT),
            edit((2, 3), (14, 1), "@book{over,\n  title = {T}"),
            edit((2, 0), (3, 5), "@misc{lapped,\n t"),
            edit((1, 0), (0, 0), ""),  # reversed and empty
        ],
    )
    # A change of a document that is not open is ignored.
    elsewhere = "file:///tmp/bib-lsp-abuse/not-open.bib"
    client.change(elsewhere, 3, edit((0, 0), (0, 0), ENTRY))
    assert client.request(STATUS, {"textDocument": {"uri": elsewhere}})["result"] is None
    # A correct full-text change brings the document back.
    doc.change(17, [{"text": TEXT}])
    assert doc.text == TEXT
    client.hover_works(URI)
    assert client.failures == []


def test_open_twice_and_close_what_is_not_open(client: Client) -> None:
    """A second `didOpen` of an open document replaces it (text and version, even a
    lower one); closing a document that is not open, or twice, changes nothing."""
    client.initialize()
    client.open(URI, TEXT, version=7)
    client.open(URI, ENTRY, version=2)
    doc = {"textDocument": {"uri": URI}}
    assert client.request(STATUS, doc)["result"]["entries"] == 1
    client.change(URI, 3, {"text": TEXT})
    client.published(URI, 3)
    assert client.request(STATUS, doc)["result"]["entries"] == 2
    elsewhere = "file:///tmp/bib-lsp-abuse/never.bib"
    client.close_document(elsewhere)  # (the server clears its diagnostics: harmless)
    client.close_document(URI)
    client.close_document(URI)
    assert client.request(STATUS, doc)["result"] is None
    client.open(URI, TEXT)
    client.hover_works(URI)
    assert client.failures == []


# -- cancellation and a client that goes away ---------------------------------------


def generated(count: int) -> str:
    """``count`` articles, each lacking its journal (a finding apiece)."""
    return "".join(
        f"@article{{key{i},\n  author = {{Writer, Ann and Other, Bob}},\n"
        f"  title = {{Paper number {i} with a title long enough}},\n  year = 2001,\n}}\n\n"
        for i in range(count)
    )


def test_cancelled_requests_get_their_result_or_request_cancelled(tmp_path: Path) -> None:
    # A low threshold: the document is checked in stages, in the background,
    # while the requests come. References and rename read the workspace's files
    # (in a thread, a quarter of a second for these): the cancellation comes while
    # they wait.
    for i in range(1_500):
        (tmp_path / f"f{i}.bib").write_text(generated(20).replace("key", f"k{i}x"))
    client = Client(env={**os.environ, "BIB_LSP_STAGED_ABOVE": "100"})
    try:
        client.initialize(root=tmp_path)
        big = "file:///tmp/bib-lsp-abuse/big.bib"
        client.open(big, generated(2_000))  # the parser's findings, at once
        client.open(URI, TEXT)
        key = document_position(big, 0, 12)
        slow = [
            (lsp.TEXT_DOCUMENT_HOVER, key),
            (lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL, {"textDocument": {"uri": big}}),
            (lsp.TEXT_DOCUMENT_FORMATTING, {"textDocument": {"uri": big}, "options": FORMATTING}),
            (lsp.TEXT_DOCUMENT_REFERENCES, {**key, "context": {"includeDeclaration": True}}),
            (lsp.TEXT_DOCUMENT_RENAME, {**key, "newName": "renamed"}),
            (lsp.WORKSPACE_SYMBOL, {"query": "key1"}),
            (lsp.TEXT_DOCUMENT_DIAGNOSTIC, {"textDocument": {"uri": big}}),
        ]
        ids = []
        for method, params in slow:
            request_id = next(client.ids)
            ids.append(request_id)
            client.send({"id": request_id, "method": method, "params": params})
            client.notify("$/cancelRequest", {"id": request_id})
        client.notify("$/cancelRequest", {"id": 424_242})  # unknown: ignored
        client.notify("$/cancelRequest", {"id": "no such request"})
        cancelled = []
        for request_id, (method, _) in zip(ids, slow, strict=True):
            answer = client.response_to(request_id)
            assert "result" in answer or answer["error"]["code"] == REQUEST_CANCELLED, (
                method,
                answer,
            )
            if "error" in answer:
                cancelled.append(method)
        # What waits on the workspace's files was still pending.
        assert set(cancelled) & {lsp.TEXT_DOCUMENT_REFERENCES, lsp.TEXT_DOCUMENT_RENAME}
        # Cancelling what was answered already is ignored too.
        client.notify("$/cancelRequest", {"id": ids[0]})
        client.hover_works(URI)
        assert client.request(STATUS, {"textDocument": {"uri": big}})["result"]["entries"] in (
            None,  # still checking
            2_000,
        )
        assert client.failures == []
    finally:
        client.close()


def _gone_within(proc: subprocess.Popen[bytes], seconds: float) -> int:
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=TIMEOUT)
        raise AssertionError(f"the server still ran {seconds} s after its client went") from None


@pytest.mark.parametrize("closes", ["input", "both", "output"])
def test_a_client_that_goes_away_mid_request(closes: str) -> None:
    """While large answers are pending the client closes the server's input (and
    reads on), or closes its end of the server's output too (as a client that dies
    does), or that end only: the server exits by itself, and says little about it."""
    env = {**os.environ, "BIB_LSP_STAGED_ABOVE": str(10**9)}
    client: RawLspClient
    if closes == "input":
        client = Client(env=env)
        client.initialize()
    else:
        # No reading thread: nothing may read the output but the test, and it reads
        # none of it (the answer to initialize stays in the pipe).
        client = RawLspClient(env=env)
        params = {"capabilities": EDITOR_CAPABILITIES, "initializationOptions": OPTIONS}
        client.send({"id": 1, "method": "initialize", "params": params})
        client.send({"method": "initialized", "params": {}})
    try:
        big = "file:///tmp/bib-lsp-abuse/big.bib"
        item = {"uri": big, "languageId": "bibtex", "version": 1, "text": generated(4_000)}
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        for request_id in range(100, 103):  # megabytes of symbols each
            client.send(
                {
                    "id": request_id,
                    "method": lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
                    "params": {"textDocument": {"uri": big}},
                }
            )
        assert client.proc.stdin is not None and client.proc.stdout is not None
        if closes in ("input", "both"):
            client.proc.stdin.close()
        if closes in ("output", "both"):
            client.proc.stdout.close()
        _gone_within(client.proc, 10)
    finally:
        client.close()  # (killed if it still runs)
    said = client.stderr()
    assert "Traceback" not in said and len(said.splitlines()) < 10, said[-3000:]


def _framed(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


PARSE_ERROR = -32700
DEEP = b"[" * 100_000 + b"]" * 100_000  # deeper than json.loads goes (RecursionError)
# A body that is not JSON: Parse error; JSON that is no JSON-RPC request or
# notification: InvalidRequest. Under the message's id where it has one it can be
# answered under, else null (JSON-RPC 2.0, section 5.1).
UNREADABLE: list[tuple[bytes, int, int | None]] = [
    (b"{not json", PARSE_ERROR, None),
    (b"\xff\xfe", PARSE_ERROR, None),
    (b'{"jsonrpc": "2.0", "id": 70, "method": "\xff"}', PARSE_ERROR, None),  # not UTF-8
    (b'{"jsonrpc": "2.0", "id": 71, "method": "initialize"', PARSE_ERROR, None),  # cut off
    (DEEP, PARSE_ERROR, None),
    (b"[1, 2]", INVALID_REQUEST, None),  # a batch: not in LSP
    (b"[]", INVALID_REQUEST, None),
    (b"5", INVALID_REQUEST, None),
    (b'"textDocument/hover"', INVALID_REQUEST, None),
    (b"null", INVALID_REQUEST, None),
    (b"true", INVALID_REQUEST, None),
    (b'{"jsonrpc": "2.0", "method": 5}', INVALID_REQUEST, None),
    (b'{"jsonrpc": "2.0", "id": 77, "method": null, "params": {}}', INVALID_REQUEST, 77),
    (b'{"jsonrpc": "2.0", "id": 78}', INVALID_REQUEST, 78),  # no method, no result
    (b'{"jsonrpc": "2.0"}', INVALID_REQUEST, None),
    (b'{"id": 81, "method": "bibLsp/status", "params": {}}', INVALID_REQUEST, 81),  # no jsonrpc
    (b'{"jsonrpc": "2.0", "id": {"x": 1}, "method": "bibLsp/status"}', INVALID_REQUEST, None),
    (b'{"jsonrpc": "2.0", "id": true, "method": "bibLsp/status"}', INVALID_REQUEST, None),
]
# Not answered: there is nothing to answer.
UNANSWERED = [
    b'{"jsonrpc": "2.0", "id": 79, "result": null}',  # a response to nothing we asked
    b'{"id": 80, "result": null}',  # the same without "jsonrpc"
    # Another JSON-RPC version: not ours to answer.
    b'{"jsonrpc": "1.0", "id": 82, "method": "bibLsp/status", "params": {}}',
]


def test_unreadable_messages_are_answered_and_do_not_stop_the_server(client: Client) -> None:
    """pygls logged a traceback for each of these (a body that is not JSON, not an
    object, without a method) and answered none."""
    client.initialize()
    client.open(URI, TEXT)
    client.responses.clear()
    client.logged_errors.clear()
    for body, code, request_id in UNREADABLE:
        client.send_bytes(_framed(body))
        answer = client.wait_for(lambda m: "id" in m and "method" not in m)
        assert "result" not in answer, (body[:80], answer)
        assert (answer["id"], answer["error"]["code"]) == (request_id, code), (body[:80], answer)
        assert answer["error"]["message"].startswith("bib-lsp: "), answer
    client.responses.clear()
    for body in UNANSWERED:
        client.send_bytes(_framed(body))
    client.send_bytes(b"X-Junk: 1\r\n\r\n")  # headers without a body
    sentinel(client)
    # One line each, and one for the response without "jsonrpc".
    assert len(client.logged_errors) == len(UNREADABLE) + 1, client.logged_errors
    said = client.stderr()
    assert "Traceback" not in said, said[-3000:]
    # One line each (pygls notes each unanswered one in a line too).
    assert len(said.splitlines()) <= len(UNREADABLE) + len(UNANSWERED), said[-3000:]
    assert client.failures == []


# -- answers that cannot be written as JSON -----------------------------------------


def test_an_answer_that_cannot_be_written_as_json_is_an_internal_error(client: Client) -> None:
    """`completionItem/resolve` gives the item back with the `data` the client sent:
    NaN (which Python's JSON reader takes) cannot be written as JSON, and data nested
    600 deep is deeper than the conversion of the answer can go. pygls wrote NaN as it
    is (no JSON) and, for the nesting, logged a traceback and never answered. The
    answer is an InternalError, with one line in the log, and the server goes on."""
    client.initialize()
    client.open(URI, TEXT)
    client.logged_errors.clear()
    for data in ("NaN", "[" * 600 + "1" + "]" * 600):
        request_id = next(client.ids)
        params = {"label": "x", "data": "DATA"}
        message = {"jsonrpc": "2.0", "id": request_id, "method": RESOLVE, "params": params}
        client.send_bytes(_framed(json.dumps(message).replace('"DATA"', data).encode()))
        error = client.response_to(request_id).get("error")
        assert error is not None and error["code"] == INTERNAL_ERROR, request_id
        assert "could not be written as JSON" in error["message"], error
    sentinel(client)
    assert len(client.logged_errors) == 2, client.logged_errors
    said = client.stderr()
    assert "Traceback" not in said and said.count("could not be written as JSON") == 2, said
    assert client.failures == []
