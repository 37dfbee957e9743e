"""One measurement of one file, run by suite.py in a fresh interpreter (so that
time and memory are not those of a heap another measurement left behind). Prints
its figures as one JSON object on the last line of standard output.

Kinds:
- ``library``: bib-lsp as a library: full parse (``Document``), full analysis
  (``Checker`` then ``diagnose()``), one-character edits in the middle of the file
  each followed by re-analysis (``doc.edit``, ``checker.update``, then
  ``checker.diagnose_parts()`` as the server does, and apart from it
  ``checker.diagnose()``, which also lists and sorts every finding), resident
  memory after building and the peak;
- ``format``: ``bib_lsp.formatting.format_text`` over the whole file, defaults;
- ``server``: the server over stdio (server_bench.Server): ``didOpen`` to the
  first and to the complete ``publishDiagnostics``, one-character ``didChange``
  round trips, completion and hover latency, the server's memory;
- ``bibtexparser``, ``pybtex``: parsing the same text with them;
- ``bibtex-tidy``: ``bibtex-tidy FILE -o OUT`` with its defaults (the executable
  given with ``--tidy``); memory is that of the child process.

Times are in milliseconds, memory in MiB.

Usage: python benchmarks/measure.py KIND FILE [--edits N] [--repeat N] [--tidy PATH]
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inputs import edit_site
from server_bench import Server, completion_times, edit_times, hover_times, open_until_complete

from bib_lsp.document import Document
from bib_lsp.document.io import read_bib
from bib_lsp.rules import Checker
from bib_lsp.rules.options import RuleOptions
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.text import LineIndex

Figures = dict[str, Any]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def spread(times: list[float]) -> Figures:
    """Median and 95th percentile (nearest rank) of millisecond figures."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"median": round(statistics.median(ordered), 3), "p95": round(p95, 3), "n": len(times)}


def rss_mib(pid: int | str = "self") -> float:
    """Resident memory now (VmRSS) of a process."""
    return _status(pid, "VmRSS")


def _status(pid: int | str, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    raise ValueError(f"no {field} for process {pid}")


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM). Not ``ru_maxrss``: Linux
    keeps that across fork and exec, so a child of a large process (the suite,
    having generated 100,000 entries) would report its parent's peak."""
    return _status("self", "VmHWM")


def children_peak_mib() -> float:
    """The peak resident memory of this process's finished children
    (``ru_maxrss``; the child's own, since this process stays small)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def library(path: Path, edits: int, repeat: int) -> Figures:
    text = read_bib(path).text
    gc.collect()
    baseline = rss_mib()
    t0 = time.perf_counter()
    doc = Document(text)
    parse = time.perf_counter() - t0
    rss_parsed = rss_mib()
    t0 = time.perf_counter()
    checker = Checker(doc, RuleOptions())
    findings = checker.diagnose()
    analysis = time.perf_counter() - t0
    rss_built = rss_mib()
    entries = sum(1 for _, b in doc.blocks() if b.node.kind is K.ENTRY)
    site = edit_site(doc)
    # As the server does (per-chunk findings, unchanged chunks' lists reused), and
    # with the whole sorted list of findings (what a caller of diagnose() gets).
    incremental = _edits(doc, checker, site.offset, edits, checker.diagnose_parts)
    listed = _edits(doc, checker, site.offset, edits, checker.diagnose)
    assert doc.text == text, "the edits did not restore the text"
    peak = peak_mib()
    del doc, checker
    # Best of ``repeat`` for the times (the first run above included); memory is
    # that of the first run only.
    for _ in range(repeat - 1):
        gc.collect()
        t0 = time.perf_counter()
        again = Document(text)
        parse = min(parse, time.perf_counter() - t0)
        t0 = time.perf_counter()
        Checker(again, RuleOptions()).diagnose()
        analysis = min(analysis, time.perf_counter() - t0)
        del again
    return {
        "chars": len(text),
        "entries": entries,
        "findings": len(findings),
        "parse_ms": ms(parse),
        "analysis_ms": ms(analysis),
        "edit_ms": spread(incremental),
        "edit_list_ms": spread(listed),
        "rss_start_mib": baseline,
        "rss_parsed_mib": rss_parsed,
        "rss_built_mib": rss_built,
        "peak_rss_mib": peak,
    }


def _edits(
    doc: Document, checker: Checker, at: int, count: int, diagnose: Callable[[], object]
) -> list[float]:
    """Type a character at ``at`` and delete it again, ``count`` edits rounded up
    to an even number, each followed by re-analysis; the milliseconds of each."""
    times = []
    for i in range(count + count % 2):
        insert = i % 2 == 0
        t0 = time.perf_counter()
        changes = doc.edit(at, at if insert else at + 1, "x" if insert else "")
        checker.update(changes)
        diagnose()
        times.append(ms(time.perf_counter() - t0))
    return times


def format_file(path: Path) -> Figures:
    from bib_lsp.formatting import FormatOptions, format_text

    text = read_bib(path).text
    gc.collect()
    t0 = time.perf_counter()
    out = format_text(text, FormatOptions())
    took = time.perf_counter() - t0
    return {"format_ms": ms(took), "changed": out != text, "peak_rss_mib": peak_mib()}


def server(path: Path, edits: int) -> Figures:
    text = read_bib(path).text
    site = edit_site(Document(text))
    lines = LineIndex(text)
    gc.collect()
    srv = Server(progress=True)
    uri = path.resolve().as_uri()
    figures: Figures = {"rss_start_mib": rss_mib(srv.proc.pid)}
    figures.update(open_until_complete(srv, uri, text))
    figures["rss_opened_mib"] = rss_mib(srv.proc.pid)
    at = lines.position(site.offset)
    times, decode = edit_times(srv, uri, 1, (at.line, at.character), edits)
    figures["edit_ms"] = spread(times)
    figures["edit_decode_ms"] = spread(decode)
    hovers = hover_times(srv, uri, text, max(edits // 2, 2))
    figures["hover_first_ms"] = round(hovers[0], 3)
    figures["hover_ms"] = spread(hovers[1:])
    name = lines.position(site.name_offset)
    done = completion_times(srv, uri, 1 + edits, (name.line, name.character), site.key, edits)
    figures["completion_field_ms"] = spread(done["field name"][0])
    figures["completion_key_ms"] = spread(done["crossref key"][0])
    figures["peak_rss_mib"] = _status(srv.proc.pid, "VmHWM")
    srv.close()
    return figures


def bibtexparser_parse(path: Path) -> Figures:
    import bibtexparser

    logging.disable(logging.CRITICAL)  # it logs every block it cannot read
    text = path.read_text(encoding="utf-8")
    gc.collect()
    t0 = time.perf_counter()
    library = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    took = time.perf_counter() - t0
    return {
        "parse_ms": ms(took),
        "entries": len(library.entries),
        "failed_blocks": len(library.failed_blocks),
        "peak_rss_mib": peak_mib(),
        "version": bibtexparser.__version__,
    }


def pybtex_parse(path: Path) -> Figures:
    import pybtex  # type: ignore[import-untyped]
    import pybtex.database  # type: ignore[import-untyped]
    import pybtex.errors  # type: ignore[import-untyped]

    pybtex.errors.set_strict_mode(False)  # report errors as warnings and go on
    text = path.read_text(encoding="utf-8")
    gc.collect()
    t0 = time.perf_counter()
    data = pybtex.database.parse_string(text, "bibtex")
    took = time.perf_counter() - t0
    return {
        "parse_ms": ms(took),
        "entries": len(data.entries),
        "peak_rss_mib": peak_mib(),
        "version": pybtex.__version__,
    }


def tidy(path: Path, executable: str) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out.bib"
        t0 = time.perf_counter()
        done = subprocess.run(
            [executable, str(path), "-o", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        took = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(f"bibtex-tidy exited {done.returncode}: {done.stderr[-300:]}")
        changed = target.read_bytes() != path.read_bytes()
    return {
        "format_ms": ms(took),
        "changed": changed,
        "peak_rss_mib": children_peak_mib(),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    kinds = ("library", "format", "server", "bibtexparser", "pybtex", "bibtex-tidy")
    ap.add_argument("kind", choices=kinds)
    ap.add_argument("file", type=Path)
    ap.add_argument("--edits", type=int, default=100, help="edits, hovers and completions")
    ap.add_argument("--repeat", type=int, default=1, help="best of N parses and analyses")
    ap.add_argument("--tidy", default="bibtex-tidy", help="the bibtex-tidy executable")
    args = ap.parse_args()
    if args.kind == "library":
        figures = library(args.file, args.edits, args.repeat)
    elif args.kind == "format":
        figures = format_file(args.file)
    elif args.kind == "server":
        figures = server(args.file, args.edits)
    elif args.kind == "bibtexparser":
        figures = bibtexparser_parse(args.file)
    elif args.kind == "pybtex":
        figures = pybtex_parse(args.file)
    else:
        figures = tidy(args.file, args.tidy)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
