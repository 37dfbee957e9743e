"""Raw JSON-RPC against the server process: what a client sees when it sends
something the server cannot read (pytest-lsp's client would refuse to send it)."""

from __future__ import annotations

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
