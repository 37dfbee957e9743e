"""Parse and edit speed of bib-lsp's syntax tree, side by side with bibtexparser 2.

Figures printed:
- full parse time (best of N) and peak Python memory (tracemalloc), each parser
  in a fresh interpreter, for
  tugboat.bib (3.8 MB, 4,846 entries) and for files of 5,000 and 50,000 entries
  built from the real entries of the corpus (keys made unique);
- bibtexparser 2's ``parse_string`` on the same texts, and the ratio;
- one single-character edit in the middle of the 5,000- and 50,000-entry files
  (in the same entry of both; median and 95th percentile of many), by offset
  and through an LSP range (UTF-16 positions, as a server receives them).

Usage: python benchmarks/parse_bench.py [--corpus DIR] [--quick]
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bibtexparser

from bib_lsp.document import Document, TextChange
from bib_lsp.document.io import read_bib
from bib_lsp.syntax import parse
from bib_lsp.syntax.views import entry_view
from bib_lsp.text import Range

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def real_entries(corpus: Path) -> list[str]:
    """The text of every regular entry in the corpus (no @string: macros would be
    undefined out of their file, which does not matter for parsing)."""
    out = []
    for path in sorted(corpus.rglob("*.bib")):
        text = read_bib(path).text
        for start, block in parse(text):
            view = entry_view(block, start)
            if view is not None and view.key and not block.problems and view.fields:
                out.append(block.text)
    return out


# The entry every edit lands in, placed in the middle of each generated file so
# that files of different sizes are timed on the same work.
PROBE = """@Article{probe:2024,
  author =       "Barbara Beeton and Karl Berry",
  title =        "The {\\TUB} Production Process",
  journal =      j-TUGboat,
  volume =       "45",
  number =       "1",
  pages =        "12--19",
  year =         "2024",
  ISSN =         "0896-3207",
  bibdate =      "Thu Nov 26 12:00:00 MST 2026",
  URL =          "https://tug.org/TUGboat/tb45-1/tb139beeton.pdf",
  acknowledgement = ack-nhfb,
}"""


def build_file(entries: list[str], count: int) -> str:
    pieces = []
    for i in range(count):
        entry = PROBE if i == count // 2 else entries[i % len(entries)]
        # Make each key unique: `@type{key,` -> `@type{key-i,`.
        pieces.append(re.sub(r"^(@\s*\w+\s*[{(]\s*)([^,\s]+)", rf"\g<1>\g<2>-{i}", entry))
    return "\n\n".join(pieces) + "\n"


def probe_offset(doc: Document) -> int:
    """An offset inside the title of the probe entry (in the middle of the file)."""
    for start, block in doc.blocks():
        view = entry_view(block, start)
        if view and view.key and view.key.startswith("probe:2024"):
            title = view.field("title")
            assert title is not None and title.value is not None
            return title.value.span.start + 5
    raise SystemExit("probe entry not found")


def edit_times(doc: Document, rounds: int, via_lsp: bool) -> list[float]:
    """Type one character and delete it again, ``rounds`` times each, timing each."""
    offset = probe_offset(doc)
    times = []
    for _ in range(rounds):
        for insert in (True, False):
            if via_lsp:
                pos = doc.position(offset)
                end = pos if insert else doc.position(offset + 1)
                change = [TextChange("x" if insert else "", Range(pos, end))]
                t0 = time.perf_counter()
                doc.apply_changes(change)
            else:
                t0 = time.perf_counter()
                doc.edit(offset, offset if insert else offset + 1, "x" if insert else "")
            times.append(time.perf_counter() - t0)
    return times


_MEASURE = """
import gc, logging, sys, time, tracemalloc
logging.disable(logging.CRITICAL)
text = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[2] == "bib-lsp":
    from bib_lsp.syntax import parse as run
else:
    import bibtexparser
    run = bibtexparser.parse_string
best = float("inf")
for _ in range(int(sys.argv[3])):
    gc.collect()
    t0 = time.perf_counter()
    result = run(text)
    best = min(best, time.perf_counter() - t0)
    del result
gc.collect()
tracemalloc.start()
result = run(text)
peak = tracemalloc.get_traced_memory()[1]
print(best, peak / 2**20)
"""


def measure(text: str, parser: str, repeat: int) -> tuple[float, float]:
    """Best time and peak memory of one parser, in a fresh interpreter (so that
    neither parser pays for the heap the other left behind)."""
    with tempfile.NamedTemporaryFile("w", suffix=".bib", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        out = subprocess.run(
            [sys.executable, "-c", _MEASURE, f.name, parser, str(repeat)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    return float(out[0]), float(out[1])


def report_parse(name: str, text: str, repeat: int) -> None:
    entries = sum(1 for _ in re.finditer(r"(?m)^\s*@", text))
    ours, ours_mem = measure(text, "bib-lsp", repeat)
    theirs, theirs_mem = measure(text, "bibtexparser", max(1, repeat // 2))
    print(
        f"{name}: {len(text) / 1e6:.1f} MB, ~{entries:,} entries\n"
        f"  full parse   bib-lsp {ours * 1000:8.0f} ms   bibtexparser {theirs * 1000:8.0f} ms"
        f"   ratio {ours / theirs:.2f} (goal <= 1.00)\n"
        f"  peak memory  bib-lsp {ours_mem:8.0f} MB   bibtexparser {theirs_mem:8.0f} MB"
    )


def report_edits(name: str, text: str, rounds: int) -> None:
    doc = Document(text)
    for via_lsp in (False, True):
        times = sorted(edit_times(doc, rounds, via_lsp))
        median = statistics.median(times) * 1000
        p95 = times[int(len(times) * 0.95)] * 1000
        how = "LSP range " if via_lsp else "by offset "
        print(
            f"  1-char edit {how} median {median:.3f} ms  p95 {p95:.3f} ms"
            f"  max {times[-1] * 1000:.3f} ms  ({len(times)} edits; goal: median < 2 ms)"
        )
    assert doc.text == text, "edits did not restore the text"
    del name


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = ap.parse_args()
    logging.disable(logging.CRITICAL)  # bibtexparser logs every block it cannot read
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    repeat = 2 if args.quick else 5
    rounds = 50 if args.quick else 250
    print(f"Python {sys.version.split()[0]}, bibtexparser {bibtexparser.__version__}")
    tugboat = read_bib(args.corpus / "texlive" / "beebe" / "tugboat.bib").text
    report_parse("tugboat.bib", tugboat, repeat)
    entries = real_entries(args.corpus)
    print(f"({len(entries):,} distinct real entries in the corpus)")
    for count in (5_000, 50_000):
        text = build_file(entries, count)
        report_parse(f"{count:,} entries", text, max(1, repeat // (2 if count > 5000 else 1)))
        report_edits(f"{count:,} entries", text, rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
