"""What a place in a `.bib` file is, for the features that act on one place
(hover, go to definition): an entry's type, its head or key, a field name, the
name an `@string` defines, a macro used in a value, or a key in a field that
names other entries (`crossref`, `xdata`, `xref`, `related`, `entryset`).

An offset at the end of a name counts as on it (the cursor just after a word).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bib_lsp.document import Document
from bib_lsp.model.keys import KEY_FIELDS
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, Field, entry_view


class PlaceKind(enum.Enum):
    TYPE = "type"  # the entry type after `@` (also of `@string`, `@preamble`, `@comment`)
    HEAD = "head"  # a regular entry's key, or its head before the first field
    FIELD_NAME = "field name"  # a field's name in a regular entry
    MACRO_NAME = "macro name"  # the name an `@string` defines
    MACRO = "macro"  # a macro used in a value
    KEY = "key"  # a key in a field that names other entries


@dataclass(frozen=True, slots=True)
class Place:
    kind: PlaceKind
    entry: Entry  # the entry holding the place (absolute offsets)
    start: int  # the place's range (absolute offsets)
    end: int
    name: str = ""  # the field, macro or key named there, as written
    field: Field | None = None  # the field holding the place, if any


def place_at(doc: Document, offset: int) -> Place | None:
    """What is at ``offset``; None in free text, delimiters, plain values..."""
    located = doc.block_at(offset)
    if located is None:
        return None
    start, block = located
    if block.kind is K.JUNK_BLOCK or offset >= start + len(block.text):
        return None
    entry = entry_view(block, start)
    if entry is None:  # pragma: no cover - only free text has no view
        return None
    if entry.type_span is not None and inside(offset, entry.type_span.start, entry.type_span.end):
        return Place(PlaceKind.TYPE, entry, entry.type_span.start, entry.type_span.end, entry.type)
    if entry.kind is K.ENTRY and _on_head(entry, offset):
        span = entry.key_span or entry.type_span
        if span is None:  # a bare `@` (`@@`, `@{}`): nothing to name
            return None
        return Place(PlaceKind.HEAD, entry, span.start, span.end, entry.key or "")
    for f in entry.fields:
        if inside(offset, f.name_span.start, f.name_span.end):
            kind = PlaceKind.MACRO_NAME if entry.kind is K.STRING else PlaceKind.FIELD_NAME
            return Place(kind, entry, f.name_span.start, f.name_span.end, f.name, f)
        if f.value is not None and inside(offset, f.value.span.start, f.value.span.end):
            return _in_value(entry, f, offset)
    return None


def inside(offset: int, start: int, end: int) -> bool:
    """On a non-empty range, its end included."""
    return start <= offset <= end and start < end


def _on_head(entry: Entry, offset: int) -> bool:
    """On the key, or between `@` and the end of the key (before the first field)."""
    if entry.key_span is not None and inside(offset, entry.key_span.start, entry.key_span.end):
        return True
    first = entry.fields[0].span.start if entry.fields else entry.span.end
    head_end = entry.key_span.end if entry.key_span is not None else first
    return entry.span.start <= offset <= min(head_end, first)


def _in_value(entry: Entry, f: Field, offset: int) -> Place | None:
    assert f.value is not None
    for piece in f.value.pieces:
        if not inside(offset, piece.span.start, piece.span.end):
            continue
        if piece.kind is K.MACRO:
            return Place(PlaceKind.MACRO, entry, piece.span.start, piece.span.end, piece.text, f)
        if piece.kind in (K.BRACED, K.QUOTED) and f.name_lower in KEY_FIELDS:
            found = key_in_list(piece.text, piece.span.start, offset)
            if found is None:
                return None
            key, start = found
            return Place(PlaceKind.KEY, entry, start, start + len(key), key, f)
    return None


def list_body(text: str) -> str:
    """A braced or quoted piece's text without its delimiters (a piece left open,
    which the parser ended at the end of its entry, has only the opening one)."""
    closed = len(text) > 1 and text[-1] == ("}" if text[0] == "{" else '"')
    return text[1 : len(text) - closed]


def key_in_list(text: str, piece_start: int, offset: int) -> tuple[str, int] | None:
    """The key at ``offset`` in a braced or quoted list of keys (``text`` with its
    delimiters, starting at ``piece_start``), and where it starts; None between
    keys or outside the delimiters."""
    inner = offset - piece_start - 1
    body = list_body(text)
    if not 0 <= inner <= len(body):
        return None
    left = body.rfind(",", 0, inner) + 1
    right = body.find(",", inner)
    right = len(body) if right < 0 else right
    key = body[left:right].strip()
    if not key:
        return None
    return key, piece_start + 1 + left + (len(body[left:right]) - len(body[left:right].lstrip()))
