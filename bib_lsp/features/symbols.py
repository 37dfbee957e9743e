"""The outline of a `.bib` file (no LSP types here): its entries with their
fields, the macros its `@string`s define, its `@preamble`s and `@comment`s.

Symbols are computed per block with offsets relative to the block's start (the
server keeps what it sends per block: ``lsp/navigation.py``). Titles are shown
with their LaTeX decoded (``model.latex.to_text``); a request decodes those within
a time budget and shows the rest roughly cleaned (``Decoder.rough`` counts them),
to be decoded by later requests: decoding through pylatexenc is slow.
"""

from __future__ import annotations

import enum
import re
import time
from dataclasses import dataclass, replace

from bib_lsp.document import Document
from bib_lsp.model.latex import to_text
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, Field, Piece, Value, view, written

MAX_TITLE = 80  # characters of a decoded title shown in an entry's detail
MAX_VALUE = 60  # characters of a value shown in a field's detail
DECODE_BUDGET = 0.1  # seconds of LaTeX decoding through pylatexenc per request
NO_KEY = "(no key)"


class SymbolKind(enum.Enum):
    ENTRY = "entry"
    FIELD = "field"
    MACRO = "macro"  # a name an `@string` defines
    PREAMBLE = "preamble"
    COMMENT = "comment"  # an `@comment` block


@dataclass(frozen=True, slots=True)
class Symbol:
    name: str
    detail: str
    kind: SymbolKind
    start: int  # the whole thing (offsets: block-relative from ``block_symbols``)
    end: int
    selection_start: int  # the part that names it (the key, the field's name...)
    selection_end: int
    children: tuple[Symbol, ...] = ()

    def shifted(self, delta: int) -> Symbol:
        return replace(
            self,
            start=self.start + delta,
            end=self.end + delta,
            selection_start=self.selection_start + delta,
            selection_end=self.selection_end + delta,
            children=tuple(c.shifted(delta) for c in self.children),
        )


class Decoder:
    """Decodes titles' LaTeX: plain ones always, those that need pylatexenc until
    ``budget`` seconds are spent, the rest roughly (counted in ``rough``)."""

    def __init__(self, budget: float = DECODE_BUDGET) -> None:
        self.deadline = time.perf_counter() + budget
        self.rough = 0

    @property
    def in_time(self) -> bool:
        return time.perf_counter() < self.deadline

    def __call__(self, latex: str) -> str:
        if not _NEEDS_PARSER.search(latex) or self.in_time:
            return to_text(latex)
        self.rough += 1
        return _rough(latex)


# What sends `to_text` to pylatexenc (its slow path): commands, math, comments.
_NEEDS_PARSER = re.compile(r"[\\$%]")
_ACCENT = re.compile(r"\\(?:[`'^\"~=.]|[cvuHdbrkt](?=\s*\{))")
_COMMAND = re.compile(r"\\(?:([A-Za-z]+)\s*|(.))")
_SPACES = re.compile(r"\s+")


def _rough(latex: str) -> str:
    """A quick approximation of the printed text: accents, braces and math shifts
    dropped, command names kept (`{\\TeX}` gives `TeX`)."""
    text = _COMMAND.sub(lambda m: m.group(1) or m.group(2), _ACCENT.sub("", latex))
    return _SPACES.sub(" ", text.replace("{", "").replace("}", "").replace("$", "")).strip()


def shorten(text: str, limit: int) -> str:
    """The text with runs of blanks made single spaces, cut to ``limit``."""
    text = _SPACES.sub(" ", text[: 4 * limit]).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def block_symbols(
    block: Block, decoder: Decoder | None = None, fields: bool = True
) -> list[Symbol]:
    """The block's symbols, block-relative: entries with their fields as
    children, or without them when not ``fields``."""
    if block.kind is K.JUNK_BLOCK:
        return []
    return _symbols(block, decoder if decoder is not None else Decoder(float("inf")), fields)


def document_symbols(
    doc: Document, budget: float = DECODE_BUDGET, fields: bool = True
) -> list[Symbol]:
    """Every block's symbols with absolute offsets, in text order."""
    decoder = Decoder(budget)
    out: list[Symbol] = []
    for start, block in doc.blocks():
        out += [s.shifted(start) for s in block_symbols(block, decoder, fields)]
    return out


def _symbols(block: Block, decode: Decoder, fields: bool) -> list[Symbol]:
    entry = view(block)
    if entry is None:
        return []
    end = len(block.text)
    if entry.kind is K.STRING:
        return _macros(entry, end, entry.damaged)
    head = _head(entry)
    if entry.kind is K.PREAMBLE:
        text = _shown(entry.preamble, entry.damaged)
        return [Symbol("@preamble", text, SymbolKind.PREAMBLE, 0, end, *head)]
    if entry.kind is K.COMMENT_ENTRY:
        body = block.text[head[1] :].strip().removeprefix("{").removesuffix("}")
        return [Symbol("@comment", shorten(body, MAX_VALUE), SymbolKind.COMMENT, 0, end, *head)]
    name = entry.key or NO_KEY
    if entry.key_span is not None:
        head = (entry.key_span.start, entry.key_span.end)
    detail = f"@{entry.type_lower}" if entry.type else "@"
    title = entry.field("title")
    if title is not None and title.value is not None:
        shown = shorten(decode(_latex(title.value, entry.damaged)), MAX_TITLE)
        if shown:
            detail += f" · {shown}"
    children = tuple(_field(f, entry.damaged) for f in entry.fields if f.name) if fields else ()
    return [Symbol(name, detail, SymbolKind.ENTRY, 0, end, *head, children)]


def _head(entry: Entry) -> tuple[int, int]:
    """The `@type` of a block (what names a block without a key)."""
    if entry.type_span is not None:
        return 0, entry.type_span.end
    return 0, 1


def _latex(value: Value, damaged: bool) -> str:
    """A value's LaTeX text, pieces joined, macros by name."""
    return "".join(_content(p, damaged) for p in value.pieces)


def _content(piece: Piece, damaged: bool) -> str:
    """A piece's text without its delimiters (in an entry without problems every
    piece is closed: no need to ask, which costs a scan of the piece)."""
    if piece.kind in (K.BRACED, K.QUOTED) and not damaged:
        return piece.text[1:-1]
    return piece.content


def _shown(value: Value | None, damaged: bool) -> str:
    """A value as written, without the delimiters of a lone piece, shortened."""
    if value is None:
        return ""
    if len(value.pieces) == 1:
        return shorten(_content(value.pieces[0], damaged), MAX_VALUE)
    return shorten(written(value), MAX_VALUE)


def _field(f: Field, damaged: bool) -> Symbol:
    span, name = f.span, f.name_span
    detail = _shown(f.value, damaged)
    return Symbol(f.name, detail, SymbolKind.FIELD, span.start, span.end, name.start, name.end)


def _macros(entry: Entry, end: int, damaged: bool) -> list[Symbol]:
    """One symbol per name an `@string` defines: the whole block when it defines
    one (as it nearly always does), else each one's field."""
    fields = [f for f in entry.fields if f.name]
    out = []
    for f in fields:
        start, stop = (0, end) if len(fields) == 1 else (f.span.start, f.span.end)
        detail = _shown(f.value, damaged)
        out.append(
            Symbol(
                f.name, detail, SymbolKind.MACRO, start, stop, f.name_span.start, f.name_span.end
            )
        )
    return out
