"""Navigation and structure requests timed on large files: documentSymbol,
foldingRange, semanticTokens/full (and documentLink), in process and through
the server over stdio.

Figures printed, for tugboat.bib and for a file of 50,000 real entries (built
as server_bench.py builds it):
- in process: the first request (nothing cached: every block is read), then
  the median of repeated requests, after a one-character edit in the middle of
  the file, and after a line break typed there (the blocks below move down);
  documentSymbol once every title is decoded (until then each request spends
  up to 0.1 s decoding titles);
- through the server (a client with hierarchical symbols, folding without a
  range limit, UTF-16): the same, from sending the request to having read the
  whole answer, with the answer's size.

Usage: python benchmarks/navigation_bench.py [--corpus DIR] [--repeat N] [--size N]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parse_bench import DEFAULT_CORPUS, PROBE, build_file, real_entries
from server_bench import _REFERS, corpus_strings, distinct_copies, probe_position

from bib_lsp.document import Document
from bib_lsp.document.io import read_bib
from bib_lsp.lsp import navigation, semantic
from bib_lsp.rules import Checker
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.text import PositionEncoding
from tools.raw_lsp import RawLspClient

ENCODING = PositionEncoding.UTF16
FOLDING = navigation.FoldingClient(line_folding_only=True)


def requests(doc: Document, fields: bool) -> dict[str, Callable[[], list[bytes]]]:
    return {
        "documentSymbol": lambda: navigation.document_symbols(doc, ENCODING, True, fields),
        "foldingRange": lambda: navigation.folding_ranges(doc, ENCODING, FOLDING),
        "semanticTokens/full": lambda: semantic.semantic_tokens(doc, ENCODING),
        "documentLink": lambda: navigation.document_links(doc, ENCODING),
    }


def ms(f: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = f()
    return (time.perf_counter() - t0) * 1000, result


def in_process(name: str, text: str, repeat: int) -> None:
    """As the server holds a document: parsed, checked (views cached), heap frozen."""
    with gc_paused():
        doc = Document(text)
        checker = Checker(doc)
        for ci in range(doc.chunk_count):
            checker.chunk_findings(ci)
    gc.freeze()
    fields = checker.index.entry_count <= navigation.FIELDS_UP_TO
    probe = text.index("The {\\TUB} Production") + 3 if "probe:2024" in text else len(text) // 2
    print(f"{name}, in process ({checker.index.entry_count:,} entries, fields: {fields}):")
    for what, request in requests(doc, fields).items():
        first, answer = ms(request)
        again = [ms(request)[0] for _ in range(repeat)]
        typed, moved = [], []
        for i in range(repeat):
            doc.edit(probe, probe + (i % 2), "x" if i % 2 == 0 else "")
            typed.append(ms(request)[0])
        for i in range(repeat):
            doc.edit(probe, probe + (i % 2), "\n" if i % 2 == 0 else "")
            moved.append(ms(request)[0])
        size = sum(map(len, answer)) / 1e6
        print(
            f"  {what}: first {first:,.0f} ms; then median {statistics.median(again):.0f} ms;"
            f" after a typed character {statistics.median(typed):.0f} ms; after a line"
            f" break {statistics.median(moved):.0f} ms  ({size:.1f} MB)"
        )
    # Requests spend up to DECODE_BUDGET decoding titles until all are: without that.
    took, _ = ms(lambda: navigation.document_symbols(doc, ENCODING, True, fields, float("inf")))
    done = [ms(requests(doc, fields)["documentSymbol"])[0] for _ in range(repeat)]
    print(
        f"  documentSymbol once every title is decoded ({took:,.0f} ms to decode the rest):"
        f" median {statistics.median(done):.0f} ms"
    )


class Server(RawLspClient):
    """The real server process, initialised with debounce 0 by a client that takes
    hierarchical symbols and folds whole lines (no range limit)."""

    def __init__(self) -> None:
        super().__init__()
        capabilities = {
            "textDocument": {
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                "foldingRange": {"lineFoldingOnly": True},
                "documentLink": {"tooltipSupport": True},
            }
        }
        self.initialize(capabilities)


def through_server(name: str, text: str, repeat: int) -> None:
    server = Server()
    uri = f"file:///tmp/{name.replace(' ', '-')}.bib"
    server.open(uri, text)
    line, column = probe_position(text) if "probe:2024" in text else (text.count("\n") // 2, 0)
    version = 1
    print(f"{name}, through the server:")
    for method in ("documentSymbol", "foldingRange", "semanticTokens/full", "documentLink"):
        times = []
        size = 0
        for i in range(1 + 3 * repeat):
            if i > repeat:  # after an edit: a character, then (later) a line break
                version += 1
                typed = "x" if i <= 2 * repeat else "\n"
                removing = i % 2 == 0
                end = (line + 1, 0) if typed == "\n" and removing else (line, column + removing)
                change = {
                    "range": {
                        "start": {"line": line, "character": column},
                        "end": {"line": end[0], "character": end[1]},
                    },
                    "text": "" if removing else typed,
                }
                server.change(uri, version, change)
                server.published(uri, version)
            t0 = time.perf_counter()
            reply = server.request(f"textDocument/{method}", {"textDocument": {"uri": uri}})
            times.append((server.last_read - t0) * 1000)
            assert "result" in reply, reply
            size = len(json.dumps(reply["result"], separators=(",", ":")))
        first, again = times[0], times[1 : 1 + repeat]
        typed, moved = times[1 + repeat : 1 + 2 * repeat], times[1 + 2 * repeat :]
        print(
            f"  {method}: first {first:,.0f} ms; then median {statistics.median(again):.0f} ms;"
            f" after a typed character {statistics.median(typed):.0f} ms; after a line"
            f" break {statistics.median(moved):.0f} ms  ({size / 1e6:.1f} MB)"
        )
    server.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--size", type=int, default=50_000)
    args = ap.parse_args()
    tugboat = read_bib(args.corpus / "texlive" / "beebe" / "tugboat.bib").text
    entries = [e for e in real_entries(args.corpus) if not _REFERS.search(e)]
    large = corpus_strings(args.corpus) + distinct_copies(
        build_file(entries, args.size), len(entries)
    )
    assert PROBE.split(",")[0].split("{")[1] in large
    for name, text in (("tugboat.bib", tugboat), (f"{args.size:,} entries", large)):
        through_server(name, text, args.repeat)
        in_process(name, text, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
