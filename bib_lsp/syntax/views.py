"""Typed, read-only views over the green tree, with absolute offsets.

A view is built on demand from a block, its text and its absolute start; it holds
no state of its own beyond what it reads, so it is cheap to make and to throw away.
``view(block)`` gives a block's view relative to its start, from a small cache.
Names are given as written and lower-cased (BibTeX ignores case in entry types,
field names and macro names).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from sys import intern
from typing import TypeVar

from bib_lsp.syntax.block import Block
from bib_lsp.syntax.codes import MISSING_KEY
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import group_is_closed
from bib_lsp.syntax.tree import Node

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10
    from typing_extensions import dataclass_transform

_C = TypeVar("_C")


@dataclass_transform(frozen_default=True)
def view_class(cls: type[_C]) -> type[_C]:
    """A dataclass that type checkers treat as frozen, made without ``frozen``
    (which sets each field through ``object.__setattr__``, slow for views made by
    the hundred thousand). Views are never changed; the type checker holds that."""
    return dataclass(slots=True, unsafe_hash=True)(cls)


@view_class
class Span:
    """A half-open range of code-point offsets."""

    start: int
    end: int


@view_class
class Piece:
    """One part of a value: a braced or quoted string, a number or a macro name."""

    kind: K
    text: str
    span: Span

    @property
    def closed(self) -> bool:
        """Whether a braced or quoted piece has its closing delimiter."""
        if self.kind in (K.BRACED, K.QUOTED):
            return group_is_closed(self.text)
        return True

    @property
    def content(self) -> str:
        """The text without the outer delimiters."""
        if self.kind in (K.BRACED, K.QUOTED):
            return self.text[1:-1] if self.closed else self.text[1:]
        return self.text


@view_class
class Value:
    pieces: tuple[Piece, ...]
    span: Span


@view_class
class Field:
    name: str
    name_span: Span
    value: Value | None
    span: Span
    has_comma: bool
    name_lower: str  # the rules ask for fields by name all the time: lowered once


@view_class
class Entry:
    """An ``@``-block: a regular entry, ``@string``, ``@preamble`` or ``@comment``."""

    kind: K
    type: str
    type_span: Span | None
    key: str | None
    key_span: Span | None
    fields: tuple[Field, ...]
    preamble: Value | None
    open_delim: Span | None
    close_delim: Span | None
    span: Span
    damaged: bool = False
    """The parser found a problem in this entry (other than a missing key): its
    fields may be incomplete."""

    @property
    def type_lower(self) -> str:
        return self.type.lower()

    def field(self, name: str) -> Field | None:
        """The first field of that name (case-insensitive)."""
        lower = name.lower()
        for f in self.fields:
            if f.name_lower == lower:
                return f
        return None


def entry_view(block: Block, start: int) -> Entry | None:
    """The view of an ``@`` block at absolute offset ``start``; None for free text."""
    node = block.node
    if node.kind is K.JUNK_BLOCK:
        return None
    text = block.text
    type_name, key = "", None
    type_span = key_span = open_delim = close_delim = None
    fields: list[Field] = []
    preamble = None
    pos = 0
    for child in node.children:
        if isinstance(child, Node):
            if child.kind is K.FIELD:
                fields.append(_field(child, text, pos, start))
            elif child.kind is K.VALUE:
                preamble = _value(child, text, pos, start)
            pos += child.width
            continue
        kind, width = child
        span = Span(start + pos, start + pos + width)
        if kind is K.TYPE:
            type_name, type_span = text[pos : pos + width], span
        elif kind is K.KEY:
            key, key_span = text[pos : pos + width], span
        elif kind is K.L_DELIM:
            open_delim = span
        elif kind is K.R_DELIM:
            close_delim = span
        pos += width
    return Entry(
        kind=node.kind,
        type=type_name,
        type_span=type_span,
        key=key,
        key_span=key_span,
        fields=tuple(fields),
        preamble=preamble,
        open_delim=open_delim,
        close_delim=close_delim,
        span=Span(start, start + node.width),
        damaged=any(p.code != MISSING_KEY for p in block.problems),
    )


def _field(node: Node, text: str, pos: int, base: int) -> Field:
    layout = node.layout
    if not isinstance(layout, _FieldLayout):
        layout = node.layout = _FieldLayout(node)
    at = base + pos
    name = intern(text[pos + layout.name_start : pos + layout.name_end])
    value = None
    if layout.value_end >= 0:
        pieces = tuple(
            Piece(kind, text[pos + start : pos + end], Span(at + start, at + end))
            for kind, start, end in layout.pieces
        )
        value = Value(pieces, Span(at + layout.value_start, at + layout.value_end))
    # Field names are few and met by the thousand: one string each, not one per use.
    return Field(
        name,
        Span(at + layout.name_start, at + layout.name_end),
        value,
        Span(at, at + node.width),
        layout.has_comma,
        intern(name.lower()),
    )


class _FieldLayout:
    """Where a field's parts lie, relative to its start: read once per field node
    (and fields of the same shape share their node)."""

    __slots__ = ("has_comma", "name_end", "name_start", "pieces", "value_end", "value_start")

    def __init__(self, node: Node) -> None:
        self.name_start = self.name_end = 0
        self.value_start = self.value_end = -1  # no value
        self.pieces: tuple[tuple[K, int, int], ...] = ()
        self.has_comma = False
        pos = 0
        for child in node.children:
            if isinstance(child, Node):
                self.value_start, self.value_end = pos, pos + child.width
                self.pieces = tuple(
                    (kind, start, end) for kind, start, end in child.tokens(pos) if kind in _PIECES
                )
                pos += child.width
                continue
            kind, width = child
            if kind is K.NAME:
                self.name_start, self.name_end = pos, pos + width
            elif kind is K.COMMA:
                self.has_comma = True
            pos += width


_PIECES = frozenset({K.BRACED, K.QUOTED, K.NUMBER, K.MACRO})


def _value(node: Node, text: str, pos: int, base: int) -> Value:
    pieces = []
    value_start = pos
    for child in node.children:
        if isinstance(child, Node):  # pragma: no cover - values hold tokens only
            pos += child.width
            continue
        kind, width = child
        if kind in _PIECES:
            span = Span(base + pos, base + pos + width)
            pieces.append(Piece(kind, text[pos : pos + width], span))
        pos += width
    return Value(tuple(pieces), Span(base + value_start, base + pos))


def view(block: Block) -> Entry | None:
    """The block's entry view, relative to the block's start.

    Views are kept for the last ``VIEWS_KEPT`` blocks asked about, not on every
    block: a view is several times the size of its text, and once the index and
    the rules have read a block (each keeping what it needs), its view is rarely
    asked for again. The checks read blocks in text order, so each pass builds
    each view about once."""
    if block.node.kind is K.JUNK_BLOCK:
        return None  # free text between entries
    found = _VIEWS.get(block, _MISSING)
    if found is _MISSING:
        found = entry_view(block, 0)
        with _VIEWS_LOCK:  # the workspace scan reads files in a thread
            _VIEWS[block] = found
            while len(_VIEWS) > VIEWS_KEPT:
                del _VIEWS[next(iter(_VIEWS))]  # the oldest
    return found  # type: ignore[return-value]


def forget_views(blocks: Iterable[Block]) -> None:
    """Drop the views of blocks an edit removed (they would keep the blocks alive
    until pushed out)."""
    with _VIEWS_LOCK:
        for block in blocks:
            _VIEWS.pop(block, None)


VIEWS_KEPT = 1024
_VIEWS: dict[Block, Entry | None] = {}
_VIEWS_LOCK = threading.Lock()
_MISSING = object()


def written(value: Value) -> str:
    """A value as written, pieces joined with ` # `, without the outer delimiters."""
    return " # ".join(p.content if p.kind in (K.BRACED, K.QUOTED) else p.text for p in value.pieces)
