"""A long editing session against the real server (issue 10): thousands of random
edits to a large file, with hover and completion requests in between, through
stdio as an editor sends them. It reports the curve: per window of edits, the
edit round trip (`didChange` to its `publishDiagnostics` read), the hover time and
the server's resident memory, so that a leak (memory that keeps growing) or a
drift (edits that get slower) shows.

    python benchmarks/long_session.py [--entries 10000] [--edits 10000]
                                      [--window 1000] [--json PATH]

The file is one of the suite's generated files (real entries, `inputs.py`). The
edits are typing and deleting characters, line breaks, whole fields and whole
entries at random places (seeded: the same session every time), each taken back
by the next edit, as an undo would: the document ends as it began, so memory that
grows is memory kept, not a document that grew. At the end the server's
diagnostics are compared with a fresh check of the text the client holds: the
server followed every edit.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inputs import generated_file
from parse_bench import DEFAULT_CORPUS
from server_bench import Server, open_until_complete

from bib_lsp.document import Document
from bib_lsp.rules import Checker
from bib_lsp.text import PositionEncoding

URI = "file:///long-session.bib"
TYPED = ["x", "e", " ", "{", "}", ",", "=", '"', "é", "\n", "@"]
PIECES = [
    "  note = {added},\n",
    "  year = 2024,\n",
    "@misc{added-KEY,\n  title = {Added},\n}\n\n",
    "@string{addedKEY = {Macro}}\n",
    "  crossref = {missing-parent},\n",
]


class Client(Server):
    """Reads a `publishDiagnostics` only as far as its document and version (a
    10,000-entry file's are megabytes of JSON, which this client would otherwise
    decode for longer than the server takes to send them); keeps its body to
    decode at the end."""

    HEAD = re.compile(
        rb'"method":"textDocument/publishDiagnostics","params":\{"uri":("[^"]*"),"version":(\d+)'
    )

    lazy = False  # set once the document is open

    def decode(self, body: bytes) -> dict[str, Any]:
        head = self.HEAD.search(body, 0, 400) if self.lazy else None
        if head is None:
            return super().decode(body)
        params = {"uri": json.loads(head.group(1)), "version": int(head.group(2)), "body": body}
        return {"method": "textDocument/publishDiagnostics", "params": params}


@dataclass
class Window:
    edits: int = 0
    edit_ms: list[float] = field(default_factory=list)
    hover_ms: list[float] = field(default_factory=list)
    completion_ms: list[float] = field(default_factory=list)
    rss_mib: float = 0.0


def position(doc: Document, offset: int) -> dict[str, int]:
    p = doc.position(offset, PositionEncoding.UTF16)
    return {"line": p.line, "character": p.character}


def random_edit(doc: Document, rng: random.Random, n: int) -> tuple[int, int, str]:
    """An edit of the text: (start, end, inserted), at a character boundary."""
    length = doc.length
    at = rng.randrange(length + 1)
    roll = rng.random()
    if roll < 0.45:  # type a character
        return at, at, rng.choice(TYPED)
    if roll < 0.85 and at < length:  # delete one (or a few) characters
        return at, min(length, at + rng.choice([1, 1, 1, 2, 5])), ""
    # paste a field or an entry at a line start, or cut a line
    line = doc.line_of(at)
    line_start = doc.line_start(line)
    if roll < 0.95:
        return line_start, line_start, rng.choice(PIECES).replace("KEY", str(n))
    end = doc.line_start(line + 1) if line + 1 < doc.line_count else length
    return line_start, end, ""


def session(
    entries: int, edits: int, window: int, requests: int = 10, seed: int = 2026
) -> dict[str, Any]:
    """``requests``: a hover and a completion after every that many edits (0: none)."""
    text = generated_file(DEFAULT_CORPUS, entries).read_text(encoding="utf-8")
    doc = Document(text)
    rng = random.Random(seed)
    server = Client()
    try:
        open_until_complete(server, URI, text)
        server.lazy = True
        windows: list[Window] = [Window()]
        version = 1
        last: dict[str, Any] = {}
        undo: tuple[int, int, str] | None = None
        for n in range(1, edits + 1):
            if undo is None:
                start, end, inserted = random_edit(doc, rng, n)
                undo = (start, start + len(inserted), doc.slice(start, end))
            else:  # every other edit takes the one before back (as an editor's undo)
                (start, end, inserted), undo = undo, None
            change = {
                "range": {"start": position(doc, start), "end": position(doc, end)},
                "text": inserted,
            }
            doc.edit(start, end, inserted)
            version += 1
            t0 = time.perf_counter()
            server.change(URI, version, change)
            last = server.published(URI, version)
            current = windows[-1]
            current.edit_ms.append((server.last_read - t0) * 1000)
            current.edits = n
            if requests and n % requests == 0:  # a hover and a completion somewhere
                for method, bucket in (
                    ("textDocument/hover", current.hover_ms),
                    ("textDocument/completion", current.completion_ms),
                ):
                    at = position(doc, rng.randrange(doc.length + 1))
                    t0 = time.perf_counter()
                    server.request(method, {"textDocument": {"uri": URI}, "position": at})
                    bucket.append((time.perf_counter() - t0) * 1000)
            if n % window == 0:
                current.rss_mib = server.rss() / 2**20
                print(row(current), flush=True)
                windows.append(Window())
        if not windows[-1].edit_ms:
            windows.pop()
        published = json.loads(last["body"])["params"]["diagnostics"]
        theirs = Counter(d["code"] for d in published)
        ours = Counter(p.code for p in Checker(Document(doc.text)).diagnose())
        return {
            "entries": entries,
            "text_restored": doc.text == text,
            "edits": edits,
            "chars": doc.length,
            "in_sync": theirs == ours,
            "windows": [
                {
                    "edits": w.edits,
                    "edit_median_ms": round(statistics.median(w.edit_ms), 3),
                    "edit_p95_ms": round(p95(w.edit_ms), 3),
                    "hover_median_ms": round(statistics.median(w.hover_ms or [0.0]), 3),
                    "completion_median_ms": round(statistics.median(w.completion_ms or [0.0]), 3),
                    "rss_mib": round(w.rss_mib, 1),
                }
                for w in windows
            ],
        }
    finally:
        server.close()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def row(w: Window) -> str:
    return (
        f"{w.edits:>7,} edits  edit median {statistics.median(w.edit_ms):6.2f} ms"
        f"  p95 {p95(w.edit_ms):6.2f} ms"
        f"  hover median {statistics.median(w.hover_ms or [0.0]):6.2f} ms"
        f"  completion median {statistics.median(w.completion_ms or [0.0]):6.2f} ms"
        f"  RSS {w.rss_mib:7.1f} MiB"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--edits", type=int, default=10_000)
    ap.add_argument("--window", type=int, default=1_000)
    ap.add_argument("--requests", type=int, default=10, help="hover + completion every N edits")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    result = session(args.entries, args.edits, args.window, args.requests)
    first, final = result["windows"][0], result["windows"][-1]
    print(
        f"in sync at the end: {result['in_sync']};"
        f" RSS {first['rss_mib']} -> {final['rss_mib']} MiB;"
        f" edit median {first['edit_median_ms']} -> {final['edit_median_ms']} ms"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["in_sync"] else 1


if __name__ == "__main__":
    sys.exit(main())
