"""Lower-casing entry types and field names (a rewrite offered anywhere, no finding
needed: BibTeX and biber ignore their case, so it changes only how the file looks)."""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.features.fixes.base import Fix, entry_at
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.views import Entry, view
from bib_lsp.text.edits import Edit


def lower_case(doc: Document, offset: int) -> list[Fix]:
    """Lower-case the entry type and field names of the entry at ``offset``, and of
    every entry in the file; none when they are lower-case already."""
    located = entry_at(doc, offset)
    if located is None:
        return []
    here = _lower_edits(*located)
    if not here:
        return []
    everywhere = [e for start, block in doc.blocks() for e in _lower_block(start, block)]
    return [
        Fix("Lower-case this entry's type and field names", tuple(here)),
        Fix("Lower-case entry types and field names in the whole file", tuple(everywhere)),
    ]


def _lower_block(start: int, block: Block) -> list[Edit]:
    entry = view(block)
    return _lower_edits(start, entry) if entry is not None else []


def _lower_edits(base: int, entry: Entry) -> list[Edit]:
    spans = []
    if entry.type_span is not None:
        spans.append((entry.type_span, entry.type))
    if not entry.damaged:  # in a broken entry a "name" may be words of a value
        spans += [(f.name_span, f.name) for f in entry.fields if f.name]
    return [
        Edit(base + span.start, base + span.end, text.lower())
        for span, text in spans
        if text != text.lower()
    ]
