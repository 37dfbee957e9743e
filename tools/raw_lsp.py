"""A client speaking raw JSON-RPC to `python -m bib_lsp` over stdio: for tests that
must send what a typed client refuses to or watch the server's process, and for
benchmarks that time the server without a client library in the way.

Every message from the server passes ``note`` once, whatever is awaited: the
server's own requests are answered (null; nulls for `workspace/configuration`),
its error logs are kept in ``errors`` and its latest diagnostics per document for
``published``. Its stderr goes to a temporary file (``stderr()``): a pipe nobody
read would fill and stop the server.

Without ``timeout`` the client reads the server's output in the caller's thread
and waits as long as it takes (what the benchmarks time). With ``timeout``
(seconds) a thread reads the messages as they come and every wait ends within
``timeout``, or its own, or raises ``Timeout``: a server that stops answering
fails a test instead of hanging it."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

Message = dict[str, Any]

# What an editor such as VS Code says it can do (UTF-16, snippets, resolving
# documentation, links, hierarchical symbols, prepareRename, versioned diagnostics).
EDITOR_CAPABILITIES: Message = {
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
OPTIONS: Message = {"diagnostics": {"debounceMs": 0}}  # diagnostics at once after a change


class Timeout(AssertionError):
    """An awaited message did not come in time (a test failure, not an error)."""


class RawLspClient:
    def __init__(self, timeout: float | None = None, env: Mapping[str, str] | None = None) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bib_lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=None if env is None else dict(env),
        )
        self.timeout = timeout
        self.ids = itertools.count(1)  # of the requests this client sends
        self.last_read = 0.0  # perf_counter() when the last message's bytes were in
        self.errors: list[str] = []  # logged or shown errors (a handler's traceback)
        self.diagnostics: dict[str, Message] = {}  # latest publishDiagnostics params by URI
        self.capabilities: Message = {}  # the server's, once initialized
        self.encoding = "utf-16"  # the position encoding the server chose
        self.closed_cleanly = False
        self._said = ""  # the stderr, once closed
        self._inbox: queue.Queue[tuple[Message, float] | EOFError] | None = None
        self._reader: threading.Thread | None = None
        if timeout is not None:
            self._inbox = queue.Queue()
            self._reader = threading.Thread(target=self._read_all, daemon=True)
            self._reader.start()

    # -- sending ---------------------------------------------------------------------
    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send_bytes(self, data: bytes) -> None:
        """Send ``data`` as it is (headers and body, or anything else)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any = None, timeout: float | None = None) -> Message:
        """Send a request (the next of ``ids``) and wait for its answer: the whole
        response message, ``result`` or ``error``."""
        request_id = next(self.ids)
        self.send({"id": request_id, "method": method, "params": params})
        return self._wait(_answers(request_id), timeout, f"answer to {method}")

    def initialize(
        self,
        capabilities: Message | None = None,
        root: Path | None = None,
        process_id: int | None = None,
        options: Message | None = None,
        timeout: float | None = None,
    ) -> Message:
        """`initialize` (by default as an editor, with ``OPTIONS``; ``root`` the
        workspace folder) and `initialized`; the server's capabilities."""
        folders = None if root is None else [{"uri": root.as_uri(), "name": root.name}]
        params = {
            "processId": process_id,
            "rootUri": None if root is None else root.as_uri(),
            "workspaceFolders": folders,
            "capabilities": EDITOR_CAPABILITIES if capabilities is None else capabilities,
            "initializationOptions": OPTIONS if options is None else options,
        }
        self.capabilities = self.request("initialize", params, timeout)["result"]["capabilities"]
        self.encoding = self.capabilities.get("positionEncoding", "utf-16")
        self.notify("initialized", {})
        return self.capabilities

    def open(self, uri: str, text: str, version: int = 1) -> Message:
        """`didOpen` as a `bibtex` document; the diagnostics published for it."""
        item = {"uri": uri, "languageId": "bibtex", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})
        return self.published(uri, version)

    def change(self, uri: str, version: int, change: Message) -> None:
        """Send one `didChange` of ``change`` (a content change) as ``version``."""
        document = {"uri": uri, "version": version}
        self.notify(
            "textDocument/didChange", {"textDocument": document, "contentChanges": [change]}
        )

    # -- waiting ---------------------------------------------------------------------
    def receive(self, timeout: float | None = None) -> Message:
        """The next message."""
        return self._wait(lambda message: True, timeout, "message")

    def wait_for(
        self, awaited: str | Callable[[Message], bool], timeout: float | None = None
    ) -> Message:
        """The next message that is ``awaited``: of that method, or one the function
        accepts. The messages before it are noted, then dropped."""
        if isinstance(awaited, str):
            method = awaited
            return self._wait(lambda message: message.get("method") == method, timeout, method)
        return self._wait(awaited, timeout, "awaited message")

    def response_to(self, request_id: int | str, timeout: float | None = None) -> Message:
        """The answer to a request sent as it is (``send``)."""
        return self._wait(_answers(request_id), timeout, f"answer to request {request_id}")

    def published(self, uri: str, version: int | None, timeout: float | None = None) -> Message:
        """The params of a `publishDiagnostics` for ``uri`` at ``version`` (None: the
        clearing one, without a version): the latest one for ``uri`` if it is at
        ``version`` and was not returned before, else the next one."""

        def there() -> bool:
            latest = self.diagnostics.get(uri)
            return latest is not None and latest.get("version") == version

        if not there():
            what = f"publishDiagnostics for {uri} at version {version}"
            self._wait(lambda message: there(), timeout, what)
        return self.diagnostics.pop(uri)

    def drain(self, seconds: float) -> None:
        """Read (and note) whatever comes within ``seconds``."""
        with contextlib.suppress(Timeout):
            self._wait(lambda message: False, seconds, "end")

    def note(self, message: Message) -> None:
        """Called once for every message received, before any wait looks at it."""
        method = message.get("method")
        if method is not None and "id" in message:  # a request of the server's
            result = None
            if method == "workspace/configuration":
                result = [None for _ in message["params"]["items"]]
            self.send({"id": message["id"], "result": result})
        elif method in ("window/logMessage", "window/showMessage"):
            params = message["params"]
            if params["type"] == 1 or "Traceback" in params["message"]:
                self.errors.append(params["message"])
        elif method == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]

    def decode(self, body: bytes) -> Message:
        """A message's JSON body as data (a client may read less of it)."""
        message: Message = json.loads(body)
        return message

    def _wait(self, test: Callable[[Message], bool], timeout: float | None, what: str) -> Message:
        seconds = self.timeout if timeout is None else timeout
        if self._inbox is None and timeout is not None:
            raise ValueError("a client without a timeout waits as long as it takes")
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            try:
                message = self._next(deadline)
            except queue.Empty:
                raise Timeout(f"no {what} from the server within {seconds} s") from None
            except EOFError as error:
                said = self.stderr()[-3000:]
                said = f"; its stderr ends:\n{said}" if said else ""
                raise EOFError(f"{error} (awaiting {what}){said}") from None
            self.note(message)
            if test(message):
                return message

    def _next(self, deadline: float | None) -> Message:
        """The next message (queue.Empty at ``deadline``, EOFError at the end)."""
        if self._inbox is None:
            body, self.last_read = self._read_body()
            return self.decode(body)
        assert deadline is not None
        item = self._inbox.get(timeout=max(0.0, deadline - time.monotonic()))
        if isinstance(item, EOFError):
            self._inbox.put(item)  # every later read ends the same way
            raise item
        message, self.last_read = item
        return message

    # -- reading ---------------------------------------------------------------------
    def _read_body(self) -> tuple[bytes, float]:
        """The next message's body off the pipe and the perf_counter() when it was in."""
        out = self.proc.stdout
        assert out is not None
        length = 0
        while True:
            line = out.readline()
            if not line:
                raise EOFError("the server closed its output")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line in (b"\r\n", b"\n"):
                break
        body = out.read(length)
        if len(body) < length:
            raise EOFError("the server closed its output within a message")
        return body, time.perf_counter()

    def _read_all(self) -> None:
        assert self._inbox is not None
        while True:
            try:
                body, arrived = self._read_body()
                self._inbox.put((self.decode(body), arrived))
            except Exception as error:  # EOF, or the pipe was closed under us
                self._inbox.put(error if isinstance(error, EOFError) else EOFError(repr(error)))
                return

    # -- the process -----------------------------------------------------------------
    def stderr(self) -> str:
        """What the server wrote to its stderr so far."""
        if self._stderr.closed:
            return self._said
        fd = self._stderr.fileno()  # read at an offset: the server's writes move none
        return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", "replace")

    def rss(self) -> int:
        """The server's resident memory now, in bytes."""
        return self._status_bytes("VmRSS:")

    def peak_rss(self) -> int:
        """The server's peak resident memory so far (VmHWM), in bytes."""
        return self._status_bytes("VmHWM:")

    def _status_bytes(self, field: str) -> int:
        """A memory figure of /proc/PID/status (given in kB), in bytes."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
        raise AssertionError(f"no {field} for the server: it has ended")

    def close(self, timeout: float = 30) -> None:
        """`shutdown` and `exit` if the server still runs, then its end; killed if it
        does not end so within ``timeout`` (each), and ``closed_cleanly`` only if it
        did, with status 0. Never raises, so that it hides no test's failure."""
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, None if self._inbox is None else timeout)
                self.notify("exit")
                self.closed_cleanly = self.proc.wait(timeout=timeout) == 0
        except (AssertionError, EOFError, OSError, ValueError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            assert self.proc.stdin is not None and self.proc.stdout is not None
            with contextlib.suppress(OSError):  # what is left to flush cannot go
                self.proc.stdin.close()
            if self._reader is not None:
                self._reader.join(timeout)
            if self._reader is None or not self._reader.is_alive():
                self.proc.stdout.close()
            if not self._stderr.closed:
                self._said = self.stderr()
                self._stderr.close()


def _answers(request_id: int | str) -> Callable[[Message], bool]:
    return lambda message: message.get("id") == request_id and "method" not in message
