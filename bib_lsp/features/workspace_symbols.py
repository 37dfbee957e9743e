"""Workspace symbols (no LSP types here): the entries whose key or title contains
a query, and the `@string` macros whose name does, over the open documents
(their live index) and the summaries of the workspace's other `.bib` files.

Case is ignored; keys (and names) that start with the query come first, then
those that contain it, then entries whose title does; the answer is capped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bib_lsp.document import Document
from bib_lsp.model.index import BibIndex
from bib_lsp.model.summaries import EntryDef, FileSummary, MacroDef, short_title
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.views import view

LIMIT = 500


@dataclass(frozen=True, slots=True)
class Hit:
    where: str  # the open document's URI, or the file's path
    open: bool  # ``where`` is an open document's URI
    item: EntryDef | MacroDef


def rank(query: str, name: str, title: str = "") -> int | None:
    """0 when the (lower-case) name starts with the (lower-case) query, 1 when it
    contains it, 2 when only the title does; None when neither does."""
    if name.startswith(query):
        return 0
    if query in name:
        return 1
    if query and query in title.lower():
        return 2
    return None


def block_title(block: Block) -> str:
    """The entry's short title (cached on the block)."""
    return block.cached("short-title", _title)


def _title(block: Block) -> str:
    entry = view(block)
    return short_title(entry) if entry is not None else ""


def find_symbols(
    query: str,
    documents: list[tuple[str, Document, BibIndex]],
    summaries: list[FileSummary],
    limit: int = LIMIT,
) -> list[Hit]:
    """The entries and macros matching ``query``: from the open documents (by
    URI), then from the summaries of the files not open."""
    q = query.lower()
    found: list[tuple[int, int, Callable[[], Hit | None]]] = []
    order = 0
    for uri, doc, index in documents:
        for name, holders in index.keys.items():
            for block in holders.values():
                r = rank(q, name, block_title(block))
                if r is not None:
                    found.append((r, order, _live_entry(uri, doc, block)))
                    order += 1
        for name, holders in index.strings.items():
            r = rank(q, name)
            if r is not None:
                for block in holders.values():
                    found.append((r, order, _live_macro(uri, doc, block, name)))
                    order += 1
    for summary in summaries:
        for entry in summary.entries:
            r = rank(q, entry.key.lower(), entry.title)
            if r is not None:
                found.append((r, order, _stored(summary.path, entry)))
                order += 1
        for name, macro in summary.macros.items():
            r = rank(q, name)
            if r is not None:
                found.append((r, order, _stored(summary.path, macro)))
                order += 1
    found.sort(key=lambda t: (t[0], t[1]))
    hits = []
    for _, _, make in found:
        hit = make()
        if hit is not None:
            hits.append(hit)
            if len(hits) >= limit:
                break
    return hits


def _stored(path: str, item: EntryDef | MacroDef) -> Callable[[], Hit | None]:
    return lambda: Hit(path, False, item)


def _live_entry(uri: str, doc: Document, block: Block) -> Callable[[], Hit | None]:
    def make() -> Hit | None:
        entry, start = view(block), doc.start_of(block)
        if entry is None or start is None or entry.key is None or entry.key_span is None:
            return None  # pragma: no cover - the index holds live, keyed entries
        line, lead = _lead(doc, start + entry.key_span.start)
        title = block_title(block)
        return Hit(uri, True, EntryDef(entry.key, entry.type_lower, title, uri, line, lead))

    return make


def _live_macro(uri: str, doc: Document, block: Block, name: str) -> Callable[[], Hit | None]:
    def make() -> Hit | None:
        entry, start = view(block), doc.start_of(block)
        if entry is None or start is None:  # pragma: no cover - the index holds live blocks
            return None
        for f in entry.fields:
            if f.name_lower == name:
                line, lead = _lead(doc, start + f.name_span.start)
                text = (
                    doc.slice(start + f.value.span.start, start + f.value.span.end)
                    if f.value
                    else ""
                )
                return Hit(uri, True, MacroDef(f.name, text, uri, line, lead=lead))
        return None  # pragma: no cover - the index holds the block for this name

    return make


def _lead(doc: Document, offset: int) -> tuple[int, str]:
    line = doc.line_of(offset)
    return line, doc.slice(doc.line_start(line), offset)
