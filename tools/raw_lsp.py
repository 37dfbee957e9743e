"""A minimal LSP client speaking raw JSON-RPC to `python -m bib_lsp` over stdio: for
tests that must send what a typed client refuses to, and for benchmarks that time
the server without a client library in the way.

Without ``timeout`` the client reads the server's output itself, in the caller's
thread, and waits as long as it takes (what the benchmarks time). With ``timeout``
(seconds) a thread reads the messages as they come, and ``receive``/``wait_for``
raise ``TimeoutError`` when no awaited message comes in time: a test of a server that
stops answering fails instead of hanging."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import IO, Any

Message = dict[str, Any]

# What an editor such as VS Code says it can do (UTF-16, snippets, resolving
# documentation, links, hierarchical symbols, prepareRename, versioned diagnostics).
EDITOR_CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "completion": {
            "completionItem": {
                "snippetSupport": True,
                "resolveSupport": {"properties": ["documentation"]},
            }
        },
        "definition": {"linkSupport": True},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "rename": {"prepareSupport": True},
        "publishDiagnostics": {"versionSupport": True},
    },
}


class RawLspClient:
    def __init__(
        self,
        timeout: float | None = None,
        env: Mapping[str, str] | None = None,
        stderr: int | IO[Any] | None = subprocess.DEVNULL,
    ) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bib_lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=None if env is None else dict(env),
        )
        self.last_read = 0.0  # perf_counter() when the last message's bytes were in
        self.timeout = timeout
        self._deadline: float | None = None  # of the current wait_for
        self._inbox: queue.Queue[Message | BaseException] | None = None
        if timeout is not None:
            self._inbox = queue.Queue()
            threading.Thread(target=self._read_all, daemon=True).start()

    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send_bytes(self, data: bytes) -> None:
        """Send ``data`` as it is (headers and body, or anything else)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def request(self, request_id: int | str, method: str, params: Any = None) -> Message:
        """Send a request and wait for its answer (the whole response message)."""
        self.send({"id": request_id, "method": method, "params": params})
        return self.response_to(request_id)

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    def _read_message(self) -> Message:
        assert self.proc.stdout is not None
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line in (b"\r\n", b"\n"):
                break
        body = self.proc.stdout.read(length)
        self.last_read = time.perf_counter()
        return self.decode(body)

    def decode(self, body: bytes) -> Message:
        """A message's JSON body as data (a client may read less of it)."""
        message: Message = json.loads(body)
        return message

    def _read_all(self) -> None:
        assert self._inbox is not None
        while True:
            try:
                self._inbox.put(self._read_message())
            except Exception as error:  # EOF, or the pipe was closed under us
                self._inbox.put(error if isinstance(error, EOFError) else EOFError(str(error)))
                return

    def receive(self) -> Message:
        if self._inbox is None:
            return self._read_message()
        wait = self.timeout
        if self._deadline is not None:
            wait = max(0.0, self._deadline - time.monotonic())
        try:
            item = self._inbox.get(timeout=wait)
        except queue.Empty:
            raise TimeoutError(f"no message from the server in {self.timeout} s") from None
        if isinstance(item, BaseException):
            self._inbox.put(item)  # every later read ends the same way
            raise item
        return item

    def wait_for(self, predicate: Callable[[Message], bool]) -> Message:
        """The next message for which ``predicate`` holds (others are dropped); with
        a timeout, within ``timeout`` seconds in all."""
        outer = self._deadline
        if self.timeout is not None and outer is None:
            self._deadline = time.monotonic() + self.timeout
        try:
            while True:
                message = self.receive()
                if predicate(message):
                    return message
        finally:
            self._deadline = outer

    def change(self, uri: str, version: int, change: Message) -> None:
        """Send one `didChange` of ``change`` (a content change) as ``version``."""
        self.send(
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [change],
                },
            }
        )

    def published(self, uri: str, version: int) -> Message:
        """The server's next `publishDiagnostics` for ``uri`` at ``version``."""
        return self.wait_for(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            )
        )

    def response_to(self, request_id: int | str) -> Message:
        return self.wait_for(lambda m: m.get("id") == request_id and "method" not in m)

    def close(self) -> None:
        self.send({"id": 999_999, "method": "shutdown"})
        self.response_to(999_999)
        self.send({"method": "exit"})
        self.proc.wait(timeout=60)
