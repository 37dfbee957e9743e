"""Raw JSON-RPC against the server process: what a client sees when it sends
something the server cannot read (pytest-lsp's client would refuse to send it)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

from tools.raw_lsp import RawLspClient


def test_request_with_unreadable_params_gets_an_error_and_the_server_goes_on() -> None:
    client = RawLspClient()
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
    assert client.closed_cleanly


def test_tcp_server_answers_initialize() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "bib_lsp", "--tcp", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=10)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # the server is still starting
        with conn:
            body = json.dumps(
                {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
            ).encode()
            conn.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            header, _, rest = data.partition(b"\r\n\r\n")
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            while len(rest) < length:
                rest += conn.recv(65536)
            reply = json.loads(rest[:length])
        assert reply["id"] == 1
        assert reply["result"]["serverInfo"]["name"] == "bib-lsp"
    finally:
        server.kill()
        server.wait(timeout=30)


def test_cancelling_an_answered_request_leaves_the_log_quiet() -> None:
    """Editors cancel requests whose answers are already on the way (VS Code does
    so for every hover the mouse leaves): normal, so nothing reaches the stderr
    that the editor shows as the server's log, and the server goes on."""
    client = RawLspClient(timeout=30)
    try:
        client.initialize()
        uri = "file:///tmp/cancel.bib"
        client.open(uri, "@misc{key, title = {T}}\n")
        position = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}}
        for _ in range(3):
            request_id = next(client.ids)
            client.send({"id": request_id, "method": "textDocument/hover", "params": position})
            client.response_to(request_id)
            client.notify("$/cancelRequest", {"id": request_id})
        client.notify("$/cancelRequest", {"id": 424_242})  # never sent
        assert "result" in client.request("textDocument/hover", position)
    finally:
        client.close()
    assert client.closed_cleanly
    assert "Cancel" not in client.stderr() and "cancel" not in client.stderr(), client.stderr()
