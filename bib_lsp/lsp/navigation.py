"""Navigation and structure requests: `textDocument/documentSymbol`,
`foldingRange`, `selectionRange`, `definition`, `documentLink` and
`semanticTokens` (full and range), as LSP data.

The whole-document answers (symbols, folds, links, tokens) are built as JSON
text from per-block parts cached on the blocks (``Block.cache``), so that an
answer after an edit costs the blocks the edit touched plus filling in line
numbers. A part (``_Part``) is the block's JSON with its line numbers, counted
from the block's first line, left as ``%d`` to fill in (one formatting per
block and request); semantic tokens are relative to each other already, so a
block's are kept as they are sent (``_Tokens``) and only the first token's
distance to the previous block's last is computed per request. A block that
starts in the middle of a line (the free text after an entry's `}`) with
something on that line (rare: two entries on one line) is converted directly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.uris import from_fs_path

from bib_lsp.document import Document
from bib_lsp.features.definition import Elsewhere, definition, macro_definition
from bib_lsp.features.folding import Fold, FoldKind, block_folds
from bib_lsp.features.links import block_links
from bib_lsp.features.selection import selection_ranges
from bib_lsp.features.semantic import TOKEN_MODIFIERS, TOKEN_TYPES, block_tokens
from bib_lsp.features.symbols import DECODE_BUDGET, Decoder, Symbol, SymbolKind, block_symbols
from bib_lsp.lsp.handlers import Features, on_document
from bib_lsp.lsp.protocol import RawJson
from bib_lsp.lsp.workspace import uri_path
from bib_lsp.model.index import BibIndex
from bib_lsp.model.summaries import MacroDef
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.text import Position, PositionEncoding, relative_position, relative_positions, units_in

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer

JsonPieces = list[bytes]
# Entries come with their fields as children up to this many entries: past it, an
# outline of every field is too much JSON for an editor to take on every change
# (tugboat.bib's 4,839 entries with their fields: 21 MB; 50,000 entries: 180 MB).
FIELDS_UP_TO = 5_000
LEGEND = lsp.SemanticTokensLegend(list(TOKEN_TYPES), list(TOKEN_MODIFIERS))

# Symbol kinds (see docs/architecture.md, "Navigation and structure").
SYMBOL_KINDS = {
    SymbolKind.ENTRY: lsp.SymbolKind.Struct,
    SymbolKind.FIELD: lsp.SymbolKind.Field,
    SymbolKind.MACRO: lsp.SymbolKind.Constant,
    SymbolKind.PREAMBLE: lsp.SymbolKind.Module,
    SymbolKind.COMMENT: lsp.SymbolKind.String,
}
_FOLD_KINDS = {FoldKind.REGION: "region", FoldKind.COMMENT: "comment"}


def _dumps(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode("ascii")


# A line number in our JSON (compact, as `_dumps` writes it; quotes inside strings
# are escaped, so this never matches inside a name or detail).
_LINE_NUMBER = re.compile(rb'("(?:line|startLine|endLine)":)(\d+)')

# -- what the client takes ---------------------------------------------------------------


def hierarchical(caps: lsp.ClientCapabilities) -> bool:
    """Whether the client takes ``DocumentSymbol``s (else ``SymbolInformation``s)."""
    text = caps.text_document
    symbols = text.document_symbol if text else None
    return bool(symbols and symbols.hierarchical_document_symbol_support)


def link_support(caps: lsp.ClientCapabilities) -> bool:
    """Whether the client takes ``LocationLink``s from `textDocument/definition`."""
    text = caps.text_document
    found = text.definition if text else None
    return bool(found and found.link_support)


def tooltips(caps: lsp.ClientCapabilities) -> bool:
    """Whether the client shows the tooltips of document links."""
    text = caps.text_document
    links = text.document_link if text else None
    return bool(links and links.tooltip_support)


def folding_client(caps: lsp.ClientCapabilities) -> FoldingClient:
    text = caps.text_document
    folding = text.folding_range if text else None
    if folding is None:
        return FoldingClient()
    collapsed = bool(folding.folding_range and folding.folding_range.collapsed_text)
    return FoldingClient(bool(folding.line_folding_only), collapsed, folding.range_limit)


# -- positions ---------------------------------------------------------------------------

Converter = Callable[[int], dict[str, int]]


def _relative(block: Block, encoding: PositionEncoding) -> Converter:
    """Block-relative offsets to positions with lines counted from the block's
    first line (columns right only when the block starts a line)."""
    text, breaks = block.text, block.line_starts

    def position(rel: int) -> dict[str, int]:
        line, column = relative_position(text, breaks, rel, encoding)
        return {"line": line, "character": column}

    return position


def _absolute(doc: Document, start: int, encoding: PositionEncoding) -> Converter:
    def position(rel: int) -> dict[str, int]:
        p = doc.position(start + rel, encoding)
        return {"line": p.line, "character": p.character}

    return position


def _range(position: Converter, start: int, end: int) -> dict[str, Any]:
    return {"start": position(start), "end": position(end)}


class _Part:
    """A block's items as JSON text (without brackets) whose line numbers, counted
    from the block's first line, are filled in for the line it starts on.

    The filled text is not kept: it doubled the cache (a document's symbols with
    their fields are 7 times the file's size in JSON: 44,000 entries, 86 MiB
    more), to spare filling numbers in, 0.15 s a request there, which an edit
    that adds a line does anyway for every block below it."""

    __slots__ = ("count", "final", "lines", "template")

    def __init__(self, items: list[Any], final: bool = True) -> None:
        self.count = len(items)
        self.final = final  # else made again while there is time (rough titles)
        text = _dumps(items)[1:-1].replace(b"%", b"%%") if items else b""
        pieces = _LINE_NUMBER.split(text)  # text, `"line":`, number, text, ...
        self.lines = tuple(map(int, pieces[2::3]))
        pieces[2::3] = [b"%d"] * len(self.lines)
        self.template = b"".join(pieces)

    def at(self, line: int) -> bytes:
        return self.template % tuple([n + line for n in self.lines])


def _parts(
    doc: Document,
    key: str,
    encoding: PositionEncoding,
    items: Callable[[Block, Converter], tuple[list[Any], bool]],
    again: Callable[[], bool] = lambda: False,
) -> Iterator[tuple[bytes, int]]:
    """Each block's items as JSON text with absolute lines, and their number
    (blocks without items left out). ``items`` gives a block's items and whether
    they are final; parts that are not are made again while ``again()``."""
    line, starts_line = 0, True
    for start, block in doc.blocks():
        part = block.cache.get(key)
        if part is None or (not part.final and again()):
            found, final = items(block, _relative(block, encoding))
            part = block.cache[key] = _Part(found, final)
        if starts_line or 0 not in part.lines:
            if part.count:
                yield part.at(line), part.count
        else:  # columns on its first line count from the block: not the line's
            found, _ = items(block, _absolute(doc, start, encoding))
            yield _dumps(found)[1:-1], len(found)
        line += block.breaks
        starts_line = block.text.endswith(("\n", "\r"))


def _array(fragments: list[bytes]) -> JsonPieces:
    """``[`` the fragments separated by commas ``]``, without joining them."""
    if not fragments:
        return [b"[]"]
    pieces = [b","] * (2 * len(fragments) - 1)
    pieces[::2] = fragments
    return [b"[", *pieces, b"]"]


# -- documentSymbol ----------------------------------------------------------------------


def document_symbols(
    doc: Document,
    encoding: PositionEncoding,
    hierarchical: bool = True,
    fields: bool = True,
    budget: float = DECODE_BUDGET,
) -> JsonPieces:
    """``DocumentSymbol[]`` (or ``SymbolInformation[]`` for clients without
    hierarchical symbols) as JSON text; entries without their fields when not
    ``fields``. Titles are decoded within ``budget`` seconds (see
    ``features.symbols``); blocks with titles decoded roughly are made again by
    later requests."""
    decoder = Decoder(budget)
    key = f"lsp-symbols-{encoding.value}-{int(hierarchical)}{int(fields)}"

    def items(block: Block, position: Converter) -> tuple[list[Any], bool]:
        rough = decoder.rough
        symbols = block_symbols(block, decoder, fields)
        if hierarchical:
            found = [_symbol(s, position) for s in symbols]
        else:
            found = [item for s in symbols for item in _flat(s, position, doc.uri, None)]
        return found, decoder.rough == rough

    def again() -> bool:
        return decoder.in_time

    with gc_paused():
        return _array([text for text, _ in _parts(doc, key, encoding, items, again)])


def _symbol(s: Symbol, position: Converter) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": s.name,
        "kind": int(SYMBOL_KINDS[s.kind]),
        "range": _range(position, s.start, s.end),
        "selectionRange": _range(position, s.selection_start, s.selection_end),
    }
    if s.detail:
        out["detail"] = s.detail
    if s.children:
        out["children"] = [_symbol(c, position) for c in s.children]
    return out


def _flat(s: Symbol, position: Converter, uri: str, container: str | None) -> list[Any]:
    item: dict[str, Any] = {
        "name": s.name,
        "kind": int(SYMBOL_KINDS[s.kind]),
        "location": {"uri": uri, "range": _range(position, s.start, s.end)},
    }
    if container is not None:
        item["containerName"] = container
    return [item, *(i for c in s.children for i in _flat(c, position, uri, s.name))]


# -- foldingRange ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FoldingClient:
    line_folding_only: bool = False
    collapsed_text: bool = False
    range_limit: int | None = None


def folding_ranges(doc: Document, encoding: PositionEncoding, client: FoldingClient) -> JsonPieces:
    """``FoldingRange[]`` as JSON text, at most ``client.range_limit`` of them:
    past it, the folds inside entries are left out first, then the last ones."""
    variant = f"{encoding.value}-{int(client.line_folding_only)}{int(client.collapsed_text)}"
    limit = client.range_limit if client.range_limit is not None else -1

    def parts(outer_only: bool) -> Iterator[tuple[bytes, int]]:
        def items(block: Block, position: Converter) -> tuple[list[Any], bool]:
            folds = block_folds(block)
            if outer_only:
                folds = [f for f in folds if not f.inner]
            found = [item for f in folds if (item := _fold(f, position, client)) is not None]
            return found, True

        key = f"lsp-folds-{variant}-{'outer' if outer_only else 'all'}"
        return _parts(doc, key, encoding, items)

    with gc_paused():
        kept, total = [], 0
        for text, n in parts(False):
            kept.append(text)
            total += n
            if total > limit >= 0:
                break  # too many: outer folds only, up to the limit
        else:
            return _array(kept)
        kept, total = [], 0
        for text, n in parts(True):
            if total + n > limit:
                break
            kept.append(text)
            total += n
        return _array(kept)


def _fold(fold: Fold, position: Converter, client: FoldingClient) -> dict[str, Any] | None:
    a, b = position(fold.start), position(fold.end)
    end_line = b["line"] - 1 if client.line_folding_only and fold.keep_last_line else b["line"]
    if end_line <= a["line"]:
        return None
    out: dict[str, Any] = {
        "startLine": a["line"],
        "endLine": end_line,
        "kind": _FOLD_KINDS[fold.kind],
    }
    if not client.line_folding_only:
        out["startCharacter"] = a["character"]
        out["endCharacter"] = b["character"]
    if client.collapsed_text and fold.collapsed:
        out["collapsedText"] = fold.collapsed
    return out


# -- selectionRange ----------------------------------------------------------------------


def selection(
    doc: Document, positions: Sequence[lsp.Position], encoding: PositionEncoding
) -> list[Any]:
    """One ``SelectionRange`` per position: the innermost range with its parents."""
    out = []
    for p in positions:
        offset = doc.offset(Position(p.line, p.character), encoding)
        found: lsp.SelectionRange | None = None
        for start, end in reversed(selection_ranges(doc, offset)):
            found = lsp.SelectionRange(_lsp_range(doc, start, end, encoding), found)
        out.append(found)
    return out


def _lsp_range(doc: Document, start: int, end: int, encoding: PositionEncoding) -> lsp.Range:
    a, b = doc.position(start, encoding), doc.position(end, encoding)
    return lsp.Range(lsp.Position(a.line, a.character), lsp.Position(b.line, b.character))


# -- definition --------------------------------------------------------------------------

OpenDocuments = dict[str, tuple[Document, BibIndex]]


def goto_definition(
    doc: Document,
    index: BibIndex,
    position: lsp.Position,
    encoding: PositionEncoding,
    links: bool,
    uri: str,
    macros: Callable[[str], Iterator[MacroDef]],
    open_documents: OpenDocuments,
) -> list[lsp.Location] | list[lsp.LocationLink] | None:
    """Where the macro or key at ``position`` is defined: as ``LocationLink``s when
    the client takes them (``links``), else as ``Location``s."""
    offset = doc.offset(Position(position.line, position.character), encoding)
    found = definition(doc, index, offset)
    if found is None:
        return None
    origin = _lsp_range(doc, found.origin_start, found.origin_end, encoding)
    if isinstance(found, Elsewhere):
        return _elsewhere(found.name, origin, links, macros, open_documents, encoding)
    whole = _lsp_range(doc, found.start, found.end, encoding)
    name = _lsp_range(doc, found.name_start, found.name_end, encoding)
    if links:
        return [lsp.LocationLink(uri, whole, name, origin)]
    return [lsp.Location(uri, name)]


def _elsewhere(
    name: str,
    origin: lsp.Range,
    links: bool,
    macros: Callable[[str], Iterator[MacroDef]],
    open_documents: OpenDocuments,
    encoding: PositionEncoding,
) -> list[lsp.Location] | list[lsp.LocationLink] | None:
    """A macro defined in another open document (exactly there) or in a file of
    the workspace (at the start of its line)."""
    macro = next((m for m in macros(name) if m.name.lower() == name), None)
    if macro is None:
        return None
    for other, (doc, index) in open_documents.items():
        if (uri_path(other) or other) != macro.path:
            continue
        found = macro_definition(index, name)
        if found is None:
            break
        whole = _lsp_range(doc, found[0], found[1], encoding)
        target = _lsp_range(doc, found[2], found[3], encoding)
        if links:
            return [lsp.LocationLink(other, whole, target, origin)]
        return [lsp.Location(other, target)]
    uri = from_fs_path(macro.path) or macro.path
    at = lsp.Position(macro.line, 0)
    line = lsp.Range(at, lsp.Position(macro.line + 1, 0))
    if links:
        return [lsp.LocationLink(uri, line, lsp.Range(at, at), origin)]
    return [lsp.Location(uri, lsp.Range(at, at))]


# -- documentLink ------------------------------------------------------------------------


def document_links(doc: Document, encoding: PositionEncoding, tooltips: bool = True) -> JsonPieces:
    """``DocumentLink[]`` as JSON text (with tooltips if the client shows them)."""

    def items(block: Block, position: Converter) -> tuple[list[Any], bool]:
        out = []
        for link in block_links(block):
            item = {"range": _range(position, link.start, link.end), "target": link.target}
            if tooltips:
                item["tooltip"] = link.tooltip
            out.append(item)
        return out, True

    with gc_paused():
        key = f"lsp-links-{encoding.value}-{int(tooltips)}"
        return _array([text for text, _ in _parts(doc, key, encoding, items)])


# -- semanticTokens ----------------------------------------------------------------------


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
        start = doc.offset(Position(within.start.line, within.start.character), encoding)
        end = doc.offset(Position(within.end.line, within.end.character), encoding)
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


def _no_items() -> list[Any]:
    return []


def _no_definition() -> None:
    return None


def _no_tokens() -> lsp.SemanticTokens:
    return lsp.SemanticTokens(data=[])


@FEATURES.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL, lsp.DocumentSymbolOptions(label="bib-lsp"))
@on_document(_no_items)
def document_symbol(
    ls: BibLanguageServer, params: lsp.DocumentSymbolParams, document: OpenDocument
) -> Any:
    tree = hierarchical(ls.client_capabilities)
    fields = ls.checker(document).index.entry_count <= FIELDS_UP_TO
    return RawJson(document_symbols(document.doc, ls.encoding, tree, fields))


@FEATURES.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
@on_document(_no_items)
def folding_range(
    ls: BibLanguageServer, params: lsp.FoldingRangeParams, document: OpenDocument
) -> Any:
    client = folding_client(ls.client_capabilities)
    return RawJson(folding_ranges(document.doc, ls.encoding, client))


@FEATURES.feature(lsp.TEXT_DOCUMENT_SELECTION_RANGE)
@on_document(_no_items)
def selection_range(
    ls: BibLanguageServer, params: lsp.SelectionRangeParams, document: OpenDocument
) -> Any:
    return selection(document.doc, params.positions, ls.encoding)


@FEATURES.feature(lsp.TEXT_DOCUMENT_DEFINITION)
@on_document(_no_definition, name="goto_definition")
def definition_request(
    ls: BibLanguageServer, params: lsp.DefinitionParams, document: OpenDocument
) -> Any:
    open_documents = ls.open_documents()
    return goto_definition(
        document.doc,
        ls.checker(document).index,
        params.position,
        ls.encoding,
        link_support(ls.client_capabilities),
        document.uri,
        ls.files.macros_elsewhere(document.uri, open_documents),
        open_documents,
    )


@FEATURES.feature(lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DocumentLinkOptions(resolve_provider=False))
@on_document(_no_items)
def document_link(
    ls: BibLanguageServer, params: lsp.DocumentLinkParams, document: OpenDocument
) -> Any:
    return RawJson(document_links(document.doc, ls.encoding, tooltips(ls.client_capabilities)))


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
