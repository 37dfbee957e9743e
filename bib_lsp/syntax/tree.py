"""The lossless syntax tree: green nodes with widths, tokens as (kind, width) pairs.

Nodes do not know their offsets or text: a node's text is the slice of its block's
text that its width covers, and the widths of its children add up to its own. This
keeps untouched subtrees valid after an edit elsewhere (they are reused as they are)
and keeps memory low: the block text is stored once, tokens hold no strings.
Positions come from walking the tree from a block start (see ``views``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from bib_lsp.syntax.kinds import SyntaxKind

Token = tuple[SyntaxKind, int]
"""A leaf: its kind and its width in code points."""


_SHARED_WIDTHS = 256
_SHARED: list[list[Token]] = [
    [(kind, width) for width in range(_SHARED_WIDTHS)] for kind in SyntaxKind if kind.is_token
]


def make_token(kind: SyntaxKind, width: int) -> Token:
    """A token; short ones are shared objects, so that a tree of a large file does
    not hold (and the garbage collector does not visit) a million small tuples."""
    if width < _SHARED_WIDTHS:
        return _SHARED[kind - 1][width]
    return (kind, width)


class Node:
    """An inner node of the tree: a kind, children in text order, and a width."""

    __slots__ = ("children", "kind", "layout", "width")

    def __init__(self, kind: SyntaxKind, children: Sequence[Element], width: int) -> None:
        self.kind = kind
        # A tuple, not the parser's list: a third smaller (no spare room), and a
        # tree is most of what a large document keeps.
        self.children: tuple[Element, ...] = tuple(children)
        self.width = width
        # What readers derive from the node's shape alone, kept by them (views: a
        # field's parts); shared nodes share it.
        self.layout: object = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return (
            self.kind == other.kind
            and self.width == other.width
            and self.children == other.children
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Node({self.kind.name}, width={self.width}, children={len(self.children)})"

    def tokens(self, offset: int = 0) -> Iterator[tuple[SyntaxKind, int, int]]:
        """Yield ``(kind, start, end)`` for every token below this node, in order."""
        for child in self.children:
            if isinstance(child, Node):
                yield from child.tokens(offset)
                offset += child.width
            else:
                end = offset + child[1]
                yield child[0], offset, end
                offset = end

    def pretty(self, text: str, offset: int = 0, indent: int = 0) -> str:
        """An indented dump of the subtree (for tests and debugging)."""
        pad = "  " * indent
        lines = [f"{pad}{self.kind.name}@{offset}..{offset + self.width}"]
        for child in self.children:
            if isinstance(child, Node):
                lines.append(child.pretty(text, offset, indent + 1))
                offset += child.width
            else:
                end = offset + child[1]
                lines.append(f"{pad}  {child[0].name}@{offset}..{end} {text[offset:end]!r}")
                offset = end
        return "\n".join(lines)


Element = Node | Token


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a problem (e.g. the other use of a duplicate key)."""

    start: int
    end: int
    message: str


@dataclass(frozen=True, slots=True)
class Problem:
    """A located finding: ``start``/``end`` are code-point offsets (block-relative
    inside a ``Block`` and from entry rules, absolute when handed out by a
    ``Document``, a ``Tree`` or a ``Checker``). ``related`` places count from the
    same origin (so an entry rule's point into its own entry only); ``data`` is for
    quick fixes (JSON-able)."""

    start: int
    end: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    related: tuple[Related, ...] = ()
    data: object = None

    def shifted(self, delta: int) -> Problem:
        """The problem ``delta`` code points further on (its related places too)."""
        if not delta:
            return self
        related = self.related
        if related:
            related = tuple(Related(r.start + delta, r.end + delta, r.message) for r in related)
        return Problem(
            self.start + delta,
            self.end + delta,
            self.code,
            self.message,
            self.severity,
            related,
            self.data,
        )

    def with_severity(self, severity: Severity) -> Problem:
        return self if severity is self.severity else replace(self, severity=severity)
