"""Raw JSON-RPC against the server process: what a client sees when it sends
something the server cannot read (pytest-lsp's client would refuse to send it)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any


class RawClient:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bib_lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self) -> dict[str, Any]:
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
        message: dict[str, Any] = json.loads(self.proc.stdout.read(length))
        return message

    def response_to(self, request_id: int) -> dict[str, Any]:
        while True:
            message = self.receive()
            if message.get("id") == request_id and "method" not in message:
                return message

    def close(self) -> None:
        self.send({"id": 999, "method": "shutdown"})
        self.response_to(999)
        self.send({"method": "exit"})
        self.proc.wait(timeout=30)


def test_request_with_unreadable_params_gets_an_error_and_the_server_goes_on() -> None:
    client = RawClient()
    try:
        client.send({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
        assert "capabilities" in client.response_to(1)["result"]
        client.send({"method": "initialized", "params": {}})
        # `textDocument` must be an object: pygls alone would log this and never answer.
        for request_id, params in ((2, {"textDocument": 5}), (4, {})):
            client.send({"id": request_id, "method": "textDocument/diagnostic", "params": params})
            error = client.response_to(request_id)["error"]
            assert error["code"] == -32602  # InvalidParams
        # The server keeps serving.
        uri = "file:///tmp/x.bib"
        item = {"uri": uri, "languageId": "bibtex", "version": 1, "text": "@misc{k, t = }"}
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        client.send(
            {"id": 3, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": uri}}}
        )
        report = client.response_to(3)["result"]
        assert [d["code"] for d in report["items"]] == ["missing-value"]
    finally:
        client.close()
