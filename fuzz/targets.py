"""Fuzz targets: each takes bytes, reads a document (and edits, positions, options)
from them, runs one part of bib-lsp and checks what must always hold. A target
raises on a broken property (an exception from bib-lsp, a range outside the
document, an incremental result unlike a fresh one) and returns None otherwise.

They need no fuzzer: `fuzz/run.py` drives them under atheris (coverage-guided),
and `tests/fuzz/test_regressions.py` replays the inputs kept in
`fuzz/regressions/` and a sample of the seeds.

The bytes are read as: the document's text (UTF-8, invalid bytes replaced) up to
the first ``SEPARATOR``, then a stream of small numbers for the rest (edits,
positions, options). A seed is a plain `.bib` text: every target reads it as a
document with no edits.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from bib_lsp.document import BlockChanges, Document
from bib_lsp.features.citation import load_style, render
from bib_lsp.features.completion import complete
from bib_lsp.features.cursor import cursor_at
from bib_lsp.features.hover import HoverContext, hover
from bib_lsp.features.places import place_at
from bib_lsp.formatting import FormatOptions, format_text
from bib_lsp.model.csl import document_items
from bib_lsp.model.csl_names_dates import names
from bib_lsp.rules import Checker
from bib_lsp.syntax import parse
from bib_lsp.syntax.lexer import WHITESPACE_RE

SEPARATOR = b"\x00\x00\x00"

# What edits insert: pieces of BibTeX syntax and odd characters.
INSERTIONS = [
    "",
    "x",
    "@",
    "{",
    "}",
    "(",
    ")",
    '"',
    ",",
    "=",
    "#",
    "%",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\\",
    "é",
    "😀",
    "@article{k,",
    "@string{m = {v}}",
    "title = {T},",
    "author = {A and B},",
    "crossref = {k},",
    "journal = m,",
    "}\n",
    "% bib-lsp: ignore[missing-required-field]\n",
    "@comment{",
    "@preamble{",
    "{{",
    "}}",
]


class Stream:
    """Small numbers from the bytes after the text (zeros once they run out)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            return 0
        self.pos += 1
        return self.data[self.pos - 1]

    def number(self, limit: int) -> int:
        """A number in ``0..limit`` (inclusive)."""
        if limit <= 0:
            return 0
        value = self.byte() << 16 | self.byte() << 8 | self.byte()
        return value % (limit + 1)

    @property
    def left(self) -> bool:
        return self.pos < len(self.data)


def split(data: bytes) -> tuple[str, Stream]:
    text, _, rest = data.partition(SEPARATOR)
    return text.decode("utf-8", "replace"), Stream(rest)


def edits(text: str, stream: Stream, most: int = 8) -> list[tuple[int, int, str]]:
    """Up to ``most`` edits (start, end, inserted) of a text of ``len(text)``, each
    against the text the previous ones left."""
    out = []
    length = len(text)
    while stream.left and len(out) < most:
        start = stream.number(length)
        end = min(length, start + stream.byte() % 40)
        inserted = INSERTIONS[stream.byte() % len(INSERTIONS)]
        out.append((start, end, inserted))
        length += len(inserted) - (end - start)
    return out


def _inside(start: int, end: int, length: int, what: object) -> None:
    if not 0 <= start <= end <= length:
        raise AssertionError(f"range {start}..{end} outside 0..{length}: {what!r}")


def _same_blocks(doc: Document, text: str) -> None:
    if doc.text != text:
        raise AssertionError("the document's text is not the edited text")
    fresh = parse(text, doc.biber_comments)
    ours = list(doc.blocks())
    if [s for s, _ in ours] != fresh.starts:
        raise AssertionError("block starts differ from a fresh parse")
    for (start, block), other in zip(ours, fresh.blocks, strict=True):
        if not block.same_as(other):
            raise AssertionError(f"block at {start} differs from a fresh parse")


def document(data: bytes) -> None:
    """Parsing is lossless and located; an incrementally edited document equals a
    fresh parse of its text after every edit."""
    text, stream = split(data)
    for biber_comments in (False, True):  # BibTeX's and biber's reading of `%`
        tree = parse(text, biber_comments)
        if tree.tree_text() != text:
            raise AssertionError("the tree does not give back the text")
        for p in tree.problems():
            _inside(p.start, p.end, len(text), p)
    doc = Document(text)
    for i, (start, end, inserted) in enumerate(edits(text, stream)):
        doc.edit(start, end, inserted)
        text = text[:start] + inserted + text[end:]
        _same_blocks(doc, text)
        if i % 2:  # switching the reading re-reads the blocks it changes
            doc.set_biber_comments(not doc.biber_comments)
            _same_blocks(doc, text)


def checker(data: bytes) -> None:
    """Every rule runs without an exception, its findings lie inside the document,
    and a checker kept current by edits finds what a fresh one finds."""
    text, stream = split(data)
    doc = Document(text)
    check = Checker(doc)
    _located(check.diagnose(), len(text))
    for start, end, inserted in edits(text, stream, most=4):
        changes = BlockChanges()
        changes.merge(doc.edit(start, end, inserted))
        check.update(changes)
        found = check.diagnose()
        _located(found, doc.length)
        fresh = Checker(Document(doc.text)).diagnose()
        if found != fresh:
            raise AssertionError("incremental findings differ from a fresh check")


def _located(problems: list, length: int) -> None:  # type: ignore[type-arg]
    for p in problems:
        _inside(p.start, p.end, length, p)
        for r in p.related:
            _inside(r.start, r.end, length, r)
        json.dumps(p.data)  # quick-fix data goes out as JSON


_STYLE: list[object] = []


def _style() -> object:
    if not _STYLE:
        _STYLE.append(load_style("apa"))
    return _STYLE[0]


def features(data: bytes) -> None:
    """Completion, hover and the cursor's and place's readings at positions read
    from the input: no exception, ranges inside the document."""
    text, stream = split(data)
    doc = Document(text)
    check = Checker(doc)
    context = HoverContext(check.index, check.dialect, _style())
    positions = [stream.number(len(text)) for _ in range(6)] if stream.left else []
    positions += [0, len(text), len(text) // 2]
    for offset in positions:
        cursor = cursor_at(doc, offset)
        _inside(cursor.start, cursor.end, len(text), cursor)
        place_at(doc, offset)
        _, items = complete(doc, check.index, offset, check.dialect, snippets=True)
        for item in items:
            json.dumps(item.label)
        found = hover(doc, offset, context)
        if found is not None:
            _inside(found.start, found.end, len(text), found)


def csl(data: bytes) -> None:
    """Every citable entry converts to CSL-JSON that is JSON, and the citation
    preview renders it; names of any text split without an exception."""
    text, _ = split(data)
    items = document_items(Document(text))
    for item in items[:20]:
        json.dumps(item)
        render(item, _style())
    names(text[:2000])


_OPTION_CHOICES = {
    "indent": ["auto", "  ", "\t", "    "],
    "align": ["auto", 0, -1, 20],
    "one_field_per_line": [True, False],
    "trailing_comma": ["keep", True, False],
    "delimiter": ["keep", "braces", "quotes"],
    "type_case": ["keep", "lower", "upper"],
    "field_case": ["keep", "lower", "upper"],
    "blank_lines": ["keep", 0, 1, 2],
    "sort_entries": ["off", "key", "year", "type"],
    "sort_fields": ["off", "standard"],
    "wrap": [0, 40, 80],
    "page_dashes": [False, True],
    "strip_double_braces": [False, True],
}


def format_options(stream: Stream) -> FormatOptions:
    chosen = {name: values[stream.byte() % len(values)] for name, values in _OPTION_CHOICES.items()}
    return FormatOptions(**chosen)  # type: ignore[arg-type]


def formatting(data: bytes) -> None:
    """Formatting with options read from the input raises nothing, keeps the text
    of every block the parser found a problem in (spaces aside), and formats its
    own output to itself."""
    text, stream = split(data)
    options = format_options(stream)
    once = format_text(text, options)
    # (Line breaks around free text and spaces at line ends are normalised.)
    squeezed = WHITESPACE_RE.sub("", once)  # (BibTeX's blanks only: \x1f is text)
    for _, block in parse(text):
        if block.problems and WHITESPACE_RE.sub("", block.text) not in squeezed:
            raise AssertionError(f"a damaged block was changed: {block.text[:60]!r}")
    twice = format_text(once, options)
    if twice != once:
        raise AssertionError("formatting its own output changed it")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "document": document,
    "checker": checker,
    "features": features,
    "csl": csl,
    "formatting": formatting,
}
