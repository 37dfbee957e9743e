"""Reading a block for formatting: the parts of an entry, `@string` or `@preamble`
as written, or None when the block must stay byte for byte."""

from __future__ import annotations

from dataclasses import dataclass

from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import BLANK
from bib_lsp.syntax.tree import Node


@dataclass(frozen=True, slots=True)
class FieldParts:
    name: str
    pieces: tuple[tuple[K, str], ...]  # the value's pieces as written
    written: str  # the value as written, from its first piece to its last
    comments: tuple[str, ...]  # `%` comment lines just above it
    had_comma: bool


@dataclass(frozen=True, slots=True)
class EntryParts:
    kind: K
    at_text: str  # `@` and the type as written (`@Article`)
    open: str
    close: str
    key: str | None
    fields: tuple[FieldParts, ...]
    trailing_comments: tuple[str, ...]  # comments after the last field
    comma_after_last: bool
    preamble: tuple[tuple[K, str], ...] | None  # @preamble's value


def read_entry(block: Block) -> EntryParts | None:
    """The entry's parts, or None when it must stay as written (a problem, an
    `@comment`, a comment inside a value, an unclosed entry)."""
    node = block.node
    if block.problems or node.kind not in (K.ENTRY, K.STRING, K.PREAMBLE):
        return None
    text = block.text
    pos = 0
    at_text, open_, close, key = "", "", "", None
    fields: list[FieldParts] = []
    comments: list[str] = []
    preamble = None
    comma_after_last = False
    for child in node.children:
        if isinstance(child, Node):
            piece_text = text[pos : pos + child.width]
            if child.kind is K.FIELD:
                read = _read_field(child, piece_text, tuple(comments))
                if read is None:
                    return None
                fields.append(read)
                comments = []
                comma_after_last = read.had_comma
            elif child.kind is K.VALUE:
                preamble = _read_pieces(child, piece_text)
                if preamble is None:
                    return None
            pos += child.width
            continue
        kind, width = child
        token = text[pos : pos + width]
        pos += width
        if kind in (K.AT, K.TYPE):
            at_text += token
        elif kind is K.L_DELIM:
            open_ = token
        elif kind is K.R_DELIM:
            close = token
        elif kind is K.KEY:
            key = token
        elif kind is K.COMMENT:
            comments.append(token.rstrip(BLANK))
        elif kind is K.COMMA:
            if fields:
                comma_after_last = True
        elif kind is not K.WHITESPACE:
            return None  # ERROR or anything unexpected: keep the entry as it is
    if not open_ or not close:
        return None
    if node.kind is K.ENTRY and key is None:
        return None
    return EntryParts(
        node.kind,
        at_text,
        open_,
        close,
        key,
        tuple(fields),
        tuple(comments),
        comma_after_last,
        preamble,
    )


def _read_field(node: Node, text: str, comments: tuple[str, ...]) -> FieldParts | None:
    pos = 0
    name, pieces, had_comma = "", None, False
    written = ""
    for child in node.children:
        if isinstance(child, Node):
            pieces = _read_pieces(child, text[pos : pos + child.width])
            if pieces is None:
                return None
            written = text[pos : pos + child.width].strip(BLANK)
            pos += child.width
            continue
        kind, width = child
        if kind is K.NAME:
            name = text[pos : pos + width]
        elif kind is K.COMMA:
            had_comma = True
        elif kind not in (K.WHITESPACE, K.EQUALS):
            return None  # a comment between the name and the value, an error
        pos += width
    if not name or not pieces:
        return None
    return FieldParts(name, pieces, written, comments, had_comma)


def _read_pieces(node: Node, text: str) -> tuple[tuple[K, str], ...] | None:
    pos = 0
    pieces = []
    for child in node.children:
        if isinstance(child, Node):  # pragma: no cover - values hold tokens only
            return None
        kind, width = child
        if kind in (K.BRACED, K.QUOTED, K.NUMBER, K.MACRO):
            pieces.append((kind, text[pos : pos + width]))
        elif kind not in (K.WHITESPACE, K.HASH):
            return None  # a comment inside a value: keep the entry as written
        pos += width
    return tuple(pieces)


def cased(name: str, case: str) -> str:
    return name.lower() if case == "lower" else name.upper() if case == "upper" else name
