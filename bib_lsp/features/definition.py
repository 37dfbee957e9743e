"""Go to definition (no LSP types here): from a macro used in a value to the
`@string` that defines it, and from a key in `crossref`, `xdata`, `xref`,
`related` or `entryset` to the entry with that key.

A macro this document does not define is looked for in the workspace's other
files by the caller (``Elsewhere``); a key is looked for in this document only.
"""

from __future__ import annotations

from dataclasses import dataclass

from bib_lsp.document import Document
from bib_lsp.features.places import PlaceKind, place_at
from bib_lsp.model.index import BibIndex
from bib_lsp.syntax.views import view


@dataclass(frozen=True, slots=True)
class Target:
    """A definition in this document (absolute offsets): its whole range (the
    entry or `@string`), the name in it, and the name the request was made on."""

    start: int
    end: int
    name_start: int
    name_end: int
    origin_start: int
    origin_end: int


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """A macro this document does not define: look in other files."""

    name: str  # lower-case
    origin_start: int
    origin_end: int


def definition(
    doc: Document, index: BibIndex, offset: int, exact: bool = False
) -> Target | Elsewhere | None:
    """The definition of the macro or key at ``offset`` (a key compared with case
    when ``exact``: the `biblatex` dialect, as biber compares keys)."""
    place = place_at(doc, offset)
    if place is None:
        return None
    if place.kind is PlaceKind.MACRO:
        name = place.name.lower()
        found = macro_definition(index, name)
        if found is None:
            return Elsewhere(name, place.start, place.end)
        return Target(*found, place.start, place.end)
    if place.kind is PlaceKind.KEY:
        located = index.entry(place.name, exact=exact)
        if located is None:
            return None
        start, block = located
        entry = view(block)
        if entry is None or entry.key_span is None:  # pragma: no cover - a keyed entry
            return None
        key = entry.key_span
        end = start + len(block.text)
        return Target(start, end, start + key.start, start + key.end, place.start, place.end)
    return None


def macro_definition(index: BibIndex, name: str) -> tuple[int, int, int, int] | None:
    """Where the document first defines macro ``name`` (lower-case): the `@string`
    (the field, when it defines several) and the name in it (absolute offsets)."""
    holders = index.located(index.strings.get(name, {}).values())
    if not holders:
        return None
    start, block = holders[0]
    entry = view(block)
    fields = [f for f in entry.fields if f.name] if entry is not None else []
    for f in fields:
        if f.name_lower == name:
            whole = (start, start + len(block.text))
            if len(fields) > 1:
                whole = (start + f.span.start, start + f.span.end)
            return (*whole, start + f.name_span.start, start + f.name_span.end)
    return None  # pragma: no cover - the index holds the block for this name
