"""A long editing session does not make the server grow: thousands of edits, each
taken back by the next, leave its memory flat (the full curve, on 10,000
entries, is `benchmarks/long_session.py`)."""

from __future__ import annotations

import random

from tools.raw_lsp import RawLspClient

URI = "file:///long.bib"
ENTRY = (
    "@article{key{n},\n  author = {Ann Author and Bo Writer},\n  title = {A Title {n}},\n"
    "  journal = {J. Things},\n  year = 2001,\n  pages = {1--{n}},\n}}\n\n"
)


def position(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset)
    return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}


def test_memory_stays_flat_over_thousands_of_edits() -> None:
    text = "".join(ENTRY.replace("{n}", str(n)) for n in range(300))
    client = RawLspClient(timeout=60)
    try:
        client.initialize({})
        client.open(URI, text)
        rng = random.Random(10)
        version = 1
        sizes = []
        for n in range(3000):
            at = rng.randrange(len(text))
            if n % 2 == 0:  # type a character somewhere ...
                change = {"range": {"start": position(text, at), "end": position(text, at)}}
                change["text"] = "x"
                typed_at = at
            else:  # ... and take it back
                start, end = position(text, typed_at), position(text, typed_at + 1)
                change = {"range": {"start": start, "end": end}, "text": ""}
            version += 1
            client.change(URI, version, change)
            client.published(URI, version)
            if n in (999, 2999):
                sizes.append(client.rss() // 1024)
        grown = sizes[1] - sizes[0]
        # When each replaced chunk was kept with its blocks (about 13 KB an edit),
        # 2,000 edits grew the server by some 25 MiB; what is left is the caches
        # filling (views of the last 1,024 blocks asked about) and the allocator.
        assert grown < 6 * 1024, f"the server grew by {grown:,} KiB over 2,000 edits"
    finally:
        client.close()
    assert client.closed_cleanly


def test_notifications_leave_nothing_behind_in_the_protocol() -> None:
    """pygls files a notification handled by a generator (didOpen, didChange,
    didClose) among the requests under way, under a made-up id that no answer ever
    takes out: one Future kept per keystroke."""
    from lsprotocol import types as lsp

    from bib_lsp.lsp.server import create_server

    protocol = create_server().protocol
    protocol.initialize_seen = True
    item = lsp.TextDocumentItem(URI, "bibtex", 1, ENTRY.replace("{n}", "1"))
    protocol._handle_notification(lsp.TEXT_DOCUMENT_DID_OPEN, lsp.DidOpenTextDocumentParams(item))
    for version in range(2, 50):
        change = lsp.TextDocumentContentChangeWholeDocument(ENTRY.replace("{n}", str(version)))
        params = lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version=version, uri=URI), [change]
        )
        protocol._handle_notification(lsp.TEXT_DOCUMENT_DID_CHANGE, params)
    protocol._handle_notification(
        lsp.TEXT_DOCUMENT_DID_CLOSE, lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(URI))
    )
    assert protocol._request_futures == {}
