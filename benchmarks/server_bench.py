"""The language server measured as an editor sees it, over stdio.

Figures printed:
- time from `didOpen` to the first `publishDiagnostics`, and to the complete one
  (after the work-done progress of a large file's staged check), for tugboat.bib
  and for files of 5,000 and 50,000 real entries (see parse_bench.py);
- for one-character edits in the middle of those files (debounce 0), the time from
  sending `didChange` to having read its `publishDiagnostics` (median, p95, max),
  and apart from it the time this (Python) client then takes to decode the JSON;
- the same for a 50,000-entry file with few diagnostics (tugboat.bib's entries
  repeated under new keys), as most real files are;
- completion latency for a field name and a crossref key;
- hover latency on entry keys: the first (style loading) and over many entries.

Usage: python benchmarks/server_bench.py [--corpus DIR] [--edits N] [--sizes 5000,50000]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parse_bench import DEFAULT_CORPUS, PROBE, build_file, real_entries

from bib_lsp.document.io import read_bib
from bib_lsp.syntax import parse
from bib_lsp.syntax.views import entry_view
from tools.raw_lsp import RawLspClient


class Server(RawLspClient):
    """The real server process, initialised with debounce 0. With ``progress`` the
    client says it shows work-done progress (so the server may report long work
    with `$/progress`)."""

    def __init__(self, progress: bool = False) -> None:
        super().__init__()
        self.initialize({"window": {"workDoneProgress": True}} if progress else {})


def probe_position(text: str) -> tuple[int, int]:
    """Line and (UTF-16) column inside the probe entry's title."""
    at = text.index("The {\\TUB} Production", text.index("probe:2024")) + 3
    line = text.count("\n", 0, at)
    column = at - (text.rfind("\n", 0, at) + 1)
    return line, len(text[at - column : at].encode("utf-16-le")) // 2


def open_document(server: Server, uri: str, text: str) -> float:
    """Send `didOpen` (version 1); the time it was sent."""
    t0 = time.perf_counter()
    item = {"uri": uri, "languageId": "bibtex", "version": 1, "text": text}
    server.notify("textDocument/didOpen", {"textDocument": item})
    return t0


def open_until_complete(srv: Server, uri: str, text: str) -> dict[str, Any]:
    """`didOpen`, then the messages until the complete diagnostics.

    First: the first `publishDiagnostics`. Complete: the first one after a
    work-done progress begun since `didOpen` ended; or the first one, when no
    progress began before it (the server analysed everything at once). Two
    orders are taken as they come, and recorded: a server may send its first
    report before the request that creates its progress token (a token created
    before the server answers a request sent right after the first report counts
    as begun before it; the request, of a method the server does not know, costs
    it nothing), and it may send the complete report just before the progress's
    `end` (then that report is the complete one)."""
    running: set[object] = set()  # progress tokens created or begun, not ended
    ended = False
    first = complete = during = None
    sent = open_document(srv, uri, text)
    while complete is None:
        message = srv.receive()
        method = message.get("method")
        if method == "window/workDoneProgress/create":
            running.add(message["params"]["token"])
        elif method == "$/progress":
            token, kind = message["params"]["token"], message["params"]["value"].get("kind")
            if kind == "begin":
                running.add(token)
            elif kind == "end" and token in running:
                running.discard(token)
                ended = True
                if not running and during is not None:
                    complete = during  # published just before the end
        elif method == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
            now = (srv.last_read - sent, len(message["params"]["diagnostics"]))
            if first is None:
                first = now
                if not running and not ended:
                    srv.send({"id": _PING, "method": "bibLspBenchmark/ping", "params": None})
            elif ended and not running:
                complete = now
            elif running:
                during = now
        elif message.get("id") == _PING and "method" not in message and not (running or ended):
            complete = first
    assert first is not None
    return {
        "open_first_ms": round(first[0] * 1000, 3),
        "first_diagnostics": first[1],
        "open_complete_ms": round(complete[0] * 1000, 3),
        "diagnostics": complete[1],
        "progress": ended,
        "complete_before_end": complete is during,
    }


_PING = 777_777


def measure(name: str, text: str, edits: int) -> None:
    server = Server(progress=True)
    uri = f"file:///tmp/{name.replace(' ', '-')}.bib"
    opened = open_until_complete(server, uri, text)
    print(
        f"{name}: {len(text) / 1e6:.1f} MB; didOpen -> publishDiagnostics"
        f" {opened['open_first_ms']:,.0f} ms ({opened['first_diagnostics']:,} diagnostics),"
        f" complete {opened['open_complete_ms']:,.0f} ms ({opened['diagnostics']:,})"
    )
    if PROBE.split(",")[0].split("{")[1] not in text:
        server.close()
        return
    line, column = probe_position(text)
    version = 1
    for what, typed in (("1-char edit", "x"), ("line break", "\n")):
        times, decode = edit_times(server, uri, version, (line, column), edits, typed)
        version += edits
        times.sort()
        p95 = times[int(len(times) * 0.95)]
        print(
            f"  {what}: didChange -> publishDiagnostics read: median"
            f" {statistics.median(times):.2f} ms  p95 {p95:.2f} ms  max {times[-1]:.2f} ms"
            f"  ({edits} edits; goal: p95 < 10 ms)"
        )
        print(
            f"    then decoding its JSON in this client: median {statistics.median(decode):.2f} ms"
        )
    hovers(server, uri, text, edits)  # first: completions() adds a line
    completions(server, uri, version, line, edits)
    server.close()


def edit_times(
    server: Server, uri: str, version: int, at: tuple[int, int], edits: int, typed: str = "x"
) -> tuple[list[float], list[float]]:
    """Type ``typed`` at ``at`` (line, UTF-16 column) and delete it again, ``edits``
    changes in all, the document's versions following ``version``. For each, the
    milliseconds from sending `didChange` to having read its `publishDiagnostics`,
    and apart from it those this client then took to decode the JSON."""
    line, column = at
    times, decode = [], []
    for i in range(edits):
        version += 1
        end = (
            (line, column) if i % 2 == 0 else (line + 1, 0) if typed == "\n" else (line, column + 1)
        )
        change = {
            "range": {
                "start": {"line": line, "character": column},
                "end": {"line": end[0], "character": end[1]},
            },
            "text": typed if i % 2 == 0 else "",
        }
        t0 = time.perf_counter()
        server.change(uri, version, change)
        server.published(uri, version)
        done = time.perf_counter()
        times.append((server.last_read - t0) * 1000)
        decode.append((done - server.last_read) * 1000)
    return times, decode


def timed_request(
    server: Server, method: str, uri: str, line: int, character: int
) -> tuple[dict[str, Any], float]:
    """A request at a position, its reply and the milliseconds until it was read."""
    at = {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}
    t0 = time.perf_counter()
    reply = server.request(method, at)
    return reply, (server.last_read - t0) * 1000


def hover_times(server: Server, uri: str, text: str, count: int) -> list[float]:
    """Hover latency on entry keys (APA), in milliseconds: the first hover, which
    loads the style, then ``count`` hovers over different entries spread through
    the file (none formatted before, so no cached result is measured)."""
    heads = [m.start() + m.group(0).index("{") + 1 for m in _HEAD.finditer(text)]
    step = max(1, len(heads) // (count + 1))
    chosen = heads[::step][: count + 1]
    times = []
    for at in chosen:
        line = text.count("\n", 0, at)
        column = at - (text.rfind("\n", 0, at) + 1)
        column = len(text[at - column : at].encode("utf-16-le")) // 2
        reply, ms = timed_request(server, "textDocument/hover", uri, line, column)
        assert reply.get("result"), reply
        times.append(ms)
    return times


def hovers(server: Server, uri: str, text: str, count: int) -> None:
    times = hover_times(server, uri, text, count)
    first, rest = times[0], sorted(times[1:])
    p95 = rest[int(len(rest) * 0.95)]
    print(
        f"  hover on an entry (APA): first {first:.1f} ms (loads the style); then median"
        f" {statistics.median(rest):.2f} ms  p95 {p95:.2f} ms  ({len(rest)} different"
        " entries; goal: p95 < 30 ms)"
    )


_HEAD = re.compile(r"^@(?!string|preamble|comment)[a-z]+\s*\{", re.IGNORECASE | re.MULTILINE)


def completion_times(
    server: Server, uri: str, version: int, at: tuple[int, int], key: str, count: int
) -> dict[str, tuple[list[float], int]]:
    """Completion latency in one entry, whose field name starts at ``at`` (line,
    UTF-16 column) at the start of its line: that field's name (cursor after its
    first letter), and a key in a `crossref` field added on a line before it (the
    first three letters of ``key`` typed). The document becomes version
    ``version + 1``. Per kind, the milliseconds of ``count`` requests and how
    many items the last one offered."""
    line, column = at
    indent = " " * column
    start = {"line": line, "character": 0}
    added = {"range": {"start": start, "end": start}, "text": f"{indent}crossref = {{{key}}},\n"}
    server.change(uri, version + 1, added)
    server.published(uri, version + 1)
    prefix = f"{indent}crossref = {{{key[:3]}"
    where = {"field name": (line + 1, column + 1), "crossref key": (line, len(prefix))}
    out = {}
    for what, (at_line, character) in where.items():
        times, items = [], 0
        for _ in range(count):
            method = "textDocument/completion"
            reply, ms = timed_request(server, method, uri, at_line, character)
            times.append(ms)
            items = len(reply["result"]["items"])
            assert items, what
        out[what] = (times, items)
    return out


def completions(server: Server, uri: str, version: int, line: int, count: int) -> None:
    """Completion latency in the probe entry: a field name at the start of the
    title's line, and a key in a `crossref` field added before it."""
    found = completion_times(server, uri, version, (line, 2), "probe", count)
    for what, (times, items) in found.items():
        times.sort()
        p95 = times[int(len(times) * 0.95)]
        print(
            f"  completion, {what}: median {statistics.median(times):.2f} ms  p95 {p95:.2f} ms"
            f"  ({items} items; goal: p95 < 20 ms)"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--edits", type=int, default=100)
    ap.add_argument("--sizes", default="5000,50000")
    args = ap.parse_args()
    tugboat = read_bib(args.corpus / "texlive" / "beebe" / "tugboat.bib").text
    measure("tugboat.bib", tugboat, 0)
    # Real entries under new keys, below the corpus's `@string`s (so that their
    # macros are defined); entries that cross-reference others are left out, since
    # their parents' keys change.
    entries = [e for e in real_entries(args.corpus) if not _REFERS.search(e)]
    strings = corpus_strings(args.corpus)
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        text = strings + distinct_copies(build_file(entries, size), len(entries))
        measure(f"{size:,} entries", text, args.edits)
    clean = tugboat_file(tugboat, max(sizes))
    measure(f"{max(sizes):,} tugboat.bib entries", clean, args.edits)
    return 0


_REFERS = re.compile(r"^\s*(crossref|xdata|xref)\s*=", re.IGNORECASE | re.MULTILINE)


_TITLE = re.compile(r"^(\s*title\s*=\s*[{\"])", re.IGNORECASE | re.MULTILINE)
_DOI = re.compile(r"^(\s*doi\s*=\s*[{\"][^}\"]*)", re.IGNORECASE | re.MULTILINE)


def distinct_copies(text: str, unique: int) -> str:
    """A generated file repeats the corpus's entries once it runs out of them; give
    each repetition its own title and DOI, so that the file is not thousands of
    duplicate works (which a real bibliography is not)."""
    pieces = text.split("\n\n")
    for i in range(unique, len(pieces)):
        copy = i // unique
        piece = _TITLE.sub(rf"\g<1>Part {copy}: ", pieces[i], count=1)
        pieces[i] = _DOI.sub(rf"\g<1>.{copy}", piece, count=1)
    return "\n\n".join(pieces)


def corpus_strings(corpus: Path) -> str:
    """Every `@string` of the corpus, the first definition of each name."""
    seen: dict[str, str] = {}
    for path in sorted(corpus.rglob("*.bib")):
        for start, block in parse(read_bib(path).text):
            view = entry_view(block, start)
            if view is None or view.type_lower != "string" or block.problems:
                continue
            names = [f.name_lower for f in view.fields]
            if names and not any(name in seen for name in names):
                for name in names:
                    seen[name] = block.text
    return "\n".join(dict.fromkeys(seen.values())) + "\n\n"


def tugboat_file(tugboat: str, count: int) -> str:
    """tugboat.bib's `@string`s, then its entries without crossrefs repeated under
    new keys, titles and DOIs to ``count`` entries: a file with few findings."""
    strings, entries = [], []
    for start, block in parse(tugboat):
        view = entry_view(block, start)
        if view is None:
            continue
        if view.type_lower == "string":
            strings.append(block.text)
        elif view.key and not any(f.name_lower == "crossref" for f in view.fields):
            entries.append(block.text)
    return "\n".join(strings) + "\n\n" + distinct_copies(build_file(entries, count), len(entries))


if __name__ == "__main__":
    sys.exit(main())
