"""Semantic tokens: `textDocument/semanticTokens/full` and `/range`, as JSON text.

A block's tokens are kept encoded as they are sent (``_Tokens``, cached on the
block): LSP's tokens are relative to each other, so only the first token's
distance to the previous block's last is computed per request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.features.semantic import TOKEN_MODIFIERS, TOKEN_TYPES, block_tokens
from bib_lsp.lsp.convert import from_position
from bib_lsp.lsp.handlers import Features, on_document
from bib_lsp.lsp.jsontext import JsonPieces
from bib_lsp.lsp.protocol import RawJson
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.text import PositionEncoding, relative_positions, units_in

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer

LEGEND = lsp.SemanticTokensLegend(list(TOKEN_TYPES), list(TOKEN_MODIFIERS))


class _Tokens:
    """A block's semantic tokens, encoded as LSP wants them: the first token's
    line and column (from the block's start) and the rest of its numbers, then
    the other tokens relative to each other; and where the last token is."""

    __slots__ = ("first", "last", "text")

    def __init__(self, block: Block, tokens: list[int], encoding: PositionEncoding) -> None:
        text, breaks = block.text, block.line_starts
        plain = encoding is PositionEncoding.UTF32 or text.isascii()
        numbers: list[int] = []
        previous_line = previous_column = 0
        places = relative_positions(text, breaks, tokens[::4], encoding)
        for i in range(0, len(tokens), 4):
            start, length = tokens[i], tokens[i + 1]
            line, column = places[i >> 2]
            if not plain:
                length = units_in(text[start : start + length], encoding)
            if i == 0:
                self.first = (line, column)
                numbers += (length, tokens[2], tokens[3])
            else:
                delta = column - previous_column if line == previous_line else column
                numbers += (line - previous_line, delta, length, tokens[i + 2], tokens[i + 3])
            previous_line, previous_column = line, column
        self.last = (previous_line, previous_column)
        self.text = ",".join(map(str, numbers)).encode("ascii")


_NO_TOKENS = _Tokens.__new__(_Tokens)  # a block without tokens (cached as such)


def _encoded(block: Block, encoding: PositionEncoding, key: str) -> _Tokens:
    """The block's tokens encoded (cached under ``key``; ``_NO_TOKENS`` if none)."""
    found: _Tokens | None = block.cache.get(key)
    if found is None:
        tokens = block_tokens(block)
        found = block.cache[key] = _Tokens(block, tokens, encoding) if tokens else _NO_TOKENS
    return found


def _from(doc: Document, offset: int, end: int) -> Iterator[tuple[int, Block, int, bool]]:
    """``(start, block, line, starts a line)`` for the blocks from the one holding
    ``offset`` to the one holding ``end``."""
    located = doc.block_at(offset)
    if located is None:
        return
    start, block = located
    line = doc.line_of(start)
    starts_line = start == 0 or doc.slice(start - 1, start) in ("\n", "\r")
    while True:
        yield start, block, line, starts_line
        start += len(block.text)
        line += block.breaks
        starts_line = block.text.endswith(("\n", "\r"))
        if start >= min(end, doc.length):
            return
        located = doc.block_at(start)
        if located is None:  # pragma: no cover - start is inside the text
            return
        block = located[1]


def _all(doc: Document) -> Iterator[tuple[int, Block, int, bool]]:
    line, starts_line = 0, True
    for start, block in doc.blocks():
        yield start, block, line, starts_line
        line += block.breaks
        starts_line = block.text.endswith(("\n", "\r"))


def semantic_tokens(
    doc: Document, encoding: PositionEncoding, within: lsp.Range | None = None
) -> JsonPieces:
    """``SemanticTokens`` as JSON text: of the whole document, or of the blocks
    that ``within`` touches."""
    if within is None:
        blocks = _all(doc)
    else:
        start = doc.offset(from_position(within.start), encoding)
        end = doc.offset(from_position(within.end), encoding)
        blocks = _from(doc, start, end)
    pieces: list[bytes] = []
    previous_line = previous_column = 0
    key = f"lsp-tokens-{encoding.value}"
    with gc_paused():
        for start, block, line, starts_line in blocks:
            tokens = _encoded(block, encoding, key)
            if tokens is _NO_TOKENS:
                continue
            (first_line, first_column), (last_line, last_column) = tokens.first, tokens.last
            shift = 0
            if not starts_line and (first_line == 0 or last_line == 0):
                shift = doc.position(start, encoding).character
            if first_line == 0:
                first_column += shift
            first_line += line
            same_line = first_line == previous_line
            delta = first_column - previous_column if same_line else first_column
            pieces += (b"%d,%d," % (first_line - previous_line, delta), tokens.text, b",")
            previous_line = line + last_line
            previous_column = last_column + (shift if last_line == 0 else 0)
    if pieces:
        pieces.pop()  # the last comma
    return [b'{"data":[', *pieces, b"]}"]


# -- handlers ------------------------------------------------------------------------
FEATURES = Features()


def _no_tokens() -> lsp.SemanticTokens:
    return lsp.SemanticTokens(data=[])


@FEATURES.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
@on_document(_no_tokens)
def semantic_tokens_full(
    ls: BibLanguageServer, params: lsp.SemanticTokensParams, document: OpenDocument
) -> Any:
    return RawJson(semantic_tokens(document.doc, ls.encoding))


@FEATURES.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, LEGEND)
@on_document(_no_tokens)
def semantic_tokens_range(
    ls: BibLanguageServer, params: lsp.SemanticTokensRangeParams, document: OpenDocument
) -> Any:
    return RawJson(semantic_tokens(document.doc, ls.encoding, params.range))
