"""A minimal LSP client speaking raw JSON-RPC to `python -m bib_lsp` over stdio: for
tests that must send what a typed client refuses to, and for benchmarks that time
the server without a client library in the way."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

Message = dict[str, Any]


class RawLspClient:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bib_lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.last_read = 0.0  # perf_counter() when the last message's bytes were in

    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self) -> Message:
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
        message: Message = json.loads(body)
        return message

    def wait_for(self, predicate: Callable[[Message], bool]) -> Message:
        while True:
            message = self.receive()
            if predicate(message):
                return message

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

    def response_to(self, request_id: int) -> Message:
        return self.wait_for(lambda m: m.get("id") == request_id and "method" not in m)

    def close(self) -> None:
        self.send({"id": 999_999, "method": "shutdown"})
        self.response_to(999_999)
        self.send({"method": "exit"})
        self.proc.wait(timeout=60)
