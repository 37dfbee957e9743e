"""Navigation and structure requests: `textDocument/documentSymbol`,
`foldingRange`, `selectionRange`, `definition` and `documentLink`, as LSP data
(semantic tokens: ``lsp/semantic.py``).

The whole-document answers (symbols, folds, links) are built as JSON text from
per-block parts cached on the blocks (``Block.cache``), with their line numbers
counted from the block's first line (``jsontext.LineTemplate``), so that an
answer after an edit costs the blocks the edit touched plus filling in line
numbers. A block that starts in the middle of a line (the free text after an
entry's `}`) with something on that line is converted directly.
"""

from __future__ import annotations

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
from bib_lsp.features.symbols import DECODE_BUDGET, Decoder, Symbol, SymbolKind, block_symbols
from bib_lsp.lsp.convert import (
    PositionJson,
    block_positions,
    document_positions,
    from_position,
    range_json,
    range_of,
)
from bib_lsp.lsp.handlers import Features, on_document
from bib_lsp.lsp.jsontext import JsonPieces, LineTemplate, array, items_text
from bib_lsp.lsp.protocol import RawJson
from bib_lsp.lsp.workspace import uri_path
from bib_lsp.model.index import BibIndex
from bib_lsp.model.summaries import MacroDef
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.text import PositionEncoding

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer

# Entries come with their fields as children up to this many entries: past it, an
# outline of every field is too much JSON for an editor to take on every change
# (tugboat.bib's 4,839 entries with their fields: 21 MB; 50,000 entries: 180 MB).
FIELDS_UP_TO = 5_000

# Symbol kinds (see docs/architecture.md, "Navigation and structure").
SYMBOL_KINDS = {
    SymbolKind.ENTRY: lsp.SymbolKind.Struct,
    SymbolKind.FIELD: lsp.SymbolKind.Field,
    SymbolKind.MACRO: lsp.SymbolKind.Constant,
    SymbolKind.PREAMBLE: lsp.SymbolKind.Module,
    SymbolKind.COMMENT: lsp.SymbolKind.String,
}
_FOLD_KINDS = {FoldKind.REGION: "region", FoldKind.COMMENT: "comment"}


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


class _Part:
    """A block's items as JSON text with lines counted from the block's first line
    (``LineTemplate``), and whether they are final.

    The text with absolute lines is not kept: it doubled the cache, to spare
    filling numbers in, which an edit that adds a line does anyway for every
    block below it."""

    __slots__ = ("count", "final", "text")

    def __init__(self, items: list[Any], final: bool = True) -> None:
        self.count = len(items)
        self.final = final  # else made again while there is time (rough titles)
        self.text = LineTemplate(items_text(items))


def _parts(
    doc: Document,
    key: str,
    encoding: PositionEncoding,
    items: Callable[[Block, PositionJson], tuple[list[Any], bool]],
    again: Callable[[], bool] = lambda: False,
) -> Iterator[tuple[bytes, int]]:
    """Each block's items as JSON text with absolute lines, and their number
    (blocks without items left out). ``items`` gives a block's items and whether
    they are final; parts that are not are made again while ``again()``."""
    line, starts_line = 0, True
    for start, block in doc.blocks():
        part = block.cache.get(key)
        if part is None or (not part.final and again()):
            found, final = items(block, block_positions(block, encoding))
            part = block.cache[key] = _Part(found, final)
        if starts_line or 0 not in part.text.lines:
            if part.count:
                yield part.text.at(line), part.count
        else:  # columns on its first line count from the block: not the line's
            found, _ = items(block, document_positions(doc, start, encoding))
            yield items_text(found), len(found)
        line += block.breaks
        starts_line = block.text.endswith(("\n", "\r"))


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

    def items(block: Block, position: PositionJson) -> tuple[list[Any], bool]:
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
        return array([text for text, _ in _parts(doc, key, encoding, items, again)])


def _symbol(s: Symbol, position: PositionJson) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": s.name,
        "kind": int(SYMBOL_KINDS[s.kind]),
        "range": range_json(position, s.start, s.end),
        "selectionRange": range_json(position, s.selection_start, s.selection_end),
    }
    if s.detail:
        out["detail"] = s.detail
    if s.children:
        out["children"] = [_symbol(c, position) for c in s.children]
    return out


def _flat(s: Symbol, position: PositionJson, uri: str, container: str | None) -> list[Any]:
    item: dict[str, Any] = {
        "name": s.name,
        "kind": int(SYMBOL_KINDS[s.kind]),
        "location": {"uri": uri, "range": range_json(position, s.start, s.end)},
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
        def items(block: Block, position: PositionJson) -> tuple[list[Any], bool]:
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
            return array(kept)
        kept, total = [], 0
        for text, n in parts(True):
            if total + n > limit:
                break
            kept.append(text)
            total += n
        return array(kept)


def _fold(fold: Fold, position: PositionJson, client: FoldingClient) -> dict[str, Any] | None:
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
        offset = doc.offset(from_position(p), encoding)
        found: lsp.SelectionRange | None = None
        for start, end in reversed(selection_ranges(doc, offset)):
            found = lsp.SelectionRange(range_of(doc, start, end, encoding), found)
        out.append(found)
    return out


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
    exact: bool = False,
) -> list[lsp.Location] | list[lsp.LocationLink] | None:
    """Where the macro or key at ``position`` is defined: as ``LocationLink``s when
    the client takes them (``links``), else as ``Location``s; a key compared with
    case when ``exact`` (the `biblatex` dialect)."""
    offset = doc.offset(from_position(position), encoding)
    found = definition(doc, index, offset, exact)
    if found is None:
        return None
    origin = range_of(doc, found.origin_start, found.origin_end, encoding)
    if isinstance(found, Elsewhere):
        return _elsewhere(found.name, origin, links, macros, open_documents, encoding)
    whole = range_of(doc, found.start, found.end, encoding)
    name = range_of(doc, found.name_start, found.name_end, encoding)
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
        whole = range_of(doc, found[0], found[1], encoding)
        target = range_of(doc, found[2], found[3], encoding)
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

    def items(block: Block, position: PositionJson) -> tuple[list[Any], bool]:
        out = []
        for link in block_links(block):
            item = {"range": range_json(position, link.start, link.end), "target": link.target}
            if tooltips:
                item["tooltip"] = link.tooltip
            out.append(item)
        return out, True

    with gc_paused():
        key = f"lsp-links-{encoding.value}-{int(tooltips)}"
        return array([text for text, _ in _parts(doc, key, encoding, items)])


# -- handlers ------------------------------------------------------------------------
FEATURES = Features()


def _no_items() -> list[Any]:
    return []


def _no_definition() -> None:
    return None


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
    checker = ls.checker(document)
    return goto_definition(
        document.doc,
        checker.index,
        params.position,
        ls.encoding,
        link_support(ls.client_capabilities),
        document.uri,
        ls.files.macros_elsewhere(document.uri, open_documents),
        open_documents,
        checker.dialect == "biblatex",
    )


@FEATURES.feature(lsp.TEXT_DOCUMENT_DOCUMENT_LINK, lsp.DocumentLinkOptions(resolve_provider=False))
@on_document(_no_items)
def document_link(
    ls: BibLanguageServer, params: lsp.DocumentLinkParams, document: OpenDocument
) -> Any:
    return RawJson(document_links(document.doc, ls.encoding, tooltips(ls.client_capabilities)))
