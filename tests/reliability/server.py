"""A client for the reliability tests: the real server over stdio (`python -m
bib_lsp`), every answer awaited with a deadline, the server's own requests
answered, its error logs collected, and its resident memory read from /proc."""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

Message = dict[str, Any]


class Timeout(AssertionError):
    pass


class Server:
    def __init__(self, encoding: str = "utf-16", pull: bool = False, root: Path | None = None):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bib_lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.messages: queue.Queue[Message | None] = queue.Queue()
        self.errors: list[str] = []  # logged or shown errors (a handler's traceback)
        self.published: dict[str, Message] = {}
        self.pull = pull
        self.peak_rss = 0
        self._next_id = 0
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        capabilities: Message = {
            "general": {"positionEncodings": [encoding]},
            "window": {"workDoneProgress": True},
            "workspace": {"configuration": True, "workspaceFolders": True},
            "textDocument": {
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                "definition": {"linkSupport": True},
                "completion": {"completionItem": {"snippetSupport": True}},
                "foldingRange": {"lineFoldingOnly": True},
                "semanticTokens": {
                    "requests": {"full": True, "range": True},
                    "tokenTypes": [],
                    "tokenModifiers": [],
                    "formats": ["relative"],
                },
            },
        }
        if pull:
            capabilities["textDocument"]["diagnostic"] = {}
        folders = [{"uri": root.as_uri(), "name": root.name}] if root is not None else None
        init = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri() if root is not None else None,
                "workspaceFolders": folders,
                "capabilities": capabilities,
                "initializationOptions": {"diagnostics": {"debounceMs": 0}},
            },
            timeout=30,
        )
        self.capabilities: Message = init["result"]["capabilities"]
        self.encoding = self.capabilities.get("positionEncoding", "utf-16")
        self.notify("initialized", {})

    # -- the pipe --------------------------------------------------------------------
    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length = 0
                while True:
                    line = out.readline()
                    if not line:
                        self.messages.put(None)
                        return
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                    elif line in (b"\r\n", b"\n"):
                        break
                self.messages.put(json.loads(out.read(length)))
        except Exception:
            self.messages.put(None)

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if len(self._stderr) < 10_000:
                self._stderr.append(line)

    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def _next(self, deadline: float, what: str) -> Message:
        left = deadline - time.monotonic()
        try:
            message = self.messages.get(timeout=max(left, 0.001))
        except queue.Empty:
            raise Timeout(f"no answer to {what} in time") from None
        if message is None:
            raise AssertionError(f"the server closed its output ({what}): {self.stderr()[-3000:]}")
        self._note(message)
        return message

    def _note(self, message: Message) -> None:
        method = message.get("method")
        if method in ("window/logMessage", "window/showMessage"):
            params = message["params"]
            if params["type"] == 1 or "Traceback" in params["message"]:
                self.errors.append(params["message"])
        elif method == "textDocument/publishDiagnostics":
            self.published[message["params"]["uri"]] = message["params"]
        if "id" in message and method is not None:  # a request of the server's
            result: Any = None
            if method == "workspace/configuration":
                result = [None for _ in message["params"]["items"]]
            self.send({"id": message["id"], "result": result})

    def request(self, method: str, params: Any, timeout: float = 5) -> Message:
        """The answer (``result`` or ``error``) within ``timeout`` seconds."""
        self._next_id += 1
        number = self._next_id
        self.send({"id": number, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline, method)
            if message.get("id") == number and "method" not in message:
                self.sample_rss()
                return message

    def wait_published(self, uri: str, version: int | None, timeout: float) -> Message:
        deadline = time.monotonic() + timeout
        while True:
            found = self.published.get(uri)
            if found is not None and found.get("version") == version:
                return found
            self._next(deadline, f"publishDiagnostics for {uri}")

    def wait_for(self, method: str, timeout: float) -> Message:
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline, method)
            if message.get("method") == method:
                return message

    def drain(self, seconds: float) -> None:
        """Read (and note) whatever comes within ``seconds``."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self._next(deadline, "drain")
        except Timeout:
            pass

    # -- memory ----------------------------------------------------------------------
    def rss(self) -> int:
        """The server's resident memory now, in bytes."""
        return self._status_bytes("VmRSS:")

    def sample_rss(self) -> None:
        with contextlib.suppress(OSError):
            self.peak_rss = max(self.peak_rss, self.rss())

    def hwm(self) -> int:
        """The server's peak resident memory so far (VmHWM), in bytes."""
        return self._status_bytes("VmHWM:")

    def _status_bytes(self, field: str) -> int:
        """A memory figure of /proc/PID/status (given in kB), in bytes."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
        return 0

    def close(self) -> None:
        """Shut the server down (killed if it does not answer in time: then
        ``closed_cleanly`` is False). Never raises, so that it does not hide why a
        test failed."""
        self.closed_cleanly = False
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.proc.wait(timeout=30)
            self.closed_cleanly = True
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
