"""The benchmark inputs: real corpus files, and generated files of N entries.

A generated file is made of whole corpus files copied one after another, the
largest first (so a 1,000-entry file is the start of tugboat.bib, a 10,000-entry
file adds the other large Beebe bibliographies, and each further pass copies all
106 files that have entries again). Copy ``i`` of a file gets the suffix ``-i`` on

- every entry key and every ``@string`` name the file defines,
- every macro use that refers to a macro the file defines (in entries, ``@string``
  bodies and ``@preamble``s),
- every key in ``crossref``, ``xref``, ``xdata``, ``related`` and ``entryset``
  that the file defines, and every alias in ``ids``,

so that each copy is self-consistent: keys stay unique and macros and cross
references resolve as in the source file. From the second pass over the files on,
a literal title starts with ``Copy i: `` and a literal DOI ends with ``.i``, so
that a large file is not tens of thousands of duplicate works (``duplicate-entry``
would then be most of its findings): only the duplicates of the first pass (the
corpus's own, within and across files) and those within each later copy remain.

The copy that reaches N regular entries is cut at an entry boundary; in that last
copy, entries that refer to another entry of their file are left out (their
parent might lie past the cut). One entry, ``PROBE`` from parse_bench.py with its
macros written out, stands in the middle of every generated file, so that edits in
files of every size land in the same entry.

The result depends only on the corpus and N; files are cached under the temporary
directory, keyed by size and by a digest of this module and the corpus listing.

Usage: python benchmarks/inputs.py N [-o OUT] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parse_bench import DEFAULT_CORPUS, PROBE

from bib_lsp.document import Document
from bib_lsp.document.io import read_bib
from bib_lsp.model.keys import KEY_FIELDS
from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, entry_view

# The real files measured as they are (names as printed, paths in the corpus).
CORPUS_FILES = {
    "tugboat.bib": "texlive/beebe/tugboat.bib",
    "typeset.bib": "texlive/beebe/typeset.bib",
    "biblatex-examples.bib": "texlive/biblatex/biblatex/biblatex-examples.bib",
}

PROBE_KEY = PROBE.split("{", 1)[1].split(",", 1)[0] + ","

CACHE_DIR = Path(tempfile.gettempdir()) / "bib-lsp-bench"

# Fields whose values are entry keys; `ids` lists aliases, which are keys too.
_KEY_FIELDS = {*KEY_FIELDS, "ids"}
_KEY_RE = re.compile(r"[^,\s]+")


# What is inserted at a cut: the copy's suffix, or (from the second round of
# copies on) a mark that makes the work another one.
SUFFIX, TITLE, DOI = "suffix", "title", "doi"


@dataclass(frozen=True)
class SourceBlock:
    """One top-level block of a corpus file, split where a copy inserts text."""

    segments: tuple[str, ...]
    cuts: tuple[str, ...]
    """What goes between ``segments[i]`` and ``segments[i + 1]``."""
    regular: bool
    """A regular entry (not ``@string``, ``@preamble``, ``@comment`` or free text)."""
    refers: bool
    """It names another entry of its file in a reference field."""

    def copy(self, copy: int, cycle: int) -> str:
        """The block in copy number ``copy``, made in pass ``cycle`` over the files
        (0 for the first)."""
        inserted = {
            SUFFIX: f"-{copy}",
            TITLE: f"Copy {copy}: " if cycle else "",
            DOI: f".{copy}" if cycle else "",
        }
        out = [self.segments[0]]
        for cut, segment in zip(self.cuts, self.segments[1:], strict=True):
            out += [inserted[cut], segment]
        return "".join(out)


@cache
def source_blocks(path: Path) -> tuple[SourceBlock, ...]:
    """A corpus file's blocks, each cut where a copy inserts text."""
    text = read_bib(path).text
    blocks = [(start, block, entry_view(block, start)) for start, block in parse(text)]
    views = [v for _, _, v in blocks if v is not None]
    keys = {v.key.lower() for v in views if v.kind is K.ENTRY and v.key}
    macros = {f.name_lower for v in views if v.kind is K.STRING for f in v.fields}
    out = []
    for start, block, view in blocks:
        if view is None:
            out.append(SourceBlock((block.text,), (), regular=False, refers=False))
            continue
        cuts, refers = _suffix_offsets(view, keys, macros)
        if view.kind is K.ENTRY:
            cuts += _work_marks(view)
        cuts.sort()
        rel = [c - start for c, _ in cuts]
        segments = [
            block.text[a:b] for a, b in zip([0, *rel], [*rel, len(block.text)], strict=True)
        ]
        kinds = tuple(kind for _, kind in cuts)
        out.append(SourceBlock(tuple(segments), kinds, view.kind is K.ENTRY, refers))
    return tuple(out)


def _work_marks(view: Entry) -> list[tuple[int, str]]:
    """Where later rounds mark an entry as another work (so that a large file is
    not thousands of duplicate works, which no real bibliography is): the start of
    a literal title, the end of a literal DOI."""
    marks = []
    for name, kind in (("title", TITLE), ("doi", DOI)):
        f = view.field(name)
        pieces = f.value.pieces if f and f.value else ()
        if len(pieces) == 1 and pieces[0].kind in (K.BRACED, K.QUOTED) and pieces[0].closed:
            span = pieces[0].span
            marks.append((span.start + 1 if kind == TITLE else span.end - 1, kind))
    return marks


def _suffix_offsets(
    view: Entry, keys: set[str], macros: set[str]
) -> tuple[list[tuple[int, str]], bool]:
    """Where a copy's suffix is inserted in one entry (absolute offsets, in order),
    and whether the entry refers to another entry of the file."""
    cuts: list[int] = []
    refers = False
    if view.kind is K.ENTRY and view.key_span is not None:
        cuts.append(view.key_span.end)
    values = [f.value for f in view.fields]
    if view.kind is K.STRING:
        cuts += [f.name_span.end for f in view.fields if f.name]
    for f in view.fields:
        if f.name_lower not in _KEY_FIELDS or f.value is None:
            continue
        for piece in f.value.pieces:
            if piece.kind not in (K.BRACED, K.QUOTED):
                continue
            first = piece.span.start + 1
            for m in _KEY_RE.finditer(piece.content):
                if f.name_lower == "ids" or m.group().lower() in keys:
                    cuts.append(first + m.end())
                    refers = refers or f.name_lower != "ids"
    for value in [*values, view.preamble]:
        if value is None:
            continue
        for piece in value.pieces:
            if piece.kind is K.MACRO and piece.text.lower() in macros:
                cuts.append(piece.span.end)
    return [(cut, SUFFIX) for cut in sorted(set(cuts))], refers


@cache
def corpus_files(corpus: Path) -> tuple[Path, ...]:
    """The corpus files in the order they are copied: most regular entries first
    (ties by path), files without entries left out."""
    counted = []
    for path in sorted(corpus.rglob("*.bib")):
        entries = sum(b.regular for b in source_blocks(path))
        if entries:
            counted.append((-entries, str(path.relative_to(corpus)), path))
    return tuple(path for _, _, path in sorted(counted))


@cache
def literal_probe() -> str:
    """parse_bench's probe entry with each macro written out as its name in braces
    (its macros are tugboat.bib's, which a generated file renames)."""
    (start, block), *_ = [(s, b) for s, b in parse(PROBE) if b.node.kind is K.ENTRY]
    view = entry_view(block, start)
    assert view is not None
    text = PROBE
    pieces = [p for f in view.fields if f.value for p in f.value.pieces if p.kind is K.MACRO]
    for piece in reversed(pieces):
        text = text[: piece.span.start] + "{" + piece.text + "}" + text[piece.span.end :]
    return text


def generate(corpus: Path, count: int) -> str:
    """A file of exactly ``count`` regular entries (the probe among them)."""
    return "".join(_generated_pieces(corpus, count))


def _generated_pieces(corpus: Path, count: int) -> Iterator[str]:
    files = corpus_files(corpus)
    if not files:
        raise ValueError(f"no .bib files with entries under {corpus}")
    emitted, copy = 0, 0
    probe_at = count // 2
    while emitted < count:
        blocks = source_blocks(files[copy % len(files)])
        # The copy that reaches the count: entries referring to others of the
        # file are left out (their parent might lie past the cut).
        last = sum(b.regular for b in blocks) >= count - emitted
        text = ""
        for block in blocks:
            if block.regular:
                if last and block.refers:
                    continue
                if emitted == probe_at:
                    yield literal_probe() + "\n\n"
                    emitted += 1
                    if emitted == count:
                        break
                emitted += 1
            text = block.copy(copy, copy // len(files))
            yield text
            if emitted == count:
                break
        yield "\n" if text.endswith("\n") else "\n\n"
        copy += 1


def _digest(corpus: Path) -> str:
    """What a generated file depends on: this module, parse_bench.py (the probe)
    and the corpus files."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for source in (here / "inputs.py", here / "parse_bench.py"):
        h.update(source.read_bytes())
    for path in sorted(corpus.rglob("*.bib")):
        h.update(f"{path.relative_to(corpus)}:{path.stat().st_size}".encode())
    return h.hexdigest()[:12]


def generated_file(corpus: Path, count: int) -> Path:
    """The generated file of ``count`` entries, made once and cached."""
    path = CACHE_DIR / f"generated-{_digest(corpus)}-{count}.bib"
    if not path.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(generate(corpus, count), encoding="utf-8")
        partial.replace(path)
    return path


# -- where edits and requests land ---------------------------------------------


@dataclass(frozen=True)
class Site:
    """Where the benchmarks type: a place inside a title (code-point offset), the
    start of that title's field name, and the entry's key."""

    offset: int
    name_offset: int
    key: str


def edit_site(doc: Document) -> Site:
    """The probe's title when the document has it, else the title of the first
    entry from the middle on whose title is a braced or quoted value of five
    characters or more."""
    entries = [
        (start, block)
        for start, block in doc.blocks()
        if block.node.kind is K.ENTRY and not block.problems
    ]
    if not entries:
        raise ValueError("no entry to edit")
    probe = [(s, b) for s, b in entries if b.text[b.text.find("{") + 1 :].startswith(PROBE_KEY)]
    for start, block in probe + entries[len(entries) // 2 :] + entries:
        view = entry_view(block, start)
        title = view.field("title") if view else None
        if view is None or not view.key or title is None or title.value is None:
            continue
        first = title.value.pieces[0] if title.value.pieces else None
        if first and first.kind in (K.BRACED, K.QUOTED) and len(first.content) >= 5:
            return Site(first.span.start + 5, title.name_span.start, view.key)
    raise ValueError("no entry with a title to edit")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("count", type=int)
    ap.add_argument("-o", "--output", type=Path, help="write here (default: print the path)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    if args.output:
        args.output.write_text(generate(args.corpus, args.count), encoding="utf-8")
    else:
        print(generated_file(args.corpus, args.count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
